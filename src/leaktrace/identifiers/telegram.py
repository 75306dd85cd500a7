"""Telegram username: ``@handle`` or ``t.me/handle``; 5-32 characters, letters, digits and
``_``, starting with a letter and not ending with ``_``. Normalised lower-case without ``@``.

Only meaningful next to one of ``KEYWORDS``; the detector enforces that.

>>> validate('https://t.me/DB_Shop')
'db_shop'
"""

from __future__ import annotations

import re

from . import _util
from .errors import InvalidFormat

NAME = "telegram"

PATTERN = r"[a-z][a-z0-9_]{3,30}[a-z0-9]"
CANDIDATE = (
    r"@[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]"
    r"|(?:https?://)?(?:t|telegram)\.me/[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]"
)
KEYWORDS = ("TG", "tg", "Tg", "Telegram", "telegram", "TELEGRAM", "飞机", "纸飞机", "电报", "t.me")

_URL = re.compile(r"(?:https?://)?(?:www\.)?(?:t|telegram)\.me/", re.I)
_kernel = _util.regex_kernel(PATTERN, case="lower")


def compact(s: str) -> str:
    """Fold full-width characters, strip whitespace, the t.me URL and ``@``; lower-case."""
    v = _util.clean(s)
    v = _URL.sub("", v, count=1) if _URL.match(v) else v
    return v.lstrip("@").lower()


def validate(s: str) -> str:
    """Return the lower-case handle or raise ``InvalidFormat``."""
    v = compact(s)
    if not re.fullmatch(PATTERN, v):
        raise InvalidFormat()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` has the form of a Telegram username."""
    return _util.is_valid(validate, s)


def mask(value: str) -> str:
    """Keep the first two and last two characters."""
    return _util.mask_middle(compact(value), 2, 2)


def format(value: str) -> str:
    """``@handle``."""
    return "@" + validate(value)


def validate_many(values):
    """Vectorised ``validate`` (one RE2 pass; URL and ``@`` forms one by one)."""
    return _util.bulk(values, validate, _kernel, "[@/]")
