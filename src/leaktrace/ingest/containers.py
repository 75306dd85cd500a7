"""Archives as containers of documents: zip, tar (any compression), gz/bz2/xz, 7z.

Each member becomes a `Document` whose forensic path is `parent!member`. Member
names are labels only: nothing is ever written to a path taken from an archive.
Members are materialised into spooled temporary files (memory up to a small
size, then disk), so memory does not grow with member size. One `Budget` per
evidence file, shared by every container nested in it, bounds expanded bytes,
members and time; compression ratios are checked as members stream, from the
first megabyte; overlapping zip entries are refused unread. Bombs stop with a
recorded reason; encrypted and damaged members are reported while readable
ones go on.
"""

from __future__ import annotations

import bz2
import io
import lzma
import struct
import tarfile
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

from .units import Document
from .walk import display_name

SPOOL_BYTES = 16 << 20
CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds that stop archive bombs: per member, and per evidence file (its `Budget`)."""

    max_depth: int = 8
    max_member_bytes: int = 32 << 30        # one expanded member
    max_ratio: int = 1000                   # expanded / compressed bytes of a stream, once past ratio_floor
    ratio_floor: int = 1 << 20
    min_total_bytes: int = 1 << 30          # an evidence file may expand to the larger of this ...
    total_ratio: int = 200                  # ... and this many times its own size, all nesting included
    max_members: int = 1_000_000            # archive members of one evidence file, all nesting included
    min_seconds: float = 600.0              # time for one evidence file: this ...
    bytes_per_second: int = 1 << 20         # ... plus its size read at this rate

    def budget(self, size: int) -> "Budget":
        """The budget of an evidence file of `size` bytes."""
        return Budget(self, bytes_left=max(self.min_total_bytes, self.total_ratio * size),
                      members_left=self.max_members,
                      deadline=time.monotonic() + self.min_seconds + size / self.bytes_per_second)


@dataclass
class Budget:
    """What an evidence file and every container nested in it may still expand, hold and take."""

    limits: Limits
    bytes_left: int
    members_left: int
    deadline: float
    spent: str = ""                       # why it ran out, once it has

    def exhausted(self) -> str:
        """Why nothing more of this evidence file may be read ("" while something may)."""
        if not self.spent and time.monotonic() > self.deadline:
            self.spent = (f"time budget of this evidence file used up ({self.limits.min_seconds:.0f} s "
                          f"+ 1 s per {self.limits.bytes_per_second >> 20} MB)")
        return self.spent

    def take_member(self) -> None:
        if self.members_left <= 0:
            self.spent = self.spent or f"more than {self.limits.max_members} archive members in one evidence file"
            raise LimitExceeded(self.spent)
        self.members_left -= 1


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
    label = display_name(name).replace("\\", "/").lstrip("/")
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
    """Copies a stream into a spooled temp file, enforcing the limits and the evidence file's budget."""

    def __init__(self, limits: Limits, budget: Budget, tmp_dir: str | None = None):
        self.limits = limits
        self.budget = budget
        self.tmp_dir = tmp_dir

    def copy(self, src: IO[bytes], compressed: int | Callable[[], int] | None = None) -> IO[bytes]:
        """`src` copied out; `compressed` is its compressed size, or a count of compressed bytes read so far."""
        self.budget.take_member()
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, prefix="leaktrace-", dir=self.tmp_dir)
        total = 0
        try:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                self._check(total, compressed() if callable(compressed) else compressed)
                out.write(chunk)
        except BaseException:
            out.close()
            raise
        finally:
            self.budget.bytes_left -= total
        out.seek(0)
        return out

    def _check(self, total: int, compressed: int | None) -> None:
        lim, budget = self.limits, self.budget
        if total > lim.max_member_bytes:
            raise LimitExceeded(f"expanded size over {lim.max_member_bytes} bytes")
        if total > budget.bytes_left:
            budget.spent = budget.spent or ("expansion budget of this evidence file used up (the larger of "
                                            f"{lim.min_total_bytes >> 20} MB and {lim.total_ratio} times its size)")
            raise LimitExceeded(budget.spent)
        if compressed is not None and total > lim.ratio_floor and total > lim.max_ratio * max(compressed, 1):
            raise LimitExceeded(f"compression ratio over {lim.max_ratio}:1 (archive bomb)")
        if reason := budget.exhausted():
            raise LimitExceeded(reason)


