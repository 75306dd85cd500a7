"""Chinese resident identity card number (居民身份证号码).

18 characters: 6-digit region, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for
men) and an ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``). First-generation
15-digit numbers (region, YYMMDD born 19YY, sequence) are converted to 18 characters.
The birth date must exist, be in 1900 or later and not in the future. The region code is
never a gate; ``region_known`` is a confidence signal only.

>>> validate('11010519491231002x')
'11010519491231002X'
>>> validate('110105491231002')
'11010519491231002X'
"""

from __future__ import annotations

import datetime
import re

import numpy as np
from stdnum.iso7064 import mod_11_2

from . import _util
from .errors import InvalidChecksum, InvalidDate, InvalidFormat, InvalidLength

NAME = "cn_id"

#: How an ID may be written: 18 chars (last may be x/X) optionally split 6-8-4 by a
#: space or hyphen, or 15 digits.
CANDIDATE = r"[0-9]{6}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx]|[0-9]{15}"

_SEPARATORS = " -"
_SLOW_IF = _util.char_class(_SEPARATORS)

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = np.frombuffer(b"10X98765432", dtype=np.uint8)

#: Province-level region prefixes (first two digits).
PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
)


def today() -> datetime.date:
    """The reference date for the not-in-the-future rule (patchable in tests)."""
    return datetime.date.today()


def compact(s: str) -> str:
    """Fold full-width characters, drop spaces and hyphens, upper-case ``x``."""
    return _util.clean(s, _SEPARATORS).upper()


def validate(s: str) -> str:
    """Return the 18-character ID (15-digit IDs converted) or raise an ``InvalidIdentifier``."""
    _util.reject_masked(s)
    v = compact(s)
    if len(v) not in (15, 18):
        raise InvalidLength()
    if not re.fullmatch(r"[0-9]{15}|[0-9]{17}[0-9X]", v):
        raise InvalidFormat()
    if len(v) == 15:
        v = v[:6] + "19" + v[6:]
    elif mod_11_2.calc_check_digit(v[:17]) != v[17]:
        raise InvalidChecksum()
    if _util.real_date(int(v[6:10]), int(v[10:12]), int(v[12:14]), today()) is None:
        raise InvalidDate()
    if len(v) == 17:
        v += mod_11_2.calc_check_digit(v)
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid resident ID."""
    return _util.is_valid(validate, s)


def birth_date(value: str) -> datetime.date:
    """Birth date of a valid ID."""
    v = validate(value)
    return datetime.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def gender(value: str) -> str:
    """``'M'`` or ``'F'`` from the parity of the sequence number."""
    return "M" if int(validate(value)[16]) % 2 else "F"


def region_known(value: str) -> bool:
    """Whether the first two digits are a province-level region code."""
    v = compact(value)
    return v[:2].isascii() and v[:2].isdigit() and int(v[:2]) in PROVINCES


def mask(value: str) -> str:
    """``330304********123X``: keep the region and the last four characters."""
    return _util.mask_middle(compact(value), 6, 4)


def format(value: str) -> str:
    """The canonical 18-character form."""
    return validate(value)


def _kernel(mat: np.ndarray, width: int):
    """Column-wise check of equal-length compacted candidates (15 or 18 chars)."""
    if width == 15:
        ok = _util.all_digits(mat)
        body = np.empty((len(mat), 17), dtype=np.uint8)
        body[:, :6] = mat[:, :6]
        body[:, 6] = ord("1")
        body[:, 7] = ord("9")
        body[:, 8:] = mat[:, 6:]
        last = None
    else:
        body = mat[:, :17]
        last = mat[:, 17]
        last = np.where(last == ord("x"), ord("X"), last).astype(np.uint8)
        ok = _util.all_digits(body) & (((last >= 48) & (last <= 57)) | (last == ord("X")))
    d = (body - 48).astype(np.int64)
    d[~ok] = 0
    check = CHECK_CHARS[(d @ WEIGHTS) % 11]
    if last is not None:
        ok &= check == last
    year = _util.to_int(d[:, 6:10])
    ok &= _util.dates_ok(year, _util.to_int(d[:, 10:12]), _util.to_int(d[:, 12:14]), today())
    out = np.empty((len(mat), 18), dtype=np.uint8)
    out[:, :17] = body
    out[:, 17] = check
    return out, ok


def validate_many(values):
    """Vectorised ``validate`` over an array of candidates: normalised value or null."""
    return _util.bulk(values, validate, lambda arr: _util.by_length(arr, (15, 18), _kernel), _SLOW_IF)
