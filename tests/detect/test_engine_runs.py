"""Text of many documents scanned as one run gives what each document alone gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaktrace.case.store import CaseStore
from leaktrace.detect import engine
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner

# Valid mobiles (no real person's); line 2 of each file holds a caller and a callee.
TEXT = "张三 13800138000\ncall 13800138000 -> 13900139000\n无号码行\n"


def _evidence(root: Path, files: int) -> Path:
    for i in range(files):
        f = root / "h" / f"chat{i:03d}.txt"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(("备注\n" * i) + TEXT, encoding="utf-8")
    return root


def _scan(root: Path, case: Path, **kw) -> CaseStore:
    store = CaseStore(case, create=True)
    Scanner(store, Detector(), **kw).scan(root)
    return store


def _rows(store: CaseStore, query: str) -> list[tuple]:
    with store.connect() as con:
        return con.execute(query).fetchall()


def test_run_of_documents_equals_documents_alone(tmp_path, monkeypatch):
    root = _evidence(tmp_path / "ev", 30)
    together = _scan(root, tmp_path / "together")
    monkeypatch.setattr(engine, "QUEUE_CHARS", 1)           # every block scanned alone
    alone = _scan(root, tmp_path / "alone")
    for q in ("SELECT * FROM findings ORDER BY path, byte_offset",
              "SELECT * FROM records ORDER BY path, record",
              "SELECT path, findings, records, status FROM manifest ORDER BY path"):
        assert _rows(together, q) == _rows(alone, q)
    recs = _rows(together, "SELECT path, record, row, ids, other_ids, name FROM records "
                           "WHERE path LIKE '%chat005.txt' ORDER BY record")
    assert [r[1:] for r in recs] == [
        (1, 6, "cn_mobile:13800138000", None, "张三"),
        (2, 7, "cn_mobile:13800138000", "cn_mobile:13900139000", None),
    ]
    assert _rows(together, "SELECT sum(findings), sum(records) FROM manifest") == [(90, 60)]


def test_detection_failure_stays_with_its_document(tmp_path, monkeypatch):
    root = _evidence(tmp_path / "ev", 5)
    (root / "h" / "chat002.txt").write_text("炸弹 13800138000\n", encoding="utf-8")
    real = engine.scan_text

    def failing(run):
        if any("炸弹" in b.text for b in run.blocks):
            raise RuntimeError("boom")
        return real(run)

    monkeypatch.setattr(engine, "scan_text", failing)
    store = _scan(root, tmp_path / "case")
    rows = dict((p.rsplit("/", 1)[-1], (s, r, f)) for p, s, r, f in
                _rows(store, "SELECT path, status, reason, findings FROM manifest"))
    assert rows["chat002.txt"][0] == "failed" and "detection failed: RuntimeError: boom" in rows["chat002.txt"][1]
    assert all(rows[f"chat{i:03d}.txt"] == ("done", None, 3) for i in (0, 1, 3, 4))


@pytest.mark.parametrize("batch_files", [1, 2])
def test_counts_are_filled_per_batch(tmp_path, batch_files):
    root = _evidence(tmp_path / "ev", 5)
    store = _scan(root, tmp_path / "case", batch_files=batch_files)
    assert _rows(store, "SELECT count(*), sum(findings), sum(records) FROM manifest") == [(5, 15, 10)]


def test_line_start_name_on_every_line(tmp_path):
    """A name opening a line is the record's name on any line of a text, not only its first."""
    f = tmp_path / "ev" / "h" / "notes.txt"
    f.parent.mkdir(parents=True)
    f.write_text("李四 2016-03-01 手机 13800138000\n备注\n王五，2016-03-02 电话 13900139000\n"
                 "好的 13700137000\n联系电话：13600136000\n收货人 欧阳娜娜 13500135000\n"
                 "姓名：木子，联系电话：13400134000\n", encoding="utf-8")
    store = _scan(tmp_path / "ev", tmp_path / "case")
    # a word or a label is not a name ("好的", "联系电话", "收货人"); a compound surname is, and so
    # is a name after its label whatever its surname
    assert _rows(store, "SELECT row, name FROM records ORDER BY record") == [
        (1, "李四"), (3, "王五"), (4, None), (5, None), (6, "欧阳娜娜"), (7, "木子")]


