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

from ..engines import Engine

# Tokens compared between a record and a reference row: runs of Latin letters/digits
# (with . : - _ @ inside) and runs of Han characters.
TOKEN_RE = r"[0-9A-Za-z_.@:\-]{2,}|\p{Han}{2,}"
# rid = file number << RID_SHIFT | record ordinal (records per document < 2**36).
RID_SHIFT = 36


def _name_hash(engine: Engine) -> str:
    """SQL: a table row's name as a 64-bit hash (raw spelling; line names are guesses and left out)."""
    return f"CASE WHEN kind = 'row' THEN {engine.dialect.hash64('name')} END"


def _key_ids(engine: Engine, ids: str) -> str:
    """SQL: the sorted distinct key ids of an `ids` column (`type:value;…`)."""
    d = engine.dialect
    keys = d.list_transform(f"string_split({ids}, ';')", "x", d.key_id("x"))
    return f"list_sort(list_distinct({keys}))"


def prepare_match_tables(engine: Engine, ref_where: str | None = None) -> None:
    """Create the inputs of `match_sources` from the case's views:
    `rec` (a view of evidence records with `rid`), `rec_ids(rid, did, ks, nh)` (the sorted key
    ids of each record with identifiers; `nh`: a hash of a table row's name), `rec_keys(rid, did, k)`
    (a view: one row per key), `ref(fid, source, name, fields, ids, text, roles_present, …)` (a
    view of reference rows), `ref_sources(source, sid)` (a small number per source),
    `ref_ids(fid, sid, ks, nh)` and `ref_keys(fid, sid, k)`.
    Identifiers are parsed and hashed once, into `rec_ids`/`ref_ids`. `ref_where` limits the
    reference rows (an SQL condition on `ref_records`)."""
    where = f" WHERE {ref_where}" if ref_where else ""
    engine.materialize("rec_files", """
        SELECT path, row_number() OVER (ORDER BY path) AS pid FROM (SELECT DISTINCT path FROM records)""")
    engine.materialize("rec_datasets", """
        SELECT dataset, row_number() OVER (ORDER BY dataset)::INTEGER AS did
        FROM (SELECT DISTINCT dataset FROM records)""")
    engine.view("rec", f"""
        SELECT (f.pid << {RID_SHIFT}) + r.record AS rid, d.did, r.holder, r.path, r.dataset, r.record, r.row,
               r.kind, r.name, r.fields, r.ids, r.valid, r.text, coalesce(json_keys(r.fields), []) AS roles_present
        FROM records r JOIN rec_files f USING (path) JOIN rec_datasets d USING (dataset)""")
    engine.materialize("rec_ids", f"""
        SELECT rid, did, {_key_ids(engine, 'ids')} AS ks, {_name_hash(engine)} AS nh FROM rec WHERE ids IS NOT NULL""")
    engine.view("rec_keys", "SELECT rid, did, unnest(ks) AS k FROM rec_ids")
    engine.materialize("ref_files", f"""
        SELECT path, row_number() OVER (ORDER BY path) AS pid
        FROM (SELECT DISTINCT path FROM ref_records{where})""")
    engine.view("ref", f"""
        SELECT (f.pid << {RID_SHIFT}) + r.record AS fid, r.holder AS source, r.path, r.record, r.kind, r.name,
               r.fields, r.ids, r.text,
               coalesce(json_keys(r.fields), []) AS roles_present
        FROM (SELECT * FROM ref_records{where}) r JOIN ref_files f USING (path)""")
    engine.materialize("ref_sources", f"""
        SELECT source, row_number() OVER (ORDER BY source)::USMALLINT AS sid
        FROM (SELECT DISTINCT holder AS source FROM ref_records{where})""")
    engine.materialize("ref_ids", f"""
        SELECT fid, sid, {_key_ids(engine, 'ids')} AS ks, {_name_hash(engine)} AS nh
        FROM ref JOIN ref_sources USING (source) WHERE ids IS NOT NULL""")
    engine.view("ref_keys", "SELECT fid, sid, unnest(ks) AS k FROM ref_ids")


def key_edges_sql(ids: str, eid: str, skip: str) -> str:
    """SQL of `(a, b)`: pairs of key ids on one row of `ids` (`rec_ids` or `ref_ids`, row id
    column `eid`), a < b; rows whose `eid` is in table `skip` left out."""
    return f"""
        SELECT ks[1] AS a, unnest(ks[2:]) AS b FROM {ids} ANTI JOIN {skip} USING ({eid}) WHERE len(ks) > 1"""


