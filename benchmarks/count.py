"""Resolve + count at scale: end-to-end time and peak RSS for 1M, 10M, 100M records.

    python benchmarks/count.py [--records 1000000 10000000] [--workdir /tmp/lt-bench-count]

Builds a case store directly in the store's Parquet format (records of 7 holders over
~40 datasets, persons drawn with repeats, each record carrying a resident ID and/or a
mobile; 9 reference sources whose rows pair IDs with mobiles), vectorised with NumPy and
Arrow in chunks, so generation itself stays in bounded memory. Then runs
`leaktrace count --json` in a child process and prints wall time, CPU time and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from _measure import leaktrace, run_measured
from leaktrace.case.schema import MANIFEST, RECORDS

HOLDERS = ["chen", "li", "sun", "wang", "zhang", "zhao", "zheng"]
SOURCES = {  # source -> field roles (JSON) that give its category under cn-pi-2017
    "insurer": {"policy": "P1"}, "hotel": {"checkin": "2016-01-01", "hotel": "h"},
    "bank": {"balance": "1.00", "branch": "b"}, "telecom": {"callee": "13800138000"},
    "hospital": {"diagnosis": "d"}, "ecommerce": {"item": "i", "order": "1"},
    "location": {"lon": "120.1", "lat": "30.2"}, "credit": {"credit_score": "700"},
    "carowner": {"plate": "浙A12345"},
}
CHUNK = 2_000_000


def _keys(kind: str, person: np.ndarray) -> pa.Array:
    """Fake but distinct keys per person (validation is not part of this benchmark)."""
    base = 330102190001010000 if kind == "cn_id" else 13000000000
    digits = pa.array((base + person).astype(np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(pa.scalar(f"{kind}:"), digits, "")


def _ids(person: np.ndarray, has_id: np.ndarray, has_mobile: np.ndarray) -> pa.Array:
    ident = pc.if_else(pa.array(has_id), _keys("cn_id", person), pa.scalar(None, pa.string()))
    mob = pc.if_else(pa.array(has_mobile), _keys("cn_mobile", person), pa.scalar(None, pa.string()))
    return pc.binary_join_element_wise(ident, mob, ";", null_handling="skip")


def _records(n: int, start: int, persons: int, rng: np.random.Generator, source_names: list[str]) -> pa.Table:
    person = rng.integers(0, persons, n)
    has_id = rng.random(n) < 0.7
    has_mobile = ~has_id | (rng.random(n) < 0.4)
    src = rng.integers(0, len(source_names), n)
    dataset = rng.integers(0, 40, n)
    holder = np.array(HOLDERS)[dataset % len(HOLDERS)]
    path = pc.binary_join_element_wise(pa.array(holder), pa.scalar("/laptop/data_"),
                                       pa.array(dataset.astype(str)), pa.scalar(".csv"), "")
    fields = pa.array([json.dumps(SOURCES[s], ensure_ascii=False) for s in source_names])
    return pa.table({
        "path": path, "holder": pa.array(holder), "record": pa.array(np.arange(start, start + n) + 1),
        "row": pa.array(np.arange(start, start + n) + 2), "locator": pa.nulls(n, pa.string()),
        "kind": pa.array(np.full(n, "row")),
        "dataset": path, "roles": pa.nulls(n, pa.string()), "ids": _ids(person, has_id, has_mobile),
        "other_ids": pa.nulls(n, pa.string()), "name": pa.nulls(n, pa.string()),
        "fields": fields.take(pa.array(src)), "valid": pa.array(np.ones(n, dtype=bool)),
        "text": pa.nulls(n, pa.string()),
    }).select(RECORDS.schema.names).cast(RECORDS.schema)


def build_case(case: Path, records: int, seed: int = 1) -> None:
    """A case store with `records` evidence records and references covering their persons."""
    shutil.rmtree(case, ignore_errors=True)
    parts = case / "parts"
    parts.mkdir(parents=True)
    (case / "case.json").write_text(json.dumps({"format": 1, "created": "benchmark"}))
    rng = np.random.default_rng(seed)
    persons = max(records // 3, 1)
    names = list(SOURCES)
    batch = 1
    for start in range(0, records, CHUNK):
        n = min(CHUNK, records - start)
        pq.write_table(_records(n, start, persons, rng, names), parts / f"b{batch:06d}.records.0.parquet")
        manifest = MANIFEST.to_arrow([{"path": f"bench/{batch}", "holder": HOLDERS[batch % 7], "depth": 0,
                                       "status": "done", "size": 0}])
        pq.write_table(manifest, parts / f"b{batch:06d}.manifest.parquet")
        batch += 1
    for k, src in enumerate(names):  # each source holds a third of the persons, ID and mobile paired
        for start in range(0, persons // 3, CHUNK):
            n = min(CHUNK, persons // 3 - start)
            person = (np.arange(start, start + n) * 3 + k) % persons
            t = _records(n, start, persons, rng, [src])
            t = t.set_column(t.schema.get_field_index("ids"), "ids",
                             _ids(person, np.ones(n, bool), np.ones(n, bool)))
            t = t.set_column(t.schema.get_field_index("holder"), "holder", pa.array([src] * n))
            pq.write_table(t, parts / f"b{batch:06d}.ref_records.0.parquet")
            manifest = MANIFEST.to_arrow([{"path": f"{src}/{src}.csv", "holder": src, "depth": 0,
                                           "status": "done", "size": 0}])
            pq.write_table(manifest, parts / f"b{batch:06d}.ref_manifest.parquet")
            batch += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lt-bench-count"))
    args = ap.parse_args()
    print("| records | reference rows | wall s | CPU s | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|")
    for n in args.records:
        case = args.workdir / f"case-{n}"
        build_case(case, n)
        m = run_measured(leaktrace("count", "--case", str(case), "--json"))
        refs = 9 * (max(n // 3, 1) // 3)
        print(f"| {n:,} | {refs:,} | {m.wall_s:.0f} | {m.cpu_s:.0f} | {m.peak_rss_mb:.0f} |", flush=True)


if __name__ == "__main__":
    main()
