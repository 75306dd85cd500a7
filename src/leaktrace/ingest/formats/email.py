"""E-mail: EML messages and MBOX mailboxes via the stdlib `email` package.

Each message yields its headers and its text/plain and text/html bodies as
`TextBlock`s (`part="headers"`, `part="body 1 (text/plain)"`; with an
`msg N: ` prefix in a mailbox), offsets into the UTF-8 of that part's text.
Attachments become `Member`s; in a mailbox their names are prefixed with
the message number (`3/scan.xlsx`) so they stay unique.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import IO, Iterator

from ..units import Document, Member, ReadResult, TextBlock, Unit, Unreadable
from .html import html_text


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """One message (EML) or every message of a mailbox (MBOX)."""
    result.encoding = "utf-8"
    with doc.open() as fh:
        if result.format == "mbox":
            for n, raw in enumerate(mbox_messages(fh), 1):
                yield from message_units(raw, result, prefix=f"msg {n}: ", member_dir=f"{n}/")
        else:
            yield from message_units(fh.read(), result)


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


def message_units(raw: bytes, result: ReadResult, prefix: str = "",
                  member_dir: str = "") -> Iterator[Unit]:
    """Headers, text bodies and attachments of one raw message."""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
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


def _headers(msg: EmailMessage) -> str:
    lines = []
    for key, value in msg.items():
        try:
            lines.append(f"{key}: {value}")
        except Exception:  # noqa: BLE001 - undecodable header
            lines.append(f"{key}: {msg.get_all(key, [''])[0]!r}")
    return "\n".join(lines) + "\n"


def _is_attachment(part: EmailMessage) -> bool:
    """Attached, or a named file other than a plain or HTML body (an inline `list.csv`)."""
    return part.get_content_disposition() == "attachment" or (
        part.get_filename() is not None and part.get_content_type() not in ("text/plain", "text/html"))


def _part_text(part: EmailMessage) -> str:
    """A text part's content, decoded with its charset (GBK/GB2312 read as GB18030)."""
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    if charset in ("gb2312", "gbk", "x-gbk"):
        charset = "gb18030"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _attachment(part: EmailMessage, member_dir: str, names: set[str],
                prefix: str) -> Iterator[Unit]:
    """The attachment as a `Member` with a unique name within the message."""
    name = part.get_filename() or f"attachment-{len(names) + 1}"
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
