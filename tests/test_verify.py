"""`verify`: whatever happened to the evidence since the scan, it is reported, never a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from eval_helpers import cli


def _verify(case: Path, ev: Path, *extra: str) -> tuple[int, set[tuple[str, ...]], str]:
    run = subprocess.run([sys.executable, "-m", "leaktrace", "verify", "--case", str(case), str(ev), *extra],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"})
    assert "Traceback" not in run.stderr
    lines = {tuple(line.split("\t")) for line in run.stdout.splitlines() if "\t" in line}
    return run.returncode, lines, run.stdout


def _scanned(tmp_path: Path) -> tuple[Path, Path]:
    ev = tmp_path / "evidence"
    for holder in ("gone", "emptied", "li", "wang"):
        (ev / holder / "sub").mkdir(parents=True)
        (ev / holder / "a.txt").write_text(f"{holder} 13800138000\n", encoding="utf-8")
        (ev / holder / "sub" / "b.txt").write_text("b\n", encoding="utf-8")
    (ev / "top.txt").write_text("top\n", encoding="utf-8")
    (ev / "top2.txt").write_text("top2\n", encoding="utf-8")
    case = tmp_path / "case"
    cli("scan", str(ev), "--case", str(case))
    return ev, case


def test_verify_reports_gone_holders_root_files_and_unreadable_files(tmp_path):
    ev, case = _scanned(tmp_path)
    assert _verify(case, ev)[0] == 0
    shutil.rmtree(ev / "gone")                                  # a deleted holder folder
    for p in (ev / "emptied" / "a.txt", ev / "emptied" / "sub" / "b.txt", ev / "emptied" / "sub"):
        p.unlink() if p.is_file() else p.rmdir()                # an emptied holder folder
    (ev / "top.txt").unlink()                                   # a deleted root-level file
    (ev / "li" / "a.txt").unlink()
    os.mkfifo(ev / "li" / "a.txt")                              # a file become a pipe
    (ev / "wang" / "a.txt").unlink()
    (ev / "wang" / "a.txt").symlink_to(ev / "nowhere")          # ... a dangling link
    shutil.rmtree(ev / "wang" / "sub")
    (ev / "wang" / "sub").write_text("now a file\n")            # a folder become a file
    (ev / "top2.txt").unlink()
    (ev / "top2.txt").mkdir()                                   # a root file become a folder
    (ev / "li" / "sub" / "b.txt").write_text("changed\n")
    code, lines, out = _verify(case, ev)
    assert code == 1
    assert lines == {
        ("missing", "gone/a.txt"), ("missing", "gone/sub/b.txt"),
        ("missing", "emptied/a.txt"), ("missing", "emptied/sub/b.txt"),
        ("missing", "top.txt"),
        ("unreadable", "li/a.txt", "special file (device, socket or pipe)"),
        ("unreadable", "wang/a.txt", "symbolic link, not followed"),
        ("missing", "wang/sub/b.txt"), ("new", "wang/sub"),
        ("unreadable", "top2.txt", "now a folder"),
        ("changed", "li/sub/b.txt"),
    }
    assert "1 changed, 6 missing, 1 new, 3 unreadable" in out


def test_verify_of_one_holder_and_masked_names(tmp_path):
    ev, case = _scanned(tmp_path)
    (ev / "li" / "13912345678.txt").write_text("new\n")
    shutil.rmtree(ev / "li" / "sub")
    code, lines, _ = _verify(case, ev / "li", "--holder", "li")
    assert code == 1
    assert lines == {("missing", "li/sub/b.txt"), ("new", "li/139****5678.txt")}
    assert ("new", "li/13912345678.txt") in _verify(case, ev / "li", "--holder", "li", "--reveal")[1]
