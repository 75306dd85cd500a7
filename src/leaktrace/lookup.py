"""`lookup`: every place an identifier, or the person it resolves to, appears in the case."""

from __future__ import annotations

from dataclasses import dataclass

from . import identifiers
from .case.store import CaseStore
from .mask import mask_value, redact
from .identifiers import PERSON_KEYS
from .records.sources import key_id, key_id_from_columns


@dataclass
class Place:
    holder: str
    path: str
    locator: str
    category: str | None
    matched: str                 # the key found at this place (masked)
    others: list[str]            # other identifiers on that record (masked)


def keys_of(value: str) -> list[str]:
    """The person keys (`type:value`) a value written by the user may be."""
    keys = []
    for t in sorted(PERSON_KEYS):
        mod = identifiers.get(t)
        try:
            keys.append(f"{t}:{mod.validate(value)}")
        except (ValueError, identifiers.InvalidIdentifier):
            continue
    return keys


def _masked_key(key: str) -> str:
    t, _, v = key.partition(":")
    return f"{t}:{mask_value(t, v)}"


def lookup(store: CaseStore, value: str) -> tuple[list[str], list[Place]]:
    """(the person's keys, masked, and the places they appear, identifiers in their paths and locators
    masked too). Uses the last `count`'s person resolution when there is one; without it, only the
    value itself is looked up."""
    keys = keys_of(value)
    if not keys:
        raise ValueError("not a valid identifier of any person-key type (resident ID, mobile, card, e-mail, ...)")
    with store.connect() as con:
        persons = store.derived("person_of")
        if persons:
            kid = key_id_from_columns()
            con.read_parquet(str(persons)).create_view("person_of")
            rows = con.execute(f"""
                WITH ks AS (SELECT {kid} AS k FROM person_of WHERE person IN
                         (SELECT person FROM person_of WHERE {kid} IN (SELECT {key_id('unnest(?)')})))
                SELECT DISTINCT key FROM (
                  SELECT unnest(string_split(ids, ';')) AS key FROM records WHERE ids IS NOT NULL
                  UNION ALL SELECT unnest(string_split(ids, ';')) FROM ref_records WHERE ids IS NOT NULL)
                WHERE {key_id('key')} IN (SELECT k FROM ks)""", [keys]).fetchall()
            keys = sorted(set(keys) | {r[0] for r in rows})
        cats = store.derived("record_persons")
        if cats:
            con.read_parquet(str(cats)).create_view("record_persons")
        cat_join = ("LEFT JOIN record_persons c ON c.path = r.path AND c.record = r.record"
                    if cats else "LEFT JOIN (SELECT NULL AS path, NULL AS record, NULL AS category) c ON false")
        recs = con.execute(f"""
            SELECT r.holder, r.path, r.locator, c.category, r.ids, r.other_ids
            FROM records r {cat_join}
            WHERE list_has_any(string_split(coalesce(r.ids, ''), ';'), ?)
            ORDER BY r.holder, r.path, r.record""", [keys]).fetchall()
        found = con.execute("""
            SELECT DISTINCT f.holder, f.path, f.locator, f.type || ':' || f.value
            FROM findings f WHERE f.type || ':' || f.value IN (SELECT unnest(?))
            ORDER BY 1, 2, 3""", [keys]).fetchall()
    places = []
    keyset = set(keys)
    for holder, path, locator, category, ids, other in recs:
        on_record = (ids or "").split(";")
        hit = next(k for k in on_record if k in keyset)
        rest = [k for k in on_record if k != hit] + [k for k in (other or "").split(";") if k]
        places.append(Place(redact(holder), redact(path), redact(locator or ""), category, _masked_key(hit),
                            [_masked_key(k) for k in rest]))
    seen = {path for _, path, *_ in recs}  # documents where the key is on a record already listed
    for holder, path, locator, key in found:
        if path not in seen:
            places.append(Place(redact(holder), redact(path), redact(locator or ""), None, _masked_key(key), []))
    return [_masked_key(k) for k in keys], places
