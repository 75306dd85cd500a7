"""The stages reach SQL only through the engine seam (engines/base.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import leaktrace

SRC = Path(leaktrace.__file__).parent
STAGES = [*sorted((SRC / "records").glob("*.py")), *sorted((SRC / "resolve").glob("*.py")),
          *sorted((SRC / "attribute").glob("*.py")), SRC / "lookup.py"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_stages_import_no_database_driver():
    assert len(STAGES) > 10
    offenders = {p.relative_to(SRC).as_posix(): sorted(_imports(p) & {"duckdb", "pyspark"}) for p in STAGES}
    assert {p: found for p, found in offenders.items() if found} == {}


def test_stages_hold_no_connection():
    found = [p.relative_to(SRC).as_posix() for p in STAGES if ".connect()" in p.read_text("utf-8")]
    assert found == []
