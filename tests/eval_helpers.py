"""Running leaktrace on an evaluation case and scoring it with shared/eval/score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
EVAL_DEV = ROOT.parent / "shared" / "eval" / "dev"


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    """Run the leaktrace command; fail loudly."""
    return subprocess.run([sys.executable, "-m", "leaktrace", *args], check=True, capture_output=True,
                          text=True, **kw)


def score(task: str, truth: Path, output: Path) -> dict:
    out = subprocess.run([sys.executable, str(SCORER), task, str(truth), str(output)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def scan_and_export(data: Path, work: Path) -> tuple[Path, Path]:
    """Scan `data/evidence` into a case and export revealed findings; returns (case, findings)."""
    case, findings = work / "case", work / "findings.jsonl"
    cli("scan", str(data / "evidence"), "--case", str(case))
    cli("export", "findings", "--case", str(case), "--reveal", "--out", str(findings))
    return case, findings


def register_references(data: Path, case: Path) -> None:
    for f in sorted((data / "references").glob("*.csv")):
        cli("refs", "add", f.stem, str(f), "--case", str(case))
