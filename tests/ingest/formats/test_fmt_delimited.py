"""Delimited text: delimiters, headers, title rows, encodings, quoting, ragged rows, batching."""

import codecs

import pytest

from fmt_helpers import all_rows, read_all, tables, texts

ROWS = [["张三", "330302199012290241", "13800138000"],
        ["李四", "33030419851006304X", "15572422383"],
        ["王五", "110108199112103112", "18582410822"]]


def _csv(delim=",", header=True, title=""):
    lines = ([title] if title else []) + ([delim.join(["姓名", "身份证号", "手机号"])] if header else [])
    return "\n".join(lines + [delim.join(r) for r in ROWS]) + "\n"


@pytest.mark.parametrize("delim", [",", ";", "|", "\t"])
def test_delimiters(write, delim):
    fmt, units, result = read_all(write("a.csv", _csv(delim)))
    batch = tables(units)[0]
    assert batch.columns == ["姓名", "身份证号", "手机号"] and batch.has_header
    assert batch.rows == ROWS and batch.first_row == 2
    assert result.rows == 3 and result.tables == 1


def test_without_header(write):
    _, units, _ = read_all(write("a.csv", _csv(header=False)))
    batch = tables(units)[0]
    assert not batch.has_header and batch.columns == ["col1", "col2", "col3"]
    assert batch.rows == ROWS and batch.first_row == 1


def test_title_row(write):
    _, units, _ = read_all(write("a.csv", _csv(title="客户名单 2016年3月")))
    batch = tables(units)[0]
    assert batch.title == "客户名单 2016年3月" and batch.first_row == 3
    assert batch.columns[0] == "姓名" and batch.rows == ROWS


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b""),
    ("big5", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
])
def test_encodings(write, encoding, bom):
    text = _csv().translate(str.maketrans("张证号机", "張證號機")) if encoding == "big5" else _csv()
    fmt, units, result = read_all(write("a.csv", bom + text.encode(encoding)))
    batch = tables(units)[0]
    assert batch.columns[0] == "姓名" and batch.columns[2].startswith("手")
    assert [r[2] for r in batch.rows] == [r[2] for r in ROWS]
    assert batch.rows[1][0] == "李四"
    expected = {"gbk": "gb18030"}.get(encoding, encoding)
    assert result.encoding.startswith(expected)


def test_quoted_ragged_and_batches(write):
    body = ['1,"Zhang, San","line1\nline2",13800138000'] + [f"{i},x,y,1{i:010d}" for i in range(2, 25002)]
    body.insert(5, "short")
    path = write("q.csv", "id,name,note,phone\n" + "\n".join(body) + "\n")
    _, units, result = read_all(path)
    batches = tables(units)
    assert len(batches) == 3 and result.rows == 25002
    assert batches[0].rows[0] == ["1", "Zhang, San", "line1\nline2", "13800138000"]
    assert batches[0].rows[5] == ["short", None, None, None]
    assert batches[1].first_row == batches[0].first_row + len(batches[0].rows)


@pytest.mark.parametrize("rest", ["", '2,"Li, Si",13900139000\n'])
def test_unbalanced_quote_resynchronises_on_the_next_line(write, rest):
    """A field opened by a quote that never closes (or closes rows later) does not swallow the rows
    after it: its line is split without quoting and reading goes on with the next line."""
    n = 5000
    rows = "".join(f"{i},name{i},1{i:010d}\n" for i in range(3, n))
    path = write("q.csv", 'id,name,phone\n1,"Zhang San,13800138000\n' + rest + rows)
    _, units, result = read_all(path)
    got = all_rows(units)
    assert got[0] == ["1", '"Zhang San', "13800138000"]
    assert ["4", "name4", "10000000004"] in got and got[-1] == [str(n - 1), f"name{n - 1}", f"1{n - 1:010d}"]
    assert result.rows == len(got) == n - 3 + 1 + bool(rest)
    assert any("line 2: a quote not closed" in note for note in result.notes)


def test_free_text_is_not_a_table(write):
    text = "今天和张三聊了, 他说有货\n明天再说\n电话13800138000, 邮箱 a@b.com, 晚上联系\n好的\n" * 5
    fmt, units, result = read_all(write("notes.txt", text))
    assert fmt == "text" and not tables(units)
    assert "".join(b.text for b in texts(units)) == text


@pytest.mark.parametrize("name", ["story.txt", "story"])
def test_prose_with_one_comma_per_line_is_text(write, name):
    lines = ["Yesterday I met him at the station, and he gave me the list.",
             "He said the buyer was waiting outside, but I did not believe him.",
             "Call me on 13800138000 tonight, he wrote.",
             "Then we went home, tired and cold.",
             "我们今天去了医院, 医生说没有什么大问题。"] * 4
    text = "\n".join(lines) + "\n"
    fmt, units, result = read_all(write(name, text))
    assert not tables(units) and "".join(b.text for b in texts(units)) == text
    assert result.format == "text"


def test_two_column_tables_stay_tables(write):
    """Headerless pairs without prose, and a header over sentences, are tables."""
    pairs = "".join(f"张{i}, 1380013{i:04d}\n" for i in range(20))
    notes = "phone, note\n" + "".join(f"1380013{i:04d}, Called him twice and he did not answer.\n" for i in range(20))
    for name, data in [("pairs.txt", pairs), ("notes.txt", notes), ("named.csv", "Hello there, my friend of old.\n" * 9)]:
        fmt, units, result = read_all(write(name, data))
        assert fmt == "csv" and result.format == "csv" and tables(units), name


def test_delimited_txt_is_sniffed_as_table(write):
    fmt, units, _ = read_all(write("calls.txt", "#主叫|被叫|时长\n" + "\n".join(
        f"1380013800{i}|1390013900{i}|{i}" for i in range(9)) + "\n"))
    assert fmt == "csv"
    assert tables(units)[0].columns == ["主叫", "被叫", "时长"]


def test_alipay_style_comment_block(write):
    text = ("#支付宝交易记录明细查询\n#账号:[18777206589]\n#起始日期:[2016-01-01 00:00:00]\n"
            "交易号,付款时间,交易对方,金额\n"
            + "".join(f"20160130210010043068513673{i:02d},2016-01-30 06:35:47,滴滴出行,10{i}.95\n"
                      for i in range(20))
            + "#已收入:1笔,300.00元\n#导出时间:[2016-05-20 10:21:33]\n")
    _, units, _ = read_all(write("alipay.csv", text.encode("gbk")))
    batch = tables(units)[0]
    assert batch.title.startswith("#支付宝") and batch.columns[0] == "交易号"
    assert batch.first_row == 5 and len(all_rows(units)) == 22
