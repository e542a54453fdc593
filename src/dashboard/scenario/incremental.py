"""Monte Carlo one intervention at a time, so a changed budget recomputes only its own part.

Interventions do not interact in the model: every money and outcome array is a sum over
interventions (plus the prevention change), and the headline figures are functions of those
sums. With common random numbers (the same seeded draws for every intervention),
:func:`intervention_draws` evaluates one intervention on its own (a one-intervention slice of
the layout, so about 1/I of the work) and :func:`combine` adds the parts and summarises them
exactly as :func:`dashboard.scenario.simulate` does (its ``by_year`` frame is left empty).
A caller caches the parts on (intervention, budget, horizon, overrides): moving one budget
slider then evaluates one intervention.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.scenario.catalogue import Catalogue, Layout
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.finance import benefit_cost_ratio, payback_year
from dashboard.scenario.model import (
    Scenario,
    budget_array,
    check_catalogue,
    evaluate,
    stack_contexts,
    validate_scenario,
)
from dashboard.scenario.uncertainty import (
    Simulation,
    _pct_names,
    _percentiles,
    draw_theta,
    headline_table,
)


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


def _sub_layout(lay: Layout, i: int) -> Layout:
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
            "funder",
        )
    }
    return replace(
        lay,
        **one,
        j_value=lay.j_value[j],
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


def _part(arr: dict[str, np.ndarray]) -> Part:
    return Part(
        pv_cost=arr["pv_cost"][0],
        pv_benefit=arr["pv_benefit"][0],
        pv_cash=arr["pv_cash"][0],
        npv_prevention=arr["npv_prevention"][0],
        cost_t=arr["cost_t"][0],
        benefit_t=arr["benefit_t"][0],
        outcome_x=arr["outcome_x"][0],
        df=arr["df"],
    )


def intervention_draws(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    intervention: str | None,
    *,
    draws: int,
    seed: int,
) -> Part:
    """Per-draw contribution of ``intervention`` at its budget in ``scenario``; with
    ``intervention=None``, of the scenario's prevention cut (no investment)."""
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    theta = draw_theta(catalogue, scenario.overrides, draws, seed)
    T = scenario.years
    places = stack_contexts([context], catalogue, T)
    kw = dict(n_agencies=len(catalogue.agencies), n_indicators=len(catalogue.outcome_indicators))
    if intervention is None:
        zero = np.zeros((1, len(catalogue.interventions), T))
        lay = catalogue.layout
        arr = evaluate(lay, theta, places, zero, float(scenario.prevention_cut_per_year), T, **kw)
        return _part(arr)
    i = catalogue.intervention_ids.index(intervention)
    budgets = budget_array(scenario, catalogue, places, T)[:, [i], :]
    arr = evaluate(_sub_layout(catalogue.layout, i), theta, places, budgets, 0.0, T, **kw)
    return _part(arr)


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
    qs = catalogue.monte_carlo.percentiles
    names = _pct_names(qs)
    headline = headline_table(samples, qs)
    ox = tot["outcome_x"]  # (D, X, T)
    T = ox.shape[-1]
    opct = _percentiles(ox, qs, axis=0)
    X = ox.shape[1]
    oframe: dict[str, object] = {
        "indicator_id": np.repeat(catalogue.outcome_indicators, T),
        "year": np.tile(np.arange(T), X),
    }
    oframe.update({n: opct[k].reshape(-1) for k, n in enumerate(names)})
    outcomes = pd.DataFrame(oframe)
    outcomes["calendar_year"] = outcomes["year"] + context.base_year
    return Simulation(
        draws=draws,
        seed=seed,
        percentiles=tuple(qs),
        headline=headline,
        by_year=pd.DataFrame(),
        outcomes=outcomes,
        p_npv_positive=float(np.mean(samples["npv_gbp"] > 0)),
        p_payback_within_horizon=float(np.mean(np.isfinite(samples["payback_year"]))),
        samples=samples,
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
    """The one-part scenario :func:`intervention_draws` evaluates for ``intervention``."""
    budgets = {} if intervention is None else {intervention: scenario.budgets[intervention]}
    return Scenario(
        place_code=scenario.place_code,
        horizon_years=scenario.horizon_years,
        budgets=budgets,
        budget_basis=scenario.budget_basis,
        invest_years=scenario.invest_years,
        prevention_cut_per_year=scenario.prevention_cut_per_year if intervention is None else 0.0,
        overrides=dict(scenario.overrides),
    )
