import random

import pytest

from leaktrace.identifiers import bank_card
from leaktrace.identifiers.errors import InvalidChecksum, InvalidFormat, InvalidLength, InvalidPrefix, Masked

from .conftest import assert_bulk_agrees, make_card, needs_dev, negatives, noisy, reference_column, truth_values


@needs_dev
def test_reference_and_truth_cards_valid():
    cards = reference_column("card_no")
    assert len(cards) > 4000
    assert [c for c in cards if not bank_card.is_valid(c)] == []
    assert {bank_card.brand(c) for c in cards} == {"unionpay"}
    truth = truth_values("bank_card")
    assert bank_card.validate_many(truth).to_pylist() == truth


@needs_dev
def test_planted_luhn_failures_and_masks_rejected():
    for raw in negatives("card_bad_luhn"):
        with pytest.raises(InvalidChecksum):
            bank_card.validate(raw)
    for raw in negatives("masked_card"):
        with pytest.raises(Masked):
            bank_card.validate(raw)
    bad = negatives("card_bad_luhn", "masked_card", "order_no_bad_check", "epoch_ms")
    assert bank_card.validate_many(bad).null_count == len(bad)


@pytest.mark.parametrize("prefix,length,brand", [
    ("62", 16, "unionpay"), ("62", 19, "unionpay"), ("4", 13, "visa"), ("4", 16, "visa"),
    ("51", 16, "mastercard"), ("55", 16, "mastercard"), ("2221", 16, "mastercard"),
    ("2720", 16, "mastercard"), ("34", 15, "amex"), ("37", 15, "amex"), ("3528", 16, "jcb"),
    ("3589", 16, "jcb"), ("6011", 16, "discover"), ("644", 16, "discover"), ("65", 16, "discover"),
    ("300", 14, "diners"), ("305", 16, "diners"), ("36", 14, "diners"), ("38", 16, "diners"),
])
def test_brands_and_lengths(prefix, length, brand):
    card = make_card(random.Random(prefix + str(length)), prefix, length)
    assert bank_card.validate(card) == card
    assert bank_card.brand(card) == brand
    assert bank_card.validate_many([card]).to_pylist() == [card]


@pytest.mark.parametrize("prefix,length", [("4", 14), ("4", 15), ("51", 19), ("34", 16), ("62", 15),
                                           ("4", 19), ("3589", 19), ("65", 19), ("6011", 19)])
def test_wrong_length_for_brand(prefix, length):
    """19 digits only for UnionPay: other 19-digit numbers are mostly 64-bit integers."""
    with pytest.raises(InvalidLength):
        bank_card.validate(make_card(random.Random(1), prefix, length))


@pytest.mark.parametrize("prefix", ["1", "50", "56", "2220", "2721", "3527", "3590", "306", "6010", "643", "7", "8", "9"])
def test_unknown_issuer(prefix):
    with pytest.raises(InvalidPrefix):
        bank_card.validate(make_card(random.Random(2), prefix, 16))


def test_luhn_failure():
    card = "6222625110739567085"
    with pytest.raises(InvalidChecksum):
        bank_card.validate(card[:-1] + str((int(card[-1]) + 1) % 10))


@pytest.mark.parametrize("body", ["6" * 15, "62" + "0" * 13, "6212345678901234", "6298765432101234",
                                  "4111111111111111", "6222" + "7" * 11])
def test_degenerate_patterns_rejected(body):
    from stdnum import luhn

    card = body[:-1] + luhn.calc_check_digit(body[:-1]) if len(body) >= 16 else body + luhn.calc_check_digit(body)
    with pytest.raises((InvalidFormat, InvalidPrefix)):
        bank_card.validate(card)
    assert bank_card.validate_many([card]).to_pylist() == [None]


@pytest.mark.parametrize("written", ["6222 6251 1073 9567 085", "6222-6251-1073-9567-085",
                                     "622262 5110739567085", "６２２２６２５１１０７３９５６７０８５"])
def test_written_forms(written):
    assert bank_card.validate(written) == "6222625110739567085"


def test_mask_format():
    assert bank_card.mask("6222625110739567085") == "6222***********7085"
    assert bank_card.format("6222625110739567085") == "6222 6251 1073 9567 085"


def test_validate_many_agrees_on_random_inputs():
    rng = random.Random(13)
    specs = [("62", 16), ("62", 19), ("62", 17), ("4", 16), ("4", 13), ("51", 16), ("34", 15),
             ("3530", 18), ("6011", 16), ("36", 14)]
    valid = [make_card(rng, *rng.choice(specs)) for _ in range(800)]
    valid += [" ".join(v[i:i + 4] for i in range(0, len(v), 4)) for v in valid[:100]]
    values = noisy(rng, valid, "0123456789 -", 10000) + [None]
    got = assert_bulk_agrees(bank_card, values)
    assert sum(g is not None for g in got) > 2000
