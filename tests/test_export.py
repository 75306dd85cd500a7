"""Export: masked by default, reveal audited, every format readable."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq

from eval_helpers import cli

ROWS = "姓名,身份证号,手机,邮箱,卡号\n张三,11010519491231002X,13800138000,zhang.san@example.com,6222021234567890128\n"


def _case(tmp_path):
    ev = tmp_path / "evidence" / "li"
    ev.mkdir(parents=True)
    (ev / "a.csv").write_text(ROWS, encoding="utf-8")
    case = tmp_path / "case"
    cli("scan", str(tmp_path / "evidence"), "--case", str(case))
    return case


def test_masked_by_default_in_every_format(tmp_path):
    case = _case(tmp_path)
    raw = ("11010519491231002X", "13800138000", "zhang.san@example.com", "6222021234567890128")
    jsonl = cli("export", "findings", "--case", str(case)).stdout
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert {r["type"] for r in rows} >= {"cn_id", "cn_mobile", "email"}
    assert all(r["path"] == "li/a.csv" for r in rows)
    values = {r["type"]: r["value"] for r in rows}
    assert values["cn_mobile"] == "138****8000"
    assert values["cn_id"].startswith("110105") and values["cn_id"].endswith("002X") and "*" in values["cn_id"]
    text = cli("export", "findings", "--case", str(case), "--format", "csv").stdout
    assert list(csv.DictReader(io.StringIO(text)))[0].keys() >= {"path", "type", "value", "locator"}
    cli("export", "findings", "--case", str(case), "--format", "parquet", "--out", str(tmp_path / "f.parquet"))
    table = pq.read_table(tmp_path / "f.parquet").to_pylist()
    for output in (jsonl, text, json.dumps(table, ensure_ascii=False)):
        for value in raw:
            assert value not in output
    assert not (case / "audit.log").exists()


def test_reveal_writes_the_audit_log(tmp_path):
    case = _case(tmp_path)
    out = cli("export", "findings", "--case", str(case), "--reveal").stdout
    assert "13800138000" in out
    entries = [json.loads(line) for line in (case / "audit.log").read_text().splitlines()]
    assert entries[-1]["action"] == "reveal" and entries[-1]["table"] == "findings"


def test_locators_are_byte_offsets_in_utf16_files(tmp_path):
    ev = tmp_path / "evidence" / "h"
    ev.mkdir(parents=True)
    (ev / "bom.txt").write_bytes(b"\xff\xfe" + "name,mobile\nzhang,13800138000\n".encode("utf-16-le"))
    (ev / "nobom.txt").write_bytes("张三 13800138000\n".encode("utf-16-le"))
    case = tmp_path / "case"
    cli("scan", str(tmp_path / "evidence"), "--case", str(case))
    rows = {json.loads(line)["path"]: json.loads(line)["locator"]
            for line in cli("export", "findings", "--case", str(case)).stdout.splitlines()}
    for name in ("bom.txt", "nobom.txt"):
        offset = (ev / name).read_bytes().find("13800138000".encode("utf-16-le"))
        assert rows[f"h/{name}"].startswith(f"byte {offset} "), rows
