"""SQLite databases: every table, opened read-only (immutable) via the stdlib driver.

A database on disk with a write-ahead log beside it (`name-wal`, as phones leave them) is read
from a temporary copy of both, so the rows only in the log are read too; the evidence is not
touched. `first_row` is the 1-based record ordinal in the table.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from typing import Iterator

from ..units import Document, ReadResult, Unit, Unreadable
from .common import BATCH_ROWS, cell_text, table_batches


def read(doc: Document, result: ReadResult) -> Iterator[Unit]:
    """Rows of every table as `TableBatch`es."""
    wal = f"{doc.source}-wal" if doc.source else None
    with _local_path(doc, wal if wal and os.path.isfile(wal) else None) as (path, mode):
        try:
            con = sqlite3.connect(f"file:{path}?{mode}", uri=True)
            con.text_factory = lambda b: b.decode("utf-8", "replace")
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        except sqlite3.DatabaseError as exc:
            yield Unreadable(f"not a readable SQLite database: {exc}")
            return
        try:
            for table in tables:
                yield from _table(con, table, result)
        finally:
            con.close()


def _table(con: sqlite3.Connection, table: str, result: ReadResult) -> Iterator[Unit]:
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        cur = con.execute(f"SELECT * FROM {quoted}")
    except sqlite3.DatabaseError as exc:
        yield Unreadable(f"table {table}: {exc}")
        return
    columns = [d[0] for d in cur.description]
    rows = ([cell_text(v) for v in row] for row in _fetch(cur))
    yield from table_batches(result, table, columns, rows)


def _fetch(cur: sqlite3.Cursor) -> Iterator[tuple]:
    while batch := cur.fetchmany(BATCH_ROWS):
        yield from batch


@contextmanager
def _local_path(doc: Document, wal: str | None) -> Iterator[tuple[str, str]]:
    """A filesystem path of the database and how to open it: the file itself, immutable, or a
    temporary copy (with its write-ahead log `wal`, applied on opening the copy)."""
    with doc.open() as fh:
        name = getattr(fh, "name", None)
        if wal is None and isinstance(name, str) and os.path.isfile(name):
            yield name, "mode=ro&immutable=1"
            return
        with tempfile.TemporaryDirectory(prefix="leaktrace-sqlite-") as tmp:
            path = os.path.join(tmp, "db.sqlite")
            with open(path, "wb") as out:
                shutil.copyfileobj(fh, out, 1 << 20)
            if wal is None:
                yield path, "mode=ro&immutable=1"
                return
            shutil.copyfile(wal, path + "-wal")
            yield path, "mode=rw"
