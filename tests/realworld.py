"""The real-world corpus (shared/eval/realworld) scanned by this checkout, held against issue 14's bars.

    python tests/realworld.py [--workdir DIR] [--strict]

Runs `run.sh` with this venv's leaktrace, then reads its report.json. Fails (exit 1) when any
file crashed or hung the scan; with `--strict` also when a bar below is missed. Prints every
figure either way. Skips (exit 0) when shared/ is not beside the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUN = REPO.parent / "shared" / "eval" / "realworld" / "run.sh"
BARS = {"vector precision": 0.99, "vector recall": 0.98, "planted recall": 0.99}
MAX_UNEXPECTED = 10          # resident IDs, mobiles and cards found in real files beyond the expected
COUNTED = ("cn_id", "cn_mobile", "bank_card")


def figures(report: dict) -> list[tuple[str, float, bool]]:
    """(what, figure, meets its bar) for every bar."""
    out = []
    for kind, v in sorted(report["vectors"].items()):
        if kind == "ALL":
            continue
        out.append((f"{kind} vector precision", v["precision"], v["precision"] >= BARS["vector precision"]))
        out.append((f"{kind} vector recall", v["recall"], v["recall"] >= BARS["vector recall"]))
    for group, v in sorted(report["planted_recall"].items()):
        if "stretch" not in group:
            out.append((f"{group} planted recall", v["recall"], v["recall"] >= BARS["planted recall"]))
    unexpected = sum(n for k, n in report["file_unexpected_counts"].items() if k.split()[-1] in COUNTED)
    out.append(("unexpected resident IDs, mobiles, cards", unexpected, unexpected <= MAX_UNEXPECTED))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--strict", action="store_true", help="fail on a missed bar, not only on a crash")
    args = ap.parse_args()
    if not RUN.exists():
        print(f"realworld: {RUN} not found; skipped")
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="leaktrace-realworld-"))
    leaktrace = Path(sys.executable).with_name("leaktrace")
    proc = subprocess.run(["bash", str(RUN), str(leaktrace), str(work)], capture_output=True, text=True)
    (work / "run.log").write_text(proc.stdout + proc.stderr)
    report_file = work / "report.json"
    if proc.returncode or not report_file.exists():
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        print(f"realworld: run.sh failed (exit {proc.returncode})")
        return 1
    report = json.loads(report_file.read_text())
    crashes = report["scan"]["crashes"]
    missed = 0
    for what, value, ok in figures(report):
        missed += not ok
        print(f"realworld: {'ok  ' if ok else 'MISS'} {what}: {value}")
    for c in crashes:
        print(f"realworld: CRASH {c['file']}: {c.get('exception', '')}")
    print(f"realworld: {len(crashes)} crashes, {missed} bars missed; details in {report_file}")
    return 1 if crashes or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
