"""JSON, JSON Lines, SQL dumps and SQLite databases."""

import json
import sqlite3

import pytest

from fmt_helpers import all_rows, make_doc, read_all, tables, texts, unreadables
from leaktrace.ingest.formats import read_document


def test_jsonl_nested_and_bad_line(write):
    lines = [json.dumps({"name": "张三", "contact": {"phone": "13800138000", "email": {"home": "a@b.com"}},
                         "tags": ["vip", 1], "score": 1.5}, ensure_ascii=False),
             '{"id_card": "330302199012290241", "phone": "139001',   # truncated
             json.dumps({"name": "李四", "contact": {"phone": 15572422383}})]
    fmt, units, result = read_all(write("x.jsonl", "\n".join(lines) + "\n"))
    assert fmt == "jsonl"
    batches = tables(units)
    assert batches[0].columns == ["name", "contact.phone", "contact.email.home", "tags", "score"]
    assert batches[0].rows == [["张三", "13800138000", "a@b.com", "vip;1", "1.5"]]
    assert batches[0].first_row == 1 and batches[1].first_row == 3
    assert batches[1].rows == [["李四", "15572422383"]]
    assert "line 2" in unreadables(units)[0].reason
    bad = [u for u in units if getattr(u, "part", "") == "line 2 (not valid JSON)"]
    assert len(bad) == 1 and "330302199012290241" in bad[0].text and bad[0].line == 2
    assert result.rows == 2


@pytest.mark.parametrize("in_memory", [False, True])
@pytest.mark.parametrize("deep", ['{"name":' * 100_000 + '"x"' + "}" * 100_000,
                                  "[" * 100_000 + "]" * 100_000])
@pytest.mark.parametrize("where", [3, 0])
def test_jsonl_over_deep_line_does_not_lose_the_file(write, deep, in_memory, where):
    rows = [json.dumps({"name": f"n{i}", "phone": f"1380013{i:04d}"}) for i in range(6)]
    path = write("x.json", "\n".join(rows[:where] + [deep] + rows[where:]) + "\n")
    doc = make_doc(path)
    if in_memory:
        doc.data = path.read_bytes()
    units, result = read_document(doc, "json")
    units = list(units)
    assert result.format == "jsonl"
    assert [r[1] for r in all_rows(units)] == [f"1380013{i:04d}" for i in range(6)]
    assert [u.reason for u in unreadables(units)] == [f"line {where + 1}: nested too deep to parse; read as text"]
    assert [u.line for u in texts(units)] == [where + 1]


