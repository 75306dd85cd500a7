"""Delimited tables split by Arrow's CSV parser (C++) where it gives exactly the csv module's records.

That is text without a quote character, NUL, lone carriage return or empty line: then
every record is one line split at the delimiter, in both. A record of another width
than the header makes Arrow fail, and the caller reads the table with the csv module.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv


def unquoted(text: str) -> bool:
    """Whether the csv module reads every line of `text` as one record split at the delimiter (an
    empty line as no fields): no quote character, NUL or carriage return but before a line feed."""
    return not ('"' in text or "\x00" in text or text.count("\r") != text.count("\r\n"))


def plain(text: str) -> bool:
    """Whether the csv module reads `text` as lines split at the delimiter, nothing more."""
    if not unquoted(text):
        return False
    return not (text.startswith(("\n", "\r\n")) or "\n\n" in text or "\n\r\n" in text)


def columns(text: str, delimiter: str, skip: int, width: int) -> list[pa.Array] | None:
    """The records of plain `text` after its first `skip` lines as `width` string columns
    (empty cells as ""); None when a record has another number of fields or Arrow cannot read it."""
    names = [f"f{j}" for j in range(width)]
    data = text.encode("utf-8")
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
