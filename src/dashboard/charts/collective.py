"""The collective picture's chart: public spend in a place by agency and service line, stacked,
beside the comparison group's medians (per head or in total). Pure Altair over
``analysis.collective.lines_frame``; agency colours are categorical (``theme.AGENCY_COLOURS``)
and say nothing about better or worse."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from dashboard.bundle.schema import AGENCIES
from dashboard.charts.steady import set_title, steady_description, with_title
from dashboard.charts.theme import agency_colour, attribute
from dashboard.formatting import format_gbp

#: The two measures the chart can show: column of lines_frame -> (axis words, median column).
MEASURES: dict[str, tuple[str, str]] = {
    "per_head": ("£ per head", "group_median_per_head"),
    "total": ("£ in total", "group_median_total"),
}
BAR_PX = 44


def _money(value: float, measure: str) -> str:
    if measure == "total":
        return format_gbp(value)
    return f"£{value:,.0f} per head"


def stack_data(lines: pd.DataFrame, place_name: str, measure: str = "per_head") -> pd.DataFrame:
    """The chart's rows: one per bar (the place, the group's medians) and spend line, with the
    agency, the line, the value in £ (per head or total) and its text; lines without a figure
    are left out of their bar."""
    median_col = MEASURES[measure][1]
    order = {a: i for i, a in enumerate(AGENCIES)}
    rows = []
    bars = ((place_name, measure), ("Comparison group (median of each line)", median_col))
    for bar_order, (bar, col) in enumerate(bars):
        for i, rec in enumerate(lines.to_dict("records")):
            v = rec[col]
            if v is None or pd.isna(v):
                continue
            rows.append(
                {
                    "bar": bar,
                    "bar_order": bar_order,
                    "agency": rec["agency"],
                    "agency_label": rec["agency_label"],
                    "line": rec["line"],
                    "service_label": rec["service_label"],
                    "value": float(v),
                    "value_text": _money(float(v), measure),
                    "order": order.get(rec["agency"], len(order)) * 1000 + i,
                }
            )
    cols = [
        "bar",
        "bar_order",
        "agency",
        "agency_label",
        "line",
        "service_label",
        "value",
        "value_text",
        "order",
    ]
    return pd.DataFrame(rows, columns=cols)


def collective_chart(
    lines: pd.DataFrame,
    place_name: str,
    group_text: str,
    period: str,
    attribution: str,
    measure: str = "per_head",
    prices_text: str = "cash",
    width: int = 640,
) -> alt.TopLevelMixin:
    """Stacked bars of public spend by agency and line: the place beside the comparison
    group's median of each line; ``measure`` is ``per_head`` (£ per head) or ``total`` (£)."""
    data = stack_data(lines, place_name, measure)
    words = MEASURES[measure][0]
    present = [a for a in AGENCIES if a in set(data["agency"])]
    colour = alt.Color(
        "agency_label:N",
        title="Agency",
        scale=alt.Scale(
            domain=[AGENCIES[a] for a in present], range=[agency_colour(a) for a in present]
        ),
        legend=alt.Legend(orient="top", direction="horizontal", labelLimit=200, title=None),
        sort=[AGENCIES[a] for a in present],
    )
    axis = (
        alt.Axis(labelExpr="'£' + format(datum.value / 1000000, ',.0f') + 'm'", tickCount=6)
        if measure == "total"
        else alt.Axis(format=",.0f", labelExpr="'£' + datum.label", tickCount=6)
    )
    chart = (
        alt.Chart(data)
        .mark_bar(height=BAR_PX, stroke="white", strokeWidth=1)
        .encode(
            y=alt.Y(
                "bar:N",
                title=None,
                sort=alt.EncodingSortField("bar_order", op="min"),  # the place on top
                axis=alt.Axis(labelLimit=240, ticks=False, labelFontSize=13),
            ),
            x=alt.X(
                "sum(value):Q",
                title=f"Public spend, {words}, {prices_text} ({period})",
                axis=axis,
                stack="zero",
            ),
            color=colour,
            order=alt.Order("order:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("agency_label:N", title="Agency"),
                alt.Tooltip("line:N", title="Line"),
                alt.Tooltip("service_label:N", title="Service"),
                alt.Tooltip("value_text:N", title=words),
                alt.Tooltip("bar:N", title="Bar"),
            ],
        )
        .properties(width=width, height=alt.Step(BAR_PX + 22))
    )
    title = alt.TitleParams(
        f"Public spend in {place_name} by agency: {words}, {period}",
        subtitle=[
            f"Each block is one spend line; the lower bar adds up the median of each line in "
            f"{group_text}.",
            "Colours name the agency, not better or worse.",
        ],
    )
    return attribute(chart, attribution).properties(
        title=title,
        description=collective_description(data, place_name, group_text, period, words),
    )


