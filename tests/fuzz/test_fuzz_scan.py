"""Fuzzing every reader and container through the scanner: mutated seed files of every format.

The property: a scan of any file finishes within a time bound and without ballooning memory,
and the file and every member found in it have a manifest row with a settled status. Any
exception out of the scanner, a hang or a runaway allocation is a finding.
Run briefly (fixed examples) in `make test`; `make fuzz` runs the `fuzz` profile.
"""

from __future__ import annotations

import itertools
import resource
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from fuzz_seeds import FORMATS, mutated, seeds
from hypothesis import given, settings

from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner

STATUSES = {"done", "partial", "failed", "skipped"}
SECONDS = 20          # one scan of one small file, at most
MAX_RSS = 2 << 30     # peak resident memory of the test process, bytes
PROFILE = settings.get_profile("fuzz" if settings.get_current_profile_name() == "fuzz" else "fuzz-brief")


class Bench:
    """One case and one detector shared by all examples; each example's file has its own name."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="leaktrace-fuzz-"))
        self.store = CaseStore(self.tmp / "case", create=True)
        self.detector = Detector()
        self.count = itertools.count()

    def scan(self, files: dict[str, bytes]) -> dict[str, list[tuple[str, str, str]]]:
        """Scan files of these names and contents; (path, status, reason) of the manifest rows of each."""
        n = next(self.count)
        root = self.tmp / f"ev{n}"
        (root / "h").mkdir(parents=True)
        paths = {name: f"h/{n}-{name}" for name in files}
        for name, data in files.items():
            (root / paths[name]).write_bytes(data)
        with time_limit(SECONDS * len(files)):
            Scanner(self.store, self.detector).scan(root)
        with self.store.connect() as con:
            return {name: con.execute("SELECT path, status, coalesce(reason, '') FROM manifest "
                                      "WHERE path = ? OR starts_with(path, ?) ORDER BY path",
                                      [path, path + "!"]).fetchall() for name, path in paths.items()}


@pytest.fixture(scope="module")
def bench() -> Bench:
    return Bench()


@contextmanager
def time_limit(seconds: float):
    """Raise `TimeoutError` in the main thread if the block runs longer than `seconds`."""
    def expire(signum, frame):
        raise TimeoutError(f"scan still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(rows: list[tuple[str, str, str]], name: str) -> None:
    assert rows and rows[0][0].endswith(f"-{name}"), "no manifest row for the scanned file"
    assert {status for _, status, _ in rows} <= STATUSES, rows
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MAX_RSS


def test_seeds_are_read_as_their_format(bench):
    """The seeds themselves are valid: each is sniffed as its format and read without a problem."""
    for name, rows in bench.scan(seeds()).items():
        check(rows, name)
        with bench.store.connect() as con:
            fmt = con.execute("SELECT format FROM manifest WHERE path = ?", [rows[0][0]]).fetchone()[0]
        assert fmt == FORMATS[name]
        assert all(status == "done" and not reason for _, status, reason in rows), rows


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_mutated_files_scan_to_a_settled_status(bench, name):
    @PROFILE
    @given(data=mutated(name))
    def scan_mutant(data: bytes) -> None:
        check(bench.scan({name: data})[name], name)

    scan_mutant()
