"""Format sniffing: magic bytes first, then the zip directory, content, and extension."""

from __future__ import annotations

import io
import json
import re
import zlib
import zipfile
from collections import Counter
from functools import lru_cache
from itertools import repeat
from typing import IO, Callable

from ..backends import hyperscan, use_hyperscan
from .decode import bom_length, codec_of, decode_bytes, decodes, detect_bytes, is_multibyte_legacy

HEAD_SIZE = 4096

CONTAINERS = {"zip", "tar", "gzip", "bzip2", "xz", "7z"}

_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PK\x07\x08", "zip"),
    (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"), (b"%PDF-", "pdf"),
    (b"SQLite format 3\x00", "sqlite"), (b"\x37\x7f\x06\x82", "sqlite_wal"), (b"\x37\x7f\x06\x83", "sqlite_wal"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"), (b"{\\rtf", "rtf"),
)

_EXTENSIONS = {
    "zip": "zip", "tar": "tar", "tgz": "gzip", "gz": "gzip", "bz2": "bzip2", "xz": "xz",
    "7z": "7z", "xlsx": "xlsx", "xlsm": "xlsm", "xls": "xls", "ods": "ods", "docx": "docx",
    "pdf": "pdf", "db": "sqlite", "sqlite": "sqlite", "sqlite3": "sqlite", "eml": "eml",
    "mbox": "mbox", "mbx": "mbox", "vcf": "vcf", "vcard": "vcf", "html": "html", "htm": "html",
    "xhtml": "html", "mht": "html", "json": "json", "jsonl": "jsonl", "ndjson": "jsonl",
    "sql": "sql", "csv": "csv", "tsv": "csv", "psv": "csv", "tab": "csv",
}

_TEXT_CONTROL = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}))
_NUL_RUN = re.compile(rb"\x00{16,}")
_EMAIL_HEADER = re.compile(
    rb"^(?:Received|Return-Path|From|To|Subject|Date|Message-I[Dd]|MIME-Version|"
    rb"Delivered-To|X-[\w-]+|Content-Type):[ \t]", re.M)
# A saved web page (MHTML, as Internet Explorer and QQ's message manager write it) that opens
# with MIME headers is a MIME message: its parts are decoded (quoted-printable, base64) as an e-mail's.
_WEB_ARCHIVES = ("mht", "mhtml")
# OLE2 compound files that are not spreadsheets: Word 97-2003, WPS writer and presentation,
# PowerPoint, Outlook messages, Publisher, Visio; read by their text runs (`formats/ole.py`).
_OLE_TEXT = {"doc", "dot", "wps", "wpt", "ppt", "pps", "pot", "dps", "dpt", "msg", "pub", "vsd"}
_MIME_HEAD = re.compile(rb"(?i)(?:MIME-Version|Content-Type|From|Subject|Date)[ \t]*:")
_SQL_WORDS = (b"--", b"/*!", b"CREATE TABLE", b"INSERT INTO", b"DROP TABLE", b"SET ", b"COPY ",
              b"LOCK TABLES", b"BEGIN;", b"PRAGMA ")
# `--` opens a comment, not a ruler of dashes (`-------` under a report's heading).
_SQL = re.compile(rb"^\s*(?:--(?:[^-\n]|$)|" + b"|".join(re.escape(w) for w in _SQL_WORDS if w != b"--") + rb")",
                  re.I | re.M)
_DELIMS = b",;\t|"
_LEADING_BLANK = re.compile(rb"(?:\xef\xbb\xbf|[ \t\r\n])*")

ZipOpener = Callable[[], IO[bytes]]


