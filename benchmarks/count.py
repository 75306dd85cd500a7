"""Resolve + count at scale: end-to-end time and peak RSS for 1M, 10M, 100M records.

    python benchmarks/count.py [--records 1000000 10000000] [--workdir /tmp/lt-bench-count]

Builds a case store directly in the store's Parquet format (records of 7 holders over
~40 datasets, persons drawn with repeats, each record carrying a resident ID and/or a
mobile, a name and a row text; 9 reference sources whose rows pair IDs with mobiles, each
person in three of them, so every record's source is decided on its text), vectorised with NumPy and
Arrow in chunks, so generation itself stays in bounded memory; a case built by an earlier
run in the same work dir is reused. Then runs
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
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
CITIES = ["杭州市西湖区", "宁波市鄞州区", "温州市鹿城区", "嘉兴市南湖区", "湖州市吴兴区", "绍兴市越城区",
          "金华市婺城区", "衢州市柯城区", "舟山市定海区", "台州市椒江区", "丽水市莲都区"]


def _keys(kind: str, person: np.ndarray) -> pa.Array:
    """Fake but distinct keys per person (validation is not part of this benchmark)."""
    base = 330102190001010000 if kind == "cn_id" else 13000000000
    digits = pa.array((base + person).astype(np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(pa.scalar(f"{kind}:"), digits, "")


def _ids(person: np.ndarray, has_id: np.ndarray, has_mobile: np.ndarray) -> pa.Array:
    ident = pc.if_else(pa.array(has_id), _keys("cn_id", person), pa.scalar(None, pa.string()))
    mob = pc.if_else(pa.array(has_mobile), _keys("cn_mobile", person), pa.scalar(None, pa.string()))
    return pc.binary_join_element_wise(ident, mob, ";", null_handling="skip")


def _text(person: np.ndarray, ids: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(name, row text): a name and a place drawn from the person, then the row's identifiers."""
    name = pc.binary_join_element_wise(pa.array(np.array(SURNAMES)[person % len(SURNAMES)]),
                                       pa.array(np.array(GIVEN)[(person // 20) % len(GIVEN)]), "")
    city = pa.array(np.array(CITIES)[(person // 7) % len(CITIES)])
    values = pc.replace_substring(pc.replace_substring_regex(ids, "[a-z_]+:", ""), ";", ",")
    return name, pc.binary_join_element_wise(name, values, city, ",")


def _records(n: int, start: int, persons: int, rng: np.random.Generator, source_names: list[str],
             person: np.ndarray | None = None) -> pa.Table:
    if person is None:
        person = rng.integers(0, persons, n)
        has_id = rng.random(n) < 0.7
        has_mobile = ~has_id | (rng.random(n) < 0.4)
    else:
        has_id = has_mobile = np.ones(n, bool)
    ids = _ids(person, has_id, has_mobile)
    name, text = _text(person, ids)
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
        "dataset": path, "roles": pa.nulls(n, pa.string()), "ids": ids,
        "other_ids": pa.nulls(n, pa.string()), "name": name,
        "fields": fields.take(pa.array(src)), "valid": pa.array(np.ones(n, dtype=bool)),
        "text": text,
    }).select(RECORDS.schema.names).cast(RECORDS.schema)


def build_case(case: Path, records: int, seed: int = 1) -> None:
    """A case store with `records` evidence records and references covering their persons."""
    marker, spec = case / "bench.json", {"records": records, "seed": seed, "layout": 2}
    if marker.exists() and json.loads(marker.read_text()) == spec:
        return  # built by an earlier run (the build is deterministic)
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
            t = _records(n, start, persons, rng, [src], person)
            for col in ("holder", "path", "dataset"):  # one reference table per source
                t = t.set_column(t.schema.get_field_index(col), col,
                                 pa.array([src if col == "holder" else f"{src}/{src}.csv"] * n))
            pq.write_table(t, parts / f"b{batch:06d}.ref_records.0.parquet")
            manifest = MANIFEST.to_arrow([{"path": f"{src}/{src}.csv", "holder": src, "depth": 0,
                                           "status": "done", "size": 0}])
            pq.write_table(manifest, parts / f"b{batch:06d}.ref_manifest.parquet")
            batch += 1
    marker.write_text(json.dumps(spec))


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
