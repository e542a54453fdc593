"""Slides from the Scenarios page, on the deck's scenario (present.case.ScenarioCase): the
prevention case's headline, who pays and who gains, the co-funding deal, an outcome over time,
and the page's other charts (NPV waterfall, money by agency, cash flow, spend by service).

Every figure comes from the run (scenario.report, .partners, .deal) as the page shows it;
money is in £ at base-year prices, present values discounted to the base year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.charts.scenario import (
    MODELLED,
    agency_chart,
    budget_curve_chart,
    cash_flow_chart,
    deal_chart,
    investment_chart,
    outcome_fan,
    waterfall_chart,
)
from dashboard.formatting import format_gbp, format_value
from dashboard.present.case import ScenarioCase, scenario_case
from dashboard.present.kinds_base import (
    SlideError,
    base_slide,
    chart_fields,
    memo,
    place_name,
    plot_width,
    read_params,
)
from dashboard.present.model import Figure, Slide
from dashboard.scenario import Scenario, engine
from dashboard.scenario.assumptions import preset_budgets_gbp
from dashboard.scenario.deal import deal, deal_rules, default_rule
from dashboard.scenario.optimise import allocate
from dashboard.scenario.partners import COUNCIL, council_position, partner_table
from dashboard.scenario.report import (
    HeadlineFigures,
    agency_summary,
    band_text,
    budget_curve,
    cumulative_cash_flow,
    headline_figures,
    investment_by_service,
    npv_waterfall,
    outcome_trajectories,
)
from dashboard.view import Context


def _case(case: ScenarioCase | None) -> ScenarioCase:
    if case is None:  # build_slide checks first; a caller of a builder may not
        raise SlideError("this slide needs a scenario, and none could be run for this place")
    return case


def figures_of(case: ScenarioCase) -> HeadlineFigures:
    """The run's headline figures (scenario.report.headline_figures), once per case."""
    return memo(case, "headline", lambda: headline_figures(case.result, case.simulation))


def _years(case: ScenarioCase) -> str:
    base = case.result.context.base_year
    return f"{base} to {base + case.scenario.horizon_years}"


def _method(case: ScenarioCase, extra: str = "") -> str:
    f = figures_of(case)
    return (
        f"{case.name}. {extra} Present values over {case.scenario.horizon_years} years, "
        f"discounted to {case.result.context.base_year} (base-year prices); the band is the "
        f"{band_text(case.simulation)} of {f.draws:,} Monte Carlo draws of every assumption. "
        + MODELLED
    ).replace("  ", " ")


def _payback(f: HeadlineFigures) -> str:
    return str(int(f.calendar_payback_year)) if math.isfinite(f.calendar_payback_year) else "none"


# --- the prevention case ---------------------------------------------------------------------
def prevention_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("prevention", params, {})
    case = _case(case)
    f = figures_of(case)
    pos = council_position(case.result)
    n = case.scenario.horizon_years
    bcr = f"{f.bcr:.2f}" if math.isfinite(f.bcr) else "n/a"
    band = band_text(case.simulation)
    chance = f"{100 * f.p_npv_positive:.0f}%"
    council = pos.label.lower()
    if pos.pays_back:
        cash = f"the {council}'s own cash pays back in {pos.payback_year}"
    elif pos.pays_gbp > 0:
        cash = f"the {council}'s own cash does not pay back within {n} years"
    else:
        cash = f"the {council} pays nothing net"
    name = place_name(ctx)
    message = (
        f"Over {n} years in {name}, the scenario ({case.name}) has a net present value of "
        f"{format_gbp(f.npv_gbp)} ({band}: {format_gbp(f.npv_low_gbp)} to "
        f"{format_gbp(f.npv_high_gbp)}), "
        f"{bcr} of benefit for each £1 of cost; {cash}."
    )
    figures = (
        Figure(
            "Net present value",
            format_gbp(f.npv_gbp),
            f"{band}: {format_gbp(f.npv_low_gbp)} to {format_gbp(f.npv_high_gbp)}",
        ),
        Figure("Benefit–cost ratio", bcr, "present value of benefits ÷ of costs"),
        Figure("Payback", _payback(f), "first year the cumulative net benefit reaches zero"),
        Figure("Chance NPV > 0", chance, f"of {f.draws:,} Monte Carlo draws"),
        Figure(
            f"{pos.label}: net cash",
            format_gbp(pos.net_cash_gbp),
            f"pays {format_gbp(pos.pays_gbp)}, gets {format_gbp(pos.cashable_back_gbp)} back "
            f"in cash; cash payback {pos.payback_year or 'none'}",
        ),
    )
    return base_slide(
        ctx,
        "prevention",
        f"The case for prevention in {name}",
        message,
        figures=figures,
        alt="; ".join(f"{x.label}: {x.value} ({x.note})" for x in figures),
        method=_method(
            case,
            f"Spent: {format_gbp(f.investment_gbp_per_year)} a year; PV of costs "
            f"{format_gbp(f.pv_costs_gbp)}, of benefits {format_gbp(f.pv_benefits_gbp)}.",
        ),
        caveat=MODELLED,
    )


