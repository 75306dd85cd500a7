"""E-mail: EML messages and MBOX mailboxes via the stdlib `email` package.

Each message yields its headers and its text/plain and text/html bodies as
`TextBlock`s (`part="headers"`, `part="body 1 (text/plain)"`; with an
`msg N: ` prefix in a mailbox), offsets into the UTF-8 of that part's text.
Attachments, and parts that are not text even when unnamed, become `Member`s; in a
mailbox their names are prefixed with the message number (`3/scan.xlsx`) so they stay unique.

Messages are parsed by the feed parser with the `compat32` policy, fed in 1 MiB chunks:
headers are kept as written and their encoded words (`=?GBK?B?…?=`) decoded here, in linear
time. The default policy's structured header parser recursed and allocated without bound on a
header of nested comments (`To: ((((…`: 1 GiB for 1 MiB) and was quadratic on long folded
headers.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from email.message import Message
from email.parser import BytesFeedParser
from email.policy import compat32
from typing import IO, Iterable, Iterator

from ..units import Document, Member, ReadResult, TextBlock, Unit, Unreadable
from .html import html_text

CHUNK_BYTES = 1 << 20
_GB = ("gb2312", "gbk", "x-gbk", "cp936")
_WORD = re.compile(r"=\?([^?\s]+)\?([qQbB])\?([^?\s]*)\?=")
_WORD_RUN = re.compile(r"(?:=\?[^?\s]+\?[qQbB]\?[^?\s]*\?=[ \t]*)+")   # adjacent encoded words
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """One message (EML) or every message of a mailbox (MBOX)."""
    result.encoding = "utf-8"
    with doc.open() as fh:
        if result.format == "mbox":
            for n, raw in enumerate(mbox_messages(fh), 1):
                yield from message_units([raw], result, prefix=f"msg {n}: ", member_dir=f"{n}/")
        else:
            yield from message_units(iter(lambda: fh.read(CHUNK_BYTES), b""), result)


def mbox_messages(fh: IO[bytes]) -> Iterator[bytes]:
    """Raw messages of an mbox stream, split at `From ` lines (one message in memory)."""
    lines: list[bytes] = []
    previous_blank = True
    for line in fh:
        if line.startswith(b"From ") and previous_blank and lines:
            yield b"".join(lines)
            lines = []
        if line.startswith(b"From ") and not lines:
            previous_blank = False
            lines.append(b"")
            continue
        if line.startswith(b">From "):
            line = line[1:]
        lines.append(line)
        previous_blank = not line.strip()
    if any(lines):
        yield b"".join(lines)


def parse(chunks: Iterable[bytes]) -> Message:
    """A message from its raw bytes, fed to the parser chunk by chunk."""
    parser = BytesFeedParser(policy=compat32)
    for chunk in chunks:
        parser.feed(chunk)
    return parser.close()


def message_units(chunks: Iterable[bytes], result: ReadResult, prefix: str = "",
                  member_dir: str = "") -> Iterator[Unit]:
    """Headers, text bodies and attachments of one raw message (given as chunks of its bytes)."""
    try:
        msg = parse(chunks)
    except Exception as exc:  # noqa: BLE001 - malformed MIME
        yield Unreadable(f"{prefix}cannot parse message: {exc}")
        return
    yield _block(_headers(msg), f"{prefix}headers", result)
    bodies = forwarded = 0
    names: set[str] = set()
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822" and part.is_multipart():  # a forwarded message: its headers too
            forwarded += 1
            yield _block(_headers(part.get_payload(0)), f"{prefix}attached message {forwarded}: headers", result)
        if part.is_multipart():
            continue
        if _is_attachment(part):
            yield from _attachment(part, member_dir, names, prefix)
            continue
        if part.get_content_maintype() != "text":
            continue
        bodies += 1
        text = _part_text(part)
        if ctype == "text/html":
            text = html_text(text)
        yield _block(text, f"{prefix}body {bodies} ({ctype})", result)


def _headers(msg: Message) -> str:
    """Every header as `Name: value`, unfolded, its encoded words and raw 8-bit text decoded."""
    return "".join(f"{key}: {header_text(value)}\n" for key, value in msg.raw_items())


def header_text(value: str) -> str:
    """A header value as text: unfolded, raw 8-bit bytes decoded (UTF-8, else GB18030), encoded words
    decoded (adjacent ones of a charset together, so a character split between them is whole)."""
    value = _FOLD.sub("", value)
    if not value.isascii():
        raw = value.encode("utf-8", "surrogateescape")   # the parser keeps raw bytes as escapes
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("gb18030", "replace")
    if "=?" not in value:
        return value
    return _WORD_RUN.sub(_decoded_run, value)


def _decoded_run(run: re.Match) -> str:
    """A run of adjacent encoded words decoded; white space between them dropped, after them kept."""
    words = run.group().rstrip(" \t")
    out: list[str] = []
    data: list[bytes] = []      # the bytes of consecutive words in one charset
    charset = ""
    for m in _WORD.finditer(words):
        if _codec(m.group(1)) != charset and data:
            out.append(b"".join(data).decode(charset, "replace"))
            data = []
        charset = _codec(m.group(1))
        data.append(_word_bytes(m))
    if data:
        out.append(b"".join(data).decode(charset, "replace"))
    return "".join(out) + run.group()[len(words):]


def _word_bytes(word: re.Match) -> bytes:
    """The bytes an encoded word encodes (base64 or Q), or the word itself when it is not valid."""
    text = word.group(3)
    try:
        if word.group(2) in "bB":
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        return quopri.decodestring(text.encode("ascii"), header=True)
    except (binascii.Error, ValueError):
        return word.group().encode("ascii")


def _codec(charset: str) -> str:
    """A Python codec for a MIME charset name (GBK/GB2312 read as GB18030; unknown ones as UTF-8)."""
    charset = charset.lower().split("*")[0]   # RFC 2231 language suffix
    if charset in _GB:
        return "gb18030"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "utf-8"


def _is_attachment(part: Message) -> bool:
    """Attached, a named file other than a plain or HTML body (an inline `list.csv`), or not text
    (an unnamed spreadsheet is a file all the same)."""
    return part.get_content_disposition() == "attachment" or part.get_content_maintype() != "text" or (
        part.get_filename() is not None and part.get_content_type() not in ("text/plain", "text/html"))


def _part_text(part: Message) -> str:
    """A text part's content, decoded with its charset (GBK/GB2312 read as GB18030)."""
    payload = part.get_payload(decode=True) or b""
    return payload.decode(_codec(part.get_content_charset() or "utf-8"), "replace")


def _attachment(part: Message, member_dir: str, names: set[str],
                prefix: str) -> Iterator[Unit]:
    """The attachment as a `Member` with a unique name within the message."""
    name = header_text(part.get_filename() or "") or f"attachment-{len(names) + 1}"
    name = name.replace("/", "_").replace("\\", "_")
    unique, k = name, 2
    while unique in names:
        unique, k = f"{k}_{name}", k + 1
    names.add(unique)
    try:
        data = part.get_payload(decode=True) or b""
    except Exception as exc:  # noqa: BLE001
        yield Unreadable(f"{prefix}attachment {name}: {exc}")
        return
    yield Member(name=member_dir + unique, data=data)


def _block(text: str, part: str, result: ReadResult) -> TextBlock:
    result.text_bytes += len(text.encode("utf-8"))
    return TextBlock(text=text, byte_offset=0, encoding="utf-8", part=part)
