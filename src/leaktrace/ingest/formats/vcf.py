"""vCard files: one row per card, columns FN, N, TEL, EMAIL, ADR, ORG, TITLE, NOTE, BDAY, URL, OTHER.

Properties that repeat in a card (several TEL) are joined with `;`; every other property
(`X-IDCARD`, `IMPP`, `X-ANDROID-CUSTOM` …, not the card's own bookkeeping or media) goes to
OTHER as `NAME: value`. Quoted-printable values may run over soft line breaks (vCard 2.1).
`first_row` is the card ordinal.
"""

from __future__ import annotations

import quopri
import re
from typing import Iterator

from ..decode import decode_bytes
from ..units import Document, ReadResult, Unit
from .common import table_batches

COLUMNS = ["FN", "N", "TEL", "EMAIL", "ADR", "ORG", "TITLE", "NOTE", "BDAY", "URL"]
OTHER = "OTHER"
# Properties that say nothing of the person: card bookkeeping and media (base64 blobs).
_NOT_KEPT = {"BEGIN", "END", "VERSION", "PRODID", "UID", "REV", "PHOTO", "LOGO", "SOUND", "KEY"}
_UNFOLD = re.compile(r"\r?\n[ \t]")
_QP = re.compile(r"(?i)ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """All cards of the file as one table."""
    with doc.open() as fh:
        text, result.encoding = decode_bytes(fh.read())
    result.text_bytes = doc.size
    cards = parse_cards(text)
    rows = ([";".join(card.get(c, [])) or None for c in COLUMNS] + [_other(card)] for card in cards)
    yield from table_batches(result, "", [*COLUMNS, OTHER], rows)


def _other(card: dict[str, list[str]]) -> str | None:
    """The card's other properties as `NAME: value; …` (None when it has none)."""
    kept = [f"{prop}: {v}" for prop, values in card.items()
            if prop not in COLUMNS and prop not in _NOT_KEPT for v in values]
    return "; ".join(kept) or None


def parse_cards(text: str) -> list[dict[str, list[str]]]:
    """Cards as {property: [values]} from vCard text (folded lines unfolded)."""
    cards, card = [], None
    for line in _logical_lines(text):
        name, _, value = line.partition(":")
        prop, *params = name.split(";")
        prop = prop.split(".")[-1].upper()
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            card = {}
        elif prop == "END" and card is not None:
            cards.append(card)
            card = None
        elif card is not None and value:
            card.setdefault(prop, []).append(_value(value, params))
    return cards


def _logical_lines(text: str) -> list[str]:
    """Lines of the text with folded lines unfolded and quoted-printable soft breaks (`=` at the
    end of a quoted-printable property's line) joined to the next line."""
    out: list[str] = []
    for line in _UNFOLD.sub("", text).splitlines():
        if out and out[-1].endswith("=") and _QP.search(out[-1].partition(":")[0]):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _value(value: str, params: list[str]) -> str:
    """A property value: quoted-printable decoded, structured parts joined with spaces."""
    if any("QUOTED-PRINTABLE" in p.upper() for p in params):
        charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                       "utf-8")
        value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
    parts = [p.strip() for p in re.split(r"(?<!\\);", value)]
    return " ".join(p for p in parts if p).replace("\\,", ",").replace("\\;", ";")
