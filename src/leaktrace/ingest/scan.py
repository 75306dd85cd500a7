"""The scan: evidence files -> hashed documents -> units -> detection, committed in batches.

Every file and archive member gets one manifest row (done / failed / skipped with
a reason). Work is committed in batches of top-level files; an interrupted scan
resumes after the last committed batch, so nothing is redone twice or lost.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterable, Protocol

from ..case.store import Batch, CaseStore
from . import containers
from .containers import CONTAINER_FORMATS, Failed, Limits
from .formats import read_document
from .sniff import sniff
from .units import Document, Member, TableBatch, TextBlock, Unreadable
from .walk import EvidenceFile, walk

HEAD_BYTES = 8192
WHOLE_BYTES = 16 << 20   # files up to this size are read once into memory; larger ones are streamed


class DocumentScan(Protocol):
    """Detection over one document's units."""

    problem: str                               # why detection failed on it, after `flush` ("" if it did not)

    def text(self, block: TextBlock) -> None: ...
    def table(self, tb: TableBatch) -> None: ...
    def finish(self) -> tuple[int, int]: ...   # (findings, records) of the document, after `flush`


class Detector(Protocol):
    """What the scanner hands documents to (see leaktrace.detect)."""

    def start(self, doc: Document, holder: str, batch: Batch) -> DocumentScan: ...
    def flush(self) -> None: ...   # finish the work it has deferred (before a batch is committed)


@dataclass
class ScanStats:
    files: int = 0
    skipped_done: int = 0
    documents: int = 0
    bytes: int = 0
    failed: int = 0
    findings: int = 0
    records: int = 0
    started: float = field(default_factory=time.monotonic)


class Scanner:
    def __init__(
        self,
        store: CaseStore,
        detector: Detector | None = None,
        limits: Limits = Limits(),
        batch_files: int = 1000,
        batch_bytes: int = 256 << 20,
        batch_seconds: float = 20.0,
        on_progress: Callable[[EvidenceFile, ScanStats], None] | None = None,
        manifest: str = "manifest",
    ):
        self.store = store
        self.manifest = manifest
        self.detector = detector
        self.limits = limits
        self.batch_files = batch_files
        self.batch_bytes = batch_bytes
        self.batch_seconds = batch_seconds
        self.on_progress = on_progress
        self.stats = ScanStats()
        self._rows: list[dict] = []                               # manifest rows of the open batch
        self._counted: list[tuple[dict, DocumentScan]] = []       # rows whose counts come at commit

    def scan(self, root: Path, holder: str | None = None, files: Iterable[EvidenceFile] | None = None) -> ScanStats:
        """Scan every file under `root` (`files`: those of a walk of it already listed)."""
        self.store.recover()
        done = self.store.done_paths(self.manifest)
        batch, files_in, size, since = self.store.new_batch(), 0, 0, time.monotonic()
        for ef in walk(root, holder) if files is None else files:
            if ef.path in done:
                self.stats.skipped_done += 1
                self._progress(ef)
                continue
            self._scan_file(ef, batch)
            files_in += 1
            size += ef.size
            self.stats.files += 1
            self.stats.bytes += ef.size
            self._progress(ef)
            if files_in >= self.batch_files or size >= self.batch_bytes or time.monotonic() - since > self.batch_seconds:
                self._commit(batch)
                batch, files_in, size, since = self.store.new_batch(), 0, 0, time.monotonic()
        self._commit(batch)
        return self.stats

    def _commit(self, batch: Batch) -> None:
        """Let the detector finish, fill in the documents' counts, add the manifest rows and commit."""
        if self.detector:
            self.detector.flush()
        for row, det in self._counted:
            self._count(row, det)
        batch.add(self.manifest, self._rows)
        batch.commit()
        self._rows, self._counted = [], []

    def _count(self, row: dict, det: DocumentScan) -> None:
        """A document's finding and record counts, and a failure of its detection, into its manifest row."""
        row["findings"], row["records"] = det.finish()
        self.stats.findings += row["findings"]
        self.stats.records += row["records"]
        if det.problem:
            self.stats.failed += row["status"] != "failed"
            row["status"] = "failed"
            row["reason"] = "; ".join(filter(None, [row["reason"], det.problem]))

    def _progress(self, ef: EvidenceFile) -> None:
        if self.on_progress:
            self.on_progress(ef, self.stats)

    def _scan_file(self, ef: EvidenceFile, batch: Batch) -> None:
        mtime = datetime.fromtimestamp(ef.mtime, timezone.utc).isoformat(timespec="seconds")
        base = {"holder": ef.holder, "mtime": mtime}
        if ef.skip_reason:
            self._rows.append(_row(ef.path, None, 0, 0, status="skipped", reason=ef.skip_reason, **base))
            return
        try:
            self._scan_document(_file_document(ef), ef.holder, None, batch, mtime)
        except OSError as exc:
            self._rows.append(_row(ef.path, None, 0, ef.size, status="failed",
                                   reason=f"cannot read file: {exc.strerror or exc}", **base))
            self.stats.failed += 1

    def _scan_document(self, doc: Document, holder: str, parent: str | None, batch: Batch, mtime: str | None = None) -> None:
        self.stats.documents += 1
        digest, head = _hash_and_head(doc)
        fmt = sniff(doc.name, head, doc.open)
        row = _row(doc.path, parent, doc.depth, doc.size, holder=holder, mtime=mtime, sha256=digest, format=fmt)
        if fmt in CONTAINER_FORMATS:
            self._scan_container(doc, fmt, holder, batch, row)
        elif fmt == "empty":
            row.update(status="skipped", reason="empty file (0 bytes)")
        elif fmt == "binary":
            row.update(status="skipped", reason="binary content, not a known format and not text")
        elif fmt == "sqlite_wal":
            row.update(status="skipped", reason="SQLite write-ahead log: its rows are read with the database "
                                                "beside it")
        else:
            self._read(doc, fmt, holder, batch, row)
        if row["status"] == "failed":
            self.stats.failed += 1
        self._rows.append(row)

    def _scan_container(self, doc: Document, fmt: str, holder: str, batch: Batch, row: dict) -> None:
        if doc.depth >= self.limits.max_depth:
            row.update(status="skipped", reason=f"nesting deeper than {self.limits.max_depth} containers")
            return
        problems = []
        for item in containers.members(doc, fmt, self.limits):
            if isinstance(item, Failed):
                if not item.name:
                    problems.append(item.reason)
                    continue
                label = containers.member_label(item.name)
                self._rows.append(_row(f"{doc.path}!{label}", doc.path, doc.depth + 1, item.size,
                                       holder=holder, status="failed", reason=item.reason))
                self.stats.failed += 1
            else:
                self._scan_document(item, holder, doc.path, batch)
        if problems:
            row.update(status="failed", reason="; ".join(problems))

    def _read(self, doc: Document, fmt: str, holder: str, batch: Batch, row: dict) -> None:
        det = self.detector.start(doc, holder, batch) if self.detector else None
        problems: list[str] = []
        units, result = read_document(doc, fmt)
        try:
            for unit in units:
                if isinstance(unit, TextBlock):
                    if det:
                        det.text(unit)
                elif isinstance(unit, TableBatch):
                    if det:
                        det.table(unit)
                elif isinstance(unit, Member):
                    self._scan_member(doc, unit, holder, batch)
                elif isinstance(unit, Unreadable):
                    problems.append(unit.reason)
        except Exception as exc:  # a reader failing mid-document: keep what was read, record why
            problems.append(f"reading stopped: {type(exc).__name__}: {exc}")
            row["status"] = "failed"
        if det:
            self._counted.append((row, det))
        row.update(format=result.format or fmt, encoding=result.encoding or None, tables=result.tables,
                   rows=result.rows, text_bytes=result.text_bytes)
        if problems:
            row["reason"] = "; ".join(problems[:5]) + (f"; … {len(problems) - 5} more" if len(problems) > 5 else "")

    def _scan_member(self, doc: Document, unit: Member, holder: str, batch: Batch) -> None:
        label = containers.member_label(unit.name)
        member = Document(path=f"{doc.path}!{label}", name=label.rsplit("/", 1)[-1], size=len(unit.data),
                          open=lambda d=unit.data: io.BytesIO(d), depth=doc.depth + 1, data=unit.data)
        self._scan_document(member, holder, doc.path, batch)


