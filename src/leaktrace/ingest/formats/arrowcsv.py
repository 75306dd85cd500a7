"""Delimited tables split by Arrow's CSV parser (C++) where it gives exactly the csv module's records.

That is text without a quote character, NUL, lone carriage return or empty line: then
every record is one line split at the delimiter, in both. A record of another width
than the header makes Arrow fail, and the caller reads the table with the csv module.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv


def unquoted(text: str | bytes) -> bool:
    """Whether the csv module reads every line of `text` (a str, or its UTF-8 bytes) as one record
    split at the delimiter (an empty line as no fields): no quote character, NUL or carriage
    return but before a line feed."""
    quote, nul, cr, crlf = (b'"', b"\x00", b"\r", b"\r\n") if isinstance(text, bytes) else ('"', "\x00", "\r", "\r\n")
    return not (quote in text or nul in text or text.count(cr) != text.count(crlf))


def plain(data: bytes) -> bool:
    """Whether the csv module reads the text of UTF-8 `data` as lines split at the delimiter, nothing more."""
    if not unquoted(data):
        return False
    return not (data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data)


def columns(data: bytes, delimiter: str, skip: int, width: int) -> list[pa.Array] | None:
    """The records of plain UTF-8 `data` after its first `skip` lines as `width` string columns
    (empty cells as ""); None when a record has another number of fields or Arrow cannot read it."""
    names = [f"f{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names, use_threads=False,
                                           block_size=max(len(data), 1 << 20)),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 null_values=[], strings_can_be_null=False,
                                                 check_utf8=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return [c.combine_chunks() for c in table.columns]
