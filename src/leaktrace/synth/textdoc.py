"""Free-text evidence documents whose identifiers and hard negatives are registered as written."""
from __future__ import annotations

from pathlib import Path

from .truth import Doc, Truth
from .writers import encode


class TextDoc:
    """Accumulates text; ``id()``/``neg()`` insert a value and register it in truth."""

    def __init__(self, truth: Truth, evidence: Path, path: str, holder: str | None = None):
        self.truth, self.path = truth, path
        self.disk = evidence / path
        self.doc: Doc = truth.doc(path, holder or path.split("/", 1)[0])
        self.parts: list[str] = []

    def add(self, text: str) -> "TextDoc":
        self.parts.append(text)
        return self

    def id(self, kind: str, value: str, written: str | None = None) -> str:
        """Register a valid identifier (returns its written form for use in text)."""
        self.doc.find(kind, value)
        return written if written is not None else value

    def neg(self, kind: str, raw: str) -> str:
        self.truth.negative(self.path, kind, raw)
        return raw

    def record(self, person: int, source: str, subject: list, others: list = ()) -> None:
        self.doc.record(person, source, subject, others)

    def text(self) -> str:
        return "".join(self.parts)

    def save(self, encoding: str = "utf-8", newline: str = "\n") -> None:
        self.disk.parent.mkdir(parents=True, exist_ok=True)
        text = self.text()
        if newline != "\n":
            text = text.replace("\n", newline)
        self.disk.write_bytes(encode(text, encoding))
        self.doc.close()
