"""XLSX, XLS and ODS: sheets, numbers stored as numbers, dates, title and header rows."""

import datetime as dt

import pytest

from fmt_helpers import read_all, tables, unreadables


def _rows():
    return [["姓名", "身份证号", "手机号", "生日", "余额"],
            ["张三", "330302199012290241", 13800138000, dt.date(1990, 12, 29), 104.95],
            ["李四", 330302199012290000, 15572422383.0, dt.date(1985, 10, 6), 0.1]]


def _xlsx(path, title=True):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户"
    if title:
        ws.append(["客户名单 2016年3月"])
    for row in _rows():
        ws.append(row)
    wb.create_sheet("空白")
    ws2 = wb.create_sheet("Sheet3")
    ws2.append([13800138000, "a@b.com"])
    wb.save(path)


def _xls(path):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("客户")
    ws.write(0, 0, "客户名单 2016年3月")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(_rows(), 1):
        for c, v in enumerate(row):
            ws.write(r, c, v, date_style if isinstance(v, dt.date) else xlwt.Style.default_style)
    wb.save(str(path))


def _ods(path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="客户")
    for row in [["客户名单 2016年3月"]] + _rows()[:2]:
        tr = TableRow()
        for v in row:
            if isinstance(v, (int, float)):
                cell = TableCell(valuetype="float", value=v)
            elif isinstance(v, dt.date):
                cell = TableCell(valuetype="date", datevalue=v.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _check_customer_sheet(batch, rows=2):
    assert batch.table == "客户" and batch.title == "客户名单 2016年3月"
    assert batch.columns == ["姓名", "身份证号", "手机号", "生日", "余额"] and batch.first_row == 3
    assert batch.rows[0] == ["张三", "330302199012290241", "13800138000", "1990-12-29", "104.95"]
    if rows == 2:
        assert batch.rows[1][1:3] == ["330302199012290000", "15572422383"]
        assert batch.rows[1][4] == "0.1"


def test_xlsx(tmp_path):
    path = tmp_path / "客户.xlsx"
    _xlsx(path)
    fmt, units, result = read_all(path)
    assert fmt == "xlsx"
    batches = tables(units)
    _check_customer_sheet(batches[0])
    assert batches[1].table == "Sheet3" and batches[1].rows == [["13800138000", "a@b.com"]]
    assert not batches[1].has_header and batches[1].first_row == 1
    assert result.tables == 2 and result.rows == 3


def test_xls(tmp_path):
    path = tmp_path / "客户.xls"
    _xls(path)
    fmt, units, _ = read_all(path)
    assert fmt == "xls"
    _check_customer_sheet(tables(units)[0])


def test_ods(tmp_path):
    path = tmp_path / "客户.ods"
    _ods(path)
    fmt, units, _ = read_all(path)
    assert fmt == "ods"
    _check_customer_sheet(tables(units)[0], rows=1)


def test_damaged_workbook(write):
    path = write("bad.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    fmt, units, _ = read_all(path, "xlsx")
    assert units and all(type(u).__name__ == "Unreadable" for u in units)


@pytest.mark.parametrize("value,text", [(13800138000.0, "13800138000"), (3.3030219901229e17,
                         "330302199012290000"), (104.95, "104.95"), (1e-7, "0.0000001")])
def test_float_text(value, text):
    from leaktrace.ingest.formats.common import float_text

    assert float_text(value) == text


def test_a_damaged_sheet_does_not_lose_the_sheets_after_it(tmp_path):
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    for n, (title, phone) in enumerate([("a", "13800138000"), ("b", "13900139000"), ("c", "15572422383")]):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(["name", "phone"])
        sheet.append(["x", phone])
    buf = io.BytesIO()
    book.save(buf)
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet2.xml" else data)
    _, units, _ = read_all(path)
    assert [(b.table, b.rows) for b in tables(units)] == [("a", [["x", "13800138000"]]), ("c", [["x", "15572422383"]])]
    assert [u.reason.split(":")[0] for u in unreadables(units)] == ["sheet b"]
