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
    # A horizon of 3 years is years 0..3: year 0 (the base year) spends nothing, years 1-3
    # spend £100k at £1,000 a person (100 people, all successes, drop-off 1 so each success
    # lasts its own year). Benefit per success £5,000 + £1,000 = £6,000, so £600k a year;
    # net £500k in each of years 1-3, discounted to year 0 at 3.5%.
    sc = Scenario(context.place_code, 3, {"reablement": 100_000.0}, overrides=SIMPLE)
    r = run(sc, context, catalogue)
    by = _pivot(r.by_year, "reablement")
    assert by.index.tolist() == [0, 1, 2, 3]
    assert by["reached_people"].tolist() == pytest.approx([0, 100, 100, 100])
    assert by["new_successes_people"].tolist() == pytest.approx([0, 100, 100, 100])
    assert by["active_successes_people"].tolist() == pytest.approx([0, 100, 100, 100])
    assert by["benefit_gbp"].tolist() == pytest.approx([0] + [600_000] * 3)
    assert r.headline.npv_gbp == pytest.approx(500_000 * (1 / 1.035 + 1 / 1.035**2 + 1 / 1.035**3))
    assert r.headline.bcr == pytest.approx(6.0)
    assert r.headline.payback_year == 1  # the first year of spending already pays back
    ag = r.by_agency[(r.by_agency.intervention == "reablement") & (r.by_agency.year == 1)]
    v = ag.set_index(["agency", "measure"])["value"]
    assert v[("council", "cost_gbp")] == pytest.approx(100_000)
    assert v[("council", "benefit_cashable_gbp")] == pytest.approx(250_000)
    assert v[("council", "benefit_noncashable_gbp")] == pytest.approx(250_000)
    assert v[("nhs", "benefit_noncashable_gbp")] == pytest.approx(100_000)
    assert v[("dwp", "benefit_cashable_gbp")] == 0


def test_two_year_npv_by_hand_on_the_new_time_axis(catalogue, context) -> None:
    # Horizon 2 = years 0, 1, 2. £50k a year at £1,000 a person: 50 people in years 1 and 2.
    # Yield 1 and a lag of 1 year: 50 successes spent for in year 1 count from year 2; with
    # drop-off 0 they persist, so year 2 has the 50 of year 1 (those of year 2 start in
    # year 3, beyond the horizon). £6,000 a success a year:
    #   costs: year 1 £50k, year 2 £50k; benefits: year 2 £300k.
    #   NPV = 300,000/1.035^2 - 50,000/1.035 - 50,000/1.035^2 = 185,068.5
    ov = {**SIMPLE, f"{R}.lag_years": 1.0, f"{R}.dropoff": 0.0}
    r = run(
        Scenario(context.place_code, 2, {"reablement": 50_000.0}, overrides=ov), context, catalogue
    )
    by = _pivot(r.by_year, "reablement")
    assert by["investment_gbp"].tolist() == pytest.approx([0, 50_000, 50_000])
    assert by["benefit_gbp"].tolist() == pytest.approx([0, 0, 300_000])
    npv = 300_000 / 1.035**2 - 50_000 / 1.035 - 50_000 / 1.035**2
    assert npv == pytest.approx(185_068.5, abs=0.1)
    assert r.headline.npv_gbp == pytest.approx(npv)
    assert r.headline.pv_costs_gbp == pytest.approx(50_000 / 1.035 + 50_000 / 1.035**2)
    # cumulative discounted net: year 1 -48,309, year 2 +185,068: payback in year 2
    assert r.headline.payback_year == 2


