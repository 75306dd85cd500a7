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
    unreadable: bool = False  # the skip is a failure (a folder that cannot be listed)


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
    for child, label in _labelled(sorted(root.iterdir(), key=lambda p: p.name)):
        if child.is_dir() and not child.is_symlink():
            yield from _walk_dir(child, label, label)
        else:
            yield _entry(ROOT_HOLDER, label, child)


def _walk_dir(top: Path | str, holder: str, prefix: str) -> Iterator[EvidenceFile]:
    """A folder's files (and links to folders, not followed) sorted, then its subfolders in order;
    a folder that cannot be listed is one entry with the reason."""
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=_NAME)
    except OSError as exc:
        yield EvidenceFile(holder, prefix, os.fspath(top), 0, 0.0,
                           f"folder cannot be listed: {exc.strerror or exc}", unreadable=True)
        return
    folders = []
    for e, label in _labelled(entries):
        if _is_folder(e):
            folders.append((e, label))
        else:
            yield _entry(holder, f"{prefix}/{label}", e.path, e)
    for e, label in folders:
        yield from _walk_dir(e.path, holder, f"{prefix}/{label}")


def display_name(name: str) -> str:
    """A name as valid text: a name that is not UTF-8 (GBK from a Chinese system, kept by Python as
    escaped bytes) is decoded as GB18030, and failing that its undecodable bytes are written `\\xNN`."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:   # a lone surrogate that is no escaped byte (from JSON, say)
        raw = name.encode("utf-8", "surrogatepass")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def _labelled(entries: list) -> Iterator[tuple]:
    """(entry, label) for a folder's entries: each name as `display_name` gives it, kept apart from a
    sibling whose real name reads the same by writing its raw bytes `\\xNN` (so no two differ only
    on disk)."""
    names = {e.name for e in entries}
    for e in entries:
        label = display_name(e.name)
        if label != e.name and label in names:
            label = os.fsencode(e.name).decode("ascii", errors="backslashreplace")
        yield e, label


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
            chunk.append((ef.holder, ef.path, ef.abspath, ef.size, ef.mtime, ef.skip_reason, ef.unreadable))
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
    """The file at `p`, stat'ed through its `os.scandir` entry when it has one; a file gone since it
    was listed is an entry with the reason."""
    try:
        st = entry.stat(follow_symlinks=False) if entry is not None else os.lstat(p)
    except OSError as exc:
        return EvidenceFile(holder, path, os.fspath(p), 0, 0.0, f"cannot stat: {exc.strerror or exc}",
                            unreadable=True)
    reason = ""
    if stat.S_ISLNK(st.st_mode):
        reason = "symbolic link, not followed"
    elif not stat.S_ISREG(st.st_mode):
        reason = "special file (device, socket or pipe)"
    return EvidenceFile(holder, path, os.fspath(p), st.st_size if not reason else 0, st.st_mtime, reason)
