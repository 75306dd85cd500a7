"""Small inline SVG charts for the HTML report: stacked bars, bars and a heatmap (no JavaScript)."""

from __future__ import annotations

from html import escape

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
FONT = 'font-family="sans-serif" font-size="12"'
LABEL_W = 150
ROW_H = 24


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, s: str, anchor: str = "start", fill: str = "#222") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" {FONT} text-anchor="{anchor}" fill="{fill}">{escape(s)}</text>'


def stacked_bars(rows: list[str], series: list[str], values: list[list[int]], title: str,
                 width: int = 760) -> str:
    """One horizontal bar per row, split into `series` segments (`values[row][series]`), with a legend."""
    total = max((sum(v) for v in values), default=0) or 1
    plot_w = width - LABEL_W - 70
    body = []
    for i, (name, vals) in enumerate(zip(rows, values)):
        y = 10 + i * ROW_H
        body.append(_text(LABEL_W - 6, y + 15, name, "end"))
        x = float(LABEL_W)
        for j, v in enumerate(vals):
            if v:
                w = v / total * plot_w
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_H - 6}" '
                            f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(f"{name} {series[j]}: {v}")}'
                            f'</title></rect>')
                x += w
        body.append(_text(x + 4, y + 15, f"{sum(vals):,}"))
    y = 20 + len(rows) * ROW_H
    x = 10.0
    for j, s in enumerate(series):  # legend, wrapped
        w = 24 + 7.5 * len(s) + sum(6 for ch in s if ord(ch) > 0x2e80)
        if x + w > width:
            x, y = 10.0, y + 20
        body.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        body.append(_text(x + 16, y + 11, s))
        x += w
    return _svg(width, y + 24, body, title)


def bars(labels: list[str], values: list[int], title: str, width: int = 760) -> str:
    """Horizontal bars, one per label, with the value at the end."""
    top = max(values, default=0) or 1
    plot_w = width - LABEL_W - 70
    body = []
    for i, (name, v) in enumerate(zip(labels, values)):
        y = 10 + i * ROW_H
        w = v / top * plot_w
        body.append(_text(LABEL_W - 6, y + 15, name, "end"))
        body.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW_H - 6}" fill="{PALETTE[0]}"/>')
        body.append(_text(LABEL_W + w + 4, y + 15, f"{v:,}"))
    return _svg(width, 20 + len(labels) * ROW_H, body, title)


def heatmap(labels: list[str], matrix: list[list[int]], title: str, cell: int = 56) -> str:
    """A square matrix (`matrix[i][j]` for labels i, j) as shaded cells with their numbers."""
    n = len(labels)
    left, top_m = LABEL_W, 30
    off_diag = [matrix[i][j] for i in range(n) for j in range(n) if i != j]
    top = max(off_diag, default=0) or max((matrix[i][i] for i in range(n)), default=0) or 1
    body = []
    for j, name in enumerate(labels):
        body.append(_text(left + j * cell + cell / 2, top_m - 10, name, "middle"))
    for i, name in enumerate(labels):
        y = top_m + i * cell
        body.append(_text(left - 6, y + cell / 2 + 4, name, "end"))
        for j in range(n):
            v = matrix[i][j]
            x = left + j * cell
            if i == j:
                fill, ink = "#e8e8e8", "#222"
            else:
                a = min(v / top, 1.0)
                fill = f"rgb({int(255 - 177 * a)},{int(255 - 134 * a)},{int(255 - 88 * a)})"
                ink = "#fff" if a > 0.55 else "#222"
            body.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                        f'<title>{escape(f"{labels[i]} / {labels[j]}: {v}")}</title></rect>')
            body.append(_text(x + cell / 2 - 1, y + cell / 2 + 4, f"{v:,}", "middle", ink))
    return _svg(left + n * cell + 10, top_m + n * cell + 10, body, title)
