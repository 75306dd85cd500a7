"""Scan progress: a Rich bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn,
                           TransferSpeedColumn, DownloadColumn)

from .ingest.walk import EvidenceFile
from .mask import redact
from .terminal import literal

PLAIN_EVERY = 10.0
BAR_EVERY = 0.1


class ScanProgress:
    """Progress over the files of an evidence folder, against their known count and bytes."""

    def __init__(self, total_files: int, total_bytes: int, console: Console):
        self.console = console
        self.total_files, self.total_bytes = total_files, total_bytes
        self.done_files = 0
        self.done_bytes = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar: Progress | None = None

    def __enter__(self) -> "ScanProgress":
        if self.console.is_terminal:
            self.bar = Progress(
                TextColumn("[bold]scan"), BarColumn(), MofNCompleteColumn(), DownloadColumn(),
                TransferSpeedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[item]}"),
                console=self.console, transient=False,
            )
            self.bar.start()
            self.task = self.bar.add_task("scan", total=self.total_bytes or 1, item="")
        return self

    def update(self, ef: EvidenceFile, stats) -> None:
        self.done_files += 1
        self.done_bytes += ef.size
        now = time.monotonic()
        if self.bar:
            if now - self.last_line >= BAR_EVERY:   # the bar redraws at its own pace; a call per file costs
                self.last_line = now
                self.bar.update(self.task, completed=self.done_bytes, item=literal(redact(ef.path)[-50:]))
            return
        if now - self.last_line >= PLAIN_EVERY:
            self.last_line = now
            self.console.print(self.line(now), highlight=False)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done_bytes / elapsed
        left = (self.total_bytes - self.done_bytes) / rate if rate else 0
        return (f"scan: {self.done_files}/{self.total_files} files, {self.done_bytes / 1e6:.1f}/"
                f"{self.total_bytes / 1e6:.1f} MB, {rate / 1e6:.1f} MB/s, ETA {left:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.update(self.task, completed=self.done_bytes, item="")
            self.bar.stop()
        else:
            self.console.print(self.line(time.monotonic()), highlight=False)
