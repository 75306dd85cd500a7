"""Run a command in a child process and measure wall time, CPU time and peak RSS of it alone."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# A fresh interpreter runs the command, so its RUSAGE_CHILDREN covers that command only.
_WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.monotonic() - t0, "cpu": r.ru_utime + r.ru_stime, "rss": r.ru_maxrss}))
"""


@dataclass
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


def run_measured(args: list[str]) -> Measurement:
    """Run `args` to completion and measure it; a failure raises with the end of its error output."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"{' '.join(args[2:5])} failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    m = json.loads(out.stdout.strip().splitlines()[-1])
    return Measurement(m["wall"], m["cpu"], m["rss"] / 1024)


def leaktrace(*args: str) -> list[str]:
    return [sys.executable, "-m", "leaktrace", *args]


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
