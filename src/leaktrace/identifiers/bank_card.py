"""Payment card number (银行卡号 / PAN).

Digits only, an issuer prefix and a length allowed for that issuer (UnionPay, Visa,
Mastercard, Amex, JCB, Discover, Diners), a passing Luhn check digit, and no degenerate
run (8 or more equal, ascending or descending digits in a row, as bulk_extractor rejects).

>>> validate('6222 6251 1073 9567 085')
'6222625110739567085'
>>> brand('6222625110739567085')
'unionpay'
"""

from __future__ import annotations

import re

import numpy as np
from stdnum import luhn

from . import _util
from .errors import InvalidChecksum, InvalidFormat, InvalidLength, InvalidPrefix

NAME = "bank_card"

#: How a card number may be written: 13-19 digits, groups of four (the last group of a
#: 19-digit number may have 3) separated by a space or hyphen, Amex/Diners 4-6-5/4-6-4,
#: or a 6-digit BIN followed by the rest.
CANDIDATE = (
    r"[0-9]{13,19}"
    r"|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?"
    r"|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}"
    r"|[0-9]{6}[ -][0-9]{10,13}"
)

_SEPARATORS = " -"
_SLOW_IF = _util.char_class(_SEPARATORS)

#: brand -> (4-digit prefix ranges (inclusive), allowed lengths). Lengths 17 and 18 are
#: left out on purpose: cards of those lengths are rare, while 18-digit order, tracking and
#: ID-like numbers are everywhere and pass Luhn one time in ten. So is 19 but for UnionPay (whose
#: debit cards have 19 digits): Visa, JCB and Discover issue few, while 19 digits is the length of
#: most 64-bit integers in machine data (device registries, database keys, hashes).
BRANDS: dict[str, tuple[tuple[tuple[int, int], ...], tuple[int, ...]]] = {
    "unionpay": (((6200, 6299),), (16, 19)),
    "visa": (((4000, 4999),), (13, 16)),
    "mastercard": (((5100, 5599), (2221, 2720)), (16,)),
    "amex": (((3400, 3499), (3700, 3799)), (15,)),
    "jcb": (((3528, 3589),), (16,)),
    "discover": (((6011, 6011), (6440, 6499), (6500, 6599)), (16,)),
    "diners": (((3000, 3059), (3600, 3699), (3800, 3999)), (14, 16)),
}
_BRAND_NAMES = (None,) + tuple(BRANDS)
#: brand index (0 = unknown) for every 4-digit prefix
PREFIX4 = np.zeros(10000, dtype=np.int8)
#: allowed[brand index, length]
ALLOWED = np.zeros((len(_BRAND_NAMES), 20), dtype=bool)
for _i, (_ranges, _lengths) in enumerate(BRANDS.values(), start=1):
    for _lo, _hi in _ranges:
        PREFIX4[_lo:_hi + 1] = _i
    ALLOWED[_i, list(_lengths)] = True
LENGTHS = tuple(range(13, 20))


def compact(s: str) -> str:
    """Fold full-width digits, drop spaces and hyphens."""
    return _util.clean(s, _SEPARATORS)


def brand(value: str) -> str | None:
    """Issuer brand from the prefix (``'unionpay'``, ``'visa'`` ...), ``None`` if unknown."""
    v = compact(value)
    if not re.fullmatch(r"[0-9]{4,}", v):
        return None
    return _BRAND_NAMES[PREFIX4[int(v[:4])]]


def validate(s: str) -> str:
    """Return the digits or raise an ``InvalidIdentifier``."""
    _util.reject_masked(s)
    v = compact(s)
    if not re.fullmatch(r"[0-9]+", v):
        raise InvalidFormat()
    if not 13 <= len(v) <= 19:
        raise InvalidLength()
    b = PREFIX4[int(v[:4])]
    if not b:
        raise InvalidPrefix()
    if not ALLOWED[b, len(v)]:
        raise InvalidLength()
    if not luhn.is_valid(v):
        raise InvalidChecksum()
    if _util.degenerate(v):
        raise InvalidFormat("degenerate digit pattern")
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid card number."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """``6222***********7085``: keep the first and last four digits."""
    return _util.mask_middle(compact(value), 4, 4)


def format(value: str) -> str:
    """Groups of four separated by spaces."""
    v = validate(value)
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4))


def _kernel(mat: np.ndarray, width: int):
    ok = _util.all_digits(mat)
    d = (mat - 48).astype(np.int8)
    d[~ok] = 0
    ok &= ALLOWED[PREFIX4[_util.to_int(d[:, :4])], width]
    ok &= _util.luhn_ok(d)
    ok &= ~_util.degenerate_rows(d)
    return mat, ok


def validate_many(values):
    """Vectorised ``validate`` over an array of candidates: normalised value or null."""
    return _util.bulk(values, validate, lambda arr: _util.by_length(arr, LENGTHS, _kernel), _SLOW_IF)
