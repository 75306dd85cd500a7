"""Person identity in generated cases is resolvable by the eval README's rule, checked independently:
identifiers of one record's subject (a valid ledger row, or any references/*.csv row; for telecom
only the caller) belong to one person. Union-find over them must give exactly the truth's person
counts, and different persons must never share an identifier."""
from __future__ import annotations

import csv
import gzip
import json
import unicodedata
from pathlib import Path

import pytest

from leaktrace.synth import generate, ids

#: reference column -> identifier type, for the columns that hold the row subject's identifiers
REF_SUBJECT = {"id_number": "cn_id", "mobile": "cn_mobile", "phone": "cn_mobile", "caller": "cn_mobile",
               "card_no": "bank_card", "email": "email"}


def _norm(kind: str, raw: str) -> str:
    v = unicodedata.normalize("NFKC", raw).strip()
    if kind == "cn_id":
        v = v.upper()
        if len(v) == 15:
            body = v[:6] + "19" + v[6:]
            v = body + ids.id_check(body)
        return v
    if kind == "cn_mobile":
        return "".join(c for c in v if c.isdigit())[-11:]
    if kind == "bank_card":
        return "".join(c for c in v if c.isdigit())
    return v.lower()


class UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, keys: list[str]) -> None:
        if keys:
            a = self.find(keys[0])
            for k in keys[1:]:
                b = self.find(k)
                if b != a:
                    self.parent[b] = a


def _resolve(root: Path) -> tuple[dict, list]:
    uf = UnionFind()
    for ref in sorted((root / "references").glob("*.csv")):
        with open(ref, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                uf.union([f"{REF_SUBJECT[c]}:{_norm(REF_SUBJECT[c], v)}" for c, v in row.items()
                          if c in REF_SUBJECT and v])
    records = []  # (holder, person_id, identifier keys)
    with gzip.open(root / "truth/ledger.csv.gz", "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["valid"] != "1":
                continue
            keys = []
            for kv in r["subject_ids"].split(";"):
                if kv:
                    kind, raw = kv.split(":", 1)
                    keys.append(f"{kind}:{_norm(kind, raw)}")
            assert keys, r
            uf.union(keys)
            records.append((r["path"].split("/", 1)[0], int(r["person_id"]), keys))
    return uf, records


CASES = [("clean", 11, 400), ("clean", 12, 400), ("nasty", 5, 500), ("nasty", 9, 500)]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def case(request, tmp_path_factory):
    variant, seed, persons = request.param
    out = tmp_path_factory.mktemp(f"{variant}{seed}")
    generate(out, persons=persons, seed=seed, variant=variant)
    return out


def test_union_find_gives_truth_person_counts(case):
    uf, records = _resolve(case)
    counts = json.loads((case / "truth/counts.json").read_text())
    everyone, per_holder = set(), {}
    for holder, _, keys in records:
        c = uf.find(keys[0])
        everyone.add(c)
        per_holder.setdefault(holder, set()).add(c)
    assert len(everyone) == counts["persons"]
    for holder, v in counts["holders"].items():
        assert len(per_holder.get(holder, ())) == v["persons"], holder


def test_different_persons_never_share_an_identifier(case):
    uf, records = _resolve(case)
    owner_of_key: dict[str, int] = {}
    owner_of_component: dict[str, int] = {}
    for _, person, keys in records:
        for k in keys:
            assert owner_of_key.setdefault(k, person) == person, k
        c = uf.find(keys[0])
        assert owner_of_component.setdefault(c, person) == person, (c, person)
