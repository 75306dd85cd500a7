"""Detection in table batches, column by column.

Cells that are one identifier as a whole (the common case in leaked tables) are
found with vectorised regular expressions over Arrow columns and validated in
bulk; only cells that carry something else besides (free text, two numbers in
one cell) go through the text scanner one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from .. import identifiers
from ..ingest.units import TableBatch
from .normalize import fold
from .patterns import candidates
from .roles import header_role, value_role
from .validate import MASKED, resolve

WHOLE_CELL_TYPES = ("email", "masked", "cn_id", "bank_card", "cn_mobile")
RESIDUE_RE = r"\d{11}|@|\d[ \-.]\d{4}|\d\*{2}|\*{2}\d"  # cells that may hold an identifier among other text
SAMPLE = 200


@dataclass
class CellHit:
    row: int          # index within the batch
    col: int
    type: str
    value: str | None


@dataclass
class TableScan:
    """Findings of one batch plus the column roles used to make records."""

    hits: list[CellHit] = field(default_factory=list)
    roles: list[str | None] = field(default_factory=list)


def to_re2(pattern: str) -> str:
    """A Python regular expression in RE2 syntax (Arrow's engine): `\\uXXXX` -> `\\x{XXXX}`."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern)


@lru_cache(maxsize=None)
def _whole_patterns() -> list[tuple[str, str]]:
    return [(t, to_re2(f"^(?:{identifiers.get(t).CANDIDATE})$")) for t in WHOLE_CELL_TYPES]


def columns_of(tb: TableBatch) -> list[pa.Array]:
    """The batch's cells as one Arrow string array per column (ragged rows padded with nulls)."""
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
    """Every identifier in the batch; column roles from headers, else from values.

    `cols` are the batch's columns as `columns_of` gives them, if already made.
    """
    if cols is None:
        cols = columns_of(tb)
    scan = TableScan()
    shares: list[dict[str, float]] = []
    for j, col in enumerate(cols):
        hits = _scan_column(col, j)
        scan.hits.extend(hits)
        valid = [h for h in hits if h.value is not None and h.type != MASKED]
        n = max(len(col) - col.null_count, 1)
        share: dict[str, float] = {}
        for h in valid:
            share[h.type] = share.get(h.type, 0) + 1 / n
        shares.append(share)
    if known_roles is not None and len(known_roles) == len(cols):
        scan.roles = known_roles
    else:
        scan.roles = [_role(tb, j, cols[j], shares[j]) for j in range(len(cols))]
    return scan


def _role(tb: TableBatch, j: int, col: pa.Array, share: dict[str, float]) -> str | None:
    role = header_role(tb.columns[j]) if tb.has_header and j < len(tb.columns) else None
    return role or value_role([v for v in col.slice(0, SAMPLE).to_pylist() if v], share)


def _scan_column(col: pa.Array, j: int) -> list[CellHit]:
    if col.null_count == len(col):
        return []
    s = pc.utf8_trim_whitespace(pc.utf8_normalize(col.fill_null(""), "NFKC"))
    claimed = pc.equal(s, "")
    types: list[str] = []
    raws: list[str] = []
    rows: list[int] = []
    for t, pattern in _whole_patterns():
        m = pc.and_(pc.match_substring_regex(s, pattern), pc.invert(claimed))
        idx = pc.indices_nonzero(m)
        if len(idx):
            raws.extend(pc.take(s, idx).to_pylist())
            rows.extend(idx.to_pylist())
            types.extend([t] * len(idx))
            claimed = pc.or_(claimed, m)
    residue = pc.and_(pc.invert(claimed), pc.match_substring_regex(s, RESIDUE_RE))
    for i in pc.indices_nonzero(residue).to_pylist():
        for c in candidates(fold(col[i].as_py())):
            types.append(c.type)
            raws.append(c.raw)
            rows.append(i)
    if not types:
        return []
    types, values = resolve(types, raws)
    return [CellHit(r, j, t, v) for r, t, v in zip(rows, types, values)]
