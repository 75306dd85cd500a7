"""Heap tuning: memory of a freed large buffer is reused without faulting its pages in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leaktrace import heap

REUSE = """
import resource
from leaktrace.heap import keep_freed_memory
if {tune}:
    assert keep_freed_memory()
a = b"x" * (24 << 20); del a
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = b"x" * (20 << 20); del a
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults_on_reuse(tune: bool) -> int:
    out = subprocess.run([sys.executable, "-c", REUSE.format(tune=tune)], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc mallopt")
def test_freed_buffer_is_reused_without_page_faults():
    pages = (20 << 20) // 4096
    assert _faults_on_reuse(False) > pages // 2      # glibc returned it to the kernel
    assert _faults_on_reuse(True) < pages // 20      # kept: no page is faulted in again


def test_without_glibc_it_reports_false(monkeypatch):
    def no_libc(name):
        raise OSError("no C library")
    monkeypatch.setattr(heap.ctypes, "CDLL", no_libc)
    assert heap.keep_freed_memory() is False
