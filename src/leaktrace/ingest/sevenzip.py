"""7z archives member by member: damage in one folder fails only what it holds.

py7zr extracts an archive as a whole and stops at its first error. Here each folder (7z's unit of
compression, one solid block or one file) is decoded on its own from its packed position, member
after member, with py7zr's decoders: a CRC mismatch fails that member and the next members are
read; an unsupported or encrypted method, or data that does not decode, fails the members of that
folder from there on, and the other folders are read.
"""

from __future__ import annotations

import tempfile
from typing import IO, Callable, Iterator

from .containers import SPOOL_BYTES, Failed, LimitExceeded

Entry = tuple[str, IO[bytes]] | Failed   # a member's name and its bytes (spooled), or why not


def members(fh: IO[bytes], check: Callable[[int, int], None]) -> Iterator[Entry]:
    """The members of the 7z archive in `fh`, in archive order; `check(n, packed)` is called as a member
    grows to `n` bytes, `packed` the compressed bytes of its folder read so far, and raises
    `LimitExceeded` to stop it."""
    import py7zr
    from py7zr.exceptions import PasswordRequired

    try:
        archive = py7zr.SevenZipFile(fh)
    except PasswordRequired:
        yield Failed("", "encrypted 7z archive (password required)")
        return
    except Exception as exc:  # noqa: BLE001 - py7zr raises many kinds for damaged headers
        yield Failed("", f"damaged 7z: {type(exc).__name__}: {exc}"[:300])
        return
    with archive:
        if archive.needs_password():
            yield Failed("", "encrypted 7z archive (password required)")
            return
        try:
            yield from _read(archive, fh, check)
        except Exception as exc:  # noqa: BLE001 - a header that parsed but does not hold together
            yield Failed("", f"damaged 7z, members after those read are lost: {type(exc).__name__}: {exc}"[:300])


def _read(archive, fh: IO[bytes], check: Callable[[int, int], None]) -> Iterator[Entry]:
    """The members of an opened archive, each folder decoded in order from where it starts."""
    spans = _folder_spans(archive)
    broken: dict[int, str] = {}          # folder id -> why its remaining members are not read
    current = None
    for f in archive.files:
        if f.is_directory:
            continue
        name, folder = f.filename, f.folder
        if f.emptystream:
            yield name, tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        elif id(folder) in broken:
            yield Failed(name, broken[id(folder)], f.uncompressed)
        else:
            start = spans[id(folder)][0]
            out = _Sink(None if f.is_symlink else lambda n, start=start: check(n, fh.tell() - start))
            try:
                if folder is not current:
                    current = folder
                    fh.seek(spans[id(folder)][0])
                crc = archive.worker.decompress(fh, folder, out, f.uncompressed, f.compressed,
                                                spans[id(folder)][1])
            except Exception as exc:  # noqa: BLE001 - any decoder error fails this folder, not the archive
                out.close()
                reason = _reason(exc)
                broken[id(folder)] = f"not read: an earlier member of its solid block failed ({reason})"
                yield Failed(name, reason, f.uncompressed)
                continue
            if f.is_symlink:
                yield Failed(name, "symbolic link member, not followed", f.uncompressed)
            elif f.crc32 is not None and crc != f.crc32:
                out.close()
                yield Failed(name, "damaged member: CRC mismatch", f.uncompressed)
            else:
                out.f.seek(0)
                yield name, out.f


def _folder_spans(archive) -> dict[int, tuple[int, int]]:
    """Where each folder's packed streams start and end in the archive, by folder id."""
    main = getattr(archive.header, "main_streams", None)
    if main is None:
        return {}
    base = archive.afterheader + (main.packinfo.packpos or 0)
    positions = main.packinfo.packpositions
    spans, stream = {}, 0
    for folder in main.unpackinfo.folders:
        n = max([coder.get("numinstreams", 1) for coder in folder.coders] or [1])
        end = positions[min(stream + n, len(positions) - 1)]
        spans[id(folder)] = (base + positions[min(stream, len(positions) - 1)], base + end)
        stream += n
    return spans


class _Sink:
    """Where py7zr writes a member: a spooled temporary file, checked as it grows (not kept for a
    link, whose bytes are only decoded past)."""

    def __init__(self, check: Callable[[int], None] | None):
        self.check = check
        self.f = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) if check else None
        self.n = 0

    def write(self, data: bytes) -> int:
        if self.f is None:
            return len(data)
        self.n += len(data)
        self.check(self.n)
        return self.f.write(data)

    def close(self) -> None:
        if self.f is not None:
            self.f.close()


def _reason(exc: Exception) -> str:
    """Why a member could not be read, in words."""
    from py7zr.exceptions import CrcError, PasswordRequired, UnsupportedCompressionMethodError

    if isinstance(exc, PasswordRequired):
        return "encrypted member (password required)"
    if isinstance(exc, UnsupportedCompressionMethodError):
        detail = exc.args[-1] if exc.args and isinstance(exc.args[-1], str) else ""
        return f"compression method not supported: {detail}".rstrip(": ")
    if isinstance(exc, LimitExceeded):
        return str(exc)
    if isinstance(exc, CrcError):
        return "damaged member: CRC mismatch"
    return f"damaged member: {type(exc).__name__}: {exc}"[:300]
