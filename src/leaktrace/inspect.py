"""`status` and `verify`: what a case holds and whether the evidence is unchanged."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .case.store import CaseStore
from .ingest.scan import hash_document
from .ingest.walk import walk


def status_summary(store: CaseStore) -> dict:
    """Totals and per-status counts of the manifest, plus failed and skipped items."""
    with store.connect() as con:
        totals = con.execute("""
            SELECT count(*) FILTER (WHERE depth = 0), count(*) FILTER (WHERE depth > 0),
                   coalesce(sum(size) FILTER (WHERE depth = 0), 0), coalesce(sum(tables), 0),
                   coalesce(sum(rows), 0), coalesce(sum(text_bytes), 0),
                   coalesce(sum(findings), 0), coalesce(sum(records), 0)
            FROM manifest""").fetchone()
        by_status = dict(con.execute("SELECT status, count(*) FROM manifest GROUP BY 1 ORDER BY 1").fetchall())
        problems = con.execute("""
            SELECT status, path, reason FROM manifest
            WHERE status <> 'done' OR reason IS NOT NULL ORDER BY status, path""").fetchall()
        holders = con.execute("""
            SELECT holder, count(*), coalesce(sum(findings), 0) FROM manifest GROUP BY 1 ORDER BY 1""").fetchall()
    keys = ("files", "members", "bytes", "tables", "rows", "text_bytes", "findings", "records")
    return {"totals": dict(zip(keys, totals)), "by_status": by_status,
            "items": [{"status": s, "path": p, "reason": r} for s, p, r in problems],
            "holders": [{"holder": h, "items": n, "findings": f} for h, n, f in holders]}


def not_read_note(store: CaseStore) -> str:
    """One line on the items not fully read (partial or failed), for outputs that count; "" if none."""
    with store.connect() as con:
        partial, failed, size = con.execute("""
            SELECT count(*) FILTER (WHERE status = 'partial'), count(*) FILTER (WHERE status = 'failed'),
                   coalesce(sum(size) FILTER (WHERE status IN ('partial', 'failed')), 0)
            FROM manifest""").fetchone()
    if not partial and not failed:
        return ""
    return (f"{partial} items partly read and {failed} not read ({size / 1e6:.1f} MB): the counts cover "
            f"only what was read; `leaktrace status` lists each with its reason")


def print_status(store: CaseStore, console: Console) -> None:
    s = status_summary(store)
    t = s["totals"]
    console.print(f"[bold]{store.root}[/bold]: {t['files']} files, {t['members']} archive members, "
                  f"{t['bytes'] / 1e6:.1f} MB; {t['tables']} tables, {t['rows']} rows, "
                  f"{t['text_bytes'] / 1e6:.1f} MB text; {t['findings']} findings, {t['records']} records")
    console.print("items by status: " + ", ".join(f"{k} {v}" for k, v in s["by_status"].items()))
    if s["holders"]:
        ht = Table("holder", "items", "findings")
        for h in s["holders"]:
            ht.add_row(h["holder"], str(h["items"]), str(h["findings"]))
        console.print(ht)
    if s["items"]:
        it = Table("status", "item", "reason", title="items not fully read")
        for i in s["items"]:
            it.add_row(i["status"], i["path"], i["reason"] or "")
        console.print(it)


def verify_evidence(store: CaseStore, root: Path, holder: str | None, console: Console) -> int:
    """Compare files on disk with the manifest; print and count changed, missing and new files."""
    with store.connect() as con:
        known = dict(con.execute("SELECT path, sha256 FROM manifest WHERE depth = 0 AND sha256 IS NOT NULL").fetchall())
    seen, changed, new = set(), [], []
    for ef in walk(root, holder):
        if ef.skip_reason:
            continue
        seen.add(ef.path)
        if ef.path not in known:
            new.append(ef.path)
        elif hash_document(lambda p=ef.abspath: open(p, "rb"))[0] != known[ef.path]:
            changed.append(ef.path)
    prefixes = {ef.split("/", 1)[0] for ef in seen} if holder is None else {holder}
    missing = sorted(p for p in known if p not in seen and p.split("/", 1)[0] in prefixes)
    for label, items in (("changed", changed), ("missing", missing), ("new", new)):
        for p in items:
            print(f"{label}\t{p}", file=console.file)  # tab-separated, for scripts
    console.print(f"verified {len(seen)} files: {len(changed)} changed, {len(missing)} missing, {len(new)} new",
                  highlight=False)
    return len(changed) + len(missing) + len(new)

