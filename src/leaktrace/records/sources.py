"""Which reference database each evidence record was taken from.

A record is matched to the reference rows that share one of its subject's
identifiers; among the sources found, the best shares the most identifiers with
the record, then the most other values (names, places, times, amounts), then
matches most of the record's dataset. SQL over the case's tables.

Identifier keys (`type:value`) are carried as 128-bit ids (`key_id`) and records as
integer `rid`s (file number and record ordinal), so joins at hundreds of millions of
rows compare numbers, not strings; no global sort of the records is needed.
"""

from __future__ import annotations

import duckdb

# Tokens compared between a record and a reference row: runs of Latin letters/digits
# (with . : - _ @ inside) and runs of Han characters.
TOKEN_RE = r"[0-9A-Za-z_.@:\-]{2,}|\p{Han}{2,}"
# rid = file number << RID_SHIFT | record ordinal (records per document < 2**36).
RID_SHIFT = 36


def drop(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """Drop intermediate temporary tables at once: they would otherwise hold memory and spill space."""
    for t in tables:
        con.execute(f"DROP TABLE IF EXISTS {t}")


def key_id(expr: str) -> str:
    """SQL for the id of an identifier key (MD5 as a 128-bit number: no collision in practice)."""
    return f"md5_number({expr})"


def key_id_low64(k: str) -> str:
    """SQL: the low 64 bits of key id `k` as UBIGINT."""
    return f"({k} & 18446744073709551615)::UBIGINT"


def key_id_columns(k: str) -> str:
    """SQL: a key id split into two UBIGINT columns `k_hi, k_lo` (Parquet has no 128-bit integer)."""
    return f"({k} >> 64)::UBIGINT AS k_hi, {key_id_low64(k)} AS k_lo"


def key_id_from_columns(hi: str = "k_hi", lo: str = "k_lo") -> str:
    """SQL: the key id back from the columns of `key_id_columns`."""
    return f"(({hi}::UHUGEINT << 64) | {lo}::UHUGEINT)"


# A table row's name as a 64-bit hash (raw spelling; line names are guesses and left out).
_NAME_HASH = "CASE WHEN kind = 'row' THEN hash(name) END"


def _key_ids(ids: str) -> str:
    """SQL: the sorted distinct key ids of an `ids` column (`type:value;…`)."""
    return f"list_sort(list_distinct(list_transform(string_split({ids}, ';'), lambda x: {key_id('x')})))"


def prepare_match_tables(con: duckdb.DuckDBPyConnection, ref_where: str | None = None) -> None:
    """Create the inputs of `match_sources` from the case's views:
    `rec` (a view of evidence records with `rid`), `rec_ids(rid, did, ks, nh)` (the sorted key
    ids of each record with identifiers; `nh`: a hash of a table row's name), `rec_keys(rid, did, k)`
    (a view: one row per key), `ref(fid, source, name, fields, ids, text, roles_present, …)` (a
    view of reference rows), `ref_sources(source, sid)` (a small number per source),
    `ref_ids(fid, sid, ks, nh)` and `ref_keys(fid, sid, k)`.
    Identifiers are parsed and hashed once, into `rec_ids`/`ref_ids`. `ref_where` limits the
    reference rows (an SQL condition on `ref_records`)."""
    where = f" WHERE {ref_where}" if ref_where else ""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rec_files AS
        SELECT path, row_number() OVER (ORDER BY path) AS pid FROM (SELECT DISTINCT path FROM records)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rec_datasets AS
        SELECT dataset, row_number() OVER (ORDER BY dataset)::INTEGER AS did
        FROM (SELECT DISTINCT dataset FROM records)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW rec AS
        SELECT (f.pid << {RID_SHIFT}) + r.record AS rid, d.did, r.holder, r.path, r.dataset, r.record, r.row,
               r.kind, r.name, r.fields, r.ids, r.valid, r.text, coalesce(json_keys(r.fields), []) AS roles_present
        FROM records r JOIN rec_files f USING (path) JOIN rec_datasets d USING (dataset)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rec_ids AS
        SELECT rid, did, {_key_ids('ids')} AS ks, {_NAME_HASH} AS nh FROM rec WHERE ids IS NOT NULL""")
    con.execute("CREATE OR REPLACE TEMP VIEW rec_keys AS SELECT rid, did, unnest(ks) AS k FROM rec_ids")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ref_files AS
        SELECT path, row_number() OVER (ORDER BY path) AS pid
        FROM (SELECT DISTINCT path FROM ref_records{where})""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW ref AS
        SELECT (f.pid << {RID_SHIFT}) + r.record AS fid, r.holder AS source, r.path, r.record, r.kind, r.name,
               r.fields, r.ids, r.text,
               coalesce(json_keys(r.fields), []) AS roles_present
        FROM (SELECT * FROM ref_records{where}) r JOIN ref_files f USING (path)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ref_sources AS
        SELECT source, row_number() OVER (ORDER BY source)::USMALLINT AS sid
        FROM (SELECT DISTINCT holder AS source FROM ref_records{where})""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ref_ids AS
        SELECT fid, sid, {_key_ids('ids')} AS ks, {_NAME_HASH} AS nh
        FROM ref JOIN ref_sources USING (source) WHERE ids IS NOT NULL""")
    con.execute("CREATE OR REPLACE TEMP VIEW ref_keys AS SELECT fid, sid, unnest(ks) AS k FROM ref_ids")


