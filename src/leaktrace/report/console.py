"""Counts and assessments as terminal tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..profiles import Profile
from ..records.count import Counts

LEVEL_STYLE = {"serious": "bold yellow", "especially_serious": "bold red"}


def print_counts(counts: Counts, profile: Profile, console: Console) -> None:
    cats = list(profile.categories)
    t = Table("holder", *[profile.categories[c].get("en", c) for c in cats], "persons", "seized rows",
              "invalid", "duplicates", "level", title=f"records per holder and category ({profile.id})")
    for h, c in counts.holders.items():
        a = c.get("assessment") or {}
        met = {i["category"] for i in a.get("met", [])}
        cells = [f"[bold]{c['records'][k]}[/bold]" if k in met else str(c["records"][k]) for k in cats]
        level = a.get("level") or "-"
        t.add_row(h, *cells, str(c["persons"]), str(c.get("seized_rows", 0)), str(c["invalid"]),
                  str(c.get("duplicate_rows", 0)), f"[{LEVEL_STYLE.get(level, '')}]{level}[/]" if level != "-" else "-")
    console.print(t)
    if profile.data.get("levels"):
        thresholds = ", ".join(f"{k} {v['threshold']}" for k, v in profile.categories.items())
        console.print(f"thresholds (level factor 1, insiders x{profile.data.get('insider_factor', 1)}): {thresholds}")
    console.print(f"distinct persons over all holders: {counts.persons}")
