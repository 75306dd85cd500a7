"""HTML pages as text (lxml's HTML parser, libxml2): the visible text, then what a browser does not show.

The visible text is one block (`part="html text"`); scripts, comments and attribute values
(inline page state, `mailto:`/`tel:` links, hidden inputs), which hold identifiers as often as
the text does, are a second (`part="html hidden text"`), one line each; styles are dropped.
Offsets are into the UTF-8 of the extracted text.
The encoding comes from the bytes (BOM, UTF-8, else detection), then a
`<meta charset>` when the bytes do not settle it. libxml2 parses in linear time whatever the
markup (`<a<a<a…`, which made the standard library's parser quadratic), fed in chunks.
"""

from __future__ import annotations

import io
import re
from typing import Iterator

from ..decode import decode_bytes, detect_bytes
from ..units import Document, ReadResult, TextBlock, Unit, Unreadable
from .common import as_text_instead, whole_bytes

MAX_HTML_BYTES = 64 << 20
FEED_CHARS = 1 << 20
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "section", "article", "header", "footer", "ul", "ol", "dd", "dt", "pre", "title"}
_HIDDEN_TAGS = {"script", "style", "noscript", "template"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextTarget:
    """Parser target that collects visible text (block elements and table cells become
    separators) and hidden text."""

    def __init__(self) -> None:
        self.visible = io.StringIO()    # (a list of millions of one-character strings would take 10 times the memory)
        self.unseen = io.StringIO()     # scripts, comments, attribute values: a line each
        self.hidden = 0
        self.style = False

    def start(self, tag, attrib):
        for v in attrib.values():
            if not v.startswith("data:"):
                self._unseen(v)
        self.style = tag == "style"
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.visible.write("\n")
        elif tag in ("td", "th"):
            self.visible.write("\t")

    def end(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.visible.write("\n")

    def data(self, data):
        if not self.hidden:
            self.visible.write(data)
        elif not self.style:
            self._unseen(data)

    def comment(self, text):
        self._unseen(text)

    def _unseen(self, text: str) -> None:
        text = text.strip()
        if text:
            self.unseen.write(text)
            self.unseen.write("\n")

    def close(self):
        return None


def html_text(markup: str) -> str:
    """Visible text of an HTML string, one line per block element."""
    return html_texts(markup)[0]


def html_texts(markup: str) -> tuple[str, str]:
    """(visible text, hidden text) of an HTML string: a line per block element, a line per
    script, comment or attribute value."""
    from lxml import etree

    target = _TextTarget()
    parser = etree.HTMLParser(target=target, recover=True, no_network=True, remove_comments=False,
                              remove_pis=True, huge_tree=True)
    for start in range(0, len(markup), FEED_CHARS):
        parser.feed(markup[start:start + FEED_CHARS])
    if markup:
        parser.close()
    visible = re.sub(r"\n[ \t\r\n]*\n", "\n", target.visible.getvalue()).strip() + "\n"
    return visible, target.unseen.getvalue()


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
        yield from as_text_instead(doc, result, data)
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
