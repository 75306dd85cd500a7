"""The engine seam: what `records/`, `resolve/` and `attribute/` ask of a SQL engine.

A stage builds its steps as named tables from SQL and reads small results back; it
never holds a driver connection. An `Engine` runs statements, materialises a named
step, registers Arrow tables, writes Parquet and drops steps; its `Dialect` spells the
SQL that differs between engines: 128-bit key ids, list lambdas, `arg_max` over a
ranking, updates from another table. DuckDB (`engines/duckdb.py`) is the embedded
default; another engine (Spark) implements these two classes. See docs/engines.md.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pyarrow as pa


class Dialect(ABC):
    """The engine-specific spellings of the SQL the stages share."""

    #: The engine's name (`duckdb`, ...).
    name: str

    # -- identifier key ids -------------------------------------------
    @abstractmethod
    def key_id(self, expr: str) -> str:
        """SQL: the 128-bit id of an identifier key string (MD5 as a number: no collision in practice)."""

    #: The SQL type of a key id (an unsigned 128-bit integer).
    key_id_type: str

    @abstractmethod
    def key_id_low64(self, k: str) -> str:
        """SQL: the low 64 bits of key id `k` as an unsigned 64-bit integer."""

    @abstractmethod
    def key_id_columns(self, k: str) -> str:
        """SQL: key id `k` as two unsigned 64-bit columns `k_hi, k_lo` (Parquet has no 128-bit integer)."""

    @abstractmethod
    def key_id_from_columns(self, hi: str = "k_hi", lo: str = "k_lo") -> str:
        """SQL: the key id back from the columns of `key_id_columns`."""

    @abstractmethod
    def hash64(self, expr: str) -> str:
        """SQL: a 64-bit hash of a value (compared within one run, never stored)."""

    # -- lists ----------------------------------------------------------
    @abstractmethod
    def list_transform(self, items: str, var: str, expr: str) -> str:
        """SQL: `expr` (of element `var`) applied to every element of list `items`."""

    @abstractmethod
    def list_filter(self, items: str, var: str, condition: str) -> str:
        """SQL: the elements `var` of list `items` for which `condition` holds."""

    # -- aggregates and updates ---------------------------------------
    @abstractmethod
    def arg_max_ranked(self, value: str, ranks: Sequence[tuple[str, int]]) -> str:
        """SQL aggregate: `value` of the row ranked highest by `ranks`, a list of
        `(expr, bits)` compared in order; each `expr` must lie in [0, 2**bits)."""

    @abstractmethod
    def update_from(self, table: str, column: str, value: str, source: str, condition: str) -> str:
        """SQL: set `table.column` to `value` where `condition` joins a row of `source` (`name alias`)."""


class Engine(ABC):
    """A SQL session over a case's tables (views `records`, `ref_records`, `manifest`, ...).

    Named steps live as long as the session; `drop` them as soon as they are used (they
    hold memory and spill space)."""

    dialect: Dialect

    @abstractmethod
    def run(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Execute statements for their effect."""

    @abstractmethod
    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """The rows of a query, as tuples."""

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first column of a query's first row."""
        return self.rows(sql, params)[0][0]

    def count(self, name: str) -> int:
        """Rows of a named table or view."""
        return self.scalar(f"SELECT count(*) FROM {name}")

    @abstractmethod
    def materialize(self, name: str, sql: str, params: Sequence[Any] | None = None) -> None:
        """Compute a query into named step `name` (replacing one of that name); `params` fill its `?`."""

    @abstractmethod
    def view(self, name: str, sql: str) -> None:
        """Name a query without computing it (`name` is re-evaluated where used)."""

    @abstractmethod
    def create(self, name: str, columns: str) -> None:
        """An empty named step with the given column definitions (`a BIGINT, b VARCHAR`)."""

    @abstractmethod
    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """The result of a query as an Arrow table."""

    @abstractmethod
    def numpy(self, sql: str, params: Sequence[Any] | None = None) -> dict[str, np.ndarray]:
        """The result of a query as one NumPy array per column."""

    @abstractmethod
    def register_arrow(self, name: str, data: pa.Table) -> None:
        """Make an Arrow table queryable as `name` (until `unregister`)."""

    @abstractmethod
    def unregister(self, name: str) -> None:
        """Forget an Arrow table registered as `name`."""

    @abstractmethod
    def write_parquet(self, sql: str, path: Path) -> None:
        """Write the result of a query to one Parquet file (zstd)."""

    @abstractmethod
    def read_parquet(self, name: str, path: Path) -> None:
        """Make a Parquet file (a stage's derived table) queryable as view `name`."""

    @abstractmethod
    def drop(self, *names: str) -> None:
        """Drop named steps (missing ones are ignored)."""

    @abstractmethod
    def scratch(self) -> AbstractContextManager[tuple[Engine, Any]]:
        """A fresh, empty session of this engine and Splink's database API over it (for
        linkage, which keeps lazy results open on its session); closed on exit."""
