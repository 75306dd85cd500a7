"""vCard files: one row per card, columns FN, N, TEL, EMAIL, ADR, ORG, TITLE, NOTE, BDAY, URL, OTHER.

Properties that repeat in a card (several TEL) are joined with `;`; every other property
(`X-IDCARD`, `IMPP`, `X-ANDROID-CUSTOM` …, not the card's own bookkeeping or media) goes to
OTHER as `NAME: value`. Quoted-printable values may run over soft line breaks (vCard 2.1).
`first_row` is the card ordinal.
"""

from __future__ import annotations

import io
import quopri
import re
from typing import Iterable, Iterator

from ..decode import ERRORS, bom_length, codec_of
from ..units import Document, ReadResult, Unit
from .common import document_encoding, table_batches

COLUMNS = ["FN", "N", "TEL", "EMAIL", "ADR", "ORG", "TITLE", "NOTE", "BDAY", "URL"]
OTHER = "OTHER"
# Properties that say nothing of the person: card bookkeeping and media (base64 blobs).
_NOT_KEPT = {"BEGIN", "END", "VERSION", "PRODID", "UID", "REV", "PHOTO", "LOGO", "SOUND", "KEY"}
_QP = re.compile(r"(?i)ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """All cards of the file as one table, read line by line (a batch of cards in memory at a time)."""
    with doc.open() as fh:
        encoding = result.encoding = document_encoding(doc, fh)
        fh.seek(bom_length(encoding))
        lines = io.TextIOWrapper(fh, encoding=codec_of(encoding), errors=ERRORS, newline="")
        rows = ([";".join(card.get(c, [])) or None for c in COLUMNS] + [_other(card)]
                for card in parse_cards(lines))
        yield from table_batches(result, "", [*COLUMNS, OTHER], rows)
    result.text_bytes = doc.size


def _other(card: dict[str, list[str]]) -> str | None:
    """The card's other properties as `NAME: value; …` (None when it has none)."""
    kept = [f"{prop}: {v}" for prop, values in card.items()
            if prop not in COLUMNS and prop not in _NOT_KEPT for v in values]
    return "; ".join(kept) or None


def parse_cards(lines: Iterable[str]) -> Iterator[dict[str, list[str]]]:
    """Cards as {property: [values]} from the lines of vCard text (folded lines unfolded)."""
    card = None
    for line in _logical_lines(lines):
        name, _, value = line.partition(":")
        prop, *params = name.split(";")
        prop = prop.split(".")[-1].upper()
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            card = {}
        elif prop == "END" and card is not None:
            yield card
            card = None
        elif card is not None and value:
            card.setdefault(prop, []).append(_value(value, params))
    if card:   # a file cut off before the last card's END
        yield card


def _logical_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines with folded lines unfolded (a line that starts with a space or tab continues the one
    before, without that character) and quoted-printable soft breaks (`=` at the end of a
    quoted-printable property's line) joined to the next line; in time linear in the text."""
    line = None              # the logical line being read, in parts
    for raw in lines:
        text = raw.rstrip("\r\n")
        if line is not None and text[:1] in (" ", "\t"):
            line.add(text[1:])
        elif line is not None and line.last.endswith("=") and _QP.search(line.first.partition(":")[0]):
            line.add("\n" + text)
        else:
            if line is not None:
                yield line.text()
            line = _Parts(text)
    if line is not None:
        yield line.text()


class _Parts:
    """A logical line's physical lines, joined a thousand at a time (a value broken over millions of
    lines takes the memory of its text, not of millions of strings)."""

    def __init__(self, first: str):
        self.first = self.last = first
        self.joined: list[str] = []
        self.parts = [first]

    def add(self, part: str) -> None:
        self.last = part
        self.parts.append(part)
        if len(self.parts) >= 1000:
            self.joined.append("".join(self.parts))
            self.parts = []

    def text(self) -> str:
        return "".join(self.joined) + "".join(self.parts) if self.joined else "".join(self.parts)


def _value(value: str, params: list[str]) -> str:
    """A property value: quoted-printable decoded, structured parts joined with spaces."""
    if any("QUOTED-PRINTABLE" in p.upper() for p in params):
        charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                       "utf-8")
        value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
    parts = [p.strip() for p in re.split(r"(?<!\\);", value)]
    return " ".join(p for p in parts if p).replace("\\,", ",").replace("\\;", ";")
