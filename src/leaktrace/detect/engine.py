"""The detector the scanner drives: units of documents -> findings and records in the batch."""

from __future__ import annotations

import json
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..case.schema import FINDINGS, RECORDS
from ..case.store import Batch
from ..ingest.units import Document, TableBatch, TextBlock
from .records import Hits, fields_json, first_name, row_ids, row_text
from .roles import FIELD_ROLES, NON_SUBJECT_ROLES, TYPE_ROLES
from .table import TableScan, columns_of, scan_table
from .text import LineRecords, Run, TextScan, line_records, scan_text
from .patterns import RANK
from .validate import MASKED, type_dictionary

ID_ROLES = frozenset(TYPE_ROLES.values())
QUEUE_CHARS = 4 << 20  # text queued across documents before it is scanned as one run


class Detector:
    """Creates one `DocumentScan` per document; scans their text in runs across documents.

    `tables` names where findings and records go (None: not kept); reference
    databases use it to keep their rows apart from the evidence's records.
    Text is queued and scanned when enough has gathered, before a table, and on
    `flush()`, which the scanner calls before it commits a batch; a document's
    counts are final after that.
    """

    def __init__(self, tables: dict[str, str | None] | None = None):
        self.tables = tables or {"findings": "findings", "records": "records"}
        self._queue: list[tuple[DocumentScan, TextBlock]] = []
        self._queued = 0

    def start(self, doc: Document, holder: str, batch: Batch) -> "DocumentScan":
        return DocumentScan(self, doc, holder, batch)

    def queue(self, scan: "DocumentScan", block: TextBlock) -> None:
        self._queue.append((scan, block))
        self._queued += len(block.text)
        if self._queued >= QUEUE_CHARS:
            self.flush()

    def flush(self) -> None:
        """Scan the queued text: findings and line records of every queued document.

        Should the run fail, each document is scanned alone, and one that still fails
        keeps the error (`DocumentScan.problem`) instead of costing the others their text.
        """
        if not self._queue:
            return
        queue, self._queue, self._queued = self._queue, [], 0
        try:
            self._scan(queue)
        except Exception:  # noqa: BLE001 - bad text must never stop a run
            for doc in {id(d): d for d, _ in queue}.values():
                try:
                    self._scan([q for q in queue if q[0] is doc])
                except Exception as exc:  # noqa: BLE001
                    doc.problem = f"detection failed: {type(exc).__name__}: {exc}"

    def _scan(self, queue: list[tuple["DocumentScan", TextBlock]]) -> None:
        """Scan queued blocks as one run; nothing is added before all is computed."""
        docs, blocks = zip(*queue)
        run = Run.of(blocks)
        scan = scan_text(run)
        if not len(scan):
            return
        recs = line_records(run, scan)
        self._text_findings(docs, run, scan)
        self._line_records(docs, run, recs)

    def _text_findings(self, docs, run: Run, scan: TextScan) -> None:
        valid = scan.values.is_valid()
        keep = valid.to_numpy(zero_copy_only=False)
        which, codes = scan.blocks[keep], scan.codes[keep]
        offsets = pa.array(scan.byte_offsets, pa.int64()).filter(valid)
        lines = pa.array(scan.lines, pa.int64()).filter(valid)
        owners = _Owners(docs, which)
        for d, k in owners.counts():
            d.findings += k
        self._emit(docs[0].batch, "findings", owners, {
            "type": type_dictionary(codes), "value": scan.values.filter(valid), "byte_offset": offsets,
            "line": lines, "locator": _locator(_parts(run, which), "byte ", offsets, " line ", lines),
            "confidence": _confidence(codes),
        })

    def _line_records(self, docs, run: Run, recs: LineRecords) -> None:
        n = len(recs)
        if not n:
            return
        owners = _Owners(docs, recs.blocks)
        offsets, lines = pa.array(recs.byte_offsets, pa.int64()), pa.array(recs.lines, pa.int64())
        self._emit(docs[0].batch, "records", owners, {
            "record": owners.numbers(), "kind": _repeated("line", n), "dataset": owners.paths(),
            "row": lines, "locator": _locator(_parts(run, recs.blocks), "byte ", offsets, " line ", lines),
            "ids": recs.ids, "other_ids": recs.other_ids, "name": recs.names, "fields": recs.fields,
            "valid": recs.ids.is_valid(), "text": recs.text,
        })

    def _emit(self, batch: Batch, table: str, owners: "_Owners", columns: dict[str, pa.Array]) -> None:
        """Add rows given as columns (all of one length; absent ones null; path and holder their documents').

        Queued documents share one batch: the scanner flushes before it commits.
        """
        target = self.tables.get(table)
        n = len(next(iter(columns.values())))
        if target is None or not n:
            return
        schema = {"findings": FINDINGS, "records": RECORDS}[table].build_schema
        columns = {**columns, "path": owners.paths(), "holder": owners.holders()}
        arrays = [columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type) for f in schema]
        batch.add(target, pa.Table.from_arrays(arrays, schema=schema))


