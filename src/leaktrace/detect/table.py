"""Detection in table batches, column by column.

Cells that are one identifier as a whole (the common case in leaked tables) are
found with vectorised regular expressions over Arrow columns and validated in
bulk; only cells that carry something else besides (free text, two numbers in
one cell) go through the text scanner, a column's such cells in one pass.
"""

from __future__ import annotations

import re
from re._constants import MAXREPEAT
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import identifiers
from ..identifiers._util import string_buffers, value_bytes
from ..ingest.units import TableBatch
from .matcher import find
from .normalize import for_matching
from .patterns import RANK, to_re2
from .roles import DEVICE_ROLES, header_role, value_role
from .validate import MASKED, resolve, type_names

WHOLE_CELL_TYPES = ("email", "masked", "cn_id", "bank_card", "cn_mobile")
SAMPLE = 200


def _residue_re() -> str:
    """What a cell must contain to hold a candidate of any text type (RE2): the cells the text
    matcher is run on. One part per type, each implied by every candidate of that type; the
    keyword-gated types are left out (their keywords, matched without a boundary before them, occur
    inside vehicle numbers and other codes: `VX`, `TG`, `QQ`)."""
    parts = [
        r"\d{11}|\d[ \-.]\d{4}",                           # resident IDs, cards, mobiles, SSNs
        r"\d\*{2}|\*{2}\d",                                  # masked numbers
        "@",                                                  # e-mail
        r"\d\.\d{1,3}\.\d{1,3}\.\d|::|(?:[0-9A-Fa-f]{0,4}:){6}",   # IPv4, IPv6 (a `::` or six colons)
        r"(?:^|[^0-9A-Za-z])(?:\+|00)[1-9]",                  # international phone
        r"[A-Z]{2}\d{2}",                                     # IBAN
        f"[{identifiers.cn_plate.PROVINCES}][A-Za-z]",        # plate
    ]
    return to_re2("|".join(parts))


@dataclass
class TableScan:
    """Findings of one batch as columns, column by column (invalid ones with a null value), and the column roles."""

    rows: np.ndarray            # index within the batch
    cols: np.ndarray
    codes: np.ndarray           # type codes (`patterns.ALL_TYPES`)
    values: pa.Array
    roles: list[str | None] = field(default_factory=list)


@lru_cache(maxsize=None)
def _whole_patterns() -> list[tuple[int, str, tuple[int, float]]]:
    """(type code, RE2 pattern, (shortest, longest) match in characters) of each whole-cell type."""
    out = []
    for t in WHOLE_CELL_TYPES:
        pattern = f"^(?:{identifiers.get(t).CANDIDATE})$"
        lo, hi = re._parser.parse(pattern).getwidth()
        out.append((RANK[t], to_re2(pattern), (lo, hi if hi < MAXREPEAT else np.inf)))
    return out


RESIDUE_RE = _residue_re()   # cells that may hold an identifier among other text

#: A decimal number (`-12.5`, `18034022405.301273`), and one with a fraction that is not all zeros.
NUMBER_RE = r"^[+-]?[0-9]+(?:\.[0-9]+)?$"
FRACTION_RE = r"\.[0-9]*[1-9]"


def columns_of(tb: TableBatch) -> list[pa.Array]:
    """The batch's cells as one Arrow string array per column (ragged rows padded with nulls)."""
    if tb.arrays is not None:
        return tb.arrays
    rows = tb.rows
    width = max([len(tb.columns)] + [len(r) for r in rows])
    if all(len(r) == width for r in rows):
        return [pa.array(list(c), pa.string()) for c in zip(*rows)] if rows else \
            [pa.array([], pa.string()) for _ in range(width)]
    cols = []
    for j in range(width):
        cols.append(pa.array([r[j] if j < len(r) else None for r in rows], pa.string()))
    return cols


