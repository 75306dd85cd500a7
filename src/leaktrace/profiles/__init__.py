"""Legal profiles as data: categories, thresholds and category rules, one YAML file per law."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafile import read_yaml
from .schema import ProfileError, check

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Rule:
    category: str
    all: tuple[frozenset[str], ...]

    def matches(self, roles: set[str] | frozenset[str]) -> bool:
        return all(group & roles for group in self.all)


@dataclass(frozen=True)
class Profile:
    id: str
    data: dict
    rules: tuple[Rule, ...]

    @property
    def categories(self) -> dict[str, dict]:
        return self.data["categories"]

    @property
    def default(self) -> str:
        return self.data["default"]

    def sql_case(self, roles: str) -> tuple[str, list]:
        """A SQL expression giving the rule category for a list of roles (NULL: no rule matched) and
        the parameters it takes: a profile's roles and categories are values, never SQL text."""
        whens, params = [], []
        for rule in self.rules:
            whens.append(" AND ".join(f"list_has_any({roles}, ?::VARCHAR[])" for _ in rule.all))
            params += [sorted(g) for g in rule.all]
            whens[-1] = f"WHEN {whens[-1]} THEN ?"
            params.append(rule.category)
        return (f"(CASE {' '.join(whens)} ELSE NULL END)" if whens else "NULL"), params

    def categorize(self, roles: set[str] | frozenset[str]) -> str:
        """The category of a record or dataset whose fields have these roles."""
        for rule in self.rules:
            if rule.matches(roles):
                return rule.category
        return self.data["default"]


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


@lru_cache(maxsize=None)
def load(name: str) -> Profile:
    """A profile by id (a YAML file in this folder) or by path to a YAML file, checked (`schema.check`)."""
    path = Path(name) if name.endswith((".yaml", ".yml")) else HERE / f"{name}.yaml"
    if not path.exists():
        raise ProfileError(f"unknown profile {name!r}; available: {', '.join(available())}")
    try:
        data = read_yaml(path)
    except ValueError as exc:
        raise ProfileError(f"profile {exc}") from None
    check(path, data)
    rules = tuple(Rule(r["category"], tuple(frozenset(g) for g in r["all"])) for r in data.get("rules", []))
    return Profile(data["id"], data, rules)
