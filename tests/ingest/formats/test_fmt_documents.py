"""DOCX, PDF, HTML, e-mail, vCard, plain text, empty and binary documents; sniffing."""

import base64
import codecs
from email.message import EmailMessage

import pytest

from fmt_helpers import read_all, tables, texts, unreadables
from leaktrace.ingest.sniff import sniff, sniff_bytes


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("客户资料：张三 13800138000")
    d.add_paragraph("身份证 330302199012290241")
    t = d.add_table(rows=2, cols=2)
    for i, (a, b) in enumerate([("姓名", "手机号"), ("李四", "15572422383")]):
        t.cell(i, 0).text, t.cell(i, 1).text = a, b
    path = tmp_path / "a.docx"
    d.save(path)
    fmt, units, _ = read_all(path)
    assert fmt == "docx"
    assert "13800138000" in texts(units)[0].text and texts(units)[0].part.startswith("paragraphs")
    batch = tables(units)[0]
    assert batch.columns == ["姓名", "手机号"] and batch.rows == [["李四", "15572422383"]]


def test_docx_with_an_oversized_part_is_reported_not_loaded(tmp_path, monkeypatch):
    """Parts are loaded whole by python-docx: a part declaring more than the limit (a bomb) is not."""
    import zipfile

    import docx

    from leaktrace.ingest.formats import docx as docx_reader

    d = docx.Document()
    d.add_paragraph("客户资料：张三 13800138000")
    path = tmp_path / "a.docx"
    d.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/header9.xml", b"<w:hdr>" + b" " * (3 << 20) + b"</w:hdr>")   # 3 MiB, deflated to 3 KiB
    monkeypatch.setattr(docx_reader, "MAX_XML_PART", 2 << 20)
    fmt, units, _ = read_all(path)
    assert fmt == "docx" and not texts(units)
    assert unreadables(units)[0].reason.startswith("DOCX not read: part word/header9.xml declares 3145")
    monkeypatch.setattr(docx_reader, "MAX_XML_PART", 4 << 20)
    monkeypatch.setattr(docx_reader, "MAX_PARTS_BYTES", 3 << 20)
    assert "parts declare" in unreadables(read_all(path)[1])[0].reason
    monkeypatch.setattr(docx_reader, "MAX_PARTS_BYTES", 8 << 20)
    assert "13800138000" in texts(read_all(path)[1])[0].text


def test_docx_text_beyond_plain_runs(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "甲方联系人电话：15200004832"
    d.sections[0].footer.paragraphs[0].text = "投诉邮箱 ts@163.com"
    p = d.add_paragraph("担保人身份证：")
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z">'
                          '<w:r><w:t>330302199012290241</w:t></w:r></w:ins>'))
    p = d.add_paragraph("备用 ")
    p._p.append(parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:r><w:t>18400009944</w:t></w:r>'
                          '</w:sdtContent></w:sdt>'))
    t = d.add_table(rows=2, cols=2)
    for i, (a, b) in enumerate([("姓名", "备注"), ("李四", "见下")]):
        t.cell(i, 0).text, t.cell(i, 1).text = a, b
    t.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "15900006673"
    path = tmp_path / "b.docx"
    d.save(path)
    _, units, _ = read_all(path)
    blocks = {b.part: b.text for b in texts(units)}
    body = next(v for k, v in blocks.items() if k.startswith("paragraphs"))
    assert "担保人身份证：330302199012290241" in body and "备用 18400009944" in body
    assert "15200004832" in blocks["word/header1.xml"] and "ts@163.com" in blocks["word/footer1.xml"]
    assert tables(units)[0].rows == [["李四", "见下\n15900006673"]]


def test_rtf_in_its_code_page(write):
    def escaped(text: str) -> str:
        return "".join(f"\\'{b:02x}" for b in text.encode("gbk"))
    doc = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\r\n"
           f"\\pard\\f0 {escaped('姓名：张三，身份证号')}330302199012290241{escaped('，手机')}13800138000\\par\r\n"
           "\\u21495?\\u30721? 15572422383\\par\r\n}")
    fmt, units, result = read_all(write("a.rtf", doc))
    text = texts(units)[0].text
    assert fmt == "rtf" and result.encoding == "gb18030"
    assert "姓名：张三，身份证号330302199012290241，手机13800138000" in text and "号码 15572422383" in text


