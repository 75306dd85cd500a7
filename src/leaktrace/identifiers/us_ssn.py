"""United States Social Security Number, validated with ``stdnum.us.ssn``.

``AAA-GG-SSSS``: area not 000, 666 or 900-999, group not 00, serial not 0000, and not
one of the numbers publicised in advertising.

>>> validate('536-90-4399')
'536904399'
"""

from __future__ import annotations

from stdnum.us import ssn as _ssn

from . import _util

NAME = "us_ssn"

#: Written with hyphens or spaces (a bare 9-digit run is too ambiguous to scan for).
CANDIDATE = r"[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4}"


def compact(s: str) -> str:
    """Fold full-width digits, drop hyphens and spaces."""
    return _util.clean(s, " -")


def validate(s: str) -> str:
    """Return the nine digits or raise an ``InvalidIdentifier``."""
    return _util.stdnum_validate(_ssn.validate, compact(s))


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid SSN."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """``***-**-4399``."""
    return "***-**-" + compact(value)[-4:]


def format(value: str) -> str:
    """``AAA-GG-SSSS``."""
    return _ssn.format(validate(value))


def validate_many(values):
    """``validate`` over an array (one call per value)."""
    return _util.bulk(values, validate)
