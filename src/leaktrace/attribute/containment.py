"""Containment of a leaked document's keys in a reference: exact for small references,
MinHash LSH Ensemble sketches (datasketch) for large ones.

Small references (fewer than `SKETCH_MIN_KEYS` distinct keys) are matched exactly, record by
record, with the SQL of `records.sources` (shared with counting). A large reference is
summarised once as a MinHash of its distinct keys (kept in `derived/ref_sketches.parquet`,
rebuilt when the reference changes); a document's MinHash is queried against an LSH Ensemble
of those sketches, and for each candidate the containment |Q∩X|/|Q| is estimated from the
Jaccard estimate Ĵ as Ĵ(|X|+|Q|)/((1+Ĵ)|Q|). One standard error of Ĵ is sqrt(J(1-J)/k) for
k permutations, so the containment error is (|X|+|Q|)/(|Q|(1+Ĵ)²)·sqrt(J(1-J)/k): it grows
with the size ratio |X|/|Q| (see docs/attribution.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHash, MinHashLSHEnsemble

from ..case.store import CaseStore, private_dir, private_file
from ..records.sources import key_id

#: References with at least this many distinct keys are sketched instead of matched exactly.
SKETCH_MIN_KEYS = 10_000_000
NUM_PERM = 256
SEED = 7
#: LSH Ensemble containment threshold for a reference to be a candidate of a document.
LSH_THRESHOLD = 0.3
CHUNK = 65_536
#: Sketch input: a key as 32 bits of its key id (records.sources.key_id); named in the fingerprint.
HASH_SCHEME = "md5-low32"


def key_hash32(k: str) -> str:
    """SQL: the 32-bit sketch hash of key id `k`."""
    return f"({k} & 4294967295)::UINTEGER"


def _identity(x):
    return x


def minhash(hashes: np.ndarray) -> MinHash:
    """MinHash (affine32 scheme) of a set given as 32-bit key hashes, fed in chunks."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)
    for i in range(0, len(hashes), CHUNK):
        m.update_batch(hashes[i:i + CHUNK])
    return m


def ref_key_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Distinct identifier keys per registered reference."""
    rows = con.execute("""
        SELECT holder, count(DISTINCT key) FROM (
          SELECT holder, unnest(string_split(ids, ';')) AS key FROM ref_records WHERE ids IS NOT NULL)
        GROUP BY holder""").fetchall()
    return dict(rows)


@dataclass
class Sketch:
    source: str
    keys: int
    minhash: MinHash


def _fingerprint(store: CaseStore, source: str) -> str:
    batches = ",".join(str(b) for b in sorted(store.batches_where("ref_manifest", "holder = ?", [source])))
    return f"{HASH_SCHEME}:{batches}"


def ref_sketches(store: CaseStore, con: duckdb.DuckDBPyConnection, counts: dict[str, int]) -> list[Sketch]:
    """Sketches of the given references, from `derived/ref_sketches.parquet` when still current,
    else built from `ref_records` and saved."""
    cached: dict[str, dict] = {}
    path = store.derived("ref_sketches")
    if path:
        for row in pq.read_table(path).to_pylist():
            cached[row["source"]] = row
    out, changed = [], False
    for source, n in sorted(counts.items()):
        fp = _fingerprint(store, source)
        row = cached.get(source)
        if not (row and row["fingerprint"] == fp and row["num_perm"] == NUM_PERM and row["seed"] == SEED):
            hashes = con.execute(f"""
                SELECT DISTINCT {key_hash32(key_id('key'))} AS h FROM (
                  SELECT unnest(string_split(ids, ';')) AS key FROM ref_records
                  WHERE holder = ? AND ids IS NOT NULL)""", [source]).fetchnumpy()
            m = minhash(np.asarray(hashes["h"], dtype=np.uint32))
            row = {"source": source, "keys": n, "fingerprint": fp, "num_perm": NUM_PERM, "seed": SEED,
                   "hashvalues": m.hashvalues.tolist()}
            cached[source], changed = row, True
        hv = np.asarray(row["hashvalues"], dtype=np.uint32)
        out.append(Sketch(source, row["keys"], MinHash(seed=SEED, hashvalues=hv, scheme="affine32")))
    if changed:
        folder = store.root / "derived"
        private_dir(folder)
        table = pa.Table.from_pylist(list(cached.values()), schema=pa.schema([
            ("source", pa.string()), ("keys", pa.int64()), ("fingerprint", pa.string()),
            ("num_perm", pa.int32()), ("seed", pa.int32()), ("hashvalues", pa.list_(pa.uint32()))]))
        tmp = folder / "ref_sketches.parquet.tmp"
        with private_file(tmp, "wb") as f:
            pq.write_table(table, f)
        tmp.replace(folder / "ref_sketches.parquet")
    return out


def containment_estimate(j: float, q: int, x: int, k: int = NUM_PERM) -> tuple[float, float]:
    """Containment of a set of size q in one of size x from a Jaccard estimate j: (estimate, std error)."""
    est = j * (x + q) / ((1 + j) * q) if q else 0.0
    jj = min(max(j, 1.0 / k), 1.0)
    err = (x + q) / (q * (1 + j) ** 2) * math.sqrt(jj * (1 - jj) / k) if q else 1.0
    return min(est, 1.0), min(err, 1.0)


def sketch_containment(con: duckdb.DuckDBPyConnection, sketches: list[Sketch]) -> list[dict]:
    """For each document of `rec`/`rec_keys` and each sketched reference the LSH Ensemble returns:
    `{path, source, containment, error, keys}` (keys: the document's distinct keys)."""
    if not sketches:
        return []
    lsh = MinHashLSHEnsemble(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, num_part=min(8, len(sketches)))
    lsh.index([(s.source, s.minhash, s.keys) for s in sketches])
    by_source = {s.source: s for s in sketches}
    docs = con.execute(f"""
        SELECT path, list(DISTINCT {key_hash32('k')}) AS hs
        FROM rec_keys JOIN rec USING (rid) GROUP BY path ORDER BY path""").fetchall()
    out = []
    for path, hs in docs:
        hashes = np.asarray(hs, dtype=np.uint32)
        m = minhash(hashes)
        for source in sorted(lsh.query(m, len(hashes))):
            s = by_source[source]
            est, err = containment_estimate(m.jaccard(s.minhash), len(hashes), s.keys)
            out.append({"path": path, "source": source, "containment": est, "error": err, "keys": len(hashes)})
    return out
