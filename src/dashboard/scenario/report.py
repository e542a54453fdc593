"""Tables that show a scenario's results: outcome trajectories with their band,
spend by service, money by agency, the NPV waterfall, headline comparisons, the worked formulas
and the frames that go into downloads. Pure pandas over :class:`Result` and :class:`Simulation`.
The assumptions tables live in :mod:`dashboard.scenario.assumptions` (re-exported here).

Money is in £ at base-year prices (real terms); present values are discounted to year 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.catalogue import service_label
from dashboard.formatting import format_gbp
from dashboard.scenario.assumptions import (
    GRADE_TEXT,
    PARAM_UNIT_TEXT,
    assumptions_table,
    check_override,
    intervention_params,
    interventions_by_service,
    preset_budgets_gbp,
    scenario_from_saved,
)
from dashboard.scenario.budget_use import budget_use
from dashboard.scenario.optimise import Response, allocate
from dashboard.scenario.results import AGENCY_MEASURES, Result, unit_bounds
from dashboard.scenario.spec import PREVENTION_CHANGE, parameter_bounds
from dashboard.scenario.uncertainty import Simulation, pct_name


# --- percentiles ----------------------------------------------------------------------------
def band_percentiles(sim: Simulation) -> tuple[float, float]:
    """The lowest and highest configured percentiles (scenario.yaml monte_carlo.percentiles):
    the band every chart and table shows."""
    return float(min(sim.percentiles)), float(max(sim.percentiles))


def ordinal(q: float) -> str:
    """A percentile in words: 5 -> "5th", 1 -> "1st", 22 -> "22nd", 2.5 -> "2.5th"."""
    if q != int(q):
        return f"{q:g}th"
    n = int(q)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def band_text(sim: Simulation) -> str:
    """The band in words, e.g. "5th to 95th percentile"."""
    lo, hi = band_percentiles(sim)
    return f"{ordinal(lo)} to {ordinal(hi)} percentile"


# --- results --------------------------------------------------------------------------------
def outcome_trajectories(
    result: Result, sim: Simulation | None, indicators: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Per outcome indicator and year: baseline (today's value held flat), scenario (central
    projection) and the band of the projection (lowest to highest configured percentile), in
    the indicator's unit; label, unit
    and polarity from ``indicators`` (id -> metadata). Indicators the place has no value for,
    or that the scenario does not move, are left out."""
    cat = result.catalogue
    ids = [str(i) for i in cat.outcome_indicators]
    years = np.asarray(result.years)
    T = len(years)
    change = np.asarray(result.core.outcomes.per_indicator[0, 0], dtype=float)  # (X, T)
    baseline = np.array([float(result.context.outcomes.get(i, np.nan)) for i in ids])
    lo_u, hi_u = unit_bounds([result.outcome_units.get(i) for i in ids])  # (X,)
    scenario = np.clip(baseline[:, None] + change, lo_u[:, None], hi_u[:, None])
    if sim is not None:
        lo, hi = (pct_name(q) for q in band_percentiles(sim))
        band = _grid(sim.outcomes, ids, T, (lo, hi))  # as a left join on indicator and year
        low = np.clip(baseline[:, None] + np.fmin(band[0], band[1]), lo_u[:, None], hi_u[:, None])
        high = np.clip(baseline[:, None] + np.fmax(band[0], band[1]), lo_u[:, None], hi_u[:, None])
    else:
        low = high = scenario
    with np.errstate(invalid="ignore"):
        moved = np.nanmax(np.abs(change), axis=1, initial=0.0) > 0
    keep = np.flatnonzero(moved & ~np.isnan(baseline))
    meta = [indicators.get(ids[k], {}) for k in keep]
    rows = np.repeat(keep, T)

    def each(col: str, default: str | None) -> list[str]:
        return [
            str(m.get(col, ids[k] if default is None else default))
            for k, m in zip(keep, meta, strict=True)
            for _ in range(T)
        ]

    return pd.DataFrame(
        {
            "indicator_id": pd.array([ids[k] for k in rows], dtype="str"),
            "label": each("label", None),
            "unit": each("unit", ""),
            "polarity": each("polarity", "neutral"),
            "year": np.tile(years.astype(np.int64), len(keep)),
            "calendar_year": np.tile(years.astype(np.int64) + result.context.base_year, len(keep)),
            "baseline": np.repeat(baseline[keep], T),
            "scenario": scenario[keep].reshape(-1),
            "low": low[keep].reshape(-1),
            "high": high[keep].reshape(-1),
            "change": change[keep].reshape(-1),
        }
    )


