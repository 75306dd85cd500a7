"""Walking an evidence folder: holders, files, links, in a stable order."""

from __future__ import annotations

import os
import pickle
import stat
import tempfile
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


class Listing:
    """The files of a walk, listed once: counted, then replayed in `walk`'s order.

    Entries are spooled to an unnamed temporary file (gone when closed, or when the process
    dies) in chunks of `CHUNK`, so memory stays flat however many files there are.
    """

    CHUNK = 1000

    def __init__(self, root: Path, holder: str | None = None, spool: Path | None = None):
        self.files = self.bytes = 0
        self._spool = tempfile.TemporaryFile(dir=spool)
        chunk: list[tuple] = []
        for ef in walk(root, holder):
            chunk.append((ef.holder, ef.path, ef.abspath, ef.size, ef.mtime, ef.skip_reason))
            self.files += 1
            self.bytes += ef.size
            if len(chunk) == self.CHUNK:
                pickle.dump(chunk, self._spool, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self._spool.flush()

    def __iter__(self) -> Iterator[EvidenceFile]:
        self._spool.seek(0)
        for _ in range(0, self.files, self.CHUNK):
            for entry in pickle.load(self._spool):
                yield EvidenceFile(*entry)

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> "Listing":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_folder(e: os.DirEntry) -> bool:
    """A real folder (a link to one is not followed)."""
    try:
        return e.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _entry(holder: str, path: str, p: Path | str, entry: os.DirEntry | None = None) -> EvidenceFile:
    """The file at `p`, stat'ed through its `os.scandir` entry when it has one."""
    st = entry.stat(follow_symlinks=False) if entry is not None else os.lstat(p)
    reason = ""
    if stat.S_ISLNK(st.st_mode):
        reason = "symbolic link, not followed"
    elif not stat.S_ISREG(st.st_mode):
        reason = "special file (device, socket or pipe)"
    return EvidenceFile(holder, path, os.fspath(p), st.st_size if not reason else 0, st.st_mtime, reason)
