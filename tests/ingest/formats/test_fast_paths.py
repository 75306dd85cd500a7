"""Fast paths read exactly what the general readers read: CSV split by Arrow, JSON Lines parsed by
Arrow, the delimiter counts of an unquoted sample, simple SQL tuples, the SQL statement count of the
sniffer."""

from __future__ import annotations

import random
import re

import pytest

from fmt_helpers import make_doc, tables, unreadables
from leaktrace.ingest.formats import read_document
from leaktrace.ingest.formats import arrowcsv, common, delimited, jsonfmt, sqldump
from leaktrace.ingest import sniff
from leaktrace.ingest.sniff import sniff_stream, sql_statements
from leaktrace.ingest.units import Document

HEADER = "姓名,身份证号,手机号,备注"
BODY = ["张三,330302199012290241,13800138000,vip", "李四,33030419851006304X,15572422383,",
        "王五,110108199112103112,18582410822,a;b"]


def _read(path, in_memory: bool):
    doc = make_doc(path)
    if in_memory:
        data = path.read_bytes()
        doc = Document(path=doc.path, name=doc.name, size=doc.size, open=doc.open, data=data)
    units, result = read_document(doc, sniff_stream(doc.name, doc.open))
    units = list(units)
    batches = tables(units)
    return ([(b.table, b.columns, b.first_row, b.has_header, b.title, b.rows) for b in batches],
            [u.reason for u in unreadables(units)], vars(result), batches)


CASES = {
    "plain": HEADER + "\n" + "\n".join(BODY) + "\n",
    "crlf, no final newline": HEADER + "\r\n" + "\r\n".join(BODY),
    "title rows": "客户名单\n导出 2016\n" + HEADER + "\n" + "\n".join(BODY) + "\n",
    "no header": "\n".join(BODY * 3) + "\n",
    "tabs": (HEADER + "\n" + "\n".join(BODY) + "\n").replace(",", "\t"),
    "quoted": HEADER + '\n"张三",330302199012290241,"138,0013",x\n' + "\n".join(BODY) + "\n",
    "ragged": HEADER + "\n" + "\n".join(BODY) + "\n赵六,1\n钱七,1,2,3,4,5\n",
    "blank line": HEADER + "\n" + BODY[0] + "\n\n" + "\n".join(BODY[1:]) + "\n",
    "lone CR": HEADER + "\r" + "\r".join(BODY) + "\r",
    "large": HEADER + "\n" + "\n".join(f"名{i},{i:018d},1{i:010d},x" for i in range(25_003)) + "\n",
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_memory_reads_as_streamed(write, name, encoding):
    path = write(f"t.{'tsv' if name == 'tabs' else 'csv'}", CASES[name], encoding)
    streamed, in_memory = _read(path, False), _read(path, True)
    assert in_memory[:3] == streamed[:3]
    split_by_arrow = bool(in_memory[3]) and all(b.arrays is not None for b in in_memory[3])
    assert split_by_arrow == (name in ("plain", "crlf, no final newline", "title rows", "no header", "tabs", "large"))


@pytest.mark.parametrize("encoding, odd", [("gb18030", b"\x81"), ("utf-8", b"\xff"), ("utf-8", b"\xed\xa0\x80"),
                                           ("utf-8", b"\xe4\xb8")])
def test_csv_split_by_arrow_odd_bytes(write, encoding, odd):
    """Bytes the codec does not expect, past the sample its encoding is told from (in UTF-8: a stray
    byte, an encoded surrogate, a cut character): the cells decoded as when streamed."""
    data = (HEADER + "\n" + "\n".join(BODY * 1000) + "\n").encode(encoding) + odd + b",1,2,3\n"
    path = write("bad.csv", data)
    streamed, in_memory = _read(path, False), _read(path, True)
    assert in_memory[:3] == streamed[:3] and in_memory[3][0].arrays is not None
    assert in_memory[2]["encoding"] == encoding


def test_utf8_text_passes_valid_utf8_through():
    from leaktrace.ingest.decode import utf8_text
    text = "姓名,手机\n张三,１３８\n"
    valid = text.encode("utf-8")
    assert utf8_text(valid, "utf-8") is valid
    assert utf8_text(text.encode("gb18030"), "gb18030") == valid
    odd = utf8_text(valid + b"\xed\xa0\x80", "utf-8")
    assert odd.startswith(valid) and odd != valid + b"\xed\xa0\x80" and odd.decode("utf-8")


KEYS = ['"name"', '"idcard"', '"mobile"', '"\\u59d3\\u540d"', '"a.b"']
VALUES = ['"张三"', '"330302199012290241"', '"13800138000"', '""', '"say \\"hi\\""', '"\\u4e2d\\n"',
          '"2016-01-02 03:04:05"', '"1.50"']
ODD_VALUES = ["12", "true", "null", '{"x": "1"}', '["1"]', '"\\ud800"']


def _json_line(rnd: random.Random, keys: list[str]) -> str:
    keys = list(keys)
    if rnd.random() < 0.05:
        rnd.shuffle(keys)
    if rnd.random() < 0.03:
        keys = keys[:-1]                                   # a missing key
    if rnd.random() < 0.02:
        keys = keys + keys[:1]                               # a duplicate key
    values = [rnd.choice(ODD_VALUES) if rnd.random() < 0.01 else rnd.choice(VALUES) for _ in keys]
    line = "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, values)) + "}"
    odd = rnd.random()
    if odd < 0.01:
        return line + " " + line                           # two objects on a line
    if odd < 0.02:
        return rnd.choice(["", " ", "\t", "\u3000", "{", "[1]"])   # blank, white or broken lines
    return line


