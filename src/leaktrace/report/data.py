"""What the report shows, gathered from the case store (counts, overlap, sources, manifest, samples)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .. import __version__, identifiers
from ..case.store import CaseStore
from ..inspect import status_summary
from ..mask import mask_ids, mask_name
from ..profiles import Profile
from ..profiles.assess import assess_holders
from ..records.count import Counts, count_case

#: Masked sample records shown per holder (one per category first).
SAMPLES_PER_HOLDER = 5


@dataclass
class ReportData:
    case: str
    generated: str
    version: str
    profile: Profile
    insiders: list[str]
    roots: list[str]
    summary: dict
    counts: Counts
    overlap: list[list[int]]                   # holder x holder shared persons (diagonal: persons)
    by_source: list[tuple[str | None, int, int]]   # (source, counted rows, persons)
    samples: dict[str, list[dict]]
    attribution: dict | None
    manifest: list[dict]
    problems: list[dict]
    identifier_types: list[dict] = field(default_factory=list)


def collect(store: CaseStore, profile: Profile, insiders: list[str] | tuple = (),
            attribution: dict | None = None) -> ReportData:
    """Count the case under `profile` (writing the derived tables) and gather every section's data.

    `attribution` is `attribute_case(store)`'s result; computed here when not given.
    """
    counts = count_case(store, profile)
    assess_holders(profile, counts.holders, insiders)
    if attribution is None:
        from ..attribute.attribution import attribute_case

        attribution = attribute_case(store)
    status = status_summary(store)
    holders = list(counts.holders)
    rp = store.derived("record_persons")
    with store.connect() as con:
        con.read_parquet(str(rp)).create_view("rp")
        refs, ref_files = con.execute("SELECT count(DISTINCT holder), count(*) FROM ref_manifest").fetchone()
        canaries = con.execute("SELECT count(*) FROM canaries").fetchone()[0]
        pairs = con.execute("""
            WITH hp AS (SELECT DISTINCT holder, person FROM rp WHERE counted AND person IS NOT NULL)
            SELECT a.holder, b.holder, count(*) FROM hp a JOIN hp b USING (person) GROUP BY ALL""").fetchall()
        by_source = con.execute("""
            SELECT source, count(*), count(DISTINCT person) FROM rp WHERE counted
            GROUP BY source ORDER BY 2 DESC, 1""").fetchall()
        sample_rows = con.execute(f"""
            WITH s AS (SELECT c.holder, c.category, c.source, r.path, r.record, r.locator, r.name, r.ids,
                              row_number() OVER (PARTITION BY c.holder, c.category ORDER BY r.path, r.record) AS k
                       FROM rp c JOIN records r USING (path, record) WHERE c.counted)
            SELECT holder, category, source, path, locator, name, ids FROM s
            QUALIFY row_number() OVER (PARTITION BY holder ORDER BY k, category) <= {SAMPLES_PER_HOLDER}
            ORDER BY holder, category, path, record""").fetchall()
        manifest = con.execute("""
            SELECT path, holder, depth, size, sha256, format, status, reason, findings, records
            FROM manifest ORDER BY holder, path""").fetchall()
        types = con.execute("SELECT type, count(*), count(DISTINCT value) FROM findings GROUP BY 1 ORDER BY 2 DESC"
                            ).fetchall()
    index = {h: i for i, h in enumerate(holders)}
    overlap = [[0] * len(holders) for _ in holders]
    for a, b, n in pairs:
        if a in index and b in index:
            overlap[index[a]][index[b]] = n
    samples: dict[str, list[dict]] = {h: [] for h in holders}
    for h, cat, source, path, locator, name, ids in sample_rows:
        samples.setdefault(h, []).append({"category": cat, "source": source, "path": path, "locator": locator,
                                          "name": mask_name(name) if name else "", "ids": mask_ids(ids)})
    t = status["totals"]
    summary = {"holders": len(holders), "files": t["files"], "members": t["members"], "bytes": t["bytes"],
               "findings": t["findings"], "records": t["records"], "persons": counts.persons,
               "counted": sum(sum(c["records"].values()) for c in counts.holders.values()),
               "references": refs, "reference_files": ref_files, "canaries": canaries}
    cols = ("path", "holder", "depth", "size", "sha256", "format", "status", "reason", "findings", "records")
    return ReportData(
        case=str(store.root), generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        version=__version__, profile=profile, insiders=list(insiders),
        roots=store.meta.get("evidence_roots", []), summary=summary, counts=counts, overlap=overlap,
        by_source=by_source, samples=samples, attribution=attribution,
        manifest=[dict(zip(cols, r)) for r in manifest], problems=status["items"],
        identifier_types=[{"type": ty, "findings": n, "distinct": d, "rule": _rule(ty)} for ty, n, d in types])


def _rule(type_: str) -> str:
    """An identifier module's docstring up to its examples: what counts and how it is validated."""
    mod = identifiers.TYPES.get(type_)
    doc = ((mod.__doc__ or "") if mod else "").split(">>>")[0]
    return " ".join(doc.replace("``", "").split())

