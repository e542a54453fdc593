"""Scenario charts: outcome fan (baseline, scenario, p5–p95 band), investment by service,
money by agency, cumulative cash flow, NPV waterfall, budget curve and comparison overlays.
Pure Altair builders over the tables of dashboard.scenario.report. Money axes in £ thousand or
£ million as the figures need; every chart says its figures are modelled and carries the
attribution."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from dashboard.charts.describe import (
    agency_description,
    budget_curve_description,
    cash_flow_description,
    compare_description,
    deal_description,
    fan_description,
    investment_description,
    waterfall_description,
)
from dashboard.charts.theme import FLOW_COLOURS, HIGHLIGHT, OKABE_ITO, agency_colour, attribute
from dashboard.scenario.report import ordinal

INK = "#1B1F24"
BASELINE = "#6B7580"
SCENARIO = HIGHLIGHT["group"]
BAND = "#9CC3E3"
LOSS = FLOW_COLOURS["cost"]
TOTAL = FLOW_COLOURS["total"]
FLOWS = {
    "Pays (cost)": FLOW_COLOURS["cost"],
    "Benefits: cashable": FLOW_COLOURS["benefit_cashable"],
    "Benefits: non-cashable": FLOW_COLOURS["benefit_noncashable"],
}
WIDTH = 600  # px: with its axes, fits the page's main column at 1280 px (sidebar open)
FAN_HEIGHT = 195  # px: the outcome fan, the page's first chart, ends above 720 px
MODELLED = (
    "Modelled projection, not a forecast: assumptions marked illustrative need local evidence."
)


def _money_scale(values: pd.Series) -> tuple[float, str]:
    top = float(values.abs().max()) if len(values) else 0.0
    return (1e6, "£ million") if top >= 2e6 else (1e3, "£ thousand")


#: Names of the datasets the outcome fan's template reads (filled per run).
FAN_DATASETS: tuple[str, str] = ("fan_band", "fan_lines")
LINE_NAMES: tuple[str, str] = ("Baseline (no change)", "Scenario (central)")


def outcome_fan_data(traj: pd.DataFrame, indicator_id: str) -> dict[str, pd.DataFrame]:
    """The two tables the outcome fan draws: the band (low, high) and the two lines."""
    d = traj[traj["indicator_id"] == indicator_id]
    band = d[["calendar_year", "low", "high"]].reset_index(drop=True)
    lines = pd.DataFrame(
        {
            "calendar_year": np.concatenate([d["calendar_year"], d["calendar_year"]]),
            "line": np.repeat(LINE_NAMES, len(d)),
            "value": np.concatenate([d["baseline"], d["scenario"]]),
        }
    )
    return dict(zip(FAN_DATASETS, (band, lines), strict=True))


def outcome_fan_template(
    label: str,
    unit: str,
    polarity: str,
    place_name: str,
    attribution: str,
    width: int = WIDTH,
    *,
    band: tuple[float, float],
) -> dict:
    """The outcome fan as a Vega-Lite spec whose data are the named datasets in
    ``FAN_DATASETS``: build it once per indicator and place, then add the data of each run
    (building and validating an Altair chart costs far more than the data). ``band``: the
    lowest and highest configured percentiles the shading shows (e.g. 5, 95)."""
    lo, hi = ordinal(band[0]), ordinal(band[1])
    direction = {
        "higher_is_better": "higher is better",
        "lower_is_better": "lower is better",
    }.get(polarity, "")
    unit_text = {"percent": "%", "rate_per_10k": "per 10,000"}.get(unit, unit)
    y = alt.Scale(zero=False, nice=True, padding=14)
    x = alt.X("calendar_year:O", title=None, axis=alt.Axis(labelAngle=0))
    band = (
        alt.Chart(alt.Data(name=FAN_DATASETS[0]))
        .mark_area(color=BAND, opacity=0.55)
        .encode(
            x=x,
            # the title names the indicator; the axis says its unit (a long label is cut)
            y=alt.Y("low:Q", scale=y, title=unit_text),
            y2="high:Q",
            tooltip=[
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("low:Q", title=f"{lo} percentile", format=",.2f"),
                alt.Tooltip("high:Q", title=f"{hi} percentile", format=",.2f"),
            ],
        )
    )
    lines = (
        alt.Chart(alt.Data(name=FAN_DATASETS[1]))
        .mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=40))
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y),
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=list(LINE_NAMES), range=[BASELINE, SCENARIO]),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                legend=None,
                scale=alt.Scale(domain=list(LINE_NAMES), range=[[6, 4], [1, 0]]),
            ),
            tooltip=[
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("line:N", title="line"),
                alt.Tooltip("value:Q", format=",.2f"),
            ],
        )
    )
    ends = (
        alt.Chart(alt.Data(name=FAN_DATASETS[1]))
        .transform_joinaggregate(last="max(calendar_year)")
        .transform_filter("datum.calendar_year == datum.last")
        .transform_calculate(short="split(datum.line, ' (')[0]")
        .mark_text(align="right", dy=-12, fontSize=12, fontWeight=600)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y),
            text="short:N",
            color=alt.Color(
                "line:N",
                legend=None,
                scale=alt.Scale(domain=list(LINE_NAMES), range=[BASELINE, SCENARIO]),
            ),
        )
    )
    chart = (band + lines + ends).properties(
        width=width,
        height=FAN_HEIGHT,
        title=alt.Title(
            f"{label}: {place_name}",
            subtitle=[
                f"Shaded: {lo} to {hi} percentile of the projection ({direction})."
                if direction
                else f"Shaded: {lo} to {hi} percentile of the projection.",
                MODELLED,
            ],
        ),
    )
    return attribute(chart, attribution).to_dict()


def outcome_fan(
    traj: pd.DataFrame,
    indicator_id: str,
    place_name: str,
    attribution: str,
    width: int = WIDTH,
    *,
    band: tuple[float, float],
) -> dict:
    """One outcome's baseline (held flat, grey dashes), the scenario (blue line) and its
    band between the ``band`` percentiles (light blue) over the horizon, in the indicator's
    unit: a Vega-Lite spec with its data (for ``st.vega_lite_chart``)."""
    row = traj[traj["indicator_id"] == indicator_id].iloc[0]
    spec = outcome_fan_template(
        row["label"], row["unit"], row["polarity"], place_name, attribution, width, band=band
    )
    return fan_with_data(spec, traj, indicator_id, place_name)


def fan_with_data(spec: dict, traj: pd.DataFrame, indicator_id: str, place_name: str) -> dict:
    """The outcome fan's template with this run's tables and its text description."""
    data = outcome_fan_data(traj, indicator_id)
    row = traj[traj["indicator_id"] == indicator_id].iloc[0]
    text = fan_description(*data.values(), str(row["label"]), str(row["unit"]), place_name)
    return {**spec, "datasets": data, "description": text}


def investment_chart(
    spend: pd.DataFrame, attribution: str, width: int = WIDTH
) -> alt.TopLevelMixin:
    """New investment (and any prevention cut, below zero) by service and year, stacked."""
    scale, unit = _money_scale(spend.groupby("calendar_year")["gbp"].sum())
    d = spend.assign(amount=spend["gbp"] / scale)
    chart = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=alt.X("calendar_year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(amount):Q", title=f"{unit} a year (real)"),
            color=alt.Color("service_label:N", title="Service"),
            tooltip=[
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("service_label:N", title="service"),
                alt.Tooltip("what:N", title="what"),
                alt.Tooltip("sum(amount):Q", title=unit, format=",.2f"),
            ],
        )
        .properties(
            width=width,
            height=300,
            title=alt.Title(
                "Spend by service",
                subtitle="New investment each year by the service it belongs to; a prevention "
                "cut shows below zero.",
            ),
        )
    )
    return attribute(chart, attribution).properties(description=investment_description(spend))


def agency_chart(summary: pd.DataFrame, attribution: str, width: int = 520) -> alt.TopLevelMixin:
    """Who invests and who benefits: each agency's present-value cost (left) and benefit
    (right: cashable dark, non-cashable light), in the flow colours of charts.theme."""
    scale, unit = _money_scale(
        pd.concat([summary["pv_cost_gbp"], summary["pv_benefit_gbp"]], ignore_index=True)
    )
    rows = []
    for r in summary.itertuples():
        rows.append((r.agency_label, "Pays (cost)", -r.pv_cost_gbp / scale))
        rows.append((r.agency_label, "Benefits: cashable", r.pv_benefit_cashable_gbp / scale))
        rows.append(
            (r.agency_label, "Benefits: non-cashable", r.pv_benefit_noncashable_gbp / scale)
        )
    d = pd.DataFrame(rows, columns=["agency", "flow", "amount"])
    d = d[d["amount"].abs() > 1e-9]
    order = list(summary["agency_label"])
    chart = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("agency:N", sort=order, title=None),
            x=alt.X("sum(amount):Q", title=f"Present value, {unit}"),
            color=alt.Color(
                "flow:N",
                title=None,
                scale=alt.Scale(domain=list(FLOWS), range=list(FLOWS.values())),
            ),
            tooltip=[
                alt.Tooltip("agency:N"),
                alt.Tooltip("flow:N"),
                alt.Tooltip("sum(amount):Q", title=unit, format=",.2f"),
            ],
        )
        .properties(
            width=width,
            height=36 * len(order),
            title=alt.Title(
                "Who invests, who benefits",
                subtitle="Present values over the horizon. Cashable: money that could be "
                "released from budgets; non-cashable: capacity freed or costs not incurred.",
            ),
        )
    )
    return attribute(chart, attribution).properties(description=agency_description(summary))


def cash_flow_chart(cash: pd.DataFrame, attribution: str, width: int = WIDTH) -> alt.TopLevelMixin:
    """Each agency's cumulative net cash flow (cashable benefit minus cost) by year."""
    scale, unit = _money_scale(cash["cumulative_net_cashable_gbp"])
    d = cash.assign(amount=cash["cumulative_net_cashable_gbp"] / scale)
    keep = d.groupby("agency_label")["amount"].apply(lambda s: float(s.abs().max()) > 1e-9)
    d = d[d["agency_label"].isin(keep[keep].index)]
    shown = d.drop_duplicates("agency")
    domain = list(shown["agency_label"])
    colours = [agency_colour(str(a)) for a in shown["agency"]]
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#8A949E").encode(y="y:Q")
    lines = (
        alt.Chart(d)
        .mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=36))
        .encode(
            x=alt.X("calendar_year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount:Q", title=f"Cumulative net cash, {unit} (real)"),
            color=alt.Color(
                "agency_label:N",
                title="Agency",
                scale=alt.Scale(domain=domain, range=colours),
            ),
            tooltip=[
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("agency_label:N", title="agency"),
                alt.Tooltip("amount:Q", title=unit, format=",.2f"),
            ],
        )
    )
    chart = (zero + lines).properties(
        width=width,
        height=300,
        title=alt.Title(
            "Each agency's cumulative cash flow",
            subtitle="Cashable benefits minus what the agency pays, added up year by year "
            "(undiscounted, base-year prices).",
        ),
    )
    return attribute(chart, attribution).properties(description=cash_flow_description(cash))


