"""Whole-cell patterns are tried only on cells whose bytes could match: the same findings as trying all."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leaktrace import identifiers
from leaktrace.detect import table
from leaktrace.detect.table import RESIDUE_RE, _scan_cells, _scan_column, _whole_patterns

CELLS = ["13800138000", " 138 0013 8000 ", "+86 13800138000", "(+86)138-0013-8000", "0086 13800138000",
         "33030419851006304X", "33030419851006304x", "330304 19851006 304X", "6222 0230 9391 3383 057",
         "6222023093913383057", "a.b@c.cn", "A@B.COM", "138****8000", "张*", "330304********1234", "12×××34",
         "１３８００１３８０００", "x@y.cn 13800138000", "张三13800138000", "", "  ", None, "116.4074", "2016-03-01"]


def _all_cells(col: pa.Array):
    """`_scan_column` trying every pattern on every cell."""
    s = pc.utf8_trim_whitespace(pc.utf8_normalize(col.fill_null(""), "NFKC"))
    claimed = pc.equal(s, "").to_numpy(zero_copy_only=False)
    rows, codes, raws = [], [], []
    for code, pattern, _ in _whole_patterns():
        m = pc.match_substring_regex(s, pattern).to_numpy(zero_copy_only=False) & ~claimed
        rows.append(np.flatnonzero(m))
        codes.append(np.full(m.sum(), code))
        raws.append(s.take(pa.array(rows[-1])))
        claimed |= m
    residue = np.flatnonzero(~claimed & pc.match_substring_regex(s, RESIDUE_RE).to_numpy(zero_copy_only=False))
    if len(residue):
        r, c, v = _scan_cells(col, residue)
        rows.append(r), codes.append(c), raws.append(v)
    return np.concatenate(rows), np.concatenate(codes), pa.concat_arrays([r.cast(pa.string()) for r in raws])


def test_prefiltered_column_scan_as_all_cells():
    rnd = random.Random(5)
    alphabet = list("0123456789 -+().Xx*×@aZ张三\t１＊")
    columns = [pa.array(CELLS * 3, pa.string()), pa.array(CELLS, pa.string()).slice(4, 12)]
    for _ in range(60):
        columns.append(pa.array([rnd.choice(CELLS) if rnd.random() < 0.5 else
                                 "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
                                 for _ in range(rnd.choice([1, 5, 300]))], pa.string()))
    for col in columns:
        got, want = _scan_column(col), _all_cells(col)
        assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()
        assert got[2].to_pylist() == want[2].to_pylist()


def _chars(tree) -> set[str]:
    """Every character a parsed pattern can match (fails on classes it cannot enumerate)."""
    out = set()
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(arg))
        elif name == "IN":
            for kind, val in arg:
                assert str(kind) in ("LITERAL", "RANGE"), kind
                out |= {chr(val)} if str(kind) == "LITERAL" else set(map(chr, range(val[0], val[1] + 1)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out |= _chars(arg[2])
        elif name == "SUBPATTERN":
            out |= _chars(arg[-1])
        elif name == "BRANCH":
            for branch in arg[1]:
                out |= _chars(branch)
        else:
            assert name == "AT", name
    return out


def test_numeric_alphabet_covers_the_numeric_patterns():
    """The numeric whole-cell patterns match only characters `_cell_bytes` lets through as numeric."""
    numeric = {chr(b) for b in range(128) if not table._BYTE_FLAGS[b] & table._OTHER}
    for t in ("cn_id", "bank_card", "cn_mobile"):
        assert _chars(re._parser.parse(identifiers.get(t).CANDIDATE)) <= numeric, t
    assert "@" in identifiers.get("email").CANDIDATE and "*" in identifiers.get("masked").CANDIDATE


def test_device_number_columns_give_no_identifiers():
    from stdnum import luhn

    from leaktrace.detect.table import scan_table
    from leaktrace.detect.validate import type_names
    from leaktrace.ingest.units import TableBatch

    # IMEIs whose digits 7-12 read as a date pass for first-generation resident IDs
    imeis = [body + luhn.calc_check_digit(body)
             for body in (f"86104{k}90{m:02d}01{k}{k}" for k, m in zip("0123456789", range(1, 11)))]
    assert all(identifiers.get("cn_id").is_valid(v) for v in imeis)
    old_id = "330304900101123"                                   # a first-generation resident ID
    with_header = TableBatch(table="", columns=["主叫号码", "手机串号"], first_row=1, rows=[["13800138000", v] for v in imeis])
    scan = scan_table(with_header)
    assert scan.roles[1] == "device" and type_names(scan.codes).to_pylist() == ["cn_mobile"] * 10
    no_header = TableBatch(table="", columns=["col1", "col2"], first_row=1, rows=[[old_id, v] for v in imeis], has_header=False)
    scan = scan_table(no_header)
    assert scan.roles == ["cn_id", "device"] and set(scan.cols.tolist()) == {0}


def test_nfkc_skipped_only_where_it_changes_nothing():
    """Columns of ASCII and CJK ideographs are their own NFKC form and are passed through; any other
    column is normalised. Either way the result is Arrow's NFKC of the column."""
    rnd = random.Random(3)
    pieces = ["a", "1", " ", "-", "@", "张", "䀀", "龥", "鿿", "１", "，", "\u3000", "ﬁ", "①", "e\u0301", "한", "\uf700", "😀"]
    passed = 0
    for _ in range(400):
        cells = ["".join(rnd.choice(pieces[:rnd.randint(1, len(pieces))]) for _ in range(rnd.randint(0, 8)))
                 for _ in range(rnd.randint(1, 6))]
        col = pa.array(cells, pa.string()).slice(rnd.randint(0, len(cells) - 1))
        out = table._nfkc(col)
        assert out.equals(pc.utf8_normalize(col, "NFKC"))
        passed += out is col
    assert 50 < passed < 350
