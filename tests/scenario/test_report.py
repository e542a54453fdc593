"""The tables users read and download: headline figures, money by agency, the NPV waterfall,
comparison and export tables agree with the engine's results and the configured percentiles."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dashboard.scenario import Scenario, run, simulate
from dashboard.scenario.exports import export_frames
from dashboard.scenario.report import (
    agency_summary,
    band_percentiles,
    band_text,
    compare_table,
    headline_figures,
    npv_waterfall,
    ordinal,
    outcome_trajectories,
)

DRAWS = 200
SCENARIO = Scenario("E06000001", budgets={"reablement": 4e5, "stop_smoking": 1.5e5})
CUT = Scenario("E06000001", budgets={"reablement": 4e5}, prevention_cut_per_year=0.05)
INDICATORS = {
    "smoking_pct": {"label": "Smoking", "unit": "percent", "polarity": "lower_is_better"},
    "employment_rate_pct": {
        "label": "Employment",
        "unit": "percent",
        "polarity": "higher_is_better",
    },
}


@pytest.fixture(scope="module")
def wide(catalogue):
    """The catalogue with other percentiles (10, 50, 90) than the shipped ones."""
    return replace(
        catalogue, monte_carlo=replace(catalogue.monte_carlo, percentiles=(10.0, 50.0, 90.0))
    )


def test_headline_figures_are_the_result_and_simulation_values(context, catalogue) -> None:
    result = run(SCENARIO, context, catalogue)
    sim = simulate(SCENARIO, context, catalogue, draws=DRAWS, seed=2)
    f = headline_figures(result, sim)
    h = result.headline
    assert (f.npv_gbp, f.bcr, f.pv_costs_gbp, f.pv_benefits_gbp) == (
        h.npv_gbp,
        h.bcr,
        h.pv_costs_gbp,
        h.pv_benefits_gbp,
    )
    npv = sim.samples["npv_gbp"]
    lo, hi = band_percentiles(sim)
    assert (
        f.band
        == (lo, hi)
        == (min(catalogue.monte_carlo.percentiles), max(catalogue.monte_carlo.percentiles))
    )
    assert f.npv_low_gbp == pytest.approx(np.percentile(npv, lo))
    assert f.npv_high_gbp == pytest.approx(np.percentile(npv, hi))
    assert f.p_npv_positive == pytest.approx(np.mean(npv > 0))
    assert f.investment_gbp_per_year == pytest.approx(5.5e5)
    assert f.draws == DRAWS


def test_headline_band_follows_the_configured_percentiles(context, wide) -> None:
    result = run(SCENARIO, context, wide)
    sim = simulate(SCENARIO, context, wide, draws=DRAWS, seed=2)
    f = headline_figures(result, sim)
    npv = sim.samples["npv_gbp"]
    assert f.band == (10.0, 90.0)
    assert f.npv_low_gbp == pytest.approx(np.percentile(npv, 10))
    assert f.npv_high_gbp == pytest.approx(np.percentile(npv, 90))
    assert band_text(sim) == "10th to 90th percentile"
    head = export_frames(result, sim, "test", "Somewhere")["Headline"]
    assert {"NPV, 10th percentile", "NPV, 90th percentile"} <= set(head["measure"])
    out = export_frames(result, sim, "test", "Somewhere")["Outcomes"]
    assert {
        "change, 10th percentile",
        "change, 50th percentile",
        "change, 90th percentile",
    } <= set(out.columns)


@pytest.mark.parametrize("scenario", [SCENARIO, CUT])
def test_money_by_agency_adds_up_to_the_totals(scenario, context, catalogue) -> None:
    result = run(scenario, context, catalogue)
    s = agency_summary(result)
    assert list(s["agency"]) == list(catalogue.agencies)
    h = result.headline
    # present values by agency, interventions and any prevention change, sum to the NPV
    assert s["pv_net_gbp"].sum() == pytest.approx(h.npv_gbp, rel=1e-9)
    if scenario.prevention_cut_per_year == 0:
        assert s["pv_cost_gbp"].sum() == pytest.approx(h.pv_costs_gbp, rel=1e-9)
        assert s["pv_benefit_gbp"].sum() == pytest.approx(h.pv_benefits_gbp, rel=1e-9)
        assert s["pv_benefit_cashable_gbp"].sum() == pytest.approx(
            h.pv_cashable_benefits_gbp, rel=1e-9
        )


@pytest.mark.parametrize("scenario", [SCENARIO, CUT])
def test_waterfall_steps_run_from_zero_to_the_npv(scenario, context, catalogue) -> None:
    result = run(scenario, context, catalogue)
    w = npv_waterfall(result)
    steps = w.iloc[:-1]
    assert steps["start"].iloc[0] == 0.0
    np.testing.assert_allclose(steps["end"], steps["start"] + steps["amount_gbp"])
    np.testing.assert_allclose(steps["start"].iloc[1:], steps["end"].iloc[:-1])
    assert steps["end"].iloc[-1] == pytest.approx(result.headline.npv_gbp, rel=1e-9)
    last = w.iloc[-1]
    assert (last["step"], last["end"]) == ("Net present value", result.headline.npv_gbp)
    assert steps["amount_gbp"].iloc[0] == -result.headline.pv_costs_gbp
    has_cut = any(w["step"].str.startswith("Prevention cut"))
    assert has_cut == (scenario.prevention_cut_per_year > 0)


def test_export_tables_carry_the_rows_they_claim(context, catalogue) -> None:
    result = run(SCENARIO, context, catalogue)
    sim = simulate(SCENARIO, context, catalogue, draws=DRAWS, seed=2)
    frames = export_frames(result, sim, "My scenario", "Somewhere")
    assert list(frames) == [
        "Headline",
        "By partner",
        "The deal",
        "By year",
        "Cash flow",
        "Outcomes",
        "Assumptions",
        "Settings",
    ]
    head = frames["Headline"].set_index("measure")["value"]
    assert head["Scenario"] == "My scenario"
    assert head["Place"] == "Somewhere (E06000001)"
    assert head["Net present value"] == result.headline.npv_gbp
    assert head["Chance NPV > 0"] == sim.p_npv_positive
    assert head["Payback year"] == result.headline.payback_year + context.base_year
    assert isinstance(head["Payback year"], int) and isinstance(head["Base year"], int)
    T = SCENARIO.years
    funded = [i for i in catalogue.intervention_ids if SCENARIO.budgets.get(i, 0) > 0]
    by = frames["By year"]
    assert len(by) == len(funded) * T, "one row per funded intervention and year"
    assert set(by["year of scenario"]) == set(range(T))
    assert set(by["intervention"]) == {catalogue.intervention(i).label for i in funded}
    assert by["investment (£)"].sum() == pytest.approx(result.headline.investment_gbp)
    partner = frames["By partner"]
    assert list(partner["agency"]) == [catalogue.agency_labels[a] for a in catalogue.agencies]
    assert partner["pays (PV, £)"].sum() == pytest.approx(result.headline.pv_costs_gbp)
    settings = frames["Settings"].set_index("setting")["value"]
    assert settings[f"Budget: {catalogue.intervention('reablement').label}"] == 4e5
    assert settings[f"Budget: {catalogue.intervention('stop_smoking').label}"] == 1.5e5
    assert len(frames["Cash flow"]) == len(catalogue.agencies) * T, "one row per agency and year"
    assert len(frames["Outcomes"]) == len(catalogue.outcome_indicators) * T


def test_compare_table_has_one_row_per_scenario(context, catalogue) -> None:
    figs = {}
    for name, sc in {"a": SCENARIO, "b": CUT}.items():
        figs[name] = headline_figures(
            run(sc, context, catalogue), simulate(sc, context, catalogue, draws=DRAWS)
        )
    t = compare_table(figs)
    assert list(t["scenario"]) == ["a", "b"]
    assert list(t["npv_gbp"]) == [figs["a"].npv_gbp, figs["b"].npv_gbp]
    assert list(t["p_npv_positive_pct"]) == [100 * f.p_npv_positive for f in figs.values()]


def test_trajectories_keep_moved_outcomes_with_a_baseline(context, catalogue) -> None:
    result = run(SCENARIO, context, catalogue)
    sim = simulate(SCENARIO, context, catalogue, draws=DRAWS, seed=2)
    traj = outcome_trajectories(result, sim, INDICATORS)
    assert set(traj["indicator_id"]) == {"smoking_pct"}  # moved, and the place has a value
    assert (traj["baseline"] == 12.5).all()
    np.testing.assert_allclose(traj["scenario"], traj["baseline"] + traj["change"])
    assert (traj["low"] <= traj["high"]).all()
    assert (traj["label"] == "Smoking").all()


@pytest.mark.parametrize(
    "q, text",
    [
        (5, "5th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (22, "22nd"),
        (95, "95th"),
        (2.5, "2.5th"),
    ],
)
def test_ordinal(q, text) -> None:
    assert ordinal(q) == text


def test_a_percentage_outcome_never_goes_past_100(catalogue) -> None:
    """A place already at 99.5% of people needing no ongoing support after reablement: a large
    reablement budget cannot take the projection, or its band, above 100% (limits.yaml units
    percent), though the model's change alone would."""
    from dashboard.scenario import PlaceContext

    from .conftest import POPULATION

    ind = "asc_short_term_outcome_pct"
    ctx = PlaceContext.from_arrays("E06000001", POPULATION, outcomes={ind: 99.5})
    sc = Scenario("E06000001", budgets={"reablement": 5e6})
    result = run(sc, ctx, catalogue)
    tot = result.outcome_totals
    one = tot[tot["indicator_id"].astype(str) == ind]
    assert (one["baseline"] + one["change"]).max() > 100, "the case needs a change past 100"
    assert one["projected"].max() == 100.0 and one["projected"].min() >= 99.5
    sim = simulate(sc, ctx, catalogue, draws=DRAWS, seed=3)
    meta = {ind: {"label": "No ongoing support", "unit": "percent", "polarity": "higher"}}
    traj = outcome_trajectories(result, sim, meta)
    assert traj[["scenario", "low", "high"]].max().max() <= 100.0


