import random

import pytest

from leaktrace.identifiers import email
from leaktrace.identifiers.errors import InvalidFormat, InvalidLength

from .conftest import assert_bulk_agrees, needs_dev, noisy, reference_column, truth_values


@needs_dev
def test_reference_and_truth_emails_valid():
    values = reference_column("email")
    assert len(values) > 1000
    assert [v for v in values if not email.is_valid(v)] == []
    truth = truth_values("email")
    assert email.validate_many(truth).to_pylist() == truth


@pytest.mark.parametrize("written,value", [
    ("Zhang.San@QQ.com", "zhang.san@qq.com"), ("<a_b+tag@mail.example.co.uk>", "a_b+tag@mail.example.co.uk"),
    ("mailto:X@Y.org", "x@y.org"), ("ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "zhang@qq.com"), (" 89725339@qq.com\n", "89725339@qq.com"),
    ("a-b@x-y.cn", "a-b@x-y.cn"),
])
def test_valid_forms(written, value):
    assert email.validate(written) == value
    assert email.validate_many([written]).to_pylist() == [value]


@pytest.mark.parametrize("bad", ["a@b", "a@b.c", "a@b.c1", ".a@b.cn", "a.@b.cn", "a..b@c.cn", "a@-b.cn",
                                 "a@b-.cn", "a@.cn", "@b.cn", "a b@c.cn", "a@b..cn", "张三@qq.com", "a@b@c.cn", "",
                                 "logo@2x.png", "icon@3x.JPG", "bundle@1.2.js"])
def test_invalid(bad):
    with pytest.raises(InvalidFormat):
        email.validate(bad)
    assert email.validate_many([bad]).to_pylist() == [None]


def test_lengths():
    with pytest.raises(InvalidLength):
        email.validate("a" * 65 + "@qq.com")
    assert email.is_valid("a" * 64 + "@qq.com")
    with pytest.raises(InvalidLength):
        email.validate("a@" + ("b" * 60 + ".") * 5 + "com")


def test_mask_domain_format():
    assert email.mask("Zhang@QQ.com") == "z***@qq.com"
    assert email.domain("x@Mail.Example.com") == "mail.example.com"
    assert email.format("X@Y.org") == "x@y.org"


def test_validate_many_agrees_on_random_inputs():
    rng = random.Random(17)
    names = ["zhang", "li.si", "wang_wu", "89725339", "a+b", "x-y"]
    domains = ["qq.com", "163.com", "gmail.com", "mail.example.co.uk", "sina.com.cn"]
    valid = [f"{rng.choice(names)}{rng.randint(0, 999)}@{rng.choice(domains)}" for _ in range(500)]
    valid += [v.upper() for v in valid[:50]] + ["mailto:" + v for v in valid[50:80]]
    values = noisy(rng, valid, "abcXYZ019@.-_+ <>", 10000) + [None]
    got = assert_bulk_agrees(email, values)
    assert sum(g is not None for g in got) > 2000


@pytest.mark.parametrize("text, found", [
    ("客服邮箱-song.yang@126.com", ["song.yang@126.com"]),        # a dash before: not the address's
    ("发到这个...chen@yeah.net", ["chen@yeah.net"]),                 # dots before
    ("邮箱.song@aliyun.com 邮箱=abc@x.com", ["song@aliyun.com", "abc@x.com"]),
    ("x.a@b.cn a-b@x.com user+tag@x.com", ["x.a@b.cn", "a-b@x.com", "user+tag@x.com"]),
    ("idNo=1 email=h.x@outlook.com ALERT_MAIL=g@163.com", ["h.x@outlook.com", "g@163.com"]),   # log keys
])
def test_address_starts_where_a_written_address_does(text, found):
    from leaktrace.detect.patterns import candidates

    assert [c.raw for c in candidates(text) if c.type == "email"] == found
