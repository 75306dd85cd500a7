"""The scan: evidence files -> hashed documents -> units -> detection, committed in batches.

Every file and archive member gets one manifest row (done / partial / failed /
skipped with a reason). Work is committed in batches of top-level files; an
interrupted scan resumes after the last committed batch, so nothing is redone
twice or lost.

Nothing a file does ends the scan: every document is read behind a guard that
records any exception as the document's failure; readers built on native code
run in a worker process with memory and time limits (`isolate`); and the file
being read is noted in the case (`CaseStore.inflight`), so that when the
process itself dies on a file, the resumed scan reads that file only in the
worker, and records it failed if it ended the process twice.
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

from ..case.store import Batch, CaseStore, CaseWriteError
from . import containers
from .containers import CONTAINER_FORMATS, Budget, Failed, Limits
from .formats import read_document
from .isolate import ISOLATED_FORMATS, IsolatedReader
from .sniff import sniff
from .units import Document, Member, TableBatch, TextBlock, Unreadable
from .walk import EvidenceFile, walk

HEAD_BYTES = 8192
WHOLE_BYTES = 16 << 20   # files up to this size are read once into memory; larger ones are streamed
# Exceptions that are the user's, the interpreter's or the case's (a failed write), not a file's:
# they end the scan.
_STOPS = (KeyboardInterrupt, SystemExit, GeneratorExit, CaseWriteError)
_NOATIME = getattr(os, "O_NOATIME", 0)


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
        isolated: IsolatedReader | None = None,
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
        self.isolated = isolated or IsolatedReader(tmp_dir=str(store.spill))
        self._rows: list[dict] = []                               # manifest rows of the open batch
        self._counted: list[tuple[dict, DocumentScan]] = []       # rows whose counts come at commit
        self._budget: Budget | None = None                        # of the evidence file being read
        self._isolate_all = False                                 # read every document in the worker

    def scan(self, root: Path, holder: str | None = None, files: Iterable[EvidenceFile] | None = None) -> ScanStats:
        """Scan every file under `root` (`files`: those of a walk of it already listed)."""
        self.store.recover()
        self.store.spill.mkdir(parents=True, exist_ok=True)
        done = self.store.done_paths(self.manifest)
        died = self.store.inflight.died_on()
        batch, files_in, size, since = self.store.new_batch(), 0, 0, time.monotonic()
        try:
            for ef in walk(root, holder) if files is None else files:
                if ef.path in done:
                    self.stats.skipped_done += 1
                    self._progress(ef)
                    continue
                attempts = died.get(ef.path, 0)
                self.store.inflight.start(ef.path, attempts + 1)
                if attempts >= 2:
                    self._died_twice(ef)
                else:
                    self._isolate_all = attempts == 1
                    self._scan_file(ef, batch)
                self._isolate_all = False
                files_in, size = files_in + 1, size + ef.size
                self.stats.files += 1
                self.stats.bytes += ef.size
                self._progress(ef)
                if files_in >= self.batch_files or size >= self.batch_bytes or time.monotonic() - since > self.batch_seconds:
                    self._commit(batch)
                    self.store.inflight.clear()
                    batch, files_in, size, since = self.store.new_batch(), 0, 0, time.monotonic()
            self._commit(batch)
            self.store.inflight.clear()
        finally:
            self.isolated.close()
        return self.stats

    def _died_twice(self, ef: EvidenceFile) -> None:
        """Record a file on which the scan process died twice (the second time reading it in the worker)."""
        mtime = datetime.fromtimestamp(ef.mtime, timezone.utc).isoformat(timespec="seconds")
        self._rows.append(_row(ef.path, None, 0, ef.size, holder=ef.holder, mtime=mtime, status="failed",
                               reason="the scan process ended twice while reading this file (a crash, memory "
                                      "exhausted, or killed); not read again"))
        self.stats.failed += 1

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
            status = "failed" if ef.unreadable else "skipped"
            self.stats.failed += ef.unreadable
            self._rows.append(_row(ef.path, None, 0, 0, status=status, reason=ef.skip_reason, **base))
            return
        self._budget = self.limits.budget(ef.size)
        try:
            doc = _file_document(ef)
        except OSError as exc:
            self._rows.append(_row(ef.path, None, 0, ef.size, status="failed",
                                   reason=f"cannot read file: {exc.strerror or exc}", **base))
            self.stats.failed += 1
            return
        self._scan_document(doc, ef.holder, None, batch, mtime)

    def _scan_document(self, doc: Document, holder: str, parent: str | None, batch: Batch, mtime: str | None = None) -> None:
        """One file or member into the manifest; whatever it raises fails it alone."""
        self.stats.documents += 1
        row = _row(doc.path, parent, doc.depth, doc.size, holder=holder, mtime=mtime)
        try:
            self._read_document(doc, holder, batch, row)
        except _STOPS:
            raise
        except BaseException as exc:  # noqa: BLE001 - nothing a file does may end the scan
            _fail(row, f"reading stopped: {_describe(exc)}")
        if row["status"] == "failed":
            self.stats.failed += 1
        self._rows.append(row)

    def _read_document(self, doc: Document, holder: str, batch: Batch, row: dict) -> None:
        digest, head = _hash_and_head(doc)
        fmt = sniff(doc.name, head, doc.open)
        row.update(sha256=digest, format=fmt)
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

    def _scan_container(self, doc: Document, fmt: str, holder: str, batch: Batch, row: dict) -> None:
        if doc.depth >= self.limits.max_depth:
            row.update(status="skipped", reason=f"nesting deeper than {self.limits.max_depth} containers")
            return
        problems, read = [], 0
        try:
            for item in containers.members(doc, fmt, self.limits, self._budget, str(self.store.spill)):
                if isinstance(item, Failed):
                    if not item.name:
                        problems.append(item.reason)
                        continue
                    label = containers.member_label(item.name)
                    self._rows.append(_row(f"{doc.path}!{label}", doc.path, doc.depth + 1, item.size,
                                           holder=holder, status="failed", reason=item.reason))
                    self.stats.failed += 1
                else:
                    read += 1
                    self._scan_document(item, holder, doc.path, batch)
                if reason := self._budget.exhausted():
                    problems.append(f"members after the {read} read not listed: {reason}")
                    break
        except _STOPS:
            raise
        except BaseException as exc:  # noqa: BLE001 - the archive's reader gave up mid-way
            problems.append(f"reading stopped after {read} members: {_describe(exc)}")
        if problems:
            _fail(row, "; ".join(problems), partly=read > 0)

    def _read(self, doc: Document, fmt: str, holder: str, batch: Batch, row: dict) -> None:
        det = self.detector.start(doc, holder, batch) if self.detector else None
        problems: list[str] = []
        isolate = self._isolate_all or fmt in ISOLATED_FORMATS
        units, result = self.isolated.read(doc, fmt) if isolate else read_document(doc, fmt)
        read, embedded = 0, []
        try:
            for unit in units:
                if isinstance(unit, Unreadable):
                    problems.append(unit.reason)
                    continue
                read += 1
                if isinstance(unit, TextBlock):
                    if det:
                        det.text(unit)
                elif isinstance(unit, TableBatch):
                    if det:
                        det.table(unit)
                elif isinstance(unit, Member):
                    embedded.append(unit)      # scanned once this document's reader is done with
                if reason := self._budget.exhausted():
                    problems.append(f"reading stopped: {reason}")
                    break
        except _STOPS:
            raise
        except BaseException as exc:  # noqa: BLE001 - a reader failing mid-document: keep what was read
            problems.append(f"reading stopped: {_describe(exc)}")
        finally:
            units.close()
            if det:
                self._counted.append((row, det))
        for unit in embedded:
            self._scan_member(doc, unit, holder, batch)
        row.update(format=result.format or fmt, encoding=result.encoding or None, tables=result.tables,
                   rows=result.rows, text_bytes=result.text_bytes)
        if result.notes:      # how it was read, where that is not the plain way (the status stays)
            row["reason"] = _first(result.notes, 3)
        if problems:
            _fail(row, _first(problems, 5), partly=read > 0)

    def _scan_member(self, doc: Document, unit: Member, holder: str, batch: Batch) -> None:
        label = containers.member_label(unit.name)
        member = Document(path=f"{doc.path}!{label}", name=label.rsplit("/", 1)[-1], size=len(unit.data),
                          open=lambda d=unit.data: io.BytesIO(d), depth=doc.depth + 1, data=unit.data)
        self._scan_document(member, holder, doc.path, batch)


def _fail(row: dict, reason: str, partly: bool = False) -> None:
    """Mark a manifest row `partial` (some of it was read) or `failed`, with the reason."""
    row["reason"] = "; ".join(filter(None, [row["reason"], reason]))
    if row["status"] != "failed":
        row["status"] = "partial" if partly else "failed"


def _first(reasons: list[str], n: int) -> str:
    """The first `n` reasons, and how many more there are."""
    return "; ".join(reasons[:n]) + (f"; … {len(reasons) - n} more" if len(reasons) > n else "")


def _describe(exc: BaseException) -> str:
    """An exception as a short reason: its class and its first 300 characters."""
    text = str(exc)
    return f"{type(exc).__name__}: {text[:300]}{'…' if len(text) > 300 else ''}" if text else type(exc).__name__


def open_evidence(path: str) -> IO[bytes]:
    """An evidence file opened for reading, without touching its access time where allowed."""
    return os.fdopen(_open_fd(path), "rb")


def _open_fd(path: str) -> int:
    try:
        return os.open(path, os.O_RDONLY | _NOATIME)
    except PermissionError:   # O_NOATIME is only for the file's owner (or root)
        return os.open(path, os.O_RDONLY)


def _file_document(ef: EvidenceFile) -> Document:
    """The document of a file on disk: a small file's bytes read once and served from memory
    (hashing, sniffing and reading then share them), a large file reopened for each pass."""
    name = os.path.basename(ef.abspath)
    if ef.size > WHOLE_BYTES:
        return Document(path=ef.path, name=name, size=ef.size, open=lambda p=ef.abspath: open_evidence(p),
                        source=ef.abspath)
    data = _read_whole(ef.abspath, ef.size)
    return Document(path=ef.path, name=name, size=ef.size, open=lambda: io.BytesIO(data), data=data,
                    source=ef.abspath)


def _read_whole(path: str, size: int) -> bytes:
    """A small file's bytes, read to its end (`size`, as listed, sizes the first read), through the
    file descriptor: no buffered file object per file."""
    fd = _open_fd(path)
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
