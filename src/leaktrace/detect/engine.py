"""The detector the scanner drives: units of one document -> findings and records in the batch."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from ..case.schema import FINDINGS, RECORDS
from ..case.store import Batch
from ..identifiers import PERSON_KEYS
from ..ingest.units import Document, TableBatch, TextBlock
from .roles import NON_SUBJECT_ROLES, TYPE_ROLES
from .table import CellHit, columns_of, scan_table
from .text import line_records, scan_text
from .validate import MASKED

ID_ROLES = frozenset(TYPE_ROLES.values())
# Roles kept as typed fields of a record (identifiers are kept apart, in `ids`).
FIELD_ROLES = frozenset({"address", "plate", "vin", "checkin", "checkout", "hotel", "room", "diagnosis",
                         "hospital", "visit", "duration", "cell", "lon", "lat", "credit_score", "overdue",
                         "loan", "balance", "branch", "order", "item", "amount", "policy", "time"})


class Detector:
    """Creates one `DocumentScan` per document.

    `tables` names where findings and records go (None: not kept); reference
    databases use it to keep their rows apart from the evidence's records.
    """

    def __init__(self, tables: dict[str, str | None] | None = None):
        self.tables = tables or {"findings": "findings", "records": "records"}

    def start(self, doc: Document, holder: str, batch: Batch) -> "DocumentScan":
        return DocumentScan(doc, holder, batch, self.tables)


class DocumentScan:
    def __init__(self, doc: Document, holder: str, batch: Batch, tables: dict[str, str | None]):
        self.tables = tables
        self.doc = doc
        self.holder = holder
        self.batch = batch
        self.findings = 0
        self.records = 0
        self.roles: dict[str, list[str | None]] = {}

    # -- text -----------------------------------------------------------
    def text(self, block: TextBlock) -> None:
        scan = scan_text(block)
        if not len(scan):
            return
        part = f"{block.part} " if block.part else ""
        values = pa.array(scan.values, pa.string())
        valid = values.is_valid()
        types = pa.array(scan.types, pa.string()).filter(valid)
        offsets = pa.array(scan.byte_offsets, pa.int64()).filter(valid)
        lines = pa.array(scan.lines, pa.int64()).filter(valid)
        locators = pc.binary_join_element_wise(f"{part}byte ", offsets.cast(pa.string()), " line ",
                                               lines.cast(pa.string()), "")
        self.findings += len(types)
        self._emit("findings", {
            "type": types, "value": values.filter(valid), "byte_offset": offsets, "line": lines,
            "locator": locators, "confidence": pc.if_else(pc.equal(types, MASKED), 0.5, 1.0),
        })
        recs = line_records(block, scan)
        rows = []
        for r in recs:
            self.records += 1
            rows.append({
                "record": self.records, "kind": "line", "dataset": self.doc.path, "row": r.line,
                "locator": f"{part}byte {r.byte_offset} line {r.line}", "roles": None,
                "ids": _ids(r.ids), "other_ids": _ids(r.other_ids), "name": r.name, "fields": None,
                "valid": bool(r.ids), "text": r.text,
            })
        self._add("records", rows)

    # -- tables ---------------------------------------------------------
    def table(self, tb: TableBatch) -> None:
        if tb.title and tb.table not in self.roles:
            # title rows above the header (report names, account lines) are text
            self.text(TextBlock(tb.title, 0, "", 1, part=f"{tb.table or 'table'} title"))
        scan = scan_table(tb, self.roles.get(tb.table))
        roles = self.roles.setdefault(tb.table, scan.roles)
        headers = _headers(tb, len(roles))
        where = f"sheet {tb.table} " if tb.table else ""
        found = [h for h in scan.hits if h.value is not None]
        self._add_findings([{
            "type": h.type, "value": h.value, "tbl": tb.table or None, "row": tb.first_row + h.row,
            "col": headers[h.col], "locator": f"{where}row {tb.first_row + h.row} col {headers[h.col]}",
            "confidence": 1.0 if h.type != MASKED else 0.5,
        } for h in found])
        self._table_records(tb, scan.hits, roles, headers)

    def _table_records(self, tb: TableBatch, hits: list[CellHit], roles: list, headers: list[str]) -> None:
        per_row: dict[int, list[CellHit]] = {}
        for h in hits:
            if h.type != MASKED:
                per_row.setdefault(h.row, []).append(h)
        if not per_row:
            return
        cols = columns_of(tb)
        name_cols = [j for j, r in enumerate(roles) if r == "name"]
        field_cols = [(j, r) for j, r in enumerate(roles) if r in FIELD_ROLES or r in NON_SUBJECT_ROLES]
        dataset = f"{self.doc.path}#{tb.table}" if tb.table else self.doc.path
        role_map = json.dumps({headers[j]: r for j, r in enumerate(roles) if r}, ensure_ascii=False)
        names = [cols[j].to_pylist() for j in name_cols]
        fields = [(r, cols[j].to_pylist()) for j, r in field_cols]
        where = f"sheet {tb.table} " if tb.table else ""
        rows = []
        for i in sorted(per_row):
            subject, other, invalid = [], [], 0
            for h in per_row[i]:
                if h.type not in PERSON_KEYS:
                    continue
                if h.value is None:
                    invalid += roles[h.col] not in NON_SUBJECT_ROLES
                elif roles[h.col] in NON_SUBJECT_ROLES:
                    other.append((h.type, h.value))
                elif (h.type, h.value) not in subject:
                    subject.append((h.type, h.value))
            if not subject and not invalid:
                continue
            self.records += 1
            name = next((n[i] for n in names if n[i]), None)
            typed = {r: v[i] for r, v in fields if v[i] not in (None, "")}
            rows.append({
                "record": self.records, "kind": "row", "dataset": dataset,
                "locator": f"{where}row {tb.first_row + i}", "roles": role_map,
                "ids": _ids(subject), "other_ids": _ids(other), "name": name,
                "fields": json.dumps(typed, ensure_ascii=False) if typed else None,
                "valid": bool(subject), "row": tb.first_row + i,
                "text": "|".join(c for c in tb.rows[i] if c),
            })
        self._add("records", rows)

    # -- output ---------------------------------------------------------
    def _add_findings(self, rows: list[dict]) -> None:
        self.findings += len(rows)
        self._add("findings", rows)

    def _add(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        target = self.tables.get(table)
        if target is None:
            return
        schema = {"findings": FINDINGS, "records": RECORDS}[table].schema
        for r in rows:
            r["path"] = self.doc.path
            r["holder"] = self.holder
        self.batch.add(target, pa.Table.from_pylist(rows, schema=schema))

    def _emit(self, table: str, columns: dict[str, pa.Array]) -> None:
        """Add rows given as columns (all of one length; absent ones null, path and holder this scan's)."""
        target = self.tables.get(table)
        n = len(next(iter(columns.values())))
        if target is None or not n:
            return
        schema = {"findings": FINDINGS, "records": RECORDS}[table].schema
        columns = {**columns, "path": pa.repeat(self.doc.path, n), "holder": pa.repeat(self.holder, n)}
        arrays = [columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type) for f in schema]
        self.batch.add(target, pa.Table.from_arrays(arrays, schema=schema))

    def finish(self) -> tuple[int, int]:
        return self.findings, self.records


def _ids(pairs: list[tuple[str, str]]) -> str | None:
    return ";".join(f"{t}:{v}" for t, v in pairs) or None


def _headers(tb: TableBatch, width: int) -> list[str]:
    cols = list(tb.columns) + [f"col{j + 1}" for j in range(len(tb.columns), width)]
    return [c if c else f"col{j + 1}" for j, c in enumerate(cols)]
