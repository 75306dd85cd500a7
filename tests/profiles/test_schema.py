"""Profiles are checked when loaded: unknown keys, roles no record carries and bad values are errors
naming the file, the key and why."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from leaktrace.profiles import HERE, ProfileError, available, load
from leaktrace.profiles.assess import assess

CN_DATA = yaml.safe_load((HERE / "cn-pi-2017.yaml").read_text("utf-8"))


def write(tmp_path: Path, change) -> Path:
    """A copy of cn-pi-2017 with `change(data)` applied, as a YAML file."""
    data = copy.deepcopy(CN_DATA)
    change(data)
    path = tmp_path / "law.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def error_of(path: Path) -> str:
    load.cache_clear()
    with pytest.raises(ProfileError) as exc:
        load(str(path))
    return str(exc.value)


def test_bundled_profiles_are_valid():
    for name in available():
        load.cache_clear()
        assert load(name).id == name


def test_an_unchanged_copy_loads(tmp_path):
    load.cache_clear()
    assert load(str(write(tmp_path, lambda d: None))).categorize({"balance"}) == "property"


@pytest.mark.parametrize("change,key,why", [
    (lambda d: d.update(unit="records"), "unit", "unknown key"),
    (lambda d: d["categories"]["credit"].update(treshold=50), "categories.credit.treshold", "unknown key"),
    (lambda d: d["rules"].append({"category": "communication_content", "all": [["sms"]]}),
     f"rules[{len(CN_DATA['rules'])}].all[0]", "role 'sms' is not a role any record carries"),
    (lambda d: d["categories"]["health"].update(tier="second"), "categories.health.tier", "must be a whole number"),
    (lambda d: d["categories"]["health"].update(tier=-1), "categories.health.tier", "0 or above"),
    (lambda d: d["categories"]["health"].update(tier=1.5), "categories.health.tier", "must be a whole number"),
    (lambda d: d["categories"]["other"].pop("threshold"), "categories.other.threshold", "missing"),
    (lambda d: d["categories"]["other"].update(threshold=0), "categories.other.threshold", "above 0"),
    (lambda d: d["rules"][0].update(category="calls"), "rules[0].category", "'calls' is not one of"),
    (lambda d: d.update(default="misc"), "default", "'misc' is not one of"),
    (lambda d: d.update(mixed="summed"), "mixed", "not a way of summing"),
    (lambda d: d.update(insider_factor=2), "insider_factor", "at most 1"),
    (lambda d: d["levels"][0].pop("factor"), "levels[0].factor", "missing"),
    (lambda d: d["rules"][1].update(all=[]), "rules[1].all", "at least one group"),
    (lambda d: d.pop("id"), "id", "missing"),
])
def test_invalid_profiles_are_refused_with_file_key_and_reason(tmp_path, change, key, why):
    message = error_of(write(tmp_path, change))
    assert message.startswith(f"profile {tmp_path / 'law.yaml'}: {key}: ") and why in message


def test_a_key_given_twice_is_an_error(tmp_path):
    path = tmp_path / "law.yaml"
    path.write_text((HERE / "cn-pi-2017.yaml").read_text("utf-8").replace("default: other", "default: other\ndefault: credit"))
    message = error_of(path)
    assert str(path) in message and "'default' given twice" in message


def test_an_unknown_profile_names_those_available():
    load.cache_clear()
    with pytest.raises(ProfileError, match="unknown profile 'no-such-law'; available: cn-pi-2017"):
        load("no-such-law")


def test_mixed_proportional_sum_only_where_the_profile_asks_for_it(tmp_path):
    counts = {"credit": 30, "health": 300}       # 30/50 + 300/500 = 1.2: serious only when summed
    load.cache_clear()
    assert assess(load("cn-pi-2017"), counts)["level"] == "serious"
    load.cache_clear()
    separately = assess(load(str(write(tmp_path, lambda d: d.pop("mixed")))), counts)
    assert separately["level"] is None and separately["mixed"] is None
