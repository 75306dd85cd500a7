"""Profiles as data and the assessment against thresholds."""

from __future__ import annotations

import pytest

from leaktrace.profiles import available, load
from leaktrace.profiles.assess import assess

CN = load("cn-pi-2017")


def records(**counts: int) -> dict[str, int]:
    return {c: counts.get(c, 0) for c in CN.categories}


def test_profiles_are_yaml_files():
    assert {"cn-pi-2017", "gdpr-art33"} <= set(available())
    with pytest.raises(ValueError):
        load("no-such-law")


@pytest.mark.parametrize("roles,category", [
    ({"card", "balance", "name"}, "property"),
    ({"checkin", "hotel", "cn_id"}, "accommodation"),
    ({"callee", "duration"}, "communication_records"),
    ({"diagnosis"}, "health"),
    ({"item", "amount", "order"}, "transaction"),
    ({"lon", "lat", "time"}, "whereabouts"),
    ({"credit_score", "overdue"}, "credit"),
    ({"name", "cn_id", "mobile", "address"}, "other"),
    ({"order"}, "other"),                          # an order number alone is no transaction
])
def test_category_rules(roles, category):
    assert CN.categorize(roles) == category


def test_single_category_levels():
    assert assess(CN, records(property=49))["level"] is None
    a = assess(CN, records(property=50))
    assert a["level"] == "serious" and a["met"][0]["category"] == "property"
    assert assess(CN, records(property=500))["level"] == "especially_serious"
    assert assess(CN, records(other=4999))["level"] is None
    assert assess(CN, records(other=5000))["level"] == "serious"


def test_insiders_face_half_the_thresholds():
    assert assess(CN, records(accommodation=250))["level"] is None
    a = assess(CN, records(accommodation=250), insider=True)
    assert a["level"] == "serious" and a["met"][0]["threshold"] == 250


def test_mixed_categories_by_proportional_sum():
    # 30/50 + 300/500 = 1.2: no category alone, together serious
    a = assess(CN, records(credit=30, health=300))
    assert a["met"] == [] and a["level"] == "serious"
    assert a["mixed"]["proportional_sum"] == pytest.approx(1.2)


def test_gdpr_has_no_thresholds():
    gdpr = load("gdpr-art33")
    assert gdpr.categorize({"diagnosis"}) == "health"
    assert assess(gdpr, {"health": 10})["level"] is None
