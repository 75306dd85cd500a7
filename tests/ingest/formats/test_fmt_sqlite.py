"""SQLite: evidence never written, hostile definitions never run, each table read on its own."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from fmt_helpers import all_rows, tables, unreadables

from leaktrace.case.store import CaseStore
from leaktrace.ingest import scan
from leaktrace.ingest.formats import read_document, sqlite as sqlite_reader
from leaktrace.ingest.scan import Scanner
from leaktrace.ingest.units import Document


def make_db(path: Path, *statements: str, rows: dict[str, list[tuple]] | None = None) -> Path:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    for table, values in (rows or {}).items():
        marks = ",".join("?" * len(values[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    con.commit()
    con.close()
    return path


def read(path: Path, in_memory: bool):
    """(units, result) of the database read as the scanner hands it over: a small file's bytes in
    memory, or a large file by its path on disk."""
    data = path.read_bytes() if in_memory else None
    doc = Document(path=path.name, name=path.name, size=path.stat().st_size, open=lambda: open(path, "rb"),
                   source=str(path), data=data)
    units, result = read_document(doc, "sqlite")
    return list(units), result


@pytest.mark.parametrize("in_memory", [False, True])
def test_uri_syntax_in_names_reads_the_named_file_and_writes_nothing(evidence, in_memory):
    for name, n in (("a#b.db", 2), ("x%41.db", 3), ("xA.db", 5), ("q?mode=rwc.db", 7)):
        make_db(evidence / name, "CREATE TABLE t (v TEXT)", rows={"t": [(f"{name}-{i}",) for i in range(n)]})
    listing = sorted(p.name for p in evidence.iterdir())
    for name in ("a#b.db", "x%41.db", "q?mode=rwc.db"):
        units, _ = read(evidence / name, in_memory)
        assert {r[0].rsplit("-", 1)[0] for r in all_rows(units)} == {name}
    assert sorted(p.name for p in evidence.iterdir()) == listing


@pytest.mark.parametrize("whole", [scan.WHOLE_BYTES, 0])
def test_scan_reads_each_database_and_leaves_the_folder_as_it_was(evidence, tmp_path, monkeypatch, whole):
    monkeypatch.setattr(scan, "WHOLE_BYTES", whole)
    sizes = {"a#b.db": 2, "x%41.db": 3, "xA.db": 5}
    for name, n in sizes.items():
        make_db(evidence / name, "CREATE TABLE t (v TEXT)", rows={"t": [(str(i),) for i in range(n)]})
    before = {p.name: p.read_bytes() for p in evidence.iterdir()}
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store).scan(evidence)
    with store.connect() as con:
        got = dict(con.execute("SELECT path, rows FROM manifest WHERE status = 'done'").fetchall())
    assert got == sizes
    assert {p.name: p.read_bytes() for p in evidence.iterdir()} == before


def hostile_db(path: Path) -> Path:
    """A table whose virtual generated column would allocate 200 MB a row, a view that never ends,
    and an ordinary table after them. SQLite refuses `randomblob` in a generated column when the
    table is created, so the schema is rewritten afterwards, as a hostile file would hold it."""
    make_db(path, "CREATE TABLE msg (body TEXT, big BLOB AS (zeroblob(1)) VIRTUAL, n INTEGER AS (1) STORED)",
            "CREATE VIEW forever AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r",
            "CREATE TABLE zz (v TEXT)",
            rows={"msg": [(f"m{i}",) for i in range(20)], "zz": [("after",)]})
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, 'zeroblob(1)', 'randomblob(200000000)') "
                "WHERE name = 'msg'")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("in_memory", [False, True])
def test_generated_columns_and_views_are_not_evaluated(tmp_path, monkeypatch, in_memory):
    monkeypatch.setattr(sqlite_reader, "TABLE_SECONDS", 10.0)   # a view that ran would end here, not hang
    path = hostile_db(tmp_path / "hostile.db")
    start = time.monotonic()
    units, result = read(path, in_memory)
    assert time.monotonic() - start < 2
    batches = {b.table: b for b in tables(units)}
    assert set(batches) == {"msg", "zz"} and not unreadables(units)
    assert batches["msg"].columns == ["body", "n"]
    assert batches["msg"].rows[:2] == [["m0", "1"], ["m1", "1"]] and result.rows == 21


def test_virtual_tables_are_read_through_their_shadow_tables(tmp_path):
    path = make_db(tmp_path / "fts.db", "CREATE VIRTUAL TABLE notes USING fts5(body)",
                   rows={"notes": [("call 13800138000",)]})
    units, _ = read(path, in_memory=False)
    names = {b.table for b in tables(units)}
    assert "notes" not in names and "notes_content" in names
    assert ["1", "call 13800138000"] in all_rows(units)


def test_a_table_over_its_row_budget_is_reported_and_the_next_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_reader, "TABLE_ROWS", 100)
    path = make_db(tmp_path / "big.db", "CREATE TABLE a (v)", "CREATE TABLE b (v)",
                   rows={"a": [(i,) for i in range(250)], "b": [(i,) for i in range(100)]})
    units, result = read(path, in_memory=True)
    assert [(b.table, len(b)) for b in tables(units)] == [("a", 100), ("b", 100)]
    assert [u.reason for u in unreadables(units)] == [
        "table a: read stopped after 100 rows: over its budget of 100 rows"]


def test_a_table_over_its_time_budget_is_interrupted_and_the_next_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_reader, "TABLE_SECONDS", 0.0)
    monkeypatch.setattr(sqlite_reader, "PROGRESS_STEPS", 100)
    path = make_db(tmp_path / "slow.db", "CREATE TABLE a (v)", "CREATE TABLE b (v)",
                   rows={"a": [(i,) for i in range(5000)], "b": [(1,)]})
    units, _ = read(path, in_memory=False)
    (reason,) = [u.reason for u in unreadables(units)]
    read_a = sum(len(b) for b in tables(units) if b.table == "a")
    assert read_a < 5000 and reason == f"table a: read stopped after {read_a} rows: over its budget of 0 s in SQLite"
    assert [b.rows for b in tables(units) if b.table == "b"] == [[["1"]]]   # too short to reach a check


def corrupt_middle_table(path: Path) -> Path:
    """Tables a, b, c of many pages each, in that order in the file; b's last page overwritten."""
    rows = [(f"{i:06d}" + "x" * 200,) for i in range(400)]
    make_db(path, "CREATE TABLE a (v)", rows={"a": rows})
    make_db(path, "CREATE TABLE b (v)", rows={"b": rows})
    make_db(path, "CREATE TABLE c (v)", rows={"c": rows})
    con = sqlite3.connect(path)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    c_root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'c'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    start = (c_root - 2) * page                      # page c_root - 1 (1-based): b's last leaf
    data[start:start + page] = b"\xff" * page
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("in_memory", [False, True])
def test_a_corrupt_table_does_not_hide_the_tables_after_it(tmp_path, in_memory):
    units, _ = read(corrupt_middle_table(tmp_path / "corrupt.db"), in_memory)
    counts = {}
    for b in tables(units):
        counts[b.table] = counts.get(b.table, 0) + len(b)
    assert counts["a"] == 400 and counts["c"] == 400 and 0 < counts.get("b", 0) < 400
    (reason,) = [u.reason for u in unreadables(units)]
    assert reason.startswith(f"table b: read stopped after {counts['b']} rows: ") and "malformed" in reason


