"""Split a total annual budget across interventions to maximise NPV or an outcome.

Interventions do not interact, and each one's response to its own annual budget ``x`` is
piecewise linear: people reached in year s is ``min(x / cost, cohort_s)``, so the kinks sit at
``cost x cohort_s`` and the response is flat beyond the largest (the cohort cap). The model
itself is evaluated at every kink (one vectorised call), and the split is a linear programme
over the segments (HiGHS). Where a response is not concave (a later, steeper segment), binary
variables force segments to fill in order (a small MILP). Central parameter values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.model import (
    Scenario,
    central_theta,
    check_catalogue,
    evaluate,
    stack_contexts,
    validate_scenario,
)


@dataclass(frozen=True)
class Response:
    """One intervention's objective at its kinks: ``budgets`` (£ per year, from 0 to the
    cohort cap) and ``values`` (objective units: £ for NPV, the indicator's unit for an
    outcome, signed so that more is better)."""

    intervention: str
    budgets: np.ndarray
    values: np.ndarray

    def __call__(self, x: float | np.ndarray) -> np.ndarray:
        """Objective at annual budget ``x`` (flat beyond the cap)."""
        return np.interp(x, self.budgets, self.values)

    @property
    def cap_gbp(self) -> float:
        """Annual budget beyond which nobody more can be reached (£ per year)."""
        return float(self.budgets[-1])


@dataclass(frozen=True)
class Allocation:
    """Best split of ``budget_gbp`` (£ per year): ``allocation`` maps intervention -> £ per
    year; ``objective_value`` in the objective's units; ``unallocated_gbp`` is budget that no
    intervention can use to advantage (caps reached, or every further use loses value)."""

    objective: str
    budget_gbp: float
    allocation: dict[str, float]
    objective_value: float
    unallocated_gbp: float
    solver: str

    def scenario(self, base: Scenario) -> Scenario:
        """``base`` with this allocation as its budgets (in £ per year)."""
        return Scenario(
            place_code=base.place_code,
            horizon_years=base.horizon_years,
            budgets=dict(self.allocation),
            budget_basis="gbp",
            invest_years=base.invest_years,
            prevention_cut_per_year=base.prevention_cut_per_year,
            overrides=dict(base.overrides),
            preset=None,
        )


def _objective_sign(catalogue: Catalogue, objective: str) -> int:
    if objective == "npv":
        return 1
    for iv in catalogue.interventions:
        for oe in iv.outcomes:
            if oe.indicator_id == objective:
                if oe.polarity == "neutral":
                    raise ScenarioError(
                        f"indicator '{objective}' has neutral polarity", parameter="objective"
                    )
                return 1 if oe.polarity == "higher_is_better" else -1
    raise ScenarioError(
        f"objective must be 'npv' or an outcome indicator of the catalogue "
        f"({', '.join(catalogue.outcome_indicators)}), got '{objective}'",
        parameter="objective",
    )


def response_curves(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> list[Response]:
    """Each chosen intervention's objective against its annual budget, at its kinks.

    ``objective``: ``"npv"`` (£, whole horizon) or an outcome indicator id (its change in the
    final year of the horizon, signed so that an improvement is positive).
    """
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    sign = _objective_sign(catalogue, objective)
    ids = list(interventions) if interventions is not None else list(catalogue.intervention_ids)
    index = {iid: k for k, iid in enumerate(catalogue.intervention_ids)}
    for iid in ids:
        if iid not in index:
            raise ScenarioError(f"unknown intervention '{iid}'", parameter="interventions")
    T = scenario.years
    invest = T if scenario.invest_years is None else min(int(scenario.invest_years), T)
    theta = central_theta(catalogue, scenario.overrides)
    lay = catalogue.layout
    kw = dict(n_agencies=len(catalogue.agencies), n_indicators=len(catalogue.outcome_indicators))
    one = stack_contexts([context], catalogue, T)
    I = len(catalogue.interventions)  # noqa: E741
    zero = evaluate(lay, theta, one, np.zeros((1, I, T)), 0.0, T, **kw)
    cost = theta[0, lay.i_cost]
    caps = cost[:, None] * zero["cohort"][0, 0]  # (I, T) £ at which year s is capped
    kinks = []
    for iid in ids:
        i = index[iid]
        pts = np.unique(np.concatenate([[0.0], caps[i, :invest]])) if invest else np.array([0.0])
        kinks.append(pts)
    G = max(len(k) for k in kinks)
    grid = np.zeros((G, I, T))
    active = (np.arange(T) < invest).astype(float)
    for iid, pts in zip(ids, kinks, strict=True):
        col = np.concatenate([pts, np.full(G - len(pts), pts[-1])])
        grid[:, index[iid], :] = col[:, None] * active[None, :]
    places = stack_contexts([context] * G, catalogue, T)
    arr = evaluate(lay, theta, places, grid, 0.0, T, **kw)
    out = []
    for iid, pts in zip(ids, kinks, strict=True):
        i = index[iid]
        if objective == "npv":
            vals = arr["npv_i"][:, 0, i]
        else:
            mine = [
                k
                for k, (ki, kx) in enumerate(zip(lay.k_intervention, lay.k_indicator, strict=True))
                if ki == i and catalogue.outcome_indicators[kx] == objective
            ]
            vals = sign * arr["outcome_k"][:, 0, mine, T - 1].sum(axis=1) if mine else np.zeros(G)
        out.append(Response(iid, pts.copy(), np.asarray(vals[: len(pts)], dtype=float)))
    return out


def allocate(
    responses: Sequence[Response], budget_gbp: float, objective: str = "npv"
) -> Allocation:
    """Best split of ``budget_gbp`` (£ per year) given each intervention's response curve."""
    if not budget_gbp >= 0:
        raise ScenarioError("must be zero or more", parameter="budget_gbp")
    lengths, slopes, owner = [], [], []
    for r, resp in enumerate(responses):
        dx = np.diff(resp.budgets)
        dv = np.diff(resp.values)
        keep = dx > 0
        lengths.append(dx[keep])
        slopes.append(dv[keep] / dx[keep])
        owner.extend([r] * int(keep.sum()))
    n = len(owner)
    if n == 0 or budget_gbp == 0:
        return Allocation(
            objective,
            float(budget_gbp),
            {r.intervention: 0.0 for r in responses},
            float(sum(r.values[0] for r in responses)),
            float(budget_gbp),
            "trivial",
        )
    length = np.concatenate(lengths)
    slope = np.concatenate(slopes)
    concave = all(np.all(np.diff(s) <= 1e-12 * (1 + np.abs(s[:-1]))) for s in slopes if len(s) > 1)
    if concave:
        res = linprog(
            -slope,
            A_ub=np.ones((1, n)),
            b_ub=[budget_gbp],
            bounds=list(zip(np.zeros(n), length, strict=True)),
            method="highs",
        )
        if res.status != 0:
            raise ScenarioError(f"the optimiser failed: {res.message}", parameter="budget_gbp")
        delta = res.x
        solver = "linprog (HiGHS)"
    else:
        # variables: delta (n, continuous) then z (one per segment but the last of each owner)
        z_of = []
        start = 0
        for seg in lengths:
            z_of.extend(range(start, start + len(seg) - 1))
            start += len(seg)
        m = len(z_of)
        rows, lb, ub = [], [], []
        budget_row = np.concatenate([np.ones(n), np.zeros(m)])
        rows.append(budget_row)
        lb.append(-np.inf)
        ub.append(budget_gbp)
        for zk, seg in enumerate(z_of):
            # segment seg full when z = 1: delta_seg - len_seg * z >= 0
            r1 = np.zeros(n + m)
            r1[seg] = 1.0
            r1[n + zk] = -length[seg]
            rows.append(r1)
            lb.append(0.0)
            ub.append(np.inf)
            # next segment only when z = 1: delta_next - len_next * z <= 0
            r2 = np.zeros(n + m)
            r2[seg + 1] = 1.0
            r2[n + zk] = -length[seg + 1]
            rows.append(r2)
            lb.append(-np.inf)
            ub.append(0.0)
        c = np.concatenate([-slope, np.zeros(m)])
        res = milp(
            c,
            constraints=LinearConstraint(np.vstack(rows), lb, ub),
            integrality=np.concatenate([np.zeros(n), np.ones(m)]),
            bounds=Bounds(np.zeros(n + m), np.concatenate([length, np.ones(m)])),
        )
        if res.status != 0:
            raise ScenarioError(f"the optimiser failed: {res.message}", parameter="budget_gbp")
        delta = res.x[:n]
        solver = "milp (HiGHS)"
    owner_arr = np.asarray(owner)
    alloc = {r.intervention: 0.0 for r in responses}
    for r, resp in enumerate(responses):
        alloc[resp.intervention] = float(delta[owner_arr == r].sum())
    value = float(sum(resp(alloc[resp.intervention]) for resp in responses))
    spent = sum(alloc.values())
    return Allocation(objective, float(budget_gbp), alloc, value, float(budget_gbp - spent), solver)


