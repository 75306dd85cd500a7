"""Row columns of table records: typed fields as `json.dumps` writes them, row text, rows kept in place."""

from __future__ import annotations

import json

import pyarrow as pa

from leaktrace.detect.records import fields_json, row_text

CELLS = {
    "name": ["张三", "", None, 'say "hi"', "a\\b", "tab\there", "李四"],
    "address": ["浙江省台州市", None, "", "line\nbreak", "", "ctrl\x01", '引号"'],
}


def test_fields_json_is_json_dumps_of_the_non_empty_cells():
    n = len(CELLS["name"])
    got = fields_json([(role, pa.array(values, pa.string())) for role, values in CELLS.items()], n).to_pylist()
    for i in range(n):
        typed = {r: v[i] for r, v in CELLS.items() if v[i] not in (None, "")}
        assert got[i] == (json.dumps(typed, ensure_ascii=False) if typed else None)


def test_row_text_keeps_rows_without_any_cell_in_place():
    # pyarrow's skipping join drops all-null rows; every later row must stay where it was
    a = pa.array(["张三", None, "", "李四", None], pa.string())
    b = pa.array(["13800138000", "", None, None, "x"], pa.string())
    assert row_text([a, b]).to_pylist() == ["张三|13800138000", None, None, "李四", "x"]


def test_fields_json_of_sliced_columns_with_and_without_escapes():
    # slices share their parent's bytes: only the slice's own values decide whether to escape
    names = pa.array(['a"b', "张三", "李四", "x\\y"], pa.string())
    addresses = pa.array(["甲", "乙", None, "丁"], pa.string())
    notes = pa.array(["a\tb", "x", "y", "\x1f"], pa.string())   # control characters alone
    for lo, hi in ((1, 3), (0, 2), (2, 4), (1, 1)):
        cols = {"name": names.slice(lo, hi - lo), "address": addresses.slice(lo, hi - lo),
                "note": notes.slice(lo, hi - lo)}
        got = fields_json(list(cols.items()), hi - lo).to_pylist()
        want = []
        for i in range(hi - lo):
            typed = {r: c[i].as_py() for r, c in cols.items() if c[i].as_py() not in (None, "")}
            want.append(json.dumps(typed, ensure_ascii=False) if typed else None)
        assert got == want
