"""Identifier arithmetic for the synthetic case: check characters, Luhn, bijections, spellings.

Every identifier of the case is an injective function of an index, so different persons never
share a value and person ``i`` can be rebuilt from ``(seed, i)`` alone.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random

from stdnum import luhn

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

#: Mobile prefixes the eval README lists as allocated (weighted towards the common ones).
MOBILE_PREFIXES = (
    [f"13{d}" for d in range(10)] * 3
    + ["145", "147", "150", "151", "152", "153", "155", "156", "157", "158", "159"] * 2
    + ["166", "172", "173", "175", "176", "177", "178"]
    + [f"18{d}" for d in range(10)] * 2
    + ["191", "193", "195", "196", "197", "198", "199"]
)
#: 11-digit prefixes that are not mobile service (hard negatives).
BAD_MOBILE_PREFIXES = ("100", "101", "104", "110", "111", "120", "121", "128", "129", "140", "154")

#: (BIN, length) of UnionPay debit cards.
CARD_BINS = (("622202", 19), ("621700", 19), ("622848", 19), ("623668", 19),
             ("621226", 19), ("622588", 16), ("622580", 16), ("621483", 16))

FIRST_DAY = dt.date(1940, 1, 1)
ID_DAYS = (dt.date(2005, 12, 31) - FIRST_DAY).days + 1
ID_SLOTS = ID_DAYS * 1000


def rng_for(seed: int, *key) -> random.Random:
    """A Random seeded from a stable digest of ``seed`` and ``key`` (no hash randomisation)."""
    h = hashlib.blake2b(repr((seed,) + key).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(h, "big"))


def unit(seed: int, *key) -> float:
    """A stable uniform number in [0, 1) for ``(seed, key)``."""
    h = hashlib.blake2b(repr((seed,) + key).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2.0**64


def perm(i: int, domain: int, seed: int, salt: int) -> int:
    """A keyed bijection of ``range(domain)``: affine map, digit rotation (powers of ten), affine map."""
    a1, b1, a2, b2 = _perm_keys(domain, seed, salt)
    x = (a1 * i + b1) % domain
    digits = len(str(domain)) - 1
    if domain == 10**digits and digits >= 2:
        lo = 10 ** (digits // 2)
        x = (x % lo) * (domain // lo) + x // lo
    return (a2 * x + b2) % domain


_KEYS: dict = {}


def _perm_keys(domain: int, seed: int, salt: int):
    k = (domain, seed, salt)
    if k not in _KEYS:
        r = rng_for(seed, "perm", domain, salt)
        keys = []
        for _ in range(2):
            while True:
                a = r.randrange(domain // 3, domain - 1)
                if _gcd(a, domain) == 1:
                    break
            keys += [a, r.randrange(domain)]
        _KEYS[k] = tuple(keys)
    return _KEYS[k]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def id_check(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 17-digit ID body."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS)) % 11]


def make_id(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check(body)


def id18_to_15(id18: str) -> str:
    """First-generation 15-digit form of an 18-digit ID of a person born 19YY."""
    assert id18[6:8] == "19"
    return id18[:6] + id18[8:17]




def id_ok(v: str) -> bool:
    """True for a valid 18-character resident ID (check character and real past date)."""
    if len(v) != 18 or not v[:17].isdigit() or id_check(v[:17]) != v[17].upper():
        return False
    try:
        return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14])) <= dt.date(2016, 12, 31)
    except ValueError:
        return False


def mobile_ok(v: str) -> bool:
    return len(v) == 11 and v.isdigit() and v[:3] in set(MOBILE_PREFIXES)


def card_ok(v: str) -> bool:
    return v.isdigit() and len(v) in (16, 19) and v.startswith("62") and luhn.is_valid(v)


# --- hard negatives -------------------------------------------------------------------------

def bad_check_id(r: random.Random, region: str) -> str:
    """An 18-digit number with a real date and a wrong check character (order-number-like)."""
    birth = FIRST_DAY + dt.timedelta(days=r.randrange(ID_DAYS))
    body = f"{region}{birth:%Y%m%d}{r.randrange(1000):03d}"
    good = id_check(body)
    return body + r.choice([c for c in "0123456789" if c != good])


def bad_date_id(r: random.Random, region: str) -> str:
    """An 18-digit ID with a correct check character but an impossible date."""
    y = r.randrange(1950, 2000)
    m, d = r.choice([(13, r.randrange(1, 29)), (2, 30), (2, 31), (4, 31), (0, 12), (11, 31)])
    body = f"{region}{y}{m:02d}{d:02d}{r.randrange(1000):03d}"
    return body + id_check(body)


def order_number(r: random.Random) -> str:
    """18-digit order/tracking number whose last digit fails the ID check."""
    body = "".join(r.choice("0123456789") for _ in range(17))
    good = id_check(body)
    return body + r.choice([c for c in "0123456789" if c != good])


def bad_mobile(r: random.Random) -> str:
    return r.choice(BAD_MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"


def bad_card(r: random.Random) -> str:
    bin_, n = r.choice(CARD_BINS)
    body = bin_ + "".join(r.choice("0123456789") for _ in range(n - 7))
    good = luhn.calc_check_digit(body)
    return body + str((int(good) + r.randrange(1, 10)) % 10)


def mask_mobile(m: str) -> str:
    return m[:3] + "****" + m[7:]


def mask_id(v: str) -> str:
    return v[:6] + "********" + v[14:]


def mask_card(v: str) -> str:
    return f"{v[:4]} **** **** {v[-4:]}"


# --- spellings ------------------------------------------------------------------------------

FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def fullwidth(s: str) -> str:
    return s.translate(FULLWIDTH)


def spell_mobile(m: str, style: int) -> str:
    """One of the spellings the README allows for an 11-digit mobile."""
    return [
        m,
        f"+86 {m[:3]} {m[3:7]} {m[7:]}",
        f"{m[:3]}-{m[3:7]}-{m[7:]}",
        f"(+86){m}",
        f"0086-{m}",
        f"{m[:3]} {m[3:7]} {m[7:]}",
    ][style % 6]


def spell_card(c: str, sep: str) -> str:
    return sep.join(c[k:k + 4] for k in range(0, len(c), 4))
