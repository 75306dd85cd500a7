"""The `leaktrace` command: one subcommand per stage."""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

from .case.store import DUCKDB_MEMORY, CaseBusy, CaseError, CaseStore, CaseWriteError, private_dir
from .terminal import literal, shown

out = Console()
err = Console(stderr=True)

CaseOpt = typer.Option(..., "--case", "-c", help="Case folder (created by scan).")
RevealOpt = typer.Option(False, "--reveal", help="Show identifiers in paths and names unmasked (audited).")
# Exit codes beyond 0-2: another process writes the case (try again later); the case could not be written.
EXIT_BUSY, EXIT_WRITE = 75, 74


def _fail(message: object, code: int) -> typer.Exit:
    """Print an error (identifiers in it masked, printed literally) and return the exit to raise."""
    err.print(f"[red]error:[/red] {shown(message)}")
    return typer.Exit(code)


class _App(typer.Typer):
    """The command line; a busy case or a failed write to it ends any command with a message, not a trace."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except CaseBusy as exc:
            _fail(exc, EXIT_BUSY)
            sys.exit(EXIT_BUSY)
        except (CaseWriteError, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise
            _fail(exc if isinstance(exc, CaseWriteError) else CaseWriteError(exc.filename or "", exc), EXIT_WRITE)
            sys.exit(EXIT_WRITE)


# A crash's traceback shows no local variables: they hold identifier values and evidence text.
app = _App(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
           help="leaktrace: personal-data trafficking and breach evidence workbench.")


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
        raise _fail(f"{what} of case {store.root} stopped: {str(exc).splitlines()[0]}\n"
                    f"DuckDB: {advice}. Files already in the case are left as they were.", 1)


def _open(case: Path, create: bool = False) -> CaseStore:
    try:
        return CaseStore(case, create=create)
    except CaseError as exc:
        raise _fail(exc, 2)
    except OSError as exc:
        raise _fail(f"cannot create the case {case}: {exc.strerror or exc}", EXIT_WRITE)


def _apart(evidence: Path, case: Path) -> None:
    """Refuse a case folder inside the evidence (a scan would write into the evidence and read its own
    case back) and evidence inside the case."""
    ev, cs = evidence.resolve(), case.resolve()
    if cs == ev or ev in cs.parents:
        raise _fail(f"the case folder {case} is inside the evidence folder {evidence}: a scan must never write "
                    "into the evidence; choose a case folder outside it", 2)
    if cs in ev.parents:
        raise _fail(f"the evidence {evidence} is inside the case folder {case}; keep evidence and case apart", 2)


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
        raise _fail("--variant must be clean or nasty", 2)
    summary = generate(out_dir, persons=persons, seed=seed, variant=variant)
    out.print(f"synthetic case written to {literal(out_dir)}: {literal(summary)}")


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
    if holder is None and not evidence.is_dir():
        raise _fail(f"{literal(evidence)} is a file: name its holder with --holder", 2)
    _apart(evidence, case)
    store = _open(case, create=True)
    store.lock("scan")      # held until the scan ends; a second writer is refused
    _note_root(store, evidence, holder)
    detector = None
    if detect:
        from .detect.engine import Detector

        detector = Detector()
    private_dir(store.spill, own=store.spill == store.root / "tmp")
    with Listing(evidence, holder, spool=store.spill) as files, \
            ScanProgress(files.files, files.bytes, err) as progress:
        sizes = {"batch_files": batch_files} if batch_files else {}
        scanner = Scanner(store, detector, on_progress=progress.update, **sizes)
        stats = scanner.scan(evidence, holder, files=files)
    err.print(
        f"scanned {stats.files} files ({stats.skipped_done} already done), {stats.documents} documents, "
        f"{stats.bytes / 1e6:.1f} MB, {stats.failed} failed, {stats.findings} findings, {stats.records} records"
    )


def _note_root(store: CaseStore, evidence: Path, holder: str | None) -> None:
    """Record the evidence root and its holders in case.json (`verify` reports a holder gone since)."""
    from .ingest.walk import ROOT_HOLDER, display_name

    root = str(evidence.resolve())
    if holder is not None:
        holders = {holder}
    else:
        holders = {display_name(e.name) if e.is_dir(follow_symlinks=False) else ROOT_HOLDER
                   for e in os.scandir(evidence)}
    meta = store.meta
    known = meta.get("evidence_holders", {})
    known[root] = sorted(set(known.get(root, [])) | holders)
    store.update_meta(evidence_roots=sorted(set(meta.get("evidence_roots", [])) | {root}), evidence_holders=known)


def _revealed(store: CaseStore, reveal: bool, command: str) -> bool:
    """`reveal`, written to the case's audit log when set."""
    if reveal:
        store.audit("reveal", command=command)
    return reveal


@app.command()
def status(case: Path = CaseOpt, reveal: bool = RevealOpt):
    """What the case holds: items by status with reasons, and totals."""
    from .inspect import print_status

    store = _open(case)
    print_status(store, out, _revealed(store, reveal, "status"))


@app.command()
def verify(
    case: Path = CaseOpt,
    evidence: Path = typer.Argument(..., exists=True, help="The evidence folder scanned into the case."),
    holder: Optional[str] = typer.Option(None, "--holder"),
    reveal: bool = RevealOpt,
):
    """Re-hash evidence files and list changed, missing, new and unreadable ones (exit 1 if any)."""
    from .inspect import verify_evidence

    store = _open(case)
    try:
        problems = verify_evidence(store, evidence, holder, out, _revealed(store, reveal, "verify"))
    except OSError as exc:
        raise _fail(f"cannot walk the evidence {evidence}: {exc.strerror or exc}", 2)
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
        raise _fail(exc, 2)
    err.print(f"exported {n} {what}" + (f" to {literal(out_file)}" if out_file else ""))


