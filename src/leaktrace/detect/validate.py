"""Bulk validation of candidates, grouped by type, with alternate types for shared shapes.

Candidate types travel as codes: indexes into `patterns.ALL_TYPES`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import identifiers
from ..identifiers import PERSON_KEYS
from ..identifiers._util import as_string_array, assemble
from .patterns import ALL_TYPES, ALTERNATES, RANK, to_re2

MASKED = "masked"
TYPE_NAMES = pa.array(ALL_TYPES, pa.string())
# Per type code: whether the type identifies a person (`masked` does not).
PERSON_CODES = np.array([t in PERSON_KEYS for t in ALL_TYPES])


def type_names(codes: np.ndarray) -> pa.Array:
    """The type names of an array of type codes."""
    return TYPE_NAMES.take(pa.array(codes, pa.int64()))


def type_dictionary(codes: np.ndarray) -> pa.Array:
    """The type names of an array of type codes, dictionary-encoded (the codes are its indices)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), TYPE_NAMES)


def resolve(codes: np.ndarray, raws) -> tuple[np.ndarray, pa.Array]:
    """For each candidate (type code, raw text): its final type code and normalised value.

    Invalid candidates keep their type with a null value, so a caller can tell an
    invalid identifier from no candidate at all. Masked candidates keep their raw
    text as value. A candidate invalid as its type but valid as an alternate type
    of the same shape (cn_id / bank_card), written as that type is, takes that type.
    """
    codes = np.array(codes, dtype=np.int64)
    raws = as_string_array(raws)
    parts: list[tuple[np.ndarray, pa.Array]] = []
    for code in np.unique(codes).tolist():
        idx = np.flatnonzero(codes == code)
        t = ALL_TYPES[code]
        if t == MASKED:
            parts.append((idx, raws.take(pa.array(idx))))
            continue
        failed = _validate_into(t, idx, raws, parts)
        for alt in ALTERNATES.get(t, ()):
            tried = failed[_written_as(alt, raws.take(pa.array(failed)))] if len(failed) else failed
            if not len(tried):
                continue
            taken = np.setdiff1d(tried, _validate_into(alt, tried, raws, parts))
            codes[taken] = RANK[alt]
            failed = np.setdiff1d(failed, taken)
    return codes, assemble(len(codes), parts)


def _written_as(t: str, raws: pa.Array) -> np.ndarray:
    """Mask of the raw texts written as type t's candidate expression is, as a whole (an NDC drug
    code `00719-1945`, a phone candidate, has an SSN's nine digits but not its `AAA-GG-SSSS`)."""
    pattern = f"^(?:{to_re2(identifiers.get(t).CANDIDATE)})$"
    return pc.match_substring_regex(raws, pattern).to_numpy(zero_copy_only=False)


def _validate_into(t: str, idx: np.ndarray, raws: pa.Array, parts: list) -> np.ndarray:
    """Validate raws[idx] as type t, add (indexes, values) of the valid ones to `parts`; return the failed indexes.

    `validate_many` compacts what it must itself (its values are `validate`'s).
    """
    values = identifiers.get(t).validate_many(raws.take(pa.array(idx)))
    ok = values.is_valid().to_numpy(zero_copy_only=False)
    parts.append((idx[ok], values.filter(pa.array(ok))))
    return idx[~ok]
