"""Canary persons: made-up customers planted in one organisation's database.

A canary exists only in its source's database, so finding one of its identifiers in a
leaked file proves the file (or part of it) came from that source. `make_canaries`
generates format-valid, unique, unlikely-to-collide persons; `add_canaries` registers a
canary list (CSV `source,name,id_number,mobile,email`) into the case store.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..case.store import CaseStore, _now, private_file
from ..identifiers import cn_id, cn_mobile, email
from ..synth import ids as synth_ids
from ..synth.persons import REGIONS, make_name

COLUMNS = ("source", "name", "id_number", "mobile", "email")

#: Allocated mobile blocks (the validator's) that the synthetic generator also uses.
MOBILE_BLOCKS = tuple(sorted({p for p in synth_ids.MOBILE_PREFIXES if int(p) in cn_mobile.PREFIXES}))


@dataclass(frozen=True)
class Canary:
    source: str
    name: str
    id_number: str
    mobile: str
    email: str

    def masked(self) -> tuple[str, str, str, str, str]:
        return (self.source, self.name[:1] + "*" * (len(self.name) - 1), cn_id.mask(self.id_number),
                cn_mobile.mask(self.mobile), email.mask(self.email))


def make_canaries(source: str, n: int, domain: str, seed: int = 0,
                  avoid: set[str] | None = None) -> list[Canary]:
    """`n` canary persons for `source`: valid resident ID (real region, birth 1960-1999),
    mobile in an allocated block, e-mail at `domain`; deterministic in (source, seed),
    unique, and none of them in `avoid` (normalised keys `type:value` already in the case)."""
    email.validate(f"x@{domain}")  # a domain the e-mail validator accepts, or raise
    r = synth_ids.rng_for(seed, "canary", source, domain)
    avoid = avoid or set()
    seen: set[str] = set()
    out: list[Canary] = []
    regions = sorted(REGIONS)
    first, days = dt.date(1960, 1, 1), (dt.date(1999, 12, 31) - dt.date(1960, 1, 1)).days
    while len(out) < n:
        male = r.random() < 0.5
        name, py = make_name(r, male)
        seq = r.randrange(500) * 2 + (1 if male else 0)  # odd sequence for men
        idn = synth_ids.make_id(r.choice(regions), first + dt.timedelta(days=r.randrange(days)), seq)
        mob = r.choice(MOBILE_BLOCKS) + f"{r.randrange(10**8):08d}"
        mail = f"{''.join(py[1:])}.{py[0]}{r.randrange(10**6):06d}@{domain}"
        keys = {f"cn_id:{idn}", f"cn_mobile:{mob}", f"email:{mail}"}
        if keys & (seen | avoid) or not (cn_id.is_valid(idn) and cn_mobile.is_valid(mob) and email.is_valid(mail)):
            continue
        seen |= keys
        out.append(Canary(source, name, idn, mob, mail))
    return out


def case_keys(store: CaseStore) -> set[str]:
    """Every identifier key of the case (evidence, references and canaries), to avoid collisions."""
    with store.connect() as con:
        rows = con.execute("""
            SELECT DISTINCT unnest(string_split(ids, ';')) FROM (
              SELECT ids FROM records WHERE ids IS NOT NULL UNION ALL
              SELECT ids FROM ref_records WHERE ids IS NOT NULL)""").fetchall()
        rows += con.execute(f"SELECT unnest([{CANARY_KEYS_SQL}]) FROM canaries").fetchall()
    return {k for (k,) in rows if k}


def write_csv(canaries: list[Canary], path: Path) -> None:
    """Write the canary list as CSV (0600: known, canaries prove nothing; a temp file renamed into place)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with private_file(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for c in canaries:
            w.writerow([c.source, c.name, c.id_number, c.mobile, c.email])
    os.replace(tmp, path)


def read_csv(path: Path) -> tuple[list[Canary], list[str]]:
    """Canaries of a CSV list with normalised identifiers, and the problems of rows left out."""
    out, problems = [], []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            vals = {}
            for col, mod in (("id_number", cn_id), ("mobile", cn_mobile), ("email", email)):
                raw = (row.get(col) or "").strip()
                if not raw:
                    vals[col] = None
                    continue
                try:
                    vals[col] = mod.validate(raw)
                except ValueError as exc:
                    vals[col] = None
                    problems.append(f"line {line}: {col} invalid ({type(exc).__name__}); left out")
            source = (row.get("source") or "").strip()
            if not source or not any(vals.values()):
                problems.append(f"line {line}: no source or no valid identifier; row left out")
                continue
            out.append(Canary(source, (row.get("name") or "").strip(), vals["id_number"], vals["mobile"],
                              vals["email"]))
    return out, problems


def add_canaries(store: CaseStore, path: Path) -> tuple[int, list[str]]:
    """Register the canaries of `path` (replacing an earlier registration of the same file);
    returns (canaries added, problems)."""
    canaries, problems = read_csv(path)
    name = str(Path(path).resolve())
    store.drop_batches(store.batches_where("canaries", "file = ?", [name]))
    batch = store.new_batch()
    added = _now()
    batch.add("canaries", [{"source": c.source, "name": c.name, "id_number": c.id_number, "mobile": c.mobile,
                            "email": c.email, "file": name, "added": added} for c in canaries])
    batch.commit()
    store.audit("canary_add", file=name, canaries=len(canaries), problems=len(problems))
    return len(canaries), problems


#: SQL list of a `canaries` row's identifier keys (in the `records.ids` form `type:value`).
CANARY_KEYS_SQL = ("'cn_id:' || id_number, 'cn_mobile:' || mobile, 'email:' || email")


def canary_keys_sql() -> str:
    """A query of `(key, source, canary)`: each canary identifier with its source and a canary id."""
    return f"""
        SELECT DISTINCT key, source, canary FROM (
          SELECT source, concat_ws('|', id_number, mobile, email) AS canary,
                 unnest([{CANARY_KEYS_SQL}]) AS key FROM canaries)
        WHERE key IS NOT NULL"""