def _grid(frame: pd.DataFrame, ids: list[str], years: int, cols: tuple[str, ...]) -> np.ndarray:
    """Columns ``cols`` of a frame of (indicator_id, year) rows as arrays (col, indicator,
    year) in ``ids`` order: NaN where the frame has no row, as a left join gives."""
    out = np.full((len(cols), len(ids) * years), np.nan)
    at = {i: k for k, i in enumerate(ids)}
    k = np.array([at.get(str(i), -1) for i in frame["indicator_id"]], dtype=np.int64)
    y = frame["year"].to_numpy(dtype=np.int64)
    ok = (k >= 0) & (y >= 0) & (y < years)
    for c, col in enumerate(cols):
        out[c, (k * years + y)[ok]] = frame[col].to_numpy(dtype=float)[ok]
    return out.reshape(len(cols), len(ids), years)


def investment_by_service(result: Result) -> pd.DataFrame:
    """New investment by service and year (£ a year), and any prevention cut (negative)."""
    by = result.by_year
    inv = by[by["measure"] == "investment_gbp"].copy()
    svc = {iv.id: iv.service for iv in result.catalogue.interventions}
    inv["service"] = inv["intervention"].astype(str).map(svc)
    out = inv.groupby(["service", "year", "calendar_year"], as_index=False)["value"].sum()
    out["what"] = "new investment"
    if result.scenario.prevention_cut_per_year > 0:
        base = result.baseline
        cut = base[base["measure"] == "prevention_cut_gbp"].copy()
        cut["service"] = cut["service"].astype(str)
        cut["value"] = -cut["value"]
        cut["what"] = "prevention cut"
        out = pd.concat(
            [out, cut[["service", "year", "calendar_year", "value", "what"]]], ignore_index=True
        )
    out = out[out["value"] != 0].rename(columns={"value": "gbp"})
    out["service_label"] = out["service"].map(service_label)
    return out.reset_index(drop=True)


def _df(result: Result) -> np.ndarray:
    return np.asarray(result.core.money.df[0], dtype=float)


def agency_summary(result: Result) -> pd.DataFrame:
    """Who invests and who benefits: per agency, present values (£) of cost, cashable and
    non-cashable benefit, and the net (benefit minus cost)."""
    cat = result.catalogue
    _, cube = result.agency_cube  # (measure, intervention, agency, year)
    pv = (cube * _df(result)).sum(axis=(1, 3))  # (measure, agency)
    at = {m: k for k, m in enumerate(AGENCY_MEASURES)}
    out = pd.DataFrame(
        {
            "agency": list(cat.agencies),
            "agency_label": [cat.agency_labels[a] for a in cat.agencies],
            "pv_cost_gbp": pv[at["cost_gbp"]],
            "pv_benefit_cashable_gbp": pv[at["benefit_cashable_gbp"]],
            "pv_benefit_noncashable_gbp": pv[at["benefit_noncashable_gbp"]],
        }
    )
    out["pv_benefit_gbp"] = out["pv_benefit_cashable_gbp"] + out["pv_benefit_noncashable_gbp"]
    out["pv_net_gbp"] = out["pv_benefit_gbp"] - out["pv_cost_gbp"]
    return out


