"""The optimiser against brute force on small cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from dashboard.scenario import Scenario, ScenarioError, budget_curve, optimise, response_curves, run
from dashboard.scenario.optimise import Response, allocate


def _brute(curves, budget, steps=40):
    grids = [np.linspace(0, min(c.cap_gbp, budget), steps + 1) for c in curves]
    best = -np.inf
    for combo in itertools.product(*grids):
        if sum(combo) <= budget * (1 + 1e-12):
            best = max(best, sum(c(x) for c, x in zip(curves, combo, strict=True)))
    return best


@pytest.mark.parametrize("budget", [2e5, 1e6, 3e6])
@pytest.mark.parametrize(
    "ids",
    [
        ["reablement", "ips_employment"],
        ["family_group_conferencing", "homelessness_prevention", "weight_management"],
    ],
)
def test_npv_optimum_beats_brute_force_and_matches_the_model(
    catalogue, context, ids, budget
) -> None:
    sc = Scenario(context.place_code, 8)
    curves = response_curves(sc, context, catalogue, interventions=ids)
    best = optimise(sc, context, catalogue, budget, interventions=ids)
    assert best.objective_value >= _brute(curves, budget) - 1e-6 * abs(best.objective_value)
    assert sum(best.allocation.values()) <= budget * (1 + 1e-9)
    for c in curves:
        assert best.allocation[c.intervention] <= c.cap_gbp * (1 + 1e-9)
    r = run(best.scenario(sc), context, catalogue)
    assert r.headline.npv_gbp == pytest.approx(best.objective_value, rel=1e-6, abs=1e-3)


def test_outcome_objective(catalogue, context) -> None:
    sc = Scenario(context.place_code, 6)
    best = optimise(sc, context, catalogue, 5e5, objective="smoking_pct")
    assert best.allocation["stop_smoking"] > 0
    assert sum(v for k, v in best.allocation.items() if k != "stop_smoking") == 0
    r = run(best.scenario(sc), context, catalogue)
    # the objective is the change in the final year of the horizon (year 6 of 0..6)
    change = r.outcome_totals.set_index(["indicator_id", "year"]).loc[("smoking_pct", 6), "change"]
    assert -change == pytest.approx(best.objective_value)
    with pytest.raises(ScenarioError) as err:
        optimise(sc, context, catalogue, 1e5, objective="imd_score")
    assert err.value.parameter == "objective"


def test_non_concave_responses_use_the_milp() -> None:
    # convex then flat: the first segment is worse than the second
    a = Response("a", np.array([0.0, 10.0, 20.0]), np.array([0.0, 1.0, 12.0]))
    b = Response("b", np.array([0.0, 20.0]), np.array([0.0, 10.0]))
    for budget in (5.0, 10.0, 15.0, 20.0, 30.0, 40.0):
        best = allocate([a, b], budget)
        assert best.solver.startswith("milp")
        assert best.objective_value >= _brute([a, b], budget, steps=80) - 1e-9


def test_budget_curve_never_falls(catalogue, context) -> None:
    sc = Scenario(context.place_code, 10)
    curve = budget_curve(sc, context, catalogue, np.linspace(0, 1e7, 11))
    best = curve.groupby("budget_gbp")["objective_value"].first().to_numpy()
    assert best[0] == 0
    assert np.all(np.diff(best) >= -1e-6)
    spent = curve.groupby("budget_gbp")["allocation_gbp"].sum()
    assert np.all(spent.to_numpy() <= spent.index.to_numpy() + 1e-6)


@pytest.mark.parametrize("iid", ["ips_employment", "family_group_conferencing", "reablement"])
def test_response_curves_are_exact_between_their_kinks(catalogue, context, iid) -> None:
    """A stock's cap depends on the years before (its kinks move with the budget); the curve
    read at any budget, between kinks or beyond the cap, is the model run at that budget."""
    sc = Scenario(context.place_code, 12, years_of_investment={iid: 9})
    (curve,) = response_curves(sc, context, catalogue, interventions=[iid])
    assert catalogue.intervention(iid).cohort_kind == ("flow" if iid == "reablement" else "stock")
    for x in np.linspace(0, 1.3 * curve.cap_gbp, 23):
        r = run(
            Scenario(context.place_code, 12, {iid: x}, years_of_investment={iid: 9}),
            context,
            catalogue,
        )
        assert float(curve(x)) == pytest.approx(r.headline.npv_gbp, rel=1e-9, abs=1e-3), x
    # nothing more is reached beyond the cap
    spent = run(
        Scenario(context.place_code, 12, {iid: 2 * curve.cap_gbp}, years_of_investment={iid: 9}),
        context,
        catalogue,
    ).headline.investment_gbp
    at_cap = run(
        Scenario(context.place_code, 12, {iid: curve.cap_gbp}, years_of_investment={iid: 9}),
        context,
        catalogue,
    ).headline.investment_gbp
    assert spent == pytest.approx(at_cap)


def test_stock_kinks_of_a_constant_group_sit_at_cost_times_stock_over_k() -> None:
    from dashboard.scenario.optimise import stock_kinks

    # a group of 100 people at £10 each, spent on in years 1-4 (year 0 is the base year): the
    # cumulative reach after year t is min(t x / 10, 100), bending at x = 1000 / k
    pts = stock_kinks(np.full(5, 100.0), 10.0, np.array([0, 1, 1, 1, 1]))
    assert pts == pytest.approx([0.0, 250.0, 1000 / 3, 500.0, 1000.0])
