"""Hostile evidence: nothing a file does ends a scan, bombs stop within their budget, names survive."""

from __future__ import annotations

import bz2
import io
import json
import os
import signal
import struct
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.containers import Failed, Limits, members
from leaktrace.ingest.scan import Scanner
from leaktrace.ingest.units import Document

LINE = "姓名 张三 身份证 110101199003074514 手机 13800138000\n"


def rows_of(store: CaseStore) -> dict[str, tuple]:
    with store.connect() as con:
        return {r[0]: r[1:] for r in con.execute("SELECT path, status, reason FROM manifest").fetchall()}


def fingerprint(store: CaseStore) -> tuple:
    """The case's manifest and findings, independent of row order and batch numbering."""
    with store.connect() as con:
        manifest = con.execute("SELECT path, status, sha256, findings, records FROM manifest ORDER BY ALL").fetchall()
        found = con.execute("SELECT path, type, value, locator FROM findings ORDER BY ALL").fetchall()
    return manifest, found


def doc_of(path: Path) -> Document:
    return Document(path=f"h/{path.name}", name=path.name, size=path.stat().st_size, open=lambda: open(path, "rb"))


def test_gbk_file_and_member_names_kept_displayable(evidence, tmp_path):
    folder = os.fsencode(evidence / "h")
    os.mkdir(folder)
    gbk = "客户资料".encode("gbk")
    with open(folder + b"/" + gbk + b".txt", "w") as f:
        f.write(LINE)
    with open(folder + b"/caf\xe9.txt", "w") as f:          # Latin-1, not GB18030 either
        f.write(LINE)
    with tarfile.open(evidence / "h" / "t.tar", "w", format=tarfile.GNU_FORMAT) as t:
        info = tarfile.TarInfo("x")
        info.name = os.fsdecode(gbk + b".csv")           # a GBK name as Python reads it from a tar
        data = LINE.encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector()).scan(evidence)
    rows = rows_of(store)
    assert rows["h/客户资料.txt"][0] == "done"
    assert rows["h/caf\\xe9.txt"][0] == "done"
    assert rows["h/t.tar!客户资料.csv"][0] == "done"
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM findings WHERE path = 'h/客户资料.txt'").fetchone()[0] == 2


def test_names_that_read_alike_stay_apart(evidence, tmp_path):
    folder = os.fsencode(evidence / "h")
    os.mkdir(folder)
    for raw in ("客户.txt".encode("utf-8"), "客户.txt".encode("gbk")):
        with open(folder + b"/" + raw, "w") as f:
            f.write(LINE)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store).scan(evidence)
    paths = sorted(rows_of(store))
    assert len(paths) == 2 and "h/客户.txt" in paths and paths[0] != paths[1]


def test_native_abort_fails_one_file_and_the_batch_commits(evidence, tmp_path):
    """calamine sizes a sheet from its corner cells: A1 and XFD1048576 abort it (in the worker)."""
    openpyxl = pytest.importorskip("openpyxl")
    (evidence / "h").mkdir()
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B2"], wb.active["XFD1048576"] = "name", "13800138000", "x"
    wb.save(evidence / "h" / "wide.xlsx")
    (evidence / "h" / "z.txt").write_text(LINE)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector()).scan(evidence)
    rows = rows_of(store)
    status, reason = rows["h/wide.xlsx"]
    assert status == "partial" and "reader process died (killed by SIGABRT)" in reason and "cell by cell" in reason
    assert rows["h/z.txt"][0] == "done"
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM findings WHERE path = 'h/z.txt'").fetchone()[0] == 2
        found = con.execute("SELECT type, locator FROM findings WHERE path = 'h/wide.xlsx'").fetchall()
    assert found == [("cn_mobile", "sheet1 byte 11 line 2")]   # read again from the sheet's XML


class Panic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


