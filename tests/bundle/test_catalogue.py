"""Every catalogue entry is documented: a test fails when an indicator lacks its unit, kind,
polarity or definition, or a method setting lacks its unit, range or source."""

from __future__ import annotations

import pytest

from dashboard.analysis.methods import load_methods
from dashboard.bundle.catalogue import canonical_indicators, services
from dashboard.bundle.schema import INDICATOR_KINDS, LEVELS, POLARITIES, SERVICES, UNITS


@pytest.mark.parametrize("entry", canonical_indicators(), ids=lambda e: e["id"])
def test_indicator_is_fully_described(entry: dict) -> None:
    assert entry["kind"] in INDICATOR_KINDS
    assert entry["unit"] in UNITS
    assert entry["polarity"] in POLARITIES
    assert entry["service"] in SERVICES
    assert entry["levels"] and set(entry["levels"]) <= set(LEVELS)
    assert len(entry["definition"]) > 20 and entry["label"]
    if entry["kind"] == "spend":
        assert entry["unit"] == "gbp_per_head" and entry["id"].startswith("spend_")
    if entry["kind"] == "outcome":
        assert entry["polarity"] != "neutral" or entry["unit"] == "ordinal"


def test_indicator_ids_are_unique() -> None:
    ids = [e["id"] for e in canonical_indicators()]
    assert len(ids) == len(set(ids))


def test_services_catalogue_matches_the_contract() -> None:
    assert {s["id"] for s in services()} == set(SERVICES)
    assert all(s["level"] in ("upper", "lower", "both") and s["label"] for s in services())


def test_every_method_setting_has_unit_range_and_source() -> None:
    for name, setting in load_methods()["benchmark"].items():
        for key in ("value", "unit", "range", "source"):
            assert key in setting, f"methods.yaml benchmark.{name} lacks {key}"
        low, high = setting["range"]
        assert low <= setting["value"] <= high, name
