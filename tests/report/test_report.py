"""The HTML report of a generated case: numbers, masking, self-containment, rendering in Chromium."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from eval_helpers import cli
from leaktrace.case.store import CaseStore
from leaktrace.demo import run_demo
from leaktrace.profiles import load
from leaktrace.records.count import count_case
from leaktrace.report import charts, pdf
from leaktrace.mask import redact
from leaktrace.report.data import collect
from leaktrace.report.html import render

CHROMIUM = pdf.find_chromium()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo pipeline (synth -> scan -> refs -> canaries -> attribute -> count -> report) on a small case."""
    out = tmp_path_factory.mktemp("report") / "demo"
    console = Console(file=io.StringIO(), width=200)
    report = run_demo(out, console, persons=1000)
    return out, report, report.read_text("utf-8"), console.file.getvalue()


def _cell(html: str, holder: str, key: str) -> int:
    m = re.search(rf'data-holder="{holder}" data-key="{key}">([\d,]+)<', html)
    assert m, (holder, key)
    return int(m.group(1).replace(",", ""))


def test_report_numbers_match_count_and_truth(demo):
    out, report, html, printed = demo
    counts = count_case(CaseStore(out / "case"), load("cn-pi-2017"))
    truth = json.loads((out / "data" / "truth" / "counts.json").read_text("utf-8"))
    assert set(counts.holders) == set(truth["holders"])
    for h, c in counts.holders.items():
        for cat, n in c["records"].items():
            assert _cell(html, h, cat) == n
            assert abs(n - truth["holders"][h]["records"][cat]) <= max(2, 0.02 * n), (h, cat)
        for key in ("persons", "seized_rows", "invalid", "duplicate_rows"):
            assert _cell(html, h, key) == c[key]
        assert abs(c["persons"] - truth["holders"][h]["persons"]) <= max(2, 0.02 * c["persons"])
    persons = re.search(r'data-key="persons">([\d,]+)<', html).group(1)
    assert int(persons.replace(",", "")) == counts.persons
    assert abs(counts.persons - truth["persons"]) <= 0.02 * truth["persons"]
    assert "report:" in printed and str(report.resolve()) in printed.replace("\n", "")


def test_report_sections(demo):
    out, _, html, _ = demo
    for sid in ("summary", "counts", "charts", "attribution", "samples", "manifest", "methodology"):
        assert f'<section id="{sid}">' in html
    assert html.count("<svg") == 3
    for label in ("证据清单", "Evidence manifest", "情节严重", "cn-pi-2017", "2017-06-01", "leaktrace 0.1.0"):
        assert label in html
    store = CaseStore(out / "case")
    with store.connect() as con:
        shas = [s for (s,) in con.execute("SELECT sha256 FROM manifest WHERE sha256 IS NOT NULL").fetchall()]
        problems = con.execute("SELECT reason FROM manifest WHERE status <> 'done'").fetchall()
    assert shas and all(s in html for s in shas)
    assert problems and all(r in html for (r,) in problems if r)
    assert "proven" in html  # canary hits in the attribution explanations


def test_no_unmasked_identifier(demo):
    out, _, html, _ = demo
    with CaseStore(out / "case").connect() as con:
        values = con.execute("SELECT DISTINCT type, value FROM findings WHERE type <> 'masked'").fetchall()
    assert len(values) > 1000
    leaked = [(t, v) for t, v in values if v in html]
    assert not leaked, leaked[:5]
    assert re.search(r"\d{6}\*{8}[\dX]{4}", html)  # masked resident IDs are there instead


def test_self_contained(demo):
    _, _, html, _ = demo
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and not re.search(r"url\(", html)


def test_redact_masks_identifiers_in_paths():
    assert redact("li/13800138000.csv") == "li/138****8000.csv"
    assert redact("li/客户_20160301.csv") == "li/客户_20160301.csv"


def test_charts_are_valid_svg():
    for svg in (charts.stacked_bars(["a", "b"], ["x", "y"], [[1, 2], [0, 3]], "t"),
                charts.bars(["a", "b"], [5, 0], "t"), charts.heatmap(["a", "b"], [[3, 1], [1, 2]], "t<&>")):
        ET.fromstring(svg)


def test_cli_english_report_written_atomically(demo, tmp_path):
    out, _, _, _ = demo
    target = tmp_path / "en.html"
    cli("report", "--case", str(out / "case"), "--out", str(target), "--lang", "en", "--insider", "li")
    html = target.read_text("utf-8")
    assert html.index("Evidence manifest") < html.index("证据清单")
    assert "Insider (halved thresholds)" in html and [p.name for p in tmp_path.iterdir()] == ["en.html"]


def test_pdf_without_chromium_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "CANDIDATES", ())
    monkeypatch.delenv("LEAKTRACE_CHROMIUM", raising=False)
    with pytest.raises(pdf.ChromiumMissing, match="apt-get install chromium"):
        pdf.html_to_pdf("<p>x</p>", tmp_path / "x.pdf")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make test installs it)")
def test_pdf(demo, tmp_path):
    out, _, _, _ = demo
    target = tmp_path / "r.pdf"
    cli("report", "--case", str(out / "case"), "--out", str(target), "--format", "pdf")
    assert target.read_bytes()[:5] == b"%PDF-" and target.stat().st_size > 10_000


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make test installs it)")
def test_renders_in_headless_chromium(demo, tmp_path):
    """Loaded by Chromium through Playwright: no request leaves the file, the charts have a size."""
    sync_api = pytest.importorskip("playwright.sync_api")
    _, report, _, _ = demo
    requests = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(pdf.FLAGS))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        boxes = [page.locator("svg").nth(i).bounding_box() for i in range(page.locator("svg").count())]
        tables = page.locator("table").count()
        shot = page.screenshot(full_page=True, path=str(tmp_path / "report.png"))
        height = page.evaluate("document.body.scrollHeight")
        browser.close()
    assert [u for u in requests if not u.startswith("file://")] == []
    assert len(boxes) == 3 and all(b and b["width"] > 200 and b["height"] > 50 for b in boxes)
    assert tables > 10 and height > 3000
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 50_000


def test_attribution_and_lineage_tables(demo):
    """Lineage links are tabled, and identifiers in document paths are masked."""
    out, _, _, _ = demo
    fake = {"files": [{"path": "li/13800138000.csv", "holder": "li", "keyed": 3, "explanation": "bank: proven",
                       "candidates": [{"source": "bank", "score": 0.9, "share": 1.0, "containment": 1.0,
                                       "canaries": 1}]}],
            "lineage": [{"from": "li/a.csv", "to": "wang/b.csv", "from_holder": "li", "to_holder": "wang",
                         "kind": "subset", "containment": 0.95, "direction": "subset derived from superset"}]}
    html = render(collect(CaseStore(out / "case"), load("cn-pi-2017"), ("li",), fake), "en")
    assert "li/138****8000.csv" in html and "13800138000" not in html
    assert "bank 0.90 (100%, 100%, 1)" in html
    assert "wang/b.csv" in html and "subset derived from superset" in html and "95%" in html