def _waterfall_colours(
    steps: pd.DataFrame, agencies: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    """Each step's colour group and the colour of each group: an agency's benefit in the
    agency's colour (``agencies``: agency label -> id), costs and the NPV in the flow colours,
    any other benefit (a prevention cut's saving) in the cashable-benefit colour."""
    groups, colours = [], {}
    for step, kind in zip(steps["step"], steps["kind"], strict=True):
        who = str(step).removeprefix("Benefit: ")
        if kind == "benefit" and who in agencies:
            g, c = who, agency_colour(agencies[who])
        elif kind == "benefit":
            g, c = "Other benefit", FLOW_COLOURS["benefit_cashable"]
        elif kind == "cost":
            g, c = "Cost", LOSS
        else:
            g, c = "Net present value", TOTAL
        groups.append(g)
        colours.setdefault(g, c)
    return groups, colours


def waterfall_chart(
    steps: pd.DataFrame,
    attribution: str,
    width: int = 420,
    agencies: Mapping[str, str] | None = None,
) -> alt.TopLevelMixin:
    """From the cost of the interventions, through each agency's benefit, to the NPV: one row
    per step, each bar running from the total before the step to the total after it. An
    agency's benefit is drawn in the agency's colour (``agencies``: label -> agency id)."""
    groups, colours = _waterfall_colours(steps, agencies or {})
    steps = steps.assign(group=groups)
    scale, unit = _money_scale(pd.concat([steps["start"], steps["end"]], ignore_index=True))
    d = steps.assign(
        start_s=steps["start"] / scale,
        end_s=steps["end"] / scale,
        amount_s=steps["amount_gbp"] / scale,
        right=np.maximum(steps["start"], steps["end"]) / scale,
        label=[
            f"{v:+,.1f}" if k != "total" else f"{v:,.1f}"
            for v, k in zip(steps["amount_gbp"] / scale, steps["kind"], strict=True)
        ],
    )
    order = list(d["step"])
    y = alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=190))
    bars = (
        alt.Chart(d)
        .mark_bar(height=22)
        .encode(
            y=y,
            x=alt.X("start_s:Q", title=f"Present value, {unit}"),
            x2="end_s:Q",
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=[alt.Tooltip("step:N"), alt.Tooltip("amount_s:Q", title=unit, format=",.2f")],
        )
    )
    text = (
        alt.Chart(d)
        .mark_text(align="left", dx=5, fontSize=12, color=INK)
        .encode(y=y, x=alt.X("right:Q"), text="label:N")
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#8A949E").encode(x="x:Q")
    chart = (zero + bars + text).properties(
        width=width,
        height=34 * len(order),
        title=alt.Title(
            "From cost to net present value",
            subtitle="Present values over the horizon at the Green Book discount rate.",
        ),
    )
    return attribute(chart, attribution).properties(description=waterfall_description(steps))


def budget_curve_chart(
    curve: pd.DataFrame,
    current_gbp: float,
    current_value: float,
    attribution: str,
    width: int = WIDTH,
) -> alt.TopLevelMixin:
    """The best NPV the optimiser finds for each total annual budget, with the current
    scenario's total and NPV marked."""
    pts = curve.drop_duplicates("budget_gbp")[["budget_gbp", "objective_value"]]
    scale, unit = _money_scale(pts["objective_value"])
    bscale, bunit = _money_scale(pts["budget_gbp"])
    d = pts.assign(b=pts["budget_gbp"] / bscale, v=pts["objective_value"] / scale)
    line = (
        alt.Chart(d)
        .mark_line(strokeWidth=3, color=SCENARIO, point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X("b:Q", title=f"Total budget a year, {bunit}"),
            y=alt.Y("v:Q", title=f"Best NPV, {unit}"),
            tooltip=[
                alt.Tooltip("b:Q", title=f"budget ({bunit})", format=",.2f"),
                alt.Tooltip("v:Q", title=f"best NPV ({unit})", format=",.2f"),
            ],
        )
    )
    me = pd.DataFrame(
        {"b": [current_gbp / bscale], "v": [current_value / scale], "what": ["Your scenario"]}
    )
    mark = (
        alt.Chart(me)
        .mark_point(shape="diamond", size=220, filled=True, color=HIGHLIGHT["place"])
        .encode(x="b:Q", y="v:Q", tooltip=[alt.Tooltip("what:N", title="")])
    )
    chart = (line + mark).properties(
        width=width,
        height=300,
        title=alt.Title(
            "Best NPV for each budget",
            subtitle="The optimiser's best split at each total (line) and your scenario "
            "(diamond). The curve flattens where every cohort is reached.",
        ),
    )
    return attribute(chart, attribution).properties(
        description=budget_curve_description(curve, current_gbp, current_value)
    )


def compare_chart(
    traj: pd.DataFrame, label: str, unit: str, attribution: str, width: int = WIDTH
) -> alt.TopLevelMixin:
    """One outcome's central projection under each scenario (``scenario`` column names them),
    with the baseline dashed."""
    unit_text = {"percent": "%", "rate_per_10k": "per 10,000"}.get(unit, unit)
    names = list(dict.fromkeys(traj["name"]))
    palette = [OKABE_ITO[k] for k in (0, 5, 2, 3, 1, 4)]
    lo, hi = float(traj["value"].min()), float(traj["value"].max())
    pad = max((hi - lo) * 0.15, abs(hi) * 0.005, 1e-6)
    chart = (
        alt.Chart(traj)
        .mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=36))
        .encode(
            x=alt.X("calendar_year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "value:Q",
                title=f"{label} ({unit_text})",
                scale=alt.Scale(domain=[lo - pad, hi + pad], zero=False, nice=False),
            ),
            color=alt.Color(
                "name:N",
                title=None,
                scale=alt.Scale(domain=names, range=[BASELINE, *palette][: len(names)]),
                legend=alt.Legend(columns=2, labelLimit=320),
            ),
            strokeDash=alt.StrokeDash(
                "name:N",
                legend=None,
                scale=alt.Scale(domain=names, range=[[6, 4]] + [[1, 0]] * (len(names) - 1)),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="scenario"),
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("value:Q", format=",.2f"),
            ],
        )
        .properties(
            width=width,
            height=300,
            title=alt.Title(f"{label} under each scenario", subtitle=MODELLED),
        )
    )
    return attribute(chart, attribution).properties(
        description=compare_description(traj, label, unit)
    )


