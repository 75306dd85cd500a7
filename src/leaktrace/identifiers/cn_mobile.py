"""Mainland China mobile number (手机号码).

11 digits whose prefix libphonenumber's CN metadata allocates to mobile service
(130-139, 145, 147, 150-153, 155-159, 166, 17x, 18x, 19x ...). Written forms may carry a
``+86``, ``0086``, ``(+86)`` or bare ``86`` (13 digits) country prefix and spaces,
hyphens or dots.

>>> validate('(+86) 138-0013-8000')
'13800138000'
"""

from __future__ import annotations

import re

import numpy as np
import phonenumbers
from phonenumbers import PhoneMetadata

from . import _util
from .errors import InvalidFormat, InvalidLength, InvalidPrefix

NAME = "cn_mobile"

#: How a mobile number may be written (country prefix forms, 3-4-4 grouping).
CANDIDATE = (
    r"(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?"
    r"1[3-9][0-9](?:[0-9]{8}|[ .-][0-9]{4}[ .-][0-9]{4}|[ .-][0-9]{8})"
)

_SEPARATORS = " -.()\t"
_SLOW_IF = _util.char_class(_SEPARATORS) + r"|^\+|^0086|^861[0-9]{10}$"


def _mobile_prefixes() -> np.ndarray:
    """Boolean table over 5-digit prefixes 0..99999: allocated to CN mobile service.

    libphonenumber's CN mobile pattern never constrains more than the first five digits,
    which is checked here with two different suffixes."""
    desc = PhoneMetadata.metadata_for_region("CN").mobile
    pattern = re.compile(r"(?:%s)\Z" % desc.national_number_pattern)
    table = np.zeros(100000, dtype=bool)
    for p in range(10000, 20000):
        low, high = bool(pattern.match("%d000000" % p)), bool(pattern.match("%d999999" % p))
        if low != high:  # pragma: no cover - metadata changed shape
            raise RuntimeError("CN mobile metadata depends on more than 5 digits: %d" % p)
        table[p] = low
    return table


PREFIX5 = _mobile_prefixes()

#: The allocated 3-digit blocks (any allocated 5-digit prefix inside counts).
PREFIXES = tuple(sorted({int(p) // 100 for p in np.flatnonzero(PREFIX5)}))


def compact(s: str) -> str:
    """Fold full-width characters, drop separators and the ``+86``/``0086``/``86`` prefix."""
    v = _util.clean(s, _SEPARATORS)
    for prefix in ("+86", "0086"):
        if v.startswith(prefix):
            return v[len(prefix):]
    if len(v) == 13 and v.startswith("861"):
        return v[2:]
    return v


def validate(s: str) -> str:
    """Return the 11 digits or raise an ``InvalidIdentifier``."""
    _util.reject_masked(s)
    v = compact(s)
    if not re.fullmatch(r"[0-9]+", v):
        raise InvalidFormat()
    if len(v) != 11:
        raise InvalidLength()
    if not PREFIX5[int(v[:5])]:
        raise InvalidPrefix()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid mainland mobile number."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """``138****8000``."""
    return _util.mask_middle(compact(value), 3, 4)


def format(value: str) -> str:
    """``138 0013 8000``."""
    v = validate(value)
    return f"{v[:3]} {v[3:7]} {v[7:]}"


def to_e164(value: str) -> str:
    """``+8613800138000``."""
    return phonenumbers.format_number(
        phonenumbers.parse(validate(value), "CN"), phonenumbers.PhoneNumberFormat.E164
    )


def _kernel(mat: np.ndarray, width: int):
    ok = _util.all_digits(mat)
    d = (mat - 48).astype(np.int64)
    d[~ok] = 0
    ok &= PREFIX5[_util.to_int(d[:, :5])]
    return mat, ok


def validate_many(values):
    """Vectorised ``validate`` over an array of candidates: normalised value or null."""
    return _util.bulk(values, validate, lambda arr: _util.by_length(arr, (11,), _kernel), _SLOW_IF)
