"""Truth bookkeeping, streamed while the evidence is written (formats of the eval README).

Findings are deduplicated per document and flushed when the document closes; person counts are
bitmaps (one bit per person per holder and category), so memory stays bounded.
"""
from __future__ import annotations

import collections
import gzip
import json
from pathlib import Path

from .sources import CATEGORIES, SOURCES


class Bitmap:
    """A fixed-size set of small integers."""

    def __init__(self, size: int):
        self.bits = bytearray((size + 7) // 8)

    def add(self, i: int) -> None:
        self.bits[i >> 3] |= 1 << (i & 7)

    def __ior__(self, other: "Bitmap") -> "Bitmap":
        self.bits = bytearray((int.from_bytes(self.bits, "little") | int.from_bytes(other.bits, "little"))
                              .to_bytes(len(self.bits), "little"))
        return self

    def count(self) -> int:
        return int.from_bytes(self.bits, "little").bit_count()


SPILL_AT = 10_000  # findings held per open document before they go to a spill file


class Doc:
    """One evidence document (a file or an archive member) and what truth knows about it."""

    def __init__(self, truth: "Truth", path: str, holder: str, dataset: bool):
        self.truth, self.path, self.holder, self.dataset = truth, path, holder, dataset
        self.findings: set[tuple[str, str]] = set()
        self.rows = 0
        self.sources: collections.Counter = collections.Counter()
        self.canary = False
        self._ledger: list | None = None

    def find(self, kind: str, value: str) -> None:
        if value:
            self.findings.add((kind, value.lower() if kind == "email" else value))
            if len(self.findings) >= SPILL_AT:
                self.truth.spill(self)

    def buffer_ledger(self) -> None:
        """Hold ledger lines until close (documents whose reading order differs from write order)."""
        self._ledger = []

    def record(self, person: int, source: str, subject: list, others: list = (), order: tuple = ()) -> None:
        """A record row: ``subject``/``others`` are (type, canonical value, as-written) triples."""
        valid = person >= 0
        self.rows += 1
        self.sources[source] += 1
        if valid:
            for kind, value, _ in subject:
                self.find(kind, value)
            self.truth.count(self.holder, person, source)
            if person >= self.truth.persons:
                self.canary = True
        else:
            self.truth.invalid[self.holder] += 1
        for kind, value, _ in others:
            self.find(kind, value)
        line = [self.path, 0, person, source, SOURCES[source][0], 1 if valid else 0,
                ";".join(f"{k}:{raw}" for k, _, raw in subject)]
        if self._ledger is None:
            line[1] = self.rows
            self.truth.ledger_line(line)
        else:
            self._ledger.append((order, self.rows, line))

    def close(self) -> None:
        if self._ledger is not None:
            for n, (_, _, line) in enumerate(sorted(self._ledger, key=lambda t: (t[0], t[1])), 1):
                line[1] = n
                self.truth.ledger_line(line)
        self.truth.close_doc(self)


class Truth:
    """Collects the truth files of one case under ``root``."""

    def __init__(self, root: Path, persons: int, total: int, holders: list[str]):
        root.mkdir(parents=True, exist_ok=True)
        self.root, self.persons = root, persons
        self._findings = open(root / "findings.jsonl", "w", encoding="utf-8")
        self._negatives = open(root / "negatives.jsonl", "w", encoding="utf-8")
        self._ledger_raw = open(root / "ledger.csv.gz", "wb")
        self._ledger = gzip.GzipFile(filename="", mode="wb", fileobj=self._ledger_raw, mtime=0)
        self._ledger.write(b"path,row,person_id,source,category,valid,subject_ids\n")
        self.holders = holders
        self.bitmaps = {(h, c): Bitmap(total) for h in holders for c in CATEGORIES}
        self.invalid = collections.Counter()
        self.attribution: dict[str, str] = {}
        self.canary_files: list[str] = []
        self.unreadable: list[dict] = []
        self.n_findings = 0
        self._spills: dict[int, Path] = {}
        self.n_records = 0
        self._neg_per_doc = collections.Counter()

    def doc(self, path: str, holder: str, dataset: bool = False) -> Doc:
        return Doc(self, path, holder, dataset)

    def count(self, holder: str, person: int, source: str) -> None:
        self.bitmaps[holder, SOURCES[source][0]].add(person)

    def ledger_line(self, line: list) -> None:
        self.n_records += 1
        self._ledger.write((",".join(map(str, line)) + "\n").encode("utf-8"))

    def negative(self, path: str, kind: str, raw: str, cap: int = 200) -> None:
        """Log a planted hard negative (at most ``cap`` per document and kind)."""
        self._neg_per_doc[path, kind] += 1
        if self._neg_per_doc[path, kind] <= cap:
            self._negatives.write(json.dumps({"path": path, "kind": kind, "raw": raw}, ensure_ascii=False) + "\n")

    def spill(self, doc: Doc) -> None:
        """Move a document's pending findings to disk (all open documents together stay small)."""
        path = self._spills.setdefault(id(doc), self.root / f".spill_{len(self._spills)}")
        with open(path, "a", encoding="utf-8") as f:
            f.writelines(f"{k}\t{v}\n" for k, v in doc.findings)
        doc.findings = set()

    def close_doc(self, doc: Doc) -> None:
        spilled = self._spills.pop(id(doc), None)
        if spilled:
            with open(spilled, encoding="utf-8") as f:
                doc.findings.update(tuple(line.rstrip("\n").split("\t", 1)) for line in f)
            spilled.unlink()
        for kind, value in sorted(doc.findings):
            self._findings.write(json.dumps({"path": doc.path, "type": kind, "value": value}, ensure_ascii=False) + "\n")
        self.n_findings += len(doc.findings)
        doc.findings = set()
        if doc.dataset and doc.rows:
            source, n = doc.sources.most_common(1)[0]
            if n >= 0.7 * doc.rows:
                self.attribution[doc.path] = source
            if doc.canary:
                self.canary_files.append(doc.path)

    def add_unreadable(self, path: str, reason: str, copy_of: str | None) -> None:
        self.unreadable.append({"path": path, "reason": reason, "copy_of": copy_of})

    def finish(self, network: dict, monitor: dict) -> dict:
        """Write the remaining truth files; returns the counts object."""
        for f in (self._findings, self._negatives, self._ledger):
            f.close()
        self._ledger_raw.close()
        everyone = Bitmap(len(self.bitmaps[self.holders[0], CATEGORIES[0]].bits) * 8)
        holders = {}
        for h in self.holders:
            mine = Bitmap(len(everyone.bits) * 8)
            for c in CATEGORIES:
                mine |= self.bitmaps[h, c]
            everyone |= mine
            holders[h] = {"records": {c: self.bitmaps[h, c].count() for c in CATEGORIES},
                          "persons": mine.count(), "invalid": self.invalid[h]}
        counts = {"profile": "cn-pi-2017", "holders": holders, "persons": everyone.count()}
        self._dump("counts.json", counts)
        self._dump("attribution.json", {"files": self.attribution, "canary_files": sorted(self.canary_files)})
        self._dump("unreadable.json", self.unreadable)
        self._dump("network.json", network)
        self._dump("monitor.json", monitor)
        return counts

    def _dump(self, name: str, obj) -> None:
        (self.root / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
