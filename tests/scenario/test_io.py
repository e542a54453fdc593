"""Scenario JSON round trip and refusal of bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.scenario import (
    Scenario,
    ScenarioError,
    scenario_from_json,
    scenario_to_json,
)
from dashboard.scenario.catalogue import load_catalogue

CAT = load_catalogue()


@settings(max_examples=50, deadline=None)
@given(
    budgets=st.dictionaries(st.sampled_from(CAT.intervention_ids), st.floats(0, 1e7)),
    horizon=st.integers(1, 30),
    cut=st.floats(0, 0.5),
    invest=st.one_of(st.none(), st.integers(0, 30)),
    preset=st.one_of(st.none(), st.sampled_from(sorted(CAT.presets))),
)
def test_round_trip(budgets, horizon, cut, invest, preset) -> None:
    sc = Scenario(
        "E06000001",
        horizon,
        budgets,
        invest_years=invest,
        prevention_cut_per_year=cut,
        overrides={"interventions.reablement.success_rate": 0.5},
        preset=preset,
    )
    text = scenario_to_json(sc)
    back = scenario_from_json(text, CAT)
    assert back == sc
    assert hash(back) == hash(sc)
    assert scenario_to_json(back) == text


@pytest.mark.parametrize(
    ("patch", "parameter"),
    [
        ({"budgets": {"reablement": -5}}, "budgets.reablement"),
        ({"budgets": {"reablement": "lots"}}, "budgets.reablement"),
        ({"horizon_years": 2.5}, "horizon_years"),
        (
            {"overrides": {"interventions.reablement.deadweight": 2}},
            "interventions.reablement.deadweight",
        ),
        ({"colour": "red"}, "colour"),
        ({"schema_version": 99}, "schema_version"),
        ({"place_code": 5}, "place_code"),
    ],
)
def test_bad_json_is_refused_naming_the_field(patch, parameter) -> None:
    data = json.loads(scenario_to_json(Scenario("E06000001", 10, {"reablement": 1.0})))
    data.update(patch)
    with pytest.raises(ScenarioError) as err:
        scenario_from_json(json.dumps(data), CAT)
    assert err.value.parameter == parameter


def test_invalid_json_text() -> None:
    with pytest.raises(ScenarioError, match="not valid JSON"):
        scenario_from_json("{not json", CAT)
