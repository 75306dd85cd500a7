"""Detection throughput against ripgrep on the same files, in the same run.

    python benchmarks/detect.py [--mb 1000] [--repeat 1] [--workdir /tmp/lt-bench-detect] [--corpus dense|chat]

Two corpora are built from a nasty synthetic case (generated once into the workdir):
(a) dense leaked tables and text datasets, (b) sparse chat exports; each is copies of
the synth files up to --mb megabytes. leaktrace scans each corpus (ingest + detection,
one process) and ripgrep runs `rg -j1 -o` with leaktrace's own candidate expressions of
every type over the same files. Printed: MB/s per core (bytes / CPU seconds) and peak RSS
of each, and the ratio; each tool's figures are its run of least CPU time (ripgrep: best of
three at least, leaktrace: of --repeat).
ripgrep comes from Debian's `ripgrep` package (`make bench-deps`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

from _measure import leaktrace, run_measured, tree_bytes

from leaktrace.detect import patterns

SPARSE = ("消息记录.txt",)
DENSE_SUFFIXES = (".csv", ".txt", ".jsonl", ".sql", ".tsv")


def rg_patterns() -> list[str]:
    """leaktrace's candidate expression of every type (`detect.patterns.group_pattern`) in ripgrep's
    syntax: its lookaround boundaries, which ripgrep's engine lacks, become a consumed boundary
    character or the edge of the line (no candidate spans a line)."""
    edges = {patterns.EMAIL_NOT_BEFORE: r"(?:^|[^0-9A-Za-z._%+\-])",
             patterns.NOT_BEFORE: r"(?:^|[^0-9A-Za-z])", patterns.NOT_AFTER: r"(?:[^0-9A-Za-z]|$)"}
    out = []
    for t in patterns.ALL_TYPES:
        expr = patterns.group_pattern(t)
        for python, rg in edges.items():
            expr = expr.replace(python, rg)
        out.append(re.sub(r"\(\?P<\w+>", "(?:", expr).replace("\\ ", " "))  # no named groups, no `\ `
    return out


def best_of(n: int, measure):
    """The run of least CPU time among `n` (ripgrep's system time moves by half from run to run)."""
    return min((measure() for _ in range(n)), key=lambda m: m.cpu_s)


def fresh(case: Path) -> Path:
    shutil.rmtree(case, ignore_errors=True)
    return case


def build_corpus(source: Path, dest: Path, pick, target: int) -> int:
    files = sorted(p for p in source.rglob("*") if p.is_file() and pick(p))
    if not files:
        raise SystemExit(f"no files to build {dest} from")
    dest.mkdir(parents=True, exist_ok=True)
    size, k = tree_bytes(dest), 0
    while size < target:
        for f in files:
            out = dest / f"c{k:05d}" / f.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, out)
            size += f.stat().st_size
            if size >= target:
                break
        k += 1
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=1000)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lt-bench-detect"))
    ap.add_argument("--repeat", type=int, default=1, help="leaktrace runs per corpus (best CPU time kept); "
                                                           "ripgrep runs at least three")
    ap.add_argument("--corpus", choices=["dense", "chat"], action="append",
                    help="measure only this corpus (repeatable; default both)")
    args = ap.parse_args()
    rg = shutil.which("rg")
    if not rg:
        raise SystemExit("ripgrep not found: run `make bench-deps` (Debian package ripgrep)")
    synth = args.workdir / "synth"
    if not (synth / "evidence").exists():
        subprocess.run(leaktrace("synth", str(synth), "--persons", str(args.persons), "--seed", "5",
                                 "--variant", "nasty"), check=True, stdout=subprocess.DEVNULL)
    ev = synth / "evidence"
    corpora = {
        "dense": ("dense tables", lambda p: p.suffix in DENSE_SUFFIXES and p.name not in SPARSE and "QQ" not in p.parts),
        "chat": ("sparse chat", lambda p: p.name in SPARSE),
    }
    print("| corpus | MB | leaktrace MB/s per core | leaktrace peak RSS MB | rg MB/s per core | rg peak RSS MB | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, (name, pick) in corpora.items():
        if args.corpus and key not in args.corpus:
            continue
        root = args.workdir / name.replace(" ", "_") / "evidence"
        size = build_corpus(ev, root / "bench", pick, args.mb * 10**6)
        case = args.workdir / f"case-{name.replace(' ', '_')}"
        lt = best_of(args.repeat, lambda: run_measured(leaktrace("scan", str(root), "--case", str(fresh(case)))))
        rg_args = [rg, "-j1", "-o", "--no-filename", "-a", *sum((["-e", p] for p in rg_patterns()), []), str(root)]
        rgm = best_of(max(3, args.repeat), lambda: run_measured(rg_args))
        lt_rate, rg_rate = size / 1e6 / lt.cpu_s, size / 1e6 / rgm.cpu_s
        print(f"| {name} | {size / 1e6:.0f} | {lt_rate:.1f} | {lt.peak_rss_mb:.0f} | {rg_rate:.1f} | "
              f"{rgm.peak_rss_mb:.0f} | {lt_rate / rg_rate:.3f} |", flush=True)


if __name__ == "__main__":
    main()
