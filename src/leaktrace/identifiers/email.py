"""E-mail address (ASCII, RFC 5321-ish).

``local@domain.tld``: the local part is dot-separated atoms of letters, digits and
``_%+=-`` (at most 64 chars); the domain is dot-separated labels of letters, digits and
inner hyphens (at most 63 chars each) ending in an alphabetic TLD of 2 or more letters;
at most 254 chars in all; a last label that names a file type (``logo@2x.png``) is not a
domain. The normalised form is lower-case.

>>> validate('Zhang.San@QQ.com')
'zhang.san@qq.com'
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from . import _util
from .errors import InvalidFormat, InvalidLength

NAME = "email"

_ATOM = r"[a-z0-9_%+=-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
#: Full pattern of a compacted (lower-case) address; the same in Python ``re`` and RE2.
PATTERN = rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[a-z]{{2,63}}"

#: How an address may be written in text (any case): it starts with a letter, digit or `_`, and
#: takes no `=` (`email=a@b.cn` in a log is a key and an address, not one address).
CANDIDATE = (
    r"[A-Za-z0-9_][A-Za-z0-9_%+-]*(?:\.[A-Za-z0-9_%+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)

MAX_LOCAL = 64
MAX_LENGTH = 254
#: Last labels that name a file type, not a top-level domain: `logo@2x.png` is an image.
FILE_SUFFIXES = ("png", "jpg", "jpeg", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "js", "css",
                 "map", "json", "xml", "txt", "log", "htm", "html", "php", "jsp", "asp", "aspx")
_FILE_NAME = rf"\.(?:{'|'.join(FILE_SUFFIXES)})$"
_SLOW_IF = r"(?i)^mailto:|^[\s<>]|[\s<>]$"
_match = _util.regex_kernel(PATTERN, case="lower")


def compact(s: str) -> str:
    """Fold full-width characters, strip whitespace, ``<>`` and ``mailto:``, lower-case."""
    v = _util.fold(s).strip(" \t\r\n\f\v<>")
    if v[:7].lower() == "mailto:":
        v = v[7:].strip(" \t\r\n\f\v<>")
    return v.lower()


def validate(s: str) -> str:
    """Return the lower-case address or raise an ``InvalidIdentifier``."""
    v = compact(s)
    if len(v) > MAX_LENGTH or v.find("@") > MAX_LOCAL:
        raise InvalidLength()
    if not v.isascii() or not re.fullmatch(PATTERN, v) or re.search(_FILE_NAME, v):
        raise InvalidFormat()
    return v


def is_valid(s: str) -> bool:
    """Whether ``s`` is a plausible e-mail address."""
    return _util.is_valid(validate, s)


def domain(value: str) -> str:
    """The domain part of a valid address."""
    return validate(value).rpartition("@")[2]


def mask(value: str) -> str:
    """``z***@qq.com``: keep the first character of the local part and the domain."""
    local, _, dom = compact(value).rpartition("@")
    return (local[:1] + "***" if local else "") + "@" + dom


def format(value: str) -> str:
    """The lower-case address."""
    return validate(value)


def _kernel(arr: pa.Array) -> pa.Array:
    out = _match(arr)
    rejected = pc.or_(
        pc.or_(pc.greater(pc.binary_length(arr), MAX_LENGTH), pc.greater(pc.find_substring(arr, "@"), MAX_LOCAL)),
        pc.match_substring_regex(arr, _FILE_NAME, ignore_case=True),   # logo@2x.png
    )
    return pc.if_else(pc.fill_null(rejected, False), pa.scalar(None, pa.string()), out)


def validate_many(values):
    """Vectorised ``validate`` over an array of candidates: normalised value or null."""
    return _util.bulk(values, validate, _kernel, _SLOW_IF)
