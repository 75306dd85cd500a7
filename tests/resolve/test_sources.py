"""Which reference each record came from (records/sources.py), on tables built here."""

from __future__ import annotations

import duckdb

from leaktrace.engines.duckdb import DuckDBEngine
from leaktrace.records.sources import match_sources, prepare_match_tables

RECORDS = [  # path, record, ids, text
    ("a.csv", 1, "cn_id:A;cn_mobile:M", "张三|A|M"),        # both keys on one bank row: bank
    ("a.csv", 2, "cn_mobile:N", "李四|N|锦江之星(长宁店)"),    # N in hotel and bank: the hotel row shares the text
    ("a.csv", 3, "cn_mobile:P", "王五|P"),                 # P in hotel and bank, no telling text: dataset majority
    ("a.csv", 4, "cn_mobile:Q", "赵六|Q"),                 # only in the bank
    ("a.csv", 5, "cn_id:B;cn_mobile:R", "孙七|B|R|平安保险"),  # two ids in bank and insurer, one in hotel
    ("a.csv", 6, "cn_mobile:S", "周八|S|如家|VIP"),          # S on two hotel rows and a bank row
]
REFS = [  # source, record, ids, text
    ("bank", 1, "cn_id:A;cn_mobile:M", "张三|A|M|工商银行"),
    ("hotel", 1, "cn_mobile:M", "张三|M|如家"),
    ("bank", 2, "cn_mobile:N", "李四|N|农业银行"),
    ("hotel", 2, "cn_mobile:N", "李四|N|锦江之星(长宁店)"),
    ("bank", 3, "cn_mobile:P", "王五|P|建设银行"),
    ("hotel", 3, "cn_mobile:P", "王五|P|汉庭"),
    ("bank", 4, "cn_mobile:Q", "赵六|Q|中国银行"),
    ("bank", 5, "cn_id:B;cn_mobile:R", "孙七|B|R|建设银行"),
    ("insurer", 1, "cn_id:B;cn_mobile:R", "孙七|B|R|平安保险"),
    ("hotel", 5, "cn_mobile:R", "孙七|R|平安保险|VIP"),
    ("hotel", 6, "cn_mobile:S", "周八|S|汉庭"),
    ("hotel", 7, "cn_mobile:S", "周八|S|如家|VIP"),
    ("bank", 6, "cn_mobile:S", "周八|S|如家"),
]


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("""CREATE TABLE records (path VARCHAR, record BIGINT, dataset VARCHAR, holder VARCHAR, row BIGINT,
                   kind VARCHAR, name VARCHAR, fields VARCHAR, ids VARCHAR, valid BOOLEAN, text VARCHAR)""")
    con.executemany("INSERT INTO records VALUES (?, ?, ?, 'li', ?, 'row', NULL, NULL, ?, true, ?)",
                    [(p, r, p, r + 1, ids, text) for p, r, ids, text in RECORDS])
    con.execute("""CREATE TABLE ref_records (holder VARCHAR, path VARCHAR, record BIGINT, kind VARCHAR,
                   name VARCHAR, fields VARCHAR, ids VARCHAR, text VARCHAR)""")
    con.executemany("INSERT INTO ref_records VALUES (?, ?, ?, 'row', NULL, NULL, ?, ?)",
                    [(s, f"{s}.csv", r, ids, text) for s, r, ids, text in REFS])
    return con


def test_best_source_per_record():
    con = _con()
    prepare_match_tables(DuckDBEngine(con))
    match_sources(DuckDBEngine(con))
    got = dict(con.execute("""
        SELECT r.record, s.source FROM record_source s JOIN rec r USING (rid) ORDER BY 1""").fetchall())
    # 1: the bank row shares two identifiers, the hotel one; 2: tie broken by the hotel row's text;
    # 3: tie, same overlap: the source matching most of the dataset (bank: 6 records, hotel: 5);
    # 5: bank and insurer tie on two identifiers and the insurer row shares the text (the hotel row
    # shares more text but one identifier only); 6: the better of the hotel's two rows beats the bank
    assert got == {1: "bank", 2: "hotel", 3: "bank", 4: "bank", 5: "insurer", 6: "hotel"}
    matched = dict(con.execute("SELECT source, matched FROM dataset_source JOIN ref_sources USING (sid)").fetchall())
    assert matched == {"bank": 6, "hotel": 5, "insurer": 1}
