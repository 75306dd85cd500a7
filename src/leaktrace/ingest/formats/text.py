"""Plain text via `decode.text_blocks`."""

from __future__ import annotations

from typing import Iterator

from ..decode import text_blocks
from ..units import Document, ReadResult, Unit
from .common import document_encoding


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Decode the document in its detected encoding; byte offsets are into the document."""
    with doc.open() as fh:
        encoding = document_encoding(doc, fh)
    yield from read_encoded(doc, result, encoding)


def read_encoded(doc: Document, result: ReadResult, encoding: str) -> Iterator[Unit]:
    """Text blocks of the document in a known encoding."""
    result.encoding = result.encoding or encoding
    with doc.open() as fh:
        for block in text_blocks(fh, encoding):
            result.text_bytes = fh.tell()
            yield block
