"""Ingestion throughput and memory: scan (without detection) of nasty synthetic cases.

    python benchmarks/ingest.py [--persons 300000 1300000] [--copies 1 4] [--workdir /tmp/lt-bench]

For each size: generate the case (not timed), scan it with `--no-detect` in a child
process, and print MB/s per core (evidence bytes / CPU seconds) and peak RSS. Peak RSS
must not grow with the size of the case: `--copies K` scans K copies of each case's holders
side by side (hard links), a case K times larger with the same largest document.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

from _measure import leaktrace, run_measured, tree_bytes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, nargs="+", default=[300_000, 1_300_000])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lt-bench-ingest"))
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--copies", type=int, nargs="+", default=[1],
                    help="also scan K copies of each case's holders side by side (case size x K)")
    args = ap.parse_args()
    print("| persons x copies | evidence MB | wall s | CPU s | MB/s per core | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.persons:
        data = args.workdir / f"case-{n}"
        if not (data / "evidence").exists():
            subprocess.run(leaktrace("synth", str(data), "--persons", str(n), "--seed", str(args.seed),
                                     "--variant", "nasty"), check=True, stdout=subprocess.DEVNULL)
        for k in args.copies:
            evidence = data / "evidence" if k == 1 else _copies(data / "evidence", args.workdir / f"copies-{n}-{k}", k)
            case = args.workdir / f"store-{n}-{k}"
            shutil.rmtree(case, ignore_errors=True)
            size = tree_bytes(evidence)
            m = run_measured(leaktrace("scan", str(evidence), "--case", str(case), "--no-detect"))
            print(f"| {n} x{k} | {size / 1e6:.0f} | {m.wall_s:.1f} | {m.cpu_s:.1f} | {size / 1e6 / m.cpu_s:.1f} "
                  f"| {m.peak_rss_mb:.0f} |", flush=True)


def _copies(evidence: Path, dest: Path, k: int) -> Path:
    """`k` copies of every holder folder (`li_1`, `li_2`, ...), as hard links where possible."""
    if not dest.exists():
        for holder in sorted(p for p in evidence.iterdir() if p.is_dir()):
            for i in range(1, k + 1):
                shutil.copytree(holder, dest / f"{holder.name}_{i}", copy_function=_link_or_copy)
    return dest


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


if __name__ == "__main__":
    main()
