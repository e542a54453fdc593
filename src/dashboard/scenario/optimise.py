"""Split a total annual budget across interventions to maximise NPV or an outcome.

Interventions do not interact, and each one's response to its own annual budget ``x`` (spent
in each of its years of investment, from year 1) is piecewise linear, because every result is
linear in the people reached each year and those are piecewise linear in ``x``:

- a flow cohort reaches ``min(x / cost, cohort_t)`` in year t, so the kinks sit at
  ``cost x cohort_t``;
- a stock reaches ``min(x / cost, max(stock_t - reached before t, 0))``: the cap depends on
  the earlier years, so the kinks move with ``x`` (for a constant stock S they sit at
  ``cost x S / k`` for k = 1 .. years). :func:`stock_kinks` follows the cumulative number
  reached as a piecewise-linear function of ``x`` year by year and keeps every breakpoint,
  so the kink grid stays exact (no fine grid needed).

The response is flat beyond the largest kink (the cap). The model itself is evaluated at every
kink (one vectorised call), and the split is a linear programme over the segments (HiGHS).
Where a response is not concave (a later, steeper segment, e.g. a stock whose last years were
loss-making), binary variables force segments to fill in order (a small MILP). Central
parameter values.

This module is pure: :func:`dashboard.scenario.engine.response_curves` evaluates the model at
the kinks (:func:`kinks`, :func:`kink_grid`) and reads the curves back (:func:`read_responses`);
:func:`allocate` splits a budget over them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.core import Core
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.spec import Scenario


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
            years_of_investment=dict(base.years_of_investment),
        )


def objective_sign(catalogue: Catalogue, objective: str) -> int:
    """+1 when more of ``objective`` is better (NPV, a higher-is-better indicator), else -1."""
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


def check_interventions(catalogue: Catalogue, ids: Sequence[str] | None) -> list[str]:
    """The interventions to optimise over (all when None); refuses an unknown id."""
    out = list(ids) if ids is not None else list(catalogue.intervention_ids)
    known = set(catalogue.intervention_ids)
    for iid in out:
        if iid not in known:
            raise ScenarioError(f"unknown intervention '{iid}'", parameter="interventions")
    return out


def stock_kinks(stock: np.ndarray, cost: float, active: np.ndarray) -> np.ndarray:
    """Budgets (£ per year) at which a stock cohort's people reached bend, 0 and the cap
    included: ``stock`` (T,) the group's size each year before anyone is reached (people),
    ``cost`` £ per person, ``active`` (T,) 1 in the years of spending.

    The cumulative number reached after year t, as a function of the budget x, is
    ``cum_t = min(cum_{t-1} + x / cost, max(stock_t, cum_{t-1}))`` in a year of spending:
    piecewise linear, with new breakpoints only where ``cum_{t-1} + x / cost = stock_t`` or
    ``cum_{t-1} = stock_t`` on a segment of ``cum_{t-1}``; both are found exactly."""
    top = float(cost * max(float(np.max(stock)) if stock.size else 0.0, 0.0))
    if top <= 0 or not np.any(active):
        return np.array([0.0])
    xs = np.array([0.0, top])
    cum = np.zeros(2)
    for s_t, on in zip(stock, active, strict=True):
        if not on:
            continue
        roots = []
        for level, slope in ((s_t, 1.0 / cost), (s_t, 0.0)):
            # cum(x) + slope * x = level on each segment [xs[k], xs[k+1]]
            f = cum + slope * xs - level
            k = np.flatnonzero(f[:-1] * f[1:] < 0)
            roots.append(xs[k] + (xs[k + 1] - xs[k]) * f[k] / (f[k] - f[k + 1]))
        xs_new = np.unique(np.concatenate([xs, *roots]))
        prev = np.interp(xs_new, xs, cum)
        xs, cum = xs_new, np.minimum(prev + xs_new / cost, np.maximum(s_t, prev))
    return xs


def kinks(
    cohort: np.ndarray,
    cost: np.ndarray,
    stock: np.ndarray,
    active: np.ndarray,
    rows: Sequence[int],
) -> list[np.ndarray]:
    """Budgets (£ per year) at which each chosen intervention's response bends, from 0 to its
    cap: ``cohort`` (I, T) people eligible with nothing spent (a stock's whole group),
    ``cost`` (I,) £ per person, ``stock`` (I,) True for a stock cohort, ``active`` (I, T) 1 in
    the years of spending. A flow bends at ``cost x cohort_t`` in each year of spending; a
    stock where :func:`stock_kinks` says."""
    out = []
    for i in rows:
        on = active[i] > 0
        if not on.any():
            out.append(np.array([0.0]))
        elif stock[i]:
            out.append(stock_kinks(cohort[i], float(cost[i]), on))
        else:
            out.append(np.unique(np.concatenate([[0.0], cost[i] * cohort[i, on]])))
    return out


def kink_grid(points: Sequence[np.ndarray], rows: Sequence[int], active: np.ndarray) -> np.ndarray:
    """Budgets (G, I, T) to evaluate: row g funds every chosen intervention at its g-th kink
    (its last kink repeated beyond its count) in its years of spending (``active`` (I, T))."""
    G = max(len(k) for k in points)
    grid = np.zeros((G,) + active.shape)
    for i, pts in zip(rows, points, strict=True):
        col = np.concatenate([pts, np.full(G - len(pts), pts[-1])])
        grid[:, i, :] = col[:, None] * active[i][None, :]
    return grid


def read_responses(
    core: Core,
    catalogue: Catalogue,
    ids: Sequence[str],
    points: Sequence[np.ndarray],
    objective: str,
    years: int,
) -> list[Response]:
    """Each intervention's objective at its kinks from an evaluation of :func:`kink_grid`."""
    sign = objective_sign(catalogue, objective)
    lay = catalogue.layout
    index = {iid: k for k, iid in enumerate(catalogue.intervention_ids)}
    G = core.npv.shape[0]
    out = []
    for iid, pts in zip(ids, points, strict=True):
        i = index[iid]
        if objective == "npv":
            vals = core.money.npv_i[:, 0, i]
        else:
            mine = [
                k
                for k, (ki, kx) in enumerate(zip(lay.k_intervention, lay.k_indicator, strict=True))
                if ki == i and catalogue.outcome_indicators[kx] == objective
            ]
            effect = core.outcomes.per_effect
            vals = sign * effect[:, 0, mine, years - 1].sum(axis=1) if mine else np.zeros(G)
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


def curve_table(
    curves: Sequence[Response], budgets_gbp: Sequence[float], objective: str = "npv"
) -> pd.DataFrame:
    """The best objective against total annual budget: one row per budget and intervention
    with ``budget_gbp``, ``objective_value``, ``intervention``, ``allocation_gbp`` (£ per
    year) and ``unallocated_gbp``."""
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
