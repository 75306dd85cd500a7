"""Tencent QQ number: 5-11 digits, not starting with 0.

Digits alone are not evidence of a QQ number: the detector accepts one only next to one
of ``KEYWORDS``.

>>> validate('794 412 855')
'794412855'
"""

from __future__ import annotations

import re

from . import _util
from .errors import InvalidFormat, InvalidLength

NAME = "qq"

CANDIDATE = r"[1-9][0-9]{4,10}"
PATTERN = CANDIDATE
KEYWORDS = ("QQ", "qq", "Qq", "QQ号", "qq号", "QQ号码", "扣扣", "企鹅", "Q:", "Q：", "q:", "Q号")

_kernel = _util.regex_kernel(PATTERN)


def compact(s: str) -> str:
    """Fold full-width digits, drop spaces."""
    return _util.clean(s, " ")


def validate(s: str) -> str:
    """Return the digits or raise an ``InvalidIdentifier``."""
    v = compact(s)
    if not re.fullmatch(r"[0-9]+", v):
        raise InvalidFormat()
    if not re.fullmatch(PATTERN, v):
        raise InvalidLength()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` has the form of a QQ number."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """Keep the first two and last two digits."""
    return _util.mask_middle(compact(value), 2, 2)


def format(value: str) -> str:
    """The digits."""
    return validate(value)


def validate_many(values):
    """Vectorised ``validate`` (one RE2 pass)."""
    return _util.bulk(values, validate, _kernel, " ")
