"""Walking an evidence folder: holders, files, links, in a stable order."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Iterator

ROOT_HOLDER = "_root"
_NAME = attrgetter("name")


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
            entries = sorted(it, key=_NAME)
    except OSError:
        return
    folders = []
    for e in entries:
        if _is_folder(e):
            folders.append(e)
        else:
            yield _entry(holder, f"{prefix}/{e.name}", e.path, e)
    for e in folders:
        yield from _walk_dir(e.path, holder, f"{prefix}/{e.name}")


def totals(root: Path, holder: str | None = None) -> tuple[int, int]:
    """How many files `walk` yields and their bytes, counted without sorting or building entries."""
    root = Path(root)
    if holder is not None and (root.is_file() or root.is_symlink()):
        return 1, _size(os.lstat(root))
    files = size = 0
    folders = [os.fspath(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as it:
                for e in it:
                    if _is_folder(e):
                        folders.append(e.path)
                        continue
                    files += 1
                    try:
                        size += _size(e.stat(follow_symlinks=False))
                    except OSError:
                        pass
        except OSError:
            continue
    return files, size


def _is_folder(e: os.DirEntry) -> bool:
    """A real folder (a link to one is not followed)."""
    try:
        return e.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _size(st: os.stat_result) -> int:
    """Bytes of a regular file; links and special files are not read, so count 0."""
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


def _entry(holder: str, path: str, p: Path | str, entry: os.DirEntry | None = None) -> EvidenceFile:
    """The file at `p`, stat'ed through its `os.scandir` entry when it has one."""
    st = entry.stat(follow_symlinks=False) if entry is not None else os.lstat(p)
    reason = ""
    if stat.S_ISLNK(st.st_mode):
        reason = "symbolic link, not followed"
    elif not stat.S_ISREG(st.st_mode):
        reason = "special file (device, socket or pipe)"
    return EvidenceFile(holder, path, os.fspath(p), st.st_size if not reason else 0, st.st_mtime, reason)
