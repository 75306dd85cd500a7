"""The case report as one self-contained HTML file (inline CSS and SVG, no script, no external asset)."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from ..case.store import CaseStore, private_file
from ..mask import redact
from ..profiles import Profile
from ..records import count as counting
from . import charts
from .data import ReportData, collect
from .labels import other, text

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
 margin:2em auto;max-width:1200px;padding:0 1em;color:#222;font-size:14px;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #4e79a7;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.5em}.alt{color:#777;font-weight:normal;font-size:.85em;margin-left:.5em}
th .alt{display:block;margin-left:0}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f3f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.hash,td.path{font-family:monospace;font-size:.88em;word-break:break-all}
tr.met-serious td,td.met-serious{background:#fff3c4}tr.met-especially_serious td,td.met-especially_serious{background:#f8c9c9;font-weight:bold}
.flow{font-size:1.05em;margin:.5em 0}.flow b{font-size:1.15em}.meta td:first-child{font-weight:bold}
nav ol{columns:2}.note{color:#555;font-size:.9em}
@media print{body{margin:0;max-width:none}h2{break-before:page}table{break-inside:auto}tr{break-inside:avoid}}
"""


class _Page:
    """HTML building helpers bound to the report's primary language."""

    def __init__(self, d: ReportData, lang: str):
        self.d, self.lang, self.alt = d, lang, other(lang)

    def t(self, key: str) -> str:
        return escape(text(key, self.lang))

    def L(self, key: str) -> str:
        """A label in the primary language with the other language beside it."""
        return f'{self.t(key)}<span class="alt">{escape(text(key, self.alt))}</span>'

    def cat(self, cat: str) -> str:
        spec = self.d.profile.categories.get(cat, {})
        return (f'{escape(spec.get(self.lang, cat))}<span class="alt">{escape(spec.get(self.alt, cat))}</span>')

    def level(self, level: str | None) -> str:
        return self.L(level) if level else self.L("level_none")


def _e(value) -> str:
    """Escaped case text with any identifier in it masked."""
    return escape(redact("" if value is None else str(value)))


def _n(v) -> str:
    return f'<td class="n">{v:,}</td>' if isinstance(v, (int, float)) else f'<td class="n">{_e(v)}</td>'