def key_edges_sql(ids: str, eid: str, skip: str) -> str:
    """SQL of `(a, b)`: pairs of key ids on one row of `ids` (`rec_ids` or `ref_ids`, row id
    column `eid`), a < b; rows whose `eid` is in table `skip` left out."""
    return f"""
        SELECT ks[1] AS a, unnest(ks[2:]) AS b FROM {ids} ANTI JOIN {skip} USING ({eid}) WHERE len(ks) > 1"""


def match_sources(con: duckdb.DuckDBPyConnection, keep_ids: bool = True) -> None:
    """From `rec`, `rec_keys`, `ref`, `ref_keys` create `cand(rid, did, sid, shared)` (one
    row per record and candidate source: the most identifiers one of its rows shares with
    the record), `dataset_source(did, sid, matched)` and `record_source(rid, source, shared)`.
    `keep_ids=False` drops `rec_ids`/`ref_ids` as soon as they are used (less to spill)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE cand_rows AS
        SELECT rk.rid, any_value(rk.did) AS did, fk.fid, any_value(fk.sid) AS sid, count(*)::USMALLINT AS shared
        FROM rec_keys rk JOIN ref_keys fk USING (k) GROUP BY rk.rid, fk.fid""")
    if not keep_ids:
        drop(con, "rec_ids", "ref_ids")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE cand AS
        SELECT rid, any_value(did) AS did, sid, max(shared) AS shared FROM cand_rows GROUP BY rid, sid""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dataset_source AS
        SELECT did, sid, count(*) AS matched FROM cand GROUP BY ALL""")
    _tie_winners(con)
    # Records without a tie: the candidate sharing the most identifiers (then the lower sid).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE record_source AS
        SELECT rid, s.source, b.shared FROM (
          SELECT rid, sid, shared FROM tie_source
          UNION ALL
          SELECT rid, arg_max(sid, (shared::UINTEGER << 16) | (65535 - sid)::UINTEGER), max(shared)
          FROM cand ANTI JOIN tie_source USING (rid) GROUP BY rid) b
        JOIN ref_sources s USING (sid)""")
    drop(con, "tie_source")


def _token_hashes(text: str) -> str:
    """SQL: the distinct tokens of a text column as 32-bit hashes (compared, never shown; a false
    match needs two of a row pair's few tokens to collide)."""
    return (f"list_distinct(list_transform(regexp_extract_all(coalesce({text}, ''), '{TOKEN_RE}'), "
            f"lambda t: (hash(t) & 4294967295)::UINTEGER))")


def _tie_tokens(con: duckdb.DuckDBPyConnection, table: str, view: str, eid: str, of: str) -> None:
    """`table(eid, toks)`: the token hashes of the rows of `view` whose `eid` is in table `of`."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {eid}, {_token_hashes('text')} AS toks
        FROM {view} SEMI JOIN (SELECT DISTINCT {eid} FROM {of}) USING ({eid})""")


def _tie_winners(con: duckdb.DuckDBPyConnection) -> None:
    """`tie_source(rid, sid, shared)`: where several sources tie on the most shared identifiers,
    the one whose row shares the most tokens of the record's text, then matches most of the
    record's dataset, then comes first by name."""
    # Records with several candidate sources; where all share as many identifiers (the usual
    # case) every candidate ties, else only those sharing the most.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE multi AS
        SELECT rid, max(shared) AS top, min(shared) AS low FROM cand GROUP BY rid HAVING count(*) > 1""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ties AS
        WITH mixed AS (SELECT c.rid, c.sid, m.top FROM cand c JOIN (SELECT rid, top FROM multi WHERE top > low) m
                         ON m.rid = c.rid AND c.shared = m.top)
        SELECT rid, NULL::USMALLINT AS sid, top FROM multi WHERE top = low
        UNION ALL SELECT * FROM mixed SEMI JOIN (SELECT rid FROM mixed GROUP BY rid HAVING count(*) > 1) USING (rid)""")
    _tie_tokens(con, "tie_rec_tokens", "rec", "rid", "ties")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE tie_rows AS
        SELECT c.rid, c.did, c.fid, c.sid, t.top FROM cand_rows c JOIN ties t
          ON t.rid = c.rid AND (t.sid IS NULL OR t.sid = c.sid)""")
    drop(con, "cand_rows", "multi", "ties")
    _tie_tokens(con, "tie_ref_tokens", "ref", "fid", "tie_rows")
    # The best row decides: its source has the most overlap of any of its rows; the ranking
    # (overlap up to 65,535 tokens, dataset matches up to 2**32, earlier name: lower sid) packed
    # into one 64-bit number (a 128-bit key makes arg_max slower).
    overlap = "least(len(list_filter(r.toks, lambda x: list_contains(f.toks, x))), 65535)"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE tie_source AS
        SELECT t.rid, arg_max(t.sid, ({overlap}::UBIGINT << 48) | (least(d.matched, 4294967295)::UBIGINT << 16)
                                     | (65535 - t.sid)::UBIGINT) AS sid,
               any_value(t.top) AS shared
        FROM tie_rows t JOIN tie_rec_tokens r USING (rid) JOIN tie_ref_tokens f USING (fid)
          JOIN dataset_source d USING (did, sid)
        GROUP BY t.rid""")
    drop(con, "tie_rows", "tie_rec_tokens", "tie_ref_tokens")
