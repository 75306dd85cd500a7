"""International phone number, written with a ``+`` or ``00`` country prefix.

Validated with libphonenumber and normalised to E.164 (``+4930123456``). Mainland China
mobiles (+86 1xx...) are ``cn_mobile`` and rejected here with ``InvalidPrefix``.

>>> validate('+49 (30) 1234-5678')
'+493012345678'
"""

from __future__ import annotations

import re

import phonenumbers

from . import _util
from .errors import InvalidFormat, InvalidLength, InvalidPrefix
from .cn_mobile import PREFIX5

NAME = "phone"

#: ``+`` or ``00``, a country code and 6-16 further digits with spaces, hyphens, dots,
#: slashes or parentheses between them.
CANDIDATE = r"(?:\+|00)[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,5}\)?){1,6}[ ./-]?[0-9]{2,}"

_SEPARATORS = " -./()\t"


def compact(s: str) -> str:
    """Fold full-width characters, drop separators, turn a leading ``00`` into ``+``."""
    v = _util.clean(s, _SEPARATORS)
    return "+" + v[2:] if v.startswith("00") else v


def validate(s: str) -> str:
    """Return the E.164 form or raise an ``InvalidIdentifier``."""
    _util.reject_masked(s)
    v = compact(s)
    if not re.fullmatch(r"\+[0-9]+", v):
        raise InvalidFormat("needs a + or 00 country prefix")
    if not 8 <= len(v) <= 16:
        raise InvalidLength()
    try:
        number = phonenumbers.parse(v, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidFormat(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPrefix("not an allocated number")
    national = str(number.national_number)
    if number.country_code == 86 and len(national) == 11 and PREFIX5[int(national[:5])]:
        raise InvalidPrefix("mainland mobile: use cn_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid(s: str) -> bool:
    """Whether ``s`` is a valid international number (not a mainland mobile)."""
    return _util.is_valid(validate, s)


def region(value: str) -> str | None:
    """ISO 3166 region code of a valid number (``'DE'``)."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(validate(value), None))


def mask(value: str) -> str:
    """Keep the first five and last two characters."""
    return _util.mask_middle(compact(value), 5, 2)


def format(value: str) -> str:
    """International format (``+49 30 12345678``)."""
    number = phonenumbers.parse(validate(value), None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_many(values):
    """``validate`` over an array (one libphonenumber call per distinct value)."""
    return _util.bulk(values, validate)
