"""The header vocabulary is data (`detect/header_roles.yaml`): a column name added there, and nowhere
else, gives columns so named their role."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import leaktrace
from leaktrace.detect.roles import FIELD_ROLES, HEADER_RULES, NON_SUBJECT_ROLES, VOCABULARY, header_role, load_vocabulary

PACKAGE = Path(leaktrace.__file__).parent


def test_headers_take_roles_from_the_vocabulary_file():
    assert header_role("被叫号码") == "callee" and header_role("Hotel Name") == "hotel"
    assert header_role("col3") is None
    assert HEADER_RULES == load_vocabulary(VOCABULARY)


def test_every_role_a_table_record_keeps_is_named_by_some_header():
    assert FIELD_ROLES | NON_SUBJECT_ROLES <= {role for role, _ in HEADER_RULES}


def test_a_new_column_name_in_the_vocabulary_alone_gives_the_column_its_role(tmp_path):
    """A copy of the package whose vocabulary has one throw-away entry more: a CSV column named by it
    gets its role in the records of a scan; the unchanged package gives it none."""
    copy = tmp_path / "pkg"
    shutil.copytree(PACKAGE, copy / "leaktrace", ignore=shutil.ignore_patterns("__pycache__"))
    vocabulary = copy / "leaktrace" / "detect" / "header_roles.yaml"
    vocabulary.write_text(vocabulary.read_text("utf-8") + "hideout: [藏身处, hideout_code]\n", "utf-8")
    evidence = tmp_path / "evidence" / "holder"
    evidence.mkdir(parents=True)
    (evidence / "list.csv").write_text("姓名,手机号,藏身处\n" + "".join(
        f"张{'伟芳娜敏静'[i % 5]},1380013{8000 + i:04d},{i}号仓库\n" for i in range(5)), "utf-8")

    def roles_with(path: Path) -> dict:
        case = tmp_path / f"case-{path.name}"
        subprocess.run([sys.executable, "-m", "leaktrace", "scan", str(tmp_path / "evidence"), "--case", str(case)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(path)})
        parts = sorted((case / "parts").glob("*records*.parquet"))
        return json.loads(pq.read_table(parts[0], columns=["roles"]).column(0)[0].as_py())

    assert roles_with(copy)["藏身处"] == "hideout"
    assert "藏身处" not in roles_with(PACKAGE.parent)


@pytest.mark.parametrize("text,why", [
    ("callee: [被叫]\ncaller: [Caller]\n", "'Caller' is not a non-empty lower-case string"),
    ("callee: [被叫]\ncallee: [对方号码]\n", "'callee' given twice"),
    ("callee: 被叫\n", "callee: expected a non-empty list"),
    ("- callee\n", "expected a mapping of role"),
])
def test_a_malformed_vocabulary_is_an_error_naming_the_file(tmp_path, text, why):
    path = tmp_path / "header_roles.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ValueError) as exc:
        load_vocabulary(path)
    assert str(path) in str(exc.value) and why in str(exc.value)