def test_word_97_and_wps_text_runs_at_their_byte_offsets(write):
    utf16 = "客户：张三 手机13800138000 身份证330302199012290241".encode("utf-16-le")
    plain = b"mail li.si@example.cn 15572422383"
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(513) + utf16                         # at an odd offset
            + b"\x00\x01\x02" * 40 + plain + b"\xff\xfe" * 30 + "无号码的一段文字".encode("utf-16-le"))
    fmt, units, _ = read_all(write("合同.doc", data))
    blocks = texts(units)
    assert fmt == "ole" and [b.encoding for b in blocks] == ["utf-16-le", "latin-1"]
    assert blocks[0].text == "客户：张三 手机13800138000 身份证330302199012290241\n"
    assert data[blocks[0].byte_offset:].startswith(utf16) and blocks[0].byte_offset % 2 == 1
    assert blocks[1].text == plain.decode() + "\n" and data[blocks[1].byte_offset:].startswith(plain)


@pytest.mark.parametrize("shift", [-40, -7, 0, 3, 1000])
def test_compound_file_is_searched_window_by_window(write, monkeypatch, shift):
    """Runs are found whole and once whatever window boundary they cross, at their byte offsets."""
    from leaktrace.ingest.formats import ole

    monkeypatch.setattr(ole, "WINDOW", 4096)
    monkeypatch.setattr(ole, "OVERLAP", 256)
    utf16 = "客户张三手机13800138000".encode("utf-16-le")
    plain = b"mail li.si@example.cn 15572422383"
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4 * 4096))
    spots = {4096 + shift: utf16, 2 * 4096 + shift + 1: utf16, 3 * 4096 + shift: plain}
    for at, run in spots.items():
        data[at:at + len(run)] = run
    path = write("a.doc", bytes(data))
    windowed = sorted((b.byte_offset, b.text) for b in texts(read_all(path)[1]))
    monkeypatch.setattr(ole, "WINDOW", 1 << 20)
    whole = sorted((b.byte_offset, b.text) for b in texts(read_all(path)[1]))
    assert windowed == whole
    for at, run in spots.items():
        assert (at, run.decode("utf-16-le" if run == utf16 else "latin-1") + "\n") in whole


def test_text_runs_of_a_real_compound_file(tmp_path):
    import xlwt   # writes real OLE2 compound files; its strings are stored as Word's are (UTF-16LE or 8-bit)

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("客户")
    for i, row in enumerate([["姓名", "手机", "身份证"], ["张三", "13800138000", "身份证330302199012290241"],
                             ["li si", "mobile 15572422383", "mail li.si@example.cn"]]):
        for j, v in enumerate(row):
            sheet.write(i, j, v)
    path = tmp_path / "名单.wps"
    book.save(str(path))
    fmt, units, _ = read_all(path)
    text = "".join(b.text for b in texts(units))
    assert fmt == "ole"
    assert all(v in text for v in ("13800138000", "身份证330302199012290241", "15572422383", "li.si@example.cn"))


