"""`status` and `verify`: what a case holds and whether the evidence is unchanged."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .case.store import CaseStore
from .ingest.scan import hash_document
from .ingest.walk import walk
from .mask import redact
from .terminal import literal, shown, visible


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
    return (f"{partial} items partly read and {failed} not read ({size / 1e6:.1f} MB as listed): the counts cover "
            f"only what was read; `leaktrace status` lists each with its reason")


def print_status(store: CaseStore, console: Console, reveal: bool = False) -> None:
    """The summary as text and tables; paths, holders and reasons masked unless `reveal`."""
    s = status_summary(store)
    t = s["totals"]
    console.print(f"[bold]{literal(store.root)}[/bold]: {t['files']} files, {t['members']} archive members, "
                  f"{t['bytes'] / 1e6:.1f} MB; {t['tables']} tables, {t['rows']} rows, "
                  f"{t['text_bytes'] / 1e6:.1f} MB text; {t['findings']} findings, {t['records']} records")
    console.print("items by status: " + ", ".join(f"{literal(k)} {v}" for k, v in s["by_status"].items()))
    if s["holders"]:
        ht = Table("holder", "items", "findings")
        for h in s["holders"]:
            ht.add_row(shown(h["holder"], reveal), str(h["items"]), str(h["findings"]))
        console.print(ht)
    if s["items"]:
        it = Table("status", "item", "reason", title="items not fully read")
        for i in s["items"]:
            it.add_row(literal(i["status"]), shown(i["path"], reveal), shown(i["reason"] or "", reveal))
        console.print(it)


def verify_evidence(store: CaseStore, root: Path, holder: str | None, console: Console, reveal: bool = False) -> int:
    """Compare files on disk with the manifest; print and count changed, missing, new and unreadable files.

    Missing files are those of the holders scanned from `root` (recorded by `scan`), so a deleted or
    emptied holder folder is reported; a file that can no longer be read (now a link, a pipe, a
    folder, or failing to open) is reported as unreadable, with why."""
    with store.connect() as con:
        known = {p: (h, d) for p, h, d in con.execute(
            "SELECT path, holder, sha256 FROM manifest WHERE depth = 0 AND sha256 IS NOT NULL").fetchall()}
    seen, changed, new, unreadable = set(), [], [], []
    for ef in walk(root, holder):
        if ef.skip_reason:
            if ef.path in known:
                seen.add(ef.path)
                unreadable.append((ef.path, ef.skip_reason))
            continue
        seen.add(ef.path)
        if ef.path not in known:
            new.append((ef.path,))
            continue
        try:
            digest = hash_document(lambda p=ef.abspath: open(p, "rb"))[0]
        except OSError as exc:
            unreadable.append((ef.path, f"cannot read: {exc.strerror or exc}"))
            continue
        if digest != known[ef.path][1]:
            changed.append((ef.path,))
    holders = _holders_of(store, root, holder, {known[p][0] for p in seen if p in known},
                          {h for h, _ in known.values()})
    missing = []
    for p in sorted(p for p, (h, _) in known.items() if p not in seen and h in holders):
        on_disk = root / (p if holder is None else p.partition("/")[2])
        if on_disk.is_dir() and not on_disk.is_symlink():
            unreadable.append((p, "now a folder"))
        else:
            missing.append((p,))
    for label, items in (("changed", changed), ("missing", missing), ("new", new), ("unreadable", unreadable)):
        for fields in items:   # tab-separated, for scripts
            print("\t".join([label, *(visible(f if reveal else redact(f)) for f in fields)]), file=console.file)
    console.print(f"verified {len(seen)} files: {len(changed)} changed, {len(missing)} missing, {len(new)} new, "
                  f"{len(unreadable)} unreadable", highlight=False)
    return len(changed) + len(missing) + len(new) + len(unreadable)


def _holders_of(store: CaseStore, root: Path, holder: str | None, seen: set[str], all_known: set[str]) -> set[str]:
    """The holders whose files a scan of `root` put in the case: as `scan` recorded them; for a case
    scanned before it did, every holder of a one-root case, else those still present (`seen`)."""
    if holder is not None:
        return {holder}
    meta = store.meta
    recorded = meta.get("evidence_holders", {}).get(str(root.resolve()))
    if recorded is not None:
        return set(recorded)
    return all_known if len(meta.get("evidence_roots", [])) <= 1 else seen
