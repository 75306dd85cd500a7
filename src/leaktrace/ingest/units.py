"""What ingestion hands to detection: documents, text blocks, table batches, embedded members.

A *document* is one file or archive member, addressed by its forensic path
(`holder/dir/a.zip!b/c.csv`). A format reader turns a document into a stream of
units: `TextBlock` (decoded text with its byte offset in the document),
`TableBatch` (string cells, as rows or Arrow columns, with their sheet and row numbers) and
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
    data: bytes | None = None      # the whole content, when it is held in memory (what `open` serves)
    source: str | None = None      # where it is on disk, for a file on disk (its siblings may matter)


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


class TableBatch:
    """Rows of one table (sheet, SQL table, CSV) as string cells, given as rows or as columns.

    `columns` are header names (generated `col1`, `col2`… when there is no
    header row, with `has_header` False). `rows` are lists of str (None for a
    missing cell); a reader that has the cells column-wise gives `arrays`
    instead (one Arrow string array per column), and `rows` is made from them
    when asked for. `first_row` is the 1-based row number of the first row in the
    sheet or file as a human reads it (header row counted).
    """

    def __init__(self, table: str, columns: list[str], first_row: int,
                 rows: list[list[str | None]] | None = None, arrays: list | None = None,
                 has_header: bool = True, title: str = ""):
        self.table = table             # sheet / SQL table name; "" for a single-table file
        self.columns = columns
        self.first_row = first_row
        self.has_header = has_header
        self.title = title             # text above the header (title rows), if any
        self.arrays = arrays
        self._rows = rows

    @property
    def rows(self) -> list[list[str | None]]:
        if self._rows is None:
            self._rows = [list(r) for r in zip(*(a.to_pylist() for a in self.arrays))]
        return self._rows

    def __len__(self) -> int:
        if self._rows is None:
            return len(self.arrays[0]) if self.arrays else 0
        return len(self._rows)

    def __repr__(self) -> str:
        return f"TableBatch({self.table!r}, {len(self.columns)} columns, {len(self)} rows from {self.first_row})"


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
