"""Delimited text tables (CSV, TSV, `;`/`|` separated), streamed with the stdlib csv module.

The delimiter is chosen from a sample of records; text whose lines are not
consistently delimited is read as plain text instead. Title rows and the
header row are found by `header.detect_layout`. `first_row` counts records
(title and header rows included) as a spreadsheet program shows them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from itertools import islice
from typing import Iterator

from ..decode import ERRORS, SAMPLE_SIZE, bom_length, codec_of, utf8_text
from ..sniff import extension
from ..units import Document, ReadResult, Unit, Unreadable
from . import arrowcsv, text
from .common import array_batches, document_encoding, table_batches
from .header import Layout, column_names, detect_layout

DELIMITERS = ",\t;|"
SAMPLE_RECORDS = 200
CONSISTENT = 0.9          # share of records with the modal field count for free text
CONSISTENT_BY_NAME = 0.5  # the same for a file named .csv/.tsv
TABLE_EXTENSIONS = {"csv", "tsv", "psv", "tab"}
MAX_RECORD_LINES = 1000   # a quoted field over more lines is taken for an unbalanced quote

csv.field_size_limit(1 << 26)


@dataclass
class Dialect:
    """A chosen delimiter with its sample statistics."""

    delimiter: str
    share: float       # share of sampled records with `width` fields
    width: int         # modal number of fields


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Rows of the table as `TableBatch`es, or text blocks when it is not a table."""
    with doc.open() as fh:
        encoding = document_encoding(doc, fh)
        sample = _sample_text(fh, encoding, doc.size)
    named = extension(doc.name) in TABLE_EXTENSIONS
    dialect = choose_dialect(sample, named)
    sample_rows = list(islice(_reader(io.StringIO(sample), dialect.delimiter), SAMPLE_RECORDS)) if dialect else []
    layout = detect_layout(sample_rows)
    if dialect is None or not (named or layout.has_header) and prose(sample_rows, dialect.delimiter):
        result.notes.append("not consistently delimited; read as text" if dialect is None else
                            "lines of prose with one delimiter each; read as text")
        result.format = "text"
        yield from text.read_encoded(doc, result, encoding)
        return
    result.encoding = encoding
    plain = _plain_table(doc, encoding, dialect, layout, sample_rows, result)
    if plain is not None:
        yield from plain
        return
    with doc.open() as fh:
        yield from _table(fh, encoding, dialect, layout, result)
        result.text_bytes = doc.size


def _plain_table(doc: Document, encoding: str, dialect: Dialect, layout: Layout, sample_rows: list[list[str]],
                 result: ReadResult) -> Iterator[Unit] | None:
    """The table's batches split by Arrow, for a document in memory whose text is plain
    (`arrowcsv.plain`) and whose records all have the header's width; else None."""
    if doc.data is None:
        return None
    data = utf8_text(doc.data[bom_length(encoding):], codec_of(encoding))
    if not arrowcsv.plain(data):
        return None
    header = sample_rows[layout.title_rows] if layout.has_header else None
    columns = column_names(header, len(header) if header else dialect.width)
    arrays = arrowcsv.columns(data, dialect.delimiter, layout.title_rows + layout.has_header, len(columns))
    if arrays is None:
        return None
    result.text_bytes = doc.size
    first = layout.title_rows + (2 if layout.has_header else 1)
    return array_batches(result, "", columns, arrays, first, layout.has_header, layout.title)


def _sample_text(fh, encoding: str, size: int) -> str:
    """The first ~64 KiB decoded, ending at the last line break (if the file goes on)."""
    fh.seek(bom_length(encoding))
    raw = fh.read(SAMPLE_SIZE)
    more = fh.read(1)
    sample = raw.decode(codec_of(encoding), ERRORS)
    if more:
        cut = sample.rfind("\n")
        sample = sample[: cut + 1] if cut >= 0 else ""
    return sample


def _reader(stream, delimiter: str):
    return csv.reader(stream, delimiter=delimiter, quotechar='"', strict=False)


def choose_dialect(sample: str, named_table: bool = False) -> Dialect | None:
    """The delimiter that splits the sample into the most consistent records.

    None when the sample is not a table: no line break in a long sample, or no
    delimiter consistent on ≥ 90 % of records (≥ 50 % for a file named as a
    table; such a file with no delimiter at all is a one-column table).
    """
    if not sample.strip():
        return Dialect(",", 1.0, 1) if named_table else None
    lines = _sample_lines(sample) if arrowcsv.unquoted(sample) else None
    best = max((_dialect_stats(sample, d, lines) for d in DELIMITERS),
               key=lambda s: (s.share if s.width >= 2 else 0.0, s.width))
    if best.width >= 2 and best.share >= CONSISTENT:
        return best
    if named_table:
        return best if best.width >= 2 and best.share >= CONSISTENT_BY_NAME else Dialect(",", 1.0, 1)
    return None


_SENTENCE_END = re.compile(r"[.!?。！？…]\s*$")


