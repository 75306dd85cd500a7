"""Spreadsheets (XLSX, XLSM, XLS, ODS) via python-calamine, with xlrd as the XLS fallback.

Every sheet is a table; title rows and the header row are detected by
`header.detect_layout`; `first_row` is the sheet row number (1-based, as the
spreadsheet program shows it). Cells become text without float artefacts and
dates become ISO text (see `common.cell_text`). A sheet that cannot be read is reported
(`Unreadable` naming it) and the sheets after it are read.
"""

from __future__ import annotations

from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator

from ..units import Document, ReadResult, Unit, Unreadable
from .common import cell_text, table_batches
from .header import column_names, detect_layout

LAYOUT_ROWS = 60


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Every sheet of the workbook as `TableBatch`es."""
    try:
        sheets = _calamine_sheets(_calamine_book(doc))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        if result.format != "xls":
            yield Unreadable(f"cannot open workbook: {exc}")
            return
        try:
            sheets = [(name, lambda rows=rows: rows) for name, rows in _xlrd_sheets(doc)]
        except Exception as exc2:  # noqa: BLE001
            if "Can't find workbook" in str(exc2) and _encrypted_office(doc):
                yield Unreadable("encrypted Office document (password required)")
                return
            if "Can't find workbook" in str(exc2):   # an OLE2 file, but no workbook: a document's text runs
                from . import ole

                result.format = "ole"
                result.notes.append("OLE2 compound file without a workbook: its text runs read")
                yield from ole.read(doc, result)
                return
            yield Unreadable(f"cannot open workbook: {exc}; xlrd: {exc2}")
            return
    for name, rows in sheets:
        try:
            yield from sheet_batches(result, name, rows())
        except Exception as exc:  # noqa: BLE001 - one bad sheet does not lose the others
            yield Unreadable(f"sheet {name}: {type(exc).__name__}: {exc}; the rest of the sheet was not read")


_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")   # the stream of a password-protected OOXML file


def _encrypted_office(doc: Document) -> bool:
    """An OLE2 file holding an encrypted OOXML package (its directory names the stream; looked for in
    the first 4 MiB)."""
    with doc.open() as fh:
        return _ENCRYPTED_PACKAGE in fh.read(4 << 20)


def _calamine_book(doc: Document) -> Any:
    from python_calamine import CalamineWorkbook

    with doc.open() as fh:
        return CalamineWorkbook.from_filelike(fh)


def _calamine_sheets(book: Any) -> list[tuple[str, Callable[[], Iterable[list[Any]]]]]:
    """(sheet name, a function giving its rows from A1, streamed) for each sheet."""
    return [(name, lambda name=name: book.get_sheet_by_name(name).iter_rows()) for name in book.sheet_names]


def _xlrd_sheets(doc: Document) -> Iterator[tuple[str, list[list[Any]]]]:
    """(sheet name, rows) for each sheet of an XLS workbook, read by xlrd."""
    import xlrd

    with doc.open() as fh:
        book = xlrd.open_workbook(file_contents=fh.read())
    for sheet in book.sheets():
        yield sheet.name, [[_xlrd_value(c, book.datemode) for c in sheet.row(r)]
                           for r in range(sheet.nrows)]


def _xlrd_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _texts(rows: Iterable[list[Any]]) -> Iterator[list[str | None]]:
    """Rows with cells as text; empty strings become None."""
    for row in rows:
        yield [None if v is None or v == "" else cell_text(v) for v in row]


def sheet_batches(result: ReadResult, name: str, rows: Iterable[list[Any]]) -> Iterator[Unit]:
    """One sheet as batches after its title and header rows; rows are streamed, blank rows dropped."""
    it = iter(rows)
    head = list(islice(it, LAYOUT_ROWS))
    while head and _blank(head[-1]):
        head.pop()
    if not head:
        return
    layout = detect_layout(list(_texts(head)))
    start = layout.title_rows
    header = next(_texts([head[start]])) if layout.has_header else None
    body = start + (1 if layout.has_header else 0)
    width = max(len(r) for r in head)
    columns = column_names(header, width)
    rest = chain(head[body:], it)
    yield from table_batches(result, name, columns, _texts(rest), first_row=body + 1,
                             has_header=layout.has_header, title=layout.title)


def _blank(row: list[Any]) -> bool:
    return all(v is None or v == "" for v in row)