def test_a_table_whose_definition_does_not_parse_does_not_hide_the_others(tmp_path):
    path = make_db(tmp_path / "bad.db", "CREATE TABLE a (v)", "CREATE TABLE b (v)",
                   rows={"a": [("x",)], "b": [("y",)]})
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE a (v,' WHERE name = 'a'")
    con.commit()
    con.close()
    units, _ = read(path, in_memory=False)
    assert [(b.table, b.rows) for b in tables(units)] == [("b", [["y"]])]
    assert [u.reason for u in unreadables(units)] == [
        "table a: no stored column (its definition does not parse, or every column is generated)"]


@pytest.mark.parametrize("name", ["X'41'", "NULL"])
def test_a_schema_name_that_is_not_text_is_reported_not_raised(tmp_path, name):
    """Found by fuzzing: a damaged schema row whose name is a blob, NULL (or a number,
    which SQL cannot store there but damage can) made the reader raise."""
    path = make_db(tmp_path / "odd.db", "CREATE TABLE a (v)", "CREATE TABLE b (v)",
                   rows={"a": [("x",)], "b": [("y",)]})
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute(f"UPDATE sqlite_master SET name = {name} WHERE name = 'a'")
    con.commit()
    con.close()
    units, _ = read(path, in_memory=True)
    got = {b.table: b.rows for b in tables(units)}
    assert got["b"] == [["y"]]
    assert all(u.reason.startswith("table ") for u in unreadables(units))   # table a: read or named
    assert len(got) + len(unreadables(units)) == 2


def test_a_wal_database_is_read_with_its_log_from_a_copy(evidence):
    live = evidence.parent / "live.db"
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE t (v TEXT)")
    con.execute("INSERT INTO t VALUES ('only in the log')")
    con.commit()
    (evidence / "d#1.db").write_bytes(live.read_bytes())
    (evidence / "d#1.db-wal").write_bytes(Path(f"{live}-wal").read_bytes())
    con.close()
    listing = sorted(p.name for p in evidence.iterdir())
    units, _ = read(evidence / "d#1.db", in_memory=True)
    assert all_rows(units) == [["only in the log"]]
    assert sorted(p.name for p in evidence.iterdir()) == listing
