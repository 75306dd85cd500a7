"""File-format readers: a `Document` and its sniffed format in, a stream of units out.

Every reader module exposes `read(doc, result) -> Iterator[Unit]` and fills
`result` (format, encoding, rows, tables, text_bytes) as it goes, so `result`
is complete once the stream is exhausted. Readers never raise on bad input:
what cannot be read becomes an `Unreadable` unit.

Locators: text formats give `TextBlock.byte_offset` into the document's bytes;
derived text (PDF, DOCX, HTML, e-mail bodies) gives offsets into the
extracted text, with `part` naming where it came from. `TableBatch.first_row`
is the row number a person sees: the spreadsheet/CSV record number (title and
header rows counted), the JSON Lines line number, and the 1-based record
ordinal for SQL dumps, SQLite tables, JSON arrays and vCard files.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterator

from ..sniff import CONTAINERS
from ..units import Document, ReadResult, Unit, Unreadable

Reader = Callable[[Document, ReadResult], Iterator[Unit]]


def _reader(fmt: str) -> Reader:
    """The read function for a sniffed format."""
    readers = _readers()
    return readers.get(fmt, readers["text"])


@lru_cache(maxsize=None)
def _readers() -> dict[str, Reader]:
    """Read functions by format (the reader modules imported on first use)."""
    from . import (delimited, docx, email, html, jsonfmt, ole, pdf, rtf, spreadsheet, sqldump,
                   sqlite, text, vcf, xlsxcells)

    return {
        "csv": delimited.read, "text": text.read,
        "xlsx": spreadsheet.read, "xlsm": spreadsheet.read, "xls": spreadsheet.read,
        "ods": spreadsheet.read, "json": jsonfmt.read, "jsonl": jsonfmt.read,
        "sql": sqldump.read, "sqlite": sqlite.read, "docx": docx.read, "pdf": pdf.read,
        "html": html.read, "eml": email.read, "mbox": email.read, "vcf": vcf.read, "rtf": rtf.read,
        "ole": ole.read, "xlsx_cells": xlsxcells.read,
    }


def read_document(doc: Document, fmt: str) -> tuple[Iterator[Unit], ReadResult]:
    """The unit stream of `doc` read as `fmt` (from `sniff`), and its result record.

    Containers (`zip`, `tar`, …) are not read here; `empty` yields nothing.
    Any exception a reader raises ends its stream with an `Unreadable`.
    """
    result = ReadResult(format=fmt)
    if fmt == "empty":
        return iter(()), result
    if fmt in CONTAINERS:
        result.notes.append(f"{fmt} is a container; its members are read by the walker")
        return iter(()), result
    return _guarded(_reader(fmt)(doc, result), fmt), result


def _guarded(units: Iterator[Unit], fmt: str) -> Iterator[Unit]:
    """Pass units through; turn a reader's exception into a final `Unreadable`."""
    try:
        yield from units
    except Exception as exc:  # noqa: BLE001 - bad input must never stop a run
        yield Unreadable(f"{fmt} reader failed: {type(exc).__name__}: {exc}")
