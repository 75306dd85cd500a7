"""Rich Text Format documents as text (striprtf), in the code page the document declares.

Non-ASCII text in RTF is written as `\\'hh` byte escapes in the code page of `\\ansicpg`
(936 for simplified Chinese) or as `\\uN` escapes; read as plain text, the escapes stand
right against the digits of an identifier. Offsets are into the UTF-8 of the extracted
text (`part="rtf text"`).
"""

from __future__ import annotations

import re
from typing import Iterator

from ..units import Document, ReadResult, TextBlock, Unit, Unreadable
from .common import as_text_instead, valid_text, whole_bytes

MAX_RTF_BYTES = 64 << 20
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_CODECS = {936: "gb18030", 950: "big5hkscs", 65001: "utf-8"}


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """The document's text as one `TextBlock`."""
    from striprtf.striprtf import rtf_to_text

    data = whole_bytes(doc, MAX_RTF_BYTES, "RTF")
    if isinstance(data, Unreadable):
        yield from as_text_instead(doc, result, data)
        return
    result.encoding = code_page(data)
    text = valid_text(rtf_to_text(data.decode("latin-1"), encoding=result.encoding, errors="replace"))
    result.text_bytes = len(text.encode("utf-8"))
    yield TextBlock(text=text if text.endswith("\n") else text + "\n", byte_offset=0, encoding="utf-8",
                    part="rtf text")


def code_page(data: bytes) -> str:
    """The codec of the document's `\\ansicpg` (Windows-1252 when it declares none)."""
    m = _CODE_PAGE.search(data, 0, 4096)
    if not m:
        return "cp1252"
    number = int(m.group(1))
    name = _CODECS.get(number, f"cp{number}")
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name
