"""The `leaktrace` command: one subcommand per stage."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

from .case.store import DUCKDB_MEMORY, CaseError, CaseStore

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="leaktrace: personal-data trafficking and breach evidence workbench.")
out = Console()
err = Console(stderr=True)

CaseOpt = typer.Option(..., "--case", "-c", help="Case folder (created by scan).")


@contextmanager
def _sql_limits(store: CaseStore, what: str) -> Iterator[None]:
    """Turn DuckDB running out of memory or temporary disk into a clear error (exit 1)."""
    import duckdb

    try:
        yield
    except (duckdb.OutOfMemoryException, duckdb.IOException) as exc:
        memory = os.environ.get("LEAKTRACE_MEMORY", DUCKDB_MEMORY)
        if isinstance(exc, duckdb.OutOfMemoryException):
            advice = f"its work did not fit in LEAKTRACE_MEMORY (now {memory}) even spilling: raise it"
        else:
            advice = (f"it spills what does not fit in LEAKTRACE_MEMORY (now {memory}) to {store.spill}: free "
                      f"disk space there or point LEAKTRACE_TEMP at a larger disk (counting 100M records "
                      f"spills about 40 GB)")
        err.print(f"[red]error:[/red] {what} of case {store.root} stopped: {str(exc).splitlines()[0]}\n"
                  f"DuckDB: {advice}. Files already in the case are left as they were.")
        raise typer.Exit(1)


def _open(case: Path) -> CaseStore:
    try:
        return CaseStore(case)
    except CaseError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)


@app.command()
def synth(
    out_dir: Path = typer.Argument(..., help="Folder to write the generated case into."),
    persons: int = typer.Option(20000, "--persons", help="Number of synthetic persons."),
    seed: int = typer.Option(1, "--seed"),
    variant: str = typer.Option("clean", "--variant", help="clean | nasty"),
):
    """Generate a deterministic synthetic case (evidence, references, canaries, web, truth)."""
    from .synth import generate

    if variant not in ("clean", "nasty"):
        err.print("[red]error:[/red] --variant must be clean or nasty")
        raise typer.Exit(2)
    summary = generate(out_dir, persons=persons, seed=seed, variant=variant)
    out.print(f"synthetic case written to {out_dir}: {summary}")


@app.command()
def scan(
    evidence: Path = typer.Argument(..., exists=True, help="Evidence folder: one subfolder per holder."),
    case: Path = CaseOpt,
    holder: Optional[str] = typer.Option(None, "--holder", help="Treat EVIDENCE as the items of this one holder."),
    detect: bool = typer.Option(True, "--detect/--no-detect", help="Find identifiers (default) or only ingest."),
    batch_files: Optional[int] = typer.Option(None, "--batch-files", help="Commit the case store every N files.",
                                              hidden=True),
):
    """Ingest evidence into the case: hash, unpack, decode, detect. Resumes where it stopped."""
    from .heap import keep_freed_memory
    from .ingest.scan import Scanner
    from .ingest.walk import Listing
    from .progress import ScanProgress

    keep_freed_memory()
    store = CaseStore(case, create=True)
    roots = set(store.meta.get("evidence_roots", []))
    roots.add(str(evidence.resolve()))
    store.update_meta(evidence_roots=sorted(roots))
    detector = None
    if detect:
        from .detect.engine import Detector

        detector = Detector()
    store.spill.mkdir(parents=True, exist_ok=True)
    with Listing(evidence, holder, spool=store.spill) as files, \
            ScanProgress(files.files, files.bytes, err) as progress:
        sizes = {"batch_files": batch_files} if batch_files else {}
        scanner = Scanner(store, detector, on_progress=progress.update, **sizes)
        stats = scanner.scan(evidence, holder, files=files)
    err.print(
        f"scanned {stats.files} files ({stats.skipped_done} already done), {stats.documents} documents, "
        f"{stats.bytes / 1e6:.1f} MB, {stats.failed} failed, {stats.findings} findings, {stats.records} records"
    )


@app.command()
def status(case: Path = CaseOpt):
    """What the case holds: items by status with reasons, and totals."""
    from .inspect import print_status

    print_status(_open(case), out)


@app.command()
def verify(
    case: Path = CaseOpt,
    evidence: Path = typer.Argument(..., exists=True, help="The evidence folder scanned into the case."),
    holder: Optional[str] = typer.Option(None, "--holder"),
):
    """Re-hash evidence files and list changed, missing and new ones (exit 1 if any)."""
    from .inspect import verify_evidence

    problems = verify_evidence(_open(case), evidence, holder, out)
    raise typer.Exit(1 if problems else 0)


@app.command()
def export(
    what: str = typer.Argument(..., help="findings"),
    case: Path = CaseOpt,
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | csv | parquet"),
    reveal: bool = typer.Option(False, "--reveal", help="Write identifier values unmasked (audited)."),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Output file (standard output if absent)."),
):
    """Export a table of the case in a machine-readable format."""
    from .export import export_table

    store = _open(case)
    try:
        n = export_table(store, what, fmt, reveal, out_file)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    err.print(f"exported {n} {what}" + (f" to {out_file}" if out_file else ""))


@app.command()
def count(
    case: Path = CaseOpt,
    profile: str = typer.Option("cn-pi-2017", "--profile", help="Legal profile (cn-pi-2017, gdpr-art33, or a YAML file)."),
    insider: list[str] = typer.Option([], "--insider", help="Holder who leaked data held through work (halved thresholds)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON (the eval contract)."),
    link: str = typer.Option("exact", "--link", help="Person resolution: exact (shared identifiers only) "
                             "or probabilistic (also merge persons Splink links; reported, opt-in)."),
    link_threshold: float = typer.Option(0.99, "--link-threshold", help="Match probability for --link probabilistic."),
):
    """Records and persons per holder and category, held against the profile's thresholds."""
    import json

    from .profiles import load
    from .profiles.assess import assess_holders
    from .records.count import count_case
    from .report.console import print_counts

    store = _open(case)
    try:
        prof = load(profile)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if link not in ("exact", "probabilistic"):
        err.print(f"[red]error:[/red] --link must be exact or probabilistic, not {link!r}")
        raise typer.Exit(2)
    with _sql_limits(store, "counting"):
        counts = count_case(store, prof, link=link, link_threshold=link_threshold)
    if link != "exact":
        lk = counts.linkage
        err.print(f"probabilistic linkage (threshold {lk['threshold']}): {lk['links']} links, "
                  f"{lk['merged_persons']} persons merged into others; see derived/possible_links.parquet")
    assess_holders(prof, counts.holders, insider)
    if as_json:
        print(json.dumps(counts.to_json(), ensure_ascii=False, indent=1))
    else:
        print_counts(counts, prof, out)
    from .inspect import not_read_note

    if note := not_read_note(store):
        err.print(f"note: {note}", markup=False, highlight=False)