def _file_document(ef: EvidenceFile) -> Document:
    """The document of a file on disk: a small file's bytes read once and served from memory
    (hashing, sniffing and reading then share them), a large file reopened for each pass."""
    name = os.path.basename(ef.abspath)
    if ef.size > WHOLE_BYTES:
        return Document(path=ef.path, name=name, size=ef.size, open=lambda p=ef.abspath: open(p, "rb"),
                        source=ef.abspath)
    data = _read_whole(ef.abspath, ef.size)
    return Document(path=ef.path, name=name, size=ef.size, open=lambda: io.BytesIO(data), data=data,
                    source=ef.abspath)


def _read_whole(path: str, size: int) -> bytes:
    """A small file's bytes, read to its end (`size`, as listed, sizes the first read), through the
    file descriptor: no buffered file object per file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(fd, size + 1)]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        return chunks[0] if len(chunks) == 2 else b"".join(chunks)
    finally:
        os.close(fd)


def _hash_and_head(doc: Document) -> tuple[str, bytes]:
    """SHA-256 of a document and its first bytes, from its bytes in memory when it has them."""
    if doc.data is None:
        return hash_document(doc.open)
    return hashlib.sha256(doc.data).hexdigest(), doc.data[:HEAD_BYTES]


def hash_document(opener: Callable[[], IO[bytes]]) -> tuple[str, bytes]:
    """SHA-256 of a document's bytes (streamed) and its first bytes, for sniffing."""
    h = hashlib.sha256()
    with opener() as f:
        head = f.read(HEAD_BYTES)
        h.update(head)
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest(), head


def _row(path: str, parent: str | None, depth: int, size: int, **values) -> dict:
    row = {"path": path, "parent": parent, "depth": depth, "size": size, "status": "done", "reason": None,
           "tables": 0, "rows": 0, "text_bytes": 0, "findings": 0, "records": 0}
    row.update(values)
    return row