def match_sources(engine: Engine, keep_ids: bool = True) -> None:
    """From `rec`, `rec_keys`, `ref`, `ref_keys` create `candidates(rid, did, sid, shared)` (one
    row per record and candidate source: the most identifiers one of its rows shares with
    the record), `dataset_source(did, sid, matched)` and `record_source(rid, source, shared)`.
    Steps dropped on the way: `candidate_rows(rid, did, fid, sid, shared)` (identifiers each
    record shares with each reference row) and `tie_source` (below).
    `keep_ids=False` drops `rec_ids`/`ref_ids` as soon as they are used (less to spill)."""
    engine.materialize("candidate_rows", """
        SELECT rk.rid, any_value(rk.did) AS did, fk.fid, any_value(fk.sid) AS sid, count(*)::USMALLINT AS shared
        FROM rec_keys rk JOIN ref_keys fk USING (k) GROUP BY rk.rid, fk.fid""")
    if not keep_ids:
        engine.drop("rec_ids", "ref_ids")
    engine.materialize("candidates", """
        SELECT rid, any_value(did) AS did, sid, max(shared) AS shared FROM candidate_rows GROUP BY rid, sid""")
    engine.materialize("dataset_source", """
        SELECT did, sid, count(*) AS matched FROM candidates GROUP BY ALL""")
    _tie_winners(engine)
    # Records without a tie: the candidate sharing the most identifiers (then the lower sid).
    best = engine.dialect.arg_max_ranked("sid", [("shared", 16), ("65535 - sid", 16)])
    engine.materialize("record_source", f"""
        SELECT rid, s.source, b.shared FROM (
          SELECT rid, sid, shared FROM tie_source
          UNION ALL
          SELECT rid, {best}, max(shared)
          FROM candidates ANTI JOIN tie_source USING (rid) GROUP BY rid) b
        JOIN ref_sources s USING (sid)""")
    engine.drop("tie_source")


def _token_hashes(engine: Engine, text: str) -> str:
    """SQL: the distinct tokens of a text column as 32-bit hashes (compared, never shown; a false
    match needs two of a row pair's few tokens to collide)."""
    d = engine.dialect
    tokens = f"regexp_extract_all(coalesce({text}, ''), '{TOKEN_RE}')"
    hash32 = f"({d.hash64('t')} & 4294967295)::UINTEGER"
    return f"list_distinct({d.list_transform(tokens, 't', hash32)})"


def _tie_tokens(engine: Engine, table: str, view: str, eid: str, of: str) -> None:
    """`table(eid, toks)`: the token hashes of the rows of `view` whose `eid` is in table `of`."""
    engine.materialize(table, f"""
        SELECT {eid}, {_token_hashes(engine, 'text')} AS toks
        FROM {view} SEMI JOIN (SELECT DISTINCT {eid} FROM {of}) USING ({eid})""")


def _tie_winners(engine: Engine) -> None:
    """`tie_source(rid, sid, shared)`: where several sources tie on the most shared identifiers,
    the one whose row shares the most tokens of the record's text, then matches most of the
    record's dataset, then comes first by name. Steps: `multi_candidates(rid, top, low)` (records
    with several candidates), `tied_records(rid, sid, top)` (their tied sources; sid NULL: all),
    `tie_rows` (the reference rows of those), `tie_rec_tokens`/`tie_ref_tokens(eid, toks)`."""
    # Records with several candidate sources; where all share as many identifiers (the usual
    # case) every candidate ties, else only those sharing the most.
    engine.materialize("multi_candidates", """
        SELECT rid, max(shared) AS top, min(shared) AS low FROM candidates GROUP BY rid HAVING count(*) > 1""")
    engine.materialize("tied_records", """
        WITH mixed AS (SELECT c.rid, c.sid, m.top FROM candidates c
                         JOIN (SELECT rid, top FROM multi_candidates WHERE top > low) m
                           ON m.rid = c.rid AND c.shared = m.top)
        SELECT rid, NULL::USMALLINT AS sid, top FROM multi_candidates WHERE top = low
        UNION ALL SELECT * FROM mixed SEMI JOIN (SELECT rid FROM mixed GROUP BY rid HAVING count(*) > 1) USING (rid)""")
    _tie_tokens(engine, "tie_rec_tokens", "rec", "rid", "tied_records")
    engine.materialize("tie_rows", """
        SELECT c.rid, c.did, c.fid, c.sid, t.top FROM candidate_rows c JOIN tied_records t
          ON t.rid = c.rid AND (t.sid IS NULL OR t.sid = c.sid)""")
    engine.drop("candidate_rows", "multi_candidates", "tied_records")
    _tie_tokens(engine, "tie_ref_tokens", "ref", "fid", "tie_rows")
    # The best row decides: its source has the most overlap of any of its rows; the ranking
    # is overlap (up to 65,535 tokens), then dataset matches (up to 2**32), then the earlier name.
    overlap = f"least(len({engine.dialect.list_filter('r.toks', 'x', 'list_contains(f.toks, x)')}), 65535)"
    best = engine.dialect.arg_max_ranked(
        "t.sid", [(overlap, 16), ("least(d.matched, 4294967295)", 32), ("65535 - t.sid", 16)])
    engine.materialize("tie_source", f"""
        SELECT t.rid, {best} AS sid,
               any_value(t.top) AS shared
        FROM tie_rows t JOIN tie_rec_tokens r USING (rid) JOIN tie_ref_tokens f USING (fid)
          JOIN dataset_source d USING (did, sid)
        GROUP BY t.rid""")
    engine.drop("tie_rows", "tie_rec_tokens", "tie_ref_tokens")
