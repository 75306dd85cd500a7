"""The orchestrator: one streaming pass over persons writes references and leaked datasets,
then archives, chats, bills, notes, web pages and the truth files.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from . import ids
from .chats import actors, network_truth, write_bills, write_chats
from .containers import pack
from .datasets import Dataset
from .notes import write_nasty_extras, write_notes
from .persons import make_person
from .plan import HOLDERS, clean_containers, clean_specs, nasty_containers, nasty_specs
from .sources import CANARY_SOURCES, SOURCES, memberships, source_rows
from .truth import Truth
from .web import write_pages

N_CANARIES = 15 * len(CANARY_SOURCES)
SAMPLES_PER_SOURCE = 60
VARIANTS = ("clean", "nasty")


def _order(persons: int):
    """Person indices in writing order, with the canaries spread among them: (index, canary source)."""
    at = {(j + 1) * persons // (N_CANARIES + 1): j for j in range(N_CANARIES)}
    for i in range(persons):
        yield i, None
        if i in at:
            j = at[i]
            yield persons + j, CANARY_SOURCES[j // 15]


def generate(out: Path, persons: int = 20000, seed: int = 1, variant: str = "clean") -> dict:
    """Write a complete deterministic synthetic case under ``out``; returns a summary dict."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    if persons < N_CANARIES + 1:
        raise ValueError("persons too small")
    out = Path(out)
    for sub in ("evidence", "references", "web", "truth", ".stage"):
        shutil.rmtree(out / sub, ignore_errors=True)
    evidence, stage = out / "evidence", out / ".stage"
    stage.mkdir(parents=True)
    truth = Truth(out / "truth", persons, persons + N_CANARIES, list(HOLDERS))

    specs = clean_specs() + (nasty_specs() if variant == "nasty" else [])
    boxes = clean_containers() + (nasty_containers() if variant == "nasty" else [])
    disk = {}
    for n, s in enumerate(specs):
        disk[s.path] = stage / f"{n:03d}_{s.path.rsplit('/', 1)[-1]}" if "!" in s.path else evidence / s.path
    for n, c in enumerate(boxes):
        disk[c.path] = stage / f"box{n:03d}_{c.path.rsplit('/', 1)[-1]}" if "!" in c.path else evidence / c.path

    datasets, by_source = [], {s: [] for s in SOURCES}
    for n, s in enumerate(specs):
        expected = int(persons * sum(p.rate * SOURCES[src][2] for p in s.parts for src in p.sources)) + 1
        ds = Dataset(s, disk[s.path], truth.doc(s.path, s.holder, dataset=True), seed, n, expected, persons)
        datasets.append(ds)
        for k, part in enumerate(s.parts):
            for src in part.sources:
                by_source[src].append((ds, k))

    samples = _stream(out, seed, persons, by_source)
    for ds in datasets:
        ds.close()
    for c in boxes:
        pack(c.kind, disk[c.path], [(name, disk[child]) for name, child in c.members])
        for _, child in c.members:
            if "!" in child:
                disk[child].unlink()

    acts = actors(seed)
    write_chats(seed, truth, evidence, acts, samples)
    write_bills(seed, truth, evidence, acts)
    write_notes(seed, truth, evidence, acts)
    if variant == "nasty":
        write_nasty_extras(seed, truth, evidence, acts, samples, stage, disk)
    monitor = write_pages(seed, out / "web")
    counts = truth.finish(network_truth(acts), monitor)
    shutil.rmtree(stage)
    return {"variant": variant, "seed": seed, "persons": persons + N_CANARIES,
            "files": sum(1 for p in evidence.rglob("*") if p.is_file()),
            "records": truth.n_records, "findings": truth.n_findings, "persons_in_evidence": counts["persons"]}


def _stream(out: Path, seed: int, persons: int, by_source: dict) -> dict:
    """The single pass: reference rows, canaries.csv, dataset rows; returns chat sample rows."""
    refs = out / "references"
    refs.mkdir(parents=True)
    files = {s: open(refs / f"{s}.csv", "w", encoding="utf-8", newline="") for s in SOURCES}
    writers = {s: csv.writer(f, lineterminator="\n") for s, f in files.items()}
    for s, (_, columns, _) in SOURCES.items():
        writers[s].writerow(columns)
    samples = {s: [] for s in SOURCES}
    with open(out / "canaries.csv", "w", encoding="utf-8", newline="") as cf:
        canaries = csv.writer(cf, lineterminator="\n")
        canaries.writerow(["source", "name", "id_number", "mobile", "email"])
        for i, canary in _order(persons):
            p = make_person(seed, i)
            if canary:
                canaries.writerow([canary, p.name, p.cn_id, p.mobile, p.email])
            for s in memberships(seed, p, canary):
                rows = source_rows(seed, p, s)
                writers[s].writerows([row[c] for c in SOURCES[s][1]] for row in rows)
                if not canary and len(samples[s]) < SAMPLES_PER_SOURCE:
                    samples[s].append((i, rows[0]))
                for ds, part in by_source[s]:
                    if ds.wants(part, s, i, bool(canary)):
                        r = ids.rng_for(seed, "pick", ds.number, i)
                        picked = [row for row in rows if r.random() < 0.7] or rows[:1]
                        for row in picked:
                            ds.emit(part, i, s, row)
    for f in files.values():
        f.close()
    return samples
