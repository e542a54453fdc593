"""One intervention at a time adds up to the whole Monte Carlo run, draw for draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.scenario import Scenario, simulate
from dashboard.scenario.engine import intervention_draws
from dashboard.scenario.incremental import combine, part_keys, part_scenario

DRAWS = 300


def parts_for(scenario, context, catalogue):
    return [
        intervention_draws(
            part_scenario(scenario, iid), context, catalogue, iid, draws=DRAWS, seed=3
        )
        for iid, _ in part_keys(scenario)
    ]


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario("E06000001", budgets={"reablement": 4e5, "stop_smoking": 1e5}),
        Scenario(
            "E06000001",
            horizon_years=15,
            budgets={"early_help": 2e6, "ips_employment": 3e5},
            prevention_cut_per_year=0.05,
        ),
        Scenario(
            "E06000001",
            budgets={"falls_prevention": 5e4},
            overrides={"interventions.falls_prevention.success_rate": 0.3},
        ),
        Scenario("E06000001", horizon_years=8, prevention_cut_per_year=0.1),
        Scenario(
            "E06000001",
            horizon_years=12,
            budgets={"ips_employment": 9e5, "family_group_conferencing": 4e5, "reablement": 2e5},
            invest_years=6,
            years_of_investment={"ips_employment": 10, "reablement": 2},
        ),
    ],
)
def test_parts_add_up_to_simulate(scenario, context, catalogue) -> None:
    whole = simulate(scenario, context, catalogue, draws=DRAWS, seed=3)
    summed = combine(
        parts_for(scenario, context, catalogue), catalogue, context, draws=DRAWS, seed=3
    )
    for m in whole.samples:
        np.testing.assert_allclose(
            summed.samples[m], whole.samples[m], rtol=1e-9, atol=1e-6, err_msg=m
        )
    pd.testing.assert_frame_equal(summed.headline, whole.headline, rtol=1e-9, atol=1e-6)
    pd.testing.assert_frame_equal(summed.outcomes, whole.outcomes, rtol=1e-9, atol=1e-9)
    assert summed.p_npv_positive == whole.p_npv_positive
    assert summed.p_payback_within_horizon == whole.p_payback_within_horizon


def test_a_part_depends_only_on_its_own_budget(context, catalogue) -> None:
    a = intervention_draws(
        Scenario("E06000001", budgets={"reablement": 1e5}),
        context,
        catalogue,
        "reablement",
        draws=50,
        seed=1,
    )
    b = intervention_draws(
        Scenario("E06000001", budgets={"reablement": 2e5}),
        context,
        catalogue,
        "reablement",
        draws=50,
        seed=1,
    )
    assert (b.pv_cost > a.pv_cost).all(), "more budget, more spent in every draw"


def test_assembled_simulation_equals_simulate_and_reuses_cached_parts(context, catalogue) -> None:
    """The engine's assembly from (cached) per-intervention parts is the full Monte Carlo run,
    and changing one budget recomputes only that intervention's part."""
    from dashboard.scenario import simulate_assembled

    cache: dict = {}
    computed: list = []

    def part(sub, which):
        key = (which, tuple(sorted(sub.budgets.items())))
        if key not in cache:
            computed.append(which)
            cache[key] = intervention_draws(sub, context, catalogue, which, draws=DRAWS, seed=3)
        return cache[key]

    one = Scenario("E06000001", budgets={"reablement": 4e5, "stop_smoking": 1e5})
    two = one.with_budgets({"reablement": 4e5, "stop_smoking": 2e5})
    for scenario in (one, two):
        whole = simulate(scenario, context, catalogue, draws=DRAWS, seed=3)
        built = simulate_assembled(scenario, context, catalogue, draws=DRAWS, seed=3, part=part)
        for m in whole.samples:
            np.testing.assert_allclose(built.samples[m], whole.samples[m], rtol=1e-9, atol=1e-6)
        pd.testing.assert_frame_equal(built.headline, whole.headline, rtol=1e-9, atol=1e-6)
        pd.testing.assert_frame_equal(built.outcomes, whole.outcomes, rtol=1e-9, atol=1e-9)
        assert built.p_npv_positive == whole.p_npv_positive
    assert computed == ["reablement", "stop_smoking", "stop_smoking"]
    nothing = Scenario("E06000001")
    empty = simulate_assembled(nothing, context, catalogue, draws=DRAWS, seed=3, part=part)
    assert not empty.by_year.empty, "nothing to assemble: the full run, by year included"


def test_a_part_keeps_only_totals_and_they_equal_the_full_runs(context, catalogue) -> None:
    """A Monte Carlo part computes no per-agency split, BCR or payback, and the totals it
    keeps are the full run's to the last bit."""
    from dashboard.scenario.core import evaluate, stack_contexts
    from dashboard.scenario.engine import budget_array
    from dashboard.scenario.uncertainty import draw_theta

    scenario = Scenario("E06000001", budgets={"reablement": 4e5, "early_help": 1e6})
    T = scenario.years
    theta = draw_theta(catalogue, scenario.overrides, DRAWS, 3)
    places = stack_contexts([context], catalogue, T)
    budgets = budget_array(scenario, catalogue, places, T)
    kw = dict(n_agencies=len(catalogue.agencies), n_indicators=len(catalogue.outcome_indicators))
    full = evaluate(catalogue.layout, theta, places, budgets, 0.0, T, **kw)
    lean = evaluate(catalogue.layout, theta, places, budgets, 0.0, T, totals=True, **kw)
    for name in ("pv_cost", "pv_benefit", "pv_cash", "cost_t", "benefit_t", "df"):
        np.testing.assert_array_equal(getattr(lean.money, name), getattr(full.money, name))
    np.testing.assert_array_equal(lean.outcomes.per_indicator, full.outcomes.per_indicator)
    assert full.money.cost_a is not None and full.money.payback is not None
    assert lean.money.cost_a is None and lean.money.benefit_a is None
    assert lean.money.bcr is None and lean.money.payback is None


def test_the_parts_of_a_scenario_share_what_depends_only_on_its_draws(context, catalogue) -> None:
    """Growth and discount factors are worked out once for a scenario's draws (read-only,
    shared by its parts); draws a caller can still change are never kept; the store is
    bounded."""
    from dashboard.scenario import core

    scenario = Scenario("E06000001", budgets={"reablement": 4e5, "stop_smoking": 1e5})
    core._FROM_THETA.clear()
    first, second = parts_for(scenario, context, catalogue)
    assert first.df is second.df and not first.df.flags.writeable
    kept = len(core._FROM_THETA)
    assert kept >= 3  # growth, discount factors, and each part's kernel
    calls = []
    mine = np.ones((4, 3))  # writeable: built every time, never kept
    for _ in range(2):
        core._of_theta(mine, ("probe",), lambda: calls.append(1) or np.zeros(2))
    assert len(calls) == 2 and len(core._FROM_THETA) == kept
    for k in range(core.THETA_KEPT + 5):
        theta = np.ones((2, 2))
        theta.setflags(write=False)
        core._of_theta(theta, ("probe", k), lambda: np.zeros(1))
    assert len(core._FROM_THETA) == core.THETA_KEPT