class _Owners:
    """The documents rows belong to: `docs[which[i]]` for row i (`docs` one per queued block)."""

    def __init__(self, docs, which: np.ndarray):
        distinct = list({id(d): d for d in docs}.values())
        index = {id(d): i for i, d in enumerate(distinct)}
        self.docs = distinct
        self.of = np.array([index[id(d)] for d in docs], dtype=np.int64)[which]

    @classmethod
    def one(cls, scan: "DocumentScan", n: int) -> "_Owners":
        """`n` rows of one document."""
        return cls([scan], np.zeros(n, dtype=np.int64))

    def counts(self) -> list[tuple["DocumentScan", int]]:
        k = np.bincount(self.of, minlength=len(self.docs)).tolist()
        return [(d, c) for d, c in zip(self.docs, k) if c]

    def numbers(self) -> pa.Array:
        """Record ordinals: each document's rows numbered on from its last record, in row order."""
        order = np.argsort(self.of, kind="stable")
        sorted_of = self.of[order]
        first = np.searchsorted(sorted_of, sorted_of, side="left")
        base = np.array([d.records for d in self.docs], dtype=np.int64)
        out = np.empty(len(order), dtype=np.int64)
        out[order] = base[sorted_of] + np.arange(len(order)) - first + 1
        for d, c in self.counts():
            d.records += c
        return pa.array(out, pa.int64())

    def paths(self) -> pa.Array:
        return pa.DictionaryArray.from_arrays(self._indices, pa.array([d.path for d in self.docs], pa.string()))

    def holders(self) -> pa.Array:
        return pa.DictionaryArray.from_arrays(self._indices, pa.array([d.holder for d in self.docs], pa.string()))

    @cached_property
    def _indices(self) -> pa.Array:
        return pa.array(self.of.astype(np.int32))


