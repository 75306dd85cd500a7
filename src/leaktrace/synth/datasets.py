"""Leaked datasets: specs (which source rows, which columns, which spelling) and their emission.

A :class:`Dataset` is one evidence document holding reference rows reformatted; it receives
rows during the single pass over persons and records truth (findings, ledger, counts) as it
writes them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import ids
from .persons import FAKE_BASE, make_person
from .sources import OTHER_FIELDS, SOURCES, SUBJECT_FIELDS, source_rows
from .truth import Doc
from .writers import CAPPED, WRITERS


@dataclass
class Part:
    """One table of a dataset: its sources, columns ``(header, field, style)`` and sampling rate."""

    sources: tuple
    cols: list
    rate: float
    name: str = "Sheet1"


@dataclass
class Spec:
    """A leaked-dataset document: logical path, format, parts, writer options."""

    path: str
    fmt: str
    parts: list
    opts: dict = field(default_factory=dict)
    invalid: int = 0
    dup: float = 0.0
    cap: int | None = None
    min_rows: int = 0

    @property
    def holder(self) -> str:
        return self.path.split("/", 1)[0]


def cols(*spec: str) -> list:
    """``cols("姓名=name", "手机=mobile:mobile_mix")`` -> [(header, field, style)]."""
    out = []
    for s in spec:
        head, _, rest = s.partition("=")
        fld, _, style = rest.partition(":")
        out.append((head, fld, style))
    return out


def spell(value: str, style: str, n: int) -> str:
    """Write a canonical value in the dataset's spelling (``n`` varies rotating styles)."""
    if not value or not style:
        return value
    if style == "mobile_mix":
        return ids.spell_mobile(value, n)
    if style == "fw":
        return ids.fullwidth(value)
    if style == "id15":
        return ids.id18_to_15(value) if value[6:8] == "19" else value
    if style == "idx":
        return value.lower()
    if style == "card_space":
        return ids.spell_card(value, " ")
    if style == "card_dash":
        return ids.spell_card(value, "-")
    if style == "epoch":
        t = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
        return f"{int(t.timestamp()) * 1000 + n % 1000}"
    if style == "ts14":
        return value.replace("-", "").replace(":", "").replace(" ", "")
    if style == "py":
        return value
    raise ValueError(style)


def kind_of(fld: str) -> tuple[str | None, bool]:
    """(finding type, is the subject's) of a field, (None, False) for non-identifiers."""
    if fld in SUBJECT_FIELDS:
        return SUBJECT_FIELDS[fld], True
    if fld in OTHER_FIELDS:
        return OTHER_FIELDS[fld], False
    return None, False


class Dataset:
    """A dataset being written: stream rows in, truth out."""

    def __init__(self, spec: Spec, disk: Path, doc: Doc, seed: int, number: int, expected: int, persons: int):
        self.spec, self.doc, self.seed, self.number = spec, doc, seed, number
        writer = WRITERS[spec.fmt]
        self.cap = min(x for x in (spec.cap, CAPPED.get(spec.fmt), 10**12) if x)
        self.writer = writer(disk, [(p.name, [c[0] for c in p.cols]) for p in spec.parts], **spec.opts)
        if len(spec.parts) > 1:
            doc.buffer_ledger()
        self.rng = ids.rng_for(seed, "dataset", number)
        self.written = 0
        self.pending: list = []
        self.invalid_left = spec.invalid
        gap = max(2, min(expected, self.cap) // (spec.invalid + 1)) if spec.invalid else 0
        self.invalid_at = {gap * (k + 1) for k in range(spec.invalid)}
        self.n_fake = 0
        # small cases: raise the rate so each part still gets about ``min_rows`` rows
        self.floor = [min(1.0, spec.min_rows / max(1.0, persons * sum(SOURCES[s][2] for s in p.sources)))
                      for p in spec.parts]

    @property
    def full(self) -> bool:
        return self.written >= self.cap

    def wants(self, part: int, source: str, person: int, canary: bool) -> bool:
        p = self.spec.parts[part]
        if source not in p.sources or self.full:
            return False
        rate = max(p.rate, 0.5) if canary else max(p.rate, self.floor[part])
        return ids.unit(self.seed, "take", self.number, part, person) < rate

    def emit(self, part: int, person: int, source: str, row: dict) -> None:
        """Write one reference row (and maybe a later duplicate, or an invalid row after it)."""
        self._write(part, person, source, row)
        if self.spec.dup and self.rng.random() < self.spec.dup:
            self.pending.append((self.written + self.rng.randrange(3, 40), part, person, source, row))
        while self.pending and self.pending[0][0] <= self.written:
            _, *args = self.pending.pop(0)
            self._write(*args)
        if self.written in self.invalid_at and self.invalid_left:
            self.invalid_at.discard(self.written)
            self._invalid(part, source)

    def _cells(self, part: int, row: dict, pinyin: tuple, bad: dict) -> tuple[list, list, list]:
        """Cells of one row plus its subject and other identifiers as (type, value, as written)."""
        cells, subject, others = [], [], []
        for head, fld, style in self.spec.parts[part].cols:
            value = row.get(fld, "")
            if fld in bad:
                raw = value
            elif style == "py":
                raw = " ".join(s.capitalize() for s in pinyin)
            else:
                raw = spell(value, style, self.written)
            cells.append(raw)
            kind, own = kind_of(fld)
            if kind and value:
                (subject if own else others).append((kind, value, raw))
            if fld == "order_no" and value:
                self.doc.truth.negative(self.doc.path, "order_no_bad_check", value)
        return cells, subject, others

    def _write(self, part: int, person: int, source: str, row: dict) -> None:
        pinyin = make_person(self.seed, person).pinyin if self._needs_pinyin(part) else ()
        cells, subject, others = self._cells(part, row, pinyin, {})
        self.writer.add(part, cells)
        self.doc.record(person, source, subject, others, order=(part,))
        self.written += 1

    def _needs_pinyin(self, part: int) -> bool:
        return any(style == "py" for _, _, style in self.spec.parts[part].cols)

    def _invalid(self, part: int, source: str) -> None:
        """An invalid row: same layout, but its ID/mobile/card fail validation and no e-mail."""
        self.invalid_left -= 1
        k = FAKE_BASE + self.number * 1000 + self.n_fake
        self.n_fake += 1
        fake = make_person(self.seed, k)
        row = dict(source_rows(self.seed, fake, source)[0])
        r = ids.rng_for(self.seed, "invalid", k)
        bad = {}
        for fld in row:
            kind, own = kind_of(fld)
            if not own:
                continue
            neg = None
            if kind == "cn_id":
                neg = r.choice(("id_bad_check", "id_bad_date"))
                bad[fld] = (ids.bad_check_id if neg == "id_bad_check" else ids.bad_date_id)(r, fake.region)
            elif kind == "cn_mobile":
                neg, bad[fld] = "mobile_bad_prefix", ids.bad_mobile(r)
            elif kind == "bank_card":
                neg, bad[fld] = "card_bad_luhn", ids.bad_card(r)
            else:
                bad[fld] = ""
            if neg:
                self.doc.truth.negative(self.doc.path, neg, bad[fld])
        row.update(bad)
        cells, subject, _ = self._cells(part, row, fake.pinyin, bad)
        self.writer.add(part, cells)
        self.doc.record(-1, source, subject, [], order=(part,))
        self.written += 1

    def close(self) -> None:
        for _, *args in self.pending:
            self._write(*args)
        self.pending = []
        while self.invalid_left:
            self._invalid(0, self.spec.parts[0].sources[0])
        self.writer.close()
        self.doc.close()
