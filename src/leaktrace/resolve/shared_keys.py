"""A mobile, card or e-mail joins records only together with a compatible name.

A family phone, a company card or a reused e-mail address appears on rows of different
people. Where the table rows carrying such a weak key name people who cannot be the same
(names from name columns; names guessed from free text are left out), the key is *split*:
each named row joins through (key, name) instead of the bare key, and rows without a name
keep the bare key. Names are compatible when equal after normalisation, or when one is
masked (`张*`, `王**`) and matches the other. A resident ID (or passport, SSN) always joins.

Input: the views and tables of `records.sources.prepare_match_tables`. Output:
`split_rec(rid, k, node)` and `split_ref(fid, k, node)`: the node that stands for key id
`k` on that record or reference row; `split_edges_sql` gives the edges of those rows.
"""

from __future__ import annotations

import duckdb

from ..records.sources import key_id

WEAK_KEYS = ("cn_mobile", "phone", "bank_card", "email", "iban")
# Names compared: whitespace and name dots removed, Latin letters lower-cased, full-width `＊` as `*`.
NAME_SQL = "nullif(lower(replace(regexp_replace(coalesce(name, ''), '[\\s·.•・]', '', 'g'), '＊', '*')), '')"


def _named_weak_keys(view: str, eid: str) -> str:
    """SQL of `(eid, k, name)`: the weak keys of the named table rows of `view`."""
    weak = ", ".join(f"'{t}'" for t in WEAK_KEYS)
    return f"""
        SELECT eid, {key_id('key')} AS k, name FROM (
          SELECT {eid} AS eid, {NAME_SQL} AS name, unnest(string_split(ids, ';')) AS key
          FROM {view} WHERE kind = 'row' AND ids IS NOT NULL AND name IS NOT NULL)
        WHERE name IS NOT NULL AND split_part(key, ':', 1) IN ({weak})"""


def split_shared_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Create `split_rec` and `split_ref`; returns the number of keys split."""
    rec, ref = _named_weak_keys("rec", "rid"), _named_weak_keys("ref", "fid")
    # Keys named more than one way (cheap: name hashes, no rows kept), then those rows.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE multi_named AS
        SELECT k FROM (SELECT k, hash(name) AS h FROM ({rec}) UNION ALL SELECT k, hash(name) FROM ({ref}))
        GROUP BY k HAVING min(h) <> max(h)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE named_rows AS
        SELECT false AS is_ref, * FROM ({rec}) SEMI JOIN multi_named USING (k)
        UNION ALL SELECT true, * FROM ({ref}) SEMI JOIN multi_named USING (k)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE split_keys AS
        WITH n AS (SELECT DISTINCT k, name FROM named_rows)
        SELECT DISTINCT a.k FROM n a JOIN n b ON a.k = b.k AND a.name < b.name
        WHERE NOT (contains(b.name, '*') AND a.name LIKE replace(b.name, '*', '_')
                   OR contains(a.name, '*') AND b.name LIKE replace(a.name, '*', '_'))""")
    for table, eid, is_ref in (("split_rec", "rid", "false"), ("split_ref", "fid", "true")):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT DISTINCT eid AS {eid}, k, {key_id("k::VARCHAR || '|' || name")} AS node
            FROM named_rows SEMI JOIN split_keys USING (k) WHERE is_ref = {is_ref}""")
    return con.execute("SELECT count(*) FROM split_keys").fetchone()[0]


def split_edges_sql() -> str:
    """SQL of `(a, b)`: key pairs of the rows in `split_rec`/`split_ref`, split keys as their nodes."""
    return """
        SELECT ns[1] AS a, unnest(ns[2:]) AS b FROM (
          SELECT list_sort(list(coalesce(s.node, rk.k))) AS ns
          FROM rec_keys rk SEMI JOIN split_rec USING (rid) LEFT JOIN split_rec s USING (rid, k)
          GROUP BY rk.rid HAVING count(*) > 1
          UNION ALL
          SELECT list_sort(list(coalesce(s.node, fk.k)))
          FROM ref_keys fk SEMI JOIN split_ref USING (fid) LEFT JOIN split_ref s USING (fid, k)
          GROUP BY fk.fid HAVING count(*) > 1)"""