def extension(name: str) -> str:
    """Lower-case last extension of `name` without the dot ('' if none)."""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def sniff(name: str, head: bytes, opener: ZipOpener | None = None) -> str:
    """The format of a document from its name and first bytes (at least 4 KiB if any).

    `opener` returns a fresh seekable stream of the whole document; it is used to
    look into a zip directory (xlsx/xlsm/docx/ods are zips). Without it, a zip
    is named from its extension when that is an Office one, else `zip`.
    """
    if not head:
        return "empty"
    ext = extension(name)
    if head.startswith(b"\xef\xbb\xbf%PDF-"):   # a PDF saved by a text tool with a byte-order mark
        return "pdf"
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            if fmt == "zip":
                return _zip_kind(ext, opener)
            if fmt == "ole2":
                return "ole" if ext in _OLE_TEXT else "xls"
            return fmt
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    return _text_kind(ext, head)


def _zip_kind(ext: str, opener: ZipOpener | None) -> str:
    """xlsx/xlsm/docx/ods/zip from the member names (or the extension without an opener)."""
    if opener is None:
        return ext if ext in ("xlsx", "xlsm", "docx", "ods") else "zip"
    try:
        with opener() as fh, zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
            mimetype = _head_of(zf, "mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, EOFError):
        return "zip"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsm" if ext == "xlsm" or "xl/vbaProject.bin" in names else "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _head_of(zf: zipfile.ZipFile, name: str, size: int = 256) -> bytes:
    """The first `size` bytes of a zip member (whatever size it declares)."""
    with zf.open(name) as member:
        return member.read(size)


def is_binary(head: bytes, enc: str | None = None) -> bool:
    """Heuristic: control bytes other than whitespace in more than 1 % of the head.

    `enc` is the head's encoding (`decode.detect_bytes`), detected here when not given.
    UTF-16 text (NULs on alternate bytes) is not binary; UTF-32 text is judged by its characters;
    ISO-2022's shift bytes are not control bytes; runs of NULs (zero-filled space in a log or a
    preallocated file) are left out. Valid UTF-8 (random, compressed or encrypted bytes never
    are) and text that decodes strictly in a CJK double-byte codec are not judged by
    compressibility: random tokens and keys, and short CJK text, compress little.
    """
    enc = enc or detect_bytes(head)
    codec = codec_of(enc)
    if codec.startswith("utf-16"):
        return False
    if codec.startswith("utf-32"):
        body = head[bom_length(enc):]
        return _many_controls(body[: len(body) & ~3].decode(codec, "replace").encode("utf-8"))
    if codec.startswith("iso2022"):
        head = head.translate(None, b"\x0e\x0f")
    head = _NUL_RUN.sub(b"", head)
    if not head:
        return True
    utf8 = enc.startswith("utf-8") and decodes(head, "utf-8")
    cjk = is_multibyte_legacy(codec) and decodes(head, codec)
    if not (utf8 or cjk) and _incompressible(head):
        return True
    if _many_controls(head):
        return True
    return not utf8 and _undecodable_share(head, enc) > 0.02


def _many_controls(data: bytes) -> bool:
    """Control bytes other than white space in more than 1 % of `data` (and more than one)."""
    controls = len(data) - len(data.translate(None, _TEXT_CONTROL))
    return controls > max(1, len(data) // 100)


def _incompressible(head: bytes) -> bool:
    """Random, encrypted or compressed bytes: text in any encoding compresses well."""
    return len(head) >= 512 and len(zlib.compress(head, 1)) > 0.8 * len(head)


def _undecodable_share(head: bytes, encoding: str) -> float:
    """Share of the head's characters that do not decode in the detected encoding."""
    try:
        text = head.decode(codec_of(encoding), errors="replace")
    except LookupError:
        return 0.0
    # the head may end inside a character: ignore a replacement at the very end
    return text[:-1].count("\ufffd") / max(len(text), 1)


def _text_kind(ext: str, head: bytes) -> str:
    """Formats recognised from text content, then from the extension."""
    enc = detect_bytes(head)
    if is_binary(head, enc):
        return _EXTENSIONS.get(ext, "binary") if ext in ("sqlite", "db") else "binary"
    probe = _probe(head, enc)
    if probe.startswith(b"From ") and _EMAIL_HEADER.search(probe):
        return "mbox"
    if probe.startswith(b"BEGIN:VCARD"):
        return "vcf"
    if re.match(rb"(?i)<!doctype html|<html|<\?xml[^>]*>\s*<html", probe):
        return "html"
    if ext in _WEB_ARCHIVES and _MIME_HEAD.match(probe):
        return "eml"
    if ext in _EXTENSIONS and _EXTENSIONS[ext] not in CONTAINERS:
        return _EXTENSIONS[ext]
    if _EMAIL_HEADER.match(probe) and len(_EMAIL_HEADER.findall(probe)) >= 2:
        return "eml"
    if probe[:1] in (b"{", b"["):
        kind = _json_kind(probe)
        if kind:
            return kind
    if sql_statements(probe) >= 2:
        return "sql"
    if _consistently_delimited(probe):
        return "csv"
    return "text"


def _probe(head: bytes, enc: str) -> bytes:
    """The head as UTF-8 without leading byte-order marks and blank space (UTF-8 heads as they are)."""
    if enc in ("utf-8", "utf-8-sig") and decodes(head, "utf-8"):
        return head[_LEADING_BLANK.match(head).end():]
    text, _ = decode_bytes(head, enc)
    return text.lstrip("\ufeff \t\r\n").encode("utf-8", "replace")


def sql_statements(probe: bytes) -> int:
    """How many lines start, after blank space, with an SQL dump statement keyword (any case)."""
    db = _sql_database()
    if db is None:  # without Hyperscan: the expression, tried only on text that holds a keyword
        upper = probe.upper()
        return len(_SQL.findall(probe)) if any(w in upper for w in _SQL_WORDS) else 0
    ends: list[int] = []
    db.scan(probe, match_event_handler=lambda _id, _frm, to, _flags, _ctx: ends.append(to))
    return len(ends)  # one end per statement line: a match spans no line but its own and blank ones


@lru_cache(maxsize=None)
def _sql_database():
    """`_SQL` compiled for Hyperscan (one pass over the probe), or None where Hyperscan is unavailable."""
    if not use_hyperscan():
        return None
    db = hyperscan.Database()
    db.compile(expressions=[_SQL.pattern], ids=[0], elements=1,
               flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_MULTILINE])
    return db


def _json_kind(probe: bytes) -> str:
    """`jsonl` when the first line is a JSON object, `json` when it opens a JSON document."""
    first = probe.split(b"\n", 1)[0].strip()
    try:
        value = json.loads(first)
    except (ValueError, RecursionError):
        return "json" if re.match(rb'^(?:\[|\{|\[\s*\{|\{\s*")', first) and (
            len(first) == 1 or first[1:2] in b'{"[ \t') else ""
    return "jsonl" if isinstance(value, dict) and b"\n" in probe.strip() else "json"


def _consistently_delimited(head: bytes) -> bool:
    """True when ≥ 90 % of the head's complete lines (≥ 3) split into the same ≥ 2 fields."""
    delims = [d for d in _DELIMS if d in head]
    if not delims:
        return False
    lines = [ln for ln in head.split(b"\n")[:-1] if ln.strip()]
    if len(lines) < 3:
        return False
    for d in delims:
        mode, k = Counter(map(bytes.count, lines, repeat(d))).most_common(1)[0]
        if mode >= 1 and k >= 0.9 * len(lines):
            return True
    return False


def sniff_stream(name: str, opener: ZipOpener) -> str:
    """`sniff` reading the head from `opener` (a fresh binary stream per call)."""
    with opener() as fh:
        head = fh.read(HEAD_SIZE)
    return sniff(name, head, opener)


def sniff_bytes(name: str, data: bytes) -> str:
    """`sniff` for an in-memory document."""
    return sniff(name, data[:HEAD_SIZE], lambda: io.BytesIO(data))
