"""Counts held against a profile's thresholds: facts against the law's numbers, no judgement."""

from __future__ import annotations

from . import Profile


def assess(profile: Profile, records: dict[str, int], insider: bool = False) -> dict:
    """Which thresholds the per-category counts meet, and by which numbers.

    Each category alone against its threshold (halved for insiders); then, for a profile
    with `mixed: proportional`, the categories together in proportion (sum of
    count / threshold >= 1 for a level with factor 1) where that reaches a higher level.
    """
    levels = profile.data.get("levels", [])
    if not levels:
        return {"met": [], "level": None, "note": "profile has no thresholds"}
    factor = profile.data.get("insider_factor", 1) if insider else 1
    items = []
    share = 0.0
    for cat, spec in profile.categories.items():
        n = records.get(cat, 0)
        threshold = spec["threshold"] * factor
        share += n / threshold
        for level in reversed(levels):
            if n >= threshold * level["factor"]:
                items.append({"category": cat, "records": n, "threshold": threshold * level["factor"],
                              "level": level["name"], "basis": "single category"})
                break
    best = _highest(levels, [i["level"] for i in items])
    mixed = None
    for level in reversed(levels if profile.data.get("mixed") == "proportional" else []):
        if share >= level["factor"]:
            mixed = {"level": level["name"], "proportional_sum": round(share, 4), "needed": level["factor"]}
            break
    if mixed and _rank(levels, mixed["level"]) > _rank(levels, best):
        best = mixed["level"]
    return {"level": best, "met": items, "mixed": mixed, "proportional_sum": round(share, 4),
            "insider": insider, "threshold_factor": factor}


def _rank(levels: list[dict], name: str | None) -> int:
    names = [lv["name"] for lv in levels]
    return names.index(name) + 1 if name in names else 0


def _highest(levels: list[dict], names: list[str]) -> str | None:
    ranked = sorted(names, key=lambda n: _rank(levels, n))
    return ranked[-1] if ranked else None


def assess_holders(profile: Profile, holders: dict[str, dict], insiders: list[str] | tuple = ()) -> None:
    """Add an `assessment` to each holder's counts (`count_case(...).holders`), insiders' halved."""
    for h, c in holders.items():
        c["assessment"] = assess(profile, c["records"], insider=h in insiders)
