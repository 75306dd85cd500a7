"""The pattern set: every identifier type's written form, with token boundaries.

One combined regular expression finds candidates of every type in one pass over
folded text (the `re` backend; `matcher` has the Hyperscan one and picks). A number counts only as a whole token: no digit or Latin letter may
stand right before or after it. Keyword-gated types (QQ, WeChat, Telegram,
passport) only match right after one of their keywords (a Latin one a word of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import identifiers

# Order matters: at one position the first alternative that matches wins.
# E-mail first (its local part may be digits); masked values before the numbers they resemble.
TEXT_TYPES = ("email", "masked", "cn_id", "bank_card", "cn_mobile", "phone", "us_ssn", "iban", "cn_plate", "ip")
KEYWORD_TYPES = ("qq", "wechat", "telegram", "passport")

# When a candidate fails its own type, the same characters may be another type, if they are
# written as that type is.
# (`0086` + a mobile, unspaced, is a 15-digit run: an ID candidate that is a mobile; an SSN with
# area 001-009 written `001-53-0934` starts like a `00` international prefix.)
ALTERNATES = {"cn_id": ("bank_card", "cn_mobile"), "bank_card": ("cn_id",), "phone": ("us_ssn",)}

NOT_BEFORE = r"(?<![0-9A-Za-z])"
NOT_AFTER = r"(?![0-9A-Za-z])"
# Letters of alphabetic scripts (Latin, Greek, Cyrillic): an e-mail address is ASCII, so one
# glued to such a letter is part of a longer, non-ASCII word (`stanisław.wójcik@wp.pl`) and is not
# taken in part. Han characters are not among them (`邮箱a@b.cn`).
LETTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
# An address starts after no letter, digit or `_`, nor after a `.-%+` that follows one
# (`邮箱.a@b.cn`, `发到...a@b.cn`, `邮箱-a@b.cn`, `email=a@b.cn` give `a@b.cn`; `x.a@b.cn` is one
# address).
EMAIL_NOT_BEFORE = f"(?<![{LETTERS}_])(?<![{LETTERS}_][.%+\\-])"
# It ends before no letter or digit, nor hyphens and one: a domain whose last label goes on
# (`a@xn--d1acufc.xn--p1ai`, an IDN's punycode top-level domain) is not cut to `…xn`.
EMAIL_NOT_AFTER = f"(?![{LETTERS}]|-+[0-9A-Za-z])"


@dataclass(frozen=True)
class Candidate:
    type: str
    start: int      # character offsets in the folded text
    end: int
    raw: str


def group_pattern(t: str) -> str:
    """Type `t`'s alternative of the combined expression: boundaries (or keyword) and group `t`."""
    mod = identifiers.get(t)
    body = mod.CANDIDATE
    if t == "email":
        return f"{EMAIL_NOT_BEFORE}(?P<{t}>{body}){EMAIL_NOT_AFTER}"
    if t in KEYWORD_TYPES:
        # a keyword that starts with a Latin letter or digit is a word of its own (`wx` in the
        # vehicle number `LHG99TVZWXJ525066` is not WeChat's)
        kws = sorted(mod.KEYWORDS, key=len, reverse=True)
        word = [re.escape(k) for k in kws if k[0].isascii() and k[0].isalnum()]
        other = [re.escape(k) for k in kws if not (k[0].isascii() and k[0].isalnum())]
        lead = "|".join([f"{NOT_BEFORE}(?i:{'|'.join(word)})"] * bool(word) + [f"(?i:{'|'.join(other)})"] * bool(other))
        return f"(?:{lead})[ \\t]*[:：=]?[ \\t]*(?P<{t}>{body}){NOT_AFTER}"
    return f"{NOT_BEFORE}(?P<{t}>{body}){NOT_AFTER}"


# Every type of the combined expression, in priority order.
ALL_TYPES = tuple(t for t in TEXT_TYPES + KEYWORD_TYPES if identifiers.TYPES.get(t) or t == "masked")
RANK = {t: i for i, t in enumerate(ALL_TYPES)}


def to_re2(pattern: str) -> str:
    """A Python regular expression in RE2 syntax (Arrow's engine): `\\uXXXX` -> `\\x{XXXX}`."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern)


@lru_cache(maxsize=None)
def text_regex() -> re.Pattern:
    """The combined candidate expression (compiled once)."""
    return re.compile("|".join(group_pattern(t) for t in ALL_TYPES))


@lru_cache(maxsize=None)
def type_regex(t: str) -> re.Pattern:
    """Type `t`'s alternative alone (compiled once)."""
    return re.compile(group_pattern(t))


def candidates(text: str, pos: int = 0, endpos: int | None = None) -> list[Candidate]:
    """Candidates of every type in folded `text[pos:endpos]`, left to right, non-overlapping (`re`)."""
    out = []
    for m in text_regex().finditer(text, pos, len(text) if endpos is None else endpos):
        t = m.lastgroup
        out.append(Candidate(t, m.start(t), m.end(t), m.group(t)))
    return out
