import pytest

from leaktrace.identifiers import bank_card, cn_id, cn_mobile, masked

from .conftest import needs_dev, negatives, reference_column


@pytest.mark.parametrize("s,kind", [
    ("138****8000", "cn_mobile"), ("330304********1234", "cn_id"), ("330324********563X", "cn_id"),
    ("6222 **** **** 1234", "bank_card"), ("6222-****-****-1234", "bank_card"), ("张*", "name"),
    ("李**", "name"), ("330304XXXXXXXX1234", "cn_id"), ("138××××8000", "cn_mobile"),
    ("１３８＊＊＊＊８０００", "cn_mobile"), ("6222***********7085", "bank_card"),
])
def test_masked_values(s, kind):
    assert masked.is_masked(s)
    assert masked.guess_type(s) == kind


@pytest.mark.parametrize("s", ["13800138000", "11010519491231002X", "张三", "138**8000", "**", "abc***def",
                               "6222 6251 1073 9567 085", "*"])
def test_not_masked(s):
    assert not masked.is_masked(s)


@needs_dev
def test_planted_masked_negatives():
    for raw in negatives("masked_id", "masked_mobile", "masked_card"):
        assert masked.is_masked(raw), raw


@needs_dev
def test_our_masks_are_recognised_as_masked():
    for v in reference_column("id_number")[:200]:
        assert masked.guess_type(cn_id.mask(v)) == "cn_id"
    for v in reference_column("mobile")[:200]:
        assert masked.guess_type(cn_mobile.mask(v)) == "cn_mobile"
    for v in reference_column("card_no")[:200]:
        assert masked.guess_type(bank_card.mask(v)) == "bank_card"


def test_validate_many():
    assert masked.validate_many(["138****8000", "13800138000", None]).to_pylist() == ["138****8000", None, None]