def test_any_exception_class_fails_the_document_only(evidence, tmp_path, monkeypatch):
    from leaktrace.ingest import formats

    real = formats._reader

    def reader(fmt):
        if fmt != "csv":
            return real(fmt)

        def explode(doc, result):
            yield from real(fmt)(doc, result)
            raise Panic("no entry found for key")
        return explode

    monkeypatch.setattr(formats, "_reader", reader)
    (evidence / "h").mkdir()
    (evidence / "h" / "a.csv").write_text("name,mobile\n张三,13800138000\n")
    (evidence / "h" / "b.txt").write_text(LINE)
    with zipfile.ZipFile(evidence / "h" / "c.zip", "w") as z:
        z.writestr("in.csv", "name,mobile\n李四,13900139000\n")
        z.writestr("in.txt", LINE)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector()).scan(evidence)
    rows = rows_of(store)
    assert rows["h/a.csv"][0] == "partial" and "Panic: no entry found for key" in rows["h/a.csv"][1]
    assert rows["h/c.zip!in.csv"][0] == "partial"
    assert rows["h/c.zip!in.txt"][0] == rows["h/b.txt"][0] == rows["h/c.zip"][0] == "done"
    with store.connect() as con:   # what was read before the failure is kept
        assert con.execute("SELECT count(*) FROM findings WHERE path = 'h/a.csv'").fetchone()[0] == 1


def _slow_evidence(root: Path, files: int = 400) -> None:
    (root / "h").mkdir()
    for i in range(files):
        (root / "h" / f"f{i:04d}.txt").write_text(LINE * 400)