def partners_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("partners", params, {})
    case = _case(case)
    t = partner_table(case.result)
    s = agency_summary(case.result)
    name = place_name(ctx)
    council = t[t["agency"] == COUNCIL].iloc[0]
    others = t[t["agency"] != COUNCIL]
    share = (
        float(others["pv_all_benefit_gbp"].sum()) / float(t["pv_all_benefit_gbp"].sum())
        if float(t["pv_all_benefit_gbp"].sum()) > 0
        else math.nan
    )
    top = others.loc[others["pv_all_benefit_gbp"].idxmax()] if len(others) else None
    if not (t["pv_pays_gbp"].abs() > 0).any() and not (t["pv_all_benefit_gbp"].abs() > 0).any():
        message = "No agency's money changes: the scenario funds no intervention and cuts nothing."
    else:
        message = (
            f"In {name}, the {str(council['agency_label']).lower()} pays "
            f"{format_gbp(float(council['pv_pays_gbp']))} and gets "
            f"{format_gbp(float(council['pv_all_benefit_gbp']))} of the benefit"
        )
        if top is not None and math.isfinite(share):
            message += (
                f"; {100 * share:.0f}% of the benefit lands on other agencies, most on "
                f"{top['agency_label']} ({format_gbp(float(top['pv_all_benefit_gbp']))})"
            )
        message += "."
    chart = agency_chart(s, ctx.bundle.attribution, width=plot_width(names=True))
    return base_slide(
        ctx,
        "partners",
        "Who pays, who gains",
        message,
        **chart_fields(chart),
        method=_method(
            case,
            "Cashable benefit is money an agency can take out of its budget; non-cashable "
            "benefit is capacity freed (staff time, beds, places) that it cannot.",
        ),
    )


def _rules() -> dict[str, str]:
    return {r: d.label for r, d in deal_rules().items()}


def deal_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    p = read_params("deal", params, {"rule": _rules()})
    case = _case(case)
    rule = p.get("rule", default_rule())
    d = deal(case.result, rule)
    fields: dict[str, object] = {}
    if d.feasible:
        fields = chart_fields(
            deal_chart(d.table, ctx.bundle.attribution, width=plot_width(names=True, legend=True))
        )
    else:
        rows = pd.DataFrame({"": ["No deal"], "why": [d.sentence]})
        fields = {"table": rows, "alt": d.sentence}
    return base_slide(
        ctx,
        "deal",
        "A co-funding deal in which every partner gains",
        f"In {place_name(ctx)}, {d.sentence[:1].lower()}{d.sentence[1:]} "
        f"Shares: {d.rule.label.lower()}.",
        method=_method(case, d.rule.explanation + " " + " ".join(d.notes)),
        **fields,
    )


def _outcome_indicators(ctx: Context, case: ScenarioCase) -> dict[str, dict]:
    b = ctx.bundle
    return {i: b.indicator(i) for i in case.catalogue.outcome_indicators if b.has_indicator(i)}


def trajectories(ctx: Context, case: ScenarioCase) -> pd.DataFrame:
    """The scenario's outcome trajectories with their band, once per case."""
    return memo(
        case,
        "trajectories",
        lambda: outcome_trajectories(case.result, case.simulation, _outcome_indicators(ctx, case)),
    )


def moved_most(traj: pd.DataFrame) -> str:
    """The outcome the scenario moves most by the last year, as a share of its baseline (the
    first such in the trajectories' order when several tie)."""
    last = traj.sort_values("year").groupby("indicator_id", sort=False).tail(1)
    base = last["baseline"].abs().replace(0, np.nan)
    share = (last["scenario"] - last["baseline"]).abs() / base
    share = share.fillna((last["scenario"] - last["baseline"]).abs())
    order = list(dict.fromkeys(traj["indicator_id"]))
    ranked = sorted(
        zip(last["indicator_id"], share, strict=True), key=lambda x: (-x[1], order.index(x[0]))
    )
    return str(ranked[0][0])


