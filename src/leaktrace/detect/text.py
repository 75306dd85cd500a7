"""Detection in text blocks: findings with byte offsets, and line-level records."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import numpy as np

from ..identifiers import PERSON_KEYS
from ..ingest.decode import ESC_BASE, codec_of
from ..ingest.units import TextBlock
from .matcher import find
from .normalize import fold
from .patterns import ALL_TYPES
from .validate import resolve

# A Chinese name: 2-4 Han characters standing alone at the start of a line or right
# before an identifier, separated by a delimiter.
NAME_RE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})(?=[\s,，;；|:：\t\-]*$)")
LINE_START_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})(?=[\s,，;；|\t\-]|$)")


@dataclass
class TextScan:
    """Every candidate in a block as columns, in text order (invalid ones with value None)."""

    types: list[str]
    values: list[str | None]
    starts: np.ndarray          # char offsets in block.text
    byte_offsets: np.ndarray    # in the document
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.types)


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


def scan_text(block: TextBlock) -> TextScan:
    """Every candidate in the block, validated in bulk per type."""
    found = find(fold(block.text))
    types, values = resolve([ALL_TYPES[i] for i in found.types.tolist()], found.raws)
    chars = _codepoints(block.text)
    lines = block.line + np.searchsorted(np.flatnonzero(chars == 10), found.starts, side="left")
    return TextScan(types, values, found.starts, byte_offsets(block, found.starts, chars), lines)


def byte_offsets(block: TextBlock, starts, chars: np.ndarray | None = None) -> np.ndarray:
    """Byte offsets in the document of the given character offsets (`chars`: the text's code points)."""
    base = block.byte_offset
    starts = np.asarray(starts, dtype=np.int64)
    if not block.encoding:
        return base + starts
    codec = _codec(block.encoding)
    if block.text.isascii() and len("a".encode(codec)) == 1:  # not for UTF-16/32
        return base + starts
    if _stateful(codec):
        return base + np.array([len(block.text[:s].encode(codec, errors="replace")) for s in starts.tolist()],
                               dtype=np.int64)
    chars = _codepoints(block.text) if chars is None else chars
    cum = np.zeros(len(chars) + 1, dtype=np.int64)
    np.cumsum(_widths(chars, codec), out=cum[1:])
    return base + cum[starts]


def _widths(chars: np.ndarray, codec: str) -> np.ndarray:
    """Encoded length of each code point (a stateless codec encodes a text character by character)."""
    table = np.zeros(0x110000, dtype=np.int8)
    distinct = np.flatnonzero(np.bincount(chars, minlength=1))
    table[distinct] = [len(chr(c).encode(codec, errors="replace")) for c in distinct.tolist()]
    table[ESC_BASE:ESC_BASE + 0x100] = 1  # an undecodable byte, escaped by the decoder: one byte
    return table[chars]


def line_records(block: TextBlock, scan: TextScan) -> list[LineRecord]:
    """One record per line that carries person identifiers, valid or invalid.

    `byte_offset` is the offset of the line's start. A second value of a type already
    on the line (a callee after a caller, a contact after a customer) is not the
    subject's: it goes to `other_ids`.
    """
    lines: dict[int, LineRecord] = {}
    text = block.text
    for typ, value, pos, line in zip(scan.types, scan.values, scan.starts.tolist(), scan.lines.tolist()):
        if typ not in PERSON_KEYS:
            continue
        rec = lines.get(line)
        if rec is None:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            body = text[start:end if end >= 0 else len(text)].rstrip("\r")
            rec = lines[line] = LineRecord(line, start, body, name=_name(text, start, pos))
        if value is None:
            rec.invalid += 1
        elif any(t == typ for t, _ in rec.ids):
            if (typ, value) not in rec.ids and (typ, value) not in rec.other_ids:
                rec.other_ids.append((typ, value))
        else:
            rec.ids.append((typ, value))
    records = list(lines.values())
    for rec, off in zip(records, byte_offsets(block, [r.byte_offset for r in records]).tolist()):
        rec.byte_offset = off
    return records


def _name(text: str, line_start: int, first_hit: int) -> str | None:
    m = LINE_START_NAME_RE.match(text, line_start, first_hit)
    if m:
        return m.group(1)
    m = NAME_RE.search(text[line_start:first_hit])
    return m.group(1) if m else None


def _codepoints(text: str) -> np.ndarray:
    """The text's code points (uint8 for ASCII text)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)


def _stateful(codec: str) -> bool:
    """Codecs whose bytes for a character depend on what came before (shift states)."""
    name = codecs.lookup(codec).name
    return name.startswith("iso2022") or name in ("utf-7", "hz")


def _codec(encoding: str) -> str:
    e = codec_of(encoding.lower().replace("_", "-"))
    return {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(e, e)
