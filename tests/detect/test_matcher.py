"""The Hyperscan matcher finds exactly the candidates of the `re` backend."""

from __future__ import annotations

import random

import pytest

from eval_helpers import EVAL_DEV
from leaktrace.detect import matcher
from leaktrace.detect.normalize import fold, for_matching

pytestmark = pytest.mark.skipif(matcher.hyperscan is None, reason="hyperscan not installed")

DEV = EVAL_DEV / "evidence"

TRICKY = [
    "任务号 12345678901234567890 结束",
    "时间戳 20160523103045 与 1463970645123",
    "电话 +86 138 0013 8000，(+86)13800138000；0086-13800138000 或 138-0013-8000 138.0013.8000",
    "x+86 138 0013 8000 a0086-13800138000 +8613800138000x",
    "卡号 6222 0212 3456 7890 123 / 6222-0212-3456-7890 / 6222 021234 56789 / 622202 1234567890123",
    "6222 0212 3456 7890 1234 62220212345678901",
    "老身份证 330304900101123 新 33030419900101123x 和 33030419900101123X 33030419900101123xyz",
    "330304 19900101 123X, 330304-19900101-1234",
    "邮箱zhangsan@qq.com张三 李四lisi.wang@sina.com.cn。 a=b@x.com _u@y.org 13800138000@163.com",
    "a@b.cc.d a@example.com-x a@b.co.uk1 x.y@z.io",
    '{"m":"\\u624b\\u673a17312342997\\u5df2","e":"\\u90ae\\u7bb1hx@gmail.com"} a\\n13800138000 \\ud83d',
    "邮箱-song.yang@126.com 发到...chen@yeah.net 邮箱.s@a.cn =abc@x.com a..b@x.com key=abc@x.com _x@y.cn",
    "138****8000 330304********1234 6222 **** **** 1234 张** 李*明 138xxxx8000 12****34****56",
    "QQ:12345678 qq号 87654321 QQ号码：123456789 扣扣 55555 Q:10001 q:10002 myqq:123456",
    "微信: wxid_abc12345 微信号 zhang_san01 wx:abc123@qq.com vx abcdefg 加V hello_world",
    "TG @someone_here tg:@abc_de1 电报 t.me/handle_one Telegram https://t.me/another_one",
    "护照 E12345678 passport No. G1234567 Passport Number P7654321",
    "ip 192.168.1.1 10.0.0.256 1.2.3.4:8080 ::1 ::1.2.3.4 fe80::1 1.2.3.4:5:6:7 14:08:14 2001:db8::8a2e:370:7334",
    "SSN 123-45-6789 123 45 6789 IBAN DE89 3704 0044 0532 0130 00 GB82WEST12345698765432",
    "车牌 浙C12345 浙C·12345 粤B123456 京A1234学 浙c12345x",
    "+44 20 7946 0958 0044 20 7946 0958 +1 (415) 555-2671 001-415-555-2671",
    "",
    "\n\n13800138000\n",
    "13800138000",
    "中文13800138000中文330304199001011234中文",
    "qſ:12345678 KQ号 87654321 İQQ 55555 中文",   # letters re's case folding takes for ASCII
]

ALPHABET = ["1", "3", "8", "0", "6", "2", "9", "x", "X", "a", "q", "Q", "@", ".", "-", " ", "*", "+", "(", ")",
            ":", "：", "\n", "张", "浙", "com", "qq", "QQ", "wx", "微信", "tg", "86", "0086", "138", "13800138000",
            "330304199001011234", "6222021234567890", "6222 0212 3456 7890", "****", "1.2.3.4", "::", "a@b.cn", "=", "_", "%", "\\u624b", "\\n", "\\", "u"]


def _same(text: str) -> None:
    a, b = matcher.find_re(text), matcher.find_hyperscan(text)
    assert list(zip(b.types.tolist(), b.starts.tolist(), b.ends.tolist(), b.raws)) == \
        list(zip(a.types.tolist(), a.starts.tolist(), a.ends.tolist(), a.raws)), text[:200]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings(text):
    _same(fold(text))
    _same(for_matching(text))


def test_all_tricky_strings_as_one_text():
    _same(fold("\n".join(TRICKY)))
    _same(fold(" ".join(TRICKY)))


def test_random_token_soup():
    rng = random.Random(7)
    for _ in range(3000):
        soup = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
        _same(fold(soup))
        _same(for_matching(soup))
        assert len(for_matching(soup)) == len(soup)


@pytest.mark.skipif(not DEV.exists(), reason="dev case not available")
def test_dev_evidence_text():
    n = 0
    for p in sorted(DEV.rglob("*")):
        if p.suffix in (".txt", ".csv", ".sql", ".jsonl", ".eml", ".html", ".log", ".json", ".vcf"):
            try:
                text = p.read_text(encoding="utf-8")
            except (UnicodeDecodeError, IsADirectoryError):
                continue
            _same(fold(text))
            n += 1
    assert n > 10


def test_non_ascii_case_folding_goes_to_re():
    _same("paſſport E12345678 and 13800138000")


def test_backend_choice(monkeypatch):
    monkeypatch.setenv("LEAKTRACE_MATCHER", "re")
    assert matcher.backend() == "re"
    monkeypatch.delenv("LEAKTRACE_MATCHER")
    assert matcher.backend() == "hyperscan"
