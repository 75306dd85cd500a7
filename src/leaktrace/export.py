"""`export`: case tables in machine-readable formats, identifiers masked unless revealed.

Masked exports hide identifiers in values and in the text columns around them (paths, locators,
holders: a file named after a mobile number is one). CSV cells that a spreadsheet would run as a
formula are neutralised (OWASP CSV injection) whether revealed or not."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .case.store import CaseStore, private_file
from .mask import mask_value, redact_array
from .terminal import visible_lines

EXPORTS = {
    "findings": "SELECT path, holder, type, value, locator, confidence FROM findings ORDER BY path, byte_offset, row, col",
}
FORMATS = ("jsonl", "csv", "parquet")


def export_table(store: CaseStore, what: str, fmt: str, reveal: bool, out: Path | None) -> int:
    if what not in EXPORTS:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(EXPORTS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise ValueError("parquet needs --out FILE")
    if reveal:
        store.audit("reveal", table=what, format=fmt, out=str(out) if out else "stdout")
    with store.connect() as con:
        reader = con.sql(EXPORTS[what]).to_arrow_reader(100_000)
        return _write(reader, fmt, reveal, out)


#: Columns of free text that may hold an identifier (file and member names, JSON keys in locators).
TEXT_COLUMNS = ("path", "holder", "locator")
#: A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _masked(batch: pa.RecordBatch, reveal: bool) -> pa.RecordBatch:
    """The batch with identifier values masked and identifiers in its text columns redacted."""
    if reveal:
        return batch
    if "value" in batch.schema.names:
        types = batch.column("type").to_pylist()
        values = batch.column("value").to_pylist()
        masked = pa.array([mask_value(t, v) if v is not None else None for t, v in zip(types, values)], pa.string())
        batch = batch.set_column(batch.schema.get_field_index("value"), "value", masked)
    for name in TEXT_COLUMNS:
        if name in batch.schema.names:
            i = batch.schema.get_field_index(name)
            batch = batch.set_column(i, name, redact_array(batch.column(i)))
    return batch


def neutralise(cell):
    """A CSV cell a spreadsheet will show as text: one starting like a formula gets a leading `'`."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def _write(reader, fmt: str, reveal: bool, out: Path | None) -> int:
    """Write the batches to `out` (private, replaced whole when complete) or standard output."""
    tmp = out.with_name(out.name + ".tmp") if out else None
    try:
        with (private_file(tmp, "wb") if tmp else nullcontext(sys.stdout.buffer)) as raw:
            if fmt == "parquet":
                n = _write_parquet(reader, reveal, raw)
            else:
                n = _write_lines(reader, fmt, reveal, raw, on_terminal=tmp is None and sys.stdout.isatty())
        if tmp:
            os.replace(tmp, out)
    except BaseException:
        if tmp and tmp.exists():
            tmp.unlink()
        raise
    return n


def _write_parquet(reader, reveal: bool, raw) -> int:
    n, writer = 0, None
    for batch in reader:
        batch = _masked(batch, reveal)
        writer = writer or pq.ParquetWriter(raw, batch.schema, compression="zstd")
        writer.write_batch(batch)
        n += batch.num_rows
    if writer is None:
        pq.write_table(reader.schema.empty_table(), raw)
    else:
        writer.close()
    return n


def _write_lines(reader, fmt: str, reveal: bool, raw, on_terminal: bool) -> int:
    """JSON Lines or CSV; shown on a terminal, no control character in them takes effect."""
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    show = visible_lines if on_terminal else str
    n, header = 0, True
    for batch in reader:
        rows = _masked(batch, reveal).to_pylist()
        n += len(rows)
        if fmt == "jsonl":
            stream.write(show("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)))
            continue
        w = csv.DictWriter(_Shown(stream, show), fieldnames=batch.schema.names,
                           lineterminator="\n" if on_terminal else "\r\n")
        if header:
            w.writeheader()
            header = False
        w.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    stream.flush()
    stream.detach()
    return n


class _Shown:
    """A text stream whose writes pass through `show` first."""

    def __init__(self, stream, show):
        self.stream, self.show = stream, show

    def write(self, s: str) -> int:
        return self.stream.write(self.show(s))
