"""Column schemas of the case store's tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyarrow as pa


# Columns whose values seldom repeat (identifier values, texts, locators, hashes): written without
# dictionary encoding or min/max statistics, which cost write time and help neither size nor filtering.
SELDOM_REPEATED = frozenset({"value", "locator", "ids", "other_ids", "name", "fields", "text", "sha256", "reason"})


@dataclass(frozen=True)
class TableSchema:
    schema: pa.Schema
    # String columns with few distinct values per batch (a document's path, a type name): built and
    # buffered dictionary-encoded; Parquet keeps them as strings in dictionary pages either way.
    dictionary: frozenset[str] = frozenset()

    @cached_property
    def build_schema(self) -> pa.Schema:
        """The schema rows are built and buffered in: `dictionary` columns dictionary-encoded."""
        return pa.schema([f.with_type(pa.dictionary(pa.int32(), f.type)) if f.name in self.dictionary else f
                          for f in self.schema])

    def repeating_columns(self) -> list[str]:
        """Columns worth a dictionary and statistics in Parquet (not `SELDOM_REPEATED`)."""
        return [f.name for f in self.schema if f.name not in SELDOM_REPEATED]

    def to_arrow(self, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=self.schema)

    def empty_table(self) -> pa.Table:
        return self.schema.empty_table()


MANIFEST = TableSchema(pa.schema([
    ("path", pa.string()),          # forensic path, `!` between archive members
    ("holder", pa.string()),
    ("parent", pa.string()),        # container path, null for files on disk
    ("depth", pa.int32()),
    ("size", pa.int64()),
    ("sha256", pa.string()),
    ("mtime", pa.string()),         # file modification time (files on disk only)
    ("format", pa.string()),
    ("encoding", pa.string()),
    ("status", pa.string()),        # done | partial | failed | skipped
    ("reason", pa.string()),
    ("tables", pa.int32()),
    ("rows", pa.int64()),
    ("text_bytes", pa.int64()),
    ("findings", pa.int64()),
    ("records", pa.int64()),
]))

FINDINGS = TableSchema(pa.schema([
    ("path", pa.string()),
    ("holder", pa.string()),
    ("type", pa.string()),
    ("value", pa.string()),         # normalised value (sensitive: masked on output)
    ("locator", pa.string()),       # human-readable place inside the document
    ("byte_offset", pa.int64()),    # text: offset of the raw match in the document
    ("line", pa.int64()),
    ("tbl", pa.string()),           # tables: sheet / table name
    ("row", pa.int64()),            # tables: 1-based row as a human reads the sheet
    ("col", pa.string()),           # tables: column header
    ("confidence", pa.float32()),
    ("record", pa.int64()),         # ordinal of the record within the document, if any
]), frozenset({"path", "holder", "type", "tbl", "col"}))

RECORDS = TableSchema(pa.schema([
    ("path", pa.string()),
    ("holder", pa.string()),
    ("record", pa.int64()),         # 1-based ordinal within the document
    ("row", pa.int64()),            # table row or text line number
    ("locator", pa.string()),
    ("kind", pa.string()),          # row | line
    ("dataset", pa.string()),       # path plus table name: the leaked dataset it belongs to
    ("roles", pa.string()),         # JSON: column -> role of the dataset
    ("ids", pa.string()),           # subject identifiers `type:value;...`
    ("other_ids", pa.string()),     # identifiers on the record that are not the subject's
    ("name", pa.string()),
    ("fields", pa.string()),        # JSON of typed fields (address, time, amount, ...)
    ("valid", pa.bool_()),          # False: only invalid identifiers on the row
    ("text", pa.string()),          # the row's cells joined by `|`, or the line
]), frozenset({"path", "holder", "kind", "dataset", "roles"}))

CANARIES = TableSchema(pa.schema([
    ("source", pa.string()),        # the organisation whose database holds the canary person
    ("name", pa.string()),
    ("id_number", pa.string()),     # normalised cn_id (sensitive: masked on output)
    ("mobile", pa.string()),        # normalised cn_mobile
    ("email", pa.string()),         # normalised e-mail
    ("file", pa.string()),          # the canary list it was registered from
    ("added", pa.string()),
]))

SCHEMAS: dict[str, TableSchema] = {
    "manifest": MANIFEST,
    "findings": FINDINGS,
    "records": RECORDS,
    "ref_manifest": MANIFEST,       # files of reference databases (`refs add`): holder = source name
    "ref_records": RECORDS,         # reference rows: holder = source name
    "canaries": CANARIES,           # canary persons (`canary add`): its own batch, its own commit marker
}

# A batch is committed once the part of one of these tables is in place (written last).
COMMIT_TABLES = ("manifest", "ref_manifest", "canaries")
