"""Table writers, one per evidence file format; all take rows of strings per part (sheet/table).

Text formats stream to disk; spreadsheet and document formats that need the whole table keep
their (capped) rows in memory. Outputs are deterministic: fixed zip member times, fixed
document metadata.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

FIXED_TIME = (2016, 5, 20, 9, 30, 0)
FIXED_DT = dt.datetime(*FIXED_TIME, tzinfo=dt.timezone.utc)

# Simplified -> traditional for the characters of synthetic names/places that Big5 lacks.
_S2T = str.maketrans("张刘陈杨黄赵吴孙马郭罗郑梁谢宋韩冯邓许苏叶吕钟谭陆汪贾龙贺顾龚邵万钱严汤伟强军杰涛斌鹏华飞鑫宁龙锋国帅丽艳娟霞玲红琳燕萍婷颖琴蕾欣雨晨彤娇萱铭凯浩帆杨温州鹿区瓯乐兴绍门圳汉庭锦维纳诚电话号码账户证车银行",
                       "張劉陳楊黃趙吳孫馬郭羅鄭梁謝宋韓馮鄧許蘇葉呂鍾譚陸汪賈龍賀顧龔邵萬錢嚴湯偉強軍傑濤斌鵬華飛鑫寧龍鋒國帥麗艷娟霞玲紅琳燕萍婷穎琴蕾欣雨晨彤嬌萱銘凱浩帆楊溫州鹿區甌樂興紹門圳漢庭錦維納誠電話號碼賬戶證車銀行")


def encode(text: str, encoding: str) -> bytes:
    """Encode with the case's encoding names (``utf-16-le-bom``, ``utf-16-be-bom``, ``big5`` ...)."""
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "big5":
        return text.translate(_S2T).encode("big5", errors="replace")
    return text.encode(encoding)


def fix_zip(path: Path) -> None:
    """Rewrite a zip-based file (xlsx, docx, ods) with fixed member times and metadata dates."""
    stamp = b"2016-05-20T09:30:00"
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            if name in ("docProps/core.xml", "meta.xml"):
                for tag in (rb"dcterms:created", rb"dcterms:modified", rb"meta:creation-date", rb"dc:date"):
                    data = re.sub(rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)", rb"\g<1>" + stamp + rb"Z\g<2>", data)
            zi = zipfile.ZipInfo(name, FIXED_TIME)
            zi.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)


class Writer:
    """Base: ``parts`` is a list of (part name, headers); ``add(part, cells)``; ``close()``."""

    buffered = False

    def __init__(self, path: Path, parts: list[tuple[str, list[str]]], **opts):
        self.path, self.parts, self.opts = path, parts, opts
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rows: list[list[list[str]]] = [[] for _ in parts]
        self.start()

    def start(self) -> None:
        pass

    def add(self, part: int, cells: list[str]) -> None:
        self.rows[part].append(cells)

    def close(self) -> None:
        pass


class StreamWriter(Writer):
    """Writes encoded text as rows arrive (one part)."""

    def start(self) -> None:
        self.f = open(self.path, "wb")
        self.encoding = self.opts.get("encoding", "utf-8")
        self.newline = self.opts.get("newline", "\n")
        self.first = True
        head = self.head()
        if head is not None:
            self.emit(head)

    def head(self) -> str | None:
        return None

    def emit(self, text: str) -> None:
        enc = self.encoding
        if not self.first and enc.endswith("-bom"):
            enc = enc[:-4]
        if not self.first and enc == "utf-8-sig":
            enc = "utf-8"
        self.f.write(encode(text, enc))
        self.first = False

    def add(self, part: int, cells: list[str]) -> None:
        self.emit(self.line(cells))

    def close(self) -> None:
        tail = self.tail()
        if tail:
            self.emit(tail)
        if self.first:  # nothing written: still honour a BOM
            self.emit("")
        self.f.close()

    def tail(self) -> str:
        return ""


class DelimitedWriter(StreamWriter):
    """CSV/TSV with a chosen delimiter; ``header=False`` omits the header row."""

    def _fmt(self, cells) -> str:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.opts.get("delimiter", ","), lineterminator=self.newline).writerow(cells)
        return buf.getvalue()

    def head(self):
        return self._fmt(self.parts[0][1]) if self.opts.get("header", True) else None

    def line(self, cells):
        return self._fmt(cells)


class LineWriter(StreamWriter):
    """Free-form text: cells joined by ``sep`` (no header), optional preamble."""

    def head(self):
        return self.opts.get("preamble")

    def line(self, cells):
        return self.opts.get("sep", " ").join(c for c in cells if c or not self.opts.get("skip_empty")) + self.newline


