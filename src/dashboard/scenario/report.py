"""Tables that show a scenario's results: assumptions, outcome trajectories with their band,
spend by service, money by agency, the NPV waterfall, headline comparisons, the worked formulas
and the frames that go into downloads. Pure pandas over :class:`Result` and :class:`Simulation`.

Money is in £ at base-year prices (real terms); present values are discounted to year 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.catalogue import service_label
from dashboard.formatting import format_gbp
from dashboard.scenario.catalogue import Catalogue, Intervention, Param
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.io import scenario_from_dict
from dashboard.scenario.model import PREVENTION_CHANGE, Result, Scenario, parameter_bounds
from dashboard.scenario.uncertainty import Simulation

#: Parameter units in words.
PARAM_UNIT_TEXT: dict[str, str] = {
    "gbp_per_person": "£ per person",
    "gbp_per_success_per_year": "£ per success a year",
    "gbp_per_head": "£ per head",
    "gbp_per_gbp": "£ per £",
    "share": "share (0–1)",
    "share_per_year": "share a year (0–1)",
    "years": "years",
    "people_per_success": "people per success",
    "weight": "weight",
}
#: Evidence grades in words (scenario.yaml defines them).
GRADE_TEXT: dict[str, str] = {
    "A": "A: systematic review or several UK trials",
    "B": "B: one good UK trial or strong quasi-experiment",
    "C": "C: comparison-group evaluation or national unit cost",
    "D": "D: before-and-after study or expert judgement",
    "E": "E: illustrative, replace with local evidence",
}


# --- assumptions ----------------------------------------------------------------------------
def intervention_params(iv: Intervention) -> list[tuple[str, Param]]:
    """Every parameter of an intervention's benefit chain, labelled in words."""
    bands = ", ".join(iv.cohort_bands)
    rows: list[tuple[str, Param]] = [
        (f"Eligible each year (share of people aged {bands})", iv.cohort_share),
        ("Cost per participant", iv.cost_per_participant),
        ("Engagement (share who take part)", iv.engagement),
        ("Success rate", iv.success_rate),
        ("Deadweight (would have happened anyway)", iv.deadweight),
        ("Attribution (share due to this intervention)", iv.attribution),
        ("Lag before effects start", iv.lag_years),
        ("Drop-off of effects each year", iv.dropoff),
    ]
    for ac in iv.avoided_costs:
        rows.append((f"Avoided: {ac.label}", ac.value))
        rows.append((f"Avoided: {ac.label}, cashable share", ac.cashable))
    for oe in iv.outcomes:
        rows.append((f"Outcome: {oe.indicator_id} change per success", oe.per_success))
        rows.append((f"Outcome: {oe.indicator_id} denominator share", oe.denominator_share))
    return rows


