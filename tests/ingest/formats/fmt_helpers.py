"""Helpers for format-reader tests: documents from files, reading everything."""

from __future__ import annotations

from pathlib import Path

from leaktrace.ingest.formats import read_document
from leaktrace.ingest.sniff import sniff_stream
from leaktrace.ingest.units import Document, TableBatch, TextBlock, Unreadable


def make_doc(path: Path) -> Document:
    return Document(path=path.name, name=path.name, size=path.stat().st_size,
                    open=lambda: open(path, "rb"))


def read_all(path: Path, fmt: str | None = None):
    """(format, units, result) of a file read end to end."""
    doc = make_doc(path)
    fmt = fmt or sniff_stream(doc.name, doc.open)
    units, result = read_document(doc, fmt)
    return fmt, list(units), result


def tables(units) -> list[TableBatch]:
    return [u for u in units if isinstance(u, TableBatch)]


def texts(units) -> list[TextBlock]:
    return [u for u in units if isinstance(u, TextBlock)]


def unreadables(units) -> list[Unreadable]:
    return [u for u in units if isinstance(u, Unreadable)]


def all_rows(units) -> list[list]:
    return [row for b in tables(units) for row in b.rows]
