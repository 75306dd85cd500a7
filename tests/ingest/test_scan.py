"""The scan end to end: manifest rows, statuses with reasons, resume after kill -9, verify."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from leaktrace.case.store import CaseStore
from leaktrace.ingest.scan import Scanner

CSV = "姓名,身份证号,手机\n张三,11010519491231002X,13800138000\n".encode()


def build_tree(root: Path) -> None:
    (root / "li" / "usb").mkdir(parents=True)
    (root / "li" / "usb" / "a.csv").write_bytes(CSV)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("c.csv", CSV)
    with zipfile.ZipFile(root / "li" / "usb" / "a.zip", "w") as z:
        z.writestr("data/b.txt", "联系 13800138000\n")
        z.writestr("inner.zip", inner.getvalue())
        z.writestr("../../escape.txt", "x")
    (root / "li" / "empty.txt").write_bytes(b"")
    (root / "wang" / "laptop").mkdir(parents=True)
    (root / "wang" / "laptop" / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (root / "wang" / "laptop" / "loop").symlink_to(root / "wang")
    (root / "wang" / "laptop" / "truncated.zip").write_bytes((root / "li" / "usb" / "a.zip").read_bytes()[:-40])


def manifest(store: CaseStore) -> list[tuple]:
    with store.connect() as con:
        return con.execute("""SELECT path, holder, parent, depth, size, sha256, format, encoding, status, reason,
                              tables, rows, findings, records FROM manifest ORDER BY path""").fetchall()


def test_manifest_rows_and_statuses(evidence, tmp_path):
    build_tree(evidence)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store).scan(evidence)
    rows = {r[0]: r for r in manifest(store)}
    assert rows["li/usb/a.zip!data/b.txt"][8] == "done"
    assert rows["li/usb/a.zip!inner.zip!c.csv"][3] == 2
    assert rows["li/usb/a.zip!inner.zip!c.csv"][2] == "li/usb/a.zip!inner.zip"
    assert rows["li/usb/a.zip!../../escape.txt"][8] == "done"
    assert rows["li/empty.txt"][8] == "skipped" and "empty" in rows["li/empty.txt"][9]
    assert rows["wang/laptop/blob.bin"][8] == "skipped" and "binary" in rows["wang/laptop/blob.bin"][9]
    assert rows["wang/laptop/loop"][8] == "skipped" and "link" in rows["wang/laptop/loop"][9]
    assert rows["wang/laptop/truncated.zip"][8] == "partial"   # members recovered, the directory lost
    assert rows["wang/laptop/truncated.zip!data/b.txt"][8] == "done"  # readable members still processed
    import hashlib
    assert rows["li/usb/a.csv"][5] == hashlib.sha256(CSV).hexdigest()
    assert not (tmp_path / "escape.txt").exists() and not (evidence / "escape.txt").exists()


def test_files_read_once_scan_as_streamed(evidence, tmp_path, monkeypatch):
    """Small files are read once into memory; the case is the one streaming every file gives."""
    from leaktrace.detect.engine import Detector
    from leaktrace.ingest import scan

    build_tree(evidence)
    (evidence / "li" / "big.csv").write_bytes(CSV + "李四,33030419851006304X,15572422383\n".encode() * 2000)
    cases = []
    for whole in (scan.WHOLE_BYTES, 0):
        monkeypatch.setattr(scan, "WHOLE_BYTES", whole)
        store = CaseStore(tmp_path / f"case{whole}", create=True)
        Scanner(store, Detector()).scan(evidence)
        with store.connect() as con:
            cases.append([con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                          for t in ("findings", "records", "manifest")])
    assert cases[0] == cases[1] and len(cases[0][1]) > 2000


def test_a_small_file_is_read_to_its_end_whatever_its_listed_size(tmp_path):
    from leaktrace.ingest.scan import _file_document
    from leaktrace.ingest.walk import EvidenceFile

    f = tmp_path / "grew.txt"
    body = b"13800138000\n" * 300_000          # 3.6 MB: more than one read past the listed size
    f.write_bytes(body)
    for listed in (0, 12, len(body), len(body) + 5):
        doc = _file_document(EvidenceFile("h", "h/grew.txt", str(f), listed, 0.0))
        assert doc.data == body
    (tmp_path / "empty").write_bytes(b"")
    assert _file_document(EvidenceFile("h", "h/empty", str(tmp_path / "empty"), 0, 0.0)).data == b""


def test_rescan_adds_nothing_twice(evidence, tmp_path):
    build_tree(evidence)
    store = CaseStore(tmp_path / "case", create=True)
    Scanner(store).scan(evidence)
    first = manifest(store)
    stats = Scanner(store).scan(evidence)
    assert stats.files == 0 and manifest(store) == first
    (evidence / "zhao").mkdir()
    (evidence / "zhao" / "n.txt").write_text("13900139000\n")
    Scanner(store).scan(evidence)
    assert len(manifest(store)) == len(first) + 1


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "leaktrace", *args]


def test_kill_and_resume_gives_the_uninterrupted_manifest(evidence, tmp_path):
    for h in range(4):
        d = evidence / f"h{h}"
        d.mkdir()
        for i in range(150):
            (d / f"f{i:03d}.csv").write_bytes(CSV + f"李四,11010519491231002X,1390013{h}{i:03d}\n".encode())
    ref = tmp_path / "ref"
    subprocess.run(_cli("scan", str(evidence), "--case", str(ref)), check=True, capture_output=True)
    case = tmp_path / "case"
    for attempt in range(3):  # kill -9 mid-way, a few times, then finish
        proc = subprocess.Popen(_cli("scan", str(evidence), "--case", str(case), "--batch-files", "7"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        start = len(list((case / "parts").glob("*.manifest.parquet"))) if (case / "parts").exists() else 0
        while time.monotonic() < deadline and proc.poll() is None:
            parts = list((case / "parts").glob("*.manifest.parquet")) if (case / "parts").exists() else []
            if len(parts) >= start + 3:
                break
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    subprocess.run(_cli("scan", str(evidence), "--case", str(case)), check=True, capture_output=True)
    got, want = manifest(CaseStore(case)), manifest(CaseStore(ref))
    assert got == want
    with CaseStore(case).connect() as a, CaseStore(ref).connect() as b:
        q = "SELECT path, type, value, locator FROM findings ORDER BY ALL"
        assert a.execute(q).fetchall() == b.execute(q).fetchall()


def test_verify_lists_changed_missing_new(evidence, tmp_path):
    build_tree(evidence)
    case = tmp_path / "case"
    subprocess.run(_cli("scan", str(evidence), "--case", str(case)), check=True, capture_output=True)
    ok = subprocess.run(_cli("verify", "--case", str(case), str(evidence)), capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    (evidence / "li" / "usb" / "a.csv").write_bytes(CSV + b"x")
    (evidence / "li" / "empty.txt").unlink()
    (evidence / "li" / "new.txt").write_text("n")
    bad = subprocess.run(_cli("verify", "--case", str(case), str(evidence)), capture_output=True, text=True)
    assert bad.returncode == 1
    assert "changed\tli/usb/a.csv" in bad.stdout
    assert "missing\tli/empty.txt" in bad.stdout
    assert "new\tli/new.txt" in bad.stdout


def test_listing_counts_and_replays_the_walk(evidence, tmp_path):
    from leaktrace.ingest.walk import Listing, walk

    build_tree(evidence)
    (evidence / "root-file.txt").write_bytes(b"loose")                 # a file beside the holders
    (evidence / "li" / "link.csv").symlink_to(evidence / "li" / "usb" / "a.csv")
    (evidence / "li" / "nothing").mkdir()
    for root, holder in ((evidence, None), (evidence / "li", "li"), (evidence / "li" / "usb" / "a.csv", "li")):
        files = list(walk(root, holder))
        with Listing(root, holder, spool=tmp_path) as listing:
            assert (listing.files, listing.bytes) == (len(files), sum(f.size for f in files))
            assert list(listing) == files and list(listing) == files          # replayed, as often as asked
    assert len(list(walk(evidence))) == 8  # links are listed (not followed), folders are not
    assert list(tmp_path.iterdir()) == [evidence]                             # the spool leaves no file


def test_sqlite_rows_only_in_the_write_ahead_log_are_read(evidence, tmp_path):
    import shutil
    import sqlite3

    live = tmp_path / "live.db"
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE contacts (name TEXT, mobile TEXT)")
    con.execute("INSERT INTO contacts VALUES ('张三', '13800138000'), ('李四', '15572422383')")
    con.commit()
    phone = evidence / "qian" / "phone"
    phone.mkdir(parents=True)
    shutil.copyfile(live, phone / "contacts2.db")              # as seized: the rows are only in the log
    shutil.copyfile(f"{live}-wal", phone / "contacts2.db-wal")
    con.close()
    before = {p.name: p.read_bytes() for p in phone.iterdir()}
    store = CaseStore(tmp_path / "case", create=True)
    from leaktrace.detect.engine import Detector
    Scanner(store, Detector()).scan(evidence)
    with store.connect() as con:
        found = con.execute("SELECT value FROM findings ORDER BY value").fetchall()
        rows = dict(con.execute("SELECT path, status || ': ' || coalesce(reason, '') FROM manifest").fetchall())
    assert found == [("13800138000",), ("15572422383",)]
    assert rows["qian/phone/contacts2.db-wal"].startswith("skipped: SQLite write-ahead log")
    assert {p.name: p.read_bytes() for p in phone.iterdir()} == before       # the evidence is untouched


def test_listing_replay_holds_no_more_than_a_chunk(tmp_path):
    import tracemalloc

    from leaktrace.ingest.walk import Listing

    root = tmp_path / "ev" / "h"
    root.mkdir(parents=True)
    for i in range(4 * Listing.CHUNK):
        (root / f"{i:05d}-{'x' * 100}.txt").write_bytes(b"1")
    held = {}
    with Listing(tmp_path / "ev", spool=tmp_path) as listing:
        tracemalloc.start()
        try:
            for i, _ in enumerate(listing):
                if i in (Listing.CHUNK + 500, 3 * Listing.CHUNK + 500):
                    held[i] = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
    early, late = held.values()
    assert late < early + 50_000          # flat: entries read before are not kept
    assert early < 600 * Listing.CHUNK    # one chunk of entries (~420 bytes each, paths ~120 characters)