def deal_chart(table: pd.DataFrame, attribution: str, width: int = WIDTH) -> alt.TopLevelMixin:
    """The co-funding deal: each partner's benefit (cashable + non-cashable, present value)
    split into what it puts in and what it keeps as its net gain. ``table`` is a
    dashboard.scenario.deal Deal.table (agency_label, pv_contribution_gbp, pv_net_gain_gbp,
    pv_benefit_gbp)."""
    rows = table[table["pv_benefit_gbp"] > 0]
    scale, unit = _money_scale(rows["pv_benefit_gbp"])
    parts = [("puts in", "pv_contribution_gbp"), ("keeps (net gain)", "pv_net_gain_gbp")]
    d = pd.DataFrame(
        [
            (r["agency_label"], name, k, float(r[col]) / scale)
            for _, r in rows.iterrows()
            for k, (name, col) in enumerate(parts)
        ],
        columns=["partner", "part", "order", "amount"],
    )
    order = list(rows["agency_label"])
    chart = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            y=alt.Y("partner:N", sort=order, title=None),
            x=alt.X("amount:Q", stack="zero", title=f"Present value, {unit}"),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(
                    domain=[p for p, _ in parts],
                    range=[LOSS, FLOW_COLOURS["benefit_noncashable"]],
                ),
            ),
            tooltip=[
                alt.Tooltip("partner:N"),
                alt.Tooltip("part:N"),
                alt.Tooltip("amount:Q", title=unit, format=",.2f"),
            ],
        )
        .properties(
            width=width,
            height=36 * len(order),
            title=alt.Title(
                "Each partner's benefit under the deal",
                subtitle="All benefit (cashable + non-cashable): what each puts in, what it keeps.",
            ),
        )
    )
    return attribute(chart, attribution).properties(description=deal_description(table))
