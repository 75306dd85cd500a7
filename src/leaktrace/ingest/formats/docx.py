"""Word documents (DOCX) via python-docx.

Paragraphs of the body become `TextBlock`s (one per run of paragraphs up to ~64 KiB, with
`part="paragraphs N-M"`); byte offsets are into the UTF-8 of the extracted text of that
part, not the zip. A paragraph's text is all of its text: runs, hyperlinks, tracked
insertions, content controls. Top-level tables become `TableBatch`es named `table N` (a
table nested in a cell is part of the cell's text). Page headers and footers, footnotes,
endnotes and comments are one block each, named after their part (`word/header1.xml`).
Embedded files (`word/embeddings/`: a worksheet, another document) are `Member`s.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Iterator

from ..units import Document, Member, ReadResult, TextBlock, Unit, Unreadable
from .common import table_batches
from .header import column_names, detect_layout

BLOCK_CHARS = 64 << 10
MAX_XML_PART = 128 << 20      # an XML part (parsed whole by lxml) of more is not read
MAX_PARTS_BYTES = 1 << 30     # nor a document whose parts (all loaded by python-docx) add up to more
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_TAGS = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n"}
_SIDE_PARTS = re.compile(r"word/(?:header\d*|footer\d*|footnotes|endnotes|comments)\.xml")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Paragraph text and tables of the document body."""
    import docx

    try:
        with doc.open() as fh:
            too_big = oversized(fh)
            if not too_big:
                fh.seek(0)
                document = docx.Document(fh)
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zip errors
        yield Unreadable(f"cannot open DOCX: {exc}")
        return
    if too_big:
        yield Unreadable(f"DOCX not read: {too_big}")
        return
    result.encoding = "utf-8"
    yield from _paragraph_blocks(_body_paragraphs(document.element.body), result)
    for n, table in enumerate(document.tables, 1):
        rows = [[_all_text(cell._tc).strip("\n") for cell in row.cells] for row in table.rows]
        yield from table_rows(result, f"table {n}", rows)
    yield from _side_parts(doc, result)
    yield from _embedded(doc)


def _paragraph_text(p) -> str:
    """Every piece of text of a paragraph element, tabs and breaks included."""
    return "".join(el.text or "" if _TEXT_TAGS[el.tag] is None else _TEXT_TAGS[el.tag]
                   for el in p.iter(*_TEXT_TAGS))


def _all_text(element) -> str:
    """The paragraphs under an element (a cell with its nested tables, a header), one per line."""
    return "\n".join(_paragraph_text(p) for p in element.iter(W + "p"))


def _body_paragraphs(body) -> list[str]:
    """The body's paragraphs in order, those inside block-level content controls included."""
    out = []
    for child in body.iterchildren(W + "p", W + "sdt"):
        out.extend([_paragraph_text(child)] if child.tag == W + "p" else map(_paragraph_text, child.iter(W + "p")))
    return out


def oversized(fh) -> str:
    """Why a DOCX's parts are too big to load, from the sizes its zip declares ("" when they are not).

    python-docx loads every part; the zip module never expands a member beyond its declared
    size, so declared sizes within the limits bound what is read.
    """
    with zipfile.ZipFile(fh) as zf:
        infos = zf.infolist()
    big = next((i for i in infos if i.filename.endswith((".xml", ".rels")) and i.file_size > MAX_XML_PART), None)
    if big is not None:
        return f"part {big.filename} declares {big.file_size} bytes, over the {MAX_XML_PART} byte limit"
    total = sum(i.file_size for i in infos)
    if total > MAX_PARTS_BYTES:
        return f"its parts declare {total} bytes, over the {MAX_PARTS_BYTES} byte limit"
    return ""


def _side_parts(doc: Document, result: ReadResult) -> Iterator[TextBlock]:
    """Page headers and footers, footnotes, endnotes and comments: one block each."""
    from lxml import etree

    try:
        with doc.open() as fh, zipfile.ZipFile(fh) as zf:
            parts = [(n, zf.read(n)) for n in sorted(zf.namelist()) if _SIDE_PARTS.fullmatch(n)]
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        yield Unreadable(f"cannot read DOCX headers and footers: {exc}")
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True)   # evidence may be hostile
    for name, xml in parts:
        try:
            text = _all_text(etree.fromstring(xml, parser))
        except etree.XMLSyntaxError as exc:
            yield Unreadable(f"{name}: {exc}")
            continue
        if text.strip():
            result.text_bytes += len(text.encode("utf-8")) + 1
            yield TextBlock(text=text + "\n", byte_offset=0, encoding="utf-8", part=name)


def _embedded(doc: Document) -> Iterator[Unit]:
    """Files embedded in the document (`word/embeddings/`: a worksheet, another document) as members."""
    try:
        with doc.open() as fh, zipfile.ZipFile(fh) as zf:
            for name in zf.namelist():
                if name.startswith("word/embeddings/") and not name.endswith("/"):
                    yield Member(name=name, data=zf.read(name))
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error) as exc:
        yield Unreadable(f"cannot read DOCX embedded files: {exc}")


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
