"""Detection in text blocks: findings with byte offsets, and line-level records.

Blocks are scanned in runs (many small documents at once): joined by newlines into
one text, matched in one pass and validated in bulk. No candidate spans a newline,
so each is found as in its block alone; every line of the run keeps its own key.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..ingest.decode import ESC_BASE, codec_of
from ..ingest.units import TextBlock
from .matcher import find
from .messages import message_fields
from .normalize import for_matching
from .names import line_name
from .records import Hits, line_ids
from .validate import PERSON_CODES, resolve


@dataclass
class Run:
    """Blocks joined by newlines: the text, its code points and where each block starts."""

    blocks: Sequence[TextBlock]
    text: str
    chars: np.ndarray
    starts: np.ndarray          # char offset of each block in `text`
    newlines: np.ndarray        # char offsets of the line breaks in `text`
    cums: dict[str, np.ndarray] = field(default_factory=dict)   # see `byte_counts`

    @classmethod
    def of(cls, blocks: Sequence[TextBlock]) -> "Run":
        text = "\n".join(b.text for b in blocks)
        chars = _codepoints(text)
        lengths = np.array([len(b.text) + 1 for b in blocks], dtype=np.int64)
        return cls(blocks, text, chars, np.cumsum(lengths) - lengths, np.flatnonzero(chars == 10))

    def byte_counts(self, codec: str) -> np.ndarray:
        """Encoded length in `codec` of each prefix of `text` (kept per codec for the run)."""
        cum = self.cums.get(codec)
        if cum is None:
            cum = self.cums[codec] = np.zeros(len(self.chars) + 1, dtype=np.int64)
            np.cumsum(_widths(self.chars, codec), out=cum[1:])
        return cum

    @cached_property
    def modes(self) -> list[str]:
        """Per block, the codec that maps its characters to bytes ("" when a character is one byte)."""
        return [_mode(b) for b in self.blocks]

    def block_of(self, pos: np.ndarray) -> np.ndarray:
        """The block each char offset of `text` lies in."""
        return np.searchsorted(self.starts, pos, side="right") - 1


@dataclass
class TextScan:
    """Every candidate of a run as columns, in text order (invalid ones with a null value)."""

    blocks: np.ndarray          # the block it is in
    codes: np.ndarray           # type codes (`patterns.ALL_TYPES`)
    values: pa.Array
    starts: np.ndarray          # char offsets in the run's text
    byte_offsets: np.ndarray    # in the block's document
    lines: np.ndarray           # line numbers in the block's document
    keys: np.ndarray            # line index in the run's text

    def __len__(self) -> int:
        return len(self.codes)


@dataclass
class LineRecords:
    """Records of the lines that carry person identifiers, as columns (see `records.line_ids`)."""

    blocks: np.ndarray
    lines: np.ndarray
    byte_offsets: np.ndarray    # of the line's start
    text: pa.Array
    names: pa.Array
    ids: pa.Array
    other_ids: pa.Array
    fields: pa.Array            # JSON, `{"message": ...}` on chat-log messages (`messages.py`), else null

    def __len__(self) -> int:
        return len(self.lines)


def scan_text(run: Run) -> TextScan:
    """Every candidate in the run's blocks, validated in bulk per type."""
    found = find(for_matching(run.text))
    codes, values = resolve(found.types, found.raw_array)
    which = run.block_of(found.starts)
    keys = np.searchsorted(run.newlines, found.starts, side="left")
    return TextScan(which, codes, values, found.starts, _byte_offsets(run, which, found.starts),
                    _line_numbers(run, which, keys), keys)


