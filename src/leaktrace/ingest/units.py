"""What ingestion hands to detection: documents, text blocks, table batches, embedded members.

A *document* is one file or archive member, addressed by its forensic path
(`holder/dir/a.zip!b/c.csv`). A format reader turns a document into a stream of
units: `TextBlock` (decoded text with its byte offset in the document),
`TableBatch` (rows of string cells with their sheet and row numbers) and
`Member` (an embedded document, e.g. an e-mail attachment, recursed into by the
scanner like an archive member).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Callable, Iterator, Union


@dataclass
class Document:
    """One file or archive member. `open()` returns a fresh binary, seekable stream."""

    path: str                      # forensic path relative to the evidence root
    name: str                      # base name of the last path component
    size: int
    open: Callable[[], IO[bytes]]
    depth: int = 0                 # container nesting depth (0 = a file on disk)


@dataclass
class TextBlock:
    """Decoded text. `text[0]` starts at `byte_offset` in the document's bytes.

    Blocks end on a line break whenever one occurs within the block size, so a
    line lies within one block; `line` is the 1-based line number of `text[0]`.
    `encoding` is what maps character offsets inside `text` back to bytes.
    """

    text: str
    byte_offset: int
    encoding: str
    line: int = 1
    part: str = ""                 # sub-locator (PDF page, e-mail part, DOCX paragraph set)


@dataclass
class TableBatch:
    """Rows of one table (sheet, SQL table, CSV) as string cells.

    `columns` are header names (generated `col1`, `col2`… when there is no
    header row, with `has_header` False). `rows` are lists of str (None for a
    missing cell). `first_row` is the 1-based row number of `rows[0]` in the
    sheet or file as a human reads it (header row counted).
    """

    table: str                     # sheet / SQL table name; "" for a single-table file
    columns: list[str]
    rows: list[list[str | None]]
    first_row: int
    has_header: bool = True
    title: str = ""                # text above the header (title rows), if any


@dataclass
class Member:
    """An embedded document (attachment) to be recursed into."""

    name: str
    data: bytes


@dataclass
class Unreadable:
    """A part of a document that could not be read; the rest goes on."""

    reason: str


Unit = Union[TextBlock, TableBatch, Member, Unreadable]


@dataclass
class ReadResult:
    """Metadata a reader reports about a document after reading it."""

    format: str = ""
    encoding: str = ""
    rows: int = 0
    text_bytes: int = 0
    tables: int = 0
    notes: list[str] = field(default_factory=list)


UnitStream = Iterator[Unit]