@app.command()
def lookup(
    value: str = typer.Argument(..., help="An identifier: resident ID, mobile, card number, e-mail ..."),
    case: Path = CaseOpt,
):
    """Every place an identifier, or the person it resolves to, appears (values masked)."""
    from rich.table import Table

    from .lookup import lookup as find

    try:
        keys, places = find(_open(case), value)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    out.print(f"person keys: {', '.join(keys)}" + ("" if places else " — not found in the case"))
    t = Table("holder", "document", "where", "category", "found", "other identifiers on the record")
    for p in places:
        t.add_row(p.holder, p.path, p.locator, p.category or "", p.matched, ", ".join(p.others))
    out.print(t)
    raise typer.Exit(0 if places else 1)


refs_app = typer.Typer(help="Reference databases: the candidate sources of leaked data.", no_args_is_help=True)
app.add_typer(refs_app, name="refs")


@refs_app.command("add")
def refs_add(
    name: str = typer.Argument(..., help="Source name, e.g. the organisation (insurer, hotel)."),
    files: list[Path] = typer.Argument(..., exists=True, help="The source's table files."),
    case: Path = CaseOpt,
    replace: bool = typer.Option(False, "--replace", help="Replace a reference of the same name."),
):
    """Register an organisation's database (or a registry extract) as a reference."""
    from .attribute.references import add_reference

    store = CaseStore(case, create=True)
    try:
        stats = add_reference(store, name, files, replace)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    err.print(f"reference {name}: {stats.documents} documents, {stats.records} rows with identifiers, "
              f"{stats.failed} failed")


