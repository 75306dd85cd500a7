"""Helpers shared by the format readers: whole documents, batching rows, cell values as text."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from itertools import islice
from typing import Any, Iterable, Iterator

from ..decode import SAMPLE_SIZE, detect_bytes, detect_encoding
from ..units import Document, ReadResult, TableBatch, Unit, Unreadable
from .header import widen

BATCH_ROWS = 10_000


def whole_bytes(doc: Document, limit: int, what: str) -> bytes | Unreadable:
    """All of a document's bytes, for a reader that needs them at once, or why not: more than
    `limit` bytes of `what` are not read whole."""
    if doc.size > limit:
        return Unreadable(f"{what} of {doc.size} bytes exceeds {limit}")
    if doc.data is not None:   # a small file is already in memory
        return doc.data
    with doc.open() as fh:
        return fh.read()


def valid_text(text: str) -> str:
    """Extracted text as valid Unicode: UTF-16 surrogate pairs (from RTF `\\u` escapes, PDF font maps)
    joined into their characters, lone surrogates replaced by U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def as_text_instead(doc: Document, result: ReadResult, why: Unreadable) -> Iterator[Unit]:
    """`why` (the document is too big for its reader), then the document read as plain text, streamed."""
    from . import text

    yield Unreadable(f"{why.reason}; read as plain text instead")
    yield from text.read(doc, result)


def document_encoding(doc: Document, fh) -> str:
    """The document's encoding (`decode.detect_encoding` on `fh`, a fresh stream of it). A small
    document in memory is the very head the sniffer saw: its detection is remembered, not redone."""
    if doc.data is not None and len(doc.data) <= SAMPLE_SIZE:
        return detect_bytes(doc.data)
    return detect_encoding(fh, doc.size)


def cell_text(value: Any) -> str | None:
    """A cell value as the text a person sees: no float artefacts, ISO dates.

    Integral floats print without `.0` or an exponent, with exactly the digits
    the file stored (`1.38001380001e10` -> `13800138000`); `None` stays `None`.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def float_text(value: float) -> str:
    """Shortest exact decimal text of a float, never in exponent form."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value.is_integer():
        return str(int(Decimal(repr(value))))
    return format(Decimal(repr(value)), "f")


def batches(rows: Iterable[list[str | None]], size: int = BATCH_ROWS) -> Iterator[list]:
    """Lists of up to `size` rows."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def table_batches(result: ReadResult, table: str, columns: list[str],
                  rows: Iterable[list[str | None]], first_row: int = 1,
                  has_header: bool = True, title: str = "") -> Iterator[TableBatch]:
    """One table as `TableBatch`es of contiguous rows; counts rows and the table in `result`."""
    result.tables += 1
    for chunk in batches(rows):
        width = max(map(len, chunk))
        cols = widen(columns, width)
        yield TableBatch(table=table, columns=cols, rows=chunk, first_row=first_row,
                         has_header=has_header, title=title)
        first_row += len(chunk)
        result.rows += len(chunk)


def array_batches(result: ReadResult, table: str, columns: list[str], arrays: list, first_row: int = 1,
                  has_header: bool = True, title: str = "") -> Iterator[TableBatch]:
    """One table given as Arrow string columns, as `TableBatch`es (see `table_batches`)."""
    result.tables += 1
    n = len(arrays[0]) if arrays else 0
    for start in range(0, n, BATCH_ROWS):
        k = min(BATCH_ROWS, n - start)
        yield TableBatch(table=table, columns=columns, first_row=first_row + start,
                         arrays=[a.slice(start, k) for a in arrays], has_header=has_header, title=title)
        result.rows += k