def optimise(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    budget_gbp: float,
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> Allocation:
    """Split ``budget_gbp`` (£ per year) across ``interventions`` to maximise ``objective``.

    ``objective`` is ``"npv"`` (£ over the horizon) or an outcome indicator id (improvement in
    the final year, in the indicator's unit). Uses the scenario's horizon, invest_years and
    overrides; its own budgets are ignored.
    """
    curves = response_curves(
        scenario, context, catalogue, interventions=interventions, objective=objective
    )
    return allocate(curves, budget_gbp, objective)


def budget_curve(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    budgets_gbp: Sequence[float],
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> pd.DataFrame:
    """The best objective against total annual budget: one row per budget and intervention
    with ``budget_gbp``, ``objective_value``, ``intervention``, ``allocation_gbp`` (£ per
    year) and ``unallocated_gbp``."""
    curves = response_curves(
        scenario, context, catalogue, interventions=interventions, objective=objective
    )
    rows = []
    for b in budgets_gbp:
        a = allocate(curves, float(b), objective)
        for iid, v in a.allocation.items():
            rows.append(
                {
                    "budget_gbp": float(b),
                    "objective": objective,
                    "objective_value": a.objective_value,
                    "intervention": iid,
                    "allocation_gbp": v,
                    "unallocated_gbp": a.unallocated_gbp,
                }
            )
    return pd.DataFrame(rows)
