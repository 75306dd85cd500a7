"""Column roles: what a table column holds, from its header or from a sample of its values."""

from __future__ import annotations

import re
from pathlib import Path

from stdnum import luhn

from ..datafile import read_yaml

VOCABULARY = Path(__file__).with_name("header_roles.yaml")


def load_vocabulary(path: Path = VOCABULARY) -> list[tuple[str, tuple[str, ...]]]:
    """(role, header words) in the file's order, checked: each role once, words lower-case strings."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: expected a mapping of role -> list of header words")
    rules = []
    for role, words in data.items():
        if not isinstance(words, list) or not words:
            raise ValueError(f"{path}: {role}: expected a non-empty list of header words, got {words!r}")
        for w in words:
            if not isinstance(w, str) or not w.strip() or w != w.lower():
                raise ValueError(f"{path}: {role}: header word {w!r} is not a non-empty lower-case string "
                                 "(headers are lower-cased before they are matched)")
        rules.append((str(role), tuple(words)))
    return rules


# Header words (lower-case, Chinese and English) -> role, from `header_roles.yaml`. The first
# rule that matches wins, so more specific words come first.
HEADER_RULES: list[tuple[str, tuple[str, ...]]] = load_vocabulary()

# Roles whose identifiers belong to someone other than the record's subject.
NON_SUBJECT_ROLES = frozenset({"callee", "counterparty"})
# Columns of device numbers (IMEI, IMSI): their 15 digits pass for first-generation resident IDs
# one time in several, but nothing in them identifies a person, so nothing is taken from them.
DEVICE_ROLES = frozenset({"device"})
# Roles kept as typed fields of a record (identifiers are kept apart, in `ids`).
FIELD_ROLES = frozenset({"address", "plate", "vin", "checkin", "checkout", "hotel", "room", "diagnosis",
                         "hospital", "visit", "duration", "cell", "lon", "lat", "credit_score", "overdue",
                         "loan", "balance", "branch", "order", "item", "amount", "policy", "time"})
# Roles a text line's record can carry: what a chat-log message says (`messages.py`).
LINE_ROLES = frozenset({"message"})
# Roles a record's `fields` can carry: the roles a profile's category rules can test.
RECORD_ROLES = FIELD_ROLES | NON_SUBJECT_ROLES | LINE_ROLES

# Identifier type found in a column's values -> role.
TYPE_ROLES = {"cn_id": "cn_id", "cn_mobile": "mobile", "bank_card": "card", "email": "email"}

_AMOUNT = re.compile(r"^-?\d{1,12}\.\d{1,4}$")
_INTEGER = re.compile(r"^\d{1,12}$")
_TIME = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ADDRESS = re.compile(r"[省市区县镇村路街号室]")


def _rule_regex(words: tuple[str, ...]) -> re.Pattern:
    """Chinese words match anywhere; Latin words only as whole words (`tel` is not in `hotel`)."""
    parts = [re.escape(w) if not w.isascii() else rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words]
    return re.compile("|".join(parts))


_RULES = [(role, _rule_regex(words)) for role, words in HEADER_RULES]


def header_role(header: str) -> str | None:
    """The role a header names, or None when it says nothing (`col3`, `field_2`)."""
    h = header.strip().lower()
    for role, rx in _RULES:
        if h and rx.search(h):
            return role
    return None


def value_role(sample: list[str], type_shares: dict[str, float]) -> str | None:
    """The role of a column from its values: device numbers, identifier types, then value shapes."""
    values = [v.strip() for v in sample if v and v.strip()]
    if len(values) >= 5 and sum(map(_imei_like, values)) >= 0.9 * len(values):
        return "device"   # 15 Luhn-valid digits: IMEIs (a column of old resident IDs: one in ten)
    if type_shares:
        t, share = max(type_shares.items(), key=lambda kv: kv[1])
        if share >= 0.5 and t in TYPE_ROLES:
            return TYPE_ROLES[t]
    if not values:
        return None
    if all(_INTEGER.match(v) for v in values) and _consecutive([int(v) for v in values]):
        return "seq"  # a row number or auto-increment key
    for role, rx, kind in (("time", _TIME, "match"), ("name", _HAN_NAME, "match"),
                           ("amount", _AMOUNT, "match"), ("address", _ADDRESS, "search")):
        hits = sum(1 for v in values if (rx.match(v) if kind == "match" else rx.search(v) and len(v) > 6))
        if hits / len(values) >= 0.8:
            return role
    return None


def _imei_like(value: str) -> bool:
    """15 ASCII digits whose last is their Luhn check digit."""
    return len(value) == 15 and value.isascii() and value.isdigit() and luhn.is_valid(value)


def _consecutive(numbers: list[int]) -> bool:
    return len(numbers) > 1 and all(b - a == 1 for a, b in zip(numbers, numbers[1:]))
