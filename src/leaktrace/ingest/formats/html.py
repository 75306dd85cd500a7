"""HTML pages as text (stdlib html.parser): the visible text, then what a browser does not show.

The visible text is one block (`part="html text"`); scripts, comments and attribute values
(inline page state, `mailto:`/`tel:` links, hidden inputs), which hold identifiers as often as
the text does, are a second (`part="html hidden text"`), one line each; styles are dropped.
Offsets are into the UTF-8 of the extracted text.
The encoding comes from the bytes (BOM, UTF-8, else detection), then a
`<meta charset>` when the bytes do not settle it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

from ..decode import decode_bytes, detect_bytes
from ..units import Document, ReadResult, TextBlock, Unit, Unreadable
from .common import whole_bytes

MAX_HTML_BYTES = 64 << 20
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "section", "article", "header", "footer", "ul", "ol", "dd", "dt", "pre", "title"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextParser(HTMLParser):
    """Collects visible text (block elements and table cells become separators) and hidden text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.unseen: list[str] = []     # scripts, comments, attribute values
        self.hidden = 0
        self.style = False

    def handle_starttag(self, tag, attrs):
        self.unseen.extend(v for _, v in attrs if v and not v.startswith("data:"))
        self.style = tag == "style"
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
        elif not self.style:
            self.unseen.append(data)

    def handle_comment(self, data):
        self.unseen.append(data)


def html_text(markup: str) -> str:
    """Visible text of an HTML string, one line per block element."""
    return html_texts(markup)[0]


def html_texts(markup: str) -> tuple[str, str]:
    """(visible text, hidden text) of an HTML string: a line per block element, a line per
    script, comment or attribute value."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    visible = re.sub(r"\n[ \t\r\n]*\n", "\n", "".join(parser.parts)).strip() + "\n"
    hidden = "\n".join(u.strip() for u in parser.unseen if u.strip())
    return visible, hidden + "\n" if hidden else ""


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
    """The page's visible text as one `TextBlock`, its hidden text as another."""
    data = whole_bytes(doc, MAX_HTML_BYTES, "HTML")
    if isinstance(data, Unreadable):
        yield data
        return
    try:
        markup, result.encoding = decode_bytes(data, html_encoding(data))
    except LookupError:
        markup, result.encoding = decode_bytes(data)
    text, hidden = html_texts(markup)
    result.text_bytes = len(text.encode("utf-8")) + len(hidden.encode("utf-8"))
    yield TextBlock(text=text, byte_offset=0, encoding="utf-8", part="html text")
    if hidden:
        yield TextBlock(text=hidden, byte_offset=0, encoding="utf-8", part="html hidden text")
