"""vCard files: one row per card, columns FN, N, TEL, EMAIL, ADR, ORG, TITLE, NOTE, BDAY.

Properties that repeat in a card (several TEL) are joined with `;`.
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
_UNFOLD = re.compile(r"\r?\n[ \t]")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """All cards of the file as one table."""
    with doc.open() as fh:
        text, result.encoding = decode_bytes(fh.read())
    result.text_bytes = doc.size
    cards = parse_cards(text)
    rows = ([";".join(card.get(c, [])) or None for c in COLUMNS] for card in cards)
    yield from table_batches(result, "", list(COLUMNS), rows)


def parse_cards(text: str) -> list[dict[str, list[str]]]:
    """Cards as {property: [values]} from vCard text (folded lines unfolded)."""
    cards, card = [], None
    for line in _UNFOLD.sub("", text).splitlines():
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


def _value(value: str, params: list[str]) -> str:
    """A property value: quoted-printable decoded, structured parts joined with spaces."""
    if any("QUOTED-PRINTABLE" in p.upper() for p in params):
        charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                       "utf-8")
        value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
    parts = [p.strip() for p in re.split(r"(?<!\\);", value)]
    return " ".join(p for p in parts if p).replace("\\,", ",").replace("\\;", ";")