def scan_table(tb: TableBatch, known_roles: list[str | None] | None = None,
               cols: list[pa.Array] | None = None) -> TableScan:
    """Every identifier in the batch, validated in bulk; column roles from headers, else from values.

    `cols` are the batch's columns as `columns_of` gives them, if already made.
    """
    if cols is None:
        cols = columns_of(tb)
    found = [_scan_column(col) for col in cols]
    rows = np.concatenate([r for r, _, _ in found] + [np.zeros(0, np.int64)])
    col_of = np.repeat(np.arange(len(cols)), [len(r) for r, _, _ in found])
    codes = np.concatenate([c for _, c, _ in found] + [np.zeros(0, np.int64)])
    raws = pa.concat_arrays([r for _, _, r in found] + [pa.array([], pa.string())])
    codes, values = resolve(codes, raws)
    scan = TableScan(rows, col_of, codes, values)
    if known_roles is not None and len(known_roles) == len(cols):
        scan.roles = known_roles
    else:
        shares = _shares(scan, len(cols), [max(len(c) - c.null_count, 1) for c in cols])
        scan.roles = [_role(tb, j, cols[j], shares[j]) for j in range(len(cols))]
    return _without_device_columns(scan)


def _without_device_columns(scan: TableScan) -> TableScan:
    """The scan without candidates in columns of device numbers (`roles.DEVICE_ROLES`)."""
    device = [j for j, r in enumerate(scan.roles) if r in DEVICE_ROLES]
    if not device or not len(scan.cols):
        return scan
    keep = ~np.isin(scan.cols, device)
    return TableScan(scan.rows[keep], scan.cols[keep], scan.codes[keep], scan.values.filter(pa.array(keep)),
                     scan.roles)


def _shares(scan: TableScan, width: int, filled: list[int]) -> list[dict[str, float]]:
    """Per column, the share of its non-null cells holding a valid identifier, by type (in order of
    first appearance; each cell adds 1/n, summed in order as floats)."""
    valid = scan.values.is_valid().to_numpy(zero_copy_only=False) & (scan.codes != RANK[MASKED])
    shares: list[dict[str, float]] = [{} for _ in range(width)]
    cols, codes = scan.cols[valid], scan.codes[valid]
    for j in np.unique(cols).tolist():
        kinds, first, counts = np.unique(codes[cols == j], return_index=True, return_counts=True)
        order = np.argsort(first)
        names = type_names(kinds[order]).to_pylist()
        shares[j] = {t: float(np.cumsum(np.full(k, 1 / filled[j]))[-1]) for t, k in zip(names, counts[order].tolist())}
    return shares


def _role(tb: TableBatch, j: int, col: pa.Array, share: dict[str, float]) -> str | None:
    role = header_role(tb.columns[j]) if tb.has_header and j < len(tb.columns) else None
    return role or value_role([v for v in col.slice(0, SAMPLE).to_pylist() if v], share)


