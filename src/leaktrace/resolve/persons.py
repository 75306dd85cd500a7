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

from ..engines import Engine

MAX_ROUNDS = 64


def _ordered_pair(x: str, y: str) -> str:
    """SQL: columns `a, b` = the smaller and the larger of `x`, `y`. (`least`/`greatest` on
    128-bit ids hold memory outside DuckDB's limit: four times the limit in a DISTINCT at scale.)"""
    return f"CASE WHEN {x} < {y} THEN {x} ELSE {y} END AS a, CASE WHEN {x} < {y} THEN {y} ELSE {x} END AS b"


def resolve_persons(engine: Engine) -> int:
    """Create `person_key(k, person)` from `key_edges(a, b)`; returns the number of rounds.
    Steps: `key_graph(a, b)` (the edges left between current roots, a < b) and `key_hook(r, m)`
    (this round's hooks: root r onto its smallest neighbour m); `key_graph` is left empty."""
    engine.materialize("key_graph", f"""
        SELECT DISTINCT {_ordered_pair('a', 'b')} FROM key_edges WHERE a <> b""")
    engine.materialize("person_key", """
        SELECT DISTINCT k, k AS person FROM (SELECT a AS k FROM key_graph UNION ALL SELECT b FROM key_graph)""")
    rounds = 0
    while engine.scalar("SELECT count(*) FROM key_graph"):
        if rounds == MAX_ROUNDS:
            raise RuntimeError(f"identifier graph not resolved in {MAX_ROUNDS} rounds")
        rounds += 1
        engine.materialize("key_hook", "SELECT b AS r, min(a) AS m FROM key_graph GROUP BY b")
        _flatten(engine)
        engine.materialize("person_key", """
            SELECT p.k, coalesce(h.m, p.person) AS person FROM person_key p LEFT JOIN key_hook h ON h.r = p.person""")
        engine.materialize("key_graph", f"""
            SELECT DISTINCT {_ordered_pair('ra', 'rb')} FROM (
              SELECT coalesce(ha.m, g.a) AS ra, coalesce(hb.m, g.b) AS rb
              FROM key_graph g LEFT JOIN key_hook ha ON ha.r = g.a LEFT JOIN key_hook hb ON hb.r = g.b)
            WHERE ra <> rb""")
    engine.drop("key_hook")
    return rounds


def _flatten(engine: Engine) -> None:
    """Point every key of `key_hook(r, m)` (m < r) at the end of its chain of hooks."""
    while engine.scalar("SELECT count(*) FROM key_hook h JOIN key_hook j ON j.r = h.m"):
        engine.materialize("key_hook", """
            SELECT h.r, coalesce(j.m, h.m) AS m FROM key_hook h LEFT JOIN key_hook j ON j.r = h.m""")
