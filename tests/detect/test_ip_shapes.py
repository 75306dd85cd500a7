"""The IP candidate has only the shapes an address can have: every address the old, shapeless
IPv6 candidate found is still found with the same span, and times are no longer candidates.
Both take a dotted-quad tail before a hex one (`::ffff:192.0.2.1` whole)."""

from __future__ import annotations

import ipaddress
import random
import re

import pytest

from leaktrace.detect import matcher
from leaktrace.detect.patterns import NOT_AFTER, NOT_BEFORE, candidates
from leaktrace.identifiers import ip

# The candidate before shapes were required (times, clock readings and the like matched it).
OLD_V6 = r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + ip.CANDIDATE_V4 + r"|[0-9A-Fa-f]{1,4})?|::"
OLD = re.compile(f"{NOT_BEFORE}(?:{ip.CANDIDATE_V4}|{OLD_V6}){NOT_AFTER}")
NEW = re.compile(f"{NOT_BEFORE}(?:{ip.CANDIDATE}){NOT_AFTER}")

ADDRESSES = [
    "::", "::1", "1::", "fe80::1", "2001:db8::8a2e:370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "2001:db8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "1::3:4:5:6:7:8", "1:2:3:4:5:6::8", "1:2:3:4:5::7:8",
    "::2:3:4:5:6:7", "FE80::ABCD:1", "::ffff:c000:280", "64:ff9b::1",
    "192.168.1.1", "10.0.0.1", "8.8.8.8", "255.255.255.255", "0.0.0.0",
]
TIMES = ["14:08:14", "00:00:00", "23:59:59", "1:2:3", "12:30:45:10", "2023-01-01 14:08:14", "ab:cd:ef",
         "10:20:30:40:50", "10:20:30:40:50:60:"]


def _valid(raw: str) -> bool:
    try:
        ipaddress.ip_address(raw)
        return True
    except ValueError:
        return False


def _at(rx: re.Pattern, text: str, pos: int):
    m = rx.match(text, pos)
    return m.span() if m else None


def _spans(text: str) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.raw) for c in candidates(text) if c.type == "ip"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_address_form_is_found_whole(address):
    for text in (address, f"IP {address} 登录", f"({address})", f"[{address}]:443"):
        found = [raw for _, _, raw in _spans(text)]
        old = [m.group() for m in OLD.finditer(text)]
        assert found == old, address
        assert found and ip.is_valid(found[0])


def test_full_address_cells_keep_dotted_quad_tails():
    for cell in ("::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "64:ff9b::192.0.2.33"):
        assert re.fullmatch(ip.CANDIDATE, cell) and ip.is_valid(cell)


@pytest.mark.parametrize("time", TIMES)
def test_times_are_not_candidates(time):
    assert _spans(f"2023-01-01 {time} 张三") == []
    assert not re.fullmatch(ip.CANDIDATE, time)


def test_same_span_as_before_wherever_it_was_an_address():
    rng = random.Random(11)
    alphabet = ["1", "0", "a", "f", "g", "F", "12", "ffff", "db8", ":", ":", "::", ".", " ", "x", "1.2.3.4"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        for pos in range(len(text)):
            old, new = _at(OLD, text, pos), _at(NEW, text, pos)
            if old and _valid(text[old[0]:old[1]]):
                assert new == old, text
            if new:
                assert new == old, text


def test_hyperscan_finds_the_same_ip_candidates():
    if matcher.hyperscan is None:
        pytest.skip("hyperscan not installed")
    rng = random.Random(5)
    alphabet = ["1", "0", "a", "f", "12", "db8", ":", ":", "::", ".", " ", "\n", "x", "1.2.3.4", "14:08:14"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        a, b = matcher.find_re(text), matcher.find_hyperscan(text)
        assert (a.starts.tolist(), a.ends.tolist(), a.raws) == (b.starts.tolist(), b.ends.tolist(), b.raws), text