@app.command()
def count(
    case: Path = CaseOpt,
    profile: str = typer.Option("cn-pi-2017", "--profile", help="Legal profile (cn-pi-2017, gdpr-art33, or a YAML file)."),
    insider: list[str] = typer.Option([], "--insider", help="Holder who leaked data held through work (halved thresholds)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON (the eval contract)."),
    link: str = typer.Option("exact", "--link", help="Person resolution: exact (shared identifiers only) "
                             "or probabilistic (also merge persons Splink links; reported, opt-in)."),
    link_threshold: float = typer.Option(0.99, "--link-threshold", help="Match probability for --link probabilistic."),
    reveal: bool = typer.Option(False, "--reveal", help="Holder names unmasked in --json (audited)."),
):
    """Records and persons per holder and category, held against the profile's thresholds."""
    import json

    from .mask import redact_tree
    from .profiles import load
    from .profiles.assess import assess_holders
    from .records.count import count_case
    from .report.console import print_counts

    store = _open(case)
    try:
        prof = load(profile)
    except ValueError as exc:
        raise _fail(exc, 2)
    if link not in ("exact", "probabilistic"):
        raise _fail(f"--link must be exact or probabilistic, not {link!r}", 2)
    with store.writing("count"), _sql_limits(store, "counting"):
        counts = count_case(store, prof, link=link, link_threshold=link_threshold)
    if link != "exact":
        lk = counts.linkage
        err.print(f"probabilistic linkage (threshold {lk['threshold']}): {lk['links']} links, "
                  f"{lk['merged_persons']} persons merged into others; see derived/possible_links.parquet")
    assess_holders(prof, counts.holders, insider)
    if as_json:
        data = counts.to_json()
        print(json.dumps(data if _revealed(store, reveal, "count") else redact_tree(data), ensure_ascii=False, indent=1))
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
        raise _fail(exc, 2)
    out.print(f"person keys: {literal(', '.join(keys))}" + ("" if places else " — not found in the case"))
    t = Table("holder", "document", "where", "category", "found", "other identifiers on the record")
    for p in places:   # lookup masked what could hold an identifier; literal() keeps markup and controls inert
        t.add_row(*map(literal, (p.holder, p.path, p.locator, p.category or "", p.matched, ", ".join(p.others))))
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

    store = _open(case, create=True)
    with store.writing("refs add"):
        try:
            stats = add_reference(store, name, files, replace)
        except ValueError as exc:
            raise _fail(exc, 2)
    err.print(f"reference {shown(name)}: {stats.documents} documents, {stats.records} rows with identifiers, "
              f"{stats.failed} failed")


@refs_app.command("list")
def refs_list(case: Path = CaseOpt):
    """The registered references."""
    from rich.table import Table

    from .attribute.references import list_references

    t = Table("source", "files", "rows", "rows with identifiers")
    for r in list_references(_open(case)):
        t.add_row(shown(r["source"]), str(r["files"]), str(r["rows"]), str(r["records"]))
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
        raise _fail(exc, 2)
    write_csv(canaries, out_file)
    t = Table("source", "name", "resident ID", "mobile", "e-mail")
    for c in canaries:
        t.add_row(*map(literal, c.masked()))
    out.print(t)
    err.print(f"{len(canaries)} canaries for {literal(source)} written to {literal(out_file)}")


@canary_app.command("add")
def canary_add(
    file: Path = typer.Argument(..., exists=True, help="Canary list CSV (source,name,id_number,mobile,email)."),
    case: Path = CaseOpt,
):
    """Register a canary list in the case (re-adding a file replaces its earlier registration)."""
    from .attribute.canaries import add_canaries

    store = _open(case, create=True)
    with store.writing("canary add"):
        try:
            n, problems = add_canaries(store, file)
        except ValueError as exc:
            raise _fail(exc, 2)
    for p in problems:
        err.print(f"[yellow]warning:[/yellow] {shown(file)}: {shown(p)}")
    err.print(f"{n} canaries registered from {shown(file)}")


@app.command()
def attribute(
    case: Path = CaseOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the attribution as JSON (the eval contract)."),
    exact: bool = typer.Option(False, "--exact", help="Match every reference exactly, none by sketch."),
    sketch_min_keys: int = typer.Option(10_000_000, "--sketch-min-keys",
                                        help="References with this many keys or more are compared by MinHash."),
    reveal: bool = typer.Option(False, "--reveal", help="Paths and names unmasked (audited); masked otherwise."),
):
    """Candidate sources of each leaked document (containment, shares, schema, canaries) and lineage."""
    from .attribute.attribution import attribute_case, to_json
    from .attribute.console import print_attribution
    from .mask import redact_tree

    store = _open(case)
    with _sql_limits(store, "attribution"):
        result = attribute_case(store, exact=exact, sketch_min_keys=sketch_min_keys)
    if not _revealed(store, reveal, "attribute"):
        result = redact_tree(result)
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
        with store.writing("report"):
            path = write_report(store, out_file, load(profile), lang, insider, fmt)
    except ChromiumMissing as exc:
        raise _fail(exc, 3)
    except ValueError as exc:
        raise _fail(exc, 2)
    err.print(f"report written to {literal(path)}")


@app.command()
def demo(out_dir: Path = typer.Option(Path("demo-case"), "--out", help="Folder for the demo case.")):
    """Generate a synthetic case and run the pipeline on it."""
    from .demo import run_demo

    run_demo(out_dir, out)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
