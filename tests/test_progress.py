"""Scan progress: the bar ends at the full count however often it was drawn."""

from __future__ import annotations

import io

from rich.console import Console

from leaktrace.ingest.walk import EvidenceFile
from leaktrace.progress import ScanProgress


def _files(n: int) -> list[EvidenceFile]:
    return [EvidenceFile("h", f"h/{i}.txt", f"/nowhere/{i}.txt", 10, 0.0) for i in range(n)]


def test_bar_ends_complete():
    files = _files(5000)
    console = Console(file=io.StringIO(), force_terminal=True, width=120)
    with ScanProgress(len(files), 10 * len(files), console) as progress:
        for ef in files:
            progress.update(ef, None)
    assert progress.bar.tasks[0].completed == 10 * len(files)
    assert progress.done_files == len(files)


def test_plain_lines_without_a_terminal():
    console = Console(file=io.StringIO(), force_terminal=False, width=120)
    files = _files(3)
    with ScanProgress(len(files), 30, console) as progress:
        for ef in files:
            progress.update(ef, None)
    assert console.file.getvalue().strip().endswith("ETA 0 s")
    assert "3/3 files, 0.0/0.0 MB" in console.file.getvalue()
