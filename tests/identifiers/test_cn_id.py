import datetime
import random

import pytest

from leaktrace.identifiers import cn_id
from leaktrace.identifiers.errors import (
    InvalidChecksum, InvalidDate, InvalidFormat, InvalidLength, Masked,
)

from .conftest import assert_bulk_agrees, make_cn_id, needs_dev, negatives, noisy, reference_column, truth_values


@needs_dev
def test_all_reference_ids_are_valid():
    ids = reference_column("id_number")
    assert len(ids) > 5000
    assert [v for v in ids if not cn_id.is_valid(v)] == []
    assert cn_id.validate_many(ids).null_count == 0


@needs_dev
def test_truth_findings_validate_to_themselves():
    values = truth_values("cn_id")
    assert cn_id.validate_many(values).to_pylist() == values


@needs_dev
def test_planted_bad_checks_and_dates_are_rejected():
    for raw in negatives("id_bad_check"):
        with pytest.raises(InvalidChecksum):
            cn_id.validate(raw)
    for raw in negatives("id_bad_date"):
        with pytest.raises(InvalidDate):
            cn_id.validate(raw)
    for raw in negatives("order_no_bad_check", "masked_id", "timestamp14", "epoch_ms"):
        assert not cn_id.is_valid(raw), raw
    bad = negatives("id_bad_check", "id_bad_date", "order_no_bad_check", "masked_id")
    assert cn_id.validate_many(bad).null_count == len(bad)


@needs_dev
def test_masked_ids_raise_masked():
    for raw in negatives("masked_id"):
        with pytest.raises(Masked):
            cn_id.validate(raw)


def test_known_value_and_lower_case_x():
    assert cn_id.validate("11010519491231002X") == "11010519491231002X"
    assert cn_id.validate("11010519491231002x") == "11010519491231002X"
    with pytest.raises(InvalidChecksum):
        cn_id.validate("110105194912310021")


def test_written_forms():
    for s in ["110105 19491231 002X", "110105-19491231-002x", " 11010519491231002X\t",
              "１１０１０５１９４９１２３１００２ｘ"]:
        assert cn_id.validate(s) == "11010519491231002X", s


def test_fifteen_digit_conversion():
    assert cn_id.validate("110105491231002") == "11010519491231002X"
    assert cn_id.validate("330304880819123") == "33030419880819123" + cn_id.validate("330304880819123")[-1]
    with pytest.raises(InvalidDate):
        cn_id.validate("330304880230123")  # 1988-02-30
    assert cn_id.birth_date("110105491231002") == datetime.date(1949, 12, 31)


def _with_date(date: str, region: str = "330304") -> str:
    body = region + date + "123"
    from stdnum.iso7064 import mod_11_2

    return body + mod_11_2.calc_check_digit(body)


@pytest.mark.parametrize("date,ok", [
    ("19880229", True), ("20000229", True), ("19000229", False), ("19890229", False),
    ("19881301", False), ("19880000", False), ("19880431", False), ("19880430", True),
    ("18991231", False), ("19000101", True),
])
def test_calendar_dates(date, ok):
    assert cn_id.is_valid(_with_date(date)) is ok
    assert (cn_id.validate_many([_with_date(date)]).to_pylist()[0] is not None) is ok


def test_future_dates_rejected(monkeypatch):
    monkeypatch.setattr(cn_id, "today", lambda: datetime.date(2016, 6, 1))
    assert cn_id.is_valid(_with_date("20160601"))
    with pytest.raises(InvalidDate):
        cn_id.validate(_with_date("20160602"))
    assert cn_id.validate_many([_with_date("20160601"), _with_date("20160602")]).to_pylist()[1] is None
    assert not cn_id.is_valid(_with_date("20990101"))


def test_length_and_format_errors():
    with pytest.raises(InvalidLength):
        cn_id.validate("1101051949123100")
    with pytest.raises(InvalidFormat):
        cn_id.validate("11010519491231002A")
    with pytest.raises(InvalidFormat):
        cn_id.validate("11010519491231X002")


def test_gender_region_mask_format():
    assert cn_id.gender("11010519491231002X") == "F"
    assert cn_id.gender(_with_date("19880101")) == "M"
    assert cn_id.region_known("33030419880819123X")
    assert not cn_id.region_known("990304198808191234")
    assert cn_id.is_valid(_with_date("19880819", "990304"))  # unknown region is not a gate
    assert cn_id.mask("33030419880819123x") == "330304********123X"
    assert cn_id.format("110105491231002") == "11010519491231002X"


def test_validate_many_agrees_on_random_inputs():
    rng = random.Random(7)
    valid = [make_cn_id(rng) for _ in range(500)]
    valid += [v[:6] + v[8:17] for v in valid[:100]]  # 15-digit forms
    valid += [v[:17] + "x" for v in valid if v.endswith("X")]
    values = noisy(rng, valid, "0123456789Xx -", 10000) + [None]
    got = assert_bulk_agrees(cn_id, values)
    assert sum(g is not None for g in got) > 2000


def test_validate_many_empty_and_all_null():
    assert cn_id.validate_many([]).to_pylist() == []
    assert cn_id.validate_many([None, None]).to_pylist() == [None, None]
