"""Attribution on real files built at test time: containment, shares, canaries, lineage, sketches."""

from __future__ import annotations

import csv
import json
import os

import pytest

from eval_helpers import cli
from leaktrace.attribute.canaries import add_canaries, make_canaries, read_csv, write_csv
from leaktrace.case.store import CaseStore
from leaktrace.identifiers import cn_id, cn_mobile, email
from leaktrace.synth.persons import make_person

HEAD = ["姓名", "身份证号", "手机号", "地址"]


def _write(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _row(p):
    return [p.name, p.cn_id, p.mobile, p.address]


@pytest.fixture(scope="module")
def small_case(tmp_path_factory):
    """Two references sharing some persons, canaries in `alpha`, leaked files at two holders."""
    root = tmp_path_factory.mktemp("attr")
    people = [make_person(11, i) for i in range(400)]
    alpha, beta = people[:250], people[150:400]  # 100 persons in both
    canaries = make_canaries("alpha", 3, "alpha-test.example.cn", seed=5)
    canary_rows = [[c.name, c.id_number, c.mobile, "温州市鹿城区人民路1号"] for c in canaries]
    refs = root / "refs"
    _write(refs / "alpha.csv", ["name", "id_number", "mobile", "address"], [_row(p) for p in alpha] + canary_rows)
    _write(refs / "beta.csv", ["name", "id_number", "phone", "hotel"],
           [[p.name, p.cn_id, p.mobile, "如家"] for p in beta])
    write_csv(canaries, root / "canaries.csv")
    ev = root / "evidence"
    # pure alpha (only alpha-only persons), with two canaries; then a copy at another holder
    _write(ev / "li" / "laptop" / "alpha_export.csv", HEAD, [_row(p) for p in alpha[:120]] + canary_rows[:2])
    _write(ev / "wang" / "usb" / "alpha_copy.csv", HEAD, [_row(p) for p in alpha[:100]])
    # mixed: 80 beta-only rows and 30 alpha-only rows
    _write(ev / "wang" / "usb" / "mixed.csv", HEAD, [_row(p) for p in beta[-80:]] + [_row(p) for p in alpha[:30]])
    case = root / "case"
    cli("scan", str(ev), "--case", str(case))
    for name in ("alpha", "beta"):
        cli("refs", "add", name, str(refs / f"{name}.csv"), "--case", str(case))
    cli("canary", "add", str(root / "canaries.csv"), "--case", str(case))
    result = json.loads(cli("attribute", "--case", str(case), "--json").stdout)
    return root, case, result


def _file(result, suffix):
    return next(f for f in result["files"] if f["path"].endswith(suffix))


def test_pure_file_attributed_with_canary_proof(small_case):
    _, _, result = small_case
    f = _file(result, "alpha_export.csv")
    top = f["candidates"][0]
    assert top["source"] == "alpha" and top["canaries"] == 2 and top["proven"]
    assert top["matched"] == 122 and top["containment"] == 1.0
    assert all(c["score"] < top["score"] for c in f["candidates"][1:])
    assert "proven" in f["explanation"]


def test_mixed_file_shows_each_share(small_case):
    _, _, result = small_case
    f = _file(result, "mixed.csv")
    shares = {c["source"]: c["share"] for c in f["candidates"]}
    assert f["candidates"][0]["source"] == "beta"
    assert shares["beta"] == pytest.approx(80 / 110, abs=0.01) and shares["alpha"] == pytest.approx(30 / 110, abs=0.01)
    assert "mixed with alpha" in f["explanation"]


def test_lineage_links_copy_to_its_superset(small_case):
    _, _, result = small_case
    link = next(l for l in result["lineage"] if l["to"].endswith("alpha_copy.csv"))
    assert link["from"].endswith("alpha_export.csv") and link["kind"] == "subset"
    assert (link["from_holder"], link["to_holder"]) == ("li", "wang") and link["containment"] == 1.0


def test_terminal_output_has_no_raw_identifiers(small_case):
    root, case, _ = small_case
    text = cli("attribute", "--case", str(case), env={**os.environ, "COLUMNS": "300"}).stdout
    assert "li/laptop/alpha_export.csv" in text and "Lineage" in text
    canaries, _ = read_csv(root / "canaries.csv")
    for c in canaries:
        assert c.id_number not in text and c.mobile not in text and c.email not in text


def test_sketched_references_estimate_containment_with_error(small_case):
    _, case, _ = small_case
    result = json.loads(cli("attribute", "--case", str(case), "--json", "--sketch-min-keys", "1").stdout)
    assert all(v["method"] == "minhash" for v in result["sources"].values())
    top = _file(result, "alpha_export.csv")["candidates"][0]
    assert top["source"] == "alpha" and top["method"] == "minhash"
    assert abs(top["containment"] - 1.0) <= 3 * top["containment_error"] + 0.05
    assert (CaseStore(case).root / "derived" / "ref_sketches.parquet").exists()


def test_canaries_valid_unique_deterministic(tmp_path):
    a = make_canaries("bank", 50, "bank-x.example.cn", seed=9)
    assert a == make_canaries("bank", 50, "bank-x.example.cn", seed=9)
    assert a != make_canaries("bank", 50, "bank-x.example.cn", seed=10)
    for c in a:
        assert cn_id.is_valid(c.id_number) and cn_mobile.is_valid(c.mobile) and email.is_valid(c.email)
        assert c.email.endswith("@bank-x.example.cn")
    for field in ("id_number", "mobile", "email"):
        assert len({getattr(c, field) for c in a}) == 50
    avoid = {f"cn_id:{a[0].id_number}"}
    assert a[0] not in make_canaries("bank", 50, "bank-x.example.cn", seed=9, avoid=avoid)


def test_canary_add_replaces_same_file_and_reports_bad_rows(tmp_path):
    store = CaseStore(tmp_path / "case", create=True)
    f = tmp_path / "c.csv"
    write_csv(make_canaries("hotel", 4, "h.example.cn", seed=1), f)
    with open(f, "a", encoding="utf-8") as fh:
        fh.write("hotel,坏,110105194912310021,10012345678,bad-mail\n")
    n, problems = add_canaries(store, f)
    assert n == 4 and len(problems) >= 3
    add_canaries(store, f)
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM canaries").fetchone()[0] == 4
