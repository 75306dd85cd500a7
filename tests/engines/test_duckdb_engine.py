"""The DuckDB engine and dialect (engines/duckdb.py) on tables built here."""

from __future__ import annotations

import hashlib

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leaktrace.case.store import CaseStore
from leaktrace.engines import open_engine
from leaktrace.engines.duckdb import DuckDBEngine


@pytest.fixture
def engine():
    con = duckdb.connect()
    yield DuckDBEngine(con)
    con.close()


def test_steps_are_materialised_read_written_and_dropped(engine, tmp_path):
    engine.register_arrow("people", pa.table({"name": ["a", "b", "c"], "n": [3, 1, 2]}))
    engine.materialize("ranked", "SELECT name, n FROM people")
    engine.unregister("people")
    assert engine.count("ranked") == 3
    engine.materialize("second", "SELECT name FROM ranked WHERE n = ?", [2])
    assert engine.rows("SELECT * FROM second") == [("c",)]
    engine.view("big", "SELECT name FROM ranked WHERE n >= 2")
    assert engine.rows("SELECT name FROM big ORDER BY 1") == [("a",), ("c",)]
    assert engine.scalar("SELECT max(n) FROM ranked WHERE name <> ?", ["a"]) == 2
    engine.write_parquet("SELECT * FROM ranked ORDER BY n", tmp_path / "r.parquet")
    assert pq.read_table(tmp_path / "r.parquet").column("name").to_pylist() == ["b", "c", "a"]
    assert engine.arrow("SELECT n FROM ranked WHERE name = ?", ["c"]).column("n").to_pylist() == [2]
    assert engine.numpy("SELECT n FROM ranked WHERE n > ? ORDER BY n", [1])["n"].tolist() == [2, 3]
    engine.read_parquet("ranked_again", tmp_path / "r.parquet")
    assert engine.rows("SELECT name FROM ranked_again WHERE n = 1") == [("b",)]
    engine.drop("ranked", "never_made")
    with pytest.raises(duckdb.CatalogException):
        engine.count("ranked")


def test_key_id_is_the_md5_number_and_survives_two_columns(engine):
    d = engine.dialect
    key = "cn_mobile:13800138000"
    k = engine.scalar(f"SELECT {d.key_id('?')}", [key])
    assert k == int.from_bytes(hashlib.md5(key.encode()).digest(), "little")
    hi, lo = engine.rows(f"SELECT {d.key_id_columns(d.key_id('$1'))}", [key])[0]
    assert (hi, lo) == (k >> 64, k & (2**64 - 1))
    assert engine.scalar(f"SELECT {d.key_id_from_columns('?::UBIGINT', '?::UBIGINT')}", [hi, lo]) == k
    assert engine.scalar(f"SELECT {d.key_id_low64(d.key_id('?'))}", [key]) == lo


def test_list_lambdas(engine):
    d = engine.dialect
    assert engine.scalar(f"SELECT {d.list_transform('[1, 2, 3]', 'x', 'x * 10')}") == [10, 20, 30]
    assert engine.scalar(f"SELECT {d.list_filter('[1, 2, 3, 4]', 'y', 'y % 2 = 0')}") == [2, 4]


def test_arg_max_ranked_compares_ranks_in_order(engine):
    engine.register_arrow("cands", pa.table({
        "g": [1, 1, 1, 2, 2],
        "v": ["low", "tie-a", "tie-b", "only-second", "first"],
        "r1": [1, 7, 7, 0, 5],
        "r2": [9, 2, 3, 2**32 - 1, 0],
    }))
    best = engine.dialect.arg_max_ranked("v", [("r1", 16), ("r2", 32)])
    got = dict(engine.rows(f"SELECT g, {best} FROM cands GROUP BY g"))
    # the first rank decides; the second only breaks its ties (a large second never beats a first)
    assert got == {1: "tie-b", 2: "first"}
    with pytest.raises(ValueError):
        engine.dialect.arg_max_ranked("v", [("r1", 33), ("r2", 32)])


def test_update_from_rewrites_only_joined_rows(engine):
    engine.register_arrow("src", pa.table({"person": [1, 2, 3], "linked": [1, 1, 3]}))
    engine.materialize("counted", "SELECT * FROM (VALUES (10, 1), (11, 2), (12, 3), (13, 4)) t(rid, person)")
    engine.run(engine.dialect.update_from("counted", "person", "s.linked", "src s",
                                          "counted.person = s.person AND s.linked <> s.person"))
    assert engine.rows("SELECT rid, person FROM counted ORDER BY rid") == [(10, 1), (11, 1), (12, 3), (13, 4)]


def test_scratch_session_is_separate_and_closed(engine):
    engine.materialize("mine", "SELECT 1 AS x")
    with engine.scratch() as (scratch, db_api):
        scratch.run("CREATE TABLE t AS SELECT 2 AS x")
        assert scratch.scalar("SELECT x FROM t") == 2
        with pytest.raises(duckdb.CatalogException):
            scratch.count("mine")
        assert db_api.sql_dialect.sql_dialect_str == engine.dialect.name
    with pytest.raises(duckdb.ConnectionException):
        scratch.count("t")


def test_open_engine_sees_the_case_tables(tmp_path):
    store = CaseStore(tmp_path / "case", create=True)
    with open_engine(store) as engine:
        assert engine.count("records") == 0 and engine.count("manifest") == 0
