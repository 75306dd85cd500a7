"""`lookup`: every place of a person's identifiers, through a reference that links them (masked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaktrace.attribute.references import add_reference
from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner
from leaktrace.lookup import lookup
from leaktrace.profiles import load
from leaktrace.records.count import count_case
from leaktrace.synth.ids import make_id

ID = make_id("330302", dt.date(1980, 5, 17), 123)
MOBILE, EMAIL = "13912345678", "zhou.min@example.com"


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> CaseStore:
    tmp: Path = tmp_path_factory.mktemp("lookup")
    laptop, phone = tmp / "ev" / "li" / "laptop", tmp / "ev" / "wang" / "phone"
    laptop.mkdir(parents=True)
    phone.mkdir(parents=True)
    rows = ["姓名,身份证号,手机"] + [
        f"客户{i},{make_id('330302', dt.date(1970, 1, 1) + dt.timedelta(days=97 * i), 200 + i)},{13800000000 + 7919 * i}"
        for i in range(30)] + [f"周敏,{ID},{MOBILE}"]
    (laptop / "客户.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (phone / "chat.txt").write_text(f"2016-03-01 10:00:01 王五\n老板，新号 {MOBILE} 收到\n", encoding="utf-8")
    ref = tmp / "shop.csv"
    ref.write_text(f"name,mobile,email\n周敏,{MOBILE},{EMAIL}\n", encoding="utf-8")
    store = CaseStore(tmp / "case", create=True)
    Scanner(store, Detector()).scan(tmp / "ev")
    add_reference(store, "shop", [ref])
    count_case(store, load("cn-pi-2017"))
    return store


def test_value_resolves_to_the_persons_places_masked(case):
    keys, places = lookup(case, EMAIL)  # the e-mail is only in the reference
    assert [k.split(":")[0] for k in keys] == ["cn_id", "cn_mobile", "email"]
    assert all(ID not in k and MOBILE not in k and EMAIL not in k for k in keys)
    by_doc = {p.path: p for p in places}
    assert set(by_doc) == {"li/laptop/客户.csv", "wang/phone/chat.txt"}
    row = by_doc["li/laptop/客户.csv"]
    assert row.holder == "li" and row.category == "other"
    assert row.matched.startswith("cn_id:") and [k.split(":")[0] for k in row.others] == ["cn_mobile"]
    chat = by_doc["wang/phone/chat.txt"]
    assert chat.holder == "wang" and chat.matched == "cn_mobile:139****5678"


def test_unknown_value_has_no_places(case):
    keys, places = lookup(case, "13700001111")
    assert keys == ["cn_mobile:137****1111"] and places == []


def test_not_an_identifier_is_refused(case):
    with pytest.raises(ValueError):
        lookup(case, "hello")
