import datetime
import random

import numpy as np
import pyarrow as pa
import pytest
from stdnum import luhn

from leaktrace.identifiers import _util


def test_fold_fullwidth_digits_letters_and_punctuation():
    assert _util.fold("１３８ＡＢＣｘ＋（）＠\u3000") == "138ABCx+()@ "
    assert _util.fold("张三 abc") == "张三 abc"


def test_clean_strips_and_deletes():
    assert _util.clean(" １３８-００１３ ", "-") == "1380013"


def test_char_class_is_literal():
    import re

    cls = _util.char_class(" -.()[]^\\")
    assert all(re.fullmatch(cls, c) for c in " -.()[]^\\")
    assert not re.fullmatch(cls, "a")


def test_luhn_matrix_agrees_with_stdnum():
    rng = np.random.default_rng(1)
    for width in range(2, 20):
        d = rng.integers(0, 10, size=(500, width), dtype=np.int8)
        got = _util.luhn_ok(d)
        want = [luhn.is_valid("".join(map(str, row))) for row in d]
        assert got.tolist() == want


def test_degenerate_scalar_and_rows_agree():
    rng = random.Random(2)
    samples = ["0000000012", "1234567890", "9876543210", "7890123456", "1111111", "12345670"]
    samples += ["".join(rng.choice("0123456789") for _ in range(16)) for _ in range(2000)]
    samples += ["12" + "5" * k + "34" for k in range(5, 11)]
    for width in {len(s) for s in samples}:
        group = [s for s in samples if len(s) == width]
        d = np.array([[int(c) for c in s] for s in group], dtype=np.int8)
        assert _util.degenerate_rows(d).tolist() == [_util.degenerate(s) for s in group]
    assert _util.degenerate("4444444412345671")
    assert _util.degenerate("6212345678901234")
    assert not _util.degenerate("6222625110739567")


def test_dates_ok_agrees_with_real_date():
    today = datetime.date(2016, 6, 1)
    rng = np.random.default_rng(3)
    y = rng.integers(1890, 2030, 20000)
    m = rng.integers(0, 14, 20000)
    d = rng.integers(0, 33, 20000)
    y[:4], m[:4], d[:4] = [2000, 1900, 2016, 2016], [2, 2, 6, 6], [29, 29, 1, 2]
    got = _util.dates_ok(y, m, d, today)
    want = [_util.real_date(int(a), int(b), int(c), today) is not None for a, b, c in zip(y, m, d)]
    assert got.tolist() == want
    assert got[:4].tolist() == [True, False, True, False]


def test_fixed_matrix_respects_slices_and_large_strings():
    arr = pa.array(["xx", "abc", "def", "ghi"]).slice(1)
    assert _util.fixed_matrix(arr, 3).tobytes() == b"abcdefghi"
    big = pa.array(["abc", "def"], type=pa.large_string())
    assert _util.fixed_matrix(big, 3).tobytes() == b"abcdef"


def test_assemble_orders_and_nulls():
    out = _util.assemble(4, [(np.array([3, 0]), pa.array(["d", "a"]))])
    assert out.to_pylist() == ["a", None, None, "d"]
    assert _util.assemble(2, []).to_pylist() == [None, None]


def test_as_string_array_accepts_lists_and_chunks():
    assert _util.as_string_array(["a", None]).to_pylist() == ["a", None]
    chunked = pa.chunked_array([["a"], ["b"]])
    assert _util.as_string_array(chunked).to_pylist() == ["a", "b"]


@pytest.mark.parametrize("s", ["138****8000", "330304XXXXXXXX1234", "6222 **** **** 1234", "12×××34"])
def test_reject_masked(s):
    with pytest.raises(_util.Masked):
        _util.reject_masked(s)
