"""DuckDB's memory and spill settings: where it spills, and a clear error when it cannot go on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from leaktrace.case.store import CaseStore
from leaktrace.engines import open_engine


def _leaktrace(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leaktrace", *args], capture_output=True, text=True,
                          env={**os.environ, **env})


def _case(tmp_path: Path) -> Path:
    ev = tmp_path / "ev" / "li"
    ev.mkdir(parents=True)
    rows = "\n".join(f"用户{i},1380013{i:04d}" for i in range(50))
    (ev / "users.csv").write_text("姓名,手机\n" + rows + "\n", encoding="utf-8")
    case = tmp_path / "case"
    assert _leaktrace("scan", str(tmp_path / "ev"), "--case", str(case)).returncode == 0
    return case


def test_spill_folder(tmp_path, monkeypatch):
    case = _case(tmp_path)
    monkeypatch.delenv("LEAKTRACE_TEMP", raising=False)
    assert CaseStore(case).spill == case / "tmp"
    monkeypatch.setenv("LEAKTRACE_TEMP", str(tmp_path / "big-disk"))
    store = CaseStore(case)
    assert store.spill == tmp_path / "big-disk"
    with store.connect() as con:
        assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(tmp_path / "big-disk")


def test_out_of_memory_is_a_clear_error(tmp_path):
    case = _case(tmp_path)
    before = sorted(p.name for p in case.rglob("*"))
    run = _leaktrace("count", "--case", str(case), LEAKTRACE_MEMORY="2MB")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "counting of case" in run.stderr and "LEAKTRACE_MEMORY (now 2MB)" in " ".join(run.stderr.split())
    assert sorted(p.name for p in case.rglob("*")) == before      # nothing written, nothing left behind
    assert _leaktrace("count", "--case", str(case)).returncode == 0


def test_derived_tables_are_replaced_together(tmp_path):
    """A failure while writing one derived table leaves the earlier set whole and no temporary file."""
    store = CaseStore(_case(tmp_path))
    with open_engine(store) as engine:
        store.write_derived(engine, {"a": "SELECT 1 AS x", "b": "SELECT 2 AS y"})
        try:
            store.write_derived(engine, {"a": "SELECT 10 AS x", "b": "SELECT error('stopped') AS y"}, drop=("b",))
        except Exception as exc:  # noqa: BLE001 - the error of the second table
            assert "stopped" in str(exc)
        else:
            raise AssertionError("the failing query did not raise")
        assert engine.rows(f"SELECT x FROM '{store.derived('a')}'") == [(1,)]
        assert engine.rows(f"SELECT y FROM '{store.derived('b')}'") == [(2,)]
        assert sorted(p.name for p in (store.root / "derived").iterdir()) == ["a.parquet", "b.parquet"]
        store.write_derived(engine, {"a": "SELECT 10 AS x"}, drop=("b",))
        assert store.derived("b") is None
        assert engine.rows(f"SELECT x FROM '{store.derived('a')}'") == [(10,)]
