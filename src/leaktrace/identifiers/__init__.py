"""Identifier validators, one module per type, modelled on python-stdnum.

Every module has ``compact``, ``validate`` (normalised value or an
``errors.InvalidIdentifier``), ``is_valid``, ``mask``, ``format``, ``validate_many``
(vectorised bulk validation to a pyarrow string array, null for invalid) and
``CANDIDATE`` (a regex for how the value is written in text, without lookarounds or
backreferences). Keyword-gated types (``passport``, ``qq``, ``wechat``, ``telegram``)
also expose ``KEYWORDS``.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    bank_card,
    cn_id,
    cn_mobile,
    cn_plate,
    email,
    iban,
    ip,
    masked,
    passport,
    phone,
    qq,
    telegram,
    us_ssn,
    wechat,
)
from .errors import (
    InvalidChecksum,
    InvalidDate,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
    InvalidPrefix,
    Masked,
)

#: Identifier types by name (``masked`` is a finding kind, not an identifier).
TYPES: dict[str, ModuleType] = {
    m.NAME: m
    for m in (cn_id, cn_mobile, bank_card, email, phone, iban, ip, passport, qq, wechat,
              telegram, cn_plate, us_ssn, masked)
}

#: Types that identify a person: the keys records resolve to persons by. The others
#: (IP addresses, plates, chat handles) are findings and record fields, not person keys.
PERSON_KEYS = frozenset({"cn_id", "cn_mobile", "bank_card", "email", "phone", "passport", "us_ssn", "iban"})

#: Types that count only next to one of their module's ``KEYWORDS``.
KEYWORD_GATED = frozenset(name for name, m in TYPES.items() if hasattr(m, "KEYWORDS"))


def get(name: str) -> ModuleType:
    """The module for an identifier type name; ``KeyError`` listing the known names."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown identifier type {name!r}; known: {', '.join(TYPES)}") from None


__all__ = [
    "TYPES", "KEYWORD_GATED", "get", "InvalidIdentifier", "InvalidFormat", "InvalidLength",
    "InvalidChecksum", "InvalidDate", "InvalidPrefix", "Masked",
] + list(TYPES)
