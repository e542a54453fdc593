"""Text descriptions of the charts, written from the same tables the charts draw.

Each chart family has one function here; its builder puts the text in the spec's top-level
``description``, which Vega gives the chart as its accessible name (the SVG's ``aria-label``)
so that a screen reader says what the chart shows: the kind of chart, the place, the period and
the extremes, with numbers formatted in their units and no internal ids.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd

from dashboard.formatting import format_gbp, format_value

#: A change smaller than this share of the larger end reads as "stays at" (a structural
#: rounding threshold of the wording, not a method setting).
FLAT = 1e-9


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def span(periods: Sequence[object]) -> str:
    """'2024-25', or '2019-20 to 2024-25' for several periods (in the order given)."""
    ps = [str(p) for p in dict.fromkeys(periods) if not _missing(p) and str(p)]
    if not ps:
        return "no period"
    return ps[0] if len(ps) == 1 else f"{ps[0]} to {ps[-1]}"


def movement(name: str, first: float, last: float, fmt: Callable[[float], str]) -> str:
    """'the scenario rises from 78.9% to 80.5%' / 'the baseline stays at 78.9%'."""
    a, b = fmt(first), fmt(last)
    if a == b or abs(last - first) <= FLAT * max(abs(first), abs(last), 1.0):
        return f"{name} stays at {a}"
    return f"{name} {'rises' if last > first else 'falls'} from {a} to {b}"


# --- profile ------------------------------------------------------------------------------------
def spine_description(data: pd.DataFrame, place_name: str, group_text: str) -> str:
    """The spine chart (rows of dashboard.charts.profile.spine_data): how many indicators are
    better, similar and worse, and the outcomes furthest to the better and the worse side of
    the group's median (rows are scaled so that better is to the right)."""
    judged = data[data["family"] == "judged"]
    counts = judged["judgement"].value_counts()
    parts = [f"{int(counts.get(k, 0))} {k}" for k in ("better", "similar", "worse")]
    text = (
        f"Spine chart: {place_name} against {group_text}, latest data from "
        f"{span(sorted(data['period'].astype(str)))}: {len(data)} indicators; of the "
        f"{len(judged)} with a better direction, {', '.join(parts)} than the group."
    )
    d = judged.assign(gap=judged["pos_value"] - judged["pos_median"]).dropna(subset=["gap"])
    if len(d):
        top, low = d.loc[d["gap"].idxmax()], d.loc[d["gap"].idxmin()]
        text += (
            f" Furthest to the better side of the group median: {top['indicator']} "
            f"({top['value_text']} against {top['median_text']}); furthest to the worse side: "
            f"{low['indicator']} ({low['value_text']} against {low['median_text']})."
        )
    return text


def spend_description(data: pd.DataFrame, place_name: str, group_text: str, period: str) -> str:
    """Spend per head by service (rows of the spend chart): the highest and lowest service."""
    d = data.dropna(subset=["value"])
    head = f"Range chart: spend per head by service in {place_name} against {group_text}, {period}"
    if d.empty:
        return head + ": no values."
    top, low = d.loc[d["value"].idxmax()], d.loc[d["value"].idxmin()]
    return (
        f"{head}: {len(d)} services; the most on {top['service_label']} ({top['value_text']}, "
        f"group median {top['median_text']}), the least on {low['service_label']} "
        f"({low['value_text']}, group median {low['median_text']})."
    )


def trend_description(
    trend: pd.DataFrame, indicator: str, place_name: str, fmt: Callable[[float], str] = str
) -> str:
    """A trend (rows of dashboard.analysis.profile.trend_table): the place's first and last
    values, its highest and lowest, and where the group's median went."""
    t = trend.sort_values("end_year")
    head = f"Line chart: {indicator} in {place_name}, {span(list(t['period']))}"
    own = t.dropna(subset=["place_value"])
    if own.empty:
        return head + f": {place_name} has no value in these periods."
    first, last = own.iloc[0], own.iloc[-1]
    hi, lo = own.loc[own["place_value"].idxmax()], own.loc[own["place_value"].idxmin()]
    text = (
        f"{head}: {movement(place_name, first['place_value'], last['place_value'], fmt)} "
        f"({first['period']} to {last['period']}); highest {fmt(hi['place_value'])} in "
        f"{hi['period']}, lowest {fmt(lo['place_value'])} in {lo['period']}"
    )
    med = t.dropna(subset=["group_median"])
    if len(med) > 1:
        text += "; " + movement(
            "the group median", med.iloc[0]["group_median"], med.iloc[-1]["group_median"], fmt
        )
    return text + "."


# --- value for money ----------------------------------------------------------------------------
def _place_row(data: pd.DataFrame) -> pd.Series | None:
    me = data[data["is_place"]] if "is_place" in data else data.iloc[:0]
    return me.iloc[0] if len(me) else None


