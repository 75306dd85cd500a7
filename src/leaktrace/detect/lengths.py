"""Regular expressions split into alternatives that each match strings of one length.

Hyperscan finds where a match ends cheaply; where it starts costs much more to track. A match
of an expression that only matches strings of one length L starts L characters before its end,
so the identifier candidates are compiled as such alternatives wherever they are bounded.

Handles the subset the candidate expressions use: literals, escapes, classes, groups,
alternation, and the quantifiers `?`, `{m}` and `{m,n}`. Unbounded parts (`*`, `+`, `{m,}`),
anchors and lookarounds are not expanded.
"""

from __future__ import annotations

from itertools import product

Variant = tuple[str, int]   # (expression, the length in characters of every string it matches)


class Unbounded(ValueError):
    """The expression (or too many of its alternatives) cannot be listed at fixed lengths."""


def top_level(pattern: str) -> list[str]:
    """The alternatives of `pattern` at its outermost level."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = _class_end(pattern, i) - 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return parts + [pattern[start:]]


def fixed_variants(pattern: str, limit: int = 64) -> list[Variant]:
    """`pattern` as at most `limit` expressions of one match length each; raises `Unbounded`."""
    variants, end = _alternation(pattern, 0, limit)
    if end != len(pattern):
        raise Unbounded(f"unbalanced ')' at {end}")
    return list(dict.fromkeys(variants))


def _alternation(p: str, i: int, limit: int) -> tuple[list[Variant], int]:
    out: list[Variant] = []
    while True:
        seq, i = _sequence(p, i, limit)
        out += seq
        if len(out) > limit:
            raise Unbounded("too many alternatives")
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        return out, i


def _sequence(p: str, i: int, limit: int) -> tuple[list[Variant], int]:
    seq: list[Variant] = [("", 0)]
    while i < len(p) and p[i] not in "|)":
        item, i = _atom(p, i, limit)
        item, i = _quantified(p, i, item, limit)
        if len(seq) * len(item) > limit:
            raise Unbounded("too many alternatives")
        seq = [(a + b, m + n) for (a, m), (b, n) in product(seq, item)]
    return seq, i


def _atom(p: str, i: int, limit: int) -> tuple[list[Variant], int]:
    c = p[i]
    if c == "\\":
        if i + 1 >= len(p) or p[i + 1].isalnum():   # \d, \b, \1 …: not handled
            raise Unbounded(f"escape {p[i:i + 2]!r}")
        return [(p[i:i + 2], 1)], i + 2
    if c == "[":
        end = _class_end(p, i)
        return [(p[i:end], 1)], end
    if c == "(":
        if p.startswith("(?", i) and not p.startswith("(?:", i):
            raise Unbounded("lookaround or flags")
        j = i + 3 if p.startswith("(?:", i) else i + 1
        inner, k = _alternation(p, j, limit)
        if k >= len(p) or p[k] != ")":
            raise Unbounded("unclosed group")
        return [(f"(?:{t})" if t else "", n) for t, n in inner], k + 1
    if c in "^$*+?{":
        raise Unbounded(f"{c!r} at {i}")
    return [(c, 1)], i + 1


def _quantified(p: str, i: int, item: list[Variant], limit: int) -> tuple[list[Variant], int]:
    if i >= len(p) or p[i] not in "?*+{":
        return item, i
    if p[i] in "*+":
        raise Unbounded(f"{p[i]!r} at {i}")
    if p[i] == "?":
        lo, hi, i = 0, 1, i + 1
    else:
        close = p.index("}", i)
        lo_s, _, hi_s = p[i + 1:close].partition(",")
        lo = int(lo_s)
        hi = lo if not _ else (int(hi_s) if hi_s else None)
        if hi is None:
            raise Unbounded(f"open repeat at {i}")
        i = close + 1
    if i < len(p) and p[i] in "?+":
        raise Unbounded("lazy or possessive repeat")
    out: list[Variant] = []
    for k in range(lo, hi + 1):
        if len(item) == 1:   # one alternative repeated: keep the repeat in the expression
            t, n = item[0]
            if k == 0 or n == 0:
                out.append(("", 0))
            else:
                unit = t if n == 1 or t.startswith("(?:") else f"(?:{t})"
                out.append((unit + f"{{{k}}}" if k > 1 else t, n * k))
        else:
            if len(out) + len(item) ** k > limit:
                raise Unbounded("too many alternatives")
            out += [("".join(t for t, _ in combo), sum(n for _, n in combo)) for combo in product(item, repeat=k)]
        if len(out) > limit:
            raise Unbounded("too many alternatives")
    return out, i


def _class_end(p: str, i: int) -> int:
    """The index after the `]` closing the class that opens at `i`."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1
