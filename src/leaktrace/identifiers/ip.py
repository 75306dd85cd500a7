"""IPv4 and IPv6 addresses, validated with the standard library ``ipaddress``.

The normalised form is ``ipaddress``'s (IPv6 compressed, lower-case). IPv4 octets with
leading zeros are rejected, as ``ipaddress`` does.

>>> validate('2001:DB8:0:0::1'), version('10.0.0.1')
('2001:db8::1', 4)
"""

from __future__ import annotations

import ipaddress

import pyarrow as pa
import pyarrow.compute as pc

from . import _util
from .errors import InvalidFormat

NAME = "ip"

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
CANDIDATE_V4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_GROUP = "[0-9A-Fa-f]{0,4}:"
_FIRST = "[0-9A-Fa-f]{1,4}:"
HEX_TAIL = "[0-9A-Fa-f]{1,4}"


def candidate_v6(tail: str) -> str:
    """Hex groups and colons in the only shapes an address can have, closed by `tail`.

    Up to seven colon-ended groups, but only with seven colons (eight groups), six and a tail
    (six groups and a dotted quad), or a ``::`` within the first seven colons; a time such as
    ``14:08:14`` has none of these. An address starts with a group or with ``::``, never with a
    single colon (``号码：9b38:…`` folds to ``:9b38:…``, whose address starts after the colon).
    """
    def groups(n: int) -> str:
        return f"{_FIRST}(?:{_GROUP}){{{n - 1}}}" if n else ""

    shapes = [f"{groups(7)}(?:{tail})?", f"{groups(6)}(?:{tail})"]
    after = [f"(?:{_GROUP}){{0,{n}}}" if n else "" for n in range(6)]
    shapes += [f"(?:{_GROUP}):{after[5]}(?:{tail})?"]
    shapes += [f"{groups(a)}:{after[6 - a]}(?:{tail})?" for a in range(2, 7)]
    return "|".join(shapes)


#: Full, ``::``-compressed and IPv4-suffixed forms (a dotted-quad tail before a hex one, so
#: ``::ffff:192.0.2.1`` is taken whole); ``validate`` decides.
CANDIDATE_V6 = candidate_v6(f"{CANDIDATE_V4}|{HEX_TAIL}")
CANDIDATE = f"{CANDIDATE_V4}|{CANDIDATE_V6}"


def compact(s: str) -> str:
    """Fold full-width characters, strip whitespace and IPv6 brackets."""
    return _util.clean(s).strip("[]")


def validate(s: str) -> str:
    """Return the normalised address or raise ``InvalidFormat``."""
    try:
        return str(ipaddress.ip_address(compact(s)))
    except ValueError:
        raise InvalidFormat() from None


def is_valid(s: str) -> bool:
    """Whether ``s`` is an IPv4 or IPv6 address."""
    return _util.is_valid(validate, s)


def version(value: str) -> int:
    """4 or 6."""
    return ipaddress.ip_address(validate(value)).version


def is_global(value: str) -> bool:
    """Whether the address is publicly routable (not private, loopback, reserved ...)."""
    return ipaddress.ip_address(validate(value)).is_global


def mask(value: str) -> str:
    """Hide the host part: last IPv4 octet / last four IPv6 groups."""
    v = validate(value)
    if version(v) == 4:
        return v.rpartition(".")[0] + ".*"
    return ":".join(ipaddress.ip_address(v).exploded.split(":")[:4]) + ":*"


def format(value: str) -> str:
    """The normalised address."""
    return validate(value)


# A necessary shape of any address ``ipaddress`` accepts: three dots (IPv4), ``::``, or at least
# six colons (full IPv6, or six groups and an IPv4 tail); full-width forms count too.
_PLAUSIBLE = r"(?:[^.．]*[.．]){3}|[:：]{2}|^(?:[^:：]*[:：]){6}"


def validate_many(values):
    """``validate`` over an array; values without an address's shape (chat times such as
    ``14:08:14``) are rejected at once, the rest checked one by one."""
    arr = _util.as_string_array(values)
    plausible = pc.fill_null(pc.match_substring_regex(arr, _PLAUSIBLE), False)
    return _util.bulk(pc.if_else(plausible, arr, pa.scalar(None, arr.type)), validate)
