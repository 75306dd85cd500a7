"""Detection in text blocks: findings with byte offsets, and line-level records."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..ingest.units import TextBlock
from .normalize import fold
from .patterns import candidates
from ..identifiers import PERSON_KEYS
from .validate import MASKED, resolve

# A Chinese name: 2-4 Han characters standing alone at the start of a line or right
# before an identifier, separated by a delimiter.
NAME_RE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})(?=[\s,，;；|:：\t\-]*$)")
LINE_START_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})(?=[\s,，;；|\t\-]|$)")


@dataclass
class TextHit:
    type: str
    value: str | None          # None: an invalid identifier-shaped candidate
    start: int                 # char offset in block.text
    end: int
    byte_offset: int
    line: int


@dataclass
class LineRecord:
    """Identifiers of one line: the first of each type is the subject's, later ones others'."""

    line: int
    byte_offset: int
    text: str
    ids: list[tuple[str, str]] = field(default_factory=list)
    other_ids: list[tuple[str, str]] = field(default_factory=list)
    invalid: int = 0
    name: str | None = None


def scan_text(block: TextBlock) -> list[TextHit]:
    """Every candidate in the block, validated (invalid ones with value None)."""
    folded = fold(block.text)
    cands = candidates(folded)
    if not cands:
        return []
    types, values = resolve([c.type for c in cands], [c.raw for c in cands])
    offsets = byte_offsets(block, [c.start for c in cands])
    newlines = [m.start() for m in re.finditer("\n", block.text)]
    return [
        TextHit(t, v, c.start, c.end, off, block.line + bisect.bisect_left(newlines, c.start))
        for c, t, v, off in zip(cands, types, values, offsets)
    ]


def byte_offsets(block: TextBlock, starts: list[int]) -> list[int]:
    """Byte offsets in the document of the given increasing character offsets."""
    base = block.byte_offset
    if block.text.isascii() or not block.encoding:
        return [base + s for s in starts]
    codec = _codec(block.encoding)
    out, pos, nbytes = [], 0, 0
    for s in starts:
        nbytes += len(block.text[pos:s].encode(codec, errors="replace"))
        pos = s
        out.append(base + nbytes)
    return out


def line_records(block: TextBlock, hits: list[TextHit]) -> list[LineRecord]:
    """One record per line that carries person identifiers, valid or invalid.

    `byte_offset` is the offset of the line's start. A second value of a type already
    on the line (a callee after a caller, a contact after a customer) is not the
    subject's: it goes to `other_ids`.
    """
    lines: dict[int, LineRecord] = {}
    for h in hits:
        if h.type not in PERSON_KEYS:
            continue
        rec = lines.get(h.line)
        if rec is None:
            start = block.text.rfind("\n", 0, h.start) + 1
            end = block.text.find("\n", h.start)
            text = block.text[start:end if end >= 0 else len(block.text)].rstrip("\r")
            rec = lines[h.line] = LineRecord(h.line, start, text, name=_name(block.text, start, h.start))
        if h.value is None:
            rec.invalid += 1
        elif any(t == h.type for t, _ in rec.ids):
            if (h.type, h.value) not in rec.ids and (h.type, h.value) not in rec.other_ids:
                rec.other_ids.append((h.type, h.value))
        else:
            rec.ids.append((h.type, h.value))
    records = list(lines.values())
    for rec, off in zip(records, byte_offsets(block, [r.byte_offset for r in records])):
        rec.byte_offset = off
    return records


def _name(text: str, line_start: int, first_hit: int) -> str | None:
    m = LINE_START_NAME_RE.match(text, line_start, first_hit)
    if m:
        return m.group(1)
    m = NAME_RE.search(text[line_start:first_hit])
    return m.group(1) if m else None


def _codec(encoding: str) -> str:
    e = encoding.lower().replace("_", "-")
    return {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(e, encoding)
