"""Whether Hyperscan does the multi-pattern matching (detection, SQL sniffing) or Python's `re`."""

from __future__ import annotations

import os

try:
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None


def use_hyperscan() -> bool:
    """True unless `LEAKTRACE_MATCHER=re` or Hyperscan is not importable."""
    return hyperscan is not None and os.environ.get("LEAKTRACE_MATCHER", "").lower() != "re"
