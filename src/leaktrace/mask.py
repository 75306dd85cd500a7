"""Masking identifiers for output: values by type, and any identifier inside free text
(paths, locators, reasons, JSON), for every place a case's contents leave the program."""

from __future__ import annotations

from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from . import identifiers


def mask_value(type_: str, value: str) -> str:
    """The masked form of a normalised value (identifier modules know their own mask)."""
    mod = identifiers.TYPES.get(type_)
    return mod.mask(value) if mod else value


def mask_name(name: str) -> str:
    """``张*``: keep the first character of a personal name."""
    return name[:1] + "*" * (len(name) - 1)


def mask_ids(ids: str | None) -> str:
    """A record's `type:value;...` identifiers, each masked, comma-separated."""
    pairs = [p.partition(":") for p in (ids or "").split(";") if p]
    return ", ".join(mask_value(t, v) for t, _, v in pairs)


@lru_cache(maxsize=65536)
def redact(s: str) -> str:
    """`s` with every valid identifier in it masked (paths and reasons may contain one)."""
    return redact_many([s])[0]


def redact_many(strings: list[str]) -> list[str]:
    """`redact` of each string, matched in one pass: the strings that may hold an identifier (a digit
    or `@`) are joined by newlines, which no identifier spans, and searched together."""
    import numpy as np

    from .detect.matcher import find
    from .detect.normalize import fold
    from .detect.validate import resolve, type_names

    out = list(strings)
    todo = [i for i, s in enumerate(strings) if s and any(c.isdigit() or c == "@" for c in s)]
    if not todo:
        return out
    folded = [fold(strings[i]) for i in todo]          # one character for one: offsets hold
    starts = np.cumsum([0] + [len(s) + 1 for s in folded[:-1]])
    found = find("\n".join(folded))
    codes, values = resolve(found.types, found.raw_array)
    hits: dict[int, list[tuple[str, str]]] = {}
    for start, raw, t, v in zip(found.starts, found.raws, type_names(codes).to_pylist(), values.to_pylist()):
        if v is not None and t != "masked":
            hits.setdefault(int(np.searchsorted(starts, start, "right")) - 1, []).append((raw, mask_value(t, v)))
    for k, pairs in hits.items():
        text = folded[k]
        for raw, masked in pairs:
            text = text.replace(raw, masked)
        out[todo[k]] = text
    return out


def redact_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A string column with `redact` applied to each distinct value once (paths repeat)."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    words = pa.array(redact_many(encoded.dictionary.to_pylist()), pa.string())
    return pc.take(words, encoded.indices)


def redact_tree(obj):
    """A JSON-like value with `redact` applied to every string in it, keys included."""
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {redact(k) if isinstance(k, str) else k: redact_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [redact_tree(v) for v in obj]
    return obj
