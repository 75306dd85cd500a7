"""Masked (partly hidden) values: ``138****8000``, ``330304********1234``,
``6222 **** **** 1234``, ``张*``.

A masked number is digits, one or more runs of at least three mask characters (``*``,
``×``, ``X`` or ``x``; groups may be separated by a space or hyphen) and digits again,
optionally ending in an ID check ``X``. A masked name is one CJK character followed by
one or two ``*``. Masked values are reported as kind ``masked``, never as identifiers.

>>> is_masked('138****8000'), guess_type('330304********123X')
(True, 'cn_id')
"""

from __future__ import annotations

import re

from . import _util
from .errors import InvalidFormat

NAME = "masked"

_RUN = "(?:\\*{3,}|×{3,}|X{3,}|x{3,})"
#: Masked number with the digits it keeps on both sides.
NUMBER = rf"[0-9]{{2,}}[ -]?{_RUN}(?:[ -]?{_RUN})*[ -]?[0-9]{{1,}}[Xx]?"
#: Masked Chinese personal name.
NAME_PATTERN = "[一-鿿]\\*{1,2}"
CANDIDATE = f"{NUMBER}|{NAME_PATTERN}"


def compact(s: str) -> str:
    """Fold full-width characters (``＊`` to ``*``) and strip surrounding whitespace."""
    return _util.clean(s)


def is_masked(s: str) -> bool:
    """Whether ``s`` as a whole is a masked number or a masked name."""
    return re.fullmatch(CANDIDATE, compact(s)) is not None


def guess_type(s: str) -> str | None:
    """The identifier type a masked number most likely hides, by its total length
    (11: ``cn_mobile``, 15/18: ``cn_id``, 16/19: ``bank_card``), ``'name'`` for a masked
    name, ``None`` otherwise."""
    v = compact(s)
    if re.fullmatch(NAME_PATTERN, v):
        return "name"
    if not re.fullmatch(NUMBER, v):
        return None
    n = len(re.sub(r"[ -]", "", v))
    return {11: "cn_mobile", 15: "cn_id", 18: "cn_id", 16: "bank_card", 19: "bank_card"}.get(n)


def validate(s: str) -> str:
    """Return the compacted masked value; raise ``InvalidFormat`` if it is not masked."""
    if not is_masked(s):
        raise InvalidFormat("not a masked value")
    return compact(s)


def is_valid(s: str) -> bool:
    """Same as ``is_masked``."""
    return is_masked(s)


def mask(value: str) -> str:
    """A masked value is already masked."""
    return compact(value)


def format(value: str) -> str:
    """The compacted masked value."""
    return validate(value)


def validate_many(values):
    """``validate`` over an array (one Python call per value; masked values are rare)."""
    return _util.bulk(values, validate)
