"""`demo`: a generated case run through the pipeline, for a first look at leaktrace."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .case.store import CaseStore
from .detect.engine import Detector
from .ingest.scan import Scanner
from .inspect import print_status

DEMO_PERSONS = 3000


def run_demo(out: Path, console: Console) -> Path:
    """Generate a case under `out`, scan it and print what was found; returns the case folder."""
    from .synth import generate

    if out.exists():
        shutil.rmtree(out)
    data = out / "data"
    console.print(f"[bold]1. synth[/bold]: generating a synthetic case ({DEMO_PERSONS} persons) in {data}")
    generate(data, persons=DEMO_PERSONS, seed=7, variant="nasty")
    case = out / "case"
    console.print(f"[bold]2. scan[/bold]: {data / 'evidence'} -> {case}")
    store = CaseStore(case, create=True)
    stats = Scanner(store, Detector()).scan(data / "evidence")
    console.print(f"   {stats.documents} documents, {stats.bytes / 1e6:.1f} MB, {stats.findings} findings, "
                  f"{stats.records} records, {stats.failed} failed")
    console.print("[bold]3. status[/bold]")
    print_status(store, console)
    with store.connect() as con:
        rows = con.execute("""SELECT holder, type, count(DISTINCT value) FROM findings
                              GROUP BY 1, 2 ORDER BY 1, 2""").fetchall()
    t = Table("holder", "identifier type", "distinct values", title="identifiers found")
    for h, ty, n in rows:
        t.add_row(h, ty, str(n))
    console.print(t)
    console.print(f"case folder: {case}  (try: leaktrace export findings --case {case} | head)")
    return case
