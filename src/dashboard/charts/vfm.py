"""Value-for-money charts: outcome against spend per head (bubbles by population, quadrants at
the medians, brush to list places), better or worse than expected given need against spend, and
the efficiency-frontier scores. Pure Altair builders taking the tables of
dashboard.analysis.vfm; every chart carries its sources and licence."""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from dashboard.analysis.vfm import CAVEAT, DEA_CAVEAT, QUADRANTS
from dashboard.charts.theme import HIGHLIGHT, attribute
from dashboard.formatting import format_difference, format_value, unit_label

INK = "#1B1F24"
MUTED = "#6B7580"
GROUP_LABEL = "Comparison group"
OTHER_LABEL = "Other places"
#: Names of the scatter's selection parameters (st.altair_chart reports them by name).
BRUSH = "brush"
PICK = "pick"


def _lines(*texts: str, width: int = 105) -> list[str]:
    """Subtitle lines wrapped to about the chart's width."""
    return [line for t in texts for line in textwrap.wrap(t, width)]


def _population_legend(pop: pd.Series) -> alt.Legend:
    """A size legend with round values inside the data's range."""
    lo, hi = (float(pop.min()), float(pop.max())) if pop.notna().any() else (0.0, 1.0)
    nice = [50_000, 100_000, 250_000, 500_000, 1_000_000, 1_500_000, 2_000_000]
    values = [v for v in nice if lo <= v <= hi][-3:] or [round(hi, -3)]
    return alt.Legend(
        title="Population", format=",.0f", orient="right", direction="vertical", values=values
    )


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def roles(codes: pd.Index | list[str], place: str, place_name: str, group: list[str]) -> list[str]:
    """Legend label per place: the place's name, the comparison group, or other places."""
    members = set(group)
    return [
        place_name if c == place else GROUP_LABEL if c in members else OTHER_LABEL for c in codes
    ]


def _colour(place_name: str, title: str | None = None) -> alt.Color:
    return alt.Color(
        "role:N",
        scale=alt.Scale(
            domain=[place_name, GROUP_LABEL, OTHER_LABEL],
            range=[HIGHLIGHT["place"], HIGHLIGHT["group"], HIGHLIGHT["other"]],
        ),
        legend=alt.Legend(title=title, orient="top", labelLimit=300, symbolSize=140),
    )


def _order(data: pd.DataFrame, place_name: str) -> pd.DataFrame:
    """Draw others first, the group above them and the place on top."""
    rank = {OTHER_LABEL: 0, GROUP_LABEL: 1, place_name: 2}
    return data.assign(draw_order=data["role"].map(rank)).sort_values("draw_order")


def scatter_data(
    table: pd.DataFrame, place: str, place_name: str, group: list[str], outcome_unit: str
) -> pd.DataFrame:
    """The need-fit table with roles and readable texts (units in every tooltip)."""
    t = table.reset_index()
    t["role"] = roles(t["place_code"], place, place_name, group)
    pop = t["population_persons"]
    t["population_size"] = pop.fillna(pop.median() if pop.notna().any() else 1.0)
    t["spend_text"] = [format_value(v, "gbp_per_head") for v in t["spend_gbp_per_head"]]
    t["outcome_text"] = [format_value(v, outcome_unit) for v in t["outcome"]]
    t["population_text"] = [format_value(v, "persons") for v in pop]
    if "expected_outcome" in t:
        t["expected_text"] = [format_value(v, outcome_unit) for v in t["expected_outcome"]]
        t["bte_text"] = [format_difference(v, outcome_unit) for v in t["better_than_expected"]]
    return _order(t, place_name)


def _tips(extra: list[alt.Tooltip] | None = None) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("place_name:N", title="Place"),
        alt.Tooltip("spend_text:N", title="Spend"),
        alt.Tooltip("outcome_text:N", title="Outcome"),
        *(extra or []),
        alt.Tooltip("population_text:N", title="Population"),
        alt.Tooltip("role:N", title="Shown as"),
    ]


def _better_axis_title(label: str, unit: str, polarity: str) -> str:
    arrow = "better ↑ (lower is better)" if polarity == "lower_is_better" else "better ↑"
    return f"{_short(label, 56)} ({unit_label(unit)}), {arrow}"


def _quadrant_labels(width: int, height: int) -> alt.Chart:
    """The four quadrant names in the plot's corners (better is always up)."""
    pad = 6
    spots = [
        (QUADRANTS[0], pad, pad, "left", "top"),
        (QUADRANTS[1], width - pad, pad, "right", "top"),
        (QUADRANTS[2], pad, height - pad, "left", "bottom"),
        (QUADRANTS[3], width - pad, height - pad, "right", "bottom"),
    ]
    layers = [
        alt.Chart(alt.Data(values=[{}]))
        .mark_text(
            align=align, baseline=base, fontSize=12, fontStyle="italic", color=MUTED, opacity=0.9
        )
        .encode(x=alt.value(x), y=alt.value(y), text=alt.value(text))
        for text, x, y, align, base in spots
    ]
    return alt.layer(*layers)


