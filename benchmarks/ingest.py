"""Ingestion throughput and memory: scan (without detection) of nasty synthetic cases.

    python benchmarks/ingest.py [--persons 400000 1600000] [--workdir /tmp/lt-bench]

For each size: generate the case (not timed), scan it with `--no-detect` in a child
process, and print MB/s per core (evidence bytes / CPU seconds) and peak RSS. Peak RSS
must not grow with the size of the case.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

from _measure import leaktrace, run_measured, tree_bytes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, nargs="+", default=[400_000, 1_600_000])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lt-bench-ingest"))
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    print("| persons | evidence MB | wall s | CPU s | MB/s per core | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.persons:
        data = args.workdir / f"case-{n}"
        if not (data / "evidence").exists():
            subprocess.run(leaktrace("synth", str(data), "--persons", str(n), "--seed", str(args.seed),
                                     "--variant", "nasty"), check=True, stdout=subprocess.DEVNULL)
        case = args.workdir / f"store-{n}"
        shutil.rmtree(case, ignore_errors=True)
        size = tree_bytes(data / "evidence")
        m = run_measured(leaktrace("scan", str(data / "evidence"), "--case", str(case), "--no-detect"))
        print(f"| {n} | {size / 1e6:.0f} | {m.wall_s:.1f} | {m.cpu_s:.1f} | {size / 1e6 / m.cpu_s:.1f} "
              f"| {m.peak_rss_mb:.0f} |", flush=True)


if __name__ == "__main__":
    main()
