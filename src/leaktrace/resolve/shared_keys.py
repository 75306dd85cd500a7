"""A mobile, card or e-mail joins records only together with a compatible name.

A family phone, a company card or a reused e-mail address appears on rows of different
people. Where the table rows carrying such a weak key name people who cannot be the same
(names from name columns; names guessed from free text are left out), the key is *split*:
each named row joins through (key, name) instead of the bare key, and rows without a name
keep the bare key. Names are compatible when equal after normalisation, or when one is
masked (`张*`, `王**`) and matches the other. A resident ID (or passport, SSN) always joins.

Input: the views and tables of `records.sources.prepare_match_tables` (`rec_ids.nh`: raw
name hashes of table rows). Output:
`split_rec(rid, k, node)` and `split_ref(fid, k, node)`: the node that stands for key id
`k` on that record or reference row; `split_edges_sql` gives the edges of those rows.
"""

from __future__ import annotations

from ..engines import Engine

WEAK_KEYS = ("cn_mobile", "phone", "bank_card", "email", "iban")
# Names compared: whitespace and name dots removed, Latin letters lower-cased, full-width `＊` as `*`.
NAME_SQL = "nullif(lower(replace(regexp_replace(coalesce(name, ''), '[\\s·.•・]', '', 'g'), '＊', '*')), '')"


def _weak_keys(view: str, eid: str, name: str, key: str) -> str:
    """SQL of `(eid, k, name)`: the weak keys of the named table rows of `view`, with key and
    name given by the SQL expressions `key` (of the key string `key`) and `name` (of `name`)."""
    weak = ", ".join(f"'{t}'" for t in WEAK_KEYS)
    return f"""
        SELECT eid, {key} AS k, {name} AS name FROM (
          SELECT {eid} AS eid, name, unnest(string_split(ids, ';')) AS key
          FROM {view} WHERE kind = 'row' AND ids IS NOT NULL AND name IS NOT NULL)
        WHERE split_part(key, ':', 1) IN ({weak})"""


def split_shared_keys(engine: Engine) -> int:
    """Create `split_rec` and `split_ref`; returns the number of keys split. Steps: `multi_named(h)`
    (64-bit keys on rows of several raw names), `named_rows(is_ref, eid, k, name)` (those rows' weak
    keys with normalised names) and `split_keys(k)` (keys on rows of incompatible names)."""
    d = engine.dialect
    # Keys on table rows of more than one raw name (64 bits of the key id suffice to find
    # candidates: a collision only adds one), then those rows' weak keys, names normalised.
    engine.materialize("multi_named", f"""
        SELECT h FROM (SELECT {d.key_id_low64('unnest(ks)')} AS h, nh FROM rec_ids WHERE nh IS NOT NULL
                       UNION ALL SELECT {d.key_id_low64('unnest(ks)')}, nh FROM ref_ids WHERE nh IS NOT NULL)
        GROUP BY h HAVING min(nh) <> max(nh)""")
    if not engine.scalar("SELECT count(*) FROM multi_named"):
        engine.create("split_rec", f"rid BIGINT, k {d.key_id_type}, node {d.key_id_type}")
        engine.create("split_ref", f"fid BIGINT, k {d.key_id_type}, node {d.key_id_type}")
        engine.drop("multi_named")
        return 0
    rows = []
    for view, eid, keys in (("rec", "rid", "rec_keys"), ("ref", "fid", "ref_keys")):
        subset = f"""(SELECT * FROM {view} SEMI JOIN (SELECT {eid} FROM {keys}
                       WHERE {d.key_id_low64('k')} IN (SELECT h FROM multi_named)) USING ({eid}))"""
        rows.append(_weak_keys(subset, eid, NAME_SQL, d.key_id("key")))
    engine.materialize("named_rows", f"""
        SELECT * FROM (SELECT false AS is_ref, * FROM ({rows[0]}) UNION ALL SELECT true, * FROM ({rows[1]}))
        WHERE name IS NOT NULL AND {d.key_id_low64('k')} IN (SELECT h FROM multi_named)""")
    engine.materialize("split_keys", """
        WITH n AS (SELECT DISTINCT k, name FROM named_rows)
        SELECT DISTINCT a.k FROM n a JOIN n b ON a.k = b.k AND a.name < b.name
        WHERE NOT (contains(b.name, '*') AND a.name LIKE replace(b.name, '*', '_')
                   OR contains(a.name, '*') AND b.name LIKE replace(a.name, '*', '_'))""")
    for table, eid, is_ref in (("split_rec", "rid", "false"), ("split_ref", "fid", "true")):
        engine.materialize(table, f"""
            SELECT DISTINCT eid AS {eid}, k, {d.key_id("k::VARCHAR || '|' || name")} AS node
            FROM named_rows SEMI JOIN split_keys USING (k) WHERE is_ref = {is_ref}""")
    n = engine.scalar("SELECT count(*) FROM split_keys")
    engine.drop("multi_named", "named_rows", "split_keys")
    return n


def split_edges_sql() -> str:
    """SQL of `(a, b)`: key pairs of the rows in `split_rec`/`split_ref`, split keys as their nodes."""
    lists = [f"""
          SELECT list_sort(list(coalesce(s.node, x.k))) AS ns
          FROM {keys} x SEMI JOIN {split} USING ({eid}) LEFT JOIN {split} s USING ({eid}, k)
          GROUP BY x.{eid} HAVING count(*) > 1"""
             for keys, split, eid in (("rec_keys", "split_rec", "rid"), ("ref_keys", "split_ref", "fid"))]
    return f"SELECT ns[1] AS a, unnest(ns[2:]) AS b FROM ({' UNION ALL '.join(lists)})"