def tradeoff_chart(
    data: pd.DataFrame,
    *,
    place_name: str,
    spend_label: str,
    outcome_label: str,
    outcome_unit: str,
    polarity: str,
    spend_median: float,
    outcome_median: float,
    periods_text: str,
    across_text: str,
    attribution: str,
    width: int = 640,
    height: int = 420,
) -> alt.TopLevelMixin:
    """Outcome against spend per head: bubble area by population, dashed rules at the medians of
    the places compared, the place and its group highlighted. Drag to brush an area or click a
    bubble; the selections are named ``brush`` and ``pick``."""
    brush = alt.selection_interval(name=BRUSH, encodings=["x", "y"])
    pick = alt.selection_point(name=PICK, fields=["place_code"], on="click", clear="dblclick")
    x = alt.X(
        "spend_gbp_per_head:Q",
        title=f"{_short(spend_label, 60)} (£ per head)",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=",.0f", labelExpr="'£' + datum.label"),
    )
    y = alt.Y(
        "outcome:Q",
        title=_better_axis_title(outcome_label, outcome_unit, polarity),
        scale=alt.Scale(zero=False, nice=True, reverse=polarity == "lower_is_better"),
    )
    size = alt.Size(
        "population_size:Q",
        scale=alt.Scale(range=[25, 700]),
        legend=_population_legend(data["population_size"]),
    )
    base = alt.Chart(data)
    points = (
        base.mark_circle(stroke="white", strokeWidth=0.6)
        .encode(
            x=x,
            y=y,
            size=size,
            color=_colour(place_name),
            order=alt.Order("draw_order:Q"),
            opacity=alt.condition(brush, alt.value(0.85), alt.value(0.25)),
            tooltip=_tips(),
        )
        .add_params(brush, pick)
    )
    me = data[data["role"] == place_name]
    ring = (
        alt.Chart(me)
        .mark_point(size=420, stroke=INK, strokeWidth=1.6, filled=False)
        .encode(x="spend_gbp_per_head:Q", y="outcome:Q", tooltip=_tips())
    )
    label = (
        alt.Chart(me)
        .mark_text(align="left", dx=14, dy=-10, fontSize=13, fontWeight="bold", color=INK)
        .encode(x="spend_gbp_per_head:Q", y="outcome:Q", text="place_name:N")
    )
    rule_style = dict(color="#8A949E", strokeDash=[5, 4], strokeWidth=1.2)
    vrule = (
        alt.Chart(alt.Data(values=[{"v": spend_median}])).mark_rule(**rule_style).encode(x="v:Q")
    )
    hrule = (
        alt.Chart(alt.Data(values=[{"v": outcome_median}])).mark_rule(**rule_style).encode(y="v:Q")
    )
    chart = alt.layer(
        vrule, hrule, _quadrant_labels(width, height), points, ring, label
    ).properties(width=width, height=height)
    title = alt.TitleParams(
        f"{_short(outcome_label, 70)} against spend per head",
        subtitle=_lines(
            f"{across_text}; dashed lines: medians ({format_value(spend_median, 'gbp_per_head')}, "
            f"{format_value(outcome_median, outcome_unit)}). Bubble area: population.",
            f"Periods: {periods_text}.",
        ),
    )
    return attribute(chart, attribution).properties(title=title)


