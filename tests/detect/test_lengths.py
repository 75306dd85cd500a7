"""Expressions split into fixed-length alternatives match what the expression matches."""

from __future__ import annotations

import random
import re

import pytest

from leaktrace.detect.lengths import Unbounded, fixed_variants, top_level
from leaktrace.detect.matcher import EXACT_TYPES, PHONE_TRIGGER, _exact_body

ALPHABET = "0123456789 -.()+*xX×ABZaz张浙挂学·"


def _bounded_alternatives():
    for t in EXACT_TYPES:
        for alt in top_level(_exact_body(t)):
            try:
                yield t, alt, fixed_variants(alt)
            except Unbounded:
                continue
    yield "phone", PHONE_TRIGGER, fixed_variants(PHONE_TRIGGER)


def _samples(variants, rng):
    """Strings near the variants' lengths: random ones and ones built to match each variant."""
    lengths = sorted({n for _, n in variants})
    for _ in range(400):
        n = rng.choice(lengths) + rng.choice((-1, 0, 0, 0, 1))
        yield "".join(rng.choice(ALPHABET) for _ in range(max(n, 0)))
    for expr, n in variants:   # fill each class position with a member: strings that do match
        for _ in range(20):
            s = "".join(rng.choice([c for c in ALPHABET if re.fullmatch(piece, c)] or [" "])
                        for piece in re.findall(r"\[[^\]]*\]|\\.|\.|[^\[\\(){}?]", _unrolled(expr)))
            yield s


def _unrolled(expr: str) -> str:
    """The expression with `{k}` repeats written out and groups dropped (the variants use no alternation)."""
    while m := re.search(r"(\(\?:[^()]*\)|\[[^\]]*\]|\\.|[^\[\]\\(){}])\{(\d+)\}", expr):
        expr = expr[:m.start()] + m.group(1) * int(m.group(2)) + expr[m.end():]
    return re.sub(r"(?<!\\)\(\?:|(?<!\\)\)", "", expr)


@pytest.mark.parametrize("t,alt,variants", list(_bounded_alternatives()), ids=lambda x: x if isinstance(x, str) and len(x) < 12 else None)
def test_variants_match_what_the_expression_matches(t, alt, variants):
    rng = random.Random(alt)
    whole = re.compile(alt)
    matched = set()
    for s in _samples(variants, rng):
        hits = [(expr, n) for expr, n in variants if re.fullmatch(expr, s)]
        assert bool(whole.fullmatch(s)) == bool(hits), (t, s)
        assert all(n == len(s) for _, n in hits), (t, s, hits)
        matched.update(expr for expr, _ in hits)
    assert matched == {expr for expr, _ in variants}        # every variant was seen matching


def test_known_splits():
    assert fixed_variants("[0-9]{3}-?[0-9]{2}") == [("[0-9]{3}[0-9]{2}", 5), ("[0-9]{3}-[0-9]{2}", 6)]
    assert fixed_variants("(?:a|bc){2}") == [("(?:a)(?:a)", 2), ("(?:a)(?:bc)", 3), ("(?:bc)(?:a)", 3),
                                             ("(?:bc)(?:bc)", 4)]
    assert top_level("a(?:b|c)|[|]|d") == ["a(?:b|c)", "[|]", "d"]
    assert sum(1 for _ in _bounded_alternatives()) > 10


@pytest.mark.parametrize("pattern", ["a*", "a+", "[0-9]{2,}", "(?=a)b", r"\d{3}", "a{1,3}?", "x{1,40}y{1,40}"])
def test_unbounded_expressions_are_refused(pattern):
    with pytest.raises(Unbounded):
        fixed_variants(pattern)
