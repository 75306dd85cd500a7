"""Numbers that are not identifiers: fractions, versions, quantities; and addresses taken whole or
not at all. Every rule on both matcher backends, and on table cells as on text."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from stdnum import luhn
from stdnum.iso7064 import mod_11_2

from leaktrace.case.store import CaseStore
from leaktrace.detect import matcher
from leaktrace.detect.engine import Detector
from leaktrace.detect.normalize import for_matching
from leaktrace.detect.patterns import ALL_TYPES
from leaktrace.detect.table import scan_table
from leaktrace.detect.validate import resolve, type_names
from leaktrace.ingest.scan import Scanner
from leaktrace.ingest.units import TableBatch

MOBILE = "13800138000"                                    # a test number, no one's
ID15 = "330304900101123"                                  # a first-generation ID (1990-01-01)
ID18 = "33030419900101123" + mod_11_2.calc_check_digit("33030419900101123").replace("10", "X")
CARD = "622262511073956708"
CARD += luhn.calc_check_digit(CARD)                       # 19-digit UnionPay, Luhn-valid


def _found(text: str, find=None) -> list[tuple[str, str]]:
    """(type, value) of the valid candidates in `text`, with one backend."""
    got = (find or matcher.find)(for_matching(text))
    codes, values = resolve(got.types, got.raw_array)
    return [(ALL_TYPES[c], v) for c, v in zip(codes.tolist(), values.to_pylist()) if v is not None]


def both(text: str) -> list[tuple[str, str]]:
    """`_found` with Hyperscan and with `re`, which must agree."""
    hs, rx = _found(text, matcher.find_hyperscan), _found(text, matcher.find_re)
    assert hs == rx, text
    return hs


@pytest.mark.parametrize("text", [
    f'"market_cap": {MOBILE}.301273,',          # a quantity's whole part
    f"3.{ID15}",                                   # a fraction's digits
    f"x {MOBILE}.05 y",
    f"{CARD}.5",
    f"0.{CARD}",
    f"1.{MOBILE[:10]}e10", f"{MOBILE}e3", f"1.{MOBILE}E+10",     # scientific
    "18 034 022 405,5", "1,803,402,240", "1.803.402.240", "18.034.022.405,5", "1'803'402'240",
])
def test_digits_of_decimal_numbers_are_not_identifiers(text):
    assert both(text) == []


@pytest.mark.parametrize("text,value", [
    (f"call {MOBILE}.", MOBILE),                  # a full stop ends the sentence
    (f"call {MOBILE}.\n", MOBILE),
    (f"手机{MOBILE}。", MOBILE),
    (f"{MOBILE}.0", MOBILE),                      # an integral float as spreadsheets write it
    (f"{MOBILE}.000,x", MOBILE),
    ("138.0013.8000", MOBILE),                    # dots inside: the 3-4-4 grouping of a mobile
    (f"身份证 {ID18}.", ID18),
    (f"{CARD}. ok", CARD),
])
def test_a_full_stop_or_a_zero_fraction_keeps_the_number(text, value):
    assert [v for _, v in both(text)] == [value]


@pytest.mark.parametrize("text,want", [
    ("::ffff:192.0.2.128", [("ip", "::ffff:c000:280")]),         # IPv4 tail taken whole
    ("[::ffff:10.0.0.1]:80", [("ip", "::ffff:a00:1")]),
    ("64:ff9b::198.51.100.1 ok", [("ip", "64:ff9b::c633:6401")]),
    ("Use local ipv6 ::", [("ip", "::")]),
    ("::ffff:192.168.1", []),                                     # a truncated tail: nothing
    ("2001:db8::256.1.1.1", []),
    ("号码：9b38:8c63:b009:967f:c47b:5c6f:3131:d3f，请", [("ip", "9b38:8c63:b009:967f:c47b:5c6f:3131:d3f")]),
    ("generator LibreOffice/6.4.3.2$MacOSX", []),                 # product/version
    ("Version 8.0.0.0.0", []), ("1.6.4.3.2", []), ("2017.05.29.16.55.28", []),
    ("http://10.0.0.1/x", [("ip", "10.0.0.1")]),
    ("from 10.0.0.1.", [("ip", "10.0.0.1")]),
    ("a@xn--d1acufc.xn--p1ai", []),                               # an IDN: not cut at `.xn`
    ("stanisław.wójcik@wp.pl", []),                               # non-ASCII local part: not its tail
    ("a@b.cnł", []),
    ("邮箱a@b.cn谢谢", [("email", "a@b.cn")]),
    ("mail a@b.cn-谢谢", [("email", "a@b.cn")]),
])
def test_addresses_whole_or_not_at_all(text, want):
    assert both(text) == want


CELLS = [
    "20.60.164.25", "IP 215.226.37.47 登录", "::ffff:192.0.2.1", "2001:db8::1", "::",
    "+61 412 345 678", "+351 (213) 466-111", "+376 312 345", "0044 20 7946 0958",
    "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "GB82 WEST 1234 5698 7654 32", "户名 GB82WEST12345698765432",
    "212-34-5678", "078-05-1120", "浙A12345", MOBILE, f"tel {MOBILE}", ID18, "a@b.cn",
    f"{MOBILE}.5", "6.4.3.2", "amount 12.5", "",
]


def test_table_cells_give_what_text_gives():
    """Every cell of a column is found as the same string alone in a text."""
    tb = TableBatch("", ["value"], 1, rows=[[c] for c in CELLS])
    scan = scan_table(tb)
    got = sorted(zip(scan.rows.tolist(), type_names(scan.codes).to_pylist(), scan.values.to_pylist()))
    want = sorted((i, t, v) for i, c in enumerate(CELLS) for t, v in both(c))
    assert [g for g in got if g[2] is not None] == want
    assert {t for _, t, _ in want} >= {"ip", "phone", "iban", "us_ssn", "cn_plate", "cn_mobile", "cn_id", "email"}


def _column(values: list[str]) -> list[tuple[str, str]]:
    scan = scan_table(TableBatch("", ["v"], 1, rows=[[v] for v in values]))
    return [(t, v) for t, v in zip(type_names(scan.codes).to_pylist(), scan.values.to_pylist()) if v]


def test_a_column_of_fractional_numbers_gives_no_identifiers():
    # whole floats print without a fraction: 1.8034022405e10 is the cell 18034022405
    assert _column(["18034022405", "1.5", "2.25", "13385347704.5"]) == []
    assert _column([MOBILE, "-12345678901.5", "0.301273"]) == []
    # a JSON number column: integers and floats, 3 in 10 with a fraction
    assert _column(["15934019762"] * 7 + ["1.5", "2.25", "1234567890123.125"]) == []


def test_identifiers_stay_beside_smaller_or_fewer_fractions():
    # longer than every fraction's whole part: an identifier among percentages
    assert _column(["1.0", "1.1", MOBILE]) == [("cn_mobile", MOBILE)]
    assert _column(["0.0", "0.1", "0.2", "-0.5", CARD]) == [("bank_card", CARD)]
    assert _column(["+0.5", "-1234567890.25", MOBILE]) == [("cn_mobile", MOBILE)]   # a sign is no digit
    assert _column(["+0.5", "-12345678901.25", MOBILE]) == []
    # integral floats only, fractions in fewer than one cell in ten, or a cell that is no number
    assert _column([MOBILE, "13800138000.0", "12.00"]) == [("cn_mobile", MOBILE)] * 2
    assert _column([MOBILE] * 10 + ["12345678901.5"]) == [("cn_mobile", MOBILE)] * 10
    assert _column([MOBILE, "a 12345678901.5", "12345678901.5"]) == [("cn_mobile", MOBILE)]


def _scan(root: Path, case: Path) -> list[tuple]:
    store = CaseStore(case, create=True)
    Scanner(store, Detector()).scan(root)
    with store.connect() as con:
        return con.execute("SELECT type, value FROM findings ORDER BY type, value").fetchall()


def test_files_with_quantities_and_identifiers(tmp_path):
    """A JSON document of market values and an XLSX sheet of contacts, built here and scanned."""
    import openpyxl

    root = tmp_path / "ev" / "h"
    root.mkdir(parents=True)
    quotes = [{"symbol": f"S{i}", "market_cap": cap, "ratio": 3.0 + i / 7}
              for i, cap in enumerate([18034022405.301273, 1.8034022405e10, 13385347704.5, 3.350000000731338])]
    (root / "quotes.json").write_text(json.dumps({"data": quotes}), encoding="utf-8")
    (root / "prose.txt").write_text(f"call {MOBILE}. version LibreOffice/6.4.3.2, ratio 3.{ID15}\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "ip", "phone", "iban", "mobile"])
    ws.append(["A", "20.60.164.25", "+61 412 345 678", "NL91ABNA0417164300", int(MOBILE)])
    ws.append(["B", "IP ::ffff:192.0.2.1", "+351 (213) 466-111", "NL91 ABNA 0417 1643 00", float(MOBILE)])
    wb.save(root / "contacts.xlsx")
    got = _scan(tmp_path / "ev", tmp_path / "case")
    assert sorted(set(got)) == sorted({
        ("cn_mobile", MOBILE), ("ip", "20.60.164.25"), ("ip", "::ffff:c000:201"), ("phone", "+61412345678"),
        ("phone", "+351213466111"), ("iban", "NL91ABNA0417164300"),
    })
    assert pa.array([v for _, v in got]).null_count == 0


def test_an_ssn_that_starts_like_a_00_prefix_is_an_ssn():
    assert both("SSN 001-53-0934.") == [("us_ssn", "001530934")]
    assert both("tel 0049 30 1234567") == [("phone", "+49301234567")]
    # a drug code (NDC 5-4) is a phone candidate with nine digits, but not written as an SSN
    assert both("Theophed ........ 00719–1945 TB") == []


def test_a_keyword_inside_a_code_gates_nothing():
    assert both("车架号 LHG99TVZWXJ525066") == []
    assert both("加微信 zhangsan_88") == both("WX: zhangsan_88") == [("wechat", "zhangsan_88")]
    assert both("我的QQ12345678") == [("qq", "12345678")]