def test_trajectories_are_the_outcome_totals_joined_to_the_band(context, catalogue) -> None:
    """Every row of the trajectories is the run's outcome totals (baseline, projected value,
    change) for a moved indicator the place has a value for, with the Monte Carlo band of the
    same indicator and year added to the baseline and kept inside the unit's range."""
    from dashboard.scenario.report import pct_name
    from dashboard.scenario.results import within_unit

    budgets = {iv.id: 2e5 for iv in catalogue.interventions}
    sc = Scenario("E06000001", horizon_years=12, budgets=budgets, prevention_cut_per_year=0.02)
    result = run(sc, context, catalogue)
    sim = simulate(sc, context, catalogue, draws=DRAWS, seed=4)
    traj = outcome_trajectories(result, sim, INDICATORS)
    tot = result.outcome_totals.copy()
    tot["indicator_id"] = tot["indicator_id"].astype(str)
    moved = tot["change"].abs().groupby(tot["indicator_id"]).max()
    tot = tot[tot["indicator_id"].isin(moved[moved > 0].index) & tot["baseline"].notna()]
    lo, hi = (pct_name(q) for q in band_percentiles(sim))
    band = sim.outcomes[["indicator_id", "year", lo, hi]].copy()
    band["indicator_id"] = band["indicator_id"].astype(str)
    want = tot.merge(band, on=["indicator_id", "year"], how="left").reset_index(drop=True)
    assert len(want) > 0 and list(traj["indicator_id"]) == list(want["indicator_id"])
    assert list(traj["year"]) == list(want["year"])
    assert list(traj["calendar_year"]) == list(want["calendar_year"])
    np.testing.assert_array_equal(traj["baseline"], want["baseline"])
    np.testing.assert_array_equal(traj["scenario"], want["projected"])
    np.testing.assert_array_equal(traj["change"], want["change"])
    units = want["indicator_id"].map(result.outcome_units)
    low = within_unit(want["baseline"] + want[[lo, hi]].min(axis=1), units)
    high = within_unit(want["baseline"] + want[[lo, hi]].max(axis=1), units)
    np.testing.assert_array_equal(traj["low"], low)
    np.testing.assert_array_equal(traj["high"], high)
    # labels from the indicators given, else the id; a run without a simulation has no band
    named = traj["indicator_id"].isin(INDICATORS)
    assert (traj.loc[~named, "label"] == traj.loc[~named, "indicator_id"]).all()
    flat = outcome_trajectories(result, None, INDICATORS)
    np.testing.assert_array_equal(flat["low"], flat["scenario"])
