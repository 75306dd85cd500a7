"""`export`: case tables in machine-readable formats, identifier values masked unless revealed."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import identifiers
from .case.store import CaseStore

EXPORTS = {
    "findings": "SELECT path, holder, type, value, locator, confidence FROM findings ORDER BY path, byte_offset, row, col",
}
FORMATS = ("jsonl", "csv", "parquet")


def mask_value(type_: str, value: str) -> str:
    """The masked form of a normalised value (identifier modules know their own mask)."""
    mod = identifiers.TYPES.get(type_)
    return mod.mask(value) if mod else value


def mask_name(name: str) -> str:
    """``张*``: keep the first character of a personal name."""
    return name[:1] + "*" * (len(name) - 1)


def mask_ids(ids: str | None) -> str:
    """A record's `type:value;...` identifiers, each masked, comma-separated."""
    pairs = [p.partition(":") for p in (ids or "").split(";") if p]
    return ", ".join(mask_value(t, v) for t, _, v in pairs)


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


def _masked(batch: pa.RecordBatch, reveal: bool) -> pa.RecordBatch:
    if reveal or "value" not in batch.schema.names:
        return batch
    types = batch.column("type").to_pylist()
    values = batch.column("value").to_pylist()
    masked = pa.array([mask_value(t, v) if v is not None else None for t, v in zip(types, values)], pa.string())
    i = batch.schema.get_field_index("value")
    return batch.set_column(i, "value", masked)


def _write(reader, fmt: str, reveal: bool, out: Path | None) -> int:
    tmp = out.with_name(out.name + ".tmp") if out else None
    n = 0
    try:
        if fmt == "parquet":
            writer = None
            for batch in reader:
                batch = _masked(batch, reveal)
                writer = writer or pq.ParquetWriter(tmp, batch.schema, compression="zstd")
                writer.write_batch(batch)
                n += batch.num_rows
            if writer is None:
                pq.write_table(reader.schema.empty_table(), tmp)
            else:
                writer.close()
        else:
            stream = open(tmp, "w", encoding="utf-8", newline="") if tmp else sys.stdout
            try:
                header = True
                for batch in reader:
                    rows = _masked(batch, reveal).to_pylist()
                    n += len(rows)
                    if fmt == "jsonl":
                        stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
                    else:
                        w = csv.DictWriter(stream, fieldnames=batch.schema.names)
                        if header:
                            w.writeheader()
                            header = False
                        w.writerows(rows)
            finally:
                if tmp:
                    stream.close()
        if tmp:
            os.replace(tmp, out)
    except BaseException:
        if tmp and tmp.exists():
            tmp.unlink()
        raise
    return n