def test_unicode_spaces_and_dashes_separate_groups_as_nfkc_does(tmp_path):
    # thin, narrow no-break and figure spaces, an en dash: NFKC (or a hyphen's reading) of each
    text = ("WhatsApp: +86\u202f138\u202f0013\u202f8000\n"
            "证件 110105\u200919491231\u2009002X\n"
            "卡 6222\u20070212\u20073456\u20077001\n"
            "电话 139\u20130013\u20139000\n")
    f = tmp_path / "ev" / "h" / "chat.txt"
    f.parent.mkdir(parents=True)
    f.write_text(text, encoding="utf-8")
    store = _scan(tmp_path / "ev", tmp_path / "case")
    found = _rows(store, "SELECT type, value, byte_offset FROM findings ORDER BY byte_offset")
    data = text.encode("utf-8")
    assert [(t, v) for t, v, _ in found] == [("cn_mobile", "13800138000"), ("cn_id", "11010519491231002X"),
                                              ("bank_card", "6222021234567001"), ("cn_mobile", "13900139000")]
    # offsets are of the original bytes
    assert [data[o:o + 3] for _, _, o in found] == [b"+86", b"110", b"622", b"139"]


def test_a_document_scan_does_not_keep_the_document(tmp_path):
    # the scanner keeps every document's scan until its batch commits; the bytes must not live that long
    import gc
    import io
    import weakref

    from leaktrace.ingest.units import Document

    data = b"x" * 1000
    doc = Document(path="h/a.txt", name="a.txt", size=len(data), open=lambda: io.BytesIO(data), data=data)
    store = CaseStore(tmp_path / "case", create=True)
    scan = Detector().start(doc, "h", store.new_batch())
    gone = weakref.ref(doc)
    del doc
    gc.collect()
    assert gone() is None and scan.path == "h/a.txt"


def test_0086_and_a_mobile_unspaced_is_a_mobile(tmp_path):
    f = tmp_path / "ev" / "h" / "sms.xml"
    f.parent.mkdir(parents=True)
    f.write_text('<sms address="008613800138000" body="x"/>\n<sms address="0086-13900139000"/>\n', encoding="utf-8")
    store = _scan(tmp_path / "ev", tmp_path / "case")
    assert _rows(store, "SELECT type, value FROM findings ORDER BY byte_offset") == [
        ("cn_mobile", "13800138000"), ("cn_mobile", "13900139000")]


def test_identifiers_right_after_json_escapes_in_text(tmp_path):
    # a log line holding JSON written with ASCII escapes (json.dumps' default) and a literal \n
    line = ('{"msg":"\\u624b\\u673a17312342997\\u5df2\\u767b\\u8bb0","mail":"\\u90ae\\u7bb1hx@gmail.com"}'
            ' note:\\n13800138000\n')
    f = tmp_path / "ev" / "h" / "app.log"
    f.parent.mkdir(parents=True)
    f.write_text("2024-05-01 INFO " + line, encoding="utf-8")
    store = _scan(tmp_path / "ev", tmp_path / "case")
    found = _rows(store, "SELECT type, value, byte_offset FROM findings ORDER BY byte_offset")
    data = f.read_bytes()
    assert [(t, v) for t, v, _ in found] == [("cn_mobile", "17312342997"), ("email", "hx@gmail.com"),
                                              ("cn_mobile", "13800138000")]
    assert [data[o:o + 2] for _, _, o in found] == [b"17", b"hx", b"13"]   # offsets into the file


def test_parts_hold_plain_strings_for_their_dictionary_columns(tmp_path):
    """Paths, types and the like are built dictionary-encoded; the parts read back as strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = _evidence(tmp_path / "ev", 3)
    (root / "h" / "t.csv").write_text("姓名,手机\n张三,13800138000\n李四,13900139000\n", encoding="utf-8")
    store = _scan(root, tmp_path / "case")
    for table in ("findings", "records"):
        parts = sorted((store.root / "parts").glob(f"b*.{table}.*.parquet"))
        assert parts
        for part in parts:
            schema = pq.read_schema(part)
            assert all(not pa.types.is_dictionary(f.type) for f in schema), (part, schema)
            assert schema.field("path").type == pa.string()
    assert _rows(store, "SELECT DISTINCT path, type, col FROM findings WHERE col IS NOT NULL") == \
        [("h/t.csv", "cn_mobile", "手机")]
    assert _rows(store, "SELECT count(DISTINCT path), count(*) FILTER (WHERE kind = 'row') FROM records") == [(4, 2)]


def test_byte_offsets_after_characters_of_every_utf8_width(tmp_path):
    # one, two, three and four bytes a character, private use next to the escapes' block, and an
    # undecodable byte (escaped, one byte in the file) before each mobile
    data = "".join(f"{c} 1380013800{i}\n" for i, c in enumerate(["a", "é", "ߟ", "ࠀ", "中", "\uf6ff", "😀"])).encode()
    data += b"\xff 13900139000\n"
    f = tmp_path / "ev" / "h" / "widths.txt"
    f.parent.mkdir(parents=True)
    f.write_bytes(data)
    store = _scan(tmp_path / "ev", tmp_path / "case")
    found = _rows(store, "SELECT value, byte_offset FROM findings ORDER BY byte_offset")
    assert len(found) == 8
    assert all(data[o:o + 11].decode() == v for v, o in found)
