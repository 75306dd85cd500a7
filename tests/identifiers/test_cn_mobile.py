import random

import pytest

from leaktrace.identifiers import cn_mobile
from leaktrace.identifiers.errors import InvalidFormat, InvalidLength, InvalidPrefix, Masked

from .conftest import assert_bulk_agrees, needs_dev, negatives, noisy, reference_column, truth_values

CASE_PREFIXES = [*range(130, 140), 145, 147, 150, 151, 152, 153, *range(155, 160), 166, 172, 173,
                 175, 176, 177, 178, *range(180, 190), 191, 193, *range(195, 200)]


@pytest.mark.parametrize("prefix", CASE_PREFIXES)
def test_case_prefixes_accepted(prefix):
    assert cn_mobile.validate(f"{prefix}12345678") == f"{prefix}12345678"
    assert f"{prefix}" in map(str, cn_mobile.PREFIXES)


@pytest.mark.parametrize("prefix", [100, 101, 110, 120, 140, 154, 104, 112, 126, 141, 144, 164, 179, 194])
def test_unallocated_prefixes_rejected(prefix):
    with pytest.raises(InvalidPrefix):
        cn_mobile.validate(f"{prefix}12345678")


@pytest.mark.parametrize("written", [
    "13800138000", "+86 138 0013 8000", "+86-138-0013-8000", "+8613800138000", "(+86)13800138000",
    "(+86) 138 0013 8000", "(86)13800138000", "0086-13800138000", "0086 138 0013 8000", "008613800138000",
    "138-0013-8000", "138 0013 8000", "138.0013.8000", "8613800138000", "１３８００１３８０００",
    "＋８６ １３８ ００１３ ８０００", " 13800138000 ",
])
def test_prefix_and_separator_forms(written):
    assert cn_mobile.validate(written) == "13800138000"
    assert cn_mobile.validate_many([written]).to_pylist() == ["13800138000"]


def test_errors():
    with pytest.raises(InvalidLength):
        cn_mobile.validate("1380013800")
    with pytest.raises(InvalidFormat):
        cn_mobile.validate("+1 650 253 0000")
    with pytest.raises(Masked):
        cn_mobile.validate("138****8000")
    with pytest.raises(InvalidLength):
        cn_mobile.validate("65631329538057912123")  # mobile embedded in a 20-digit task number


@needs_dev
def test_reference_and_truth_mobiles_valid():
    values = reference_column("mobile", "phone", "caller", "callee")
    assert len(values) > 5000
    assert [v for v in values if not cn_mobile.is_valid(v)] == []
    truth = truth_values("cn_mobile")
    assert cn_mobile.validate_many(truth).to_pylist() == truth


@needs_dev
def test_planted_negatives_rejected():
    bad = negatives("mobile_bad_prefix", "mobile_embedded", "masked_mobile", "timestamp14", "epoch_ms")
    assert [v for v in bad if cn_mobile.is_valid(v)] == []
    assert cn_mobile.validate_many(bad).null_count == len(bad)
    for raw in negatives("mobile_bad_prefix"):
        with pytest.raises(InvalidPrefix):
            cn_mobile.validate(raw)


def test_mask_format_e164():
    assert cn_mobile.mask("+86 138 0013 8000") == "138****8000"
    assert cn_mobile.format("13800138000") == "138 0013 8000"
    assert cn_mobile.to_e164("138-0013-8000") == "+8613800138000"


def test_validate_many_agrees_on_random_inputs():
    rng = random.Random(11)
    valid = [f"{rng.choice(cn_mobile.PREFIXES)}{rng.randint(0, 99999999):08d}" for _ in range(500)]
    valid += ["+86 " + v for v in valid[:50]] + ["0086" + v for v in valid[50:100]] + ["86" + v for v in valid[100:150]]
    values = noisy(rng, valid, "0123456789 -.+()", 10000) + [None]
    got = assert_bulk_agrees(cn_mobile, values)
    assert sum(g is not None for g in got) > 2000
