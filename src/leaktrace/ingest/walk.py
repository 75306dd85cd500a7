"""Walking an evidence folder: holders, files, links, in a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT_HOLDER = "_root"


@dataclass(frozen=True)
class EvidenceFile:
    holder: str
    path: str            # forensic path: `holder/relative/path` with `/` separators
    abspath: Path
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


def _walk_dir(top: Path, holder: str, prefix: str) -> Iterator[EvidenceFile]:
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames.sort()
        rel = os.path.relpath(dirpath, top)
        base = prefix if rel == "." else f"{prefix}/{Path(rel).as_posix()}"
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames + links):
            yield _entry(holder, f"{base}/{name}", Path(dirpath) / name)


def _entry(holder: str, path: str, p: Path) -> EvidenceFile:
    st = p.lstat()
    reason = ""
    if p.is_symlink():
        reason = "symbolic link, not followed"
    elif not p.is_file():
        reason = "special file (device, socket or pipe)"
    return EvidenceFile(holder, path, p, st.st_size if not reason else 0, st.st_mtime, reason)
