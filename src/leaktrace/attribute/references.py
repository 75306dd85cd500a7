"""Reference databases: an organisation's customer table, registered with `refs add`.

A reference is read by the same ingestion and detection as evidence; its rows are
kept as `ref_records` (holder = the reference's name), never as records of a holder.
They tie identifiers of one person together and name the source of leaked rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..case.store import CaseStore
from ..detect.engine import Detector
from ..engines import open_engine
from ..ingest.scan import Scanner, ScanStats

NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]+$")


def add_reference(store: CaseStore, name: str, files: list[Path], replace: bool = False) -> ScanStats:
    """Register `files` as reference `name` (replacing an earlier one of that name if asked)."""
    if not NAME_RE.match(name):
        raise ValueError(f"reference name {name!r}: use letters, digits, '_', '-', '.'")
    old = store.batches_where("ref_manifest", "holder = ?", [name])
    if old and not replace:
        raise ValueError(f"reference {name!r} exists; use --replace to register it anew")
    store.drop_batches(old)
    detector = Detector({"findings": None, "records": "ref_records"})
    scanner = Scanner(store, detector, manifest="ref_manifest")
    for f in files:
        scanner.scan(Path(f), holder=name)
    return scanner.stats


def list_references(store: CaseStore) -> list[dict]:
    """Each registered reference: files, rows read and records with identifiers."""
    with open_engine(store) as engine:
        rows = engine.rows("""
            SELECT m.holder, count(*) FILTER (WHERE m.depth = 0), sum(m.rows),
                   (SELECT count(*) FROM ref_records r WHERE r.holder = m.holder)
            FROM ref_manifest m GROUP BY m.holder ORDER BY m.holder""")
    return [{"source": s, "files": f, "rows": r, "records": n} for s, f, r, n in rows]
