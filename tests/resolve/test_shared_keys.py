"""A weak key (mobile, card, e-mail) joins records only with a compatible name (resolve/shared_keys.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner
from leaktrace.lookup import lookup
from leaktrace.profiles import load
from leaktrace.records.count import count_case
from leaktrace.synth.ids import make_id

FAMILY_PHONE, WANG_PHONE = "13912345678", "13698765432"
WANG_CARD = "6217001288304619574"  # Luhn-valid UnionPay number


def _id(i: int) -> str:
    return make_id("330302", dt.date(1960, 1, 1) + dt.timedelta(days=131 * i), 300 + i)


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> CaseStore:
    tmp: Path = tmp_path_factory.mktemp("shared")
    laptop, phone = tmp / "ev" / "li" / "laptop", tmp / "ev" / "li" / "phone"
    laptop.mkdir(parents=True)
    phone.mkdir(parents=True)
    filler = [f"客户{chr(0x4e00 + i)}{chr(0x4e50 + i)},{_id(i)},{13800000000 + 7919 * i}," for i in range(25)]
    rows = ["姓名,身份证号,手机,卡号", *filler, filler[0],  # one row copied
            f"张伟,{_id(90)},{FAMILY_PHONE},",      # a family phone: two people, two names
            f"李娜,{_id(91)},{FAMILY_PHONE},",
            f"王芳,{_id(92)},{WANG_PHONE},",        # the same person, once with a masked name
            f"王*,,{WANG_PHONE},{WANG_CARD}"]
    (laptop / "客户.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # a chat line naming someone else next to the family phone: line names never split keys
    (phone / "chat.txt").write_text(f"2016-03-01 10:00:01 赵六\n主叫 {FAMILY_PHONE} 周杰\n", encoding="utf-8")
    store = CaseStore(tmp / "case", create=True)
    Scanner(store, Detector()).scan(tmp / "ev")
    return store


def test_family_phone_does_not_merge_two_people(case):
    counts = count_case(case, load("cn-pi-2017"))
    # 25 filler persons + 张伟 + 李娜 + 王芳 (whose masked-name row carries her card)
    assert counts.persons == 28
    li = counts.holders["li"]
    assert li["records"]["other"] == 28
    # seized 30 rows: the copied row and 王芳's second row are duplicates; one is an exact copy
    assert (li["seized_rows"], li["duplicate_rows"], li["exact_duplicate_rows"]) == (30, 2, 1)


def test_lookup_of_a_split_key_finds_both_people(case):
    count_case(case, load("cn-pi-2017"))
    keys, places = lookup(case, FAMILY_PHONE)
    assert sorted(k.split(":")[0] for k in keys) == ["cn_id", "cn_id", "cn_mobile"]
    assert {p.path for p in places} == {"li/laptop/客户.csv", "li/phone/chat.txt"}
    keys, _ = lookup(case, WANG_CARD)
    assert sorted(k.split(":")[0] for k in keys) == ["bank_card", "cn_id", "cn_mobile"]