def test_json_over_deep_document_is_read_as_text(write):
    path = write("x.json", '{"phone": "13800138000", "a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    fmt, units, result = read_all(path)
    assert fmt == "json" and "nested too deep" in unreadables(units)[0].reason
    assert "13800138000" in texts(units)[0].text


def test_jsonl_flat_string_objects_read_like_any_other(write):
    lines = ['{"name": "张三", "idcard": "330302199012290241"}', '{"name": "李四", "": "13800138000"}',
             '{"name": "王五", "n": 7}', '{}', '{"name": "赵六", "idcard": "33030419851006304X"}']
    fmt, units, result = read_all(write("x.jsonl", "\n".join(lines) + "\n"))
    batch = tables(units)[0]
    assert batch.columns == ["name", "idcard", "value", "n"]
    assert batch.rows == [["张三", "330302199012290241", None, None], ["李四", None, "13800138000", None],
                          ["王五", None, None, "7"], [None, None, None, None],
                          ["赵六", "33030419851006304X", None, None]]
    assert result.rows == 5


LINES = ['{"a": 1}\n', ' {"a": [1, 2]} \r\n', '{"a": 1} x\n', '\ufeff{"a": 1}\n', '{"a": \n', '   \n', 'null\n',
         '{"a": "\\u00e9"}', '{"a": 1}{"b": 2}', '[1,2]', '{"a": NaN}', '{"a": "x\ty"}', '{"a":1,}']


def _outcome(parse, line):
    try:
        return "ok", parse(line)
    except ValueError as exc:
        return type(exc).__name__, exc.msg, exc.pos


def test_jsonl_line_parser_is_json_loads():
    from leaktrace.ingest.formats.jsonfmt import _loads

    for line in LINES:
        assert _outcome(_loads, line) == _outcome(json.loads, line), line


def test_json_object_with_array(write):
    doc = {"meta": {"n": 2}, "data": [{"id": "330302199012290241", "p": {"m": "13800138000"}},
                                      {"id": "33030419851006304X"}]}
    fmt, units, _ = read_all(write("x.json", json.dumps(doc, indent=2)))
    assert fmt == "json"
    batch = tables(units)[0]
    assert batch.table == "data" and batch.columns == ["id", "p.m"]
    assert batch.rows == [["330302199012290241", "13800138000"], ["33030419851006304X", None]]


def test_json_every_table_keyed_records_and_the_rest(write):
    doc = {"code": 0, "operator": {"mobile": "13000003937"},
           "orders": [{"m": "13900139000"}, {"m": "13800138000"}, {"m": "15572422383"}],
           "customers": [{"id": "330302199012290241"}],
           "users": {"15000004979": {"name": "张三"}, "13100001327": {"name": "李四"}}}
    _, units, result = read_all(write("api.json", json.dumps(doc, ensure_ascii=False)))
    got = {b.table: (b.columns, b.rows) for b in tables(units)}
    assert got["orders"][1] == [["13900139000"], ["13800138000"], ["15572422383"]]
    assert got["customers"] == (["id"], [["330302199012290241"]])
    assert got["users"] == (["key", "name"], [["15000004979", "张三"], ["13100001327", "李四"]])
    assert got[""] == (["code", "operator.mobile"], [["0", "13000003937"]])
    assert result.tables == 4
    mixed = {"users": {"u1": {"m": "1"}, "u2": {"m": "2"}}, "330302199012290241": {"m": "13800138000"},
             "deep": {"by_id": {"33030419851006304X": {"m": "15572422383"}}}}
    _, units, _ = read_all(write("mixed.json", json.dumps(mixed)))
    got = [(b.table, b.columns, b.rows) for b in tables(units)]
    assert got[:2] == [("users", ["key", "m"], [["u1", "1"], ["u2", "2"]]),
                       ("", ["key", "m"], [["330302199012290241", "13800138000"]])]
    assert [u.text for u in units if hasattr(u, "text")] == ["33030419851006304X\n"]   # a key deeper down
    named_parts = {"a": {"x": "1"}, "b": {"y": "2"}}           # objects under names: one record
    _, units, _ = read_all(write("one.json", json.dumps(named_parts)))
    assert [(b.columns, b.rows) for b in tables(units)] == [(["a.x", "b.y"], [["1", "2"]])]


def test_invalid_json_is_reported_and_read_as_text(write):
    fmt, units, _ = read_all(write("x.json", '{"a": 13800138000,,}'))
    assert unreadables(units) and "13800138000" in units[-1].text


MYSQL = r"""-- MySQL dump 10.13
/*!40101 SET NAMES utf8 */;
DROP TABLE IF EXISTS `t_customer`;
CREATE TABLE `t_customer` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `xm` varchar(255) DEFAULT NULL,
  `sfzh` varchar(255) DEFAULT NULL COMMENT 'id; card',
  `note` text,
  PRIMARY KEY (`id`),
  KEY `idx` (`sfzh`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
LOCK TABLES `t_customer` WRITE;
INSERT INTO `t_customer` VALUES (1,'李瑶','330302199012290241','it\'s; a \"note\"\n2'),(2,'O''Neil',NULL,'x(y),z'),(3,'王五','110108199112103112',-1.5);
INSERT INTO t_customer (`xm`,`sfzh`) VALUES ('赵六','33030419851006304X');
UNLOCK TABLES;
UPDATE t_customer SET note='13800138000' WHERE id=1;
"""

PG_COPY = """SET standard_conforming_strings = on;
CREATE TABLE public.users (id integer, name text, phone text);
COPY public.users (id, name, phone) FROM stdin;
1\t张三\t13800138000
2\tA\\tB\t\\N
\\.
INSERT INTO public.users VALUES (3, 'C:\\path', '15572422383');
"""


def test_mysql_dump(write):
    fmt, units, result = read_all(write("dump.sql", MYSQL))
    assert fmt == "sql"
    batches = tables(units)
    assert batches[0].columns == ["id", "xm", "sfzh", "note"]
    rows = all_rows(units)
    assert rows[0] == ["1", "李瑶", "330302199012290241", "it's; a \"note\"\n2"]
    assert rows[1] == ["2", "O'Neil", None, "x(y),z"]
    assert rows[2][3] == "-1.5"
    assert batches[-1].columns == ["xm", "sfzh"] and batches[-1].rows == [["赵六", "33030419851006304X"]]
    assert batches[-1].first_row == 4
    assert any("13800138000" in u.text for u in units if hasattr(u, "text"))
    assert result.tables == 1 and result.rows == 4


def test_sql_dump_comments_and_comment_statements_are_read(write):
    dump = ("-- 导出人: 钱七 13800138000\n-- 导出时间 2024-05-01\n"
            "CREATE TABLE t (id int, m varchar(11));\n"
            "COMMENT ON TABLE t IS '负责人邮箱 yy@qq.com';\n"
            "INSERT INTO t VALUES (1,'15572422383');\n-- end of dump\n")
    _, units, _ = read_all(write("c.sql", dump))
    blocks = {u.part: u.text for u in units if hasattr(u, "text")}
    assert "13800138000" in blocks["comments before statement 1"]
    assert "yy@qq.com" in blocks["statement 2"]
    assert all_rows(units) == [["1", "15572422383"]]
    assert "comments before statement 4" not in blocks     # no digit, no @: nothing worth a block


def test_postgres_copy(write):
    _, units, _ = read_all(write("pg.sql", PG_COPY))
    batches = tables(units)
    assert batches[0].table == "public.users" and batches[0].columns == ["id", "name", "phone"]
    assert batches[0].rows == [["1", "张三", "13800138000"], ["2", "A\tB", None],
                               ["3", "C:\\path", "15572422383"]]


def test_sqlite(tmp_path):
    path = tmp_path / "app.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT, mobile INTEGER, card TEXT)")
    con.executemany("INSERT INTO contacts VALUES (?,?,?)",
                    [("张三", 13800138000, "6222023093913383057"), ("李四", None, None)])
    con.execute("CREATE TABLE log (msg TEXT)")
    con.execute("INSERT INTO log VALUES ('ok')")
    con.commit()
    con.close()
    fmt, units, result = read_all(path)
    assert fmt == "sqlite"
    batches = {b.table: b for b in tables(units)}
    assert batches["contacts"].columns == ["name", "mobile", "card"]
    assert batches["contacts"].rows[0] == ["张三", "13800138000", "6222023093913383057"]
    assert result.tables == 2 and result.rows == 3


