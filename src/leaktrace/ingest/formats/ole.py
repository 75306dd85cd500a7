"""Word 97–2003, WPS, PowerPoint and Outlook files (OLE2 compound files) by their text runs.

There is no maintained pure-Python reader of these formats' text, so the document's bytes are
searched the way forensic string extractors do: runs of UTF-16LE text (how Word and WPS store
Chinese text) at both byte alignments, and runs of printable 8-bit text. A run becomes a
`TextBlock` at its own byte offset in the document, in its encoding, so locators point into
the file; runs without a digit or `@` (which can hold no identifier) are left out. The file is
searched 32 MiB at a time, whatever its size.
"""

from __future__ import annotations

import re
from typing import Iterator

import numpy as np

from ..units import Document, ReadResult, TextBlock, Unit

WINDOW = 32 << 20          # bytes searched at a time (an even number: UTF-16 alignments stay)
OVERLAP = 64 << 10         # read past a window's end, so a run that crosses it is whole (up to this)
MIN_RUN = 6                 # characters in a run of text
_BYTE_RUN = re.compile(rb"[\t\x20-\x7e]{8,}")
_DATA_CHAR = re.compile(r"[0-9@\uff10-\uff19\uff20]")


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """The document's text runs as `TextBlock`s, window by window (memory bounded by `WINDOW`)."""
    result.encoding = "utf-16-le"
    with doc.open() as fh:
        start = 0
        while True:
            lead = min(start, OVERLAP)
            fh.seek(start - lead)
            data = fh.read(lead + WINDOW + OVERLAP)
            last = len(data) <= lead + WINDOW
            yield from _window_blocks(data, start - lead, lead, len(data) if last else lead + WINDOW, result)
            if last:
                return
            start += WINDOW


def _window_blocks(data: bytes, offset: int, own_from: int, own_to: int, result: ReadResult) -> Iterator[TextBlock]:
    """Blocks of the runs in `data` (at byte `offset` of the document) that begin in its window,
    `data[own_from:own_to]`: the bytes around it are context, so a run that crosses the window's
    start is the previous window's and one that crosses its end is whole (up to `OVERLAP`)."""
    for align in (0, 1):
        for a, b in utf16_runs(data, align):
            if own_from <= a < own_to:
                yield from _block(data[a:b].decode("utf-16-le"), offset + a, "utf-16-le", result)
    for m in _BYTE_RUN.finditer(data):
        if own_from <= m.start() < own_to:
            yield from _block(m.group().decode("latin-1"), offset + m.start(), "latin-1", result)


def utf16_runs(data: bytes, align: int) -> list[tuple[int, int]]:
    """Byte spans of runs of at least `MIN_RUN` UTF-16LE text code units (ASCII printable and tab,
    CJK punctuation, ideographs, full-width forms) at the given byte alignment."""
    units = np.frombuffer(data, dtype="<u2", count=(len(data) - align) // 2, offset=align)
    text = ((units == 9) | ((units >= 0x20) & (units <= 0x7E)) | ((units >= 0x3000) & (units <= 0x303F))
            | ((units >= 0x4E00) & (units <= 0x9FFF)) | ((units >= 0xFF00) & (units <= 0xFFEF)))
    edges = np.diff(np.concatenate([[0], text.view(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = ends - starts >= MIN_RUN
    return [(align + 2 * a, align + 2 * b) for a, b in zip(starts[long].tolist(), ends[long].tolist())]


def _block(text: str, offset: int, encoding: str, result: ReadResult) -> Iterator[TextBlock]:
    if _DATA_CHAR.search(text):
        result.text_bytes += len(text)
        yield TextBlock(text=text + "\n", byte_offset=offset, encoding=encoding, part=f"{encoding} text")
