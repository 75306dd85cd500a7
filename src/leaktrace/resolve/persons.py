"""Records -> persons: identifiers on one record belong to one person; shared identifiers join them.

Runs as SQL (label propagation over the record/identifier hypergraph) so memory does
not grow with the case: DuckDB spills to the case's tmp/ folder when it must.
Input tables (temporary, on the connection): `edge_keys(eid BIGINT, key VARCHAR)`:
one row per identifier of each record or reference row. Output: `person_of(key, person)`.

Not yet: "a mobile, card or e-mail together with a compatible name". Splitting such a key
where the rows carrying it have clearly different names needs the names here and a
per-record output (a split key maps to several persons, so `person_of(key, person)` can no
longer give a record its person); line-level names are heuristics (`主叫` on call-log lines)
and must be left out. Probabilistic linkage (`linkage.py`) runs after this step.
"""

from __future__ import annotations

import duckdb

MAX_ROUNDS = 100


def resolve_persons(con: duckdb.DuckDBPyConnection) -> int:
    """Create `person_of(key, person)`; returns the number of propagation rounds."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE key_ids AS
        SELECT key, row_number() OVER (ORDER BY key) AS k FROM (SELECT DISTINCT key FROM edge_keys)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE he AS
        SELECT e.eid, i.k FROM edge_keys e JOIN key_ids i USING (key)""")
    con.execute("CREATE OR REPLACE TEMP TABLE lbl AS SELECT k, k AS label FROM key_ids")
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        con.execute("""
            CREATE OR REPLACE TEMP TABLE elbl AS
            SELECT he.eid, min(l.label) AS label FROM he JOIN lbl l USING (k) GROUP BY he.eid""")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE lbl2 AS
            SELECT he.k, least(min(e.label), any_value(l.label)) AS label
            FROM he JOIN elbl e USING (eid) JOIN lbl l USING (k) GROUP BY he.k""")
        changed = con.execute("""
            SELECT count(*) FROM lbl2 JOIN lbl USING (k) WHERE lbl2.label < lbl.label""").fetchone()[0]
        con.execute("CREATE OR REPLACE TEMP TABLE lbl AS SELECT * FROM lbl2")
        if not changed:
            break
    con.execute("""
        CREATE OR REPLACE TEMP TABLE person_of AS
        SELECT i.key, l.label AS person FROM key_ids i JOIN lbl l USING (k)""")
    return rounds