class _Counted(io.RawIOBase):
    """A reader that counts the bytes read through it (compressed input, for ratio checks)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        b[: len(data)] = data
        self.count += len(data)
        return len(data)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()
        super().close()


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


def members(doc: Document, fmt: str, limits: Limits = Limits(), budget: Budget | None = None,
            tmp_dir: str | None = None) -> Iterator[Item]:
    """The members of a container document, in archive order, within `budget` (that of the evidence
    file the container lies in; a budget of its own when not given). Spools go to `tmp_dir`."""
    spool = _Spool(limits, budget or limits.budget(doc.size), tmp_dir)
    reader = {"zip": _zip_members, "tar": _tar_members, "gzip": _single_members,
              "bzip2": _single_members, "xz": _single_members, "7z": _7z_members}[fmt]
    yield from reader(doc, fmt, spool)


def _zip_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    stream = doc.open()
    try:
        _check_zip_end(stream, doc.size, spool.limits.max_members)
        zf = zipfile.ZipFile(stream)
    except LimitExceeded as exc:
        yield Failed("", str(exc))
        return
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        yield Failed("", f"damaged zip ({exc}); members recovered from local headers")
        yield from _zip_local_headers(doc, spool)
        return
    with zf:
        if overlap := _overlapping(zf.infolist()):
            yield Failed("", f"overlapping zip entries ({overlap}): a zip bomb; not expanded")
            return
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
                    data = spool.copy(src, min(info.compress_size, doc.size))
            except LimitExceeded as exc:
                yield Failed(name, str(exc), info.file_size)
                if spool.budget.spent:
                    return
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError,
                    ValueError) as exc:
                yield Failed(name, f"damaged member: {exc}", info.file_size)
                continue
            yield _member(doc, name, data)


_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_EOCD = b"PK\x05\x06"


def _check_zip_end(stream: IO[bytes], size: int, max_members: int) -> None:
    """The end-of-central-directory record must end the file (after its comment), and declare no more
    members than the budget allows (zipfile would build them all in memory first).

    A truncated zip that holds a stored zip would otherwise be read through the
    inner archive's directory, as if it were the outer one.
    """
    tail_len = min(size, 22 + 65535)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    pos = tail.rfind(_EOCD)
    if pos < 0 or len(tail) < pos + 22:
        raise zipfile.BadZipFile("end of central directory not found")
    entries, comment_len = struct.unpack_from("<H", tail, pos + 10)[0], struct.unpack_from("<H", tail, pos + 20)[0]
    if pos + 22 + comment_len != len(tail):
        raise zipfile.BadZipFile("end of central directory does not end the file (truncated?)")
    if entries == 0xFFFF and pos >= 20 and tail[pos - 20:pos - 16] == b"PK\x06\x07":   # zip64: its own record
        (end64,) = struct.unpack_from("<Q", tail, pos - 12)
        stream.seek(min(end64, size))
        record = stream.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries = struct.unpack_from("<Q", record, 32)[0]
    if entries > max_members:
        raise LimitExceeded(f"zip declares {entries} members, more than the {max_members} allowed")
    stream.seek(0)


def _overlapping(infos: list[zipfile.ZipInfo]) -> str:
    """Two entries whose data overlap (a bomb that reuses one compressed kernel), named; "" if none."""
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size, i.orig_filename) for i in infos)
    for (start, end, name), (nstart, _, nname) in zip(spans, spans[1:]):
        if end > nstart:
            return f"{member_label(name)} overlaps {member_label(nname)}"
    return ""


def _zip_local_headers(doc: Document, spool: _Spool) -> Iterator[Item]:
    """Recover members of a zip whose central directory is missing (truncated)."""
    with _whole(doc) as raw:
        yield from _local_members(doc, spool, raw)


def _whole(doc: Document):
    """A damaged document's bytes as one buffer: its bytes in memory, or its file mapped (never a
    copy of a large file in memory)."""
    import contextlib
    import mmap

    if doc.data is not None:
        return contextlib.nullcontext(doc.data)
    f = doc.open()
    try:
        fileno = f.fileno()
    except (OSError, io.UnsupportedOperation, AttributeError):
        fileno = None
    if fileno is None or doc.size == 0:
        with f:
            return contextlib.nullcontext(f.read(SPOOL_BYTES * 4))
    mapped = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
    f.close()
    return contextlib.closing(mapped)


def _local_members(doc: Document, spool: _Spool, raw) -> Iterator[Item]:
    """Members found by their local headers in `raw` (bytes or a mapped file)."""
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
                payload = io.BytesIO(raw[data_start:data_start + csize])
                if method == 8:
                    payload = _Inflating(payload)
                elif method != 0:
                    raise ValueError(f"compression method {method} not supported")
                yield _member(doc, name, spool.copy(payload, csize))
            except (zlib.error, ValueError, LimitExceeded) as exc:
                yield Failed(name, f"damaged member: {exc}", usize)
        pos = nxt


class _Inflating(io.RawIOBase):
    """Raw deflate data inflated as it is read (no output sized from a declared length)."""

    def __init__(self, src: IO[bytes]):
        self.src = src
        self.z = zlib.decompressobj(-15)

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        out = self.z.decompress(self.z.unconsumed_tail or self.src.read(CHUNK), len(b))
        while not out and not self.z.eof and (more := self.z.unconsumed_tail or self.src.read(CHUNK)):
            out = self.z.decompress(more, len(b))
        b[: len(out)] = out
        return len(out)


class _BoundedTarInfo(tarfile.TarInfo):
    """Tar headers whose long names and pax records are refused past 1 MB (tarfile reads them whole,
    sized from the header)."""

    def _proc_gnulong(self, tf):
        self._bounded()
        return super()._proc_gnulong(tf)

    def _proc_pax(self, tf):
        self._bounded()
        return super()._proc_pax(tf)

    def _bounded(self) -> None:
        if self.size > 1 << 20:
            raise tarfile.HeaderError(f"tar header extension of {self.size} bytes (over 1 MB)")


def _tar_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    raw = _Counted(doc.open())
    try:
        tf = tarfile.open(fileobj=raw, mode="r:*", tarinfo=_BoundedTarInfo)
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
                data = spool.copy(src, lambda: raw.count)
            except LimitExceeded as exc:
                yield Failed(info.name, str(exc), info.size)
                if spool.budget.spent:
                    return
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
    raw = _Counted(doc.open())
    try:
        with opener(raw) as src:
            data = spool.copy(src, lambda: raw.count)
    except LimitExceeded as exc:
        yield Failed(name, str(exc))
        return
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        yield Failed("", f"damaged {fmt} stream: {exc}")
        return
    yield _member(doc, name, data)


def _7z_members(doc: Document, fmt: str, spool: _Spool) -> Iterator[Item]:
    from . import sevenzip

    for entry in sevenzip.members(doc.open(), spool._check):
        if isinstance(entry, Failed):
            yield entry
            continue
        member = _member(doc, *entry)
        spool.budget.bytes_left -= member.size
        try:
            spool.budget.take_member()
        except LimitExceeded as exc:
            yield Failed(entry[0], str(exc), member.size)
            return
        yield member