class DocumentScan:
    def __init__(self, detector: Detector, doc: Document, holder: str, batch: Batch):
        self.detector = detector
        self.path = doc.path        # not the document: its bytes must not live on until the batch commits
        self.holder = holder
        self.batch = batch
        self.findings = 0
        self.records = 0
        self.roles: dict[str, list[str | None]] = {}
        self.problem = ""           # why detection failed on its text, if it did

    def text(self, block: TextBlock) -> None:
        self.detector.queue(self, block)

    # -- tables ---------------------------------------------------------
    def table(self, tb: TableBatch) -> None:
        if tb.title and tb.table not in self.roles:
            # title rows above the header (report names, account lines) are text
            self.text(TextBlock(tb.title, 0, "", 1, part=f"{tb.table or 'table'} title"))
        self.detector.flush()   # text before the table gets its records first
        cols = columns_of(tb)
        scan = scan_table(tb, self.roles.get(tb.table), cols)
        roles = self.roles.setdefault(tb.table, scan.roles)
        headers = _headers(tb, len(roles))
        where = f"sheet {tb.table} " if tb.table else ""
        valid = scan.values.is_valid()
        keep = valid.to_numpy(zero_copy_only=False)
        if keep.any():
            codes = scan.codes[keep]
            n = len(codes)
            self.findings += n
            rows = pa.array(scan.rows[keep] + tb.first_row, pa.int64())
            col = pa.DictionaryArray.from_arrays(pa.array(scan.cols[keep], pa.int32()), pa.array(headers, pa.string()))
            self._emit("findings", {
                "type": type_dictionary(codes), "value": scan.values.filter(valid),
                **({"tbl": _repeated(tb.table, n)} if tb.table else {}),
                "row": rows, "col": col, "locator": _locator(f"{where}row ", rows, " col ", col),
                "confidence": _confidence(codes),
            })
        self._table_records(tb, scan, roles, headers, cols)

    def _table_records(self, tb: TableBatch, scan: TableScan, roles: list, headers: list[str],
                       cols: list[pa.Array]) -> None:
        """One record per row with a person identifier of the subject (valid or invalid)."""
        roles = list(roles) + [None] * (len(cols) - len(roles))
        non_subject = np.array([r in NON_SUBJECT_ROLES for r in roles], dtype=bool)[scan.cols]
        recs = row_ids(Hits(scan.rows, scan.codes, scan.values), non_subject)
        n = len(recs.keys)
        if not n:
            return
        idx = pa.array(recs.keys, pa.int64())
        picked = [c.take(idx) for c in cols]
        name_cols = [c for r, c in zip(roles, picked) if r == "name"]
        fields = fields_json([(r, c) for r, c in zip(roles, picked) if r in FIELD_ROLES or r in NON_SUBJECT_ROLES], n)
        dataset = f"{self.path}#{tb.table}" if tb.table else self.path
        role_map = json.dumps({headers[j]: r for j, r in enumerate(roles) if r}, ensure_ascii=False)
        rows = pa.array(recs.keys + tb.first_row, pa.int64())
        self._emit("records", {
            "record": _Owners.one(self, n).numbers(), "row": rows,
            "locator": _locator(f"sheet {tb.table} row " if tb.table else "row ", rows),
            "kind": _repeated("row", n), "dataset": _repeated(dataset, n), "roles": _repeated(role_map, n),
            "ids": recs.ids, "other_ids": recs.other_ids,
            **({"name": first_name(name_cols)} if name_cols else {}),
            "fields": fields, "valid": recs.ids.is_valid(), "text": row_text(picked),
        })

    # -- output ---------------------------------------------------------
    def _emit(self, table: str, columns: dict[str, pa.Array]) -> None:
        """Add rows of this document given as columns (see `Detector._emit`)."""
        n = len(next(iter(columns.values())))
        self.detector._emit(self.batch, table, _Owners.one(self, n), columns)

    def finish(self) -> tuple[int, int]:
        """(findings, records) of the document; final once the detector is flushed."""
        return self.findings, self.records


def _repeated(value: str, n: int) -> pa.Array:
    """`value` n times, dictionary-encoded (one string, n indices)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value], pa.string()))


def _locator(*parts) -> pa.Array:
    """Locators joined from literal strings and columns (numbers are written in decimal)."""
    arrays = [p.cast(pa.string()) if isinstance(p, pa.Array) else p for p in parts]
    return pc.binary_join_element_wise(*arrays, "")


def _parts(run: Run, which: np.ndarray) -> pa.Array:
    """Per row, the sub-locator of its block (`page 3 `), or ""."""
    return pa.array([f"{b.part} " if b.part else "" for b in run.blocks], pa.string()).take(pa.array(which))


def _confidence(codes: np.ndarray) -> pa.Array:
    """1.0 for identifiers, 0.5 for masked values (by type code)."""
    return pa.array(np.where(codes == RANK[MASKED], 0.5, 1.0), pa.float32())


def _headers(tb: TableBatch, width: int) -> list[str]:
    cols = list(tb.columns) + [f"col{j + 1}" for j in range(len(tb.columns), width)]
    return [c if c else f"col{j + 1}" for j, c in enumerate(cols)]