#: Stands for the comparison group's words in a chart built once (collective_template); the
#: place's name travels in the rows (charts.steady).
GROUP_MARK = "__pve_group__"
#: The name of the chart's rows among its spec's datasets.
COLLECTIVE_ROWS = "spend_rows"


def collective_agencies(data: pd.DataFrame) -> tuple[str, ...]:
    """The agencies a chart of ``data`` (stack_data's rows) shows, in their order: its colours
    and legend."""
    present = set(data["agency"])
    return tuple(a for a in AGENCIES if a in present)


def collective_template(
    lines: pd.DataFrame,
    period: str,
    attribution: str,
    measure: str = "per_head",
    prices_text: str = "cash",
) -> str:
    """The chart's Vega-Lite spec as JSON with GROUP_MARK where the group's words go, its title
    read from the rows and no rows: built once, it serves every place with the same agencies
    (collective_agencies), period, measure and prices; ``lines`` only gives it a shape."""
    chart = collective_chart(
        lines,
        place_name="",
        group_text=GROUP_MARK,
        period=period,
        attribution=attribution,
        measure=measure,
        prices_text=prices_text,
    )
    spec = chart.to_dict(validate=False)
    names = list(spec.pop("datasets", {}))
    spec["description"] = steady_description(str(spec["description"]))
    set_title(spec, COLLECTIVE_ROWS)
    text = json.dumps(spec)
    for name in names:
        text = text.replace(json.dumps(name), json.dumps(COLLECTIVE_ROWS))
    return text


def collective_fill(
    template: str,
    data: pd.DataFrame,
    place_name: str,
    group_text: str,
    period: str,
    measure: str = "per_head",
) -> tuple[dict, str]:
    """The chart of ``data`` (stack_data's rows for ``place_name``) from its template, and the
    chart in words (plain text): the group's words put in, the rows attached with the title in
    them. The spec is the same for every place with the same agencies and group words."""
    spec = json.loads(template.replace(GROUP_MARK, json.dumps(group_text)[1:-1]))
    words = MEASURES[measure][0]
    title = f"Public spend in {place_name} by agency: {words}, {period}"
    spec["datasets"] = {COLLECTIVE_ROWS: with_title(data, title)}
    return spec, collective_description(data, place_name, group_text, period, words)


def collective_description(
    data: pd.DataFrame, place_name: str, group_text: str, period: str, words: str
) -> str:
    """The chart in words: the total of each bar and each agency's part of the place's bar."""
    head = f"Stacked bar chart: public spend in {place_name} by agency and line, {words}, {period}"
    own = data[data["bar"] == place_name]
    if own.empty:
        return head + ": no figures."
    measure = "total" if words == MEASURES["total"][0] else "per_head"
    parts = own.groupby("agency_label", sort=False)["value"].sum()
    agencies = "; ".join(f"{a} {_money(v, measure)}" for a, v in parts.items())
    text = f"{head}: {_money(own['value'].sum(), measure)} in all ({agencies})"
    grp = data[data["bar"] != place_name]
    if not grp.empty:
        text += f"; the medians of each line in {group_text} add up to "
        text += _money(grp["value"].sum(), measure)
    return text + "."
