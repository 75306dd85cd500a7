"""Chinese vehicle registration plate (车牌号): province character, issuing-authority
letter and five characters (letters other than I/O, digits; the last may be
挂/学/警/港/澳), or six for new-energy vehicles (``D``/``F`` first or last).
Normalised upper-case without separators.

>>> validate('浙C·h8ejd')
'浙CH8EJD'
"""

from __future__ import annotations

import re

from . import _util
from .errors import InvalidFormat, InvalidLength, InvalidPrefix

NAME = "cn_plate"

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"
PATTERN = (
    rf"[{PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳]"
    rf"|[{PROVINCES}][{_L}](?:[DF][{_L}0-9][0-9]{{4}}|[0-9]{{5}}[DF])"
)
CANDIDATE = (
    rf"[{PROVINCES}][A-Za-z][ ·.•-]?(?:[A-Za-z0-9]{{4}}[A-Za-z0-9挂学警港澳]|[A-Za-z0-9]{{6}})"
)

_SEPARATORS = " ·.•-"


def compact(s: str) -> str:
    """Fold full-width characters, drop separators (space, ``·``, ``.``, ``•``, ``-``), upper-case."""
    return _util.clean(s, _SEPARATORS).upper()


def validate(s: str) -> str:
    """Return the plate or raise an ``InvalidIdentifier``."""
    v = compact(s)
    if len(v) not in (7, 8):
        raise InvalidLength()
    if v[0] not in PROVINCES:
        raise InvalidPrefix()
    if not re.fullmatch(PATTERN, v):
        raise InvalidFormat()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` is a plausible plate."""
    return _util.is_valid(validate, s)


def province(value: str) -> str:
    """The province character."""
    return validate(value)[0]


def mask(value: str) -> str:
    """Keep the province, the authority letter and the last character."""
    return _util.mask_middle(compact(value), 2, 1)


def format(value: str) -> str:
    """``浙C·H8EJD``."""
    v = validate(value)
    return v[:2] + "·" + v[2:]


def validate_many(values):
    """``validate`` over an array (one call per value; plates are not ASCII)."""
    return _util.bulk(values, validate)