@pytest.mark.parametrize("seed", range(8))
def test_json_lines_parsed_by_arrow_as_line_by_line(write, monkeypatch, seed):
    monkeypatch.setattr(jsonfmt, "BATCH_ROWS", 4)          # batch boundaries within small documents
    monkeypatch.setattr(common, "BATCH_ROWS", 4)
    taken = []
    real = jsonfmt._arrow_lines
    monkeypatch.setattr(jsonfmt, "_arrow_lines", lambda *a: taken.append(r := real(*a)) or r)
    rnd = random.Random(seed)
    for i in range(60):
        keys = rnd.sample(KEYS, rnd.randint(1, len(KEYS)))
        lines = [_json_line(rnd, keys) for _ in range(rnd.randint(1, 14))]
        newline = rnd.choice(["\n", "\n", "\r\n"])
        text = newline.join(lines) + rnd.choice(["", newline])
        data = (b"\xef\xbb\xbf" if rnd.random() < 0.1 else b"") + text.encode("utf-8")
        path = write(f"t{seed}_{i}.jsonl", data)
        streamed, in_memory = _read(path, False), _read(path, True)
        assert in_memory[:3] == streamed[:3], text
    assert sum(t is not None for t in taken) >= 10   # the fast path was taken, and not always
    assert sum(t is None for t in taken) >= 10


JSON_LINES_CASES = {
    "blank line and two objects on a line": '{"a":"1"}\n\n{"a":"2"} {"a":"3"}\n{"a":"4"}\n',
    "white line and two objects on a line": '{"a":"1"}\n \t\n{"a":"2"} {"a":"3"}\n{"a":"4"}\n',
    "carriage return alone": '\r{"a":"1"}\n{"a":"2"}\n',
    "a key absent from a whole batch": "".join('{"a":"1","b":"2"}\n' for _ in range(4)) + '{"a":"3"}\n' * 4,
    "keys reordered at a batch's first line": '{"a":"1","b":"2"}\n' * 4 + '{"b":"3","a":"4"}\n',
}


