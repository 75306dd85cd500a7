"""Which reference database each evidence record was taken from.

A record is matched to the reference rows that share one of its subject's
identifiers; among the sources found, the best shares the most identifiers with
the record, then the most other values (names, places, times, amounts), then
matches most of the record's dataset. SQL over the case's tables.
"""

from __future__ import annotations

import duckdb

# Tokens compared between a record and a reference row: runs of Latin letters/digits
# (with . : - _ @ inside) and runs of Han characters.
TOKEN_RE = r"[0-9A-Za-z_.@:\-]{2,}|\p{Han}{2,}"


def prepare_match_tables(con: duckdb.DuckDBPyConnection, ref_where: str | None = None) -> None:
    """Create the inputs of `match_sources` from the case's views: `rec` (evidence records,
    `rid`), `rec_keys(rid, key)`, `ref` (reference rows, `fid`, `source`), `ref_keys(fid, source, key)`.
    `ref_where` limits the reference rows (an SQL condition on `ref_records`)."""
    where = f" WHERE {ref_where}" if ref_where else ""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rec AS
        SELECT row_number() OVER (ORDER BY path, record) AS rid, holder, path, dataset, record, row, ids, valid, text,
               coalesce(json_keys(fields), []) AS roles_present
        FROM records""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rec_keys AS
        SELECT rid, unnest(string_split(ids, ';')) AS key FROM rec WHERE ids IS NOT NULL""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ref AS
        SELECT row_number() OVER (ORDER BY holder, path, record) AS fid, holder AS source, ids, text,
               coalesce(json_keys(fields), []) AS roles_present
        FROM ref_records{where}""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ref_keys AS
        SELECT fid, source, unnest(string_split(ids, ';')) AS key FROM ref WHERE ids IS NOT NULL""")


def match_sources(con: duckdb.DuckDBPyConnection) -> None:
    """From `rec`, `rec_keys`, `ref`, `ref_keys` create `record_source(rid, source, shared)`
    and `dataset_source(dataset, source, matched)`."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE cand AS
        SELECT rk.rid, fk.fid, fk.source, count(*) AS shared
        FROM rec_keys rk JOIN ref_keys fk USING (key) GROUP BY ALL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dataset_source AS
        SELECT r.dataset, c.source, count(DISTINCT c.rid) AS matched
        FROM cand c JOIN rec r USING (rid) GROUP BY ALL""")
    # Value overlap only where a record has candidates from more than one source.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cand_scored AS
        WITH amb AS (SELECT rid FROM cand GROUP BY rid HAVING count(DISTINCT source) > 1)
        SELECT c.rid, c.source, c.shared,
               CASE WHEN c.rid IN (SELECT rid FROM amb) THEN
                 len(list_intersect(
                   list_distinct(regexp_extract_all(coalesce(r.text, ''), '{TOKEN_RE}')),
                   list_distinct(regexp_extract_all(coalesce(f.text, ''), '{TOKEN_RE}'))))
               ELSE 0 END AS overlap
        FROM cand c JOIN rec r USING (rid) JOIN ref f USING (fid)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE record_source AS
        SELECT rid, source, shared FROM (
          SELECT s.rid, s.source, max(s.shared) AS shared, max(s.overlap) AS overlap, any_value(d.matched) AS dm,
                 row_number() OVER (PARTITION BY s.rid ORDER BY max(s.shared) DESC, max(s.overlap) DESC,
                                    any_value(d.matched) DESC, s.source) AS rank
          FROM cand_scored s JOIN rec r USING (rid)
          JOIN dataset_source d ON d.dataset = r.dataset AND d.source = s.source
          GROUP BY s.rid, s.source)
        WHERE rank = 1""")
