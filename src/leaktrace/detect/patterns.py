"""The pattern set: every identifier type's written form, with token boundaries.

One combined regular expression finds candidates of every type in one pass over
folded text. A number counts only as a whole token: no digit or Latin letter may
stand right before or after it. Keyword-gated types (QQ, WeChat, Telegram,
passport) only match right after one of their keywords.
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
CORE_TYPES = ("cn_id", "cn_mobile", "bank_card", "email")

# When a candidate fails its own type, the same characters may be another type.
ALTERNATES = {"cn_id": ("bank_card",), "bank_card": ("cn_id",)}

NOT_BEFORE = r"(?<![0-9A-Za-z])"
NOT_AFTER = r"(?![0-9A-Za-z])"
EMAIL_NOT_BEFORE = r"(?<![0-9A-Za-z._%+\-])"


@dataclass(frozen=True)
class Candidate:
    type: str
    start: int      # character offsets in the folded text
    end: int
    raw: str


def _group(t: str) -> str:
    mod = identifiers.get(t)
    body = mod.CANDIDATE
    if t == "email":
        return f"{EMAIL_NOT_BEFORE}(?P<{t}>{body})"
    if t in KEYWORD_TYPES:
        kws = "|".join(re.escape(k) for k in sorted(mod.KEYWORDS, key=len, reverse=True))
        return f"(?i:{kws})[ \\t]*[:：=]?[ \\t]*(?P<{t}>{body}){NOT_AFTER}"
    return f"{NOT_BEFORE}(?P<{t}>{body}){NOT_AFTER}"


@lru_cache(maxsize=None)
def text_regex() -> re.Pattern:
    """The combined candidate expression (compiled once)."""
    parts = [_group(t) for t in TEXT_TYPES + KEYWORD_TYPES if identifiers.TYPES.get(t) or t == "masked"]
    return re.compile("|".join(parts))


def candidates(text: str) -> list[Candidate]:
    """Candidates of every type in folded text, left to right, non-overlapping."""
    out = []
    for m in text_regex().finditer(text):
        t = m.lastgroup
        out.append(Candidate(t, m.start(t), m.end(t), m.group(t)))
    return out