def residual_chart(
    data: pd.DataFrame,
    *,
    place_name: str,
    spend_label: str,
    outcome_label: str,
    outcome_unit: str,
    n: int,
    r2: float,
    need_text: str,
    across_text: str,
    attribution: str,
    width: int = 640,
    height: int = 380,
) -> alt.TopLevelMixin:
    """Better or worse than expected given need (outcome units, positive = better) against
    spend per head, with a zero line, n and R² in the subtitle and the caveat."""
    x = alt.X(
        "spend_gbp_per_head:Q",
        title=f"{_short(spend_label, 60)} (£ per head)",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=",.0f", labelExpr="'£' + datum.label"),
    )
    diff_unit = "percentage points" if outcome_unit == "percent" else unit_label(outcome_unit)
    y = alt.Y(
        "better_than_expected:Q",
        title=f"Better (+) or worse (−) than expected ({diff_unit})",
    )
    tips = _tips(
        [
            alt.Tooltip("expected_text:N", title="Expected given need"),
            alt.Tooltip("bte_text:N", title="Better (+) / worse (−) than expected"),
        ]
    )
    base = alt.Chart(data)
    zero = (
        alt.Chart(alt.Data(values=[{"v": 0}])).mark_rule(color=INK, strokeWidth=1.2).encode(y="v:Q")
    )
    points = base.mark_circle(stroke="white", strokeWidth=0.6, opacity=0.85).encode(
        x=x,
        y=y,
        size=alt.Size("population_size:Q", scale=alt.Scale(range=[25, 500]), legend=None),
        color=_colour(place_name),
        order=alt.Order("draw_order:Q"),
        tooltip=tips,
    )
    me = data[data["role"] == place_name]
    ring = (
        alt.Chart(me)
        .mark_point(size=380, stroke=INK, strokeWidth=1.6, filled=False)
        .encode(x="spend_gbp_per_head:Q", y="better_than_expected:Q", tooltip=tips)
    )
    label = (
        alt.Chart(me)
        .mark_text(align="left", dx=14, dy=-10, fontSize=13, fontWeight="bold", color=INK)
        .encode(x="spend_gbp_per_head:Q", y="better_than_expected:Q", text="place_name:N")
    )
    chart = alt.layer(zero, points, ring, label).properties(width=width, height=height)
    title = alt.TitleParams(
        f"{_short(outcome_label, 60)}: better or worse than expected given need",
        subtitle=_lines(
            f"Expected from a regression on {need_text}, {across_text.lower()}: "
            f"n = {n} places, R² = {r2:.2f}. Above the line: better than expected.",
            CAVEAT,
        ),
    )
    return attribute(chart, attribution).properties(title=title)


def frontier_data(
    table: pd.DataFrame, place: str, place_name: str, group: list[str]
) -> pd.DataFrame:
    """Frontier scores ranked (1 = highest score) with roles and texts."""
    t = table.reset_index().sort_values(
        ["dea_score_0_1", "spend_gbp_per_head"], ascending=[False, True]
    )
    t["rank"] = np.arange(1, len(t) + 1)
    t["role"] = roles(t["place_code"], place, place_name, group)
    t["score_text"] = [f"{v:.2f}" for v in t["dea_score_0_1"]]
    t["spend_text"] = [format_value(v, "gbp_per_head") for v in t["spend_gbp_per_head"]]
    t["target_text"] = [format_value(v, "gbp_per_head") for v in t["spend_target_gbp_per_head"]]
    t["peers_text"] = [p if p else "itself" for p in t["peers"]]
    return t


def frontier_chart(
    data: pd.DataFrame,
    *,
    place_name: str,
    outputs_text: str,
    need_text: str,
    across_text: str,
    attribution: str,
    width: int = 640,
    height: int = 300,
) -> alt.TopLevelMixin:
    """Every place's efficiency score (0-1) as a ranked column, the place marked."""
    tips = [
        alt.Tooltip("place_name:N", title="Place"),
        alt.Tooltip("score_text:N", title="Efficiency score (0–1)"),
        alt.Tooltip("spend_text:N", title="Spend"),
        alt.Tooltip("target_text:N", title="Frontier spend for its outcomes"),
        alt.Tooltip("peers_text:N", title="Compared with (weights)"),
        alt.Tooltip("role:N", title="Shown as"),
    ]
    x = alt.X(
        "rank:O",
        title=f"Places ranked by score (1 = on the frontier; {len(data)} places)",
        axis=alt.Axis(labels=False, ticks=False),
        scale=alt.Scale(paddingInner=0.15),
    )
    y = alt.Y(
        "dea_score_0_1:Q",
        title="Efficiency score (0–1)",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".1f"),
    )
    bars = alt.Chart(data).mark_bar().encode(x=x, y=y, color=_colour(place_name), tooltip=tips)
    me = data[data["role"] == place_name]
    marker = (
        alt.Chart(me)
        .mark_point(shape="triangle-down", size=180, filled=True, color=HIGHLIGHT["place"])
        .encode(x=x, y=alt.Y("dea_score_0_1:Q"), yOffset=alt.value(-12), tooltip=tips)
    )
    label = (
        alt.Chart(me)
        .mark_text(dy=-28, fontSize=13, fontWeight="bold", color=INK)
        .encode(
            x=x,
            y=alt.Y("dea_score_0_1:Q"),
            text=alt.Text("label:N"),
        )
        .transform_calculate(label="datum.place_name + ': ' + datum.score_text")
    )
    chart = alt.layer(bars, marker, label).properties(width=width, height=height)
    title = alt.TitleParams(
        "Efficiency frontier: share of its spend each place would need",
        subtitle=_lines(
            f"Input: spend per head. Outcomes: {outputs_text}. Need (no easier than the "
            f"place's own): {need_text}. {across_text}.",
            DEA_CAVEAT,
        ),
    )
    return attribute(chart, attribution).properties(title=title)