def outcomes_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    case = _case(case)
    traj = trajectories(ctx, case)
    labels = dict(zip(traj["indicator_id"], traj["label"], strict=False))
    p = read_params("outcomes", params, {"indicator": labels})
    if traj.empty:
        raise SlideError("the scenario moves no outcome this place has a value for")
    ind = p.get("indicator") or moved_most(traj)
    name = place_name(ctx)
    spec = outcome_fan(
        traj,
        ind,
        name,
        ctx.bundle.attribution,
        width=plot_width(legend=True),
        band=tuple(
            float(q) for q in (min(case.simulation.percentiles), max(case.simulation.percentiles))
        ),
    )
    d = traj[traj["indicator_id"] == ind].sort_values("year")
    first, last = d.iloc[0], d.iloc[-1]
    unit = str(first["unit"])
    message = (
        f"{first['label']} in {name}: from {format_value(first['scenario'], unit)} in "
        f"{int(first['calendar_year'])} to {format_value(last['scenario'], unit)} by "
        f"{int(last['calendar_year'])} under the scenario, against "
        f"{format_value(last['baseline'], unit)} with no change."
    )
    return base_slide(
        ctx,
        "outcomes",
        f"{first['label']} over time under the scenario",
        message,
        **chart_fields(spec),
        method=_method(
            case,
            f"The baseline holds today's value flat, so the gap is the scenario's effect alone; "
            f"band by {int(last['calendar_year'])}: {format_value(last['low'], unit)} to "
            f"{format_value(last['high'], unit)}.",
        ),
        caveat=MODELLED,
    )


def outcome_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    if case is None:
        return {"indicator": {}}
    traj = trajectories(ctx, case)
    return {"indicator": dict(zip(traj["indicator_id"], traj["label"], strict=False))}


def deal_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    return {"rule": _rules()}


# --- the Scenarios page's other charts --------------------------------------------------------
def waterfall_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("waterfall", params, {})
    case = _case(case)
    steps = npv_waterfall(case.result)
    cat = case.catalogue
    chart = waterfall_chart(
        steps,
        ctx.bundle.attribution,
        width=plot_width(names=True, legend=True),
        agencies={cat.agency_labels[a]: a for a in cat.agencies},
    )
    ben = steps[steps["kind"] == "benefit"]
    biggest = ben.loc[ben["amount_gbp"].idxmax()] if len(ben) else None
    f = figures_of(case)
    message = (
        f"In {place_name(ctx)}, from {format_gbp(f.pv_costs_gbp)} of cost to a net present "
        f"value of "
        f"{format_gbp(f.npv_gbp)}"
        + (
            f"; the largest step is {str(biggest['step']).lower()} "
            f"({format_gbp(float(biggest['amount_gbp']))})."
            if biggest is not None
            else "."
        )
    )
    return base_slide(
        ctx,
        "waterfall",
        "From cost to net present value",
        message,
        **chart_fields(chart),
        method=_method(case),
    )


def agencies_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("agencies", params, {})
    case = _case(case)
    s = agency_summary(case.result)
    chart = agency_chart(s, ctx.bundle.attribution, width=plot_width(names=True))
    payer = s.loc[s["pv_cost_gbp"].idxmax()]
    gainer = s.loc[s["pv_benefit_gbp"].idxmax()]
    message = (
        f"In {place_name(ctx)}, {payer['agency_label']} pays most ({format_gbp(float(payer['pv_cost_gbp']))}); "
        f"{gainer['agency_label']} gains most ({format_gbp(float(gainer['pv_benefit_gbp']))})."
    )
    return base_slide(
        ctx, "agencies", "Money by agency", message, **chart_fields(chart), method=_method(case)
    )


def cash_flow_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("cash_flow", params, {})
    case = _case(case)
    cash = cumulative_cash_flow(case.result)
    chart = cash_flow_chart(cash, ctx.bundle.attribution, width=plot_width(legend=True))
    pos = council_position(case.result)
    message = (
        f"The {pos.label.lower()}'s cumulative net cash in {place_name(ctx)} after "
        f"{pos.horizon_years} years: "
        f"{format_gbp(pos.cumulative_net_cash_end_gbp)} (real, undiscounted); "
        + (
            f"its cash pays back in {pos.payback_year}."
            if pos.pays_back
            else f"it does not pay back within {pos.horizon_years} years."
        )
    )
    return base_slide(
        ctx,
        "cash_flow",
        "Each agency's cumulative cash flow",
        message,
        **chart_fields(chart),
        method=_method(case),
    )


