"""Counts and assessments as terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..profiles import Profile
from ..records.count import Counts
from ..terminal import literal, shown

LEVEL_STYLE = {"serious": "bold yellow", "especially_serious": "bold red"}


def print_counts(counts: Counts, profile: Profile, console: Console) -> None:
    """One column per holder; categories, then persons and the steps from seized to counted."""
    holders = list(counts.holders)
    t = Table("category", "threshold", *(shown(h) for h in holders),
              title=f"records per holder and category ({literal(profile.id)})")
    levels = profile.data.get("levels")
    for cat, spec in profile.categories.items():
        cells = []
        for h in holders:
            n = counts.holders[h]["records"][cat]
            met = {i["category"]: i["level"] for i in counts.holders[h].get("assessment", {}).get("met", [])}
            cells.append(f"[{LEVEL_STYLE[met[cat]]}]{n}[/]" if cat in met else str(n))
        t.add_row(literal(cat), str(spec.get("threshold", "")) if levels else "", *cells)
    t.add_section()
    for label, key in (("persons", "persons"), ("seized rows", "seized_rows"), ("invalid rows", "invalid"),
                       ("duplicate rows", "duplicate_rows"), ("  exact copies", "exact_duplicate_rows")):
        t.add_row(label, "", *[str(counts.holders[h].get(key, 0)) for h in holders])
    if levels:
        t.add_row("level met", "", *[_level(counts.holders[h].get("assessment", {})) for h in holders])
    console.print(t)
    if levels:
        console.print(f"thresholds are for level factor 1 ({literal(levels[0]['name'])}); x{levels[-1]['factor']} for "
                      f"{literal(levels[-1]['name'])}; insiders x{profile.data.get('insider_factor', 1)}. "
                      "Facts against thresholds; the judgement is the court's.")
    console.print(f"distinct persons over all holders: {counts.persons}")


def _level(a: dict) -> str:
    level = a.get("level")
    if not level:
        return "-"
    basis = " (mixed)" if a.get("mixed") and not a.get("met") else ""
    return f"[{LEVEL_STYLE.get(level, '')}]{literal(level)}{basis}[/]"