def test_pdf(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    for text in ("Phone 13800138000", "ID 330302199012290241"):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(0, 10, text)
    path = tmp_path / "a.pdf"
    pdf.output(str(path))
    fmt, units, _ = read_all(path)
    assert fmt == "pdf"
    blocks = texts(units)
    assert [b.part for b in blocks] == ["page 1", "page 2"]
    assert "13800138000" in blocks[0].text and "330302199012290241" in blocks[1].text


def test_damaged_pdf(write):
    _, units, _ = read_all(write("bad.pdf", b"%PDF-1.4\n garbage"))
    assert unreadables(units)


def test_html(write):
    page = ("<html><head><meta charset='gbk'><style>p{}</style><script>var x='15572422383'</script>"
            "</head><body><p>出售数据 QQ 12345</p><table><tr><td>张三</td><td>13800138000</td></tr>"
            "</table></body></html>")
    fmt, units, result = read_all(write("p.html", page.encode("gbk")))
    assert fmt == "html" and result.encoding == "gb18030"
    text = texts(units)[0].text
    assert "出售数据" in text and "张三\t13800138000" in text and "15572422383" not in text


def test_html_hidden_text(write):
    page = ("<html><head><style>.x{color:red}</style><script>window.__STATE__={\"mobile\":\"15572422383\"}"
            "</script></head><body><!-- 维护人: ops@example.cn --><p>联系我们</p>"
            "<a href=\"mailto:kf@example.cn\">客服</a><input type=\"hidden\" value=\"330302199012290241\">"
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\"></body></html>")
    _, units, _ = read_all(write("q.html", page))
    parts = {b.part: b.text for b in texts(units)}
    assert parts["html text"] == "联系我们\n客服\n"
    hidden = parts["html hidden text"].splitlines()
    assert '{"mobile":"15572422383"}' in hidden[0] and "维护人: ops@example.cn" in hidden
    assert "mailto:kf@example.cn" in hidden and "330302199012290241" in hidden
    assert not any("color" in h or "base64" in h for h in hidden)


@pytest.mark.parametrize("junk", [b"<a" * 4_000_000, b"<" * 4_000_000, b"<b>x</b>" * 500_000,
                                  b"<!--" + b"-" * 4_000_000 + b"-->", b"<a href='" + b"x" * 4_000_000 + b"'>"])
def test_hostile_html_is_read_in_linear_time(write, junk):
    """Markup that made the standard library's parser quadratic (`<a<a<a…`: 1 MiB took minutes)."""
    import time

    path = write("p.html", b"<html><body>" + junk + b" <p>13800138000</p></body></html>")
    start = time.process_time()
    fmt, units, _ = read_all(path)
    assert time.process_time() - start < 8
    assert fmt == "html" and "13800138000" in texts(units)[0].text


def test_mht_saved_pages_are_mime_messages(write):
    """IE saves quoted-printable HTML (soft line breaks inside numbers); QQ's message manager writes
    headers without a space after the colon and boundary lines that start with `--`."""
    ie = ("From: <Saved by Windows Internet Explorer 8>\r\nMIME-Version: 1.0\r\n"
          "Content-Type: multipart/related; boundary=\"b1\"\r\n\r\n--b1\r\n"
          "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          "<p>=E6=89=8B=E6=9C=BA13800138000 ID 11010519491231=\r\n002X</p>\r\n--b1--\r\n")
    qq = ("MIME-Version: 1.0\r\nContent-Type:multipart/related;charset=\"utf-8\";boundary=\"----=_b2\"\r\n\r\n"
          "------=_b2\r\nContent-Type:text/html\r\nContent-Transfer-Encoding:7bit\r\n\r\n"
          "<html><body><div>周子 13900139000</div></body></html>\r\n------=_b2--\r\n")
    for name, data, expected in (("a.mht", ie, ("手机13800138000", "11010519491231002X")),
                                 ("b.mht", qq, ("周子 13900139000",)), ("c.mhtml", ie, ("手机13800138000",))):
        fmt, units, _ = read_all(write(name, data))
        body = " ".join(b.text for b in texts(units))
        assert fmt == "eml" and all(e in body for e in expected), name
    fmt, _, _ = read_all(write("plain.mht", "<html><body>13800138000</body></html>"))
    assert fmt == "html"


def _message(n=1):
    msg = EmailMessage()
    msg["From"] = "seller@example.com"
    msg["To"] = "buyer@example.com"
    msg["Subject"] = f"样本 {n}"
    msg.set_content(f"样本见附件，电话13800138000 ({n})")
    msg.add_alternative("<p>html <b>15572422383</b></p>", subtype="html")
    msg.add_attachment("姓名,手机\n张三,13800138000\n".encode("utf-8"), maintype="text",
                       subtype="csv", filename="样本.csv")
    return msg.as_bytes()


def test_eml(write):
    fmt, units, _ = read_all(write("m.eml", _message()))
    assert fmt == "eml"
    parts = {b.part: b.text for b in texts(units)}
    assert "seller@example.com" in parts["headers"]
    assert "13800138000" in parts["body 1 (text/plain)"]
    assert "15572422383" in parts["body 2 (text/html)"]
    members = [u for u in units if type(u).__name__ == "Member"]
    assert [m.name for m in members] == ["样本.csv"] and b"13800138000" in members[0].data


def test_eml_inline_named_file_and_forwarded_message(write):
    inner = EmailMessage()
    inner["From"] = "broker@example.cn"
    inner["Subject"] = "转发"
    inner.set_content("原始邮件 13900139000")
    msg = EmailMessage()
    msg["From"] = "seller@example.com"
    msg.set_content("见下")
    msg.add_attachment("姓名,手机\n张三,13800138000\n".encode("utf-8"), maintype="text", subtype="csv",
                       filename="list.csv", disposition="inline")
    note = EmailMessage()
    note.set_content("备注 15572422383", subtype="x-note")      # an unnamed text part of another kind
    msg.attach(note)
    msg.add_attachment(inner)
    fmt, units, _ = read_all(write("fw.eml", msg.as_bytes()))
    members = [u for u in units if type(u).__name__ == "Member"]
    assert [m.name for m in members] == ["list.csv"] and b"13800138000" in members[0].data
    parts = {b.part: b.text for b in texts(units)}
    assert "broker@example.cn" in parts["attached message 1: headers"]
    assert any("15572422383" in t for t in parts.values()) and any("13900139000" in t for t in parts.values())


@pytest.mark.parametrize("header", [b"To: " + b"(" * 1_000_000 + b"\n",                  # nested comments
                                    b"X-Note: a\n" + b" 1\n" * 350_000,                # folded 350,000 times
                                    b"Subject: " + b"=?utf-8?q?a?= " * 80_000 + b"\n"])  # 80,000 encoded words
def test_hostile_headers_are_read_in_linear_time(write, header):
    """The default policy's header parser recursed through 1 GiB on `((((` and was quadratic on folds."""
    import time

    data = b"From: seller@example.com\n" + header + b"Content-Type: text/plain\n\n13800138000\n"
    start = time.process_time()
    fmt, units, _ = read_all(write("m.eml", data))
    assert time.process_time() - start < 8
    parts = {b.part: b.text for b in texts(units)}
    assert not unreadables(units) and "seller@example.com" in parts["headers"]
    assert "13800138000" in parts["body 1 (text/plain)"]


def test_header_encoded_words_and_raw_gbk_are_decoded():
    from leaktrace.ingest.formats.email import header_text

    name = "张三丰".encode("gbk")   # a character split between two encoded words
    split = f"=?GBK?B?{base64.b64encode(name[:3]).decode()}?= =?gbk?B?{base64.b64encode(name[3:]).decode()}?="
    assert header_text(split + " <a@b.cn>") == "张三丰 <a@b.cn>"
    assert header_text("=?utf-8?q?=E5=BC=A0_San?=\r\n =?utf-8?b?5p2O?= x") == "张 San李 x"
    assert header_text("李四 <c@d.cn>".encode("gbk").decode("ascii", "surrogateescape")) == "李四 <c@d.cn>"
    assert header_text("=?bogus?B?!!?= =?x?q?") == "=?bogus?B?!!?= =?x?q?"


def test_mbox(write):
    data = b"".join(b"From seller@example.com Thu Mar 10 10:00:00 2016\n" + _message(n) + b"\n"
                    for n in (1, 2))
    fmt, units, _ = read_all(write("inbox.mbox", data))
    assert fmt == "mbox"
    members = [u.name for u in units if type(u).__name__ == "Member"]
    assert members == ["1/样本.csv", "2/样本.csv"]
    assert any(b.part == "msg 2: headers" and "样本 2" in b.text for b in texts(units))


def test_vcf(write):
    data = ("BEGIN:VCARD\nVERSION:3.0\nFN:张三\nTEL;TYPE=CELL:13800138000\nTEL:+86 155 7242 2383\n"
            "EMAIL:a@b.com\nADR:;;娄桥路297号;温州;;;\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E=E5=9B=9B\n"
            "END:VCARD\n")
    fmt, units, _ = read_all(write("c.vcf", data))
    assert fmt == "vcf"
    batch = tables(units)[0]
    row = dict(zip(batch.columns, batch.rows[0]))
    assert row["FN"] == "张三" and row["TEL"] == "13800138000;+86 155 7242 2383"
    assert row["ADR"] == "娄桥路297号 温州" and batch.rows[1][0] == "李四"


def test_vcf_soft_line_breaks_and_other_properties(write):
    note = "证件号码11010519491231002X".encode("utf-8")
    qp = "".join(f"={b:02X}" for b in note[:12]) + "=\n" + note[12:].decode()   # a soft break inside
    data = ("BEGIN:VCARD\nVERSION:2.1\nFN:王五\n"
            f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp}\n"
            "X-IDCARD:330304199001011234\nIMPP:mailto:w5@163.com\n"
            "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;15572422383;1\n"
            "PHOTO;ENCODING=b:iVBORw0KGgo=\nEND:VCARD\n")
    _, units, _ = read_all(write("d.vcf", data))
    batch = tables(units)[0]
    row = dict(zip(batch.columns, batch.rows[0]))
    assert row["NOTE"] == "证件号码11010519491231002X"
    assert row["OTHER"] == ("X-IDCARD: 330304199001011234; IMPP: mailto:w5@163.com; "
                            "X-ANDROID-CUSTOM: vnd.android.cursor.item/relation 15572422383 1")


def test_vcf_long_soft_broken_value_is_read_in_linear_time(write):
    """A quoted-printable value broken over 250,000 lines (joining them took minutes: quadratic)."""
    import time

    data = (b"BEGIN:VCARD\nVERSION:2.1\nFN:a\nNOTE;ENCODING=QUOTED-PRINTABLE:" + b"=41=\n" * 250_000
            + b"x\nTEL:13800138000\nEND:VCARD\n" + b"BEGIN:VCARD\nFN:b\n TAIL\nEND:VCARD\n")
    start = time.process_time()
    _, units, result = read_all(write("c.vcf", data))
    assert time.process_time() - start < 6
    rows = [dict(zip(b.columns, r)) for b in tables(units) for r in b.rows]
    assert rows[0]["NOTE"] == "A" * 250_000 + "x" and rows[0]["TEL"] == "13800138000"
    assert rows[1]["FN"] == "bTAIL" and result.rows == 2


def test_vcf_cut_off_before_the_last_end_keeps_the_last_card(write):
    _, units, result = read_all(write("c.vcf", "BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\nTEL:13800138000\n"))
    assert [r[:3] for r in tables(units)[0].rows] == [["a", None, None], ["b", None, "13800138000"]]


def test_eml_unnamed_non_text_part_is_a_member(write):
    msg = EmailMessage()
    msg["From"] = "seller@example.com"
    msg.set_content("见附件")
    part = EmailMessage()
    part.set_content(b"PK\x03\x04 13800138000", maintype="application", subtype="octet-stream")
    del part["Content-Disposition"]
    msg.make_mixed()
    msg.attach(part)
    _, units, _ = read_all(write("m.eml", msg.as_bytes()))
    members = [u for u in units if type(u).__name__ == "Member"]
    assert [m.name for m in members] == ["attachment-1"] and b"13800138000" in members[0].data


def test_docx_embedded_files_are_members(tmp_path):
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph("见附表")
    path = tmp_path / "a.docx"
    d.save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK fake sheet 13800138000")
    _, units, _ = read_all(path)
    members = [u for u in units if type(u).__name__ == "Member"]
    assert [m.name for m in members] == ["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert members[0].data == b"PK fake sheet 13800138000"


@pytest.mark.parametrize("name,module,limit", [("p.html", "html", "MAX_HTML_BYTES"), ("d.json", "jsonfmt", "MAX_JSON_BYTES"),
                                               ("r.rtf", "rtf", "MAX_RTF_BYTES")])
def test_documents_too_big_for_their_reader_are_read_as_text(write, monkeypatch, name, module, limit):
    import importlib

    body = {"html": b"<html><body><p>13800138000</p>", "jsonfmt": b'{"phone": "13800138000", "x": [',
            "rtf": b"{\\rtf1\\ansi 13800138000 "}[module] + b" " * 4096
    monkeypatch.setattr(importlib.import_module(f"leaktrace.ingest.formats.{module}"), limit, 1024)
    fmt, units, _ = read_all(write(name, body))
    assert unreadables(units)[0].reason.endswith("exceeds 1024; read as plain text instead") or \
        unreadables(units)[0].reason.endswith("byte limit; read as plain text instead")
    assert "13800138000" in texts(units)[0].text


def test_text_offsets(write):
    data = "第一行\r\n电话：13800138000\r\n".encode("gbk")
    _, units, result = read_all(write("a.txt", data))
    block = texts(units)[0]
    assert result.encoding == "gb18030" and block.line == 1
    from leaktrace.detect.text import byte_offsets
    off = int(byte_offsets(block, [block.text.index("138")])[0])
    assert data[off:off + 11] == b"13800138000"


def test_empty(write):
    fmt, units, result = read_all(write("empty.csv", b""))
    assert fmt == "empty" and units == [] and result.rows == 0


def test_undecodable_binary_is_sniffed_as_binary():
    import random

    controls = bytes(range(256)) * 40 + b"\x00phone=13800138000\x00"
    rng = random.Random(1)
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(8192))  # no control bytes
    assert sniff("blob.bin", controls) == "binary"
    assert sniff("data.bin", high) == "binary"


def test_incompressible_text_is_text_and_compressed_bytes_are_binary():
    """Random keys or passwords do not compress but are text; deflated data without a magic is binary."""
    import random
    import string
    import zlib

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + string.punctuation
    keys = "\n".join("".join(rng.choice(alphabet) for _ in range(40)) for _ in range(200)).encode()
    assert len(zlib.compress(keys[:8192], 1)) > 0.8 * len(keys[:8192])   # the case being tested
    assert sniff("keys.txt", keys[:8192]) == "text"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)                    # raw deflate: no header
    raw = deflate.compress(keys) + deflate.flush()
    assert sniff("blob", raw[:8192]) == "binary"


