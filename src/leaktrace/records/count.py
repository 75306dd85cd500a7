"""Counting: records -> persons, categories and the per-holder counts the law asks for.

Every step is SQL over the case's Parquet tables:

1. records with subject identifiers; reference rows likewise;
2. persons: identifiers of one record (or reference row) belong to one person;
3. each record's source (the reference it was taken from) and category: the rule
   category of its own fields, else its source's category, else its dataset's;
4. which rows count: rows matched to a source, and every row of a dataset-like
   table matched to no source at all (a leak of unknown origin); rows whose only
   identifiers are invalid count as `invalid` in leaked datasets;
5. per holder and category, distinct persons (one record per person per category
   per holder); persons per holder and overall; and beside them the seized,
   invalid and duplicate row counts (duplicates: rows of a person and category already
   counted; of them, exact copies: rows whose text repeats another counted row).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..case.store import CaseStore
from ..detect.roles import LINE_ROLES
from ..engines import Dialect, Engine, open_engine
from ..profiles import Profile
from ..resolve.persons import resolve_persons
from ..resolve.shared_keys import split_edges_sql, split_shared_keys
from .sources import key_edges_sql, match_sources, prepare_match_tables

LINK_MODES = ("exact", "probabilistic")

# A table with at least this many valid rows, none of which match a reference,
# is a leaked dataset of unknown origin (smaller ones: ledgers, notes, logs).
MIN_UNKNOWN_DATASET = 20
# A dataset counts its invalid rows when at least this share of its valid rows is matched.
LEAKED_SHARE = 0.5
# ... and when records fill at least this share of its rows or lines (a chat, a log, a
# note with a few identifiers among many lines is not a dataset).
DENSITY = 0.5
# SQL: the role list of `count_rows.roles` (roles joined by commas).
_ROLE_LIST = "CASE WHEN roles = '' THEN [] ELSE string_split(roles, ',') END"


def _shared_roles(dialect: Dialect, roles: str) -> str:
    """SQL: the role list `roles` without the roles of single lines (`LINE_ROLES`): one chat message
    in a chat export makes neither the export nor a reference holding it communication content."""
    return dialect.list_filter(roles, "r", f"r NOT IN ({', '.join(repr(r) for r in sorted(LINE_ROLES))})")


@dataclass
class Counts:
    profile: str
    holders: dict[str, dict]
    persons: int
    linkage: dict = field(default_factory=lambda: {"mode": "exact"})

    def to_json(self) -> dict:
        return {"profile": self.profile, "holders": self.holders, "persons": self.persons, "linkage": self.linkage}


def prepare(engine: Engine, profile: Profile, link: str = "exact",
            link_threshold: float | None = None):
    """Build `counted(rid, holder, did, valid, text_hash, person, source, category, counted, invalid)`
    on `engine`.

    `link="probabilistic"` then merges the exact persons that Splink links at or above
    `link_threshold` (resolve/linkage.py) and returns its `LinkResult`; `exact` returns None."""
    if link not in LINK_MODES:
        raise ValueError(f"unknown link mode {link!r} (one of {', '.join(LINK_MODES)})")
    prepare_match_tables(engine)
    _resolve(engine)
    match_sources(engine, keep_ids=link != "exact")   # linkage reads reference keys again
    rule = profile.sql_case
    d = engine.dialect
    # count_rows: each record with its roles (sorted, comma-joined), the key id of its first
    # identifier `k` (its person) and a hash of its text (exact copies).
    engine.materialize("count_rows", f"""
        SELECT rid, did, holder, row, valid, array_to_string(list_sort(roles_present), ',') AS roles,
               {d.key_id("string_split(ids, ';')[1]")} AS k, {d.hash64('text')} AS text_hash
        FROM rec""")
    # roles_category / source_category: the rule category of a role set, of a source's roles.
    case_of_roles, params = rule(_ROLE_LIST)
    engine.materialize("roles_category", f"""
        SELECT roles, {case_of_roles} AS category FROM (SELECT DISTINCT roles FROM count_rows)""", params)
    case_of_roles, params = rule(_shared_roles(d, "roles"))
    engine.materialize("source_category", f"""
        SELECT source, {case_of_roles} AS category
        FROM (SELECT source, list_distinct(flatten(list(DISTINCT roles_present))) AS roles FROM ref GROUP BY source)""",
                       params)
    # dataset_stats: per dataset its valid and matched rows, density, rule category, and whether
    # it is a leak of unknown origin.
    engine.materialize("dataset_stats", f"""
        SELECT *, dense AND n_matched = 0 AND n_valid >= {MIN_UNKNOWN_DATASET} AS unknown_leak FROM (
          SELECT did, n_valid, coalesce(n_matched, 0) AS n_matched, dense, {case_of_roles} AS category
          FROM (SELECT did, count(*) FILTER (WHERE valid) AS n_valid,
                       count(*) / (max(row) - min(row) + 1) >= {DENSITY} AS dense
                FROM count_rows GROUP BY did)
          JOIN (SELECT did, list_distinct(flatten(list({_ROLE_LIST}))) AS roles
                FROM (SELECT DISTINCT did, roles FROM count_rows) GROUP BY did) USING (did)
          LEFT JOIN (SELECT did, count(*) AS n_matched FROM record_source JOIN count_rows USING (rid) GROUP BY did)
            USING (did))""", params)
    engine.materialize("counted", f"""
        SELECT r.rid, r.holder, r.did, r.valid, r.text_hash, p.person,
               s.source, coalesce(rcat.category, sc.category, d.category, ?) AS category,
               r.valid AND (s.source IS NOT NULL OR d.unknown_leak) AS counted,
               NOT r.valid AND d.dense AND (d.n_matched >= {LEAKED_SHARE} * d.n_valid AND d.n_matched > 0
                                            OR d.unknown_leak) AS invalid
        FROM count_rows r
        JOIN dataset_stats d USING (did)
        JOIN roles_category rcat USING (roles)
        LEFT JOIN record_source s USING (rid)
        LEFT JOIN source_category sc USING (source)
        LEFT JOIN split_rec sr USING (rid, k)
        LEFT JOIN person_of p ON p.k = coalesce(sr.node, r.k)""", [profile.default])
    engine.drop("count_rows", "roles_category")
    if link == "exact":
        return None
    from ..resolve.linkage import DEFAULT_THRESHOLD, apply_links, link_persons

    result = link_persons(engine, DEFAULT_THRESHOLD if link_threshold is None else link_threshold)
    apply_links(engine)
    return result


def _resolve(engine: Engine) -> None:
    """`person_of(k, person)`: every key id (and split-key node) with its person, numbered 1, 2, …
    Steps: `key_edges(a, b)` (key ids on one row), `person_key` (resolve/persons.py), `node_root(k, root)`."""
    split_shared_keys(engine)
    engine.materialize("key_edges", f"""
        {key_edges_sql('rec_ids', 'rid', 'split_rec')} UNION ALL {key_edges_sql('ref_ids', 'fid', 'split_ref')}
        UNION ALL {split_edges_sql()}""")
    resolve_persons(engine)
    engine.materialize("node_root", """
        SELECT k, coalesce(p.person, k) AS root
        FROM (SELECT k FROM rec_keys UNION SELECT k FROM ref_keys
              UNION SELECT node FROM split_rec UNION SELECT node FROM split_ref)
        LEFT JOIN person_key p USING (k)""")
    engine.materialize("person_of", """
        SELECT n.k, r.person FROM node_root n
        JOIN (SELECT root, row_number() OVER (ORDER BY root) AS person FROM (SELECT DISTINCT root FROM node_root)) r
          USING (root)""")
    engine.drop("node_root", "key_edges", "key_graph", "person_key")


def save_derived(store: CaseStore, engine: Engine, linked: bool = False) -> None:
    """Keep the resolution and categories of the last count in the case (for lookup and report);
    links of an earlier probabilistic run are removed when this count made none."""
    tables = {
        "person_of": f"""
            SELECT {engine.dialect.key_id_columns('k')}, person FROM (
              SELECT k, person FROM person_of
              UNION SELECT s.k, p.person FROM (SELECT k, node FROM split_rec UNION SELECT k, node FROM split_ref) s
                    JOIN person_of p ON p.k = s.node)""",
        "record_persons": """
            SELECT r.path, r.record, c.holder, c.person, c.category, c.source, c.counted, c.invalid
            FROM counted c JOIN rec r USING (rid)""",
    }
    if linked:
        tables["possible_links"] = "SELECT * FROM possible_links"
    store.write_derived(engine, tables, drop=() if linked else ("possible_links",))


def count_case(store: CaseStore, profile: Profile, link: str = "exact",
               link_threshold: float | None = None) -> Counts:
    """Per holder and category counts under `profile`, with the steps from seized to counted.

    `link="exact"` (the default) counts persons on shared identifiers only; `probabilistic`
    also merges persons linked by Splink (reported under `linkage`)."""
    with open_engine(store) as engine:
        linked = prepare(engine, profile, link, link_threshold)
        save_derived(store, engine, linked is not None)
        rows = engine.rows("""
            SELECT holder, category, count(DISTINCT person) FROM counted WHERE counted GROUP BY 1, 2""")
        per_holder = engine.rows("""
            SELECT holder,
                   count(DISTINCT person) FILTER (WHERE counted),
                   count(*) FILTER (WHERE invalid),
                   count(*) FILTER (WHERE counted OR invalid),
                   count(*) FILTER (WHERE counted)
                     - count(DISTINCT (person, category)) FILTER (WHERE counted),
                   count(*) FILTER (WHERE counted) - count(DISTINCT text_hash) FILTER (WHERE counted)
            FROM counted GROUP BY holder ORDER BY holder""")
        total = engine.scalar("SELECT count(DISTINCT person) FROM counted WHERE counted")
        holders_all = [h for (h,) in engine.rows("SELECT DISTINCT holder FROM manifest ORDER BY 1")]
    holders: dict[str, dict] = {}
    for h in holders_all:
        holders[h] = {"records": {c: 0 for c in profile.categories}, "persons": 0, "invalid": 0,
                      "seized_rows": 0, "duplicate_rows": 0, "exact_duplicate_rows": 0}
    for h, persons, invalid, seized, dups, exact in per_holder:
        holders.setdefault(h, {"records": {c: 0 for c in profile.categories}})
        holders[h].update(persons=persons, invalid=invalid, seized_rows=seized, duplicate_rows=dups,
                          exact_duplicate_rows=exact)
    for h, cat, n in rows:
        holders[h]["records"][cat] = n
    linkage = linked.to_json() if linked is not None else {"mode": "exact"}
    return Counts(profile.id, holders, total, linkage)
