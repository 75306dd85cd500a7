"""PDF of the HTML report, printed by headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = ("headless Chromium is needed for --format pdf and was not found; install it "
                "(Debian/Ubuntu: `apt-get install chromium`) or set LEAKTRACE_CHROMIUM to its path, "
                "or write HTML and print it from a browser")


class ChromiumMissing(RuntimeError):
    """No Chromium executable to print the PDF with."""


def find_chromium() -> str | None:
    """The Chromium executable: `LEAKTRACE_CHROMIUM`, else the first found of `CANDIDATES`."""
    for name in (os.environ.get("LEAKTRACE_CHROMIUM"), *CANDIDATES):
        if name and (path := shutil.which(name)):
            return path
    return None


#: Chromium without sandbox, GPU or background network traffic (printing here, rendering in tests).
FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run")


def chromium_args(exe: str, profile_dir: str) -> list[str]:
    """The command line of a headless Chromium with its own throw-away profile folder."""
    return [exe, "--headless", *FLAGS, f"--user-data-dir={profile_dir}"]


def html_to_pdf(html: str, out: Path, timeout: int = 300) -> Path:
    """Print `html` to the PDF file `out` (written atomically)."""
    exe = find_chromium()
    if not exe:
        raise ChromiumMissing(INSTALL_HINT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="leaktrace-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, "utf-8")
        args = chromium_args(exe, str(Path(tmp) / "profile")) + [
            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
        run = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        if run.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            raise RuntimeError(f"chromium could not print the report (exit {run.returncode}): {run.stderr[-500:]}")
        tmp_out = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        shutil.move(str(pdf), tmp_out)
        os.chmod(tmp_out, 0o600)     # the report holds the case's findings: private, like the case
        os.replace(tmp_out, out)
    return out