# characters to draw short CJK text from: drawn at random, it compresses as little as random bytes
CJK_POOLS = {"gb18030": "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实",
             "big5": "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實"}


@pytest.mark.parametrize("codec", sorted(CJK_POOLS))
def test_short_cjk_text_is_text(codec, write):
    import random
    import zlib

    rng = random.Random(3)
    text = "".join(rng.choice(CJK_POOLS[codec]) + ("。\n" if i % 40 == 39 else "") for i in range(360))
    data = text.encode(codec)
    assert 512 <= len(data) < 1000 and len(zlib.compress(data, 1)) > 0.8 * len(data)   # the case being tested
    fmt, units, result = read_all(write("note.txt", data))
    assert fmt == "text" and result.encoding == ("gb18030" if codec == "gb18030" else codec)
    assert "".join(b.text for b in texts(units)) == text


def test_utf32_and_iso2022_kr_are_read(write):
    line = "张三 13800138000 zhang@example.com\n" * 20
    for name, data in [("bom.txt", codecs.BOM_UTF32_LE + line.encode("utf-32-le")),
                       ("be.txt", line.encode("utf-32-be")),
                       ("kr.txt", ("김철수 13800138000 이것은 한국어 텍스트입니다.\n" * 20).encode("iso2022_kr"))]:
        fmt, units, result = read_all(write(name, data))
        assert fmt == "text" and "13800138000" in texts(units)[0].text, name


