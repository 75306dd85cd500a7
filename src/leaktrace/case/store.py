"""The case store: Parquet parts committed in batches, queried through DuckDB.

Layout of a case folder::

    case.json                     what the case is (created, evidence roots)
    parts/bNNNNNN.<table>.K.parquet   data parts of batch N (findings, records, ...)
    parts/bNNNNNN.manifest.parquet    the batch's manifest: written last, it commits the batch
    parts/bNNNNNN.ref_manifest.parquet a reference batch's manifest (`refs add`), likewise
    derived/<name>.parquet        tables a later stage recomputes whole (persons, categories)
    audit.log                     JSON lines: reveals and other acts that must be on record
    inflight.json                 the evidence file a running scan is reading (see case/inflight.py)
    lock                          held (flock) by the process writing the case: one writer at a time

A batch is committed when its manifest part exists. Parts of a batch without a
manifest (an interrupted run) are deleted when the store is opened for writing,
so a resumed scan redoes exactly the uncommitted items, never duplicating any.

The case holds identifiers in clear: its folders are created 0700 and its files 0600 whatever
the umask. Paths reach DuckDB as parameters or through its Python API, never pasted into SQL.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .inflight import Inflight
from .schema import COMMIT_TABLES, SCHEMAS

if TYPE_CHECKING:   # imported where queried: a scan of a new case never starts DuckDB
    import duckdb

PART_RE = re.compile(r"^b(\d{6})\.([a-z_]+)(?:\.(\d+))?\.parquet$")
# DuckDB's memory limit unless LEAKTRACE_MEMORY says otherwise.
DUCKDB_MEMORY = "4GB"


# Case locks this process holds: real path of the case -> [lock file descriptor, holders].
_LOCKS: dict[str, list] = {}


class CaseError(Exception):
    """A case folder that cannot be used as asked."""


class CaseBusy(CaseError):
    """Another process is writing the case."""


class CaseWriteError(CaseError):
    """The case could not be written (disk full, file size limit, I/O error). Nothing of the batch
    being written is committed, so the same scan run again resumes where the last commit left it."""

    def __init__(self, where: Path | str, exc: OSError):
        cause = "disk full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror or str(exc)
        super().__init__(f"cannot write the case {where}: {cause} ({exc.strerror or exc}). What was "
                         "committed before is kept; make room and run the same command again to resume")


class CaseStore:
    """One case folder."""

    def __init__(self, root: Path | str, create: bool = False):
        self.root = Path(root)
        self.parts = self.root / "parts"
        if create:
            private_dir(self.root, own=not self.root.exists() or (self.root / "case.json").exists())
            private_dir(self.parts)
            meta = self.root / "case.json"
            if not meta.exists():
                _write_json(meta, {"format": 1, "created": _now()})
        elif not (self.root / "case.json").exists():
            raise CaseError(f"{self.root}: not a leaktrace case (no case.json); run `leaktrace scan` first")

    # -- metadata -------------------------------------------------------
    @property
    def meta(self) -> dict:
        return json.loads((self.root / "case.json").read_text("utf-8"))

    def update_meta(self, **values) -> None:
        meta = self.meta
        meta.update(values)
        _write_json(self.root / "case.json", meta)

    def audit(self, action: str, **details) -> None:
        """Append an entry to the case's audit log."""
        entry = {"time": _now(), "action": action, **details}
        with private_file(self.root / "audit.log", "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    @property
    def inflight(self) -> Inflight:
        """The note of the evidence file a scan is reading."""
        if not hasattr(self, "_inflight"):
            self._inflight = Inflight(self.root / "inflight.json")
        return self._inflight

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """Hold the case's lock while `what` (a scan, ...) writes it; CaseBusy if another process holds it."""
        key = self.lock(what)
        try:
            yield
        finally:
            _unlock(key)

    def lock(self, what: str) -> str:
        """Take the case's lock for this process (re-entrant within it) until `_unlock(key)` or the end
        of the process: an flock on `lock`, which the kernel releases however the process ends."""
        key = os.path.realpath(self.root)
        if key in _LOCKS:
            _LOCKS[key][1] += 1
            return key
        fd = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise CaseBusy(f"{self.root} is being written by {holder}; run this again when it has ended "
                           "(nothing was changed)") from None
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"leaktrace {what} (pid {os.getpid()}, since {_now()})".encode(), 0)
        _LOCKS[key] = [fd, 1]
        return key

    # -- writing --------------------------------------------------------
    def recover(self) -> int:
        """Delete temp files, a killed scan's spilled members and parts of uncommitted batches; returns
        how many. Holds the case's lock: another process's open batch would look uncommitted."""
        with self.writing("writing"):
            committed = self._committed_batches()
            removed = 0
            for p in self.parts.iterdir():
                m = PART_RE.match(p.name)
                if p.name.endswith(".tmp") or (m and int(m.group(1)) not in committed):
                    p.unlink()
                    removed += 1
            if self.spill.is_dir():
                for p in [*self.spill.glob("leaktrace-*"), *self.spill.glob("duckdb_temp*")]:
                    if p.is_file():
                        p.unlink(missing_ok=True)
                        removed += 1
        return removed

    def _committed_batches(self) -> set[int]:
        out = set()
        for p in self.parts.glob("b*.parquet"):
            m = PART_RE.match(p.name)
            if m and m.group(2) in COMMIT_TABLES:
                out.add(int(m.group(1)))
        return out

    def drop_batches(self, numbers: set[int]) -> None:
        """Remove committed batches (the commit marker first, so a crash leaves no half batch)."""
        parts = [p for p in self.parts.iterdir() if (m := PART_RE.match(p.name)) and int(m.group(1)) in numbers]
        parts.sort(key=lambda p: PART_RE.match(p.name).group(2) not in COMMIT_TABLES)
        for p in parts:
            p.unlink()

    def new_batch(self) -> "Batch":
        """The next batch; it holds the case's lock until it is committed."""
        lock = self.lock("writing")
        existing = [int(m.group(1)) for p in self.parts.iterdir() if (m := PART_RE.match(p.name))]
        return Batch(self, max(existing, default=0) + 1, lock=lock)

    # -- reading --------------------------------------------------------
    def has(self, table: str) -> bool:
        return any(self.parts.glob(f"b*.{table}*.parquet"))

    @property
    def spill(self) -> Path:
        """Where DuckDB writes what does not fit in memory: `LEAKTRACE_TEMP`, else the case's tmp/."""
        return Path(os.environ.get("LEAKTRACE_TEMP") or self.root / "tmp")

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection with one view per table over the committed parts."""
        import duckdb

        # Bounded memory: DuckDB spills to `spill` beyond this; the process peaks about
        # 1 GB above it (counting 100M records: benchmarks/README.md).
        con = duckdb.connect(config={"temp_directory": str(self.spill),
                                     "memory_limit": os.environ.get("LEAKTRACE_MEMORY", DUCKDB_MEMORY),
                                     "preserve_insertion_order": False})
        try:
            committed = self._committed_batches()
            for table, schema in SCHEMAS.items():
                files = sorted(
                    str(p) for p in self.parts.glob(f"b*.{table}*.parquet")
                    if (m := PART_RE.match(p.name)) and int(m.group(1)) in committed
                )
                rel = con.read_parquet(files, union_by_name=True) if files else con.from_arrow(schema.empty_table())
                rel.create_view(table)
            yield con
        finally:
            con.close()

    def write_derived(self, con: duckdb.DuckDBPyConnection, tables: dict[str, str], drop: tuple[str, ...] = ()) -> None:
        """Replace derived tables (recomputed by a later stage) together, holding the case's lock: every
        query is written to a temporary file first and only when all are written are they renamed into
        place and the tables in `drop` removed, so a failure leaves the earlier set whole."""
        folder = self.root / "derived"
        private_dir(folder)
        written: list[Path] = []
        with self.writing("count"):
            try:
                for name, query in tables.items():
                    tmp = folder / f"{name}.parquet.tmp"
                    written.append(tmp)
                    con.sql(query).write_parquet(str(tmp), compression="zstd")
                    os.chmod(tmp, 0o600)
            except BaseException:
                for tmp in written:
                    tmp.unlink(missing_ok=True)
                raise
            for tmp in written:
                os.replace(tmp, tmp.with_suffix(""))
            for name in drop:
                (folder / f"{name}.parquet").unlink(missing_ok=True)

    def derived(self, name: str) -> Path | None:
        """The file of a derived table, if a stage has written it."""
        p = self.root / "derived" / f"{name}.parquet"
        return p if p.exists() else None

    def done_paths(self, manifest: str = "manifest") -> set[str]:
        """Paths of top-level files whose scan is committed."""
        if not self.has(manifest):
            return set()
        with self.connect() as con:
            rows = con.execute(f"SELECT path FROM {manifest} WHERE depth = 0").fetchall()
        return {r[0] for r in rows}

    def batches_where(self, table: str, condition: str, params: list | None = None) -> set[int]:
        """Numbers of committed batches with a row of `table` matching `condition`."""
        files = [p for p in self.parts.glob(f"b*.{table}*.parquet") if PART_RE.match(p.name)]
        if not files:
            return set()
        import duckdb

        con = duckdb.connect()
        try:
            rows = con.execute(f"SELECT DISTINCT filename FROM read_parquet(?, filename=true) WHERE {condition}",
                               [[str(f) for f in files], *(params or [])]).fetchall()
        finally:
            con.close()
        return {int(PART_RE.match(Path(r[0]).name).group(1)) for r in rows}


class Batch:
    """Rows for one batch of items; nothing is visible until `commit()`."""

    def __init__(self, store: CaseStore, number: int, part_rows: int = 200_000, lock: str | None = None):
        self.store = store
        self._lock = lock           # the case lock held for this batch (released by commit)
        self.number = number
        self.part_rows = part_rows
        self._buffers: dict[str, list[pa.Table]] = {}
        self._sizes: dict[str, int] = {}
        self._written: dict[str, int] = {}
        self._temps: list[tuple[Path, Path]] = []
        self.failed: CaseWriteError | None = None   # a failed write: the batch can no longer commit

    def add(self, table: str, rows: list[dict] | pa.Table) -> None:
        """Add rows (dicts or an Arrow table with the table's schema)."""
        if not isinstance(rows, pa.Table):
            rows = SCHEMAS[table].to_arrow(list(rows))
        if rows.num_rows == 0:
            return
        self._buffers.setdefault(table, []).append(rows)
        self._sizes[table] = self._sizes.get(table, 0) + rows.num_rows
        if table not in COMMIT_TABLES and self._sizes[table] >= self.part_rows:
            self._flush(table)

    def _flush(self, table: str) -> None:
        tables = self._buffers.get(table)
        if not tables:
            return
        k = self._written.get(table, 0)
        self._written[table] = k + 1
        name = (f"b{self.number:06d}.{table}.parquet" if table in COMMIT_TABLES
                else f"b{self.number:06d}.{table}.{k}.parquet")
        final = self.store.parts / name
        tmp = final.with_name(final.name + ".tmp")
        schema = SCHEMAS[table].build_schema
        try:
            write_part(pa.concat_tables([t.cast(schema) for t in tables]).unify_dictionaries(), table, tmp)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.failed = CaseWriteError(self.store.root, exc)
            raise self.failed from exc
        self._temps.append((tmp, final))
        self._buffers[table] = []
        self._sizes[table] = 0

    def commit(self) -> None:
        """Write every part, then the commit marker last: the batch becomes visible atomically.
        A batch one of whose writes failed (even if the caller went on) raises that failure instead."""
        if self.failed:
            raise self.failed
        for table in list(self._buffers):
            if table not in COMMIT_TABLES:
                self._flush(table)
        for table in COMMIT_TABLES:
            self._flush(table)
        try:
            for tmp, final in self._temps:  # data parts first, markers last
                _fsync(tmp)
                os.replace(tmp, final)
            _fsync(self.store.parts)
        except OSError as exc:
            raise CaseWriteError(self.store.root, exc) from exc
        self._temps.clear()
        if self._lock:
            _unlock(self._lock)
            self._lock = None


def _unlock(key: str) -> None:
    """Give up one hold of a case's lock; the last releases it."""
    held = _LOCKS[key]
    held[1] -= 1
    if held[1] == 0:
        del _LOCKS[key]
        os.ftruncate(held[0], 0)
        os.close(held[0])


def write_part(data: pa.Table, table: str, path: Path) -> None:
    """Write rows of a store table as one Parquet file, with the store's options."""
    repeating = SCHEMAS[table].repeating_columns()
    with private_file(path, "wb") as f:
        pq.write_table(data, f, compression="zstd", use_dictionary=repeating, write_statistics=repeating,
                       store_schema=False)   # dictionary-encoded columns read back as the strings they are


def private_file(path: Path | str, mode: str = "w", **kwargs):
    """`open(path, mode)` ('w', 'wb', 'a') for a file only its owner can read (0600, umask or not)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def private_dir(path: Path, own: bool = True) -> None:
    """Create `path` (and parents) if missing; a folder it creates, or `own` says is the case's, is made 0700."""
    existed = path.exists()
    path.mkdir(parents=True, exist_ok=True)
    if own or not existed:
        os.chmod(path, 0o700)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, obj) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with private_file(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False, indent=1))
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
