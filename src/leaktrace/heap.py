"""Heap tuning for scans: freed buffers stay in the process for reuse.

glibc hands large freed blocks (and free memory at the top of the heap) back to the kernel
at once, so the next text run's buffers are faulted in page by page again: on chat evidence
system time, mostly those faults, was a fifth of a scan's CPU time. Raising the mmap and trim
thresholds keeps the memory; the peak stays what the largest run needs.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3   # mallopt parameters (malloc.h)
MMAP_THRESHOLD = 32 << 20                     # glibc's largest allowed value on 64-bit systems
TRIM_THRESHOLD = 256 << 20


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds; False where there is no glibc `mallopt`."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) & bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
