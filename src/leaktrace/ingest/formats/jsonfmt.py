"""JSON and JSON Lines: one table row per object, nested fields flattened to `a.b.c`.

JSON Lines is streamed line by line; a line that is not valid JSON yields an
`Unreadable` naming the line, is read as text (a block of its own), and reading goes
on. `first_row` is the line number (JSON Lines) or the element ordinal (a JSON
array). Whole-file JSON is read whole up to `MAX_JSON_BYTES`.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.json as pajson

from ..decode import ERRORS, bom_length, codec_of, valid_utf8
from ..units import Document, ReadResult, TableBatch, TextBlock, Unit, Unreadable
from . import text
from .common import BATCH_ROWS, array_batches, as_text_instead, cell_text, document_encoding, table_batches

MAX_JSON_BYTES = 256 << 20
_NUMBERED = re.compile(r"\d{5}")   # a key part with a run of five digits may be an identifier


def flatten(obj: Any, prefix: str = "", out: dict | None = None) -> dict[str, str | None]:
    """Nested objects as dotted keys; lists of scalars joined with `;`, lists of objects indexed."""
    if out is None and _flat_strings(obj):
        return dict(obj)
    out = {} if out is None else out
    if isinstance(obj, dict):
        for key, value in obj.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            kind = type(value)
            if kind is dict or kind is list or not name:
                flatten(value, name, out)
            else:   # a scalar, without a call
                out[name] = value if kind is str else _scalar(value)
    elif isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            out[prefix or "value"] = ";".join(_scalar(v) or "" for v in obj)
        else:
            for i, value in enumerate(obj):
                flatten(value, f"{prefix}.{i}" if prefix else str(i), out)
    else:
        out[prefix or "value"] = _scalar(obj)
    return out


def _flat_strings(obj: Any) -> bool:
    """An object whose values are all strings and whose keys are all non-empty: its own flat form."""
    return type(obj) is dict and "" not in obj and set(map(type, obj.values())) <= _STR


_STR = {str}


def _scalar(value: Any) -> str | None:
    if isinstance(value, float):
        return cell_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def _text(doc: Document, fh) -> tuple[io.TextIOWrapper, str]:
    """A text view of the document after its BOM, and the detected encoding."""
    encoding = document_encoding(doc, fh)
    fh.seek(bom_length(encoding))
    return io.TextIOWrapper(fh, encoding=codec_of(encoding), errors=ERRORS), encoding


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """JSON Lines when the document is one object per line, else one JSON value."""
    with doc.open() as fh:
        stream, result.encoding = _text(doc, fh)
        start = stream.tell()
        first = _first_line(stream)
        stream.seek(start)
        if result.format == "jsonl" or _is_jsonl(first, doc.size):
            result.format = "jsonl"
            parsed = _arrow_lines(doc, result.encoding, result)
            yield from _lines(stream, result) if parsed is None else parsed
        else:
            yield from _whole(doc, stream, result)
        result.text_bytes = doc.size


def _first_line(stream) -> str:
    """The first non-blank line, stripped."""
    while line := stream.readline():
        if line.strip():
            return line.strip()
    return ""


def _is_jsonl(first: str, size: int) -> bool:
    """A first line that is a complete JSON object or array (or one nested too deep to parse), in a
    multi-line document."""
    try:
        json.loads(first)
    except ValueError:
        return False
    except RecursionError:
        pass
    return len(first.encode("utf-8")) < size - 4


def _lines(stream, result: ReadResult) -> Iterator[Unit]:
    """Streamed JSON Lines; batches break at bad or blank lines so rows stay contiguous."""
    rows, first = [], 0
    result.tables = 1
    for number, line in enumerate(stream, 1):
        if not line.strip():
            row = None
        else:
            try:
                row = _flat_line(line)
            except (ValueError, RecursionError) as exc:
                yield from _batch(rows, first, result)
                rows = []
                why = f"not valid JSON ({exc.msg})" if isinstance(exc, ValueError) else "nested too deep to parse"
                yield Unreadable(f"line {number}: {why}; read as text")
                # a truncated or hand-edited line still holds what it holds; offsets into the line
                yield TextBlock(text=line.rstrip("\r\n") + "\n", byte_offset=0, encoding="utf-8", line=number,
                                part=f"line {number} (not valid JSON)")
                continue
        if row is None:
            yield from _batch(rows, first, result)
            rows = []
            continue
        if not rows:
            first = number
        rows.append(row)
        if len(rows) >= BATCH_ROWS:
            yield from _batch(rows, first, result)
            rows = []
    yield from _batch(rows, first, result)


def _flat_line(line: str) -> dict | None:
    """A JSON Lines line as a flat row (None for a `null` line). Raises ValueError for invalid JSON
    and RecursionError for JSON nested deeper than the parser or `flatten` can go."""
    obj = _loads(line)
    return None if obj is None else flatten(obj)


_JSON_SPACE = np.frombuffer(b" \t\r", dtype=np.uint8)


def _arrow_lines(doc: Document, encoding: str, result: ReadResult) -> Iterator[Unit] | None:
    """JSON Lines parsed by Arrow (C++), for a document in memory whose every line is one flat
    object of strings (or nulls) under keys its first line names; None for any other (then
    `_lines` reads it).

    Arrow then gives what `_lines` gives: the same rows, in batches of the same columns (every
    batch's first line has all the keys, in the same order; a key missing elsewhere is a null in
    both). Anything Arrow reads otherwise than the `json` module (numbers, nested values, another
    key, two objects on a line, a blank line, a duplicate key, a lone surrogate) makes it fail or
    shows in a check, and the document goes to `_lines`.
    """
    if doc.data is None or codec_of(encoding) != "utf-8":
        return None
    data = doc.data[bom_length(encoding):]
    body = data[:-1] if data.endswith(b"\n") else data
    if not body or not valid_utf8(data) or data.count(b"\r") != data.count(b"\r\n"):
        return None
    buf = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.append(ends, len(body))
    if _blank_line(body, buf, starts, stops):
        return None
    try:
        firsts = [_loads(body[a:b].decode("utf-8")) for a, b in
                  zip(starts[::BATCH_ROWS].tolist(), stops[::BATCH_ROWS].tolist())]
    except (ValueError, RecursionError):
        return None
    names = list(firsts[0]) if isinstance(firsts[0], dict) else []
    if not names or "" in names or any(not isinstance(f, dict) or list(f) != names for f in firsts):
        return None
    try:
        table = pajson.read_json(
            pa.BufferReader(data),
            read_options=pajson.ReadOptions(use_threads=False, block_size=max(len(data), 1 << 20)),
            parse_options=pajson.ParseOptions(explicit_schema=pa.schema([(n, pa.string()) for n in names]),
                                              unexpected_field_behavior="error"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != len(starts):
        return None
    return array_batches(result, "", names, [c.combine_chunks() for c in table.columns])


def _blank_line(body: bytes, buf: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> bool:
    """Whether a line (`starts`, `stops`: its bounds in `body`) is empty or JSON white space only,
    which Arrow's parser passes over."""
    if (stops <= starts).any():
        return True
    spaced = np.isin(buf[starts], _JSON_SPACE)
    return any(not body[a:b].strip(b" \t\r") for a, b in zip(starts[spaced].tolist(), stops[spaced].tolist()))