def test_nul_padded_text_is_text_but_zeros_and_int_arrays_are_binary(write):
    import array

    page = "<html><body>phone 13800138000</body></html>\n".encode()
    assert sniff("log.html", b"\x00" * 1070 + page) == "html"
    assert sniff("zero.bin", b"\x00" * 4096) == "binary"
    ints = array.array("i", [i % 300 for i in range(1024)]).tobytes()   # little-endian int32 values
    assert sniff("ints.bin", ints) == "binary"
    assert sniff("ints.bin", b"\x00" * 64 + bytes(range(256)) * 8) == "binary"


@pytest.mark.parametrize("name,head,expected", [
    ("a.gz", b"\x1f\x8b\x08\x00", "gzip"), ("a.7z", b"7z\xbc\xaf\x27\x1c\x00", "7z"),
    ("a.bz2", b"BZh91AY", "bzip2"), ("a.xz", b"\xfd7zXZ\x00\x00", "xz"),
    ("a.tar", b"x" * 257 + b"ustar\x0000" + b"\x00" * 100, "tar"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "xls"),
    ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "ole"),
    ("a.WPS", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "ole"),
    ("a.rtf", b"{\\rtf1\\ansi x}", "rtf"),
    ("a.txt", b"\xef\xbb\xbf%PDF-1.3\n%\xc4\xe5", "pdf"),
    ("a.db", b"SQLite format 3\x00" + b"\x00" * 50, "sqlite"),
    ("a.dat", b"<!DOCTYPE html><html>", "html"),
    ("x", b"Received: from a\nFrom: a@b.com\nSubject: hi\n\nbody", "eml"),
    ("x", b"BEGIN:VCARD\nFN:a\n", "vcf"),
    ("x", b"-- MySQL dump\nCREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n", "sql"),
    ("x", b'{"a": 1}\n{"a": 2}\n', "jsonl"), ("x", b'[\n {"a": 1}\n]\n', "json"),
    ("x.log", b"[1460747872061] WARN x\n[1460747872062] INFO y\n", "text"),
    ("x.txt", b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n", "csv"),
    ("r.txt", "客户报表\n--------------------\n张三    13800138000\n--------------------\n".encode(), "text"),
    ("d.txt", b"--\n-- PostgreSQL database dump\n--\nSET x = 1;\n", "sql"),
])
def test_sniff(name, head, expected):
    assert sniff(name, head) == expected


def test_sniff_office_zips(tmp_path):
    import openpyxl

    path = tmp_path / "renamed.zip"
    openpyxl.Workbook().save(path)
    assert sniff_bytes("renamed.zip", path.read_bytes()) == "xlsx"
    import zipfile
    zpath = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("data/a.csv", "a,b\n")
    assert sniff_bytes("plain.xlsx", zpath.read_bytes()) == "zip"