def assumptions_table(
    catalogue: Catalogue, intervention_id: str, overrides: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """One row per parameter of an intervention: low / central / high (after overrides), unit,
    allowed range, evidence grade, source, whether it is illustrative, and its path."""
    iv = catalogue.intervention(intervention_id)
    low, central, high = parameter_bounds(catalogue, _known_overrides(catalogue, overrides))
    rows = []
    for label, p in intervention_params(iv):
        k = p.index
        rows.append(
            {
                "parameter": label,
                "low": float(low[k]),
                "central": float(central[k]),
                "high": float(high[k]),
                "unit": PARAM_UNIT_TEXT.get(p.unit, p.unit),
                "allowed": f"{p.min:g} to {p.max:g}",
                "grade": p.grade,
                "source": p.source,
                "illustrative": p.is_illustrative,
                "changed": p.path in (overrides or {}),
                "path": p.path,
            }
        )
    return pd.DataFrame(rows)


def _known_overrides(
    catalogue: Catalogue, overrides: Mapping[str, float] | None
) -> dict[str, float]:
    known = {p.path for p in catalogue.params}
    return {
        k: v for k, v in (overrides or {}).items() if k.rsplit(".", 1)[0] in known or k in known
    }


def check_override(catalogue: Catalogue, path: str, value: float) -> float:
    """``value`` if it is inside the parameter's allowed range, else a ScenarioError naming it."""
    parameter_bounds(catalogue, {path: value})
    return float(value)


# --- saved scenarios that no longer fit the catalogue ---------------------------------------
def scenario_from_saved(text: str, catalogue: Catalogue) -> tuple[Scenario, list[str]]:
    """A saved scenario, leaving out interventions and parameters the catalogue no longer has.

    Returns the scenario and a note for each thing left out; anything else wrong (a value out
    of range, a broken file) raises ScenarioError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"the saved scenario is not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a JSON object")
    notes: list[str] = []
    known = set(catalogue.intervention_ids)
    budgets = data.get("budgets") or {}
    if isinstance(budgets, dict):
        gone = sorted(k for k in budgets if k not in known)
        for k in gone:
            notes.append(
                f"Intervention '{k}' is no longer in the catalogue: its budget was left out."
            )
        data["budgets"] = {k: v for k, v in budgets.items() if k in known}
    overrides = data.get("overrides") or {}
    if isinstance(overrides, dict):
        params = {p.path for p in catalogue.params}
        keep = {}
        for k, v in overrides.items():
            base = k.rsplit(".", 1)[0] if k.endswith((".low", ".high")) else k
            if base in params:
                keep[k] = v
            else:
                notes.append(f"Assumption '{k}' is no longer in the catalogue: left out.")
        data["overrides"] = keep
    preset = data.get("preset")
    if preset is not None and preset not in catalogue.presets:
        notes.append(f"Preset '{preset}' is no longer defined: the scenario is kept as saved.")
        data["preset"] = None
    return scenario_from_dict(data, catalogue), notes


# --- results --------------------------------------------------------------------------------
def outcome_trajectories(
    result: Result, sim: Simulation | None, indicators: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Per outcome indicator and year: baseline (today's value held flat), scenario (central
    projection) and the p5–p95 band of the projection, in the indicator's unit; label, unit
    and polarity from ``indicators`` (id -> metadata). Indicators the place has no value for,
    or that the scenario does not move, are left out."""
    tot = result.outcome_totals.copy()
    tot["indicator_id"] = tot["indicator_id"].astype(str)
    moved = tot.groupby("indicator_id")["change"].apply(lambda s: float(np.abs(s).max()))
    keep = moved[moved > 0].index
    tot = tot[tot["indicator_id"].isin(keep) & tot["baseline"].notna()]
    if sim is not None:
        band = sim.outcomes[["indicator_id", "year", "p5", "p95"]].copy()
        band["indicator_id"] = band["indicator_id"].astype(str)
        tot = tot.merge(band, on=["indicator_id", "year"], how="left")
        tot["low"] = tot["baseline"] + tot[["p5", "p95"]].min(axis=1)
        tot["high"] = tot["baseline"] + tot[["p5", "p95"]].max(axis=1)
    else:
        tot["low"] = tot["projected"]
        tot["high"] = tot["projected"]
    meta = {i: indicators.get(i, {}) for i in tot["indicator_id"].unique()}
    tot["label"] = tot["indicator_id"].map(lambda i: str(meta[i].get("label", i)))
    tot["unit"] = tot["indicator_id"].map(lambda i: str(meta[i].get("unit", "")))
    tot["polarity"] = tot["indicator_id"].map(lambda i: str(meta[i].get("polarity", "neutral")))
    out = tot.rename(columns={"projected": "scenario"})
    cols = ["indicator_id", "label", "unit", "polarity", "year", "calendar_year"]
    return out[[*cols, "baseline", "scenario", "low", "high", "change"]].reset_index(drop=True)


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
    return np.asarray(result.arrays["df"][0], dtype=float)


def agency_summary(result: Result) -> pd.DataFrame:
    """Who invests and who benefits: per agency, present values (£) of cost, cashable and
    non-cashable benefit, and the net (benefit minus cost)."""
    cat = result.catalogue
    ba = result.by_agency
    df = _df(result)
    ba = ba.assign(pv=ba["value"].to_numpy() * df[ba["year"].to_numpy()])
    pv = ba.groupby(["agency", "measure"], observed=True)["pv"].sum().unstack("measure")
    pv = pv.reindex(list(cat.agencies)).fillna(0.0)
    out = pd.DataFrame(
        {
            "agency": list(cat.agencies),
            "agency_label": [cat.agency_labels[a] for a in cat.agencies],
            "pv_cost_gbp": pv["cost_gbp"].to_numpy(),
            "pv_benefit_cashable_gbp": pv["benefit_cashable_gbp"].to_numpy(),
            "pv_benefit_noncashable_gbp": pv["benefit_noncashable_gbp"].to_numpy(),
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
        saving = float((result.arrays["saving_t"][0, 0] * df).sum())
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
    """What the headline cards and the comparison table show (money in £, present values)."""

    npv_gbp: float
    npv_p5_gbp: float
    npv_p95_gbp: float
    bcr: float
    payback_year: float
    calendar_payback_year: float
    p_npv_positive: float
    pv_costs_gbp: float
    pv_benefits_gbp: float
    investment_gbp_per_year: float


def headline_figures(result: Result, sim: Simulation) -> HeadlineFigures:
    h = result.headline
    npv = sim.headline.set_index("measure").loc["npv_gbp"]
    per_year = float(
        result.by_year.query("measure == 'investment_gbp' and year == 0")["value"].sum()
    )
    return HeadlineFigures(
        npv_gbp=h.npv_gbp,
        npv_p5_gbp=float(npv["p5"]),
        npv_p95_gbp=float(npv["p95"]),
        bcr=h.bcr,
        payback_year=h.payback_year,
        calendar_payback_year=h.payback_year + result.context.base_year
        if math.isfinite(h.payback_year)
        else math.nan,
        p_npv_positive=sim.p_npv_positive,
        pv_costs_gbp=h.pv_costs_gbp,
        pv_benefits_gbp=h.pv_benefits_gbp,
        investment_gbp_per_year=per_year,
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
                "npv_p5_gbp": f.npv_p5_gbp,
                "npv_p95_gbp": f.npv_p95_gbp,
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
    values, after overrides): step, formula, the numbers put in, and the result."""
    cat = result.catalogue
    iv = cat.intervention(intervention_id)
    i = cat.intervention_ids.index(intervention_id)
    _, c, _ = parameter_bounds(cat, result.scenario.overrides)
    a = result.arrays
    T = result.scenario.years
    invest = float(a["spend"][0, 0][i, 0]) if T else 0.0
    budget = float(
        result.scenario.budgets.get(intervention_id, 0.0)
        * (result.context.total_population if result.scenario.budget_basis == "gbp_per_head" else 1)
    )
    cohort = float(a["cohort"][0, 0][i, 0])
    reached = float(a["reached"][0, 0][i, 0])
    new = float(a["new"][0, 0][i, 0])
    cost = c[iv.cost_per_participant.index]
    e, s = c[iv.engagement.index], c[iv.success_rate.index]
    d, att = c[iv.deadweight.index], c[iv.attribution.index]
    ob = c[cat.optimism_bias[iv.evidence_grade].index]
    lag, drop = c[iv.lag_years.index], c[iv.dropoff.index]
    active = a["active"][0, 0][i]
    value = sum(c[ac.value.index] for ac in iv.avoided_costs)
    df = _df(result)
    rate = c[cat.discount_schedule[0][1].index]
    h = result.headline
    last = T - 1
    rows = [
        (
            "People reached (year 0)",
            "min(budget ÷ cost per participant, eligible cohort)",
            f"min(£{budget:,.0f} ÷ £{cost:,.0f}, {cohort:,.0f})",
            f"{reached:,.0f} people",
        ),
        (
            "Money spent (year 0)",
            "people reached × cost per participant",
            f"{reached:,.0f} × £{cost:,.0f}",
            f"£{invest:,.0f}",
        ),
        (
            "Successes (year 0)",
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
            f"£{float(a['benefit_i'][0, 0][i, last]):,.0f}",
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
            "first year in which the cumulative discounted net benefit is ≥ 0",
            "",
            f"year {h.payback_year:g} ({h.payback_year + result.context.base_year:g})"
            if math.isfinite(h.payback_year)
            else "not within the horizon",
        ),
    ]
    return pd.DataFrame(rows, columns=["step", "formula", "with the current numbers", "result"])


# --- downloads ------------------------------------------------------------------------------
def export_frames(
    result: Result, sim: Simulation, scenario_name: str, place_name: str
) -> dict[str, pd.DataFrame]:
    """The results as named tables (for CSV and XLSX): headline, outcomes, money by agency,
    cash flow, spend by year and the scenario's settings."""
    f = headline_figures(result, sim)
    headline = pd.DataFrame(
        [
            ("Scenario", scenario_name, ""),
            ("Place", f"{place_name} ({result.scenario.place_code})", ""),
            ("Base year", result.context.base_year, "calendar year"),
            ("Horizon", result.scenario.horizon_years, "years"),
            ("Net present value", f.npv_gbp, "£ (present value)"),
            ("NPV, 5th percentile", f.npv_p5_gbp, "£ (present value)"),
            ("NPV, 95th percentile", f.npv_p95_gbp, "£ (present value)"),
            ("Chance NPV > 0", f.p_npv_positive, f"share of {sim.draws} draws"),
            ("Benefit-cost ratio", f.bcr, "ratio"),
            ("Payback year", f.calendar_payback_year, "calendar year"),
            ("PV of costs", f.pv_costs_gbp, "£"),
            ("PV of benefits", f.pv_benefits_gbp, "£"),
        ],
        columns=["measure", "value", "unit"],
    )
    headline["value"] = headline["value"].astype(object)
    by_year = result.by_year.copy()
    by_year[["intervention", "measure"]] = by_year[["intervention", "measure"]].astype(str)
    cash = result.cash_flow.copy()
    cash[["agency", "measure"]] = cash[["agency", "measure"]].astype(str)
    out = result.outcome_totals.copy()
    out["indicator_id"] = out["indicator_id"].astype(str)
    band = sim.outcomes.copy()
    band["indicator_id"] = band["indicator_id"].astype(str)
    out = out.merge(
        band.drop(columns=["calendar_year"]), on=["indicator_id", "year"], how="left"
    ).rename(columns={"p5": "change_p5", "p50": "change_p50", "p95": "change_p95"})
    s = result.scenario
    settings = pd.DataFrame(
        [("horizon_years", s.horizon_years), ("prevention_cut_per_year", s.prevention_cut_per_year)]
        + [(f"budget_gbp_per_year.{k}", v) for k, v in sorted(s.budgets.items())]
        + [(f"override.{k}", v) for k, v in sorted(s.overrides.items())],
        columns=["setting", "value"],
    )
    return {
        "Headline": headline,
        "Outcomes": out,
        "Money by agency": agency_summary(result),
        "Cash flow": cash,
        "By intervention": by_year,
        "Settings": settings,
    }


def interventions_by_service(catalogue: Catalogue) -> list[tuple[str, list[Intervention]]]:
    """Interventions grouped by service, in catalogue order."""
    groups: dict[str, list[Intervention]] = {}
    for iv in catalogue.interventions:
        groups.setdefault(iv.service, []).append(iv)
    return list(groups.items())


def preset_budgets_gbp(
    catalogue: Catalogue, preset: str, population: float
) -> tuple[dict[str, float], float]:
    """A preset's budgets in £ a year for a place of ``population`` people, and its yearly
    prevention cut (share)."""
    p = catalogue.presets[preset]
    return (
        {k: v * population for k, v in p.budgets_gbp_per_head.items()},
        p.prevention_cut_per_year,
    )


def budget_grid(total_gbp: float, caps_gbp: Sequence[float], points: int = 13) -> list[float]:
    """Budgets (£ a year) at which to draw the budget curve: from 0 to the larger of twice
    ``total_gbp`` and the sum of the interventions' caps (so the curve flattens), evenly."""
    top = max(2.0 * total_gbp, float(sum(caps_gbp)) * 1.05, 1.0)
    return [float(x) for x in np.linspace(0.0, top, points)]