def test_kill_9_mid_scan_then_resume_gives_the_same_case(evidence, tmp_path):
    _slow_evidence(evidence)
    clean = CaseStore(tmp_path / "clean", create=True)
    Scanner(clean, Detector(), batch_files=50).scan(evidence)
    case = tmp_path / "case"
    cmd = [sys.executable, "-m", "leaktrace", "scan", str(evidence), "--case", str(case), "--batch-files", "50"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    note, deadline = case / "inflight.json", time.monotonic() + 60
    while not (note.exists() and list((case / "parts").glob("*.manifest.parquet"))):
        assert time.monotonic() < deadline and proc.poll() is None, "scan ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    died = json.loads(note.read_text())
    assert died["attempt"] == 1
    subprocess.run(cmd, check=True, capture_output=True)
    assert not note.exists()
    assert fingerprint(CaseStore(case)) == fingerprint(clean)


def test_a_file_the_process_died_on_twice_is_failed_not_read(evidence, tmp_path):
    _slow_evidence(evidence, files=3)
    store = CaseStore(tmp_path / "case", create=True)
    (store.root / "inflight.json").write_text(json.dumps({"path": "h/f0001.txt", "attempt": 2}))
    Scanner(store, Detector()).scan(evidence)
    rows = rows_of(store)
    assert rows["h/f0001.txt"][0] == "failed" and "ended twice" in rows["h/f0001.txt"][1]
    assert rows["h/f0000.txt"][0] == rows["h/f0002.txt"][0] == "done"
    assert not (store.root / "inflight.json").exists()


def test_a_file_the_process_died_on_once_is_read_in_the_worker(evidence, tmp_path):
    _slow_evidence(evidence, files=3)
    clean = CaseStore(tmp_path / "clean", create=True)
    Scanner(clean, Detector()).scan(evidence)
    store = CaseStore(tmp_path / "case", create=True)
    (store.root / "inflight.json").write_text(json.dumps({"path": "h/f0001.txt", "attempt": 1}))
    scanner = Scanner(store, Detector())
    isolated = []
    real = scanner.isolated.read
    scanner.isolated.read = lambda doc, fmt: isolated.append(doc.path) or real(doc, fmt)
    scanner.scan(evidence)
    assert isolated == ["h/f0001.txt"]
    assert fingerprint(store) == fingerprint(clean)


# -- bombs ------------------------------------------------------------------

def _zeros_zip(path: Path, name: str, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(name, "w") as f:
            for _ in range(size >> 20):
                f.write(b"\0" * (1 << 20))


def test_nested_bomb_stopped_by_the_evidence_files_budget(evidence, tmp_path):
    """42.zip in small: 16 copies of a zip of 16 copies of ..., sharing one budget however deep."""
    inner = tmp_path / "l0.zip"
    _zeros_zip(inner, "zeros.bin", 8 << 20)
    for level in range(1, 4):
        outer = tmp_path / f"l{level}.zip"
        with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(16):
                z.writestr(f"{i}.zip", inner.read_bytes())
        inner = outer
    (evidence / "h").mkdir()
    os.replace(inner, evidence / "h" / "42.zip")          # 16**3 x 8 MB = 32 GB expanded
    store = CaseStore(tmp_path / "case", create=True)
    started = time.monotonic()
    Scanner(store, limits=Limits(min_total_bytes=256 << 20)).scan(evidence)
    assert time.monotonic() - started < 60
    rows = rows_of(store)
    assert rows["h/42.zip"][0] == "partial" and "budget" in rows["h/42.zip"][1]
    assert sum(1 for r in rows.values() if "expansion budget" in (r[1] or "")) >= 1
    assert len(rows) < 200


def test_overlapping_zip_entries_refused(tmp_path):
    """Fifield's bomb: many directory entries pointing at one compressed kernel."""
    path = tmp_path / "overlap.zip"
    _zeros_zip(path, "k", 1 << 20)
    raw = path.read_bytes()
    cd = raw.index(b"PK\x01\x02")
    entry = raw[cd:raw.index(b"PK\x05\x06")]
    copies = b"".join(entry[:46] + bytes([97 + i]) + entry[47:] for i in range(10))   # names a..j, one kernel
    eocd = bytearray(raw[raw.index(b"PK\x05\x06"):])
    struct.pack_into("<HHI", eocd, 8, 10, 10, len(copies))
    path.write_bytes(raw[:cd] + copies + bytes(eocd))
    got = list(members(doc_of(path), "zip"))
    assert len(got) == 1 and isinstance(got[0], Failed) and "overlapping" in got[0].reason


def test_bzip2_bomb_refused_from_the_first_megabytes(tmp_path):
    path = tmp_path / "z.bin.bz2"
    path.write_bytes(bz2.compress(b"\0" * (64 << 20)))
    started = time.monotonic()
    got = list(members(doc_of(path), "bzip2"))
    assert time.monotonic() - started < 5
    assert isinstance(got[0], Failed) and "ratio" in got[0].reason


def test_tar_long_name_header_not_read_into_memory(tmp_path):
    path = tmp_path / "t.tar"
    header = tarfile.TarInfo("././@LongLink")
    header.type, header.size = tarfile.GNUTYPE_LONGNAME, 64 << 20
    with open(path, "wb") as f:
        f.write(header.tobuf(format=tarfile.GNU_FORMAT))
        f.write(b"a" * 4096)                           # the declared 64 MB never come
    got = list(members(doc_of(path), "tar"))
    assert len(got) == 1 and isinstance(got[0], Failed) and "over 1 MB" in got[0].reason


def test_zip_declaring_too_many_members_refused_before_listing(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(50):
            z.writestr(f"{i}.txt", "x")
    got = list(members(doc_of(path), "zip", Limits(max_members=20)))
    assert len(got) == 1 and "declares 50 members" in got[0].reason


def test_truncated_zip_recovery_streams_members(tmp_path):
    path = tmp_path / "cut.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", LINE * 1000)
        z.writestr("b.txt", "tail")
    path.write_bytes(path.read_bytes()[:-30])
    got = {m.path: m.open().read() for m in members(doc_of(path), "zip") if not isinstance(m, Failed)}
    assert got["h/cut.zip!a.txt"] == (LINE * 1000).encode()


def test_surrogate_escapes_in_rtf_do_not_lose_the_document(evidence, tmp_path):
    """RTF writes characters outside the BMP as two `\\u` escapes (a surrogate pair); a lone one too."""
    (evidence / "h").mkdir()
    (evidence / "h" / "a.rtf").write_bytes(b"{\\rtf1\\ansi \\u-10179?\\u-8704? ok \\u-10179? lone "
                                           b"13800138000\\par}")
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector()).scan(evidence)
    assert rows_of(store)["h/a.rtf"] == ("done", None)
    with store.connect() as con:
        assert con.execute("SELECT type FROM findings").fetchall() == [("cn_mobile",)]


def test_zip_with_cp437_read_names_and_folders_is_no_bomb(tmp_path):
    """Names stored in GBK without the UTF-8 flag read longer once decoded: no false overlap."""
    path = tmp_path / "g.zip"
    folder, file = "审计/".encode("gbk"), "审计/客户名单.txt".encode("gbk")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x" * len(folder), b"")
        z.writestr("y" * len(file), LINE)
    raw = path.read_bytes().replace(b"x" * len(folder), folder).replace(b"y" * len(file), file)
    path.write_bytes(raw)
    got = [m for m in members(doc_of(path), "zip")]
    assert [m.path for m in got] == ["h/g.zip!审计/客户名单.txt"]


def test_how_a_document_was_read_is_on_its_row(evidence, tmp_path):
    """A CSV resynchronised after an open quote is done, and says where it was."""
    (evidence / "h").mkdir()
    body = "".join(f"张{i},1380013{8000 + i}\n" for i in range(50))
    (evidence / "h" / "a.csv").write_text('name,mobile\n"李四,13900139000\n' + body)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector()).scan(evidence)
    status, reason = rows_of(store)["h/a.csv"]
    assert status == "done" and "line 2: a quote not closed" in reason
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 51


