"""What a profile YAML may hold, checked when it is loaded: every key known, every value of its kind,
every rule's category declared and every rule's role one that records carry (`detect.roles.RECORD_ROLES`)."""

from __future__ import annotations

from numbers import Real
from pathlib import Path

from ..detect.roles import RECORD_ROLES


class ProfileError(ValueError):
    """A profile that cannot be used: the message names the file, the key and why."""


TOP = {"id": str, "title": str, "version": str, "levels": list, "insider_factor": Real, "mixed": str,
       "categories": dict, "rules": list, "default": str}
REQUIRED = ("id", "title", "version", "categories", "default")
CATEGORY = {"tier": int, "threshold": Real, "zh": str, "en": str}
LEVEL = {"name": str, "zh": str, "en": str, "factor": Real}
RULE = {"category": str, "all": list}
MIXED = ("proportional",)   # Art. 5(1)(6) of 法释〔2017〕10号: categories summed in proportion to thresholds


def check(path: Path, data) -> None:
    """Raise `ProfileError` at the first thing in `data` (read from `path`) that is not a valid profile."""
    if not isinstance(data, dict):
        raise _error(path, "", "a profile is a mapping of keys (id, title, categories, rules, …)")
    _keys(path, "", data, TOP, REQUIRED)
    if "insider_factor" in data and not 0 < data["insider_factor"] <= 1:
        raise _error(path, "insider_factor", f"must be above 0 and at most 1, not {data['insider_factor']!r}")
    if data.get("mixed", MIXED[0]) not in MIXED:
        raise _error(path, "mixed", f"{data['mixed']!r} is not a way of summing categories (known: {', '.join(MIXED)})")
    for i, level in enumerate(data.get("levels", [])):
        _keys(path, f"levels[{i}]", level, LEVEL, ("name", "factor"))
        _positive(path, f"levels[{i}].factor", level["factor"])
    _categories(path, data["categories"], thresholds=bool(data.get("levels")))
    if data["default"] not in data["categories"]:
        raise _error(path, "default", f"{data['default']!r} is not one of the profile's categories")
    for i, rule in enumerate(data.get("rules", [])):
        _rule(path, f"rules[{i}]", rule, data["categories"])


def _categories(path: Path, categories: dict, thresholds: bool) -> None:
    """At least one category, each with a tier, labels and (where the profile has levels) a threshold."""
    if not categories:
        raise _error(path, "categories", "a profile declares at least one category")
    for name, spec in categories.items():
        key = f"categories.{name}"
        _keys(path, key, spec, CATEGORY, ("tier", "zh", "en") + (("threshold",) if thresholds else ()))
        if spec["tier"] < 0:
            raise _error(path, f"{key}.tier", f"must be a whole number 0 or above (0: the law has no tiers), "
                                              f"not {spec['tier']!r}")
        if "threshold" in spec:
            _positive(path, f"{key}.threshold", spec["threshold"])


def _rule(path: Path, key: str, rule, categories: dict) -> None:
    _keys(path, key, rule, RULE, ("category", "all"))
    if rule["category"] not in categories:
        raise _error(path, f"{key}.category", f"{rule['category']!r} is not one of the profile's categories")
    if not rule["all"]:
        raise _error(path, f"{key}.all", "a rule needs at least one group of roles")
    for j, group in enumerate(rule["all"]):
        if not isinstance(group, list) or not group:
            raise _error(path, f"{key}.all[{j}]", f"must be a non-empty list of roles, not {group!r}")
        for role in group:
            if role not in RECORD_ROLES:
                raise _error(path, f"{key}.all[{j}]", f"role {role!r} is not a role any record carries, so the "
                                                     f"rule could never match (known: {', '.join(sorted(RECORD_ROLES))})")


def _keys(path: Path, key: str, data, kinds: dict[str, type], required: tuple[str, ...]) -> None:
    """`data` is a mapping with only the keys of `kinds`, each value of its kind, and every required key."""
    if not isinstance(data, dict):
        raise _error(path, key, f"must be a mapping, not {data!r}")
    for k, v in data.items():
        sub = f"{key}.{k}" if key else str(k)
        if k not in kinds:
            raise _error(path, sub, f"unknown key (allowed here: {', '.join(kinds)})")
        if not isinstance(v, kinds[k]) or isinstance(v, bool):
            raise _error(path, sub, f"must be {_KIND_NAMES[kinds[k]]}, not {v!r}")
    for k in required:
        if k not in data:
            raise _error(path, f"{key}.{k}" if key else k, "missing (required)")


def _positive(path: Path, key: str, value: Real) -> None:
    if not value > 0:
        raise _error(path, key, f"must be above 0, not {value!r}")


_KIND_NAMES = {str: "a string", int: "a whole number", Real: "a number", dict: "a mapping", list: "a list"}


def _error(path: Path, key: str, why: str) -> ProfileError:
    return ProfileError(f"profile {path}: {key or 'top level'}: {why}")