def test_optimism_bias_and_attribution_scale_successes(catalogue, context) -> None:
    ov = {**SIMPLE, "optimism_bias.C": 0.2, f"{R}.attribution": 0.5, f"{R}.deadweight": 0.1}
    r = run(
        Scenario(context.place_code, 2, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    by = _pivot(r.by_year, "reablement")
    assert by["new_successes_people"].iloc[0] == 0  # the base year
    assert by["new_successes_people"].iloc[1] == pytest.approx(100 * 0.9 * 0.5 * 0.8)


def test_lag_and_dropoff(catalogue, context) -> None:
    # spending in years 1-5 (100 successes a year); a lag of 2 years puts the successes
    # spent for in year 1 into effect from year 3: active 0, 0, 0, 100, 200, 300
    ov = {**SIMPLE, f"{R}.lag_years": 2.0, f"{R}.dropoff": 0.0}
    r = run(
        Scenario(context.place_code, 5, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    assert _pivot(r.by_year, "reablement")["active_successes_people"].tolist() == pytest.approx(
        [0, 0, 0, 100, 200, 300]
    )
    # lag 0 (the year of the spend) and half dropping off each year: 100, 150, 175, 187.5
    ov = {**SIMPLE, f"{R}.dropoff": 0.5}
    r = run(
        Scenario(context.place_code, 4, {"reablement": 100_000.0}, overrides=ov), context, catalogue
    )
    assert _pivot(r.by_year, "reablement")["active_successes_people"].tolist() == pytest.approx(
        [0, 100, 150, 175, 187.5]
    )


def test_cohort_cap(catalogue, context) -> None:
    sc = Scenario(context.place_code, 3, {"reablement": 1e9}, overrides=SIMPLE)
    by = _pivot(run(sc, context, catalogue).by_year, "reablement")
    assert by["reached_people"].iloc[0] == 0  # nothing is spent in the base year
    spent = by.iloc[1:]
    assert (spent["reached_people"] == spent["cohort_people"]).all()
    assert spent["investment_gbp"].tolist() == pytest.approx(
        (spent["cohort_people"] * 1000).tolist()
    )
    old = POPULATION["65-74"] + POPULATION["75-84"] + POPULATION["85+"]
    assert by["cohort_people"].iloc[0] == pytest.approx(
        old * catalogue.param(f"{R}.cohort.share").central
    )
    assert by["cohort_people"].iloc[3] > by["cohort_people"].iloc[0]  # older bands grow


def test_outcome_in_indicator_units(catalogue, context) -> None:
    sc = Scenario(context.place_code, 3, {"stop_smoking": 50_000.0})
    r = run(sc, context, catalogue)
    active = _pivot(r.by_year, "stop_smoking")["active_successes_people"]
    # year 1's adults: the base year's grown one year at the fallback rates
    adults = sum(
        v * (1 + catalogue.population_growth[b].central)
        for b, v in POPULATION.items()
        if b not in ("0-4", "5-17")
    )
    oc = r.outcomes[(r.outcomes.indicator_id == "smoking_pct") & (r.outcomes.year == 1)]
    assert oc["change"].iloc[0] == pytest.approx(-active.iloc[1] / adults * 100)
    assert active.iloc[1] > 0
    tot = r.outcome_totals[r.outcome_totals.indicator_id == "smoking_pct"]
    assert (tot["baseline"] == 12.5).all()
    assert tot["projected"].iloc[0] == 12.5  # the base year is the baseline
    assert (tot["projected"].iloc[1:] < 12.5).all()
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
    # the preset asks for its budgets in each of the 10 years of spending (years 1-10)
    assert r.headline.investment_asked_gbp == pytest.approx(
        sum(catalogue.presets["prevention_first"].budgets_gbp_per_head.values())
        * sum(POPULATION.values())
        * 10
    )
    # family group conferencing is a stock: 0.2% of the children (14,000 + 40,000, falling at
    # the fallback rates of 0.5% and 0.4% a year). The budget, 0.6 £/head x 255,500 = £153,300,
    # pays for 102.2 families a year at £1,500: year 1 reaches 102.2 of 107.5, year 2 the rest
    # of that year's group (0.002 x (14,000 x 0.995^2 + 40,000 x 0.996^2) = 107.0 in all), then
    # nobody: the group shrinks, so no one is left. Less is spent than asked.
    assert r.headline.investment_gbp < r.headline.investment_asked_gbp
    by = _pivot(r.by_year, "family_group_conferencing")
    stock_2 = 0.002 * (14_000 * 0.995**2 + 40_000 * 0.996**2)
    assert by["reached_people"].iloc[1] == pytest.approx(0.6 * sum(POPULATION.values()) / 1500)
    assert by["reached_people"].sum() == pytest.approx(stock_2)
    assert (by["reached_people"].iloc[3:] == 0).all()


def test_invest_years_stops_spending(catalogue, context) -> None:
    sc = Scenario(context.place_code, 6, {"reablement": 2e5}, invest_years=2)
    by = _pivot(run(sc, context, catalogue).by_year, "reablement")
    assert by["investment_gbp"].iloc[0] == 0
    assert (by["investment_gbp"].iloc[1:3] > 0).all()  # years 1 and 2
    assert (by["investment_gbp"].iloc[3:] == 0).all()
    assert by["active_successes_people"].iloc[4] > 0


def test_years_of_investment_per_intervention(catalogue, context) -> None:
    sc = Scenario(
        context.place_code,
        6,
        {"reablement": 2e5, "early_help": 3e5},
        invest_years=4,
        years_of_investment={"reablement": 1},
    )
    r = run(sc, context, catalogue)
    re, eh = _pivot(r.by_year, "reablement"), _pivot(r.by_year, "early_help")
    assert re["investment_gbp"].tolist() == pytest.approx([0, 2e5, 0, 0, 0, 0, 0])
    # early help has no entry: invest_years (4) applies
    assert eh["investment_gbp"].tolist() == pytest.approx([0, 3e5, 3e5, 3e5, 3e5, 0, 0])
    # beyond the horizon it stops at the horizon
    long = Scenario(
        context.place_code, 3, {"reablement": 2e5}, years_of_investment={"reablement": 9}
    )
    assert _pivot(run(long, context, catalogue).by_year, "reablement")[
        "investment_gbp"
    ].tolist() == pytest.approx([0, 2e5, 2e5, 2e5])
    with pytest.raises(ScenarioError) as err:
        run(
            Scenario(context.place_code, 3, years_of_investment={"reablement": 31}),
            context,
            catalogue,
        )
    assert err.value.parameter == "years_of_investment.reablement"
    with pytest.raises(ScenarioError) as err:
        run(Scenario(context.place_code, 3, years_of_investment={"nope": 1}), context, catalogue)
    assert err.value.parameter == "years_of_investment.nope"
    with pytest.raises(ScenarioError) as err:
        run(
            Scenario(context.place_code, 3, years_of_investment={"reablement": 1.5}),
            context,
            catalogue,
        )
    assert err.value.parameter == "years_of_investment.reablement"


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
