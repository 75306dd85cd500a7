"""Bulk validation of candidates, grouped by type, with alternate types for shared shapes."""

from __future__ import annotations

from collections import defaultdict

from .. import identifiers
from .patterns import ALTERNATES

MASKED = "masked"


def resolve(types: list[str], raws: list[str]) -> tuple[list[str | None], list[str | None]]:
    """For each candidate (type, raw text): its final type and normalised value.

    Invalid candidates get type `None`-valued value with their type kept, so a
    caller can tell an invalid identifier (value None) from no candidate at all.
    Masked candidates keep their raw text as value.
    """
    out_types: list[str | None] = list(types)
    values: list[str | None] = [None] * len(types)
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(types):
        if t == MASKED:
            values[i] = raws[i]
        else:
            by_type[t].append(i)
    for t, idx in by_type.items():
        failed = _validate_into(t, idx, raws, values)
        for alt in ALTERNATES.get(t, ()):
            if not failed:
                break
            still = _validate_into(alt, failed, raws, values)
            for i in set(failed) - set(still):
                out_types[i] = alt
            failed = still
    return out_types, values


def _validate_into(t: str, idx: list[int], raws: list[str], values: list[str | None]) -> list[int]:
    """Validate raws[idx] as type t, store valid values; return the indexes that failed.

    `validate_many` compacts what it must itself (its values are `validate`'s).
    """
    valid = identifiers.get(t).validate_many([raws[i] for i in idx]).to_pylist()
    failed = []
    for i, v in zip(idx, valid):
        if v is None:
            failed.append(i)
        else:
            values[i] = v
    return failed
