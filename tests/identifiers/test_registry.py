import re

import pytest

import leaktrace.identifiers as identifiers
from leaktrace.identifiers import errors

API = ("compact", "validate", "is_valid", "mask", "format", "validate_many", "CANDIDATE", "NAME")


def test_registry_names_and_get():
    assert {"cn_id", "cn_mobile", "bank_card", "email", "phone", "iban", "ip", "passport", "qq",
            "wechat", "telegram", "cn_plate", "us_ssn", "masked"} == set(identifiers.TYPES)
    assert identifiers.get("cn_id") is identifiers.cn_id
    with pytest.raises(KeyError, match="known"):
        identifiers.get("nope")
    assert identifiers.KEYWORD_GATED == {"passport", "qq", "wechat", "telegram"}


@pytest.mark.parametrize("name", sorted(identifiers.TYPES))
def test_common_api(name):
    module = identifiers.get(name)
    for attr in API:
        assert hasattr(module, attr), attr
    assert module.NAME == name
    assert not module.is_valid("")


@pytest.mark.parametrize("name", sorted(identifiers.TYPES))
def test_candidate_is_hyperscan_compatible(name):
    pattern = identifiers.get(name).CANDIDATE
    re.compile(pattern)
    assert not re.search(r"\(\?[=!<]|\\[1-9]|\(\?P[=<]", pattern), "no lookarounds/backreferences"


def test_errors_hierarchy():
    for cls in (errors.InvalidFormat, errors.InvalidLength, errors.InvalidChecksum, errors.InvalidDate,
                errors.InvalidPrefix, errors.Masked):
        assert issubclass(cls, errors.InvalidIdentifier)
    assert issubclass(errors.InvalidIdentifier, ValueError)


WRITTEN = {
    "cn_id": ["11010519491231002X", "11010519491231002x", "110105 19491231 002X", "110105491231002"],
    "cn_mobile": ["+86 138 0013 8000", "(+86)13800138000", "0086-13800138000", "138-0013-8000",
                  "138 0013 8000", "138.0013.8000", "+8613800138000", "13800138000"],
    "bank_card": ["6222 6251 1073 9567 085", "6222-6251-1073-9567-085", "6222625110739567085",
                  "4111 1111 1111 1111", "3782 822463 10005"],
    "email": ["Zhang.San@QQ.com"],
    "phone": ["+49 30 1234 5678", "0049 30 12345678", "+1 (650) 253-0000"],
    "iban": ["GB82 WEST 1234 5698 7654 32"],
    "ip": ["192.168.1.10", "2001:db8::1", "fe80::1:2"],
    "passport": ["E12345678"],
    "qq": ["794412855"],
    "wechat": ["wxid_z680n4o8b6pm82", "zhang_san"],
    "telegram": ["@db_shop", "t.me/db_shop", "https://t.me/db_shop"],
    "cn_plate": ["浙CH8EJD", "浙A·12345"],
    "us_ssn": ["536-90-4399"],
    "masked": ["138****8000", "330304********1234", "6222 **** **** 1234", "张*"],
}


@pytest.mark.parametrize("name,written", [(n, w) for n, ws in WRITTEN.items() for w in ws])
def test_candidate_matches_written_forms(name, written):
    assert re.fullmatch(identifiers.get(name).CANDIDATE, written), written


def test_candidate_hyperscan_compiles():
    hyperscan = pytest.importorskip("hyperscan")
    db = hyperscan.Database()
    patterns = [m.CANDIDATE.encode() for m in identifiers.TYPES.values()]
    db.compile(expressions=patterns, ids=list(range(len(patterns))),
               elements=len(patterns), flags=[hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP] * len(patterns))
