"""Shared fixtures: evidence samples from the dev case and random-input generators."""

from __future__ import annotations

import csv
import datetime
import json
import random

import pytest
from stdnum import luhn
from stdnum.iso7064 import mod_11_2

from eval_helpers import EVAL_DEV
from leaktrace.identifiers import InvalidIdentifier

DEV = EVAL_DEV
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="dev case not available")


def reference_column(*columns: str) -> list[str]:
    """Distinct non-empty values of the given columns over all reference CSVs."""
    out = set()
    for path in sorted((DEV / "references").glob("*.csv")):
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for c in columns:
                    if row.get(c):
                        out.add(row[c])
    return sorted(out)


def negatives(*kinds: str) -> list[str]:
    """Raw values of the planted hard negatives of the given kinds."""
    with open(DEV / "truth" / "negatives.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return sorted({r["raw"] for r in rows if r["kind"] in kinds})


def truth_values(kind: str) -> list[str]:
    """Distinct truth finding values of one type."""
    with open(DEV / "truth" / "findings.jsonl", encoding="utf-8") as fh:
        return sorted({d["value"] for d in map(json.loads, fh) if d["type"] == kind})


def make_cn_id(rng: random.Random, year_range=(1900, 2015)) -> str:
    """A random valid 18-character ID."""
    start = datetime.date(year_range[0], 1, 1).toordinal()
    end = datetime.date(year_range[1], 12, 31).toordinal()
    d = datetime.date.fromordinal(rng.randint(start, end))
    body = "%06d%s%03d" % (rng.randint(0, 999999), d.strftime("%Y%m%d"), rng.randint(0, 999))
    return body + mod_11_2.calc_check_digit(body)


def make_card(rng: random.Random, prefix: str, length: int) -> str:
    """A random Luhn-valid number with the given prefix and length."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def mutate(rng: random.Random, s: str, alphabet: str) -> str:
    """Replace, insert or delete one character."""
    i = rng.randrange(len(s) + 1)
    op = rng.randrange(3)
    if op == 0 and i < len(s):
        return s[:i] + rng.choice(alphabet) + s[i + 1:]
    if op == 1:
        return s[:i] + rng.choice(alphabet) + s[i:]
    return s[:i] + s[i + 1:]


FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCXYZabcxyz+-()@."}


def noisy(rng: random.Random, valid: list[str], alphabet: str, n: int) -> list[str]:
    """``n`` strings: valid values, their mutations, written forms with separators or
    full-width characters, and random strings over ``alphabet``."""
    out = []
    for _ in range(n):
        kind = rng.randrange(6)
        v = rng.choice(valid)
        if kind == 0:
            out.append(v)
        elif kind == 1:
            out.append(mutate(rng, v, alphabet))
        elif kind == 2:
            out.append(mutate(rng, mutate(rng, v, alphabet), alphabet))
        elif kind == 3:
            out.append("".join(FULLWIDTH.get(c, c) if rng.random() < 0.3 else c for c in v))
        elif kind == 4:
            out.append(rng.choice(["", " ", "\t"]) + v + rng.choice(["", " ", "\n"]))
        else:
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 22))))
    return out


def expected(module, values):
    """``validate`` per value, ``None`` where it raises."""
    out = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        try:
            out.append(module.validate(v))
        except InvalidIdentifier:
            out.append(None)
    return out


def assert_bulk_agrees(module, values):
    """``validate_many`` returns exactly what ``validate`` returns, value by value."""
    got = module.validate_many(values).to_pylist()
    want = expected(module, values)
    diffs = [(v, g, w) for v, g, w in zip(values, got, want) if g != w]
    assert not diffs, diffs[:10]
    return got
