import random

import pytest

from leaktrace.identifiers import cn_plate, iban, ip, passport, phone, qq, telegram, us_ssn, wechat
from leaktrace.identifiers.errors import InvalidChecksum, InvalidFormat, InvalidIdentifier, InvalidPrefix

from .conftest import assert_bulk_agrees, needs_dev, noisy, reference_column


@pytest.mark.parametrize("written,value", [
    ("+49 30 1234 5678", "+493012345678"), ("0049-30-12345678", "+493012345678"),
    ("+1 (650) 253-0000", "+16502530000"), ("+44 20 7946 0958", "+442079460958"),
    ("+852 9123 4567", "+85291234567"), ("+86 10 6552 9988", "+861065529988"),
])
def test_phone_valid(written, value):
    assert phone.validate(written) == value


@pytest.mark.parametrize("bad,error", [
    ("+86 138 0013 8000", InvalidPrefix), ("008613800138000", InvalidPrefix), ("030 12345678", InvalidFormat),
    ("+49 1", InvalidIdentifier), ("+1 555 000 0000", InvalidPrefix),
])
def test_phone_invalid(bad, error):
    with pytest.raises(error):
        phone.validate(bad)


def test_phone_helpers():
    assert phone.region("+49 30 1234 5678") == "DE"
    assert phone.format("+493012345678") == "+49 30 12345678"


def test_iban():
    assert iban.validate("GB82 WEST 1234 5698 7654 32") == "GB82WEST12345698765432"
    assert iban.validate("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    with pytest.raises(InvalidChecksum):
        iban.validate("GB83 WEST 1234 5698 7654 32")
    assert iban.format("GB82WEST12345698765432") == "GB82 WEST 1234 5698 7654 32"
    assert not iban.is_valid("hello")


def test_ip():
    assert ip.validate("192.168.1.10") == "192.168.1.10"
    assert ip.validate("[2001:DB8:0:0:0:0:0:1]") == "2001:db8::1"
    assert ip.version("::1") == 6
    assert not ip.is_valid("256.1.1.1")
    assert not ip.is_valid("01.2.3.4")
    assert not ip.is_global("10.0.0.1")
    assert ip.mask("192.168.1.10") == "192.168.1.*"


def test_passport():
    assert passport.validate("e12345678") == "E12345678"
    assert passport.is_cn("G12345678") and passport.is_cn("EA1234567")
    assert passport.validate("K1234567") == "K1234567" and not passport.is_cn("K1234567")
    assert not passport.is_valid("ABCDEFG")  # no digit
    assert not passport.is_valid("E1234")
    assert "护照" in passport.KEYWORDS and "Passport No" in passport.KEYWORDS


def test_qq():
    assert qq.validate("794412855") == "794412855"
    assert qq.validate("１２３４５") == "12345"
    assert not qq.is_valid("01234567")
    assert not qq.is_valid("1234")
    assert not qq.is_valid("123456789012")
    assert {"QQ", "扣扣"} <= set(qq.KEYWORDS)


def test_wechat():
    assert wechat.validate("wxid_Z680N4O8B6PM82") == "wxid_z680n4o8b6pm82"
    assert wechat.validate("Zhang_San-88") == "zhang_san-88"
    assert not wechat.is_valid("8zhangsan")
    assert not wechat.is_valid("abc")
    assert not wechat.is_valid("a" * 21)
    assert {"微信", "vx", "V信"} <= set(wechat.KEYWORDS)


def test_telegram():
    for s in ["@DB_Shop", "t.me/db_shop", "https://t.me/DB_SHOP", "db_shop"]:
        assert telegram.validate(s) == "db_shop"
    assert not telegram.is_valid("@abc")
    assert not telegram.is_valid("@shop_")
    assert not telegram.is_valid("@1shop")
    assert telegram.format("DB_Shop") == "@db_shop"
    assert {"TG", "飞机", "电报"} <= set(telegram.KEYWORDS)


def test_cn_plate():
    assert cn_plate.validate("浙CH8EJD") == "浙CH8EJD"
    assert cn_plate.validate("浙A·12345") == "浙A12345"
    assert cn_plate.validate("浙a 1234学") == "浙A1234学"
    assert cn_plate.validate("粤BD12345") == "粤BD12345"
    assert cn_plate.validate("粤B12345F") == "粤B12345F"
    assert not cn_plate.is_valid("浙I12345")
    assert not cn_plate.is_valid("AB12345")
    assert not cn_plate.is_valid("粤B123456")  # 6 chars but not new-energy
    assert cn_plate.format("浙CH8EJD") == "浙C·H8EJD"


@needs_dev
def test_reference_plates_valid():
    plates = reference_column("plate")
    assert len(plates) > 5000
    assert [p for p in plates if not cn_plate.is_valid(p)] == []


def test_us_ssn():
    assert us_ssn.validate("536-90-4399") == "536904399"
    for bad in ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "078-05-1120"]:
        assert not us_ssn.is_valid(bad), bad
    assert us_ssn.format("536904399") == "536-90-4399"
    assert us_ssn.mask("536-90-4399") == "***-**-4399"


@pytest.mark.parametrize("module,valid,alphabet", [
    (qq, ["794412855", "12345", "10000000000"], "0123456789 a"),
    (wechat, ["wxid_z680n4o8b6pm82", "Zhang_San-88", "abcdef"], "abcXYZ_-019 "),
    (telegram, ["@DB_Shop", "t.me/db_shop", "shop_bot"], "abXY_@/.1 "),
    (passport, ["E12345678", "K1234567", "ea1234567"], "EGKa019 -"),
    (phone, ["+49 30 1234 5678", "+1 650 253 0000", "+86 138 0013 8000"], "0123456789+ -()"),
    (iban, ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"], "GBWEST0123456789 "),
    (ip, ["192.168.1.10", "2001:db8::1"], "0123456789abcdef:.[]"),
    (cn_plate, ["浙CH8EJD", "浙A·12345"], "浙AB12345·DI"),
    (us_ssn, ["536-90-4399"], "0123456789- "),
])
def test_validate_many_agrees(module, valid, alphabet):
    rng = random.Random(module.NAME)
    assert_bulk_agrees(module, noisy(rng, valid, alphabet, 1500) + [None])
