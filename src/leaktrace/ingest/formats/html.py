"""HTML pages as visible text (stdlib html.parser); script and style are dropped.

Offsets are into the UTF-8 of the extracted text (`part="html text"`).
The encoding comes from the bytes (BOM, UTF-8, else detection), then a
`<meta charset>` when the bytes do not settle it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

from ..decode import decode_bytes, detect_bytes
from ..units import Document, ReadResult, TextBlock, Unit, Unreadable

MAX_HTML_BYTES = 64 << 20
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "section", "article", "header", "footer", "ul", "ol", "dd", "dt", "pre", "title"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextParser(HTMLParser):
    """Collects visible text; block elements and table cells become separators."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """Visible text of an HTML string, one line per block element."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n[ \t\r\n]*\n", "\n", text).strip() + "\n"


def html_encoding(data: bytes) -> str:
    """Encoding of HTML bytes: BOM/UTF-8 from the bytes, else a meta charset, else detection."""
    detected = detect_bytes(data[:65536])
    if detected.startswith("utf"):
        return detected
    m = _META_CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        return "gb18030" if name in ("gb2312", "gbk", "gb18030") else name
    return detected


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """The page's visible text as one `TextBlock`."""
    if doc.size > MAX_HTML_BYTES:
        yield Unreadable(f"HTML of {doc.size} bytes exceeds {MAX_HTML_BYTES}")
        return
    with doc.open() as fh:
        data = fh.read()
    try:
        markup, result.encoding = decode_bytes(data, html_encoding(data))
    except LookupError:
        markup, result.encoding = decode_bytes(data)
    text = html_text(markup)
    result.text_bytes = len(text.encode("utf-8"))
    yield TextBlock(text=text, byte_offset=0, encoding="utf-8", part="html text")
