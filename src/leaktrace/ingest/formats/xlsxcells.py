"""An XLSX workbook read cell by cell as text: the fallback when calamine cannot read it.

calamine builds each sheet as a dense grid from its corner cells, so a sheet with
cells A1 and XFD1048576 asks for 17 billion cells and aborts the process. This
reader streams each sheet's XML instead (no grid, no entity expansion) and gives
one line per non-empty cell, `REF<TAB>value`, in a TextBlock per sheet chunk:
identifiers are found, though not as table columns.
"""

from __future__ import annotations

import zipfile
from typing import Iterator
from xml.etree.ElementTree import iterparse

from ..units import Document, ReadResult, TextBlock, Unit, Unreadable

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
BLOCK_CHARS = 1 << 20


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Each sheet's cells as text lines."""
    result.format = "xlsx"
    try:
        book = zipfile.ZipFile(doc.open())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Unreadable(f"cannot open workbook as a zip: {exc}")
        return
    with book:
        names = book.namelist()
        strings = _shared_strings(book) if "xl/sharedStrings.xml" in names else []
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        for sheet in sheets:
            result.tables += 1
            yield from _sheet_blocks(book, sheet, strings, result)


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    out = []
    with book.open("xl/sharedStrings.xml") as f:
        for _, el in iterparse(f):
            if el.tag == _NS + "si":
                out.append("".join(t.text or "" for t in el.iter(_NS + "t")))
                el.clear()
    return out


def _sheet_blocks(book: zipfile.ZipFile, sheet: str, strings: list[str], result: ReadResult) -> Iterator[Unit]:
    part = sheet.rsplit("/", 1)[-1].removesuffix(".xml")
    lines: list[str] = []
    size = offset = 0
    with book.open(sheet) as f:
        for _, el in iterparse(f):
            if el.tag != _NS + "c":
                if el.tag == _NS + "row":
                    el.clear()
                continue
            value = _cell_value(el, strings)
            if value:
                line = f"{el.get('r', '?')}\t{value}"
                lines.append(line)
                size += len(line) + 1
                result.rows += 1
            if size >= BLOCK_CHARS:
                yield _block(lines, offset, part, result)
                offset += size
                lines, size = [], 0
    if lines:
        yield _block(lines, offset, part, result)


def _cell_value(el, strings: list[str]) -> str:
    kind = el.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in el.iter(_NS + "t"))
    v = el.find(_NS + "v")
    if v is None or v.text is None:
        return ""
    if kind == "s":
        try:
            return strings[int(v.text)]
        except (ValueError, IndexError):
            return ""
    return v.text


def _block(lines: list[str], offset: int, part: str, result: ReadResult) -> TextBlock:
    text = "\n".join(lines) + "\n"
    result.text_bytes += len(text.encode("utf-8"))
    return TextBlock(text=text, byte_offset=offset, encoding="utf-8", part=part)
