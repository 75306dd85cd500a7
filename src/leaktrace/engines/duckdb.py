"""The embedded default engine: DuckDB, over the connection `CaseStore.connect()` opens.

Named steps are temporary tables of the connection; DuckDB spills them to the case's
tmp/ folder beyond its memory limit (case/store.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
import pyarrow as pa

from .base import Dialect, Engine

if TYPE_CHECKING:   # imported where used: a scan of a new case never starts DuckDB
    import duckdb

    from ..case.store import CaseStore

# Unsigned integer types by width, for rankings packed into one number.
_UNSIGNED = ((32, "UINTEGER"), (64, "UBIGINT"))


class DuckDBDialect(Dialect):
    """DuckDB's spellings: `md5_number`, `UHUGEINT` shifts, `lambda` list functions, `arg_max`
    on a packed 32- or 64-bit ranking (a 128-bit ranking makes `arg_max` slower), `UPDATE … FROM`."""

    name = "duckdb"
    key_id_type = "UHUGEINT"

    def key_id(self, expr: str) -> str:
        return f"md5_number({expr})"

    def key_id_low64(self, k: str) -> str:
        return f"({k} & 18446744073709551615)::UBIGINT"

    def key_id_columns(self, k: str) -> str:
        return f"({k} >> 64)::UBIGINT AS k_hi, {self.key_id_low64(k)} AS k_lo"

    def key_id_from_columns(self, hi: str = "k_hi", lo: str = "k_lo") -> str:
        return f"(({hi}::UHUGEINT << 64) | {lo}::UHUGEINT)"

    def hash64(self, expr: str) -> str:
        return f"hash({expr})"

    def list_transform(self, items: str, var: str, expr: str) -> str:
        return f"list_transform({items}, lambda {var}: {expr})"

    def list_filter(self, items: str, var: str, condition: str) -> str:
        return f"list_filter({items}, lambda {var}: {condition})"

    def arg_max_ranked(self, value: str, ranks: Sequence[tuple[str, int]]) -> str:
        total = sum(bits for _, bits in ranks)
        kind = next((t for width, t in _UNSIGNED if total <= width), None)
        if kind is None:
            raise ValueError(f"ranking of {total} bits does not fit 64")
        parts, shift = [], total
        for expr, bits in ranks:
            shift -= bits
            parts.append(f"(({expr})::{kind} << {shift})" if shift else f"({expr})::{kind}")
        return f"arg_max({value}, {' | '.join(parts)})"

    def update_from(self, table: str, column: str, value: str, source: str, condition: str) -> str:
        return f"UPDATE {table} SET {column} = {value} FROM {source} WHERE {condition}"


class DuckDBEngine(Engine):
    """An `Engine` over one DuckDB connection (the caller closes it)."""

    dialect = DuckDBDialect()

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def run(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def materialize(self, name: str, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}", params or [])

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def create(self, name: str, columns: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def numpy(self, sql: str, params: Sequence[Any] | None = None) -> dict[str, np.ndarray]:
        return self.con.execute(sql, params or []).fetchnumpy()

    def register_arrow(self, name: str, data: pa.Table) -> None:
        self.con.register(name, data)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def write_parquet(self, sql: str, path: Path) -> None:
        self.con.sql(sql).write_parquet(str(path), compression="zstd")

    def read_parquet(self, name: str, path: Path) -> None:
        self.con.read_parquet(str(path)).create_view(name)

    def drop(self, *names: str) -> None:
        for name in names:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    @contextmanager
    def scratch(self) -> Iterator[tuple[DuckDBEngine, Any]]:
        import duckdb
        from splink import DuckDBAPI

        con = duckdb.connect()
        try:
            yield DuckDBEngine(con), DuckDBAPI(connection=con)
        finally:
            con.close()


@contextmanager
def open_case(store: CaseStore) -> Iterator[DuckDBEngine]:
    """A DuckDB engine over the case's tables (`CaseStore.connect()`), closed on exit."""
    with store.connect() as con:
        yield DuckDBEngine(con)