def cumulative_cash_flow(result: Result) -> pd.DataFrame:
    """Each agency's cumulative net cash flow (cashable benefit minus cost, £ real) by year."""
    cf = result.cash_flow
    cf = cf[cf["measure"] == "cumulative_net_cashable_gbp"].copy()
    cf["agency"] = cf["agency"].astype(str)
    cf["agency_label"] = cf["agency"].map(result.catalogue.agency_labels)
    return cf.rename(columns={"value": "cumulative_net_cashable_gbp"})[
        ["agency", "agency_label", "year", "calendar_year", "cumulative_net_cashable_gbp"]
    ].reset_index(drop=True)


def npv_waterfall(result: Result) -> pd.DataFrame:
    """Steps from costs to NPV (present values, £): the cost of the interventions, the benefit
    to each agency, any prevention cut's saving and reactive cost, then the NPV. ``start`` and
    ``end`` are the running total before and after each step."""
    cat = result.catalogue
    h = result.headline
    steps: list[tuple[str, float, str]] = [("Cost of the interventions", -h.pv_costs_gbp, "cost")]
    ba = result.by_agency
    df = _df(result)
    ben = ba[
        ba["measure"].isin(["benefit_cashable_gbp", "benefit_noncashable_gbp"])
        & (ba["intervention"].astype(str) != PREVENTION_CHANGE)
    ]
    ben = ben.assign(pv=ben["value"].to_numpy() * df[ben["year"].to_numpy()])
    per = ben.groupby("agency", observed=True)["pv"].sum()
    for a in cat.agencies:
        v = float(per.get(a, 0.0))
        if abs(v) > 0.5:
            steps.append((f"Benefit: {cat.agency_labels[a]}", v, "benefit"))
    if result.scenario.prevention_cut_per_year > 0:
        saving = float((result.core.demand.saving_t[0, 0] * df).sum())
        reactive = saving - h.npv_prevention_change_gbp
        steps.append(("Prevention cut: money saved", saving, "benefit"))
        steps.append(("Prevention cut: reactive demand later", -reactive, "cost"))
    rows = []
    total = 0.0
    for k, (label, amount, kind) in enumerate(steps):
        rows.append(
            {
                "order": k,
                "step": label,
                "amount_gbp": amount,
                "start": total,
                "end": total + amount,
                "kind": kind,
            }
        )
        total += amount
    rows.append(
        {
            "order": len(rows),
            "step": "Net present value",
            "amount_gbp": h.npv_gbp,
            "start": 0.0,
            "end": h.npv_gbp,
            "kind": "total",
        }
    )
    return pd.DataFrame(rows)


# --- headlines and comparison ---------------------------------------------------------------
@dataclass(frozen=True)
class HeadlineFigures:
    """What the headline cards and the comparison table show (money in £, present values).
    ``npv_low_gbp`` and ``npv_high_gbp`` are the NPV at the lowest and highest configured
    percentiles (``band``, e.g. (5, 95)) of ``draws`` Monte Carlo draws.
    ``investment_gbp_per_year`` is the money actually spent a year (each funded
    intervention's mean spend over its years of spending, summed);
    ``investment_asked_gbp_per_year`` what the budgets ask for (more when a cohort cannot
    absorb its budget: :func:`dashboard.scenario.budget_use.budget_use`)."""

    npv_gbp: float
    npv_low_gbp: float
    npv_high_gbp: float
    bcr: float
    payback_year: float
    calendar_payback_year: float
    p_npv_positive: float
    pv_costs_gbp: float
    pv_benefits_gbp: float
    investment_gbp_per_year: float
    band: tuple[float, float]
    draws: int
    investment_asked_gbp_per_year: float = math.nan


