"""SQL engines the counting, resolution and attribution stages run on.

`base.py` holds the seam (`Engine`, `Dialect`); `duckdb.py` the embedded default.
"""

from __future__ import annotations

from .base import Dialect, Engine
from .duckdb import open_case as open_engine

__all__ = ["Dialect", "Engine", "open_engine"]
