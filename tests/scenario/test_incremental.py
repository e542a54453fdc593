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
