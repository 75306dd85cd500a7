"""The synthetic case generator: determinism, truth that scores itself perfectly and agrees with an
independent scan of the evidence, valid identifiers, and every format of the nasty variant."""
from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from eval_helpers import SCORER
from leaktrace.synth import generate, ids
from leaktrace.synth.persons import make_person
from synth_scan import documents, scan

SCORE = SCORER
PERSONS = 1200


@pytest.fixture(scope="module")
def nasty(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nasty")
    summary = generate(out, persons=PERSONS, seed=7, variant="nasty")
    assert summary["persons"] == PERSONS + 45 and summary["records"] > 0
    return out


def _findings(root: Path) -> list[dict]:
    return [json.loads(line) for line in open(root / "truth/findings.jsonl", encoding="utf-8")]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, persons=300, seed=3, variant="nasty")
    generate(b, persons=300, seed=3, variant="nasty")
    generate(c, persons=300, seed=4, variant="nasty")
    fa, fb = _files(a), _files(b)
    assert fa == fb
    assert fa["references/insurer.csv"] != _files(c)["references/insurer.csv"]


def _score(task: str, truth: Path, report: Path) -> dict:
    if not SCORE.exists():
        pytest.skip("eval scorer not available")
    out = subprocess.run([sys.executable, str(SCORE), task, str(truth), str(report)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_truth_scores_itself_perfectly(nasty, tmp_path):
    t = nasty / "truth"
    assert _score("findings", t, t / "findings.jsonl")["micro"]["f1"] == 1.0
    counts = _score("count", t, t / "counts.json")["summary"]
    assert counts["max_rel_error"] == 0.0 and counts["tier_agreement"] == 1.0
    attribution = json.loads((t / "attribution.json").read_text())
    report = {"files": [{"path": p, "candidates": [{"source": s, "score": 1.0}]} for p, s in attribution["files"].items()]}
    (tmp_path / "a.json").write_text(json.dumps(report))
    assert _score("attribute", t, tmp_path / "a.json")["top1_accuracy"] == 1.0
    network = json.loads((t / "network.json").read_text())
    report = {"actors": [{"handle": q, "role": a["role"], "group": a["group"]} for q, a in network["actors"].items()],
              "flows": network["flows"]}
    (tmp_path / "n.json").write_text(json.dumps(report))
    net = _score("network", t, tmp_path / "n.json")
    assert net["role_accuracy"] == 1.0 and net["flows"]["all"]["f1"] == 1.0
    monitor = json.loads((t / "monitor.json").read_text())
    report = {"pages": [{"path": p, "score": float(v["offer"]), **v} for p, v in monitor.items()]}
    (tmp_path / "m.json").write_text(json.dumps(report))
    assert _score("monitor", t, tmp_path / "m.json")["offer"]["f1"] == 1.0


def test_findings_truth_equals_independent_scan(nasty):
    unreadable = {u["path"] for u in json.loads((nasty / "truth/unreadable.json").read_text())}
    truth: dict[str, set] = {}
    for f in _findings(nasty):
        truth.setdefault(f["path"], set()).add((f["type"], f["value"]))
    found = {p: s for p, s in scan(nasty / "evidence", unreadable).items() if s}
    assert set(found) == set(truth)
    for path in truth:
        assert found[path] == truth[path], path


def test_every_identifier_is_valid_and_unshared(nasty):
    check = {"cn_id": ids.id_ok, "cn_mobile": ids.mobile_ok, "bank_card": ids.card_ok,
             "email": lambda v: v.count("@") == 1 and v == v.lower()}
    for f in _findings(nasty):
        assert check[f["type"]](f["value"]), f
    owner: dict[str, int] = {}
    for i in range(PERSONS + 45):
        p = make_person(7, i)
        for v in (p.cn_id, p.mobile, p.card, p.email):
            assert owner.setdefault(v, i) == i


def test_ledger_subjects_belong_to_their_person(nasty):
    with gzip.open(nasty / "truth/ledger.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and any(r["valid"] == "0" for r in rows)
    norm = {"cn_id": lambda v: v.upper() if len(v) == 18 else v[:6] + "19" + v[6:] + ids.id_check(v[:6] + "19" + v[6:]),
            "cn_mobile": lambda v: "".join(c for c in v if c.isdigit())[-11:],
            "bank_card": lambda v: v.replace(" ", "").replace("-", ""), "email": str.lower}
    for r in rows:
        subject = [kv.split(":", 1) for kv in r["subject_ids"].split(";") if kv]
        if r["valid"] == "0":
            assert r["person_id"] == "-1"
            assert not any(ids.id_ok(v) or ids.mobile_ok(v) or ids.card_ok(v) for _, v in subject)
            continue
        p = make_person(7, int(r["person_id"]))
        mine = {"cn_id": p.cn_id, "cn_mobile": p.mobile, "bank_card": p.card, "email": p.email}
        assert subject, r
        for kind, raw in subject:
            import unicodedata
            assert norm[kind](unicodedata.normalize("NFKC", raw)) == mine[kind], r


NASTY_FILES = {  # what must exist, as (path suffix, check on the raw bytes of the file)
    "GB18030 text": ("车主_gb18030.txt", lambda b: b.decode("gb18030") and not _utf8(b)),
    "GB18030 CSV": ("医院_gb18030.csv", lambda b: not _utf8(b)),
    "UTF-16 LE BOM": ("征信_unicode.txt", lambda b: b[:2] == b"\xff\xfe"),
    "UTF-16 BE BOM": ("客户_be.txt", lambda b: b[:2] == b"\xfe\xff"),
    "UTF-16 LE no BOM": ("入住_导出.txt", lambda b: b[:2] not in (b"\xff\xfe", b"\xfe\xff") and b[1::2].count(0) > len(b) // 8),
    "Big5": ("台湾客户_big5.txt", lambda b: b.decode("big5") and not _utf8(b)),
    "full-width": ("全角名单.txt", lambda b: "１" in b.decode("utf-8")),
    "mobile spellings": ("号码格式.csv", lambda b: all(s in b.decode() for s in ("+86 1", "(+86)1", "0086-1")) and "-" in b.decode()),
    "15-digit IDs": ("老客户_15位.csv", lambda b: any(len(c) == 15 for c in b.decode().replace("\r", "").replace("\n", ",").split(","))),
    "lower-case x": ("小写x.csv", lambda b: b"x," in b),
    "cards spaced": ("银行卡_空格.txt", lambda b: b" " in b),
    "cards hyphenated": ("银行卡_横线.csv", lambda b: b"-" in b),
    "zip in zip": ("全国数据.zip", lambda b: "内层.zip" in zipfile.ZipFile(io.BytesIO(b)).namelist()),
    "tar.gz": ("hotel_2016.tar.gz", lambda b: b[:2] == b"\x1f\x8b"),
    "tgz": ("patients.tgz", lambda b: b[:2] == b"\x1f\x8b"),
    "gz": ("crm_dump.sql.gz", lambda b: b"COPY public.customer" in gzip.decompress(b)),
    "bz2": ("银行.csv.bz2", lambda b: b[:3] == b"BZh"),
    "xz": ("定位.txt.xz", lambda b: b[:6] == b"\xfd7zXZ\x00"),
    "7z": ("订单.7z", lambda b: b[:6] == b"7z\xbc\xaf\x27\x1c"),
    "xls": ("老客户.xls", lambda b: b[:4] == b"\xd0\xcf\x11\xe0"),
    "xlsx titles": ("汇总.xlsx", lambda b: b[:2] == b"PK"),
    "ods": ("名单.ods", lambda b: b"opendocument.spreadsheet" in b),
    "pdf": ("customers.pdf", lambda b: b[:5] == b"%PDF-"),
    "docx": ("催收名单.docx", lambda b: b[:2] == b"PK"),
    "eml": ("mail.eml", lambda b: b"att.csv" in b),
    "mbox": ("邮件备份.mbox", lambda b: b.count(b"\nFrom ") + b.startswith(b"From ") == 2),
    "sqlite": ("客户库.db", lambda b: b[:15] == b"SQLite format 3"),
    "no header": ("无表头.csv", lambda b: "姓名" not in b.decode()),
    "semicolon": ("银行.csv.bz2", lambda b: True),
    "tab": ("名单_tab.tsv", lambda b: b"\t" in b),
    "json": ("征信.json", lambda b: isinstance(json.loads(b), list) and isinstance(json.loads(b)[0]["person"], dict)),
    "jsonl nested": ("车主.jsonl", lambda b: isinstance(json.loads(b.splitlines()[0])["owner"], dict)),
    "html": ("查询结果.html", lambda b: b"<table" in b),
    "vcf": ("通讯录.vcf", lambda b: b.startswith(b"BEGIN:VCARD")),
    "mysql multi-row": ("crm_customer.sql", lambda b: b"),(" in b),
    "empty": ("空文件.txt", lambda b: b == b""),
    "binary": ("data.bin", lambda b: _utf8(b) is False),
}


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@pytest.mark.parametrize("what", sorted(NASTY_FILES))
def test_nasty_format_present_with_identifiers(nasty, what):
    suffix, check = NASTY_FILES[what]
    paths = [p for p in (nasty / "evidence").rglob("*") if p.name == suffix]
    assert len(paths) == 1, what
    data = paths[0].read_bytes()
    assert check(data), what
    if what not in ("empty", "binary"):
        rel = paths[0].relative_to(nasty / "evidence").as_posix()
        assert any(f["path"] == rel or f["path"].startswith(rel + "!") for f in _findings(nasty)), what


def test_unreadable_items_cannot_be_opened(nasty):
    items = json.loads((nasty / "truth/unreadable.json").read_text())
    assert {u["reason"] for u in items} == {"encrypted", "truncated"}
    paths = {f["path"] for f in _findings(nasty)}
    for u in items:
        data = (nasty / "evidence" / u["path"]).read_bytes()
        with pytest.raises((RuntimeError, zipfile.BadZipFile)):
            list(documents(u["path"], data))
        assert not any(p.startswith(u["path"]) for p in paths)
        assert u["copy_of"] is None or u["copy_of"] in paths
