"""The case store: private whatever the umask, one writer at a time, a full disk ends a scan
clearly and resumably, and a case never lies inside the evidence (or the evidence inside it)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eval_helpers import cli
from leaktrace.case.store import CaseBusy, CaseStore

ROWS = "姓名,身份证号,手机\n张三,11010519491231002X,13800138000\n"


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    """The leaktrace command, messages unwrapped."""
    return subprocess.run([sys.executable, "-m", "leaktrace", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"}, **kw)


def _evidence(root: Path, files: int = 1, rows: int = 1, last: int | None = None) -> Path:
    """`files` CSV files of `rows` distinct synthetic persons (e-mail, mobile) each, under holder `h`;
    the last two files of `last` rows when given."""
    (root / "h").mkdir(parents=True)
    for i in range(files):
        n = last if last and i >= files - 2 else rows
        lines = ["姓名,邮箱,手机"] + [f"张三,u{i}x{j}@example.com,138{i:03d}{j:05d}" for j in range(n)]
        (root / "h" / f"f{i:03d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _tree(case: Path) -> dict[str, bytes]:
    return {str(p.relative_to(case)): p.read_bytes() for p in sorted(case.rglob("*")) if p.is_file()}


def test_case_and_exports_are_private_whatever_the_umask(tmp_path):
    ev = _evidence(tmp_path / "evidence")
    case = tmp_path / "case"
    permissive = {"preexec_fn": lambda: os.umask(0)}
    for args in (("scan", str(ev), "--case", str(case)),
                 ("refs", "add", "src", str(ev / "h" / "f000.csv"), "--case", str(case)),
                 ("attribute", "--case", str(case), "--sketch-min-keys", "1"),
                 ("canary", "make", "--source", "src", "-n", "3", "--out", str(tmp_path / "c.csv")),
                 ("count", "--case", str(case)),
                 ("export", "findings", "--case", str(case), "--out", str(tmp_path / "f.csv"), "--format", "csv"),
                 ("export", "findings", "--case", str(case), "--reveal", "--out", str(tmp_path / "f.parquet"),
                  "--format", "parquet"),
                 ("report", "--case", str(case), "--out", str(tmp_path / "r.html"))):
        assert _run(*args, **permissive).returncode == 0, args
    modes = {str(p.relative_to(case)): p.stat().st_mode & 0o777 for p in [case, *case.rglob("*")]}
    assert {m for p, m in modes.items() if (case / p).is_dir()} == {0o700}
    assert {m for p, m in modes.items() if (case / p).is_file()} == {0o600}
    assert {"case.json", "audit.log", "lock", "derived/ref_sketches.parquet", "derived/person_of.parquet"} <= set(modes)
    for out in ("f.csv", "f.parquet", "r.html", "c.csv"):
        assert (tmp_path / out).stat().st_mode & 0o777 == 0o600, out


def test_a_second_writer_is_refused_and_the_case_left_unchanged(tmp_path):
    ev = _evidence(tmp_path / "evidence")
    case = tmp_path / "case"
    cli("scan", str(ev), "--case", str(case))
    (ev / "h" / "new.csv").write_text(ROWS, encoding="utf-8")
    holder = subprocess.Popen(     # another process writing the case: holds its lock until told to stop
        [sys.executable, "-c", "import sys; from leaktrace.case.store import CaseStore\n"
         f"with CaseStore({str(case)!r}).writing('scan'):\n print('locked', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        before = _tree(case)
        for args in (("scan", str(ev), "--case", str(case)), ("count", "--case", str(case)),
                     ("refs", "add", "x", str(ev / "h" / "new.csv"), "--case", str(case))):
            run = _run(*args)
            assert run.returncode == 75, args
            assert f"is being written by leaktrace scan (pid {holder.pid}" in run.stderr
            assert _tree(case) == before
        with pytest.raises(CaseBusy):
            CaseStore(case).recover()
    finally:
        holder.communicate("")
    assert holder.returncode == 0
    run = _run("scan", str(ev), "--case", str(case))
    assert run.returncode == 0 and "scanned 1 files (1 already done)" in run.stderr


def test_a_killed_scan_leaves_the_case_unlocked(tmp_path):
    ev = _evidence(tmp_path / "evidence", files=30, rows=500)
    case = tmp_path / "case"
    scan = subprocess.Popen([sys.executable, "-m", "leaktrace", "scan", str(ev), "--case", str(case),
                             "--batch-files", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((case / "parts").glob("*.manifest.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    scan.kill()
    scan.wait()
    run = _run("scan", str(ev), "--case", str(case))
    assert run.returncode == 0, run.stderr
    rows = _run("export", "findings", "--case", str(case), "--reveal").stdout.splitlines()
    assert len(rows) == len(set(rows)) == 30 * 500 * 2


def _scan_until_full(ev: Path, case: Path, **kw) -> subprocess.CompletedProcess:
    return _run("scan", str(ev), "--case", str(case), "--batch-files", "2", **kw)


def _assert_full_then_resumed(ev: Path, case: Path, full: subprocess.CompletedProcess, clean: Path) -> None:
    """The scan that ran out of room ended with a clear message; once there is room, the same scan
    resumes and the case equals one scanned without interruption."""
    assert full.returncode == 74, full.stderr
    assert "cannot write the case" in full.stderr and "run the same command again to resume" in full.stderr
    assert "Traceback" not in full.stderr
    done = json.loads((case / "case.json").read_text())["evidence_roots"]
    assert done == [str(ev.resolve())]
    resumed = _run("scan", str(ev), "--case", str(case), "--batch-files", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert " already done" in resumed.stderr and "(0 already done)" not in resumed.stderr
    export = ("export", "findings", "--reveal", "--case")
    got = sorted(_run(*export, str(case)).stdout.splitlines())
    assert got == sorted(_run(*export, str(clean)).stdout.splitlines())
    failed = _run("status", "--case", str(case)).stdout
    assert "failed" not in failed.split("items by status:")[1].splitlines()[0]


@pytest.fixture
def big_evidence(tmp_path) -> tuple[Path, Path]:
    """Evidence whose last batch (`--batch-files 2`) writes most of the case, and a case of it scanned
    with room to spare."""
    ev = _evidence(tmp_path / "evidence", files=12, rows=300, last=20000)
    clean = tmp_path / "clean"
    cli("scan", str(ev), "--case", str(clean), "--batch-files", "2")
    return ev, clean


def test_file_size_limit_ends_the_scan_clearly_and_resumably(tmp_path, big_evidence):
    """RLIMIT_FSIZE makes writes past the limit fail with EFBIG (Python ignores SIGXFSZ): the same
    OSError path in the store's writes as a full disk, without needing a file system to fill."""
    ev, clean = big_evidence
    case = tmp_path / "case"
    limit = max(p.stat().st_size for p in (clean / "parts").iterdir()) // 2
    full = _scan_until_full(ev, case, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    _assert_full_then_resumed(ev, case, full, clean)


def test_a_full_disk_ends_the_scan_clearly_and_resumably(tmp_path, big_evidence):
    """A real ENOSPC: the case on a small tmpfs (needs root and mount; skipped otherwise)."""
    ev, clean = big_evidence
    mnt = tmp_path / "small"
    mnt.mkdir()
    size = sum(p.stat().st_size for p in clean.rglob("*") if p.is_file()) // 2
    if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        case = mnt / "case"
        full = _scan_until_full(ev, case)
        assert "disk full" in full.stderr
        subprocess.run(["mount", "-o", f"remount,size={size * 8}", str(mnt)], check=True)
        _assert_full_then_resumed(ev, case, full, clean)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("where", ["inside", "same", "around"])
def test_case_and_evidence_must_not_nest(tmp_path, where):
    ev = _evidence(tmp_path / "evidence")
    case = {"inside": ev / "h" / "case", "same": ev, "around": tmp_path}[where]
    before = sorted(p for p in ev.rglob("*"))
    run = _run("scan", str(ev), "--case", str(case))
    assert run.returncode == 2
    assert ("inside the evidence folder" if where != "around" else "is inside the case folder") in run.stderr
    assert sorted(p for p in ev.rglob("*")) == before     # nothing was created in the evidence
    assert not (case / "case.json").exists()