def headline_figures(result: Result, sim: Simulation) -> HeadlineFigures:
    """The headline of a run and its Monte Carlo summary (the figures the page shows)."""
    h = result.headline
    npv = sim.headline.set_index("measure").loc["npv_gbp"]
    lo, hi = band_percentiles(sim)
    use = budget_use(result)
    return HeadlineFigures(
        npv_gbp=h.npv_gbp,
        npv_low_gbp=float(npv[pct_name(lo)]),
        npv_high_gbp=float(npv[pct_name(hi)]),
        bcr=h.bcr,
        payback_year=h.payback_year,
        calendar_payback_year=h.payback_year + result.context.base_year
        if math.isfinite(h.payback_year)
        else math.nan,
        p_npv_positive=sim.p_npv_positive,
        pv_costs_gbp=h.pv_costs_gbp,
        pv_benefits_gbp=h.pv_benefits_gbp,
        investment_gbp_per_year=float(use["used_gbp_per_year"].sum()),
        band=(lo, hi),
        draws=sim.draws,
        # an intervention with no years of spending asks for nothing
        investment_asked_gbp_per_year=float(
            (use["used_gbp_per_year"] + use["unused_gbp_per_year"]).sum()
        ),
    )


def compare_table(rows: Mapping[str, HeadlineFigures]) -> pd.DataFrame:
    """One row per scenario name with its headline figures (for a side-by-side table)."""
    out = []
    for name, f in rows.items():
        out.append(
            {
                "scenario": name,
                "investment_gbp_per_year": f.investment_gbp_per_year,
                "npv_gbp": f.npv_gbp,
                "npv_low_gbp": f.npv_low_gbp,
                "npv_high_gbp": f.npv_high_gbp,
                "bcr": f.bcr,
                "payback_year": f.calendar_payback_year,
                "p_npv_positive_pct": 100.0 * f.p_npv_positive,
                "pv_costs_gbp": f.pv_costs_gbp,
                "pv_benefits_gbp": f.pv_benefits_gbp,
            }
        )
    return pd.DataFrame(out)


