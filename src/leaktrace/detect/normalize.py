"""Folding text for detection without moving character offsets."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

# Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space map one-to-one to
# ASCII, so offsets in folded text are offsets in the decoded original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD[0x2014] = 0x2D   # em dash used as a hyphen
_FOLD[0x2212] = 0x2D   # minus sign
_FOLD[0xFE63] = 0x2D
_FOLD[0x2010] = 0x2D
_FOLD[0x2011] = 0x2D
_FOLD[0x2013] = 0x2D   # en dash used as a hyphen
_FOLD[0x00A0] = 0x20   # no-break space
for _cp in (*range(0x2000, 0x200B), 0x202F, 0x205F):
    _FOLD[_cp] = 0x20  # the other spaces NFKC makes a plain space (thin, narrow no-break …)
_FOLD[0x00D7] = 0x2A   # multiplication sign used as a mask character


_FOLDED = re.compile("[" + "".join(map(chr, sorted(_FOLD))) + "]")


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII, one character for one."""
    if text.isascii() or not _FOLDED.search(text):
        return text
    try:   # UTF-16 code units: a small table, and every folded character is in the BMP
        units = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    except UnicodeEncodeError:   # lone surrogates: code points
        chars = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
        return _table()[chars].tobytes().decode("utf-32-le", errors="surrogatepass")
    return _table16()[units].tobytes().decode("utf-16-le")


# A JSON or log escape (`\u624b` for 手, `\n`) stands right against what follows it in text that
# holds escaped JSON; read as the character it encodes padded with spaces to the same length,
# an identifier after it is a token of its own and every offset still points into the text.
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|[nrt])")


def for_matching(text: str) -> str:
    """The text candidates are matched in: escapes read in place, then `fold`; the same length."""
    if "\\" in text:
        text = _ESCAPE.sub(_escaped, text)
    return fold(text)


def _escaped(m: re.Match) -> str:
    if m.group(1) is None:
        return "  "
    cp = int(m.group(1), 16)
    return (" " if 0xD800 <= cp <= 0xDFFF else chr(cp)) + "     "


@lru_cache(maxsize=None)
def _table() -> np.ndarray:
    """`_FOLD` as a lookup table over all code points (a vectorised `str.translate`)."""
    table = np.arange(0x110000, dtype=np.uint32)
    table[list(_FOLD)] = list(_FOLD.values())
    return table


@lru_cache(maxsize=None)
def _table16() -> np.ndarray:
    """`_table` over UTF-16 code units (surrogates map to themselves, so pairs stay whole)."""
    return _table()[:0x10000].astype(np.uint16)
