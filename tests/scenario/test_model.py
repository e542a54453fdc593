"""The benefit chain, the baseline and the presets, against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle.model import Bundle
from dashboard.scenario import (
    PREVENTION_CHANGE,
    PlaceContext,
    Scenario,
    ScenarioError,
    context_from_bundle,
    run,
    run_places,
)
from tests.scenario.conftest import POPULATION

R = "interventions.reablement"
SIMPLE = {
    f"{R}.cost_per_participant": 1000.0,
    f"{R}.engagement": 1.0,
    f"{R}.success_rate": 1.0,
    f"{R}.deadweight": 0.0,
    f"{R}.attribution": 1.0,
    f"{R}.lag_years": 0.0,
    f"{R}.dropoff": 1.0,
    f"{R}.avoided_costs.home_care.value": 5000.0,
    f"{R}.avoided_costs.home_care.cashable": 0.5,
    # the NHS cost is priced by events: one long-stay spell per success at £1,000 (uplift 1)
    f"{R}.avoided_costs.hospital.events.ae_attendance.per_success": 0.0,
    f"{R}.avoided_costs.hospital.events.nel_short_stay.per_success": 0.0,
    f"{R}.avoided_costs.hospital.events.nel_long_stay.per_success": 1.0,
    "unit_costs.nel_long_stay": 1000.0,
    f"{R}.avoided_costs.hospital.cashable": 0.0,
    "optimism_bias.C": 0.0,
    "agency_real_cost_growth.council": 0.0,
    "agency_real_cost_growth.nhs": 0.0,
}


def _pivot(frame: pd.DataFrame, intervention: str) -> pd.DataFrame:
    f = frame[frame.intervention == intervention]
    return f.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")


def test_hand_computed_chain(catalogue, context) -> None:
    sc = Scenario(context.place_code, 3, {"reablement": 100_000.0}, overrides=SIMPLE)
    r = run(sc, context, catalogue)
    by = _pivot(r.by_year, "reablement")
    assert by["reached_people"].tolist() == pytest.approx([100, 100, 100])
    assert by["new_successes_people"].tolist() == pytest.approx([100, 100, 100])
    assert by["active_successes_people"].tolist() == pytest.approx([100, 100, 100])
    assert by["benefit_gbp"].tolist() == pytest.approx([600_000] * 3)
    assert r.headline.npv_gbp == pytest.approx(500_000 * (1 + 1 / 1.035 + 1 / 1.035**2))
    assert r.headline.bcr == pytest.approx(6.0)
    assert r.headline.payback_year == 0
    ag = r.by_agency[(r.by_agency.intervention == "reablement") & (r.by_agency.year == 1)]
    v = ag.set_index(["agency", "measure"])["value"]
    assert v[("council", "cost_gbp")] == pytest.approx(100_000)
    assert v[("council", "benefit_cashable_gbp")] == pytest.approx(250_000)
    assert v[("council", "benefit_noncashable_gbp")] == pytest.approx(250_000)
    assert v[("nhs", "benefit_noncashable_gbp")] == pytest.approx(100_000)
    assert v[("dwp", "benefit_cashable_gbp")] == 0


def test_optimism_bias_and_attribution_scale_successes(catalogue, context) -> None:
    ov = {**SIMPLE, "optimism_bias.C": 0.2, f"{R}.attribution": 0.5, f"{R}.deadweight": 0.1}
    r = run(
        Scenario(context.place_code, 2, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    by = _pivot(r.by_year, "reablement")
    assert by["new_successes_people"].iloc[0] == pytest.approx(100 * 0.9 * 0.5 * 0.8)


def test_lag_and_dropoff(catalogue, context) -> None:
    ov = {**SIMPLE, f"{R}.lag_years": 2.0, f"{R}.dropoff": 0.0}
    r = run(
        Scenario(context.place_code, 5, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    assert _pivot(r.by_year, "reablement")["active_successes_people"].tolist() == pytest.approx(
        [0, 0, 100, 200, 300]
    )
    ov = {**SIMPLE, f"{R}.dropoff": 0.5}
    r = run(
        Scenario(context.place_code, 4, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    assert _pivot(r.by_year, "reablement")["active_successes_people"].tolist() == pytest.approx(
        [100, 150, 175, 187.5]
    )


def test_cohort_cap(catalogue, context) -> None:
    sc = Scenario(context.place_code, 3, {"reablement": 1e9}, overrides=SIMPLE)
    by = _pivot(run(sc, context, catalogue).by_year, "reablement")
    assert (by["reached_people"] == by["cohort_people"]).all()
    assert by["investment_gbp"].tolist() == pytest.approx((by["cohort_people"] * 1000).tolist())
    old = POPULATION["65-74"] + POPULATION["75-84"] + POPULATION["85+"]
    assert by["cohort_people"].iloc[0] == pytest.approx(
        old * catalogue.param(f"{R}.cohort.share").central
    )
    assert by["cohort_people"].iloc[2] > by["cohort_people"].iloc[0]  # older bands grow


def test_outcome_in_indicator_units(catalogue, context) -> None:
    sc = Scenario(context.place_code, 3, {"stop_smoking": 50_000.0})
    r = run(sc, context, catalogue)
    active = _pivot(r.by_year, "stop_smoking")["active_successes_people"]
    adults = sum(v for b, v in POPULATION.items() if b not in ("0-4", "5-17"))
    oc = r.outcomes[(r.outcomes.indicator_id == "smoking_pct") & (r.outcomes.year == 0)]
    assert oc["change"].iloc[0] == pytest.approx(-active.iloc[0] / adults * 100)
    tot = r.outcome_totals[r.outcome_totals.indicator_id == "smoking_pct"]
    assert (tot["baseline"] == 12.5).all()
    assert (tot["projected"] < 12.5).all()
    assert tot["change"].is_monotonic_decreasing


def test_status_quo_is_zero_and_baseline_grows(catalogue, context) -> None:
    r = run(Scenario.from_preset("status_quo", context.place_code, catalogue), context, catalogue)
    assert r.headline.npv_gbp == 0 and math.isnan(r.headline.bcr)
    assert (r.by_year["value"].where(r.by_year.measure != "cohort_people", 0) == 0).all()
    assert (r.outcomes["change"] == 0).all()
    b = r.baseline.pivot_table(index=["service", "year"], columns="measure", values="value")
    asc = b.loc["adult_social_care"]
    assert asc["demand_index"].iloc[0] == pytest.approx(1.0)
    assert asc["spend_gbp"].iloc[0] == pytest.approx(400.0 * sum(POPULATION.values()))
    assert asc["demand_index"].iloc[-1] > 1.05  # ageing population
    assert asc["spend_gbp"].is_monotonic_increasing
    assert (b["reactive_cost_gbp"] == 0).all()


def test_baseline_does_not_depend_on_investment(catalogue, context) -> None:
    a = run(Scenario(context.place_code, 6), context, catalogue).baseline
    b = run(Scenario(context.place_code, 6, {"early_help": 3e5}), context, catalogue).baseline
    pd.testing.assert_frame_equal(a, b)


def test_salami_slicing_shifts_cost_to_other_agencies(catalogue, context) -> None:
    sc = Scenario.from_preset("salami_slicing", context.place_code, catalogue)
    r = run(sc, context, catalogue)
    assert r.headline.npv_prevention_change_gbp < 0
    assert r.headline.npv_gbp == pytest.approx(r.headline.npv_prevention_change_gbp)
    prev = r.by_agency[r.by_agency.intervention == PREVENTION_CHANGE]
    tot = prev.groupby(["agency", "measure"])["value"].sum()
    assert tot[("council", "cost_gbp")] < 0  # the council saves
    assert tot[("nhs", "benefit_cashable_gbp")] < 0  # the NHS pays later
    b = r.baseline.pivot_table(index=["service", "year"], columns="measure", values="value")
    lag = catalogue.param("services.adult_social_care.reactive.lag_years").central
    asc = b.loc["adult_social_care"]
    assert (asc["reactive_cost_gbp"].iloc[: int(lag) + 1] == 0).all()
    assert asc["reactive_cost_gbp"].iloc[-1] > 0


def test_prevention_first_is_within_the_sanity_band(catalogue, context) -> None:
    band = catalogue.sanity["prevention_first_bcr"]
    r = run(
        Scenario.from_preset("prevention_first", context.place_code, catalogue), context, catalogue
    )
    assert band["min"] <= r.headline.bcr <= band["max"]
    assert r.headline.investment_gbp == pytest.approx(
        sum(catalogue.presets["prevention_first"].budgets_gbp_per_head.values())
        * sum(POPULATION.values())
        * 10
    )


def test_invest_years_stops_spending(catalogue, context) -> None:
    sc = Scenario(context.place_code, 6, {"reablement": 2e5}, invest_years=2)
    by = _pivot(run(sc, context, catalogue).by_year, "reablement")
    assert (by["investment_gbp"].iloc[2:] == 0).all()
    assert by["active_successes_people"].iloc[3] > 0


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"budgets": {"reablement": -1.0}}, "budgets.reablement"),
        ({"budgets": {"no_such": 1.0}}, "budgets.no_such"),
        ({"horizon_years": 31}, "horizon_years"),
        ({"prevention_cut_per_year": 0.9}, "prevention_cut_per_year"),
        ({"overrides": {f"{R}.engagement": 1.5}}, f"{R}.engagement"),
        ({"overrides": {"no.such.path": 1.0}}, "no.such.path"),
        ({"overrides": {f"{R}.engagement.low": 0.99}}, f"{R}.engagement.low"),
        ({"budget_basis": "euros"}, "budget_basis"),
    ],
)
def test_out_of_range_values_are_refused(catalogue, context, kwargs, parameter) -> None:
    with pytest.raises(ScenarioError) as err:
        run(Scenario(context.place_code, **kwargs), context, catalogue)
    assert err.value.parameter == parameter
    assert isinstance(err.value, ValueError)


def test_context_must_match_place(catalogue, context) -> None:
    with pytest.raises(ScenarioError, match="context"):
        run(Scenario("E99999999"), context, catalogue)


def test_run_places_matches_run(catalogue, contexts) -> None:
    sc = Scenario.from_preset("prevention_first", "x", catalogue, horizon_years=7)
    table = run_places(sc, contexts, catalogue).set_index("place_code")
    for ctx in contexts[:3]:
        h = run(
            Scenario.from_preset("prevention_first", ctx.place_code, catalogue, horizon_years=7),
            ctx,
            catalogue,
        ).headline
        assert table.loc[ctx.place_code, "npv_gbp"] == pytest.approx(h.npv_gbp)


def test_population_projection_is_used_then_extended(catalogue) -> None:
    years = np.array([[v, v * 1.1, v * 1.2] for v in POPULATION.values()])
    ctx = PlaceContext.from_arrays("P", years)
    r = run(Scenario("P", 5, {"reablement": 1e9}), ctx, catalogue)
    cohort = _pivot(r.by_year, "reablement")["cohort_people"].to_numpy()
    assert cohort[1] / cohort[0] == pytest.approx(1.1)
    assert cohort[2] / cohort[0] == pytest.approx(1.2)
    assert cohort[3] > cohort[2]  # fallback growth of older bands beyond the projection


def _bundle(with_population: bool) -> Bundle:
    places = pd.DataFrame(
        {"code": ["E06000001"], "name": ["Fictional Unitary"], "kind": ["unitary"]}
    )
    vals = [
        ("spend_asc_per_head", "2023-24", 390.0),
        ("spend_asc_per_head", "2022-23", 350.0),
        ("smoking_pct", "2023", 13.0),
        ("population", "2023", 200_000.0),
        ("pct_aged_65_plus", "2023", 25.0),
    ]
    values = pd.DataFrame(
        {
            "place_code": "E06000001",
            "indicator_id": [v[0] for v in vals],
            "period": [v[1] for v in vals],
            "value": [v[2] for v in vals],
        }
    )
    pop = None
    if with_population:
        pop = pd.DataFrame(
            [
                ("E06000001", y, b, v * (1 + 0.01 * (y - 2023)))
                for y in (2022, 2023, 2024)
                for b, v in POPULATION.items()
            ],
            columns=["place_code", "year", "age_band", "persons"],
        )
    return Bundle(
        meta={"periods": ["2022-23", "2023-24"]},
        places=places,
        indicators=pd.DataFrame(),
        values=values,
        geo={},
        population=pop,
    )


def test_context_from_bundle_with_population(catalogue) -> None:
    ctx = context_from_bundle(_bundle(True), "E06000001", catalogue)
    assert ctx.base_year == 2023
    assert ctx.population.shape == (7, 2)  # 2023 and 2024
    assert ctx.spend_per_head["adult_social_care"] == 390.0
    assert ctx.outcomes["smoking_pct"] == 13.0
    assert ctx.name == "Fictional Unitary"


def test_context_from_bundle_without_population_uses_fallback(catalogue) -> None:
    ctx = context_from_bundle(_bundle(False), "E06000001", catalogue)
    assert ctx.total_population == pytest.approx(200_000)
    assert ctx.population[4:, 0].sum() / 200_000 == pytest.approx(0.25)
    r = run(Scenario("E06000001", 10, {"reablement": 1e9}), ctx, catalogue)
    cohort = _pivot(r.by_year, "reablement")["cohort_people"]
    assert cohort.iloc[-1] > cohort.iloc[0]
    with pytest.raises(ScenarioError):
        context_from_bundle(_bundle(False), "E06999999", catalogue)
