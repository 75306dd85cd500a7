"""Helpers shared by the identifier modules: folding, cleaning, Luhn, dates and the
column-wise machinery behind every module's ``validate_many``."""

from __future__ import annotations

import datetime
import re
from typing import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stdnum import exceptions as _stdnum_exc

from . import errors
from .errors import InvalidIdentifier, Masked

# Full-width ASCII variants U+FF01..U+FF5E (digits, letters, punctuation such as ＋－（）＠)
# and the ideographic space U+3000 fold to their ASCII counterparts.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20

def fold(s: str) -> str:
    """Fold full-width digits, letters, punctuation and the ideographic space to ASCII."""
    return s.translate(_FOLD)


def clean(s: str, deletechars: str = "") -> str:
    """Fold ``s``, strip surrounding whitespace and delete every char in ``deletechars``."""
    s = fold(s).strip()
    if deletechars:
        s = s.translate({ord(c): None for c in deletechars})
    return s


def char_class(chars: str) -> str:
    """A regex character class of ``chars`` valid in both Python ``re`` and RE2."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


def is_valid(validate: Callable[[str], str], s) -> bool:
    """``True`` when ``validate(s)`` returns, ``False`` when it raises an identifier error."""
    try:
        validate(s)
    except (InvalidIdentifier, TypeError):
        return False
    return True


def reject_masked(s: str) -> None:
    """Raise ``Masked`` when ``s`` contains a run of three or more mask characters."""
    if re.search(r"(?:\*|\u00d7|\uff0a){3,}", s) or re.search(r"[0-9](?:X{3,}|x{3,})", s):
        raise Masked()


_STDNUM_ERRORS = (
    (_stdnum_exc.InvalidChecksum, errors.InvalidChecksum),
    (_stdnum_exc.InvalidLength, errors.InvalidLength),
    (_stdnum_exc.InvalidComponent, errors.InvalidPrefix),
)


def stdnum_validate(validate: Callable[[str], str], s: str) -> str:
    """Call a python-stdnum ``validate`` on folded ``s``, raising our error classes."""
    try:
        return validate(fold(s))
    except _stdnum_exc.ValidationError as exc:
        for theirs, ours in _STDNUM_ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc)) from None
        raise errors.InvalidFormat(str(exc)) from None


def mask_middle(value: str, keep_start: int, keep_end: int, char: str = "*") -> str:
    """Replace all but the first ``keep_start`` and last ``keep_end`` chars with ``char``."""
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return char * len(value)
    return value[:keep_start] + char * hidden + value[len(value) - keep_end:]


# ---------------------------------------------------------------- checks (scalar)


def real_date(year: int, month: int, day: int, today: datetime.date | None = None) -> datetime.date | None:
    """The date if it exists, is not before 1900 and not after ``today``; else ``None``."""
    try:
        d = datetime.date(year, month, day)
    except ValueError:
        return None
    if year < 1900 or d > (today or datetime.date.today()):
        return None
    return d


def degenerate(digits: str, run: int = 8) -> bool:
    """True for digit strings with ``run`` or more equal, ascending or descending digits
    in a row (``00000000``, ``12345678``, ``98765432``; steps are taken modulo 10)."""
    eq = up = down = 1
    for a, b in zip(digits, digits[1:]):
        step = (ord(b) - ord(a)) % 10
        eq = eq + 1 if step == 0 else 1
        up = up + 1 if step == 1 else 1
        down = down + 1 if step == 9 else 1
        if max(eq, up, down) >= run:
            return True
    return False


# ---------------------------------------------------------------- checks (column-wise)


def to_int(mat: np.ndarray) -> np.ndarray:
    """Read each row of a digit matrix (values 0..9) as a decimal integer."""
    weights = 10 ** np.arange(mat.shape[1] - 1, -1, -1, dtype=np.int64)
    return mat.astype(np.int64) @ weights


def all_digits(mat: np.ndarray) -> np.ndarray:
    """Rows of an ASCII byte matrix that are all ``0``-``9``."""
    return ((mat >= 48) & (mat <= 57)).all(axis=1)


def luhn_ok(d: np.ndarray) -> np.ndarray:
    """Luhn check for each row of a digit matrix (values 0..9)."""
    d = d.astype(np.int16)
    doubled = d[:, -2::-2] * 2
    doubled -= 9 * (doubled > 9)
    return (d[:, ::-2].sum(axis=1) + doubled.sum(axis=1)) % 10 == 0


def dates_ok(year: np.ndarray, month: np.ndarray, day: np.ndarray, today: datetime.date) -> np.ndarray:
    """Vectorised ``real_date(...) is not None``."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    mdays = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    m = np.clip(month, 0, 12)
    dim = mdays[m] + ((m == 2) & leap)
    ymd = year * 10000 + month * 100 + day
    limit = today.year * 10000 + today.month * 100 + today.day
    return (year >= 1900) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= dim) & (ymd <= limit)


def degenerate_rows(d: np.ndarray, run: int = 8) -> np.ndarray:
    """Vectorised ``degenerate`` over the rows of a digit matrix."""
    step = (d[:, 1:].astype(np.int16) - d[:, :-1]) % 10
    out = np.zeros(len(d), dtype=bool)
    w = run - 1
    for s in (0, 1, 9):
        hit = np.zeros((len(d), step.shape[1] + 1), dtype=np.int32)
        np.cumsum(step == s, axis=1, out=hit[:, 1:])
        out |= ((hit[:, w:] - hit[:, :-w]) == w).any(axis=1)
    return out


