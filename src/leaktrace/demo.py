"""`demo`: a generated case run through the whole pipeline, ending in the HTML report."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .attribute.attribution import attribute_case
from .attribute.canaries import add_canaries
from .attribute.references import add_reference
from .case.store import CaseStore
from .detect.engine import Detector
from .ingest.scan import Scanner
from .profiles import load
from .report.console import print_counts
from .report.data import collect
from .report.html import save

DEMO_PERSONS = 3000
PROFILE = "cn-pi-2017"


def run_demo(out: Path, console: Console, persons: int = DEMO_PERSONS) -> Path:
    """Generate a case under `out`, run scan, refs, canaries, count, attribute and report; returns the report."""
    from .synth import generate

    if out.exists():
        shutil.rmtree(out)
    data, case, stages = out / "data", out / "case", Table("stage", "result", "seconds", title="leaktrace demo")

    def stage(name: str, fn):
        console.print(f"[bold]{name}[/bold] ...")
        t0 = time.perf_counter()
        result, line = fn()
        stages.add_row(name, line, f"{time.perf_counter() - t0:.1f}")
        return result

    stage("synth", lambda: (None, _summary(generate(data, persons=persons, seed=7, variant="nasty"))))
    store = CaseStore(case, create=True)
    store.update_meta(evidence_roots=[str((data / "evidence").resolve())])

    def scan():
        s = Scanner(store, Detector()).scan(data / "evidence")
        return s, (f"{s.files} files, {s.documents} documents, {s.bytes / 1e6:.1f} MB, {s.findings} findings, "
                   f"{s.records} records, {s.failed} failed")

    def refs():
        files = sorted((data / "references").glob("*.csv"))
        rows = sum(add_reference(store, f.stem, [f]).records for f in files)
        return None, f"{len(files)} references, {rows} rows with identifiers"

    def canaries():
        n, problems = add_canaries(store, data / "canaries.csv")
        return None, f"{n} canaries" + (f", {len(problems)} problems" if problems else "")

    def attribute():
        a = attribute_case(store)
        proven = sum(1 for f in a["files"] if f["candidates"] and f["candidates"][0].get("proven"))
        return a, f"{len(a['files'])} documents, {proven} proven by canaries, {len(a['lineage'])} lineage links"

    profile = load(PROFILE)

    def count():
        d = collect(store, profile, (), attribution)
        return d, f"{d.summary['counted']} records, {d.counts.persons} persons over {d.summary['holders']} holders"

    stage("scan", scan)
    stage("refs add", refs)
    stage("canary add", canaries)
    attribution = stage("attribute", attribute)
    report_data = stage("count", count)
    report = stage("report", lambda: (r := save(report_data, out / "report.html", "zh"), str(r)))
    print_counts(report_data.counts, profile, console)
    console.print(stages)
    console.print(f"report: {report.resolve()}")
    console.print(f"case folder: {case}  (try: leaktrace status --case {case}; "
                  f"leaktrace report --case {case} --lang en --out report-en.html)")
    return report


def _summary(s: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in s.items() if k in ("persons", "files", "records", "findings"))
