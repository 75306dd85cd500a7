"""International Bank Account Number, validated with ``stdnum.iban``.

>>> validate('GB82 WEST 1234 5698 7654 32')
'GB82WEST12345698765432'
"""

from __future__ import annotations

from stdnum import iban as _iban

from . import _util

NAME = "iban"

#: Country code, check digits and 11-30 alphanumerics, optionally in groups of four.
CANDIDATE = r"[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?"


def compact(s: str) -> str:
    """Fold full-width characters, drop spaces and hyphens, upper-case."""
    return _iban.compact(_util.fold(s))


def validate(s: str) -> str:
    """Return the compact IBAN or raise an ``InvalidIdentifier``."""
    return _util.stdnum_validate(_iban.validate, s)


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid IBAN."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """Keep the country, check digits and the last four characters."""
    return _util.mask_middle(compact(value), 4, 4)


def format(value: str) -> str:
    """Groups of four (``GB82 WEST 1234 5698 7654 32``)."""
    return _iban.format(validate(value))


def validate_many(values):
    """``validate`` over an array (one call per value)."""
    return _util.bulk(values, validate)
