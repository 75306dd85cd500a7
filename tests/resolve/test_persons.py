"""Connected components of the identifier graph (resolve/persons.py) on graphs built here."""

from __future__ import annotations

import random

import duckdb

from leaktrace.engines.duckdb import DuckDBEngine
from leaktrace.resolve.persons import resolve_persons


def _components(edges: list[tuple[int, int]]) -> tuple[dict[int, int], int]:
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE key_edges (a UHUGEINT, b UHUGEINT)")
    if edges:
        con.executemany("INSERT INTO key_edges VALUES (?, ?)", edges)
    rounds = resolve_persons(DuckDBEngine(con))
    return dict(con.execute("SELECT k::BIGINT, person::BIGINT FROM person_key").fetchall()), rounds


def _union_find(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def test_long_chain_resolves_to_its_smallest_key_in_few_rounds():
    keys = list(range(1, 1025))
    random.Random(3).shuffle(keys)  # a chain whose labels are not in path order
    edges = list(zip(keys, keys[1:]))
    person, rounds = _components(edges)
    assert set(person.values()) == {1} and len(person) == 1024
    assert rounds <= 15  # pointer jumping: about log2(1024) rounds, not 1024


def test_random_graph_matches_union_find():
    rng = random.Random(11)
    edges = [(rng.randint(1, 3000), rng.randint(1, 3000)) for _ in range(2500)]
    person, _ = _components(edges)
    expected = {k: v for k, v in _union_find(edges).items() if any(k in e for e in edges if e[0] != e[1])}
    assert person == expected


def test_self_loops_and_duplicates_make_no_person():
    person, _ = _components([(5, 5), (7, 8), (8, 7), (7, 8)])
    assert person == {7: 7, 8: 7}
