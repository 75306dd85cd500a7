"""Archive and mail containers built from staged member files, with fixed times (deterministic).

``pack(kind, out, members)`` writes ``out`` from ``members`` = [(member name, file path)].
Kinds: zip, tar, tar.gz, tgz, gz, bz2, xz, 7z. Also ZipCrypto-encrypted and truncated zips
(unreadable items) and e-mail files.
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import struct
import tarfile
import zipfile
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from .writers import FIXED_TIME

MTIME = 1463736600  # 2016-05-20 09:30:00 UTC


def _zip(out: Path, members) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, path in members:
            zi = zipfile.ZipInfo(name, FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            with open(path, "rb") as src, z.open(zi, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def _tar(out: Path, members, mode: str) -> None:
    raw = open(out, "wb")
    fobj = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if mode == "gz" else raw
    with tarfile.open(fileobj=fobj, mode="w", format=tarfile.PAX_FORMAT) as t:
        dirs = sorted({n.rsplit("/", 1)[0] for n, _ in members if "/" in n})
        for d in dirs:
            ti = tarfile.TarInfo(d)
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, MTIME
            t.addfile(ti)
        for name, path in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = Path(path).stat().st_size, 0o644, MTIME
            ti.uname = ti.gname = "root"
            with open(path, "rb") as src:
                t.addfile(ti, src)
    if fobj is not raw:
        fobj.close()
    raw.close()


def _single(out: Path, members, kind: str) -> None:
    (name, path), = members
    with open(path, "rb") as src, open(out, "wb") as raw:
        if kind == "gz":
            dst = gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=MTIME)
        elif kind == "bz2":
            dst = bz2.BZ2File(raw, "wb")
        else:
            dst = lzma.LZMAFile(raw, "wb", format=lzma.FORMAT_XZ)
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.close()


def _7z(out: Path, members) -> None:
    """7z archive; py7zr stamps in-memory members with the current time, so pin that clock."""
    import py7zr
    from py7zr.helpers import ArchiveTimestamp
    now = ArchiveTimestamp.__dict__["from_now"]
    ArchiveTimestamp.from_now = classmethod(lambda cls: cls.from_datetime(MTIME))
    try:
        with py7zr.SevenZipFile(out, "w") as z:
            for name, path in members:
                z.writestr(Path(path).read_bytes(), name)
    finally:
        ArchiveTimestamp.from_now = now


def pack(kind: str, out: Path, members: list[tuple[str, Path]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "zip":
        _zip(out, members)
    elif kind in ("tar", "tar.gz", "tgz"):
        _tar(out, members, "" if kind == "tar" else "gz")
    elif kind in ("gz", "bz2", "xz"):
        _single(out, members, kind)
    elif kind == "7z":
        _7z(out, members)
    else:
        raise ValueError(kind)


# --- unreadable archives --------------------------------------------------------------------

def _crc_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


class _ZipCrypto:
    """Traditional PKWARE encryption (what ``zip -e`` produces)."""

    TABLE = _crc_table()

    def __init__(self, password: bytes):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self._update(b)

    def _crc(self, crc: int, b: int) -> int:
        return self.TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)

    def _update(self, b: int) -> None:
        k = self.k
        k[0] = self._crc(k[0], b)
        k[1] = ((k[1] + (k[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k[2] = self._crc(k[2], k[1] >> 24)

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for b in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(b ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self._update(b)
        return bytes(out)


def encrypted_zip(out: Path, members: list[tuple[str, bytes]], password: bytes, salt: bytes) -> None:
    """A stored zip whose members are ZipCrypto-encrypted (12-byte header derived from ``salt``)."""
    local, central = bytearray(), bytearray()
    dostime = (FIXED_TIME[3] << 11) | (FIXED_TIME[4] << 5)
    dosdate = ((FIXED_TIME[0] - 1980) << 9) | (FIXED_TIME[1] << 5) | FIXED_TIME[2]
    for name, data in members:
        crc = zlib.crc32(data)
        header = salt[:11].ljust(11, b"\0") + bytes([crc >> 24])
        enc = _ZipCrypto(password).encrypt(header + data)
        fname = name.encode("utf-8")
        flags = 0x1 | 0x800
        off = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, dostime, dosdate, crc, len(enc),
                             len(data), len(fname), 0) + fname + enc
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, dostime, dosdate, crc,
                               len(enc), len(data), len(fname), 0, 0, 0, 0, 0o644 << 16, off) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(local + central + end))


def truncated_zip(out: Path, members: list[tuple[str, Path]], keep: float = 0.55) -> None:
    """A zip cut short (no central directory): what an interrupted copy leaves."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _zip(out, members)
    data = out.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])


# --- e-mail ---------------------------------------------------------------------------------

def email_message(sender: str, to: str, subject: str, body: str, date: str, msgid: str,
                  attachments: list[tuple[str, bytes]] = ()) -> bytes:
    """An RFC 5322 message (fixed boundary and ids) with optional attachments."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Date"], m["Message-ID"] = sender, to, subject, date, msgid
    m.set_content(body, charset="utf-8", cte="8bit")
    for name, data in attachments:
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    if attachments:
        m.set_boundary("----=_Part_20160520_" + msgid.strip("<>").split("@")[0])
    return m.as_bytes(policy=SMTP)


def mbox(messages: list[tuple[str, bytes]]) -> bytes:
    """An mbox file: ``From `` separator lines and the messages (body lines ``From `` escaped)."""
    out = io.BytesIO()
    for sender, raw in messages:
        out.write(f"From {sender} Fri May 20 09:30:00 2016\n".encode())
        for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
            out.write((b">" + line if line.startswith(b"From ") else line) + b"\n")
    return out.getvalue()
