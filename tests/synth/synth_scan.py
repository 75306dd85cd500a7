"""An independent, deliberately simple scanner used to check the generator's findings truth.

It opens every evidence document the way the eval README defines them (archive members with
``!``; spreadsheets, DOCX, PDF, SQLite as single documents), decodes, applies NFKC and extracts
valid identifiers with plain regular expressions.
"""
from __future__ import annotations

import bz2
import email
import gzip
import io
import lzma
import re
import sqlite3
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from leaktrace.synth import ids

ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
MOB_RE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+86|0086|\(\+86\))[ -]?)?(1\d{2})[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")
CARD_RE = re.compile(r"(?<![0-9A-Za-z])(62\d{14}(?:\d{3})?|62\d{2}([ -])\d{4}\2\d{4}\2\d{4}(?:\2\d{3})?)(?![0-9A-Za-z])")
MAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def decode(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    if data and data[1::2].count(0) > len(data) // 8:
        return data.decode("utf-16-le")
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return None


def identifiers(text: str) -> set[tuple[str, str]]:
    text = unicodedata.normalize("NFKC", text)
    out = set()
    for m in ID_RE.finditer(text):
        v = m.group(1).upper()
        if len(v) == 15:
            if v.isdigit():
                body = v[:6] + "19" + v[6:]
                v = body + ids.id_check(body)
            else:
                continue
        if ids.id_ok(v):
            out.add(("cn_id", v))
    for m in MOB_RE.finditer(text):
        v = "".join(m.groups())
        if ids.mobile_ok(v):
            out.add(("cn_mobile", v))
    for m in CARD_RE.finditer(text):
        v = re.sub(r"[ -]", "", m.group(1))
        if ids.card_ok(v):
            out.add(("bank_card", v))
    for m in MAIL_RE.finditer(text):
        out.add(("email", m.group(0).lower()))
    return out


def _table_text(name: str, data: bytes) -> str:
    low = name.lower()
    if low.endswith((".xlsx", ".xls", ".ods")):
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return "\n".join("\t".join(str(c) for c in row) for s in wb.sheet_names for row in wb.get_sheet_by_name(s).to_python())
    if low.endswith(".docx"):
        import docx
        d = docx.Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        parts += ["\t".join(c.text for c in row.cells) for t in d.tables for row in t.rows]
        return "\n".join(parts)
    if low.endswith(".pdf"):
        from pypdf import PdfReader
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if low.endswith(".db"):
        with tempfile.NamedTemporaryFile(suffix=".db") as f:
            f.write(data)
            f.flush()
            db = sqlite3.connect(f.name)
            rows = []
            for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
                rows += ["\t".join(map(str, r)) for r in db.execute(f"SELECT * FROM {t}")]
            db.close()
        return "\n".join(rows)
    raise KeyError(name)


def documents(path: str, data: bytes):
    """Yield (document path, text) for a file or container, recursing into members."""
    low = path.lower()
    if low.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for i in z.infolist():
                if not i.is_dir():
                    yield from documents(f"{path}!{i.filename}", z.read(i))
        return
    if low.endswith((".tar", ".tar.gz", ".tgz")):
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for m in t.getmembers():
                if m.isfile():
                    yield from documents(f"{path}!{m.name}", t.extractfile(m).read())
        return
    for ext, fn in ((".gz", gzip.decompress), (".bz2", bz2.decompress), (".xz", lzma.decompress)):
        if low.endswith(ext):
            inner = path.rsplit("/", 1)[-1][: -len(ext)]
            yield from documents(f"{path}!{inner}", fn(data))
            return
    if low.endswith(".7z"):
        import py7zr
        with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(io.BytesIO(data)) as z:
            z.extractall(tmp)
            for f in sorted(Path(tmp).rglob("*")):
                if f.is_file():
                    yield from documents(f"{path}!{f.relative_to(tmp).as_posix()}", f.read_bytes())
        return
    if low.endswith(".eml"):
        msg = email.message_from_bytes(data)
        head = "\n".join(f"{k}: {v}" for k, v in msg.items())
        body = []
        for part in msg.walk():
            fn = part.get_filename()
            if fn:
                yield from documents(f"{path}!{fn}", part.get_payload(decode=True))
            elif part.get_content_maintype() == "text":
                body.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
        yield path, head + "\n" + "\n".join(body)
        return
    if low.endswith((".xlsx", ".xls", ".ods", ".docx", ".pdf", ".db")):
        yield path, _table_text(path, data)
        return
    text = decode(data)
    yield path, text if text is not None else ""


def scan(evidence: Path, skip: set[str]) -> dict[str, set]:
    """Document path -> identifiers found, for every file under ``evidence`` not in ``skip``."""
    out = {}
    for f in sorted(evidence.rglob("*")):
        rel = f.relative_to(evidence).as_posix()
        if f.is_file() and rel not in skip:
            for doc, text in documents(rel, f.read_bytes()):
                out[doc] = identifiers(text)
    return out