def _scan_column(col: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Candidates of one column: (rows, type codes, raw texts); whole cells first, then the residue.

    A pattern is tried only on the cells whose bytes it could match (`_cell_bytes`).
    """
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), pa.array([], pa.string()))
    if col.null_count == len(col):
        return empty
    s = pc.utf8_trim_whitespace(_nfkc(col.fill_null("")))
    flags, lengths = _cell_bytes(s)
    claimed = lengths == 0
    quantities = _quantities(s, flags, lengths)
    if quantities is not None:
        claimed |= quantities
    numeric = (flags & _OTHER) == 0
    parts = []
    for code, pattern, (lo, hi) in _whole_patterns():
        need = {RANK["email"]: (flags & _AT) > 0, RANK[MASKED]: (flags & _MASK) > 0}.get(code, numeric)
        # lengths are in bytes: an upper bound in characters holds for ASCII (numeric) cells only
        m = _matching(s, pattern, need & (lengths >= lo) & ((lengths <= hi) | ~numeric) & ~claimed)
        if m.any():
            idx = np.flatnonzero(m)
            parts.append((idx, np.full(len(idx), code), s.take(pa.array(idx))))
            claimed |= m
    residue = np.flatnonzero(_matching(s, RESIDUE_RE, ((flags & (_DIGIT | _AT | _COLON)) > 0) & ~claimed))
    if len(residue):
        parts.append(_scan_cells(col, residue))
    if not parts:
        return empty
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            pa.concat_arrays([p[2].cast(pa.string()) for p in parts]))


def _quantities(s: pa.Array, flags: np.ndarray, lengths: np.ndarray) -> np.ndarray | None:
    """Mask of the cells of a numeric column that are quantities, not identifiers (None: none are).

    A column is numeric when every filled cell is a decimal number and at least one in ten has a
    fraction that is not all zeros (a float column: measurements, market values; one stray
    fraction among identifiers does not make one). Its cells whose whole part is no longer than
    the longest whole part of its fractions are quantities: floats that happen to be integral
    (`1.8034022405e10` is written `18034022405`) or integers of the same size. A longer integer
    among small fractions (an 11-digit number in a column of percentages) is not one of them.
    Only columns of digits and `+-.` with points in one cell in ten are read.
    """
    filled = lengths > 0
    n = int(np.count_nonzero(filled))
    if not n or (flags[filled] & _OTHER).any() or 10 * np.count_nonzero(flags & _POINT) < n:
        return None
    fraction = pc.match_substring_regex(s, FRACTION_RE).to_numpy(zero_copy_only=False)
    if 10 * np.count_nonzero(fraction) < n:
        return None
    if np.count_nonzero(pc.match_substring_regex(s, NUMBER_RE).to_numpy(zero_copy_only=False)) < n:
        return None
    point = pc.find_substring(s, ".").to_numpy(zero_copy_only=False).astype(np.int64)
    whole = np.where(point >= 0, point, lengths)
    offsets, data = string_buffers(s)
    first = data[np.minimum(offsets[:-1], max(len(data) - 1, 0))]
    whole -= filled & ((first == ord("+")) | (first == ord("-")))
    return filled & (whole <= whole[fraction].max())


def _nfkc(col: pa.Array) -> pa.Array:
    """NFKC of a column without nulls. A column whose characters are ASCII or in U+4000..U+9FFF
    (CJK ideographs: three UTF-8 bytes led by E4..E9, no compatibility forms, nothing composes with
    them) is its own NFKC form and is not copied."""
    data = value_bytes(col)
    if not ((data >= 0xC0) & ((data < 0xE4) | (data > 0xE9))).any():   # no other lead byte
        return col
    return pc.utf8_normalize(col, "NFKC")


# Per byte, what it may take part in: a digit, `@`, a mask character (`*`, `X`, `x`, the lead
# byte of `×`), a colon (`::`, an IPv6 address without digits), a point, or none of the characters
# of the numeric types (digits, ` +().-Xx`).
_DIGIT, _AT, _MASK, _OTHER, _COLON, _POINT = 1, 2, 4, 8, 16, 32
_BYTE_FLAGS = np.full(256, _OTHER, dtype=np.uint8)
_BYTE_FLAGS[list(b" +().-")] = 0
_BYTE_FLAGS[list(b"0123456789")] = _DIGIT
_BYTE_FLAGS[list(b"Xx")] = _MASK
_BYTE_FLAGS[ord("*")] = _MASK | _OTHER
_BYTE_FLAGS[0xC3] = _MASK | _OTHER
_BYTE_FLAGS[ord("@")] = _AT | _OTHER
_BYTE_FLAGS[ord(":")] = _COLON | _OTHER
_BYTE_FLAGS[ord(".")] = _POINT


def _cell_bytes(s: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per cell of a string array: the union of its bytes' `_BYTE_FLAGS`, and its length in bytes."""
    offsets, data = string_buffers(s)
    lengths = np.diff(offsets).astype(np.int64)
    flags = np.zeros(len(s), dtype=np.uint8)
    filled = lengths > 0
    if filled.any():
        flags[filled] = np.bitwise_or.reduceat(_BYTE_FLAGS[data], offsets[:-1][filled])
    return flags, lengths


def _matching(s: pa.Array, pattern: str, among: np.ndarray) -> np.ndarray:
    """Mask of the cells `among` (a mask) that match `pattern`; the rest are not tried."""
    k = int(np.count_nonzero(among))
    if not k:
        return among
    if 2 * k > len(s):
        return among & pc.match_substring_regex(s, pattern).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(among)
    out = np.zeros(len(s), dtype=bool)
    out[idx] = pc.match_substring_regex(s.take(pa.array(idx)), pattern).to_numpy(zero_copy_only=False)
    return out


def _scan_cells(col: pa.Array, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Candidates inside the given cells, found in one pass over them joined by newlines
    (no candidate spans a newline, so each is found as in its cell alone)."""
    cells = col.take(pa.array(idx))
    found = find(for_matching("\n".join(cells.to_pylist())))
    lengths = pc.utf8_length(cells).to_numpy(zero_copy_only=False).astype(np.int64)
    cell_starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    rows = idx[np.searchsorted(cell_starts, found.starts, side="right") - 1]
    return rows, found.types.astype(np.int64), found.raw_array
