"""Attribution benchmark: leaked files against large references, exact join vs MinHash sketches.

Builds a case store directly (synthetic keys written as Parquet parts with DuckDB): `--refs`
references of `--ref-keys` distinct mobile keys each, and `--files` leaked documents of
`--file-keys` records (default 20,000), each drawn from one reference (90%) plus another (10%). Then times
`attribute` three ways, each in its own process (wall time, peak RSS): exact (every reference
joined), sketch build (first sketched run: MinHash of every reference + LSH Ensemble) and
sketch (sketches cached). Reports top-1 accuracy and the containment error of the sketches.

    python benchmarks/attribute.py --work /tmp/bench-attr            # 10 x 10M keys, 100 files
    python benchmarks/attribute.py --work /tmp/b --ref-keys 1000000  # smaller
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from leaktrace.case.schema import MANIFEST
from leaktrace.case.store import CaseStore

NULLS = ("NULL::BIGINT AS record, NULL::BIGINT AS row, NULL::VARCHAR AS locator, 'row' AS kind, "
         "NULL::VARCHAR AS other_ids, NULL::VARCHAR AS name, NULL::VARCHAR AS fields, TRUE AS valid, "
         "NULL::VARCHAR AS text")


def build(work: Path, refs: int, ref_keys: int, files: int, file_keys: int) -> Path:
    """Write the synthetic case; returns its folder."""
    case = work / "case"
    store = CaseStore(case, create=True)
    con = duckdb.connect()
    con.execute(f"SET temp_directory='{work / 'tmp'}'")
    roles = '{"mobile": "mobile", "name": "name"}'
    for r in range(refs):
        part = store.parts / f"b{r + 1:06d}.ref_records.0.parquet"
        # reference r: mobiles 13000000000 + r*ref_keys + i (disjoint ranges, one key per row)
        con.execute(f"""COPY (SELECT 'ref{r}/ref{r}.csv' AS path, 'ref{r}' AS holder, i + 1 AS record, i + 2 AS row,
                NULL::VARCHAR AS locator, 'row' AS kind, 'ref{r}/ref{r}.csv' AS dataset, '{roles}' AS roles,
                'cn_mobile:' || (13000000000 + {r} * {ref_keys} + i)::VARCHAR AS ids, NULL::VARCHAR AS other_ids,
                NULL::VARCHAR AS name, NULL::VARCHAR AS fields, TRUE AS valid, NULL::VARCHAR AS text
              FROM range({ref_keys}) t(i)) TO '{part}' (FORMAT parquet, COMPRESSION zstd)""")
        pq.write_table(MANIFEST.to_arrow([{"path": f"ref{r}/ref{r}.csv", "holder": f"ref{r}", "depth": 0,
                                           "status": "done", "rows": ref_keys}]),
                       store.parts / f"b{r + 1:06d}.ref_manifest.parquet")
    b = refs + 1
    # file f: 90% of its keys from reference f % refs, 10% from (f + 1) % refs, at a file-dependent offset
    con.execute(f"""COPY (
        SELECT 'h' || (f % 7) || '/leak_' || f || '.csv' AS path, 'h' || (f % 7) AS holder, j + 1 AS record,
               j + 2 AS row, NULL::VARCHAR AS locator, 'row' AS kind, 'h' || (f % 7) || '/leak_' || f || '.csv' AS dataset,
               '{roles}' AS roles,
               'cn_mobile:' || (13000000000 + (CASE WHEN j < {file_keys} * 0.9 THEN f % {refs} ELSE (f + 1) % {refs} END)
                                * {ref_keys} + (f * 7919 * {file_keys} + j * 13) % {ref_keys})::VARCHAR AS ids,
               NULL::VARCHAR AS other_ids, NULL::VARCHAR AS name, NULL::VARCHAR AS fields, TRUE AS valid,
               NULL::VARCHAR AS text
        FROM range({files}) a(f), range({file_keys}) b(j))
        TO '{store.parts / f"b{b:06d}.records.0.parquet"}' (FORMAT parquet, COMPRESSION zstd)""")
    pq.write_table(MANIFEST.to_arrow([{"path": f"h{f % 7}/leak_{f}.csv", "holder": f"h{f % 7}", "depth": 0,
                                       "status": "done", "rows": file_keys} for f in range(files)]),
                   store.parts / f"b{b:06d}.manifest.parquet")
    return case


def run(case: Path, mode: str, sketch_min_keys: int) -> None:
    """One timed attribution in this process; prints JSON with time, peak RSS and accuracy."""
    from leaktrace.attribute.attribution import attribute_case

    t0 = time.perf_counter()
    res = attribute_case(CaseStore(case), exact=(mode == "exact"), sketch_min_keys=sketch_min_keys)
    secs = time.perf_counter() - t0
    refs = len(res["sources"])
    ok, errs, est_err = 0, [], []
    for f in res["files"]:
        n = int(f["path"].split("_")[-1].split(".")[0])
        top = f["candidates"][0]["source"] if f["candidates"] else None
        ok += top == f"ref{n % refs}"
        for c in f["candidates"]:
            truth = 0.9 if c["source"] == f"ref{n % refs}" else 0.1 if c["source"] == f"ref{(n + 1) % refs}" else 0.0
            errs.append(abs(c["containment"] - truth))
            if "containment_error" in c:
                est_err.append(c["containment_error"])
    print(json.dumps({"mode": mode, "seconds": round(secs, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "files": len(res["files"]), "top1": ok / max(len(res["files"]), 1),
                      "max_abs_containment_error": round(max(errs, default=0), 4),
                      "mean_stated_error": round(sum(est_err) / len(est_err), 4) if est_err else None}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-attribute"))
    ap.add_argument("--refs", type=int, default=10)
    ap.add_argument("--ref-keys", type=int, default=10_000_000)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--file-keys", type=int, default=20_000)
    ap.add_argument("--sketch-min-keys", type=int, help="sketch references this large (default: --ref-keys)")
    ap.add_argument("--run", choices=["exact", "sketch"], help=argparse.SUPPRESS)
    ap.add_argument("--case", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.run:
        run(a.case, a.run, a.sketch_min_keys)
        return
    import shutil
    shutil.rmtree(a.work, ignore_errors=True)
    a.work.mkdir(parents=True)
    t0 = time.perf_counter()
    case = build(a.work, a.refs, a.ref_keys, a.files, a.file_keys)
    print(json.dumps({"build_seconds": round(time.perf_counter() - t0, 1), "refs": a.refs, "ref_keys": a.ref_keys,
                      "files": a.files, "file_keys": a.file_keys}), flush=True)
    for mode, label in (("exact", "exact"), ("sketch", "sketch_build"), ("sketch", "sketch_cached")):
        out = subprocess.run([sys.executable, __file__, "--run", mode, "--case", str(case),
                              "--sketch-min-keys", str(a.sketch_min_keys or a.ref_keys)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out)
        r["mode"] = label
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
