"""Records -> persons: identifiers on one record belong to one person; shared identifiers join them.

Connected components of the identifier graph, as SQL over integer key ids so memory
does not grow with the case (DuckDB spills to the case's tmp/ folder when it must).
Input (temporary, on the connection): `key_edges(a, b)`, one row per pair of identifier
keys seen on one record or reference row. Output: `person_key(k, person)` for every
key on an edge (person: the smallest key id of its component); a key on no edge is a
person of its own (its id).

Each round hooks every key with a smaller neighbour onto its smallest neighbour, flattens
the hooks by pointer jumping, and contracts the graph to the surviving roots; a chain of
n keys resolves in about log n rounds rather than n.

Before this step `shared_keys.py` splits a mobile, card or e-mail carried by rows of
incompatible names, so such a key joins only rows of one name. Probabilistic linkage
(`linkage.py`) runs after this step.
"""

from __future__ import annotations

import duckdb

MAX_ROUNDS = 64


def _ordered_pair(x: str, y: str) -> str:
    """SQL: columns `a, b` = the smaller and the larger of `x`, `y`. (`least`/`greatest` on
    128-bit ids hold memory outside DuckDB's limit: four times the limit in a DISTINCT at scale.)"""
    return f"CASE WHEN {x} < {y} THEN {x} ELSE {y} END AS a, CASE WHEN {x} < {y} THEN {y} ELSE {x} END AS b"


def resolve_persons(con: duckdb.DuckDBPyConnection) -> int:
    """Create `person_key(k, person)` from `key_edges(a, b)`; returns the number of rounds."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE kg AS
        SELECT DISTINCT {_ordered_pair('a', 'b')} FROM key_edges WHERE a <> b""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE person_key AS
        SELECT DISTINCT k, k AS person FROM (SELECT a AS k FROM kg UNION ALL SELECT b FROM kg)""")
    rounds = 0
    while con.execute("SELECT count(*) FROM kg").fetchone()[0]:
        if rounds == MAX_ROUNDS:
            raise RuntimeError(f"identifier graph not resolved in {MAX_ROUNDS} rounds")
        rounds += 1
        con.execute("CREATE OR REPLACE TEMP TABLE hook AS SELECT b AS r, min(a) AS m FROM kg GROUP BY b")
        _flatten(con)
        con.execute("""
            CREATE OR REPLACE TEMP TABLE person_key AS
            SELECT p.k, coalesce(h.m, p.person) AS person FROM person_key p LEFT JOIN hook h ON h.r = p.person""")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE kg AS
            SELECT DISTINCT {_ordered_pair('ra', 'rb')} FROM (
              SELECT coalesce(ha.m, g.a) AS ra, coalesce(hb.m, g.b) AS rb
              FROM kg g LEFT JOIN hook ha ON ha.r = g.a LEFT JOIN hook hb ON hb.r = g.b)
            WHERE ra <> rb""")
    con.execute("DROP TABLE IF EXISTS hook")
    return rounds


def _flatten(con: duckdb.DuckDBPyConnection) -> None:
    """Point every key of `hook(r, m)` (m < r) at the end of its chain of hooks."""
    while con.execute("SELECT count(*) FROM hook h JOIN hook j ON j.r = h.m").fetchone()[0]:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE hook AS
            SELECT h.r, coalesce(j.m, h.m) AS m FROM hook h LEFT JOIN hook j ON j.r = h.m""")
