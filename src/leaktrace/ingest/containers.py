"""Archives as containers of documents: zip, tar (any compression), gz/bz2/xz, 7z.

Each member becomes a `Document` whose forensic path is `parent!member`. Member
names are labels only: nothing is ever written to a path taken from an archive.
Members are materialised into spooled temporary files (memory up to a small
size, then disk), so memory does not grow with member size. Limits on nesting
depth, expanded size and compression ratio stop bombs with a recorded reason;
encrypted and damaged members are reported while readable ones go on.
"""

from __future__ import annotations

import bz2
import io
import lzma
import struct
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Callable, Iterator

from .units import Document

SPOOL_BYTES = 16 << 20
CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds that stop archive bombs."""

    max_depth: int = 8
    max_member_bytes: int = 32 << 30        # one expanded member
    max_total_bytes: int = 256 << 30        # all members of one container
    max_ratio: int = 1000                   # expanded / compressed, for members over ratio_floor
    ratio_floor: int = 64 << 20


class LimitExceeded(Exception):
    """A member grew past a limit while being expanded."""


@dataclass
class Failed:
    """A member (or the container itself, `name` empty) that could not be read."""

    name: str
    reason: str
    size: int = 0


CONTAINER_FORMATS = {"zip", "tar", "gzip", "bzip2", "xz", "7z"}


def member_label(name: str) -> str:
    """The name of a member as it appears in a forensic path (a label, not a path)."""
    label = name.replace("\\", "/").lstrip("/")
    while label.startswith("./"):
        label = label[2:]
    return label or "(unnamed)"


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Member name, decoding GBK names that were stored without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


class _Spool:
    """Copies a stream into a spooled temp file, enforcing size limits."""

    def __init__(self, limits: Limits, budget: list[int]):
        self.limits = limits
        self.budget = budget  # remaining bytes for the whole container, shared

    def copy(self, src: IO[bytes], compressed: int | None = None) -> IO[bytes]:
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        total = 0
        try:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                self._check(total, compressed)
                out.write(chunk)
        except BaseException:
            out.close()
            raise
        self.budget[0] -= total
        out.seek(0)
        return out

    def _check(self, total: int, compressed: int | None) -> None:
        lim = self.limits
        if total > lim.max_member_bytes:
            raise LimitExceeded(f"expanded size over {lim.max_member_bytes} bytes")
        if total > self.budget[0]:
            raise LimitExceeded(f"container expands past {lim.max_total_bytes} bytes")
        if compressed is not None and total > lim.ratio_floor and total > lim.max_ratio * max(compressed, 1):
            raise LimitExceeded(f"compression ratio over {lim.max_ratio}:1 (archive bomb)")


def _member(parent: Document, name: str, data: IO[bytes]) -> Document:
    """A Document over a spooled member; `open()` hands out independent readers."""
    data.seek(0, io.SEEK_END)
    size = data.tell()

    def opener() -> IO[bytes]:
        data.seek(0)
        return _Shielded(data)

    label = member_label(name)
    return Document(
        path=f"{parent.path}!{label}",
        name=label.rsplit("/", 1)[-1],
        size=size,
        open=opener,
        depth=parent.depth + 1,
    )


class _Shielded(io.RawIOBase):
    """A reader over a shared spool that does not close it and keeps its own position."""

    def __init__(self, spool: IO[bytes]):
        self._spool = spool
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self._pos
        elif whence == 2:
            self._spool.seek(0, io.SEEK_END)
            offset += self._spool.tell()
        self._pos = max(0, offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, b) -> int:
        self._spool.seek(self._pos)
        data = self._spool.read(len(b))
        b[: len(data)] = data
        self._pos += len(data)
        return len(data)


Item = Document | Failed


def members(doc: Document, fmt: str, limits: Limits = Limits()) -> Iterator[Item]:
    """The members of a container document, in archive order."""
    budget = [limits.max_total_bytes]
    spool = _Spool(limits, budget)
    reader = {"zip": _zip_members, "tar": _tar_members, "gzip": _single_members,
              "bzip2": _single_members, "xz": _single_members, "7z": _7z_members}[fmt]
    yield from reader(doc, fmt, spool)


def _zip_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    stream = doc.open()
    try:
        _check_zip_end(stream, doc.size)
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Failed("", f"damaged zip ({exc}); members recovered from local headers")
        yield from _zip_local_headers(doc, spool)
        return
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = _zip_name(info)
            if info.flag_bits & 0x1:
                yield Failed(name, "encrypted member (password required)", info.file_size)
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                yield Failed(name, "symbolic link member, not followed", info.file_size)
                continue
            try:
                with zf.open(info) as src:
                    data = spool.copy(src, info.compress_size)
            except LimitExceeded as exc:
                yield Failed(name, str(exc), info.file_size)
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                yield Failed(name, f"damaged member: {exc}", info.file_size)
                continue
            yield _member(doc, name, data)


_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_EOCD = b"PK\x05\x06"


def _check_zip_end(stream: IO[bytes], size: int) -> None:
    """The end-of-central-directory record must end the file (after its comment).

    A truncated zip that holds a stored zip would otherwise be read through the
    inner archive's directory, as if it were the outer one.
    """
    tail_len = min(size, 22 + 65535)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    pos = tail.rfind(_EOCD)
    if pos < 0 or len(tail) < pos + 22:
        raise zipfile.BadZipFile("end of central directory not found")
    comment_len = struct.unpack_from("<H", tail, pos + 20)[0]
    if pos + 22 + comment_len != len(tail):
        raise zipfile.BadZipFile("end of central directory does not end the file (truncated?)")
    stream.seek(0)


def _zip_local_headers(doc: Document, spool: _Spool) -> Iterator[Item]:
    """Recover members of a zip whose central directory is missing (truncated)."""
    with doc.open() as f:
        raw = f.read()  # damaged zips are the exception; bounded by the file size
    pos = raw.find(b"PK\x03\x04")
    while pos >= 0 and pos + _LOCAL.size <= len(raw):
        (_, _, flags, method, _, _, _, csize, usize, nlen, xlen) = _LOCAL.unpack_from(raw, pos)
        start = pos + _LOCAL.size
        name_raw = raw[start:start + nlen]
        name = name_raw.decode("utf-8" if flags & 0x800 else "gb18030", errors="replace")
        data_start = start + nlen + xlen
        complete = not flags & 0x8 and data_start + csize <= len(raw)
        nxt = raw.find(b"PK\x03\x04", data_start + csize if complete else data_start)
        if name.endswith("/"):
            pos = nxt
            continue
        if flags & 0x1:
            yield Failed(name, "encrypted member (password required)", usize)
        elif flags & 0x8 or csize == 0 and usize:
            yield Failed(name, "member sizes not in local header (data descriptor); not recoverable", usize)
        elif data_start + csize > len(raw):
            yield Failed(name, "member truncated", usize)
        else:
            try:
                payload = raw[data_start:data_start + csize]
                if method == 8:
                    payload = zlib.decompressobj(-15).decompress(payload, usize + 1)
                elif method != 0:
                    raise ValueError(f"compression method {method} not supported")
                yield _member(doc, name, spool.copy(io.BytesIO(payload), csize))
            except (zlib.error, ValueError, LimitExceeded) as exc:
                yield Failed(name, f"damaged member: {exc}", usize)
        pos = nxt


def _tar_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    try:
        tf = tarfile.open(fileobj=doc.open(), mode="r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        yield Failed("", f"damaged tar: {exc}")
        return
    with tf:
        while True:
            try:
                info = tf.next()
            except (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
                yield Failed("", f"tar damaged after the members read so far: {exc}")
                return
            if info is None:
                return
            if info.isdir():
                continue
            if not info.isfile():
                yield Failed(info.name, "link or special member, not followed", 0)
                continue
            try:
                src = tf.extractfile(info)
                data = spool.copy(src, None)
            except LimitExceeded as exc:
                yield Failed(info.name, str(exc), info.size)
                continue
            except (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
                yield Failed(info.name, f"damaged member: {exc}", info.size)
                return
            yield _member(doc, info.name, data)


_SINGLE: dict[str, tuple[str, Callable[[IO[bytes]], IO[bytes]]]] = {
    "gzip": (".gz", lambda f: _gzip_open(f)),
    "bzip2": (".bz2", lambda f: bz2.BZ2File(f)),
    "xz": (".xz", lambda f: lzma.LZMAFile(f)),
}


def _gzip_open(f: IO[bytes]) -> IO[bytes]:
    import gzip

    return gzip.GzipFile(fileobj=f)


def is_compressed_tar(doc: Document, fmt: str) -> bool:
    """True when a gz/bz2/xz document holds a tar archive (then read as a tar)."""
    suffix, opener = _SINGLE[fmt]
    try:
        with opener(doc.open()) as f:
            head = f.read(512)
    except (OSError, EOFError, zlib.error, lzma.LZMAError):
        return False
    return len(head) >= 262 and head[257:262] == b"ustar"


def _single_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    if is_compressed_tar(doc, fmt):
        yield from _tar_members(doc, "tar", spool)
        return
    suffix, opener = _SINGLE[fmt]
    name = doc.name[: -len(suffix)] if doc.name.lower().endswith(suffix) else doc.name + ".out"
    if fmt == "gzip" and doc.name.lower().endswith(".tgz"):
        name = doc.name[:-4] + ".tar"
    try:
        with opener(doc.open()) as src:
            data = spool.copy(src, doc.size)
    except LimitExceeded as exc:
        yield Failed(name, str(exc))
        return
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        yield Failed("", f"damaged {fmt} stream: {exc}")
        return
    yield _member(doc, name, data)


def _7z_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    from . import sevenzip

    for entry in sevenzip.members(doc.open(), lambda n: spool._check(n, None)):
        if isinstance(entry, Failed):
            yield entry
            continue
        member = _member(doc, *entry)
        spool.budget[0] -= member.size
        yield member
