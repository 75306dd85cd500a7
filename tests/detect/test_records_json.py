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
