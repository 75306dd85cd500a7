"""Outputs are safe: identifiers masked everywhere unless revealed, CSV cells never formulas, evidence
text never Rich markup or terminal control, no SQL pasted from a profile, a case path or evidence."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from rich.console import Console

from eval_helpers import cli
from leaktrace.ingest.walk import EvidenceFile
from leaktrace.progress import ScanProgress

ROWS = "姓名,身份证号,手机\n张三,11010519491231002X,13800138000\n李四,110105194912310021,13912345678\n"
NAMED = "13700001111"            # a mobile in a holder folder's name
FILE_ID = "13600002222"          # a mobile in a file name
TABLE_ID = "13500003333"         # a mobile in a SQLite table name (the locator names the table)
MARKUP = "[bold red]x[/]"        # Rich markup in a path (the `/` splits it into a folder and a file)
ESCAPE = "\x1b[2J"               # clear-screen in a file name


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leaktrace", *args], capture_output=True, text=True, **kw)


def _evidence(root: Path) -> Path:
    """Holders and files whose names carry identifiers, Rich markup and a terminal escape."""
    h = root / NAMED
    (h / "[bold red]x[").mkdir(parents=True)
    (h / f"客户_{FILE_ID}.csv").write_text(ROWS, encoding="utf-8")
    (h / "[bold red]x[" / "]y.csv").write_text(ROWS, encoding="utf-8")
    (h / f"{ESCAPE}z.csv").write_text(ROWS, encoding="utf-8")
    con = sqlite3.connect(h / "d.db")
    con.execute(f'CREATE TABLE "t_{TABLE_ID}" (name TEXT, mobile TEXT)')
    con.execute(f"INSERT INTO \"t_{TABLE_ID}\" VALUES ('王五', '13812345670')")
    con.commit()
    con.close()
    os.mkfifo(h / f"pipe{ESCAPE}{MARKUP.replace('/', '')}")   # listed in status as a skipped item
    formula = root / "=HYPERLINK(1)"
    formula.mkdir()
    (formula / "a.csv").write_text(ROWS, encoding="utf-8")
    return root


def _case(tmp_path: Path) -> Path:
    case = tmp_path / "it's [a] case"    # a quote and brackets in the case path
    cli("scan", str(_evidence(tmp_path / "evidence")), "--case", str(case))
    return case


def test_exports_mask_identifiers_in_paths_holders_and_locators(tmp_path):
    case = _case(tmp_path)
    raw = (NAMED, FILE_ID, TABLE_ID, "13800138000", "11010519491231002X")
    jsonl = cli("export", "findings", "--case", str(case)).stdout
    csv_text = cli("export", "findings", "--case", str(case), "--format", "csv").stdout
    cli("export", "findings", "--case", str(case), "--format", "parquet", "--out", str(tmp_path / "f.parquet"))
    parquet = json.dumps(pq.read_table(tmp_path / "f.parquet").to_pylist(), ensure_ascii=False)
    for output in (jsonl, csv_text, parquet):
        for value in raw:
            assert value not in output
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert {r["holder"] for r in rows} >= {"137****1111"}
    assert any(r["path"] == f"137****1111/客户_136****2222.csv" for r in rows)
    assert any(r["locator"].startswith("sheet t_135****3333 ") for r in rows)
    revealed = [json.loads(line) for line in cli("export", "findings", "--case", str(case), "--reveal").stdout.splitlines()]
    assert any(r["path"] == f"{NAMED}/客户_{FILE_ID}.csv" for r in revealed)
    assert any(f"t_{TABLE_ID}" in r["locator"] for r in revealed)


def test_csv_cells_never_start_a_formula(tmp_path):
    case = _case(tmp_path)
    for reveal in ((), ("--reveal",)):
        text = cli("export", "findings", "--case", str(case), "--format", "csv", *reveal).stdout
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert "'=HYPERLINK(1)" in cells and "'=HYPERLINK(1)/a.csv" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    jsonl = [json.loads(line) for line in cli("export", "findings", "--case", str(case)).stdout.splitlines()]
    assert any(r["holder"] == "=HYPERLINK(1)" for r in jsonl)     # JSON is data, not a spreadsheet: kept


def test_lookup_status_and_attribute_mask_and_print_literally(tmp_path):
    case = _case(tmp_path)
    ref = tmp_path / "ref.csv"
    ref.write_text(ROWS, encoding="utf-8")
    cli("refs", "add", "insurer", str(ref), "--case", str(case))
    outputs = {
        "lookup": cli("lookup", "13800138000", "--case", str(case), env={**os.environ, "COLUMNS": "400"}).stdout,
        "status": cli("status", "--case", str(case), env={**os.environ, "COLUMNS": "400"}).stdout,
        "attribute": cli("attribute", "--case", str(case), env={**os.environ, "COLUMNS": "400"}).stdout,
        "attribute --json": cli("attribute", "--case", str(case), "--json").stdout,
    }
    for name, text in outputs.items():
        for value in (NAMED, FILE_ID, "13800138000"):
            assert value not in text, name
    for name in ("lookup", "status", "attribute"):
        text = outputs[name]
        assert "137****1111" in text, name
        assert "\x1b" not in text, name                          # no escape reaches the terminal ...
        assert "\\x1b[2J" in text, name                         # ... it is shown written out
    for name in ("lookup", "attribute"):
        assert f"{MARKUP}y.csv" in outputs[name], name          # markup printed as written, not applied
    assert "pipe\\x1b[2J[bold red]x[]" in outputs["status"]
    files = json.loads(outputs["attribute --json"])["files"]
    assert any(f["path"] == "137****1111/客户_136****2222.csv" and f["candidates"][0]["source"] == "insurer"
               for f in files)
    revealed = cli("attribute", "--case", str(case), "--json", "--reveal").stdout
    assert f"{NAMED}/客户_{FILE_ID}.csv" in revealed
    assert NAMED in cli("status", "--case", str(case), "--reveal").stdout
    actions = [json.loads(line)["command"] for line in (case / "audit.log").read_text().splitlines()]
    assert actions == ["attribute", "status"]


def test_progress_and_errors_print_evidence_literally(tmp_path):
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=200)
    name = f"h/{ESCAPE}{MARKUP}{FILE_ID}"
    with ScanProgress(1, 10, console) as progress:
        progress.last_line = -1e9
        progress.update(EvidenceFile("h", name, "/nonexistent", 10, 0.0), None)
        progress.bar.refresh()
    shown = buf.getvalue()
    assert ESCAPE not in shown and "\\x1b[2J" in shown
    assert "[bold red]x[/]136****2222" in shown and FILE_ID not in shown
    bad = tmp_path / f"no{ESCAPE}{MARKUP}{FILE_ID}"
    run = _run("status", "--case", str(bad), env={**os.environ, "COLUMNS": "400"})
    assert run.returncode == 2
    assert "\x1b" not in run.stderr and "\\x1b[2J[bold red]x[/]136****2222" in run.stderr
    assert "not a leaktrace case" in run.stderr


def test_a_case_path_with_a_quote_works_through_the_pipeline(tmp_path):
    case = _case(tmp_path)
    ref = tmp_path / "o'brien.csv"
    ref.write_text(ROWS, encoding="utf-8")
    cli("refs", "add", "o.brien", str(ref), "--case", str(case))   # names are checked: no quote in them
    counts = json.loads(cli("count", "--case", str(case), "--json").stdout)
    assert counts["persons"] == 2          # 张三 and 李四, in every file and in the reference
    assert "137****1111" in counts["holders"] and NAMED not in json.dumps(counts)
    assert NAMED in json.loads(cli("count", "--case", str(case), "--json", "--reveal").stdout)["holders"]
    assert "137****1111" in cli("lookup", "13800138000", "--case", str(case),
                                env={**os.environ, "COLUMNS": "400"}).stdout
    attribution = json.loads(cli("attribute", "--case", str(case), "--json", "--sketch-min-keys", "1").stdout)
    assert attribution["sources"]["o.brien"]["method"] == "minhash"
    cli("report", "--case", str(case), "--out", str(tmp_path / "r.html"), "--lang", "en")
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "o.brien" in html and NAMED not in html


def test_profile_names_are_values_in_sql_not_sql_text(tmp_path):
    rows = "姓名,手机,酒店\n张三,13800138000,如家\n李四,13912345678,汉庭\n"
    (tmp_path / "evidence" / "h").mkdir(parents=True)
    (tmp_path / "evidence" / "h" / "stays.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "ref.csv").write_text(rows, encoding="utf-8")
    case = tmp_path / "case"
    cli("scan", str(tmp_path / "evidence"), "--case", str(case))
    cli("refs", "add", "hotel", str(tmp_path / "ref.csv"), "--case", str(case))
    quoted, injected = "o'clock data", "x') THEN 'y' END; --"
    found = []
    for roles in (["hotel"], ["balance"]):     # the first matches every record, the second none
        profile = tmp_path / "custom.yaml"
        profile.write_text(json.dumps({     # YAML is a superset of JSON
            "id": "custom", "title": "t", "version": "1", "levels": [],
            "categories": {quoted: {"tier": 0, "zh": "a", "en": "a"}, injected: {"tier": 0, "zh": "b", "en": "b"}},
            "rules": [{"category": quoted, "all": [roles]}], "default": injected}), encoding="utf-8")
        counts = json.loads(cli("count", "--case", str(case), "--profile", str(profile), "--json").stdout)
        found.append({cat for h in counts["holders"].values() for cat, n in h["records"].items() if n})
    assert found == [{quoted}, {injected}]
    # a role is never SQL text either: one no record carries (`it's`) is refused when the profile loads
    profile.write_text(profile.read_text("utf-8").replace('"balance"', '"it\'s"'), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "leaktrace", "count", "--case", str(case), "--profile", str(profile)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "role \"it's\" is not a role any record carries" in " ".join(run.stderr.split())


def test_redacting_many_strings_together_masks_each_as_alone():
    from leaktrace.mask import redact_many

    strings = ["li/13800138000.csv", "row 2 col 手机", "a\n13912345678\nb", "", "no digits", "１３８００１３８０００",
               "x13800138000", "mail zhang.san@example.com;13800138000", "13800138000", "11010519491231002X.txt",
               "6222021234567890128 and 13800138000 again 13800138000", "1380013800"]
    alone = [redact_many([s])[0] for s in strings]
    assert redact_many(strings) == alone == redact_many(strings[::-1])[::-1]
    assert alone[0] == "li/138****8000.csv" and alone[1] == "row 2 col 手机" and alone[-1] == "1380013800"
    assert alone[5] == "138****8000" and alone[8] == "138****8000"
    assert alone[6] == "x13800138000"     # glued to a letter: not an identifier to the detector, nor here
    assert alone[2] == "a\n139****5678\nb"