SQL_TRICKY = ("INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`, 'it''s; ok', 'back\\'; x', 1-2, 3/4);\n"
              "-- a comment; with a semicolon\n# another; one\n/* block; comment */ SELECT 1;"
              "SELECT '--not a comment', '/*nor this*/' ; tail -- end; here\n'open; string")


def test_sql_statements_split_alike_for_any_chunk_size(monkeypatch):
    import io

    from leaktrace.ingest.formats import sqldump

    def statements():
        scanner = sqldump._Scanner(io.StringIO(SQL_TRICKY))
        out = []
        while (stmt := scanner.statement()) is not None:
            out.append(stmt)
        return out

    whole = statements()
    assert whole[0].endswith("3/4)") and "it''s; ok" in whole[0]
    assert whole[1].endswith("SELECT 1") and whole[2].endswith("'/*nor this*/' ")
    assert len(whole) == 4 and whole[3].startswith(" tail")
    for size in range(1, 12):   # strings and comments ending right at a chunk's end too
        monkeypatch.setattr(sqldump, "CHUNK_CHARS", size)
        assert statements() == whole, size


@pytest.mark.parametrize("body", [b"('13800138000','x')," * 1_200_000,          # 24 MB of tuples, no `;`
                                  b"('" + b"13800138000 x " * 1_700_000,       # a string that never closes
                                  b"/* " + b"13800138000 x " * 1_700_000])     # a comment that never closes
def test_sql_statement_without_end_is_read_in_linear_time(write, body):
    """A 24 MB statement with no `;` is read as text in pieces (it took 15 s and more, quadratically)."""
    import time

    from leaktrace.ingest.formats import sqldump

    path = write("dump.sql", b"CREATE TABLE t (a text, b text);\nINSERT INTO t VALUES " + body)
    start = time.process_time()
    fmt, units, result = read_all(path)
    assert time.process_time() - start < 6
    assert fmt == "sql" and len(unreadables(units)) == 1
    assert f"over {sqldump.MAX_STATEMENT_CHARS} characters" in unreadables(units)[0].reason
    pieces = texts(units)
    assert len(pieces) > 4 and all(len(p.text) <= sqldump.MAX_STATEMENT_CHARS + sqldump.CHUNK_CHARS for p in pieces)
    assert sum(p.text.count("13800138000") for p in pieces) == body.count(b"13800138000")   # none cut in two