# ---------------------------------------------------------------- arrow plumbing


def as_string_array(values) -> pa.Array:
    """A pyarrow (large_)string array from an array, chunked array or iterable of str."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), type=pa.string())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.string())
    return values


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Zero-copy views of a (large_)string array: its ``len + 1`` value offsets into its data bytes,
    and those bytes (values of null slots may hold some)."""
    bufs = arr.buffers()
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(bufs[1], dtype=off_type)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return offsets, data


def value_bytes(arr: pa.Array) -> np.ndarray:
    """Zero-copy view of the bytes of a (large_)string array's values, from its first to its last."""
    offsets, data = string_buffers(arr)
    return data[offsets[0]:offsets[-1]]


def fixed_matrix(arr: pa.Array, width: int) -> np.ndarray:
    """Zero-copy ``(n, width)`` uint8 view of a string array whose values are all
    non-null and exactly ``width`` bytes long."""
    return value_bytes(arr).reshape(len(arr), width)


def matrix_to_array(mat: np.ndarray) -> pa.Array:
    """A string array with one value per row of a uint8 (ASCII) matrix."""
    n, width = mat.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    typ = pa.string() if offsets[-1] < 2**31 else pa.large_string()
    if typ == pa.string():
        offsets = offsets.astype(np.int32)
    return pa.Array.from_buffers(typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(mat))])


def assemble(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """An ``n``-long string array: ``parts`` gives (row indices, values); other rows null."""
    parts = [(i, v) for i, v in parts if len(i)]
    if not parts:
        return pa.nulls(n, pa.string())
    values = pa.concat_arrays([v.cast(pa.string()) for _, v in parts])
    pos = np.full(n, -1, dtype=np.int64)
    pos[np.concatenate([i for i, _ in parts])] = np.arange(len(values))
    return values.take(pa.array(pos, mask=pos < 0))


def lengths(arr: pa.Array) -> np.ndarray:
    """Byte length of every value; -1 for nulls."""
    return pc.fill_null(pc.binary_length(arr), -1).to_numpy(zero_copy_only=False)


def by_length(arr: pa.Array, widths: Iterable[int], kernel) -> pa.Array:
    """Run ``kernel(matrix, width) -> (out_matrix, ok)`` on each group of equal-length
    values and assemble the accepted rows (``ok``) in input order."""
    lens = lengths(arr)
    parts = []
    for width in widths:
        idx = np.flatnonzero(lens == width)
        if idx.size == 0:
            continue
        sub = arr if idx.size == len(arr) else arr.take(pa.array(idx))
        out, ok = kernel(fixed_matrix(sub, width), width)
        parts.append((idx[ok], matrix_to_array(out[ok])))
    return assemble(len(arr), parts)


def regex_kernel(pattern: str, case: str | None = None):
    """A column kernel accepting values that fully match ``pattern`` (RE2 syntax that
    means the same in Python ``re``), lower- or upper-casing them first if asked."""
    full = "^(?:" + pattern + ")$"

    def kernel(arr: pa.Array) -> pa.Array:
        if case == "lower":
            arr = pc.utf8_lower(arr)
        elif case == "upper":
            arr = pc.utf8_upper(arr)
        ok = pc.fill_null(pc.match_substring_regex(arr, full), False)
        return pc.if_else(ok, arr, pa.scalar(None, arr.type)).cast(pa.string())

    return kernel


#: ASCII whitespace ``str.strip`` removes, at either end (RE2 and Python ``re``).
EDGE_SPACE = r"^[\x09-\x0d\x1c-\x1f\x20]|[\x09-\x0d\x1c-\x1f\x20]$"


def bulk(values, validate: Callable[[str], str], kernel=None, slow_if: str | None = None) -> pa.Array:
    """Vectorised validation: returns ``validate(v)`` for each value, null where it raises.

    Non-ASCII values, values with whitespace at either end and values matching ``slow_if`` (regex for inputs that ``compact``
    would change beyond case) go through ``validate`` one by one; the rest go to
    ``kernel(array) -> array`` at once. Without a kernel every value goes one by one.
    """
    arr = as_string_array(values)
    n = len(arr)
    if kernel is None:
        slow = arr.is_valid()
    else:
        slow = pc.invert(pc.string_is_ascii(arr))
        slow = pc.or_(slow, pc.match_substring_regex(arr, EDGE_SPACE + ("|" + slow_if if slow_if else "")))
        slow = pc.fill_null(slow, False)
    slow_idx = np.flatnonzero(slow.to_numpy(zero_copy_only=False))
    if kernel is None:
        out = pa.nulls(n, pa.string())
    else:
        fast_in = arr if slow_idx.size == 0 else pc.if_else(slow, pa.scalar(None, arr.type), arr)
        out = kernel(fast_in)
    if slow_idx.size == 0:
        return out.cast(pa.string())
    slow_vals = validate_distinct(arr.take(pa.array(slow_idx)), validate)
    return pc.replace_with_mask(out.cast(pa.string()), slow, slow_vals)


def validate_distinct(arr: pa.Array, validate: Callable[[str], str]) -> pa.Array:
    """``validate`` over non-null ``arr``, one call per distinct value; null where it raises."""
    enc = pc.dictionary_encode(arr)
    out = []
    for v in enc.dictionary.to_pylist():
        try:
            out.append(validate(v))
        except InvalidIdentifier:
            out.append(None)
    return pa.array(out, type=pa.string()).take(enc.indices)
