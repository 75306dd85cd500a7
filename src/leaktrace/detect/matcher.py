"""Candidate matching backends: Hyperscan (multi-pattern passes over each text) or Python `re`.

Both return the candidates `patterns.candidates` defines: at the leftmost position
where any type matches, the first type of `patterns.ALL_TYPES` that matches there,
then on from its end. The Hyperscan backend scans the UTF-8 encoding of the text,
padded with a newline at each end:

* *exact* types (masked, cn_id, bank_card, cn_mobile, us_ssn, iban, cn_plate, ip)
  are compiled as body with one consumed boundary character on each side (for the
  lookarounds); per start the longest end is the `re` result.
* e-mail is compiled as a superset (no label length limits) and its exact shape
  is re-matched with `re` at each start found;
* keyword types (one literal pattern per keyword) and phone (a prefix trigger)
  are matched with `re` at each trigger position.

Tracking where matches start makes Hyperscan about twice as slow, so the text is scanned
once by a database that reports ends only: every expression that only matches strings of
one length (`lengths.fixed_variants`: IDs, cards, mobiles, keywords …) starts that many
characters before its end. The others (masked numbers, IBAN, IP, e-mail) are there as
probes; the lines they end in are scanned again by a database that tracks starts.

Hyperscan reports only the leftmost start per end, so a match whose start lies
inside a previously chosen candidate could hide a later start; lines where a
dropped match reaches past the chosen one are rescanned with `re` (no candidate
spans a newline, so lines are independent). Texts that `re` matches case-
insensitively beyond ASCII (`ſ`, `K`, `İ`, `ı`) go to `re` as a whole.

`LEAKTRACE_MATCHER=re` forces the `re` backend; so does a missing `hyperscan`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pyarrow as pa

from .. import identifiers
from ..backends import hyperscan, use_hyperscan
from .lengths import Unbounded, fixed_variants, top_level
from .patterns import ALL_TYPES, KEYWORD_TYPES, RANK, candidates, type_regex

EXACT_TYPES = ("masked", "cn_id", "bank_card", "cn_mobile", "us_ssn", "iban", "cn_plate", "ip")
BOUNDARY = "[^0-9A-Za-z]"
EMAIL_SUPERSET = (r"[^0-9A-Za-z_][A-Za-z0-9_][A-Za-z0-9_%+-]*(?:\.[A-Za-z0-9_%+-]+)*@"
                  r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}[^A-Za-z]")
PHONE_TRIGGER = r"[^0-9A-Za-z](?:\+|00)[1-9]"
# Characters Python's case-insensitive matching folds onto ASCII keyword letters.
NON_ASCII_CASE = "\u0130\u0131\u017f\u212a"


@dataclass
class Found:
    """Candidates as columns: type index into `patterns.ALL_TYPES`, char start and end, raw text."""

    types: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    raw_array: pa.Array

    @property
    def raws(self) -> list[str]:
        return self.raw_array.to_pylist()

    def __len__(self) -> int:
        return len(self.types)


def backend() -> str:
    """`hyperscan` unless `LEAKTRACE_MATCHER=re` or Hyperscan is not importable."""
    return "hyperscan" if use_hyperscan() else "re"


def find(text: str) -> Found:
    """Candidates in folded text, with the configured backend."""
    if backend() == "hyperscan":
        return find_hyperscan(text)
    return find_re(text)


def find_re(text: str) -> Found:
    """Candidates from the combined `re` expression."""
    spans = _re_spans(text, 0, len(text))
    if not len(spans):
        return _found(text, spans)
    data = b"\n" + text.encode("utf-8", errors="surrogatepass") + b"\n"
    if len(data) - 2 == len(text):
        first, end = spans[:, 1] + 1, spans[:, 2] + 1
    else:
        leads = _leads(data)
        first, end = leads[spans[:, 1] + 1], leads[spans[:, 2] + 1]
    return _found(text, spans[_standalone(data, spans[:, 0], first, end)])


def _re_spans(text: str, pos: int, endpos: int) -> np.ndarray:
    cands = candidates(text, pos, endpos)
    return np.array([(RANK[c.type], c.start, c.end) for c in cands], dtype=np.int64).reshape(-1, 3)


def _found(text: str, spans: np.ndarray) -> Found:
    starts, ends = spans[:, 1], spans[:, 2]
    raws = [text[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    return Found(spans[:, 0].astype(np.int8), starts, ends, pa.array(raws, pa.string()))


def _found_in(data: bytes, leads: np.ndarray | None, spans: np.ndarray) -> Found:
    """`_found`, the raw texts cut from `data` (the padded UTF-8 text; `leads`: where its
    characters start, None for ASCII) without a Python string per candidate."""
    starts, ends = spans[:, 1], spans[:, 2]
    at = (lambda pos: pos + 1) if leads is None else (lambda pos: leads[pos + 1])
    bounds = np.empty(2 * len(spans), dtype=np.int32)   # candidate, gap, candidate …: never overlapping
    bounds[0::2], bounds[1::2] = at(starts), at(ends)
    pieces = pa.StringArray.from_buffers(max(len(bounds) - 1, 0), pa.py_buffer(bounds), pa.py_buffer(data))
    return Found(spans[:, 0].astype(np.int8), starts, ends, pieces.take(pa.array(np.arange(0, len(bounds), 2))))


# -- Hyperscan -----------------------------------------------------------------

EXACT, RECHECK, TRIGGER, WINDOW = range(4)   # pattern modes (see `_Pattern`)


@dataclass(frozen=True)
class _Pattern:
    rank: int        # type rank
    mode: int        # EXACT; RECHECK (re at each start; span kept as a probe); TRIGGER (re at each
                     # start); WINDOW (a line to scan with the start-tracking database)
    lead: int        # characters consumed before the start
    trail: int       # characters consumed after the end
    length: int = 0  # characters every match has (0: the start is tracked, the expression varies)


def _exact_body(t: str) -> str:
    body = identifiers.get(t).CANDIDATE
    if t == "bank_card":
        # 15- and 18-digit runs are cn_id candidates too, same span, and cn_id comes first
        assert body.startswith("[0-9]{13,19}|")
        body = "[0-9]{13,14}|[0-9]{16,17}|[0-9]{19}" + body[len("[0-9]{13,19}"):]
    return body


class _Builder:
    """Expressions, flags and what each pattern is, for one Hyperscan database."""

    def __init__(self, flags: int):
        self.flags = flags
        self.exprs: list[tuple[bytes, int, _Pattern]] = []

    def add(self, expr: str, pat: _Pattern, flag: int = 0) -> None:
        self.exprs.append((expr.encode("utf-8"), self.flags | flag, pat))

    def compile(self):
        db = hyperscan.Database()
        exprs, flags, meta = zip(*self.exprs)
        db.compile(expressions=list(exprs), ids=list(range(len(exprs))), elements=len(exprs), flags=list(flags))
        table = np.array([(p.rank, p.mode, p.lead, p.trail, p.length) for p in meta], dtype=np.int64)
        return db, table


@lru_cache(maxsize=None)
def _databases():
    """Two databases: every pattern of one match length at its ends only (cheap), with the rest as
    WINDOW probes; and those rest with their starts tracked, for the lines the probes end in."""
    ends = _Builder(hyperscan.HS_FLAG_UTF8)
    starts = _Builder(hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST)

    def add(expr: str, pat: _Pattern) -> None:
        try:
            for variant, n in fixed_variants(expr):
                ends.add(variant, replace(pat, length=n))
        except Unbounded:
            ends.add(expr, replace(pat, mode=WINDOW))
            starts.add(expr, pat)

    for t in EXACT_TYPES:
        for alt in top_level(_exact_body(t)):
            add(f"{BOUNDARY}(?:{alt}){BOUNDARY}", _Pattern(RANK[t], EXACT, 1, 1))
    add(EMAIL_SUPERSET, _Pattern(RANK["email"], RECHECK, 1, 1))
    add(PHONE_TRIGGER, _Pattern(RANK["phone"], TRIGGER, 1, 0))
    for t in KEYWORD_TYPES:
        for kw in identifiers.get(t).KEYWORDS:
            ends.add(re.escape(kw), _Pattern(RANK[t], TRIGGER, 0, 0, len(kw)), hyperscan.HS_FLAG_CASELESS)
    return ends.compile(), starts.compile()


def _scan(db, data: bytes) -> np.ndarray:
    """Raw Hyperscan matches (id, from, to) over `data`, in the order of their ends."""
    out: list[int] = []
    extend = out.extend

    def on_match(i, frm, to, flags, ctx):
        extend((i, frm, to))

    db.scan(data, match_event_handler=on_match)
    return np.array(out, dtype=np.int64).reshape(-1, 3)


def _scan_lines(db, data: bytes, ends: np.ndarray) -> np.ndarray:
    """`_scan` of `db` over just the lines of `data` that the (sorted) byte offsets `ends` close
    or lie in, each with its bounding newlines; offsets are into `data`. No match spans a line."""
    pieces: list[bytes] = []
    at_data: list[int] = []
    at_buf: list[int] = []
    size, hi = 0, -1
    for q in (ends - 1).tolist():
        if q <= hi:
            continue
        lo, hi = data.rfind(b"\n", 0, q), data.find(b"\n", q)
        pieces.append(data[lo:hi + 1])
        at_data.append(lo)
        at_buf.append(size)
        size += hi + 1 - lo
    raw = _scan(db, b"".join(pieces))
    if len(raw):
        w = np.searchsorted(np.array(at_buf), raw[:, 1], side="right") - 1
        raw[:, 1:] += (np.array(at_data) - np.array(at_buf))[w][:, None]
    return raw


def find_hyperscan(text: str) -> Found:
    """Candidates from Hyperscan (plus `re` where noted in the module docs)."""
    try:
        data = b"\n" + text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:       # lone surrogates: not valid UTF-8
        return find_re(text)
    ascii_text = len(data) - 2 == len(text)
    if not ascii_text and any(c in text for c in NON_ASCII_CASE):   # four finds beat one class search
        return find_re(text)
    (ends_db, ends_table), (starts_db, starts_table) = _databases()
    raw = _scan(ends_db, data)
    meta = ends_table[raw[:, 0]]
    window = meta[:, 1] == WINDOW
    if window.any():
        extra = _scan_lines(starts_db, data, np.sort(raw[window, 2]))
        raw = np.concatenate([raw[~window], extra])
        meta = np.concatenate([meta[~window], starts_table[extra[:, 0]]])
    if not len(raw):
        return _found(text, raw)
    rank, mode, lead, trail, length = meta.T
    leads = None if ascii_text else _leads(data)
    frm, to = _to_chars(leads, raw[:, 1], raw[:, 2])
    frm = np.where(length > 0, to - length, frm)   # a fixed-length match starts its length before its end
    start, end = frm + lead, to - trail

    exact = mode == EXACT
    probes = np.stack([start[mode != TRIGGER], end[mode != TRIGGER]], axis=1)
    rows = [np.stack([rank[exact], start[exact], start[exact], end[exact]], axis=1)]
    rows.append(_recheck(text, rank[~exact], start[~exact]))
    cand = np.concatenate(rows)
    spans = _select(cand)
    spans = _rescan_straddled(text, spans, probes)
    at = (lambda pos: pos + 1) if leads is None else (lambda pos: leads[pos + 1])
    return _found_in(data, leads, spans[_standalone(data, spans[:, 0], at(spans[:, 1]), at(spans[:, 2]))])


def _standalone(data: bytes, rank: np.ndarray, first: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mask of the candidates that are not part of a decimal number or a product's version.

    A candidate right after a decimal point (a digit, '.', then the candidate's first digit:
    `3.350000000731338`) is a fraction's digits; one right before a decimal point (its last digit,
    '.', a digit: `18034022405.301273`) is a quantity's whole part, unless the fraction is only
    zeros (`13800138000.0`, as spreadsheets and data frames write integral floats) and the
    candidate is not a dotted quad (`8.0.0.0.0` is a version). A full stop after a number
    (`call 13800138000.`) is not a decimal point. A dotted quad right after a letter or digit and
    a '/' is a version (`LibreOffice/6.4.3.2`, `wordpress/1.5.1.3`: how User-Agent and generator
    strings name a product), not an address (`http://10.0.0.1` has a '/' before its '/').

    `data` is the text's UTF-8 padded with one byte at each end; `rank` each candidate's type
    rank, `first` and `end` the byte offsets in it where it starts and ends (ASCII digits and '.' are single bytes, never part
    of another character). Only the bytes around the candidates are read.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    last = len(buf) - 1

    def digit(pos):
        return (buf[np.clip(pos, 0, last)] - 0x30) < 10     # unsigned: below '0' wraps around

    def point(pos):
        return buf[np.clip(pos, 0, last)] == 0x2E

    before = digit(first) & point(first - 1) & digit(first - 2)
    b2 = buf[np.clip(first - 2, 0, last)] | 0x20                  # ASCII letters to lower case
    version = (rank == RANK["ip"]) & (buf[np.clip(first - 1, 0, last)] == 0x2F) & (
        digit(first - 2) | ((b2 - 0x61) < 26))
    after = digit(end - 1) & point(end) & digit(end + 1)
    if (after & (rank != RANK["ip"])).any():
        at = np.flatnonzero(after & (rank != RANK["ip"]))
        frac = end[at, None] + 1 + np.arange(_FRACTION)     # the fraction's first digits
        nonzero = buf[np.clip(frac, 0, last)] != 0x30
        stop = np.argmax(nonzero, axis=1)                   # the first digit not 0 (0: none read)
        zero = ~nonzero.any(axis=1) | ((stop > 0) & ~digit(frac[np.arange(len(at)), stop]))
        after[at[zero]] = False
    return ~(before | after | version)


_FRACTION = 16    # fraction digits read to tell `.0`, `.000` from `.301273` (more zeros: zero)


def _leads(data: bytes) -> np.ndarray:
    """Where each character of a UTF-8 buffer starts."""
    buf = np.frombuffer(data, dtype=np.uint8)
    return np.flatnonzero((buf & 0xC0) != 0x80)


def _to_chars(leads: np.ndarray | None, frm: np.ndarray, to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byte offsets in the padded UTF-8 buffer -> character offsets in the text (`leads` as
    `_leads` gives them, None for ASCII text)."""
    if leads is None:
        return frm - 1, to - 1
    # the characters before byte k are the lead bytes before it (the padding newline among them)
    return np.searchsorted(leads, frm, side="left") - 1, np.searchsorted(leads, to, side="left") - 1


