"""Attribution: which reference database each leaked document was taken from.

Per document (records grouped by `records.path`, all sheets/tables of a document together) and
per candidate source:

* `matched`: the document's keyed records sharing an identifier with the source;
  `containment` = matched / keyed records (sketched sources: the MinHash estimate and its error);
* `share`: the records whose best source (`records.sources.match_sources`, the matcher counting
  uses) is this source, over the keyed records: a file mixing sources shows each share;
* `schema`: Jaccard similarity of the document's column roles and the source's;
* `canaries`: distinct canary persons of the source found in the document: decisive proof
  that the source contributed rows (`proven`), whatever its share.

`score` = 0.9 × (0.6 share + 0.25 containment + 0.15 schema) + 0.1 if proven by a canary:
the leading source is the one most rows come from; a canary source that supplied only a few
rows of a mixed document is listed as proven but does not outrank the majority source.
See docs/attribution.md.
"""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from ..case.store import CaseStore
from ..records.sources import key_id, match_sources, prepare_match_tables
from . import containment as cont
from .canaries import canary_keys_sql
from .lineage import find_lineage

W_SHARE, W_CONTAIN, W_SCHEMA = 0.6, 0.25, 0.15
#: The part of the score given by canary proof.
W_CANARY = 0.1
#: A document whose second source holds at least this share is reported as mixed.
MIXED_SHARE = 0.15


def _roles(con: duckdb.DuckDBPyConnection, table: str, key: str) -> dict[str, set[str]]:
    rows = con.execute(f"""
        SELECT {key}, list_distinct(flatten(list(map_values(json_transform(roles, '"MAP(VARCHAR, VARCHAR)"')))))
        FROM (SELECT DISTINCT {key}, roles FROM {table} WHERE roles IS NOT NULL AND roles <> '{{}}')
        GROUP BY {key}""").fetchall()
    return {k: set(v or []) for k, v in rows}


def score_of(share: float, containment: float, schema: float, canaries: int) -> float:
    """The ranking score of one candidate (see the module docstring)."""
    base = W_SHARE * share + W_CONTAIN * containment + W_SCHEMA * schema
    return round((1 - W_CANARY) * base + (W_CANARY if canaries else 0.0), 4)


def attribute_case(store: CaseStore, exact: bool = False, sketch_min_keys: int = cont.SKETCH_MIN_KEYS) -> dict:
    """Candidate sources of every document with keyed records, plus lineage links."""
    with store.connect() as con:
        counts = cont.ref_key_counts(con)
        large = {} if exact else {s: n for s, n in counts.items() if n >= sketch_min_keys}
        where = None
        if large:   # reference names are data: a table of them, not SQL text
            con.from_arrow(pa.table({"source": pa.array(sorted(large), pa.string())})).create_view("sketched")
            where = "holder NOT IN (SELECT source FROM sketched)"
        prepare_match_tables(con, ref_where=where)
        match_sources(con)
        docs = con.execute("""
            SELECT r.path, any_value(r.holder), count(*), count(*) FILTER (WHERE r.ids IS NOT NULL)
            FROM rec r GROUP BY r.path HAVING count(*) FILTER (WHERE r.ids IS NOT NULL) > 0
            ORDER BY r.path""").fetchall()
        pairs = con.execute(f"""
            WITH m AS (SELECT r.path, s.source, count(DISTINCT c.rid) AS matched
                       FROM cand c JOIN rec r USING (rid) JOIN ref_sources s USING (sid) GROUP BY ALL),
                 b AS (SELECT r.path, s.source, count(*) AS best
                       FROM record_source s JOIN rec r USING (rid) GROUP BY ALL),
                 h AS (SELECT r.path, ck.source, count(DISTINCT ck.canary) AS canaries
                       FROM rec_keys k JOIN ({canary_keys_sql()}) ck ON {key_id('ck.key')} = k.k JOIN rec r USING (rid)
                       GROUP BY ALL)
            SELECT path, source, coalesce(m.matched, 0), coalesce(b.best, 0), coalesce(h.canaries, 0)
            FROM m FULL JOIN b USING (path, source) FULL JOIN h USING (path, source)""").fetchall()
        sketched = cont.sketch_containment(con, cont.ref_sketches(store, con, large)) if large else []
        doc_roles = _roles(con, "records", "path")
        ref_roles = _roles(con, "ref_records", "holder")
        lineage = find_lineage(con)

    cands: dict[str, dict[str, dict]] = {}
    for path, source, matched, best, canaries in pairs:
        cands.setdefault(path, {})[source] = {"source": source, "matched": matched, "best": best,
                                              "canaries": canaries, "method": "exact"}
    for s in sketched:
        c = cands.setdefault(s["path"], {}).setdefault(s["source"], {"source": s["source"], "best": None,
                                                                   "canaries": 0})
        c.update(method="minhash", containment_error=round(s["error"], 4), estimate=s["containment"])
    files = []
    for path, holder, n_records, keyed in docs:
        out = []
        for c in cands.get(path, {}).values():
            if c["method"] == "minhash":
                c["containment"] = round(c.pop("estimate"), 4)
                c["matched"] = round(c["containment"] * keyed)
                c["share"] = c["containment"]
            else:
                c["containment"] = round(c["matched"] / keyed, 4)
                c["share"] = round(c["best"] / keyed, 4)
            c.pop("best", None)
            a, b = doc_roles.get(path, set()), ref_roles.get(c["source"], set())
            c["schema"] = round(len(a & b) / len(a | b), 4) if a and b else 0.0
            c["score"] = score_of(c["share"], c["containment"], c["schema"], c["canaries"])
            c["proven"] = c["canaries"] > 0
            out.append(c)
        out.sort(key=lambda c: (-c["score"], -c["containment"], c["source"]))
        line = explain(keyed, out)
        files.append({"path": path, "holder": holder, "records": n_records, "keyed": keyed,
                      "candidates": [{"source": c.pop("source"), "score": c.pop("score"), **c} for c in out],
                      "explanation": line})
    sources = {s: {"keys": n, "method": "minhash" if s in large else "exact"} for s, n in sorted(counts.items())}
    return {"files": files, "lineage": lineage, "sources": sources,
            "sketch": {"num_perm": cont.NUM_PERM, "min_keys": sketch_min_keys, "lsh_threshold": cont.LSH_THRESHOLD}}


def explain(keyed: int, cands: list[dict]) -> str:
    """One line on why the first candidate leads, and the other sources of a mixed document."""
    if not cands:
        return f"no reference shares an identifier with its {keyed} keyed records: source unknown"
    top = cands[0]
    name = top["source"]
    if top.get("method") == "minhash":
        line = (f"{name}: about {top['containment']:.0%} (±{top['containment_error']:.0%}) of {keyed} keyed records' "
                f"keys in the reference (MinHash estimate)")
    else:
        line = (f"{name}: {top['matched']} of {keyed} keyed records found ({top['containment']:.0%}), "
                f"best source of {top['share']:.0%}")
    line += f"; schema similarity {top['schema']:.2f}"
    if top["canaries"]:
        line += f"; {top['canaries']} canary person(s) of {name}: proven"
    proven = [f"{c['source']} ({c['canaries']})" for c in cands[1:] if c["canaries"]]
    if proven:
        line += "; canaries also prove rows from " + ", ".join(proven)
    mixed = [c for c in cands[1:] if c["share"] >= MIXED_SHARE]
    if mixed:
        line += "; mixed with " + ", ".join(f"{c['source']} {c['share']:.0%}" for c in mixed)
    return line


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)
