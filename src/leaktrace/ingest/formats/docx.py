"""Word documents (DOCX) via python-docx.

Paragraphs become `TextBlock`s (one per run of paragraphs up to ~64 KiB, with
`part="paragraphs N-M"`); byte offsets are into the UTF-8 of the extracted
text of that part, not the zip. Tables become `TableBatch`es named `table N`.
"""

from __future__ import annotations

from typing import Iterator

from ..units import Document, ReadResult, TextBlock, Unit, Unreadable
from .common import table_batches
from .header import column_names, detect_layout

BLOCK_CHARS = 64 << 10


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Paragraph text and tables of the document body."""
    import docx

    try:
        with doc.open() as fh:
            document = docx.Document(fh)
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zip errors
        yield Unreadable(f"cannot open DOCX: {exc}")
        return
    result.encoding = "utf-8"
    yield from _paragraph_blocks([p.text for p in document.paragraphs], result)
    for n, table in enumerate(document.tables, 1):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        yield from table_rows(result, f"table {n}", rows)


def _paragraph_blocks(paragraphs: list[str], result: ReadResult) -> Iterator[TextBlock]:
    """Paragraphs joined with newlines into blocks of about `BLOCK_CHARS`."""
    start, chunk, size = 1, [], 0
    for n, para in enumerate(paragraphs, 1):
        chunk.append(para)
        size += len(para) + 1
        if size >= BLOCK_CHARS or n == len(paragraphs):
            text = "\n".join(chunk) + "\n"
            result.text_bytes += len(text.encode("utf-8"))
            yield TextBlock(text=text, byte_offset=0, encoding="utf-8",
                            part=f"paragraphs {start}-{n}")
            start, chunk, size = n + 1, [], 0


def table_rows(result: ReadResult, name: str, rows: list[list[str]]) -> Iterator[Unit]:
    """A small in-memory table (DOCX, HTML) with title/header detection."""
    rows = [r for r in rows if any(c and c.strip() for c in r)]
    if not rows:
        return
    layout = detect_layout(rows)
    start = layout.title_rows
    header = rows[start] if layout.has_header else None
    body = start + (1 if layout.has_header else 0)
    columns = column_names(header, max(map(len, rows)))
    yield from table_batches(result, name, columns, rows[body:], body + 1,
                             layout.has_header, layout.title)
