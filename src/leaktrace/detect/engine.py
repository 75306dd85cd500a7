"""The detector the scanner drives: units of one document -> findings and records in the batch."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

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
        cols = columns_of(tb)
        scan = scan_table(tb, self.roles.get(tb.table), cols)
        roles = self.roles.setdefault(tb.table, scan.roles)
        headers = _headers(tb, len(roles))
        where = f"sheet {tb.table} " if tb.table else ""
        found = [h for h in scan.hits if h.value is not None]
        if found:
            self.findings += len(found)
            types = pa.array([h.type for h in found], pa.string())
            rows = pc.add(pa.array([h.row for h in found], pa.int64()), tb.first_row)
            col = pc.take(pa.array(headers, pa.string()), pa.array([h.col for h in found], pa.int64()))
            self._emit("findings", {
                "type": types, "value": pa.array([h.value for h in found], pa.string()),
                **({"tbl": pa.repeat(tb.table, len(found))} if tb.table else {}),
                "row": rows, "col": col,
                "locator": pc.binary_join_element_wise(f"{where}row ", rows.cast(pa.string()), " col ", col, ""),
                "confidence": pc.if_else(pc.equal(types, MASKED), 0.5, 1.0),
            })
        self._table_records(tb, scan.hits, roles, headers, cols)

    def _table_records(self, tb: TableBatch, hits: list[CellHit], roles: list, headers: list[str],
                       cols: list[pa.Array] | None = None) -> None:
        # per row: [subject pairs, other pairs, invalid count], rows with a person identifier only
        per_row: dict[int, list] = {}
        for h in hits:
            if h.type not in PERSON_KEYS:   # MASKED is not one
                continue
            acc = per_row.get(h.row)
            if acc is None:
                acc = per_row[h.row] = [[], [], 0]
            role = roles[h.col]
            if h.value is None:
                acc[2] += role not in NON_SUBJECT_ROLES
            elif role in NON_SUBJECT_ROLES:
                acc[1].append((h.type, h.value))
            elif (h.type, h.value) not in acc[0]:
                acc[0].append((h.type, h.value))
        sel = [i for i in sorted(per_row) if per_row[i][0] or per_row[i][2]]
        n = len(sel)
        if not n:
            return
        if cols is None:
            cols = columns_of(tb)
        idx = pa.array(sel, pa.int64())
        name_cols = [j for j, r in enumerate(roles) if r == "name"]
        field_cols = [(j, r) for j, r in enumerate(roles) if r in FIELD_ROLES or r in NON_SUBJECT_ROLES]
        dataset = f"{self.doc.path}#{tb.table}" if tb.table else self.doc.path
        role_map = json.dumps({headers[j]: r for j, r in enumerate(roles) if r}, ensure_ascii=False)
        where = f"sheet {tb.table} " if tb.table else ""

        if name_cols:
            names = [cols[j].take(idx).to_pylist() for j in name_cols]
            name = [next((v for v in vs if v), None) for vs in zip(*names)]
        else:
            name = None
        fields = _fields([(r, cols[j].take(idx).to_pylist()) for j, r in field_cols], n)
        # the row's non-empty cells joined by `|`
        # (a list comprehension: Arrow's binary_join_element_wise with null_handling="skip" drops all-null rows)
        rows_in = tb.rows
        text = pa.array(["|".join([c for c in rows_in[i] if c]) for i in sel], pa.string())
        accs = [per_row[i] for i in sel]
        rows = pc.add(idx, tb.first_row)
        first = self.records + 1
        self.records += n
        self._emit("records", {
            "record": pa.array(range(first, first + n), pa.int64()), "row": rows,
            "locator": pc.binary_join_element_wise(f"{where}row ", rows.cast(pa.string()), ""),
            "kind": pa.repeat("row", n), "dataset": pa.repeat(dataset, n), "roles": pa.repeat(role_map, n),
            "ids": pa.array([_ids(a[0]) for a in accs], pa.string()),
            "other_ids": pa.array([_ids(a[1]) for a in accs], pa.string()),
            **({"name": pa.array(name, pa.string())} if name is not None else {}),
            "fields": fields, "valid": pa.array([bool(a[0]) for a in accs], pa.bool_()), "text": text,
        })

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


def _fields(columns: list[tuple[str, list]], n: int) -> pa.Array:
    """Per row, the JSON object role -> value of its non-empty typed cells (as `json.dumps` writes it)."""
    if not columns:
        return pa.nulls(n, pa.string())
    keys = [r for r, _ in columns]
    if len(set(keys)) < len(keys):   # a role twice: the dict keeps the first key's place, the last value
        return pa.array([
            json.dumps(typed, ensure_ascii=False) if (typed := {r: v[i] for r, v in columns if v[i] not in (None, "")})
            else None for i in range(n)], pa.string())
    enc = encode_basestring
    prefixes = [json.dumps(r, ensure_ascii=False) + ": " for r in keys]
    out = []
    for vals in zip(*[v for _, v in columns]):
        parts = [p + enc(v) for p, v in zip(prefixes, vals) if v]
        out.append("{" + ", ".join(parts) + "}" if parts else None)
    return pa.array(out, pa.string())


def _ids(pairs: list[tuple[str, str]]) -> str | None:
    return ";".join(f"{t}:{v}" for t, v in pairs) or None


def _headers(tb: TableBatch, width: int) -> list[str]:
    cols = list(tb.columns) + [f"col{j + 1}" for j in range(len(tb.columns), width)]
    return [c if c else f"col{j + 1}" for j, c in enumerate(cols)]
