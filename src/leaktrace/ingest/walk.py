"""Walking an evidence folder: holders, files, links, in a stable order."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT_HOLDER = "_root"


@dataclass(frozen=True)
class EvidenceFile:
    holder: str
    path: str            # forensic path: `holder/relative/path` with `/` separators
    abspath: str         # where it is on disk (a plain string: cheaper than a Path per file)
    size: int
    mtime: float
    skip_reason: str = ""  # set for links and special files, which are recorded, not read


def walk(root: Path, holder: str | None = None) -> Iterator[EvidenceFile]:
    """Every file under `root`, sorted. Holders are the first-level folders of `root`,
    or `holder` for everything when given (then `root` may be a single file)."""
    root = Path(root)
    if holder is not None:
        if root.is_file() or root.is_symlink():
            yield _entry(holder, f"{holder}/{root.name}", root)
            return
        yield from _walk_dir(root, holder, holder)
        return
    for child in sorted(root.iterdir(), key=lambda p: p.name):
        if child.is_dir() and not child.is_symlink():
            yield from _walk_dir(child, child.name, child.name)
        else:
            yield _entry(ROOT_HOLDER, child.name, child)


def _walk_dir(top: Path | str, holder: str, prefix: str) -> Iterator[EvidenceFile]:
    """A folder's files (and links to folders, not followed) sorted, then its subfolders in order;
    folders that cannot be listed are passed over."""
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for e in entries:
        try:
            is_folder = e.is_dir() and not e.is_symlink()
        except OSError:
            is_folder = False
        if is_folder:
            folders.append(e)
        else:
            yield _entry(holder, f"{prefix}/{e.name}", e.path, e)
    for e in folders:
        yield from _walk_dir(e.path, holder, f"{prefix}/{e.name}")


def _entry(holder: str, path: str, p: Path | str, entry: os.DirEntry | None = None) -> EvidenceFile:
    """The file at `p`, stat'ed through its `os.scandir` entry when it has one."""
    st = entry.stat(follow_symlinks=False) if entry is not None else os.lstat(p)
    reason = ""
    if stat.S_ISLNK(st.st_mode):
        reason = "symbolic link, not followed"
    elif not stat.S_ISREG(st.st_mode):
        reason = "special file (device, socket or pipe)"
    return EvidenceFile(holder, path, os.fspath(p), st.st_size if not reason else 0, st.st_mtime, reason)