def _recheck(text: str, rank: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """`re` match of the type at each (rank, position): rows (rank, match start, group start, end)."""
    out = []
    for r, p in sorted(set(zip(rank.tolist(), pos.tolist()))):
        t = ALL_TYPES[r]
        m = type_regex(t).match(text, p)
        if m:
            out.append((r, p, m.start(t), m.end(t)))
    return np.array(out, dtype=np.int64).reshape(-1, 4)


def _select(cand: np.ndarray) -> np.ndarray:
    """Left-to-right, non-overlapping choice: per match position the first type, its longest end.

    `cand` rows are (rank, match position, group start, end); returns (rank, group start, end).
    """
    rank, pos, start, end = cand.T
    order = np.lexsort((-end, rank, pos))
    rank, pos, start, end = rank[order], pos[order], start[order], end[order]
    first = np.ones(len(pos), dtype=bool)
    first[1:] = pos[1:] != pos[:-1]
    rank, pos, start, end = rank[first], pos[first], start[first], end[first]
    # a match no earlier match reaches into is always chosen; walk only the others
    reach = np.maximum.accumulate(end)
    chosen = np.ones(len(pos), dtype=bool)
    chosen[1:] = reach[:-1] <= pos[1:]
    if not chosen.all():
        idx = np.arange(len(pos))
        last_free = np.maximum.accumulate(np.where(chosen, idx, -1))
        last = -1
        for i in np.flatnonzero(~chosen).tolist():
            j = max(int(last_free[i]), last)
            if pos[i] >= end[j]:
                chosen[i] = True
                last = i
    return np.stack([rank[chosen], start[chosen], end[chosen]], axis=1)


def _rescan_straddled(text: str, spans: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """Rescan with `re` the lines where a probe span reaches past the chosen candidate covering its start."""
    if not len(spans) or not len(probes):
        return spans
    j = np.searchsorted(spans[:, 1], probes[:, 0], side="right") - 1
    covered = j >= 0
    bad = probes[covered & (probes[:, 1] > spans[np.maximum(j, 0), 2])]
    if not len(bad):
        return spans
    keep = np.ones(len(spans), dtype=bool)
    extra = []
    done = -1
    for s in np.unique(bad[:, 0]).tolist():
        if s < done:
            continue
        lo = text.rfind("\n", 0, s) + 1
        hi = text.find("\n", s)
        done = hi = len(text) if hi < 0 else hi
        keep &= ~((spans[:, 1] >= lo) & (spans[:, 1] < hi))
        extra.append(_re_spans(text, lo, hi))
    spans = np.concatenate([spans[keep]] + extra)
    return spans[np.argsort(spans[:, 1], kind="stable")]