def prose(rows: list[list[str]], delimiter: str) -> bool:
    """Lines of prose that hold one delimiter each (`Yesterday, he said …`), not a two-column table:
    two fields in 90 % of the records, of which 80 % have the second open with a space and half
    have a field of four words or more or one that ends a sentence."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    pairs = [r for r in rows if len(r) == 2]
    if delimiter not in ",;" or not pairs or len(pairs) < 0.9 * len(rows):
        return False
    spaced = sum(r[1][:1] == " " for r in pairs)
    worded = sum(any(len(c.split()) >= 4 or _SENTENCE_END.search(c) for c in r) for r in pairs)
    return spaced >= 0.8 * len(pairs) and worded >= 0.5 * len(pairs)


def _sample_lines(sample: str) -> list[str]:
    """The first `SAMPLE_RECORDS` lines of a sample (a line end's `\r` and a last empty line are
    left: blank, they count as the csv module's empty records do, not at all)."""
    return sample.split("\n", SAMPLE_RECORDS)[:SAMPLE_RECORDS]


def _dialect_stats(sample: str, delimiter: str, lines: list[str] | None = None) -> Dialect:
    """Modal field count of the sample's non-blank records and its share; `lines` are the sample's
    (`_sample_lines`) when the csv module reads each as one record (`arrowcsv.unquoted`)."""
    if lines is not None:   # the same counts, without the csv module
        counts = [line.count(delimiter) + 1 for line in lines if line.replace(delimiter, "").strip()]
    else:
        try:
            counts = [len(r) for r in islice(_reader(io.StringIO(sample), delimiter), SAMPLE_RECORDS)
                      if any(c.strip() for c in r)]
        except csv.Error:
            return Dialect(delimiter, 0.0, 0)
    while counts and counts[0] <= 1 and len(counts) > 1:   # title rows
        counts.pop(0)
    if not counts:
        return Dialect(delimiter, 0.0, 0)
    width = max(set(counts), key=lambda w: (counts.count(w), w))
    return Dialect(delimiter, counts.count(width) / len(counts), width)


def _text_stream(fh, encoding: str) -> io.TextIOWrapper:
    """A text view of the binary stream that skips a BOM and keeps line ends."""
    fh.seek(bom_length(encoding))
    return io.TextIOWrapper(fh, encoding=codec_of(encoding), errors=ERRORS, newline="")


def _table(fh, encoding: str, dialect: Dialect, layout: Layout,
           result: ReadResult) -> Iterator[Unit]:
    """Stream the records after the title and header rows as batches."""
    records = _records(_text_stream(fh, encoding), dialect.delimiter, dialect.width, result)
    skip = layout.title_rows
    for _ in range(skip):
        next(records, None)
    header = next(records, None) if layout.has_header else None
    first = skip + (2 if layout.has_header else 1)
    columns = column_names(header, len(header) if header else dialect.width)
    state = {"row": first}
    rows = _padded(records, len(columns), state)
    try:
        yield from table_batches(result, "", columns, rows, first, layout.has_header, layout.title)
    except csv.Error as exc:
        yield Unreadable(f"record {state['row']}: {exc}; the rest of the table was not read")


class _Runaway(Exception):
    """A quoted field ran over more than `MAX_RECORD_LINES` lines."""


def _records(stream, delimiter: str, width: int, result: ReadResult) -> Iterator[list[str]]:
    """The csv module's records of `stream`, resynchronised after an unbalanced quote.

    A record that runs over several lines (a quoted field with line breaks) and then has another
    width than `width`, or that runs over more than `MAX_RECORD_LINES` lines, was opened by a
    quote that is never closed where it should be: its first line is taken as a record split at
    the delimiter without quoting, and its other lines are read again as records. Nothing is
    folded into one field; each resynchronisation is noted in `result.notes`.
    """
    again: list[str] = []   # lines to read again (last first) before the stream's next ones
    taken: list[str] = []   # the lines of the record being read
    line_no = 0             # lines of the stream taken before those in `taken`

    def lines() -> Iterator[str]:
        while line := (again.pop() if again else stream.readline()):
            taken.append(line)
            if len(taken) > MAX_RECORD_LINES:
                raise _Runaway
            yield line

    while True:
        try:
            for record in _reader(lines(), delimiter):
                if len(taken) > 1 and len(record) != width:
                    break
                line_no += len(taken)
                taken.clear()
                yield record
            else:
                return
        except _Runaway:
            pass
        result.notes.append(f"line {line_no + 1}: a quote not closed on its line; read without quoting")
        yield next(csv.reader([taken[0]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
        again.extend(reversed(taken[1:]))
        line_no += 1
        taken.clear()


def _padded(records, width: int, state: dict) -> Iterator[list[str | None]]:
    """Records padded with None to the header width; `state['row']` tracks the record number."""
    row_no = state["row"]
    for rec in records:
        if len(rec) < width:
            rec = rec + [None] * (width - len(rec))
        yield rec
        row_no += 1
        state["row"] = row_no
