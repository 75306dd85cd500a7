"""The fuzzing harness's scanning process: scans files into its own case under a memory limit.

Some libraries abort the process or allocate without bound on hostile input (native code that no
`except` reaches), so the scans run in a child process: a child that dies, hangs or grows past its
limit is a finding reported by the parent, and the next example gets a fresh child.
"""

from __future__ import annotations

import itertools
import multiprocessing
import resource
import shutil
import signal
import traceback
from pathlib import Path

ADDRESS_SPACE = 4 << 30   # the child's virtual memory limit (RLIMIT_AS), bytes
STARTUP = 120.0           # seconds a child may take to import and open its case
CASE_SCANS = 20           # scans into one case before the child starts a new one


class ScanProcess:
    """A child process that scans files on request; restarted after it dies or hangs."""

    def __init__(self, tmp: Path, seconds: float):
        self.tmp, self.seconds = tmp, seconds
        self.proc = self.conn = None

    def scan(self, files: dict[str, bytes]) -> tuple[dict[str, list[tuple[str, str, str]]], int]:
        """Manifest rows (path, status, reason) of each file scanned, and the child's peak RSS in
        bytes; AssertionError if the scan raised, hung or killed the child."""
        if self.proc is None or not self.proc.is_alive():
            self._start()
        self.conn.send(files)
        limit = self.seconds * len(files) + 10   # the child's own alarm goes first
        if not self.conn.poll(limit):
            self.stop()
            raise AssertionError(f"scan still running after {limit} s")
        try:
            kind, payload = self.conn.recv()
        except EOFError:
            self.proc.join(5)
            code = self.proc.exitcode
            self.proc = None
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise AssertionError(f"scanning process died ({why})") from None
        if kind == "error":
            raise AssertionError(f"exception out of the scanner:\n{payload}")
        return payload

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=serve, args=(child, str(self.tmp), self.seconds))
        self.proc.start()
        child.close()
        if not self.conn.poll(STARTUP):
            self.stop()
            raise AssertionError("scanning process did not start")
        self.conn.recv()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None


def serve(conn, tmp: str, seconds: float) -> None:
    """The child: scan each batch of files it is sent into its own case, reply with the rows."""
    import os

    from leaktrace.case.store import CaseStore
    from leaktrace.detect.engine import Detector
    from leaktrace.ingest.scan import Scanner

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    work = Path(tmp) / f"worker-{os.getpid()}"
    detector = Detector()
    conn.send(("ready", None))
    for n in itertools.count():
        try:
            files = conn.recv()
        except EOFError:
            return
        if n % CASE_SCANS == 0:   # a case's every scan reads all its manifest parts: keep cases small
            shutil.rmtree(work, ignore_errors=True)
            store = CaseStore(work / "case", create=True)
        root = work / f"ev{n}"
        paths = {name: f"h/{n}-{name}" for name in files}
        (root / "h").mkdir(parents=True)
        for name, data in files.items():
            (root / paths[name]).write_bytes(data)
        try:
            with _time_limit(seconds * len(files)):
                Scanner(store, detector).scan(root)
        except BaseException:  # noqa: BLE001 - whatever escapes the scanner is the finding
            conn.send(("error", traceback.format_exc()))
            continue
        with store.connect() as con:
            rows = {name: con.execute("SELECT path, status, coalesce(reason, '') FROM manifest "
                                      "WHERE path = ? OR starts_with(path, ?) ORDER BY path",
                                      [path, path + "!"]).fetchall() for name, path in paths.items()}
        conn.send(("rows", (rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)))


class _time_limit:
    """Raise `TimeoutError` in the block after `seconds` (for a scan stuck in Python code)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        def expire(signum, frame):
            raise TimeoutError(f"scan still running after {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)