_SCAN = json.JSONDecoder().scan_once
_SPACE = json.decoder.WHITESPACE.match


def _loads(line: str) -> Any:
    """`json.loads(line)` without its per-call layers; a line they would reject goes to
    `json.loads`, which raises the same error."""
    try:
        obj, end = _SCAN(line, _SPACE(line, 0).end())
    except (StopIteration, ValueError):
        return json.loads(line)
    return obj if _SPACE(line, end).end() == len(line) else json.loads(line)


def _batch(records: list[dict], first: int, result: ReadResult) -> Iterator[TableBatch]:
    """One batch of flattened objects; columns are the union of keys in first-seen order."""
    if not records:
        return
    keys: dict = {}
    for r in records:
        keys.update(r)   # a key keeps the place where it was first seen
    columns = list(keys)
    cells = pa.array(records, pa.struct([(c, pa.string()) for c in columns]))
    result.rows += len(records)
    yield TableBatch(table="", columns=columns, first_row=first, arrays=cells.flatten())


def _whole(doc: Document, stream, result: ReadResult) -> Iterator[Unit]:
    """A whole JSON document: each of its tables of records (`tables_of`).

    Invalid JSON is reported and then read as text.
    """
    if doc.size > MAX_JSON_BYTES:
        why = Unreadable(f"JSON document of {doc.size} bytes exceeds the {MAX_JSON_BYTES} byte limit")
        yield from as_text_instead(doc, result, why)
        return
    try:
        value = json.loads(stream.read())
        tables = [(table, [flatten(r) for r in records]) for table, records in tables_of(value)]
    except (ValueError, RecursionError) as exc:
        why = "nested too deep to parse" if isinstance(exc, RecursionError) else f"not valid JSON ({exc})"
        yield Unreadable(f"{why}; read as text")
        yield from text.read_encoded(doc, result, result.encoding)
        return
    named: dict[str, None] = {}
    for table, flat in tables:
        columns = list(dict.fromkeys(k for r in flat for k in r))
        yield from table_batches(result, table, columns, ([r.get(c) for c in columns] for r in flat))
        named.update(dict.fromkeys(p for c in columns for p in c.split(".") if _NUMBERED.search(p)))
    if named:   # keys that carry a number (an ID or mobile as a key deeper down) are read as text
        text_keys = "\n".join(named) + "\n"
        result.text_bytes += len(text_keys.encode("utf-8"))
        yield TextBlock(text=text_keys, byte_offset=0, encoding="utf-8", part="keys")


def tables_of(value: Any) -> list[tuple[str, list]]:
    """(name, records) of every table in a JSON value.

    A list is one table. In an object, each list of objects is one (named by its key), and so is
    each map of records keyed by an id (`{"u1": {...}, "u2": {...}}`: the key kept as column
    `key`); objects under numbered keys of the object itself are one more such table; what
    remains of the object is one row of its own, after them. Any other value is one row.
    """
    if isinstance(value, list):
        return [("", value)]
    if not isinstance(value, dict):
        return [("", [value])]
    if _keyed_records(value):
        return [("", _with_keys(value))]
    tables, keyed, rest = [], {}, {}
    for key, v in value.items():
        if isinstance(v, list) and v and all(isinstance(e, dict) for e in v):
            tables.append((key, v))
        elif _keyed_records(v):
            tables.append((key, _with_keys(v)))
        elif isinstance(v, dict) and v and _has_digit(key):
            keyed[key] = v
        else:
            rest[key] = v
    if keyed:
        tables.append(("", _with_keys(keyed)))
    return tables + [("", [rest])] if rest or not tables else tables


def _keyed_records(value: Any) -> bool:
    """A map of two or more objects whose keys all hold a digit (ids, numbers), not named parts."""
    return (isinstance(value, dict) and len(value) >= 2 and all(isinstance(v, dict) for v in value.values())
            and all(map(_has_digit, value)))


def _has_digit(key: str) -> bool:
    return any(c.isdigit() for c in key)


def _with_keys(value: dict) -> list[dict]:
    return [{"key": k, **v} for k, v in value.items()]