def investment_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("investment", params, {})
    case = _case(case)
    spend = investment_by_service(case.result)
    if spend.empty:
        raise SlideError("the scenario invests nothing and cuts nothing")
    chart = investment_chart(spend, ctx.bundle.attribution, width=plot_width(legend=True))
    by = spend.groupby("service_label")["gbp"].sum().sort_values(ascending=False)
    f = figures_of(case)
    message = (
        f"In {place_name(ctx)}, {format_gbp(f.investment_gbp_per_year)} a year is spent, most "
        f"on {by.index[0]}, over {_years(case)}."
    )
    return base_slide(
        ctx, "investment", "Spend by service", message, **chart_fields(chart), method=_method(case)
    )


def budget_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("budget", params, {})
    case = _case(case)
    sc, cat = case.scenario, case.catalogue
    ids = [i for i in cat.intervention_ids if sc.budgets.get(i, 0) > 0]
    if not ids:
        raise SlideError("the scenario funds no intervention, so there is no budget to split")

    def make() -> tuple[list, pd.DataFrame]:
        resp = engine.response_curves(sc.with_budgets({}), case.context, cat, interventions=ids)
        headroom = float(cat.limits["budget_curve_headroom"].default or 1.0)
        return resp, budget_curve(resp, sum(sc.budgets.values()), headroom)

    resp, curve = memo(case, "budget curve", make)
    total = float(sum(sc.budgets.values()))
    here = float(sum(r(sc.budgets.get(r.intervention, 0.0)) for r in resp))
    best = allocate(resp, total)
    chart = budget_curve_chart(curve, total, here, ctx.bundle.attribution, width=plot_width())
    message = (
        f"For {format_gbp(total)} a year in {place_name(ctx)}, the best split of the funded "
        f"interventions has an NPV of {format_gbp(best.objective_value)}, against "
        f"{format_gbp(here)} for the scenario's own split."
    )
    return base_slide(
        ctx,
        "budget",
        "Best NPV for each budget",
        message,
        **chart_fields(chart),
        method=_method(
            case,
            f"Optimiser: {best.solver}, central values; interventions are assumed not to "
            "interact; the NPV here leaves out any prevention cut.",
        ),
    )


def compare_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    """The deck's scenario beside every preset of scenario.yaml: headline figures as a table."""
    read_params("compare", params, {})
    case = _case(case)
    cat, sc = case.catalogue, case.scenario

    def runs() -> dict[str, HeadlineFigures]:
        out = {case.name: figures_of(case)}
        for pid, preset in cat.presets.items():
            budgets, cut = preset_budgets_gbp(cat, pid, case.context.total_population)
            other = Scenario(
                place_code=sc.place_code,
                horizon_years=sc.horizon_years,
                budgets={k: v for k, v in budgets.items() if v > 0},
                budget_basis="gbp",
                prevention_cut_per_year=cut,
                overrides=dict(sc.overrides),
            )
            label = f"Preset: {preset.label}"
            if label in out:
                continue
            run = scenario_case(ctx.bundle, sc.place_code, other, name=label, catalogue=cat)
            out[label] = figures_of(run)
        return out

    figs = memo(case, "compare", runs)
    band = band_text(case.simulation)
    table = pd.DataFrame(
        {
            "scenario": list(figs),
            "spent a year": [format_gbp(f.investment_gbp_per_year) for f in figs.values()],
            "NPV": [format_gbp(f.npv_gbp) for f in figs.values()],
            f"NPV, {band}": [
                f"{format_gbp(f.npv_low_gbp)} to {format_gbp(f.npv_high_gbp)}"
                for f in figs.values()
            ],
            "benefit–cost": [
                f"{f.bcr:.2f}" if math.isfinite(f.bcr) else "n/a" for f in figs.values()
            ],
            "payback": [_payback(f) for f in figs.values()],
            "chance NPV > 0": [f"{100 * f.p_npv_positive:.0f}%" for f in figs.values()],
        }
    )
    best = max(figs, key=lambda k: figs[k].npv_gbp)
    message = (
        f"Of {len(figs)} scenarios for {place_name(ctx)}, {best} has the highest NPV "
        f"({format_gbp(figs[best].npv_gbp)})."
    )
    alt_text = "; ".join(
        f"{r['scenario']}: NPV {r['NPV']} ({r[f'NPV, {band}']}), benefit–cost {r['benefit–cost']}, "
        f"payback {r['payback']}, chance NPV > 0 {r['chance NPV > 0']}"
        for r in table.to_dict(orient="records")
    )
    return base_slide(
        ctx,
        "compare",
        "The scenario beside the presets",
        message,
        table=table,
        alt=alt_text,
        method=_method(case, "Each preset scaled to the place's population, at the same horizon."),
    )
