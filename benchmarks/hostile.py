"""Hostile evidence: time and peak memory of a scan of bombs and pathological files, one folder each.

    python hostile.py [--workdir DIR] [--mb 50]

Each hostile file is written into a holder folder of its own beside one ordinary file with two
identifiers, scanned into a fresh case by `leaktrace scan` in a child process, and reported with
the scan's wall and CPU time, the peak RSS of its largest process (the scan or its reader
worker), the hostile file's status and reason, and whether the ordinary file's identifiers were
found. `--mb` sizes the large pathological text files.
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import shutil
import sqlite3
import struct
import tarfile
import tempfile
import zipfile
from pathlib import Path

from _measure import leaktrace, run_measured

ORDINARY = "联系人 张三 身份证 110101199003074514 手机 13800138000\n"


def zeros_zip(path: Path, mb: int) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("zeros.bin", "w") as f:
            for _ in range(mb):
                f.write(bytes(1 << 20))
    return path.read_bytes()


def nested_bomb(path: Path, tmp: Path) -> None:
    """42.zip in kind: 16 zips of 16 zips of 16 zips of 16 members of 64 MB of zeros (4 TB)."""
    inner = zeros_zip(tmp / "k.zip", 64)
    for _ in range(4):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(16):
                z.writestr(f"{i}.zip", inner)
        inner = buf.getvalue()
    path.write_bytes(inner)


def overlapping_bomb(path: Path, tmp: Path) -> None:
    """Fifield's kind: 1,000 directory entries sharing one compressed kernel of 64 MB of zeros."""
    raw = zeros_zip(tmp / "o.zip", 64)
    cd, end = raw.index(b"PK\x01\x02"), raw.index(b"PK\x05\x06")
    entry = raw[cd:end]                                          # name "zeros.bin" (9 bytes) at 46
    entries = b"".join(entry[:46] + f"{i:09d}".encode() + entry[55:] for i in range(1000))
    eocd = bytearray(raw[end:])
    struct.pack_into("<HHI", eocd, 8, 1000, 1000, len(entries))
    path.write_bytes(raw[:cd] + entries + bytes(eocd))


def bzip2_bomb(path: Path, tmp: Path) -> None:
    comp = bz2.BZ2Compressor(9)
    with open(path, "wb") as f:
        for _ in range(1024):                                    # 1 GB of zeros
            f.write(comp.compress(bytes(1 << 20)))
        f.write(comp.flush())


def wide_sheet(path: Path, tmp: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B2"], wb.active["XFD1048576"] = "name", "13900139000", "x"
    wb.save(path)


def sql_without_end(path: Path, tmp: Path, mb: int) -> None:
    row = "('张三','13800138000'),"
    with open(path, "w", encoding="utf-8") as f:
        f.write("INSERT INTO t VALUES ")
        f.write(row * ((mb << 20) // len(row.encode())))


def html_open_tags(path: Path, tmp: Path, mb: int) -> None:
    path.write_text("<html><body>" + "<a" * ((mb << 20) // 2))


def csv_open_quote(path: Path, tmp: Path, mb: int) -> None:
    line = "张三,13800138000,110101199003074514\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write('name,mobile,id\n"李四,13900139000,x\n')
        f.write(line * ((mb << 20) // len(line.encode())))


def deep_json_line(path: Path, tmp: Path) -> None:
    path.write_text('{"mobile": "13800138000"}\n' + '{"a":' * 200_000 + "1" + "}" * 200_000
                    + '\n{"mobile": "13900139000"}\n')


def tar_long_name(path: Path, tmp: Path) -> None:
    header = tarfile.TarInfo("././@LongLink")
    header.type, header.size = tarfile.GNUTYPE_LONGNAME, 8 << 30
    path.write_bytes(header.tobuf(format=tarfile.GNU_FORMAT) + bytes(4096))


def sqlite_generated(path: Path, tmp: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (mobile TEXT, blob BLOB GENERATED ALWAYS AS (zeroblob(900000000)) VIRTUAL)")
    con.execute("INSERT INTO t (mobile) VALUES ('13800138000')")
    con.execute("CREATE VIEW v AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r")
    con.commit()
    con.close()


CASES = {
    "42.zip (nested, 4 TB)": ("bomb.zip", nested_bomb),
    "overlapping zip (64 GB)": ("overlap.zip", overlapping_bomb),
    "bzip2 of 1 GB zeros": ("zeros.bin.bz2", bzip2_bomb),
    "sheet A1:XFD1048576": ("wide.xlsx", wide_sheet),
    "SQL INSERT with no ';'": ("dump.sql", sql_without_end),
    "HTML '<a<a<a...'": ("page.html", html_open_tags),
    "CSV with an open quote": ("people.csv", csv_open_quote),
    "JSONL line 200k deep": ("rows.jsonl", deep_json_line),
    "tar long name of 8 GB": ("names.tar", tar_long_name),
    "SQLite generated blob": ("app.db", sqlite_generated),
}


def run_case(label: str, name: str, make, work: Path, mb: int) -> dict:
    root = work / "evidence"
    shutil.rmtree(work, ignore_errors=True)
    (root / "h").mkdir(parents=True)
    (root / "h" / "ordinary.txt").write_text(ORDINARY)
    target = root / "h" / name
    args = (target, work) if make.__code__.co_argcount == 2 else (target, work, mb)
    make(*args)
    case = work / "case"
    m = run_measured(leaktrace("scan", str(root), "--case", str(case)))
    status = _status(case, f"h/{name}")
    found = _found(case, "h/ordinary.txt")
    return {"case": label, "size_mb": round(target.stat().st_size / 1e6, 2), "wall_s": round(m.wall_s, 1),
            "cpu_s": round(m.cpu_s, 1), "peak_rss_mb": round(m.peak_rss_mb), "status": status[0],
            "reason": (status[1] or "")[:140], "ordinary_found": found}


def _status(case: Path, path: str) -> tuple[str, str]:
    import duckdb

    con = duckdb.connect()
    row = con.execute("SELECT status, reason FROM read_parquet(?) WHERE path = ?",
                      [str(case / "parts" / "*.manifest.parquet"), path]).fetchone()
    return row or ("(no row)", "")


def _found(case: Path, path: str) -> int:
    import duckdb

    con = duckdb.connect()
    return con.execute("SELECT count(*) FROM read_parquet(?) WHERE path = ?",
                       [str(case / "parts" / "*.findings.*.parquet"), path]).fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    base = args.workdir or Path(tempfile.mkdtemp(prefix="lt-bench-hostile-"))
    results = []
    for label, (name, make) in CASES.items():
        r = run_case(label, name, make, base / name.replace(".", "_"), args.mb)
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    print("\n| input | size MB | wall s | CPU s | peak RSS MB | status | ordinary file's 2 identifiers |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for r in results:
        print(f"| {r['case']} | {r['size_mb']} | {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mb']} | "
              f"{r['status']} | {r['ordinary_found']} |")


if __name__ == "__main__":
    main()
