"""Monte Carlo one intervention at a time, so a changed budget recomputes only its own part.

Interventions do not interact in the model: every money and outcome array is a sum over
interventions (plus the prevention change), and the headline figures are functions of those
sums. With common random numbers (the same seeded draws for every intervention),
:func:`dashboard.scenario.engine.intervention_draws` evaluates one intervention on its own (a
one-intervention slice of the layout, :func:`sub_layout`, so about 1/I of the work) and
:func:`combine` adds the parts and summarises them exactly as
:func:`dashboard.scenario.engine.simulate` does (its ``by_year`` frame is left empty).
:func:`dashboard.scenario.engine.simulate_assembled` does both and lets a caller cache the
parts on (intervention, budget, horizon, overrides): moving one budget slider then evaluates
one intervention. This module is pure bookkeeping; it never evaluates the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.scenario.catalogue import Catalogue, Layout
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.core import Core
from dashboard.scenario.finance import benefit_cost_ratio, payback_year
from dashboard.scenario.spec import Scenario
from dashboard.scenario.uncertainty import Simulation, summarise_samples


@dataclass(frozen=True, eq=False)
class Part:
    """One intervention's (or the prevention change's) per-draw contribution: present values
    in £ (D,), yearly cost and benefit in £ (D, T), outcome changes (D, X, T) in each
    indicator's unit; ``df`` the discount factors (D, T)."""

    pv_cost: np.ndarray
    pv_benefit: np.ndarray
    pv_cash: np.ndarray
    npv_prevention: np.ndarray
    cost_t: np.ndarray
    benefit_t: np.ndarray
    outcome_x: np.ndarray
    df: np.ndarray


def sub_layout(lay: Layout, i: int) -> Layout:
    """The layout of intervention ``i`` alone (avoided costs and outcome effects re-indexed)."""
    j = lay.j_intervention == i
    k = lay.k_intervention == i
    one = {
        name: getattr(lay, name)[[i]]
        for name in (
            "i_cost",
            "i_engagement",
            "i_success",
            "i_deadweight",
            "i_attribution",
            "i_lag",
            "i_dropoff",
            "i_cohort_share",
            "i_optimism",
            "cohort_mask",
            "i_stock",
            "funder",
        )
    }
    e = j[lay.e_item]  # the events of the kept avoided-cost items, re-indexed to them
    return replace(
        lay,
        **one,
        j_value=lay.j_value[j],
        j_fixed=lay.j_fixed[j],
        e_count=lay.e_count[e],
        e_unit_cost=lay.e_unit_cost[e],
        e_item=(np.cumsum(j) - 1)[lay.e_item[e]].astype(np.intp),
        j_cashable=lay.j_cashable[j],
        j_intervention=np.zeros(int(j.sum()), dtype=np.intp),
        j_agency=lay.j_agency[j],
        k_per_success=lay.k_per_success[k],
        k_share=lay.k_share[k],
        k_intervention=np.zeros(int(k.sum()), dtype=np.intp),
        k_indicator=lay.k_indicator[k],
        k_scale=lay.k_scale[k],
        k_new=lay.k_new[k],
        k_mask=lay.k_mask[k],
    )


def part_of(core: Core) -> Part:
    """The per-draw contribution of the first place of an evaluation."""
    m = core.money
    return Part(
        pv_cost=m.pv_cost[0],
        pv_benefit=m.pv_benefit[0],
        pv_cash=m.pv_cash[0],
        npv_prevention=core.npv_prevention[0],
        cost_t=m.cost_t[0],
        benefit_t=m.benefit_t[0],
        outcome_x=core.outcomes.per_indicator[0],
        df=m.df,
    )


def combine(
    parts: Sequence[Part],
    catalogue: Catalogue,
    context: PlaceContext,
    *,
    draws: int,
    seed: int | None,
) -> Simulation:
    """Add the parts and summarise them as :func:`dashboard.scenario.simulate` does (same
    headline, outcomes and probabilities; ``by_year`` empty)."""
    first = parts[0]
    tot = {
        f: sum((getattr(p, f) for p in parts[1:]), start=getattr(first, f).copy())
        for f in (
            "pv_cost",
            "pv_benefit",
            "pv_cash",
            "npv_prevention",
            "cost_t",
            "benefit_t",
            "outcome_x",
        )
    }
    samples = {
        "npv_gbp": tot["pv_benefit"] - tot["pv_cost"] + tot["npv_prevention"],
        "bcr": benefit_cost_ratio(tot["pv_benefit"], tot["pv_cost"]),
        "pv_costs_gbp": tot["pv_cost"],
        "pv_benefits_gbp": tot["pv_benefit"],
        "pv_cashable_benefits_gbp": tot["pv_cash"],
        "npv_prevention_change_gbp": tot["npv_prevention"],
        "payback_year": np.asarray(
            payback_year(tot["benefit_t"], tot["cost_t"], first.df), dtype=float
        ),
    }
    return summarise_samples(
        samples,
        tot["outcome_x"],
        catalogue,
        context,
        draws=draws,
        seed=seed,
        by_year=pd.DataFrame(),
    )


def part_keys(scenario: Scenario) -> list[tuple[str | None, Mapping[str, float]]]:
    """The parts a scenario needs: each funded intervention, and any prevention cut (None)."""
    keys: list[tuple[str | None, Mapping[str, float]]] = [
        (iid, {iid: v}) for iid, v in sorted(scenario.budgets.items()) if v > 0
    ]
    if scenario.prevention_cut_per_year > 0:
        keys.append((None, {}))
    return keys


def part_scenario(scenario: Scenario, intervention: str | None) -> Scenario:
    """The one-part scenario that :func:`dashboard.scenario.engine.intervention_draws`
    evaluates for ``intervention``."""
    budgets = {} if intervention is None else {intervention: scenario.budgets[intervention]}
    own = scenario.years_of_investment.get(intervention) if intervention is not None else None
    return Scenario(
        place_code=scenario.place_code,
        horizon_years=scenario.horizon_years,
        budgets=budgets,
        budget_basis=scenario.budget_basis,
        invest_years=scenario.invest_years,
        prevention_cut_per_year=scenario.prevention_cut_per_year if intervention is None else 0.0,
        overrides=dict(scenario.overrides),
        years_of_investment={} if own is None else {intervention: own},
    )