@refs_app.command("list")
def refs_list(case: Path = CaseOpt):
    """The registered references."""
    from rich.table import Table

    from .attribute.references import list_references

    t = Table("source", "files", "rows", "rows with identifiers")
    for r in list_references(_open(case)):
        t.add_row(r["source"], str(r["files"]), str(r["rows"]), str(r["records"]))
    out.print(t)


canary_app = typer.Typer(help="Canary persons planted in a source's database.", no_args_is_help=True)
app.add_typer(canary_app, name="canary")


@canary_app.command("make")
def canary_make(
    source: str = typer.Option(..., "--source", help="The organisation whose database gets the canaries."),
    n: int = typer.Option(20, "-n", help="Number of canary persons."),
    out_file: Path = typer.Option(..., "--out", help="CSV to write (source,name,id_number,mobile,email)."),
    domain: Optional[str] = typer.Option(None, "--domain", help="E-mail domain of this canary set "
                                         "(default: <source>-c<seed>.example.cn)."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same canaries."),
    case: Optional[Path] = typer.Option(None, "--case", "-c", help="Avoid identifiers already in this case."),
):
    """Generate canary persons: valid, unique, unlikely-to-collide identifiers (values masked here)."""
    from rich.table import Table

    from .attribute.canaries import case_keys, make_canaries, write_csv

    avoid = case_keys(_open(case)) if case else None
    try:
        canaries = make_canaries(source, n, domain or f"{source.lower()}-c{seed}.example.cn", seed, avoid)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    write_csv(canaries, out_file)
    t = Table("source", "name", "resident ID", "mobile", "e-mail")
    for c in canaries:
        t.add_row(*c.masked())
    out.print(t)
    err.print(f"{len(canaries)} canaries for {source} written to {out_file}")


@canary_app.command("add")
def canary_add(
    file: Path = typer.Argument(..., exists=True, help="Canary list CSV (source,name,id_number,mobile,email)."),
    case: Path = CaseOpt,
):
    """Register a canary list in the case (re-adding a file replaces its earlier registration)."""
    from .attribute.canaries import add_canaries

    store = CaseStore(case, create=True)
    try:
        n, problems = add_canaries(store, file)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    for p in problems:
        err.print(f"[yellow]warning:[/yellow] {file}: {p}")
    err.print(f"{n} canaries registered from {file}")


@app.command()
def attribute(
    case: Path = CaseOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the attribution as JSON (the eval contract)."),
    exact: bool = typer.Option(False, "--exact", help="Match every reference exactly, none by sketch."),
    sketch_min_keys: int = typer.Option(10_000_000, "--sketch-min-keys",
                                        help="References with this many keys or more are compared by MinHash."),
):
    """Candidate sources of each leaked document (containment, shares, schema, canaries) and lineage."""
    from .attribute.attribution import attribute_case, to_json
    from .attribute.console import print_attribution

    store = _open(case)
    with _sql_limits(store, "attribution"):
        result = attribute_case(store, exact=exact, sketch_min_keys=sketch_min_keys)
    if as_json:
        print(to_json(result))
    else:
        print_attribution(result, out)


@app.command()
def report(
    case: Path = CaseOpt,
    out_file: Path = typer.Option(..., "--out", help="Report file to write (.html or .pdf)."),
    lang: str = typer.Option("zh", "--lang", help="Primary language of the labels: zh | en."),
    profile: str = typer.Option("cn-pi-2017", "--profile", help="Legal profile (cn-pi-2017, gdpr-art33, or a YAML file)."),
    insider: list[str] = typer.Option([], "--insider", help="Holder who leaked data held through work (halved thresholds)."),
    fmt: str = typer.Option("html", "--format", help="html | pdf (pdf prints the HTML with headless Chromium)."),
):
    """The case report: one self-contained HTML (or PDF) file, identifiers masked."""
    from .profiles import load
    from .report.html import write_report
    from .report.pdf import ChromiumMissing

    store = _open(case)
    try:
        path = write_report(store, out_file, load(profile), lang, insider, fmt)
    except ChromiumMissing as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    err.print(f"report written to {path}")


@app.command()
def demo(out_dir: Path = typer.Option(Path("demo-case"), "--out", help="Folder for the demo case.")):
    """Generate a synthetic case and run the pipeline on it."""
    from .demo import run_demo

    run_demo(out_dir, out)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
