"""Instructions one in-process scan executes, counted by valgrind (callgrind): a figure that repeats
to within 0.1 % whatever else the machine is doing, for comparing two versions of the code where
CPU seconds move by ±15 % between runs.

    python benchmarks/instructions.py EVIDENCE [EVIDENCE ...] [--src DIR]

Each evidence folder is scanned once into a temporary case (hash seed fixed, no time-based batch
commits); the fixed cost of a scan (imports, compiling the matchers) is measured on a one-file
folder and shown apart. `--src` scans with the package under DIR/src (another checkout).
Valgrind runs the scan about 50 times slower: use samples of ~10 MB (`detect.py --mb 10`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_SCAN = """
import sys, tempfile
from pathlib import Path
from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner
with tempfile.TemporaryDirectory() as case:
    Scanner(CaseStore(Path(case) / "case", create=True), Detector(), batch_seconds=1e12).scan(Path(sys.argv[1]))
"""


def instructions(evidence: Path, src: Path | None) -> int:
    """Instructions of one scan of `evidence` (valgrind's `Collected` total)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src:
        env["PYTHONPATH"] = str(src / "src")
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", _SCAN, str(evidence)], env=env, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not m:
        raise RuntimeError(f"scan of {evidence} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evidence", nargs="+", type=Path)
    ap.add_argument("--src", type=Path, help="a checkout whose src/ to scan with")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind; `make bench-deps`)")
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "h" / "one.txt"
        one.parent.mkdir()
        one.write_text("13800138000\n")
        fixed = instructions(Path(tmp), args.src)
    print(f"fixed cost (imports, compiling): {fixed / 1e9:.3f} G instructions")
    print("| evidence | G instructions | without the fixed cost |")
    print("|---|---:|---:|")
    for ev in args.evidence:
        n = instructions(ev, args.src)
        print(f"| {ev} | {n / 1e9:.3f} | {(n - fixed) / 1e9:.3f} |", flush=True)


if __name__ == "__main__":
    main()