# --- how it is calculated -------------------------------------------------------------------
def calculation_steps(result: Result, intervention_id: str) -> pd.DataFrame:
    """The benefit chain of one intervention worked through with the current numbers (central
    values, after overrides): step, formula, the numbers put in, and the result. The people
    and money rows are for year 1, the first year of spending (year 0 is the base year)."""
    cat = result.catalogue
    iv = cat.intervention(intervention_id)
    i = cat.intervention_ids.index(intervention_id)
    _, c, _ = parameter_bounds(cat, result.scenario.overrides)
    chain, m = result.core.chain, result.core.money
    T = result.scenario.years
    y1 = 1 if T > 1 else 0
    when = f"year {y1}, {result.context.base_year + y1}"
    invest = float(chain.spend[0, 0][i, y1])
    budget = float(
        result.scenario.budgets.get(intervention_id, 0.0)
        * (result.context.total_population if result.scenario.budget_basis == "gbp_per_head" else 1)
    )
    cohort = float(chain.cohort[0, 0][i, y1])
    reached = float(chain.reached[0, 0][i, y1])
    new = float(chain.new[0, 0][i, y1])
    cost = c[iv.cost_per_participant.index]
    e, s = c[iv.engagement.index], c[iv.success_rate.index]
    d, att = c[iv.deadweight.index], c[iv.attribution.index]
    ob = c[cat.optimism_bias[iv.evidence_grade].index]
    lag, drop = c[iv.lag_years.index], c[iv.dropoff.index]
    active = chain.active[0, 0][i]
    uplift = getattr(result.context, "price_uplift", 1.0)
    value = sum(ac.value_per_success(c, cat.unit_costs, uplift) for ac in iv.avoided_costs)
    df = _df(result)
    rate = c[cat.discount_schedule[0][1].index]
    h = result.headline
    last = T - 1
    group = (
        "the eligible group not yet reached (a stock: each person once)"
        if iv.cohort_kind == "stock"
        else "the eligible cohort of the year (a flow: new people each year)"
    )
    rows = [
        (
            f"People reached ({when})",
            f"min(budget ÷ cost per participant, {group})",
            f"min(£{budget:,.0f} ÷ £{cost:,.0f}, {cohort:,.0f})",
            f"{reached:,.0f} people",
        ),
        (
            f"Money spent ({when})",
            "people reached × cost per participant",
            f"{reached:,.0f} × £{cost:,.0f}",
            f"£{invest:,.0f}",
        ),
        (
            f"Successes ({when})",
            "reached × engagement × success rate × (1 − deadweight) × attribution × "
            f"(1 − optimism bias for grade {iv.evidence_grade})",
            f"{reached:,.0f} × {e:.2f} × {s:.2f} × (1 − {d:.2f}) × {att:.2f} × (1 − {ob:.2f})",
            f"{new:,.1f} people",
        ),
        (
            f"Active successes (year {last})",
            "Σ earlier years' successes × (1 − drop-off)^(years since the lag ended)",
            f"lag {lag:g} years, drop-off {drop:.2f} a year",
            f"{float(active[last]):,.1f} people",
        ),
        (
            f"Avoided costs (year {last})",
            "active successes × £ avoided per success a year (all agencies) × real cost growth",
            f"{float(active[last]):,.1f} × £{value:,.0f} × growth",
            f"£{float(m.benefit_i[0, 0][i, last]):,.0f}",
        ),
        (
            "Discount factor",
            "1 ÷ (1 + r)^t (Green Book rate r)",
            f"1 ÷ (1 + {rate:.3f})^{last}",
            f"{float(df[last]):.3f}",
        ),
        (
            "Net present value (all interventions)",
            "Σ_t (benefits_t − costs_t) × discount factor_t  (+ any prevention change)",
            f"{format_gbp(h.pv_benefits_gbp)} − {format_gbp(h.pv_costs_gbp)}"
            + (
                f" {format_gbp(h.npv_prevention_change_gbp, signed=True)}"
                if h.npv_prevention_change_gbp
                else ""
            ),
            format_gbp(h.npv_gbp),
        ),
        (
            "Benefit–cost ratio",
            "PV benefits ÷ PV costs",
            f"{format_gbp(h.pv_benefits_gbp)} ÷ {format_gbp(h.pv_costs_gbp)}",
            f"{h.bcr:.2f}" if math.isfinite(h.bcr) else "n/a",
        ),
        (
            "Payback year",
            "first year in which the cumulative discounted net benefit is ≥ 0 "
            "(years from the base year)",
            "",
            f"year {h.payback_year:.0f} ({h.payback_year + result.context.base_year:.0f})"
            if math.isfinite(h.payback_year)
            else "not within the horizon",
        ),
    ]
    return pd.DataFrame(rows, columns=["step", "formula", "with the current numbers", "result"])


def budget_grid(
    total_gbp: float, caps_gbp: Sequence[float], headroom: float, points: int = 13
) -> list[float]:
    """Budgets (£ a year) at which to draw the budget curve: from 0 to the larger of twice
    ``total_gbp`` and the sum of the interventions' caps times ``headroom`` (a ratio, from
    scenario.yaml limits.budget_curve_headroom, so the curve flattens), evenly."""
    top = max(2.0 * total_gbp, float(sum(caps_gbp)) * headroom, 1.0)
    return [float(x) for x in np.linspace(0.0, top, points)]


def budget_curve(responses: Sequence[Response], total_gbp: float, headroom: float) -> pd.DataFrame:
    """The budget curve: at each budget of :func:`budget_grid` (£ a year), the best objective
    value the optimiser finds for it (``objective_value``; £ of NPV for the "npv" objective)."""
    grid = budget_grid(total_gbp, [r.cap_gbp for r in responses], headroom)
    return pd.DataFrame(
        [{"budget_gbp": g, "objective_value": allocate(responses, g).objective_value} for g in grid]
    )


__all__ = [
    "GRADE_TEXT",
    "PARAM_UNIT_TEXT",
    "assumptions_table",
    "check_override",
    "intervention_params",
    "interventions_by_service",
    "preset_budgets_gbp",
    "scenario_from_saved",
]