def _table(headers: list[str], rows: list[str], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _section(p: _Page, sid: str, body: str) -> str:
    return f'<section id="{sid}"><h2>{p.L(sid)}</h2>{body}</section>'


def _summary(p: _Page) -> str:
    s, d = p.d.summary, p.d
    rows = [("holders", f"{s['holders']:,}"), ("files", f"{s['files']:,}"), ("members", f"{s['members']:,}"),
            ("bytes", f"{s['bytes']:,} ({s['bytes'] / 1e6:.1f} MB)"), ("findings", f"{s['findings']:,}"),
            ("records", f"{s['records']:,}"), ("counted_records", f"{s['counted']:,}"),
            ("persons", f"{s['persons']:,}"),
            ("references", f"{s['references']:,} ({s['reference_files']:,} {p.t('files')})"),
            ("canaries", f"{s['canaries']:,}"),
            ("profile", f"{escape(d.profile.id)} ({escape(str(d.profile.data.get('version', '')))})"),
            ("insider", _e(", ".join(d.insiders)) or p.t("none"))]
    return _table([p.L("summary"), ""], [f'<tr><td>{p.L(k)}</td><td data-key="{k}">{v}</td></tr>' for k, v in rows],
                  "meta")


def _counts(p: _Page) -> str:
    d, prof = p.d, p.d.profile
    levels = bool(prof.data.get("levels"))
    holders = list(d.counts.holders)
    out = [_overview(p, holders, levels)]
    for h in holders:
        c = d.counts.holders[h]
        a = c.get("assessment", {})
        met = {i["category"]: i["level"] for i in a.get("met", [])}
        factor = a.get("threshold_factor", 1)
        rows = []
        for cat, spec in prof.categories.items():
            n = c["records"].get(cat, 0)
            cls = f' class="met-{met[cat]}"' if cat in met else ""
            limits = (f"{_n(spec.get('tier', ''))}<td class=\"n\">{spec['threshold'] * factor:,g}</td>"
                      if levels else "")
            rows.append(f"<tr{cls}><td>{p.cat(cat)}</td>{limits}{_n(n)}"
                        f"<td>{p.level(met.get(cat)) if cat in met else ''}</td></tr>")
        counted = sum(c["records"].values())
        valid = c.get("seized_rows", 0) - c.get("invalid", 0)
        flow = (f'<p class="flow">{p.L("seized_rows")} <b>{c.get("seized_rows", 0):,}</b> → − {p.L("invalid")} '
                f'<b>{c.get("invalid", 0):,}</b> = <b>{valid:,}</b> → − {p.L("duplicate_rows")} '
                f'<b>{c.get("duplicate_rows", 0):,}</b> ({p.L("exact_duplicate_rows")} '
                f'<b>{c.get("exact_duplicate_rows", 0):,}</b>) → {p.L("counted_records")} <b>{counted:,}</b>; '
                f'{p.L("persons")} <b>{c.get("persons", 0):,}</b></p>')
        verdict = ""
        if levels:
            lv = p.level(a.get("level"))
            if a.get("level") and not met:
                lv += p.t("mixed_basis")
            ins = f" — {p.L('insider')}" if a.get("insider") else ""
            verdict = (f'<p>{p.L("level")}: <b>{lv}</b>; {p.L("proportional_sum")}: '
                       f'{a.get("proportional_sum", 0):g}{ins}</p>')
        heads = [p.L("category")] + ([p.L("tier"), p.L("threshold")] if levels else []) + [p.L("records"), p.L("level")]
        out.append(f'<h3 id="holder-{_e(h)}">{p.L("holder")}: {_e(h)}</h3>' + _table(heads, rows) + flow + verdict)
    return "".join(out)


def _overview(p: _Page, holders: list[str], levels: bool) -> str:
    d = p.d
    rows = []
    for cat in d.profile.categories:
        cells = []
        for h in holders:
            met = {i["category"]: i["level"] for i in d.counts.holders[h].get("assessment", {}).get("met", [])}
            style = f' class="n met-{met[cat]}"' if cat in met else ' class="n"'
            cells.append(f'<td{style} data-holder="{_e(h)}" data-key="{cat}">'
                         f"{d.counts.holders[h]['records'].get(cat, 0):,}</td>")
        rows.append(f"<tr><td>{p.cat(cat)}</td>{''.join(cells)}</tr>")
    for key in ("persons", "seized_rows", "invalid", "duplicate_rows", "exact_duplicate_rows"):
        rows.append(f"<tr><td>{p.L(key)}</td>" + "".join(
            f'<td class="n" data-holder="{_e(h)}" data-key="{key}">{d.counts.holders[h].get(key, 0):,}</td>'
            for h in holders) + "</tr>")
    if levels:
        rows.append(f"<tr><td>{p.L('level')}</td>" + "".join(
            f"<td>{p.level(d.counts.holders[h].get('assessment', {}).get('level'))}</td>" for h in holders) + "</tr>")
    return _table([p.L("category")] + [_e(h) for h in holders], rows, "overview")


def _charts(p: _Page) -> str:
    d = p.d
    holders = [redact(h) for h in d.counts.holders]    # chart labels are escaped by charts, masked here
    cats = list(d.profile.categories)
    names = [d.profile.categories[c].get(p.lang, c) for c in cats]
    stacked = charts.stacked_bars(holders, names, [[counts["records"].get(c, 0) for c in cats]
                                                   for counts in d.counts.holders.values()],
                                  text("chart_categories", p.lang))
    src = charts.bars([redact(s) if s else text("source_unknown", p.lang) for s, _, _ in d.by_source],
                      [n for _, n, _ in d.by_source], text("chart_sources", p.lang))
    heat = charts.heatmap(holders, d.overlap, text("chart_overlap", p.lang))
    src_rows = [f"<tr><td>{_e(s) if s else p.L('source_unknown')}</td>{_n(n)}{_n(persons)}</tr>"
                for s, n, persons in d.by_source]
    return (f"<h3>{p.L('chart_categories')}</h3>{stacked}<h3>{p.L('chart_sources')}</h3>{src}"
            + _table([p.L("source"), p.L("rows"), p.L("persons")], src_rows)
            + f"<h3>{p.L('chart_overlap')}</h3>{heat}")


def _attribution(p: _Page) -> str:
    a = p.d.attribution or {}
    files = a.get("files", [])
    if not files:
        body = f"<p>{p.L('no_attribution')}</p>"
    else:
        rows = []
        for f in files:
            cands = []
            for c in f["candidates"][:3]:
                s = f"{c['source']} {c['score']:.2f} ({c.get('share', 0):.0%}, {c.get('containment', 0):.0%}"
                s += f", {c['canaries']})" if c.get("canaries") else ")"
                cands.append(_e(s))
            rows.append(f'<tr><td>{_e(f.get("holder"))}</td><td class="path">{_e(f["path"])}</td>'
                        f'{_n(f.get("keyed", 0))}<td>{"<br>".join(cands) or "-"}</td>'
                        f'<td>{_e(f.get("explanation", ""))}</td></tr>')
        body = _table([p.L("holder"), p.L("document"), p.L("keyed"), p.L("candidates"), p.L("explanation")], rows)
    links = a.get("lineage") or []
    body += f"<h3>{p.L('lineage')}</h3>"
    if links:
        rows = [f'<tr><td class="path">{_e(lk["from_holder"])}: {_e(lk["from"])}</td>'
                f'<td class="path">{_e(lk["to_holder"])}: {_e(lk["to"])}</td><td>{_e(lk["kind"])}</td>'
                f'<td class="n">{lk["containment"]:.0%}</td><td>{_e(lk["direction"])}</td></tr>' for lk in links]
        body += _table([p.L("from"), p.L("to"), p.L("link"), p.L("containment"), p.L("direction")], rows)
    else:
        body += f"<p>{p.L('no_lineage')}</p>"
    return body


def _samples(p: _Page) -> str:
    out = [f'<p class="note">{p.L("masking_text")}</p>']
    for h, items in p.d.samples.items():
        if not items:
            continue
        rows = [f'<tr><td>{p.cat(s["category"])}</td><td>{_e(s["source"]) or p.L("source_unknown")}</td>'
                f'<td class="path">{_e(s["path"])}</td><td>{_e(s["locator"])}</td><td>{_e(s["name"])}</td>'
                f'<td>{_e(s["ids"])}</td></tr>' for s in items]
        out.append(f"<h3>{_e(h)}</h3>" + _table(
            [p.L("category"), p.L("source"), p.L("document"), p.L("locator"), p.L("name"), p.L("identifiers")], rows))
    return "".join(out)


def _manifest(p: _Page) -> str:
    d = p.d
    if d.problems:
        rows = [f'<tr><td>{p.L(i["status"])}</td><td class="path">{_e(i["path"])}</td><td>{_e(i["reason"])}</td>'
                f"</tr>" for i in d.problems]
        probs = _table([p.L("status"), p.L("path"), p.L("reason")], rows)
    else:
        probs = f"<p>{p.L('no_problems')}</p>"
    rows = [f'<tr><td>{_e(m["holder"])}</td><td class="path">{_e(m["path"])}</td>{_n(m["size"] or 0)}'
            f'<td>{_e(m["format"])}</td><td>{p.L(m["status"]) if m["status"] else ""}</td>'
            f'{_n(m["findings"] or 0)}{_n(m["records"] or 0)}<td class="hash">{_e(m["sha256"])}</td></tr>'
            for m in d.manifest]
    return (f"<h3>{p.L('problems')}</h3>{probs}<h3>{p.L('manifest')}</h3>"
            + _table([p.L("holder"), p.L("path"), p.L("size"), p.L("format"), p.L("status"), p.L("findings"),
                      p.L("records"), p.L("sha256")], rows))


def _methodology(p: _Page) -> str:
    d, prof = p.d, p.d.profile
    id_rows = [f'<tr><td>{_e(t["type"])}</td>{_n(t["findings"])}{_n(t["distinct"])}<td>{escape(t["rule"])}</td></tr>'
               for t in d.identifier_types]
    fmt = {"min_unknown": counting.MIN_UNKNOWN_DATASET, "density": counting.DENSITY, "share": counting.LEAKED_SHARE}
    levels = prof.data.get("levels") or []
    parts = [f"<h3>{p.L('identifier_rules')}</h3>",
             _table([p.L("type"), p.L("findings"), p.L("distinct"), p.L("rule")], id_rows),
             f"<h3>{p.L('dedup')}</h3><p>{p.t('dedup_text')}</p><p class=\"alt\">{escape(text('dedup_text', p.alt))}</p>",
             f"<h3>{p.L('counting_policy')}</h3><p>{escape(text('counting_text', p.lang).format(**fmt))}</p>"
             f"<p class=\"alt\">{escape(text('counting_text', p.alt).format(**fmt))}</p>"]
    if levels:
        af = {"factor": levels[-1]["factor"], "insider": prof.data.get("insider_factor", 1)}
        parts.append(f"<p>{escape(text('assessment_text', p.lang).format(**af))}</p>"
                     f"<p class=\"alt\">{escape(text('assessment_text', p.alt).format(**af))}</p>")
    meta = [("profile", f"{escape(prof.id)} — {escape(str(prof.data.get('title', '')))}"),
            ("profile_version", escape(str(prof.data.get("version", "")))),
            ("software", f"leaktrace {escape(d.version)}"),
            ("evidence_roots", "<br>".join(_e(r) for r in d.roots) or p.t("none")),
            ("case", _e(d.case)), ("generated", escape(d.generated)),
            ("masking", p.t("masking_text"))]
    parts.append(_table(["", ""], [f"<tr><td>{p.L(k)}</td><td>{v}</td></tr>" for k, v in meta], "meta"))
    return "".join(parts)


SECTIONS = (("summary", _summary), ("counts", _counts), ("charts", _charts), ("attribution", _attribution),
            ("samples", _samples), ("manifest", _manifest), ("methodology", _methodology))


def render(d: ReportData, lang: str = "zh") -> str:
    """The whole report as an HTML string, labels in `lang` first and the other language beside them."""
    p = _Page(d, lang)
    toc = "".join(f'<li><a href="#{sid}">{p.L(sid)}</a></li>' for sid, _ in SECTIONS)
    body = "".join(_section(p, sid, fn(p)) for sid, fn in SECTIONS)
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{p.t('title')} — {_e(Path(d.case).name)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{p.L('title')}</h1><p>{p.L('case')}: {_e(d.case)} · {p.L('generated')}: "
            f"{escape(d.generated)} · {escape(d.profile.id)} · leaktrace {escape(d.version)}</p></header>"
            f"<nav><h2>{p.L('toc')}</h2><ol>{toc}</ol></nav>{body}</body></html>")


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write `content` to `path` (0600) through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with private_file(tmp, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_report(store: CaseStore, out: Path, profile: Profile, lang: str = "zh", insiders: list[str] | tuple = (),
                 fmt: str = "html", attribution: dict | None = None) -> Path:
    """Count, gather and write the report of `store` to `out` as HTML or (through Chromium) PDF."""
    _check(lang, fmt)
    return save(collect(store, profile, insiders, attribution), out, lang, fmt)


def save(data: ReportData, out: Path, lang: str = "zh", fmt: str = "html") -> Path:
    """Render gathered report data to `out` (HTML written atomically, or PDF through Chromium)."""
    _check(lang, fmt)
    html = render(data, lang)
    if fmt == "html":
        return write_atomic(out, html)
    from .pdf import html_to_pdf

    return html_to_pdf(html, out)


def _check(lang: str, fmt: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError("--lang must be zh or en")
    if fmt not in ("html", "pdf"):
        raise ValueError("--format must be html or pdf")