def test_7z_bomb_refused_by_ratio(tmp_path):
    py7zr = pytest.importorskip("py7zr")
    path = tmp_path / "z.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writef(io.BytesIO(bytes(64 << 20)), "zeros.bin")
        z.writef(io.BytesIO(LINE.encode()), "ok.txt")
    got = {m.name if isinstance(m, Failed) else m.path: m for m in members(doc_of(path), "7z")}
    assert "ratio" in got["zeros.bin"].reason


def test_document_embedded_in_an_isolated_one_is_read_after_it(evidence, tmp_path):
    """A DOCX holding a PDF: both read in the worker, one after the other (the worker was asked
    for the PDF while still sending the DOCX, and both waited for ever)."""
    docx = pytest.importorskip("docx")
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "mobile 13900139000")
    word = docx.Document()
    word.add_paragraph("mobile 13800138000")
    buf = io.BytesIO()
    word.save(buf)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/embeddings/sample.pdf", bytes(pdf.output()))
    (evidence / "h").mkdir()
    (evidence / "h" / "a.docx").write_bytes(buf.getvalue())
    case = tmp_path / "case"
    subprocess.run([sys.executable, "-m", "leaktrace", "scan", str(evidence), "--case", str(case)],
                   check=True, capture_output=True, timeout=120)
    store = CaseStore(case)
    rows = rows_of(store)
    assert rows["h/a.docx"][0] == rows["h/a.docx!word/embeddings/sample.pdf"][0] == "done"
    with store.connect() as con:
        assert sorted(con.execute("SELECT path FROM findings").fetchall()) == [
            ("h/a.docx",), ("h/a.docx!word/embeddings/sample.pdf",)]


def test_a_document_left_mid_way_does_not_feed_the_next(evidence, tmp_path):
    """Reading stopped early (budget spent) kills the worker: the rest of that document's units
    are not taken for the next one's."""
    openpyxl = pytest.importorskip("openpyxl")
    (evidence / "h").mkdir()
    for name, mobiles in (("a.xlsx", ("13800138000", "13800138001")), ("b.xlsx", ("13900139000", "13900139001"))):
        wb = openpyxl.Workbook()
        wb.active.append(["mobile"])
        wb.active.append([mobiles[0]])
        second = wb.create_sheet("two")
        second.append(["mobile"])
        second.append([mobiles[1]])
        wb.save(evidence / "h" / name)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store, Detector(), limits=Limits(min_seconds=0.0, bytes_per_second=1 << 40)).scan(evidence)
    with store.connect() as con:
        found = con.execute("SELECT path, value FROM findings ORDER BY ALL").fetchall()
    assert found == [("h/a.xlsx", "13800138000"), ("h/b.xlsx", "13900139000")]
    assert all(r[0] == "partial" and "time budget" in r[1] for r in rows_of(store).values())


REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "realworld" / "evidence"


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared/eval/realworld is not beside the repository")
def test_compound_files_without_a_workbook(evidence, tmp_path):
    """Real OLE2 files named like workbooks: a StarOffice template is read for its text runs, a
    password-protected XLSX is said to be encrypted (both were 'cannot open workbook')."""
    (evidence / "h").mkdir()
    for rel in ("tika/standard-integration-tests/testVORDrawTemplate.vor", "office/calamine/password.xlsx"):
        (evidence / "h" / Path(rel).name).write_bytes((REALWORLD / rel).read_bytes())
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store).scan(evidence)
    rows = rows_of(store)
    assert rows["h/testVORDrawTemplate.vor"] == ("done", "OLE2 compound file without a workbook: its text runs read")
    assert rows["h/password.xlsx"] == ("failed", "encrypted Office document (password required)")