class JsonlWriter(StreamWriter):
    """JSON Lines; ``nest`` maps a group name to the keys moved into a nested object."""

    def line(self, cells):
        return json.dumps(nest(self.parts[0][1], cells, self.opts.get("nest")), ensure_ascii=False) + "\n"


def nest(keys: list[str], cells: list[str], groups: dict | None) -> dict:
    obj: dict = {}
    where = {k: g for g, ks in (groups or {}).items() for k in ks}
    for k, v in zip(keys, cells):
        if k in where:
            obj.setdefault(where[k], {})[k] = v
        else:
            obj[k] = v
    return obj


class MysqlWriter(StreamWriter):
    """mysqldump-style file with multi-row ``INSERT ... VALUES`` of ``batch`` rows."""

    def head(self):
        t, cols = self.parts[0]
        self.batch: list[str] = []
        self.n = 0
        defs = ",\n".join(f"  `{c}` varchar(255) DEFAULT NULL" for c in cols)
        return (f"-- MySQL dump 10.13  Distrib 5.6.30, for Linux (x86_64)\n--\n-- Host: 192.168.1.20    Database: crm\n"
                f"-- ------------------------------------------------------\n\n/*!40101 SET NAMES utf8 */;\n\n"
                f"DROP TABLE IF EXISTS `{t}`;\nCREATE TABLE `{t}` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n{defs},\n"
                f"  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8;\n\nLOCK TABLES `{t}` WRITE;\n")

    def add(self, part, cells):
        self.n += 1
        vals = ",".join("'" + c.replace("'", "\\'") + "'" for c in cells)
        self.batch.append(f"({self.n},{vals})")
        if len(self.batch) >= self.opts.get("batch", 200):
            self._flush()

    def _flush(self):
        if self.batch:
            self.emit(f"INSERT INTO `{self.parts[0][0]}` VALUES " + ",".join(self.batch) + ";\n")
            self.batch = []

    def tail(self):
        self._flush()
        return "UNLOCK TABLES;\n\n-- Dump completed on 2016-03-30 22:14:03\n"


class PgCopyWriter(StreamWriter):
    """pg_dump-style ``COPY table (cols) FROM stdin;`` block."""

    def head(self):
        t, cols = self.parts[0]
        return (f"--\n-- PostgreSQL database dump\n--\n\nSET client_encoding = 'UTF8';\n\n"
                f"CREATE TABLE public.{t} (\n" + ",\n".join(f"    {c} text" for c in cols) + "\n);\n\n"
                f"COPY public.{t} ({', '.join(cols)}) FROM stdin;\n")

    def line(self, cells):
        return "\t".join(c if c else "\\N" for c in cells) + "\n"

    def tail(self):
        return "\\.\n\n--\n-- PostgreSQL database dump complete\n--\n"


class JsonArrayWriter(Writer):
    """A JSON document: array of nested objects."""

    def close(self):
        keys = self.parts[0][1]
        arr = [nest(keys, r, self.opts.get("nest")) for r in self.rows[0]]
        self.path.write_text(json.dumps(arr, ensure_ascii=False, indent=2), encoding="utf-8")


class XlsxWriter(Writer):
    """XLSX (openpyxl write-only), one sheet per part, optional title rows above the header."""

    def start(self):
        import openpyxl
        self.wb = openpyxl.Workbook(write_only=True)
        self.sheets = []
        for name, headers in self.parts:
            ws = self.wb.create_sheet(name)
            for t in self.opts.get("titles", []):
                ws.append([t])
            ws.append(headers)
            self.sheets.append(ws)

    def add(self, part, cells):
        self.sheets[part].append(cells)

    def close(self):
        self.wb.properties.created = self.wb.properties.modified = FIXED_DT.replace(tzinfo=None)
        self.wb.properties.creator = "Administrator"
        self.wb.save(self.path)
        fix_zip(self.path)


class XlsWriter(Writer):
    """Legacy XLS via xlwt (rows capped by the caller below 65536)."""

    def close(self):
        import xlwt
        wb = xlwt.Workbook(encoding="utf-8")
        for (name, headers), rows in zip(self.parts, self.rows):
            ws = wb.add_sheet(name)
            for r, cells in enumerate([headers] + rows):
                for c, v in enumerate(cells):
                    ws.write(r, c, v)
        wb.save(str(self.path))