def line_records(run: Run, scan: TextScan) -> LineRecords:
    """One record per line that carries person identifiers, valid or invalid, with its text, a name
    and, on a chat-log message, what was said."""
    recs = line_ids(Hits(scan.keys, scan.codes, scan.values))
    person = PERSON_CODES[scan.codes]
    first = np.searchsorted(scan.keys[person], recs.keys, side="left")
    first_at = scan.starts[person][first]
    which = scan.blocks[person][first]
    breaks = np.concatenate([[-1], run.newlines, [len(run.text)]])
    line_start, line_end = breaks[recs.keys] + 1, breaks[recs.keys + 1]
    text = run.text
    bodies = [text[s:e] for s, e in zip(line_start.tolist(), line_end.tolist())]
    prefixes = [b[:f] for b, f in zip(bodies, (first_at - line_start).tolist())]
    named = {p: line_name(p) for p in set(prefixes)}   # chat lines repeat their senders' prefixes
    names = [named[p] for p in prefixes]
    return LineRecords(which, scan.lines[person][first], _byte_offsets(run, which, line_start),
                       pc.utf8_rtrim(pa.array(bodies, pa.string()), "\r"), pa.array(names, pa.string()),
                       recs.ids, recs.other_ids, message_fields(prefixes, bodies))


def _line_numbers(run: Run, which: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Line numbers in their documents of lines of the run (`keys`) in blocks `which`."""
    first_line = np.array([b.line for b in run.blocks], dtype=np.int64)
    return first_line[which] + keys - np.searchsorted(run.newlines, run.starts, side="left")[which]


def byte_offsets(block: TextBlock, starts, chars: np.ndarray | None = None) -> np.ndarray:
    """Byte offsets in the document of the given character offsets in one block (`chars`: its code points)."""
    chars = _codepoints(block.text) if chars is None else chars
    run = Run([block], block.text, chars, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    starts = np.asarray(starts, dtype=np.int64)
    return _byte_offsets(run, np.zeros(len(starts), dtype=np.int64), starts)


def _byte_offsets(run: Run, which: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Byte offsets in their documents of char offsets `pos` of the run, in blocks `which`."""
    local = pos - run.starts[which]
    out = np.array([b.byte_offset for b in run.blocks], dtype=np.int64)[which] + local
    modes = run.modes
    for mode in set(modes[i] for i in np.unique(which).tolist()) - {""}:
        sel = np.flatnonzero(np.array([m == mode for m in modes])[which])
        if _stateful(mode):
            out[sel] += [len(run.blocks[b].text[:s].encode(mode, errors="replace")) - s
                         for b, s in zip(which[sel].tolist(), local[sel].tolist())]
            continue
        cum = run.byte_counts(mode)
        out[sel] += cum[pos[sel]] - cum[run.starts[which[sel]]] - local[sel]
    return out


def _mode(block: TextBlock) -> str:
    """The codec that maps the block's characters to bytes; "" when a character is one byte (or no encoding)."""
    if not block.encoding:
        return ""
    codec = _codec(block.encoding)
    if block.text.isascii() and len("a".encode(codec)) == 1:  # not for UTF-16/32
        return ""
    return codec


_WIDTHS: dict[str, np.ndarray] = {}   # codec -> encoded length per code point (-1: not yet known)


def _widths(chars: np.ndarray, codec: str) -> np.ndarray:
    """Encoded length of each code point (a stateless codec encodes a text character by character)."""
    if codec == "utf-8":
        return _utf8_widths(chars)
    table = _WIDTHS.get(codec)
    if table is None:
        table = _WIDTHS[codec] = np.full(0x110000, -1, dtype=np.int8)
        table[ESC_BASE:ESC_BASE + 0x100] = 1  # an undecodable byte, escaped by the decoder: one byte
    widths = table[chars]
    unknown = widths < 0
    if unknown.any():
        new = np.unique(chars[unknown])
        table[new] = [len(chr(c).encode(codec, errors="replace")) for c in new.tolist()]
        widths = table[chars]
    return widths


def _utf8_widths(chars: np.ndarray) -> np.ndarray:
    """UTF-8 length of each code point, by its range; an escaped undecodable byte is one byte and
    a lone surrogate one (it is encoded as `?`)."""
    w = 1 + (chars >= 0x80).astype(np.int8)
    w += chars >= 0x800
    if chars.dtype == np.uint8:
        return w
    w += chars >= 0x10000
    one = ((chars - ESC_BASE) < 0x100) | ((chars - 0xD800) < 0x800)   # unsigned: below wraps around
    if one.any():
        w[one] = 1
    return w


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
