"""Passport number: Chinese passports (``E``/``G``/``P``/``S``/``D`` + 8 digits, or ``E`` +
letter + 7 digits) and, generically, 6-9 letters and digits with at least one digit.
Normalised upper-case.

Only meaningful next to one of ``KEYWORDS``; the detector enforces that.

>>> validate('e12345678'), is_cn('E12345678')
('E12345678', True)
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from . import _util
from .errors import InvalidFormat, InvalidLength

NAME = "passport"

CN_PATTERN = r"[EGPSD][0-9]{8}|E[A-HJ-NP-Z][0-9]{7}"
GENERIC_PATTERN = r"[A-Z0-9]{6,9}"
CANDIDATE = r"[A-Za-z0-9]{6,9}"
KEYWORDS = ("护照", "护照号", "护照号码", "passport", "Passport", "PASSPORT", "Passport No",
            "Passport No.", "passport no", "Passport Number", "旅行证件")

_SEPARATORS = " -"


def compact(s: str) -> str:
    """Fold full-width characters, drop spaces and hyphens, upper-case."""
    return _util.clean(s, _SEPARATORS).upper()


def validate(s: str) -> str:
    """Return the upper-case number or raise an ``InvalidIdentifier``."""
    v = compact(s)
    if not 6 <= len(v) <= 9:
        raise InvalidLength()
    if not re.fullmatch(GENERIC_PATTERN, v) or not re.search("[0-9]", v):
        raise InvalidFormat()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` has the form of a passport number."""
    return _util.is_valid(validate, s)


def is_cn(value: str) -> bool:
    """Whether a valid number has the form of a Chinese passport."""
    return re.fullmatch(CN_PATTERN, validate(value)) is not None


def mask(value: str) -> str:
    """Keep the first and the last two characters."""
    return _util.mask_middle(compact(value), 1, 2)


def format(value: str) -> str:
    """The upper-case number."""
    return validate(value)


_generic = _util.regex_kernel(GENERIC_PATTERN, case="upper")


def _kernel(arr: pa.Array) -> pa.Array:
    out = _generic(arr)
    has_digit = pc.fill_null(pc.match_substring_regex(out, "[0-9]"), False)
    return pc.if_else(has_digit, out, pa.scalar(None, pa.string()))


def validate_many(values):
    """Vectorised ``validate`` (RE2 passes)."""
    return _util.bulk(values, validate, _kernel, _util.char_class(_SEPARATORS))
