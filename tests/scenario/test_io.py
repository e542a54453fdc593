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
    years=st.dictionaries(st.sampled_from(CAT.intervention_ids), st.integers(0, 30)),
)
def test_round_trip(budgets, horizon, cut, invest, preset, years) -> None:
    sc = Scenario(
        "E06000001",
        horizon,
        budgets,
        invest_years=invest,
        prevention_cut_per_year=cut,
        overrides={"interventions.reablement.success_rate": 0.5},
        preset=preset,
        years_of_investment=years,
    )
    text = scenario_to_json(sc)
    back = scenario_from_json(text, CAT)
    assert back == sc
    assert hash(back) == hash(sc)
    assert scenario_to_json(back) == text
    assert back.years_of_investment == years


def test_years_of_investment_are_in_the_hash_and_older_json_still_opens() -> None:
    a = Scenario("E06000001", 10, {"reablement": 1.0})
    b = Scenario("E06000001", 10, {"reablement": 1.0}, years_of_investment={"reablement": 3})
    assert a != b and hash(a) != hash(b)
    assert scenario_to_json(a) != scenario_to_json(b)
    old = json.loads(scenario_to_json(a))
    del old["years_of_investment"]  # saved before the field existed
    assert scenario_from_json(json.dumps(old), CAT) == a


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
        ({"years_of_investment": {"reablement": 2.5}}, "years_of_investment.reablement"),
        ({"years_of_investment": {"reablement": "3"}}, "years_of_investment.reablement"),
        ({"years_of_investment": {"reablement": 31}}, "years_of_investment.reablement"),
        ({"years_of_investment": {"no_such": 3}}, "years_of_investment.no_such"),
        ({"years_of_investment": [3]}, "years_of_investment"),
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


@pytest.mark.parametrize(
    ("text", "parameter"),
    [
        ('"horizon_years": NaN', "horizon_years"),
        ('"horizon_years": Infinity', "horizon_years"),
        ('"horizon_years": -Infinity', "horizon_years"),
        ('"horizon_years": 1e308', "horizon_years"),
        ('"horizon_years": 1' + "0" * 400, "horizon_years"),
        ('"horizon_years": true', "horizon_years"),
        ('"invest_years": NaN', "invest_years"),
        ('"invest_years": Infinity', "invest_years"),
        ('"invest_years": "5"', "invest_years"),
        ('"prevention_cut_per_year": NaN', "prevention_cut_per_year"),
        ('"budget_basis": ["gbp"]', "budget_basis"),
        ('"preset": {"a": 1}', "preset"),
        ('"budgets": [1]', "budgets"),
        ('"overrides": "all"', "overrides"),
    ],
)
def test_non_finite_and_wrong_types_are_refused(text: str, parameter: str) -> None:
    """NaN and Infinity (which Python's JSON reader accepts) never reach int() or the engine."""
    base = json.loads(scenario_to_json(Scenario("E06000001", 10, {"reablement": 1.0})))
    key = text.split(":", 1)[0].strip('"')
    base.pop(key, None)
    body = json.dumps(base)[:-1] + ", " + text + "}"
    for catalogue in (CAT, None):
        with pytest.raises(ScenarioError) as err:
            scenario_from_json(body, catalogue)
        assert err.value.parameter == parameter


def test_budget_nan_is_refused_naming_the_intervention() -> None:
    body = '{"place_code": "E06000001", "budgets": {"reablement": NaN}}'
    with pytest.raises(ScenarioError) as err:
        scenario_from_json(body, CAT)
    assert err.value.parameter == "budgets.reablement" and "finite" in str(err.value)


def test_text_and_size_limits() -> None:
    from dashboard.bundle.limits import input_limit
    from dashboard.scenario.io import check_record, parse_scenario_json

    with pytest.raises(ScenarioError, match="longer than"):
        parse_scenario_json(" " * (input_limit("saved", "json_max_chars") + 1))
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse_scenario_json("[" * 50_000 + "]" * 50_000)
    many = {f"x{i}": 1 for i in range(input_limit("saved", "max_entries") + 1)}
    with pytest.raises(ScenarioError) as err:
        parse_scenario_json(json.dumps({"place_code": "E1", "budgets": many}))
    assert err.value.parameter == "budgets"
    with pytest.raises(ScenarioError) as err:
        parse_scenario_json(json.dumps({"place_code": "E" * 500}))
    assert err.value.parameter == "place_code"
    good = {"name": "n", "author": "a", "description": "", "dataset": "demo", "place_code": "E1"}
    check_record(good)
    for field, bad in [("name", "n" * 5000), ("author", ""), ("dataset", 5), ("description", [])]:
        with pytest.raises(ScenarioError) as err:
            check_record({**good, field: bad})
        assert err.value.parameter == field
    with pytest.raises(ScenarioError) as err:
        scenario_from_json(json.dumps({"place_code": "E1", "x" * 5000: 1}), CAT)
    assert len(err.value.parameter) <= input_limit("url", "shown_max_chars") + 1


def test_a_saved_scenario_keeps_its_years_and_drops_those_of_a_retired_intervention() -> None:
    from dashboard.scenario.assumptions import scenario_from_saved

    sc = Scenario("E06000001", 10, {"reablement": 1.0}, years_of_investment={"reablement": 4})
    data = json.loads(scenario_to_json(sc))
    back, notes = scenario_from_saved(json.dumps(data), CAT)
    assert back == sc and notes == []
    data["years_of_investment"]["retired_scheme"] = 3
    back, notes = scenario_from_saved(json.dumps(data), CAT)
    assert back.years_of_investment == {"reablement": 4}
    assert notes == [
        "Intervention 'retired_scheme' is no longer in the catalogue: its years of investment "
        "were left out."
    ]