@pytest.mark.parametrize("name", list(JSON_LINES_CASES))
def test_json_lines_arrow_cannot_read_otherwise(write, monkeypatch, name):
    monkeypatch.setattr(jsonfmt, "BATCH_ROWS", 4)
    monkeypatch.setattr(common, "BATCH_ROWS", 4)
    path = write("t.jsonl", JSON_LINES_CASES[name])
    assert _read(path, True)[:3] == _read(path, False)[:3]


SAMPLE_PIECES = ["a", "中", " ", "\t", "\u3000", ",", ";", "|", ",,", "\n", "\r\n", "\n\n", "x|y;z"]


def test_delimiter_counts_of_unquoted_samples_as_the_csv_module():
    rnd = random.Random(5)
    checked = 0
    for _ in range(3000):
        sample = "".join(rnd.choice(SAMPLE_PIECES) for _ in range(rnd.randint(0, 40)))
        if rnd.random() < 0.2:   # more lines than the sample's record limit, blank ones among them
            sample = "\n".join(rnd.choice(["a,b;c", "", " \t", "1|2|3"]) for _ in range(rnd.randint(190, 230)))
        if not arrowcsv.unquoted(sample):
            continue
        lines = delimited._sample_lines(sample)
        for d in delimited.DELIMITERS:
            assert delimited._dialect_stats(sample, d, lines) == delimited._dialect_stats(sample, d), (sample, d)
        checked += 1
    assert checked > 2000


SQL_TOKENS = ["'a'", "'b,c'", "'it''s'", r"'x\'y'", r"'\n'", "NULL", "null", "12", "-1.5", "NOW()", "f(1,2)",
              "''", "x'41'", "'a' 'b'", "", " ", "'(', ')'", "\n'q'"]


def test_simple_sql_tuples_as_tokenized():
    rnd = random.Random(7)
    for _ in range(2000):
        rows = ["(" + ", ".join(rnd.choice(SQL_TOKENS) for _ in range(rnd.randint(0, 4))) + ")" + rnd.choice(["", " ", "\n"])
                for _ in range(rnd.randint(1, 4))]
        stmt = "INSERT INTO t VALUES " + ",".join(rows) + rnd.choice(["", " ON DUPLICATE KEY UPDATE a=VALUES(a)", " (", "'x"])
        start = sqldump._INSERT.match(stmt).end()
        for backslash in (True, False):
            assert _tuples(sqldump._tuples, stmt, start, backslash) == \
                _tuples(sqldump._tokenized_tuples, stmt, start, backslash), stmt


def _tuples(fn, stmt, start, backslash):
    out = []
    try:
        out.extend(fn(stmt, start, backslash))
    except ValueError as exc:
        out.append(str(exc))
    return out


SQL_RE = re.compile(rb"^\s*(?:--(?:[^-\n]|$)|/\*!|CREATE TABLE|INSERT INTO|DROP TABLE|SET |COPY |"
                    rb"LOCK TABLES|BEGIN;|PRAGMA )", re.I | re.M)


@pytest.fixture(params=["hyperscan", "re"])
def sql_backend(request, monkeypatch):
    """Statement counting through Hyperscan, and through `re` (as without Hyperscan)."""
    if request.param == "hyperscan" and sniff.hyperscan is None:
        pytest.skip("hyperscan not installed")
    monkeypatch.setenv("LEAKTRACE_MATCHER", request.param)
    sniff._sql_database.cache_clear()
    yield request.param
    sniff._sql_database.cache_clear()


def test_sql_statement_count_as_the_expression(sql_backend):
    rnd = random.Random(11)
    pieces = [b"-- dump", b"--", b"-----", b"  insert into t", b"\n", b"\r\n", b"  \n", b"\t", b"set x", b"SET ", b"begin;", b"x",
              b"create table", b"CREATE TABLE t", b"/*!40101", b"copy  ", b"COPY t", b"\x0b", b"pragma "]
    for _ in range(3000):
        probe = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert sql_statements(probe) == len(SQL_RE.findall(probe)), probe
