"""The least CPU a table pipeline built on Arrow and Hyperscan needs on plain CSV, next to
leaktrace and ripgrep.

    python benchmarks/floor.py [--workdir /tmp/lt-bench-detect]

Runs on the plain CSV/TSV files of the dense corpus that `detect.py` built in the workdir: those
Arrow's CSV reader takes as they are (UTF-8, every record as wide as the header). Passes that no
pipeline keeping leaktrace's case store can skip are timed alone, on one thread:

- parse: the tables read by Arrow's CSV reader, every column a string;
- candidates, two ways: one pass of the candidate expression of every type (the set ripgrep gets
  in `detect.py`) over every column with Arrow's RE2, counting only; one pass of leaktrace's own
  Hyperscan database over each file's bytes, keeping the matches;
- write: the findings and records leaktrace keeps for those files, written as the store does.

Parse, the faster candidate pass and write add up to a floor; validation, column roles, building
the records, hashing and the manifest come on top. Printed as MB/s per core (input bytes / CPU
seconds) beside leaktrace's scan of the same files and `rg -j1 -o` with the same expressions
(best of three), with ratios to ripgrep.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from _measure import leaktrace, run_measured
from detect import best_of, fresh, rg_patterns

from leaktrace.case.schema import SCHEMAS
from leaktrace.case.store import write_part
from leaktrace.detect import matcher
from leaktrace.detect.table import to_re2

DELIMITERS = {".csv": ",", ".tsv": "\t"}


def read_table(path: Path) -> pa.Table | None:
    """The file as a table of strings on one thread, or None when Arrow's reader does not take it."""
    delimiter = DELIMITERS[path.suffix]
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            names = next(csv.reader(fh, delimiter=delimiter), [])
        return pcsv.read_csv(path, read_options=pcsv.ReadOptions(use_threads=False),
                             parse_options=pcsv.ParseOptions(delimiter=delimiter),
                             convert_options=pcsv.ConvertOptions(
                                 column_types={n: pa.string() for n in names}, strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


def plain_tables(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in DELIMITERS and read_table(p) is not None)


def link_tree(files: list[Path], source: Path, dest: Path) -> None:
    """The files under `dest` at their places relative to `source` (hard links: no copy)."""
    shutil.rmtree(dest, ignore_errors=True)
    for f in files:
        out = dest / f.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        os.link(f, out)


def _built(case: Path, table: str) -> pa.Table:
    """The rows of a store table as the scan builds them before writing (repeated strings as dictionaries)."""
    rows = pa.concat_tables([pq.read_table(p) for p in sorted((case / "parts").glob(f"b*.{table}.*.parquet"))])
    return rows.cast(SCHEMAS[table].build_schema).unify_dictionaries()


def cpu(work) -> float:
    """CPU seconds of `work()` in this process (the best of three)."""
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        work()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lt-bench-detect"))
    args = ap.parse_args()
    rg = shutil.which("rg")
    source = args.workdir / "dense_tables" / "evidence"
    if not rg or not source.exists():
        raise SystemExit(f"needs ripgrep (`make bench-deps`) and {source} (run benchmarks/detect.py first)")
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    files = plain_tables(source)
    size = sum(f.stat().st_size for f in files)
    evidence = args.workdir / "floor" / "evidence"
    link_tree(files, source, evidence)
    case = fresh(args.workdir / "floor" / "case")
    scan = run_measured(leaktrace("scan", str(evidence), "--case", str(case)))
    rg_args = [rg, "-j1", "-o", "--no-filename", "-a", *sum((["-e", p] for p in rg_patterns()), []), str(evidence)]
    rgm = best_of(3, lambda: run_measured(rg_args))

    tables = [read_table(f) for f in files]
    data = [f.read_bytes() for f in files]
    (ends_db, _), _ = matcher._databases()   # the database `find` scans with first (private: internals measured)
    expr = to_re2("|".join(f"(?:{p})" for p in rg_patterns()))
    parts = {t: _built(case, t) for t in ("findings", "records")}
    with tempfile.TemporaryDirectory() as tmp:
        passes = {
            "parse (Arrow CSV reader)": cpu(lambda: [read_table(f) for f in files]),
            "candidates (RE2, one pass per column, count only)": cpu(
                lambda: [pc.sum(pc.count_substring_regex(c, expr)) for t in tables for c in t.columns]),
            "candidates (Hyperscan, one pass per file, matches kept)": cpu(
                lambda: [matcher._scan(ends_db, b"\n" + d + b"\n") for d in data]),
            "write findings + records (Parquet, store options)": cpu(
                lambda: [write_part(rows, t, Path(tmp) / f"{t}.parquet") for t, rows in parts.items()]),
        }
    mb, rg_rate = size / 1e6, size / 1e6 / rgm.cpu_s
    print(f"{len(files)} plain CSV/TSV files, {mb:.0f} MB; "
          f"{sum(t.num_rows for t in tables)} rows, {parts['records'].num_rows} records, "
          f"{parts['findings'].num_rows} findings\n")
    print("| pass | CPU s | MB/s per core | ratio to rg |")
    print("|---|---:|---:|---:|")
    candidates = min(v for k, v in passes.items() if k.startswith("candidates"))
    floor = sum(v for k, v in passes.items() if not k.startswith("candidates")) + candidates
    rows = [*passes.items(), ("floor: parse + the faster candidate pass + write", floor),
            ("leaktrace scan (whole process)", scan.cpu_s), ("rg -j1 -o", rgm.cpu_s)]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {mb / seconds:.1f} | {mb / seconds / rg_rate:.3f} |")


if __name__ == "__main__":
    main()