def tradeoff_description(
    data: pd.DataFrame, place_name: str, outcome_label: str, outcome_unit: str, periods_text: str
) -> str:
    """The outcome-against-spend scatter (rows of scatter_data): the place and the extremes."""
    d = data.dropna(subset=["spend_gbp_per_head", "outcome"])
    head = f"Scatter chart: {outcome_label} against spend per head, {periods_text}"
    if d.empty:
        return head + ": no places with both values."
    hi_s, lo_s = d.loc[d["spend_gbp_per_head"].idxmax()], d.loc[d["spend_gbp_per_head"].idxmin()]
    hi_o, lo_o = d.loc[d["outcome"].idxmax()], d.loc[d["outcome"].idxmin()]
    me = _place_row(d)
    mine = (
        f" {place_name}: {me['spend_text']} and {me['outcome_text']}."
        if me is not None
        else f" {place_name} has no value."
    )
    return (
        f"{head}: {len(d)} places.{mine} Spend runs from {lo_s['spend_text']} "
        f"({lo_s['place_name']}) to {hi_s['spend_text']} ({hi_s['place_name']}); the outcome "
        f"from {format_value(lo_o['outcome'], outcome_unit)} ({lo_o['place_name']}) to "
        f"{format_value(hi_o['outcome'], outcome_unit)} ({hi_o['place_name']})."
    )


def residual_description(data: pd.DataFrame, place_name: str, outcome_label: str) -> str:
    """Better or worse than expected (rows of scatter_data with the fit): place and extremes."""
    d = data.dropna(subset=["better_than_expected"])
    head = f"Scatter chart: {outcome_label}, better or worse than expected given need"
    if d.empty:
        return head + ": no places with a value."
    best = d.loc[d["better_than_expected"].idxmax()]
    worst = d.loc[d["better_than_expected"].idxmin()]
    me = _place_row(d)
    mine = (
        f" {place_name}: {me['bte_text']} against {me['expected_text']} expected."
        if me is not None
        else f" {place_name} has no value."
    )
    return (
        f"{head}: {len(d)} places.{mine} Most better than expected: {best['place_name']} "
        f"({best['bte_text']}); most worse: {worst['place_name']} ({worst['bte_text']})."
    )


def frontier_description(data: pd.DataFrame, place_name: str) -> str:
    """Efficiency scores (rows of frontier_data): the place's score and rank, the extremes."""
    d = data.dropna(subset=["dea_score_0_1"])
    head = "Bar chart: efficiency scores (0 to 1, 1 = on the frontier)"
    if d.empty:
        return head + ": no scores."
    on = int((d["dea_score_0_1"] >= 1 - FLAT).sum())
    low = d.loc[d["dea_score_0_1"].idxmin()]
    me = _place_row(d)
    mine = (
        f" {place_name}: {me['score_text']}, rank {int(me['rank'])} of {len(d)}."
        if me is not None
        else f" {place_name} has no score."
    )
    return (
        f"{head}: {len(d)} places, {on} on the frontier.{mine} Lowest: {low['place_name']} "
        f"({low['score_text']})."
    )


# --- scenario -----------------------------------------------------------------------------------
def fan_description(
    band: pd.DataFrame, lines: pd.DataFrame, label: str, unit: str, place_name: str
) -> str:
    """The outcome fan (its two tables, dashboard.charts.scenario.outcome_fan_data)."""
    years = sorted(lines["calendar_year"].unique())
    head = f"Line chart: {label} in {place_name}, {span(years)}"
    if not years:
        return head + ": no projection."

    def fmt(v: float) -> str:
        return format_value(float(v), unit) if unit == "percent" else f"{v:,.1f} {unit}".strip()

    parts = []
    for name, short in (
        ("Scenario (central)", "the scenario"),
        ("Baseline (no change)", "the baseline"),
    ):
        s = lines[lines["line"] == name].sort_values("calendar_year")
        if len(s):
            parts.append(movement(short, s["value"].iloc[0], s["value"].iloc[-1], fmt))
    text = f"{head}: {'; '.join(parts)}"
    end = band.sort_values("calendar_year").dropna()
    if len(end):
        last = end.iloc[-1]
        text += f"; by {int(last['calendar_year'])} the shaded range is {fmt(last['low'])} to {fmt(last['high'])}"
    return text + "."


def investment_description(spend: pd.DataFrame) -> str:
    """New investment by service and year (the investment chart's rows, £ a year)."""
    years = sorted(spend["calendar_year"].unique())
    head = f"Stacked bar chart: spend by service, {span(years)}"
    if spend.empty:
        return head + ": nothing spent."
    by_year = spend.groupby("calendar_year")["gbp"].sum()
    by_service = spend.groupby("service_label")["gbp"].sum().sort_values(ascending=False)
    return (
        f"{head}: the most in {by_year.idxmax()} ({format_gbp(by_year.max())}), the least in "
        f"{by_year.idxmin()} ({format_gbp(by_year.min())}); largest service over the years: "
        f"{by_service.index[0]} ({format_gbp(by_service.iloc[0])})."
    )