class OdsWriter(Writer):
    """OpenDocument spreadsheet via odfpy."""

    def close(self):
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.table import Table, TableCell, TableRow
        from odf.text import P
        OpenDocumentSpreadsheet().write(io.BytesIO())  # odfpy's namespace list grows on first use
        doc = OpenDocumentSpreadsheet()
        for (name, headers), rows in zip(self.parts, self.rows):
            t = Table(name=name)
            for cells in [headers] + rows:
                tr = TableRow()
                for v in cells:
                    tc = TableCell(valuetype="string")
                    tc.addElement(P(text=v))
                    tr.addElement(tc)
                t.addElement(tr)
            doc.spreadsheet.addElement(t)
        buf = io.BytesIO()
        doc.write(buf)
        self.path.write_bytes(buf.getvalue())
        fix_zip(self.path)


class PdfWriter(Writer):
    """PDF table via fpdf2 (ASCII only: no CJK font is available offline)."""

    def close(self):
        from fpdf import FPDF
        pdf = FPDF(orientation="L")
        pdf.set_creation_date(FIXED_DT)
        pdf.set_font("Helvetica", size=8)
        pdf.add_page()
        pdf.cell(0, 8, self.opts.get("title", "Customer list"), new_x="LMARGIN", new_y="NEXT")
        for (_, headers), rows in zip(self.parts, self.rows):
            width = 270 / max(len(headers), 1)
            for cells in [headers] + rows:
                for v in cells:
                    pdf.cell(width, 6, v, border=1)
                pdf.ln(6)
        pdf.output(str(self.path))


class DocxWriter(Writer):
    """DOCX: the first part as paragraphs, later parts as tables."""

    def close(self):
        import docx
        d = docx.Document()
        d.core_properties.created = d.core_properties.modified = FIXED_DT.replace(tzinfo=None)
        d.core_properties.author = "Administrator"
        d.add_paragraph(self.opts.get("title", "客户资料"))
        for k, ((_, headers), rows) in enumerate(zip(self.parts, self.rows)):
            if k == 0:
                for cells in rows:
                    d.add_paragraph("  ".join(c for c in cells if c))
                continue
            t = d.add_table(rows=1, cols=len(headers))
            for c, h in enumerate(headers):
                t.rows[0].cells[c].text = h
            for cells in rows:
                rc = t.add_row().cells
                for c, v in enumerate(cells):
                    rc[c].text = v
        d.save(str(self.path))
        fix_zip(self.path)


class HtmlWriter(Writer):
    """A saved web page carrying the rows as an HTML table."""

    def close(self):
        from html import escape
        headers = self.parts[0][1]
        body = "\n".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>" for r in self.rows[0])
        self.path.write_text(
            f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{self.opts.get('title', '查询结果')}</title></head>\n"
            f"<body><h2>{self.opts.get('title', '查询结果')}</h2>\n<table border=\"1\">\n<tr>"
            + "".join(f"<th>{escape(h)}</th>" for h in headers) + f"</tr>\n{body}\n</table></body></html>\n",
            encoding="utf-8")


class VcfWriter(StreamWriter):
    """vCard 3.0 contacts; the part's headers name the FN, TEL, EMAIL cells."""

    def line(self, cells):
        fields = dict(zip(self.parts[0][1], cells))
        out = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{fields.get('FN', '')}"]
        if fields.get("TEL"):
            out.append(f"TEL;TYPE=CELL:{fields['TEL']}")
        if fields.get("EMAIL"):
            out.append(f"EMAIL:{fields['EMAIL']}")
        if fields.get("NOTE"):
            out.append(f"NOTE:{fields['NOTE']}")
        return "\r\n".join(out + ["END:VCARD"]) + "\r\n"


class SqliteWriter(Writer):
    """SQLite database, one table per part (streamed into the database file)."""

    def start(self):
        if self.path.exists():
            self.path.unlink()
        self.db = sqlite3.connect(self.path)
        for name, headers in self.parts:
            self.db.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, " + ", ".join(f"{h} TEXT" for h in headers) + ")")

    def add(self, part, cells):
        name, headers = self.parts[part]
        self.db.execute(f"INSERT INTO {name} ({', '.join(headers)}) VALUES ({', '.join('?' * len(cells))})", cells)

    def close(self):
        self.db.commit()
        self.db.close()


WRITERS = {
    "csv": DelimitedWriter, "txt": LineWriter, "jsonl": JsonlWriter, "json": JsonArrayWriter,
    "mysql": MysqlWriter, "pgcopy": PgCopyWriter, "xlsx": XlsxWriter, "xls": XlsWriter, "ods": OdsWriter,
    "pdf": PdfWriter, "docx": DocxWriter, "html": HtmlWriter, "vcf": VcfWriter, "sqlite": SqliteWriter,
}
#: formats whose rows sit in memory: the plan caps their size
CAPPED = {"json": 3000, "xls": 5000, "ods": 400, "pdf": 120, "docx": 300, "html": 400, "vcf": 3000}
