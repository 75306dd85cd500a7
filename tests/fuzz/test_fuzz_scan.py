"""Fuzzing every reader and container through the scanner: mutated seed files of every format.

The property: a scan of any file finishes within a time bound and without ballooning memory,
and the file and every member found in it have a manifest row with a settled status. An
exception out of the scanner, a hang, a runaway allocation or a native abort is a finding. The
scans run in a child process with a memory limit (`fuzz_worker`), so a finding fails its test
instead of killing pytest or the machine.
Run briefly (fixed examples) in `make test`; `make fuzz` runs the `fuzz` profile.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from fuzz_seeds import FORMATS, mutate, mutations, seeds
from fuzz_worker import ScanProcess
from hypothesis import given, settings

STATUSES = {"done", "partial", "failed", "skipped"}
SECONDS = 20          # one scan of one small file, at most
MAX_RSS = 2 << 30     # peak resident memory of the scanning process, bytes
PROFILE = settings.get_profile("fuzz" if settings.get_current_profile_name() == "fuzz" else "fuzz-brief")


@pytest.fixture(scope="module")
def scanner():
    tmp = Path(tempfile.mkdtemp(prefix="leaktrace-fuzz-"))
    proc = ScanProcess(tmp, SECONDS)
    yield proc
    proc.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def scan(scanner: ScanProcess, files: dict[str, bytes]) -> dict[str, list[tuple[str, str, str]]]:
    """The manifest rows of each file, checked: a row for the file, settled statuses, bounded memory."""
    got, rss = scanner.scan(files)
    assert rss < MAX_RSS, f"peak RSS {rss >> 20} MiB"
    for name, rows in got.items():
        assert rows and rows[0][0].endswith(f"-{name}"), f"no manifest row for {name}"
        assert {status for _, status, _ in rows} <= STATUSES, rows
    return got


def test_seeds_are_read_as_their_format(scanner):
    """The seeds themselves are valid: each is read without a problem (and so as its format: a
    misread seed would fail or be skipped)."""
    for name, rows in scan(scanner, seeds()).items():
        assert all(status == "done" and not reason for _, status, reason in rows), rows
        assert len(rows) > 1 or FORMATS[name] not in ("zip", "gzip", "bzip2", "xz", "7z"), rows


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_mutated_files_scan_to_a_settled_status(scanner, name):
    @PROFILE
    @given(ops=mutations(sorted(FORMATS)))
    def scan_mutant(ops: list[tuple]) -> None:
        scan(scanner, {name: mutate(seeds()[name], ops)})

    scan_mutant()
