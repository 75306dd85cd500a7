"""WeChat ID (微信号): a system ID ``wxid_…`` or a user-chosen ID of 6-20 characters
starting with a letter (letters, digits, ``_``, ``-``). Normalised lower-case.

Only meaningful next to one of ``KEYWORDS``; the detector enforces that.

>>> validate('wxid_Z680N4O8B6PM82')
'wxid_z680n4o8b6pm82'
"""

from __future__ import annotations

import re

from . import _util
from .errors import InvalidFormat

NAME = "wechat"

PATTERN = r"wxid_[a-z0-9_]{4,30}|[a-z][a-z0-9_-]{5,19}"
CANDIDATE = r"[Ww][Xx][Ii][Dd]_[A-Za-z0-9_]{4,30}|[A-Za-z][A-Za-z0-9_-]{5,19}"
KEYWORDS = ("微信", "微信号", "wx", "WX", "Wx", "weixin", "WeChat", "wechat", "Wechat", "V信", "v信",
            "VX", "vx", "Vx", "威信", "薇信", "加V", "加v")

_kernel = _util.regex_kernel(PATTERN, case="lower")


def compact(s: str) -> str:
    """Fold full-width characters, strip whitespace, lower-case."""
    return _util.clean(s).lower()


def validate(s: str) -> str:
    """Return the lower-case ID or raise ``InvalidFormat``."""
    v = compact(s)
    if not re.fullmatch(PATTERN, v):
        raise InvalidFormat()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` has the form of a WeChat ID."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """Keep the first two and last two characters (``wxid_`` IDs keep the prefix)."""
    v = compact(value)
    return _util.mask_middle(v, 7 if v.startswith("wxid_") else 2, 2)


def format(value: str) -> str:
    """The lower-case ID."""
    return validate(value)


def validate_many(values):
    """Vectorised ``validate`` (one RE2 pass)."""
    return _util.bulk(values, validate, _kernel)
