"""Records built column-wise from the identifiers found: table rows and lines of text.

A record lists its subject's identifiers (`ids`, `type:value;...`), identifiers on it
that are not the subject's (`other_ids`), a name, typed fields and its text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..identifiers._util import value_bytes
from .validate import PERSON_CODES, type_names

# Characters `json.dumps` escapes in a string (bytes below 0x20, `"` 0x22 and `\` 0x5C in UTF-8).
JSON_ESCAPED = r'[\x00-\x1f"\\]'


@dataclass
class Hits:
    """Candidates as columns, in scan order: where they are (`keys`: table row or text line),
    type code and value (null: invalid)."""

    keys: np.ndarray
    codes: np.ndarray
    values: pa.Array

    def pick(self, mask: np.ndarray) -> "Hits":
        return Hits(self.keys[mask], self.codes[mask], self.values.filter(pa.array(mask)))


@dataclass
class Records:
    """Record columns, one entry per record key (`keys`, ascending)."""

    keys: np.ndarray
    ids: pa.Array
    other_ids: pa.Array


# -- identifiers per record ------------------------------------------------------

def row_ids(hits: Hits, non_subject: np.ndarray) -> Records:
    """Table rows with a person identifier of the subject, valid or invalid.

    `non_subject[i]` says the i-th hit stands in a column of someone else (a contact,
    a callee). A subject's value repeated on the row counts once; others' all count.
    """
    person = PERSON_CODES[hits.codes]
    valid = hits.values.is_valid().to_numpy(zero_copy_only=False)
    subject = person & valid & ~non_subject
    keys = np.unique(hits.keys[person & ~non_subject])
    subject[subject] = first_occurrences(hits.pick(subject))
    return Records(keys, _joined(hits.pick(subject), keys), _joined(hits.pick(person & valid & non_subject), keys))


def line_ids(hits: Hits) -> Records:
    """Lines with a person identifier, valid or invalid.

    On a line the first value of each type is the subject's; a later, different
    value of a type already there (a callee after a caller) goes to `other_ids`.
    """
    person = PERSON_CODES[hits.codes]
    keys = np.unique(hits.keys[person])
    hits = hits.pick(person & hits.values.is_valid().to_numpy(zero_copy_only=False))
    subject = first_occurrences(Hits(hits.keys, hits.codes, pa.nulls(len(hits.keys), pa.string())))
    other = first_occurrences(hits) & ~subject
    return Records(keys, _joined(hits.pick(subject), keys), _joined(hits.pick(other), keys))


def first_occurrences(hits: Hits) -> np.ndarray:
    """Mask of the hits whose (key, type, value) has not occurred before them."""
    n = len(hits.keys)
    if not n:
        return np.zeros(0, dtype=bool)
    values = pc.dictionary_encode(hits.values).indices.fill_null(-1).to_numpy(zero_copy_only=False)
    order = np.lexsort((np.arange(n), values, hits.codes, hits.keys))
    k, c, v = hits.keys[order], hits.codes[order], values[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (k[1:] != k[:-1]) | (c[1:] != c[:-1]) | (v[1:] != v[:-1])
    out = np.zeros(n, dtype=bool)
    out[order[new]] = True
    return out


def _joined(hits: Hits, keys: np.ndarray) -> pa.Array:
    """Per key of `keys`, its hits' `type:value` in scan order joined by `;` (null: none)."""
    inside = np.isin(hits.keys, keys)
    hits = hits.pick(inside) if not inside.all() else hits
    if not len(hits.keys):
        return pa.nulls(len(keys), pa.string())
    order = np.argsort(hits.keys, kind="stable")
    pairs = pc.binary_join_element_wise(type_names(hits.codes[order]), hits.values.take(pa.array(order)), ":")
    k = hits.keys[order]
    offsets = np.searchsorted(k, keys, side="left")
    counts = np.searchsorted(k, keys, side="right") - offsets
    lists = pa.ListArray.from_arrays(pa.array(np.append(offsets, len(k)), pa.int32()), pairs)
    return pc.if_else(pa.array(counts > 0), pc.binary_join(lists, ";"), pa.scalar(None, pa.string()))


# -- the rest of a table row -------------------------------------------------------

def non_empty(col: pa.Array) -> pa.Array:
    """The column with empty strings as nulls."""
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)


def first_name(columns: list[pa.Array]) -> pa.Array:
    """Per row, the first non-empty value of the name columns."""
    return pc.coalesce(*[non_empty(c) for c in columns]) if len(columns) > 1 else non_empty(columns[0])


def row_text(columns: list[pa.Array]) -> pa.Array:
    """Per row, its non-empty cells joined by `|`."""
    if not columns:
        return pa.nulls(0, pa.string())
    return join_present([non_empty(c) for c in columns], "|")


def join_present(columns: list[pa.Array], sep: str) -> pa.Array:
    """Per row, the non-null values of `columns` joined by `sep`; null where all are null.

    Only rows with a value go to Arrow's skipping join: it drops all-null rows from its output
    instead of keeping them (pyarrow 26), which would shift every later row.
    """
    some = pc.is_valid(pc.coalesce(*columns)) if len(columns) > 1 else pc.is_valid(columns[0])
    if pc.all(some).as_py() is not False:
        return pc.binary_join_element_wise(*columns, sep, null_handling="skip")
    joined = pc.binary_join_element_wise(*[c.filter(some) for c in columns], sep, null_handling="skip")
    return pc.replace_with_mask(pa.nulls(len(some), pa.string()), some, joined.cast(pa.string()))


def fields_json(columns: list[tuple[str, pa.Array]], n: int) -> pa.Array:
    """Per row, the JSON object role -> value of its non-empty typed cells (as `json.dumps` writes it)."""
    if not columns:
        return pa.nulls(n, pa.string())
    keys = [r for r, _ in columns]
    if len(set(keys)) < len(keys):   # a role twice: the dict keeps the first key's place, the last value
        lists = [(r, c.to_pylist()) for r, c in columns]
        return pa.array([
            json.dumps(typed, ensure_ascii=False) if (typed := {r: v[i] for r, v in lists if v[i] not in (None, "")})
            else None for i in range(n)], pa.string())
    members = [_json_string(non_empty(c), json.dumps(r, ensure_ascii=False) + ": ") for r, c in columns]
    return pc.binary_join_element_wise("{", join_present(members, ", "), "}", "")


def _json_string(col: pa.Array, prefix: str = "") -> pa.Array:
    """Each value as `prefix` and a JSON string literal (`json.dumps(v, ensure_ascii=False)`), in
    one join; nulls stay null."""
    quoted = pc.binary_join_element_wise(prefix + '"', col, '"', "")
    data = value_bytes(col)
    if not ((data < 0x20) | (data == 0x22) | (data == 0x5C)).any():
        return quoted       # no byte of any value needs an escape (the common case: a cheap test)
    special = pc.fill_null(pc.match_substring_regex(col, JSON_ESCAPED), False)
    idx = np.flatnonzero(special.to_numpy(zero_copy_only=False))
    if not len(idx):
        return quoted
    escaped = pa.array([prefix + encode_basestring(v) for v in col.take(pa.array(idx)).to_pylist()], pa.string())
    return pc.replace_with_mask(quoted, special, escaped)