def agency_description(summary: pd.DataFrame) -> str:
    """Who invests and who benefits (present values by agency)."""
    head = "Bar chart: who invests and who benefits, present values over the horizon"
    if summary.empty:
        return head + ": no agencies."
    payer = summary.loc[summary["pv_cost_gbp"].idxmax()]
    gainer = summary.loc[summary["pv_benefit_gbp"].idxmax()]
    return (
        f"{head}: {payer['agency_label']} pays the most ({format_gbp(payer['pv_cost_gbp'])}); "
        f"{gainer['agency_label']} benefits the most ({format_gbp(gainer['pv_benefit_gbp'])})."
    )


def cash_flow_description(cash: pd.DataFrame) -> str:
    """Each agency's cumulative net cashable cash flow by year."""
    years = sorted(cash["calendar_year"].unique())
    head = f"Line chart: each agency's cumulative net cash, {span(years)}"
    if cash.empty:
        return head + ": no flows."
    last = cash[cash["calendar_year"] == years[-1]]
    hi = last.loc[last["cumulative_net_cashable_gbp"].idxmax()]
    lo = last.loc[last["cumulative_net_cashable_gbp"].idxmin()]
    return (
        f"{head}: by {years[-1]}, {hi['agency_label']} ends highest "
        f"({format_gbp(hi['cumulative_net_cashable_gbp'])}) and {lo['agency_label']} lowest "
        f"({format_gbp(lo['cumulative_net_cashable_gbp'])})."
    )


def waterfall_description(steps: pd.DataFrame) -> str:
    """From cost to net present value (the waterfall's steps, £ present value)."""
    head = "Waterfall chart: from cost to net present value"
    if steps.empty:
        return head + ": no steps."
    named = [
        f"{s} {format_gbp(a, signed=True)}"
        for s, a in zip(steps["step"], steps["amount_gbp"], strict=True)
    ]
    total = steps[steps["kind"] == "total"]
    end = (
        format_gbp(total["amount_gbp"].iloc[-1])
        if len(total)
        else format_gbp(steps["end"].iloc[-1])
    )
    return f"{head}: {'; '.join(named[:-1] if len(total) else named)}; net present value {end}."


def budget_curve_description(curve: pd.DataFrame, current_gbp: float, current_value: float) -> str:
    """The best NPV for each budget, and the current scenario."""
    pts = curve.drop_duplicates("budget_gbp").sort_values("budget_gbp")
    head = "Line chart: best net present value for each total annual budget"
    if pts.empty:
        return head + ": no budgets tried."
    best = pts.loc[pts["objective_value"].idxmax()]
    return (
        f"{head}, {format_gbp(pts['budget_gbp'].iloc[0])} to "
        f"{format_gbp(pts['budget_gbp'].iloc[-1])}: the highest, {format_gbp(best['objective_value'])}, "
        f"at {format_gbp(best['budget_gbp'])}; your scenario: {format_gbp(current_gbp)} a year for "
        f"{format_gbp(current_value)}."
    )


def compare_description(traj: pd.DataFrame, label: str, unit: str) -> str:
    """One outcome under each scenario (rows name, calendar_year, value)."""
    years = sorted(traj["calendar_year"].unique())
    head = f"Line chart: {label} under each scenario, {span(years)}"
    if traj.empty:
        return head + ": no scenarios."

    def fmt(v: float) -> str:
        return format_value(float(v), unit) if unit == "percent" else f"{v:,.1f} {unit}".strip()

    last = traj[traj["calendar_year"] == years[-1]]
    hi, lo = last.loc[last["value"].idxmax()], last.loc[last["value"].idxmin()]
    return (
        f"{head}: in {years[-1]} the highest is {hi['name']} ({fmt(hi['value'])}), the lowest "
        f"{lo['name']} ({fmt(lo['value'])})."
    )


def deal_description(table: pd.DataFrame) -> str:
    """The co-funding deal: what each partner puts in and keeps (present values)."""
    rows = table[table["pv_benefit_gbp"] > 0]
    head = "Stacked bar chart: each partner's benefit under the deal"
    if rows.empty:
        return head + ": no partner benefits."
    parts = [
        f"{r['agency_label']} puts in {format_gbp(r['pv_contribution_gbp'])} and keeps "
        f"{format_gbp(r['pv_net_gain_gbp'])}"
        for _, r in rows.iterrows()
    ]
    return f"{head}: {'; '.join(parts)}."


# --- maps ---------------------------------------------------------------------------------------
def map_description(
    title: str,
    period: str,
    classes: Sequence[str],
    counts: Sequence[int],
    n_missing: int,
    place_name: str = "",
    place_text: str = "",
) -> str:
    """A choropleth or hex map: its classes from lowest to highest and the selected place."""
    n = int(sum(counts))
    head = f"Map: {title}, {period}"
    if not classes:
        return head + ": no values."
    text = (
        f"{head}: {n} places in {len(classes)} colour classes, from {classes[0]} to "
        f"{classes[-1]}; {n_missing} with no value."
    )
    if place_name:
        text += f" {place_name}: {place_text or 'no value'}."
    return text
