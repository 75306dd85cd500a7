"""PDF text via pypdf, one `TextBlock` per page with `part="page N"`.

Offsets are into the UTF-8 of the page's extracted text. A PDF that cannot be
opened (damaged, encrypted) yields one `Unreadable`; a page that fails yields
an `Unreadable` naming the page and the rest goes on.
"""

from __future__ import annotations

from typing import Iterator

from ..units import Document, ReadResult, TextBlock, Unit, Unreadable
from .common import valid_text


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Extracted text of every page."""
    from pypdf import PdfReader

    try:
        fh = doc.open()
        reader = PdfReader(fh)
        if reader.is_encrypted and not reader.decrypt(""):
            yield Unreadable("encrypted PDF")
            return
        pages = reader.pages
        count = len(pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many error types
        yield Unreadable(f"cannot open PDF: {exc}")
        return
    result.encoding = "utf-8"
    with fh:
        for n in range(count):
            yield from _page(pages, n, result)


def _page(pages, n: int, result: ReadResult) -> Iterator[Unit]:
    try:
        text = valid_text(pages[n].extract_text() or "")
    except Exception as exc:  # noqa: BLE001
        yield Unreadable(f"page {n + 1}: {exc}")
        return
    if text.strip():
        result.text_bytes += len(text.encode("utf-8"))
        yield TextBlock(text=text, byte_offset=0, encoding="utf-8", part=f"page {n + 1}")
