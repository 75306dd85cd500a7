"""Reading documents in a worker process with memory and time limits.

Some readers call native libraries that hostile input can abort or make allocate
without bound (calamine sizes a sheet from its corner cells; a Rust allocation
failure aborts the process). Such documents are read by one long-lived worker
process under an address-space limit: units come back one at a time over a
pipe, and a worker that dies or runs past its time is replaced, the document
recorded with the cause, and the scan goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import tempfile
import time
from dataclasses import dataclass
from typing import Iterator

from .units import Document, ReadResult, Unit, Unreadable

# Formats whose readers rest on native code that cannot be checked before the call.
ISOLATED_FORMATS = frozenset({"xlsx", "xlsm", "xls", "ods", "pdf", "ole", "docx", "rtf"})
INLINE_BYTES = 64 << 20    # members up to this size go to the worker as bytes, larger ones as a temp file
# What a document is read as again when its reader's process died before giving anything.
FALLBACKS = {"xlsx": "xlsx_cells", "xlsm": "xlsx_cells"}


@dataclass(frozen=True)
class WorkerLimits:
    """What one document may cost the worker."""

    memory_bytes: int = 1536 << 20     # address space of the worker (its imports take ~350 MB)
    base_seconds: float = 120.0        # time for any document ...
    bytes_per_second: int = 100 << 10  # ... plus its size at this (slow) rate


class IsolatedReader:
    """Reads documents in a worker process; use as a context manager."""

    def __init__(self, limits: WorkerLimits = WorkerLimits(), tmp_dir: str | None = None):
        self.limits = limits
        self.tmp_dir = tmp_dir
        self._proc: mp.Process | None = None
        self._conn = None
        self._busy = False       # a document's units are still coming

    def __enter__(self) -> "IsolatedReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._proc.join(2)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join()
            self._conn.close()
            self._proc = self._conn = None

    def read(self, doc: Document, fmt: str) -> tuple[Iterator[Unit], ReadResult]:
        """The units of `doc` read as `fmt` by the worker, and its result (complete once they are)."""
        result = ReadResult(format=fmt)
        return self._units(doc, fmt, result), result

    def _units(self, doc: Document, fmt: str, result: ReadResult) -> Iterator[Unit]:
        given, death = 0, None
        attempt = self._attempt(doc, fmt, result)
        try:
            for unit in attempt:
                if isinstance(unit, _Death):
                    death = unit
                    break
                given += 1
                yield unit
        finally:
            attempt.close()
        if death is not None:
            again = not given and fmt in FALLBACKS
            yield Unreadable(death.reason + ("; read again cell by cell, as text" if again else ""))
            if again:
                yield from self._attempt(doc, FALLBACKS[fmt], result)

    def _attempt(self, doc: Document, fmt: str, result: ReadResult) -> Iterator[Unit]:
        """One job for the worker. Left before its end (the scan stopped reading), the worker is
        killed: its remaining units must not be taken for the next document's."""
        temp, ended = None, False
        if self._busy:
            raise RuntimeError("the reader process is busy with another document")
        self._busy = True
        try:
            if doc.data is not None or (doc.source is None and doc.size <= INLINE_BYTES):
                payload = ("bytes", doc.data if doc.data is not None else _read_all(doc))
            elif doc.source is not None:
                payload = ("path", doc.source)
            else:
                temp = self._spill(doc)
                payload = ("path", temp)
            conn = self._worker()
            conn.send((fmt, doc.path, doc.name, doc.size, doc.depth, payload))
            deadline = time.monotonic() + self._seconds(doc)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not conn.poll(left):
                    self._kill()
                    ended = True
                    yield Unreadable(f"reading stopped: no end after {self._seconds(doc):.0f} s "
                                     f"(time limit of the reader process)")
                    return
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError):
                    ended = True
                    yield _Death(f"reading stopped: {self._death()}")
                    return
                if kind == "unit":
                    yield value
                else:
                    ended = True
                    vars(result).update(vars(value))
                    return
        finally:
            self._busy = False
            if not ended:
                self._kill()
            if temp is not None:
                os.unlink(temp)

    def _seconds(self, doc: Document) -> float:
        return self.limits.base_seconds + doc.size / self.limits.bytes_per_second

    def _spill(self, doc: Document) -> str:
        """A large member's bytes in a private temp file (0600) for the worker to open."""
        fd, path = tempfile.mkstemp(prefix="leaktrace-member-", dir=self.tmp_dir)
        with os.fdopen(fd, "wb") as out, doc.open() as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
        return path

    def _worker(self):
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, self.limits.memory_bytes), daemon=True,
                               name="leaktrace-reader")
            try:
                proc.start()
            finally:
                child.close()
            self._proc, self._conn = proc, parent
        return self._conn

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
            self._conn.close()
            self._proc = self._conn = None

    def _death(self) -> str:
        """Why the worker ended (and forget it: the next document starts a new one)."""
        proc = self._proc
        proc.join(5)
        code = proc.exitcode
        self._kill()
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            cause = f"killed by {name}"
        else:
            cause = f"exit status {code}"
        return (f"the reader process died ({cause}): a library crashed on this file or passed the "
                f"{self.limits.memory_bytes >> 20} MB memory limit")


@dataclass
class _Death:
    """The worker died while reading (in place of a unit)."""

    reason: str


def _read_all(doc: Document) -> bytes:
    with doc.open() as f:
        return f.read()


def _serve(conn, memory_bytes: int) -> None:
    """The worker: read each document sent, send its units back, then its result."""
    from .formats import read_document, _readers
    from .scan import open_evidence

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides when to stop
    _readers()                                     # imports before the limit, once
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        fmt, path, name, size, depth, (kind, value) = job
        if kind == "bytes":
            doc = Document(path=path, name=name, size=size, open=lambda v=value: _BytesIO(v), depth=depth,
                           data=value)
        else:
            doc = Document(path=path, name=name, size=size, open=lambda p=value: open_evidence(p), depth=depth,
                           source=value)
        units, result = read_document(doc, fmt)
        try:
            for unit in units:
                conn.send(("unit", unit))
        except BaseException as exc:  # noqa: BLE001 - e.g. a unit too large to send
            conn.send(("unit", Unreadable(f"reading stopped: {type(exc).__name__}: {exc}")))
        conn.send(("result", result))


def _BytesIO(data: bytes):
    import io

    return io.BytesIO(data)
