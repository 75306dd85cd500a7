"""SQLite databases: the stored columns of every table, read without running anything the file defines.

The evidence file is never opened for writing: a file on disk is opened by a URI with its path
escaped (`#`, `?` and `%` in a name are not URI syntax), read-only and immutable, so SQLite creates
no journal, WAL or shared-memory file beside it; a database held in memory is deserialised into
memory. A database with a write-ahead log beside it (`name-wal`, as phones leave them) is read from
a private temporary copy of both, so the rows only in the log are read too.

A file can hold hostile definitions: only ordinary tables are read (not views, not virtual
tables, whose rows live in their shadow tables, which are read), only their stored columns (virtual
generated columns are expressions and are not evaluated), by a plain table scan. Each table is read
on its own: a table that cannot be read, or only partly (damage, or over its budget of rows or
of seconds spent in SQLite), is reported as an `Unreadable` naming it, and the next table is read.
`first_row` is the 1-based record ordinal in the table.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import quote

from ..units import Document, ReadResult, Unit, Unreadable
from .common import BATCH_ROWS, cell_text, table_batches

TABLE_ROWS = 50_000_000      # rows read from one table at most
TABLE_SECONDS = 300.0        # seconds spent inside SQLite on one table at most
VALUE_BYTES = 256 << 20      # a longer text or blob value stops its table (SQLITE_LIMIT_LENGTH)
PROGRESS_STEPS = 10_000      # SQLite virtual-machine steps between budget checks


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Rows of every table as `TableBatch`es; unreadable tables as `Unreadable`s naming them."""
    try:
        with _connection(doc) as con:
            tables = _tables(con)
            for table in tables:
                yield from _table(con, table, result)
    except sqlite3.Error as exc:
        yield Unreadable(f"not a readable SQLite database: {exc}")


@contextmanager
def _connection(doc: Document) -> Iterator[sqlite3.Connection]:
    """A connection to the database that cannot change the evidence, set up for hostile files."""
    wal = f"{doc.source}-wal" if doc.source else None
    with _opened(doc, wal if wal and os.path.isfile(wal) else None) as con:
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_BYTES)
        # A schema entry SQLite rejects (hostile or damaged) no longer hides the other tables;
        # functions of a schema not marked harmless are refused; nothing is written.
        con.execute("PRAGMA writable_schema = ON")
        con.execute("PRAGMA trusted_schema = OFF")
        con.execute("PRAGMA query_only = ON")
        con.execute("PRAGMA cell_size_check = ON")
        try:
            yield con
        finally:
            con.close()


@contextmanager
def _opened(doc: Document, wal: str | None) -> Iterator[sqlite3.Connection]:
    """The database opened read-only and immutable where it lies, from memory, or (with a
    write-ahead log `wal`) from a private copy of both, where SQLite applies the log."""
    if wal is None and doc.source and doc.data is None and os.path.isfile(doc.source):
        yield sqlite3.connect(_uri(doc.source, "mode=ro&immutable=1"), uri=True)
        return
    if wal is None and doc.data is not None:
        con = sqlite3.connect(":memory:")
        con.deserialize(_rollback_journal(doc.data))
        yield con
        return
    with tempfile.TemporaryDirectory(prefix="leaktrace-sqlite-") as tmp:
        path = os.path.join(tmp, "db.sqlite")
        with doc.open() as fh, open(path, "wb") as out:
            shutil.copyfileobj(fh, out, 1 << 20)
        if wal is not None:
            shutil.copyfile(wal, path + "-wal")
        yield sqlite3.connect(_uri(path, "mode=rw" if wal else "mode=ro&immutable=1"), uri=True)


def _uri(path: str, query: str) -> str:
    """A `file:` URI naming exactly `path` (every character that is URI syntax escaped)."""
    return f"file:{quote(os.path.abspath(path), safe='/')}?{query}"


def _rollback_journal(data: bytes) -> bytes:
    """The database image marked as a rollback-journal database: an in-memory database cannot
    be in WAL mode (header bytes 18-19 = 2), and the rows are the same either way."""
    if len(data) >= 20 and data[18:20] == b"\x02\x02":
        return data[:18] + b"\x01\x01" + data[20:]
    return data


def _tables(con: sqlite3.Connection) -> list[str]:
    """Names of the ordinary tables (those with their own b-tree: not views, not virtual tables), as
    text whatever a damaged schema stores in its name column (a number, a blob, NULL)."""
    return [r[0] for r in con.execute(
        "SELECT coalesce(CAST(name AS TEXT), '') FROM sqlite_master WHERE type = 'table' AND rootpage > 0 "
        "ORDER BY name")]


def _table(con: sqlite3.Connection, table: str, result: ReadResult) -> Iterator[Unit]:
    """One table's stored columns as batches, then an `Unreadable` if it could not be read to its end."""
    quoted = _quote(table)
    try:
        columns = [r[1] for r in con.execute(f"PRAGMA table_xinfo({quoted})") if r[6] in (0, 3)]
    except sqlite3.Error as exc:
        yield Unreadable(f"table {table}: {exc}")
        return
    if not columns:
        yield Unreadable(f"table {table}: no stored column (its definition does not parse, or every column "
                         "is generated)")
        return
    budget = _Budget()
    con.set_progress_handler(budget.exceeded, PROGRESS_STEPS)
    problem: list[str] = []
    try:
        rows = _rows(con, f"SELECT {', '.join(map(_quote, columns))} FROM {quoted} NOT INDEXED",
                     budget, problem)
        yield from table_batches(result, table, columns, ([cell_text(v) for v in row] for row in rows))
    finally:
        con.set_progress_handler(None, 0)
    if problem:
        yield Unreadable(f"table {table}: {problem[0]}")


def _rows(con: sqlite3.Connection, sql: str, budget: _Budget, problem: list[str]) -> Iterator[tuple]:
    """The rows of `sql` within the budget, up to the first error; why reading stopped early goes
    into `problem`. Rows are stepped one at a time, so none read before an error is lost."""
    n, batch = 0, []
    try:
        budget.start()
        for row in con.execute(sql):
            if n == TABLE_ROWS:
                problem.append(f"read stopped after {n} rows: over its budget of {TABLE_ROWS} rows")
                break
            batch.append(row)
            n += 1
            if len(batch) == BATCH_ROWS:
                budget.stop()
                yield from batch
                batch = []
                budget.start()
    except sqlite3.Error as exc:
        why = f"over its budget of {TABLE_SECONDS:g} s in SQLite" if budget.over else str(exc)
        problem.append(f"read stopped after {n} rows: {why}")
    finally:
        budget.stop()
    yield from batch


class _Budget:
    """Seconds a table may spend inside SQLite; the progress handler interrupts SQLite past them."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.since: float | None = None
        self.over = False

    def start(self) -> None:
        self.since = time.monotonic()

    def stop(self) -> None:
        if self.since is not None:
            self.spent += time.monotonic() - self.since
            self.since = None

    def exceeded(self) -> int:
        """Non-zero (interrupt) once the table has spent its seconds."""
        if self.since is not None and self.spent + time.monotonic() - self.since > TABLE_SECONDS:
            self.over = True
        return self.over


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
