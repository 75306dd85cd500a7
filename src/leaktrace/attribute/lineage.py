"""Lineage: the same leaked dataset in more than one holder's evidence.

Two documents of different holders are linked when they have the same SHA-256 (manifest) or
when one's identifier keys are contained in the other's at `CONTAINED` or more. The direction
hint: a subset is derived from its superset; copies of the same data go from the older file to
the newer (manifest `mtime`), else the direction is unknown. SQL over `rec`/`rec_keys`
(prepared by `records.sources.prepare_match_tables`) and `manifest`.
"""

from __future__ import annotations

from ..engines import Engine

#: Share of a document's keys found in another document to call it derived from it.
CONTAINED = 0.9
#: Documents with fewer distinct keys are not considered datasets here (chats, notes).
MIN_KEYS = 20


def find_lineage(engine: Engine) -> list[dict]:
    """Links between documents of different holders, strongest first. Steps: `doc_keys(path, holder, k)`
    (each document's distinct key ids) and `doc_size(path, holder, n)` (documents with `MIN_KEYS` or more)."""
    engine.materialize("doc_keys", """
        SELECT DISTINCT r.path, r.holder, k.k FROM rec_keys k JOIN rec r USING (rid)""")
    engine.materialize("doc_size", f"""
        SELECT path, any_value(holder) AS holder, count(*) AS n FROM doc_keys GROUP BY path
        HAVING count(*) >= {MIN_KEYS}""")
    rows = engine.rows(f"""
        WITH dk AS (SELECT d.* FROM doc_keys d SEMI JOIN doc_size USING (path)),
        shared AS (
          SELECT a.path AS pa, b.path AS pb, count(*) AS shared
          FROM dk a JOIN dk b ON a.k = b.k AND a.holder <> b.holder AND a.path < b.path
          GROUP BY ALL),
        sha AS (
          SELECT a.path AS pa, b.path AS pb FROM manifest a JOIN manifest b
            ON a.sha256 = b.sha256 AND a.holder <> b.holder AND a.path < b.path
          WHERE a.path IN (SELECT path FROM doc_size) AND b.path IN (SELECT path FROM doc_size))
        SELECT pa, pb, sa.holder, sb.holder, sa.n, sb.n, coalesce(s.shared, 0),
               coalesce(s.shared, 0) / sa.n AS ca, coalesce(s.shared, 0) / sb.n AS cb,
               h.pa IS NOT NULL AS same_sha, ma.mtime, mb.mtime
        FROM shared s FULL JOIN sha h USING (pa, pb)
        JOIN doc_size sa ON sa.path = pa JOIN doc_size sb ON sb.path = pb
        LEFT JOIN manifest ma ON ma.path = pa LEFT JOIN manifest mb ON mb.path = pb
        WHERE h.pa IS NOT NULL OR greatest(coalesce(s.shared, 0) / sa.n, coalesce(s.shared, 0) / sb.n) >= {CONTAINED}
        ORDER BY greatest(ca, cb) DESC, pa, pb""")
    links = []
    for pa, pb, ha, hb, na, nb, shared, ca, cb, same_sha, ta, tb in rows:
        a, b = {"path": pa, "holder": ha, "keys": na, "mtime": ta}, {"path": pb, "holder": hb, "keys": nb, "mtime": tb}
        if same_sha or (ca >= CONTAINED and cb >= CONTAINED):
            kind = "identical" if same_sha else "same_keys"
            if ta and tb and ta != tb:
                src, dst = (a, b) if ta < tb else (b, a)
                hint = "older file to newer"
            else:
                src, dst, hint = a, b, "unknown (same content, no file-time difference)"
        else:
            kind = "subset"
            src, dst = (b, a) if ca >= CONTAINED else (a, b)  # the contained one is derived
            hint = "subset derived from superset"
        links.append({
            "from": src["path"], "to": dst["path"], "from_holder": src["holder"], "to_holder": dst["holder"],
            "kind": kind, "shared_keys": shared,
            "containment": round(max(ca, cb), 4), "from_keys": src["keys"], "to_keys": dst["keys"],
            "direction": hint, "from_mtime": src["mtime"], "to_mtime": dst["mtime"]})
    return links
