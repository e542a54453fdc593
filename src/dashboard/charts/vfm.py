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
from dashboard.charts.describe import (
    frontier_description,
    residual_description,
    tradeoff_description,
)
from dashboard.charts.theme import HIGHLIGHT, attribute
from dashboard.formatting import format_difference, format_value, unit_label

INK = "#1B1F24"
MUTED = "#6B7580"
GROUP_LABEL = "Comparison group"
OTHER_LABEL = "Other places"
#: Names of the scatter's selection parameters (st.altair_chart reports them by name).
BRUSH = "brush"
PICK = "pick"
#: The named dataset every chart here draws: build a chart once (it is slow), then attach the
#: rows of each run as ``spec["datasets"][POINTS]`` (see :func:`with_data`).
POINTS = "points"


#: Axis labels in pounds, with the minus sign before the pound sign (net spend can be negative).
POUNDS_LABEL = "datum.value < 0 ? '−£' + format(-datum.value, ',.0f') : '£' + datum.label"


def _points() -> alt.Chart:
    return alt.Chart(alt.Data(name=POINTS))


def with_data(spec: dict, data: pd.DataFrame) -> dict:
    """A built chart's spec with this run's rows as its data."""
    return {**spec, "datasets": {**spec.get("datasets", {}), POINTS: data}}


def description(kind: str, data: pd.DataFrame, place_name: str, **kwargs: object) -> str:
    """The text description of a chart (``kind``: tradeoff, residual or frontier) from the rows
    it draws and the keyword arguments its builder took."""
    if kind == "tradeoff":
        return tradeoff_description(
            data,
            place_name,
            str(kwargs["outcome_label"]),
            str(kwargs["outcome_unit"]),
            str(kwargs["periods_text"]),
        )
    if kind == "residual":
        return residual_description(data, place_name, str(kwargs["outcome_label"]))
    return frontier_description(data, place_name)


def _lines(*texts: str, width: int = 105) -> list[str]:
    """Subtitle lines wrapped to about the chart's width."""
    return [line for t in texts for line in textwrap.wrap(t, width)]


def population_legend_values(pop: pd.Series) -> tuple[float, ...]:
    """Up to three round populations inside the data's range, for the size legend."""
    lo, hi = (float(pop.min()), float(pop.max())) if pop.notna().any() else (0.0, 1.0)
    nice = [50_000, 100_000, 250_000, 500_000, 1_000_000, 1_500_000, 2_000_000]
    return tuple([v for v in nice if lo <= v <= hi][-3:] or [round(hi, -3)])


def _population_legend(values: tuple[float, ...]) -> alt.Legend:
    return alt.Legend(
        title="Population",
        format=",.0f",
        orient="right",
        direction="vertical",
        values=list(values),
    )


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _colour(place_name: str, title: str | None = None) -> alt.Color:
    return alt.Color(
        "role:N",
        scale=alt.Scale(
            domain=[place_name, GROUP_LABEL, OTHER_LABEL],
            range=[HIGHLIGHT["place"], HIGHLIGHT["group"], HIGHLIGHT["other"]],
        ),
        legend=alt.Legend(title=title, orient="top", labelLimit=300, symbolSize=140),
    )


def with_roles(base: pd.DataFrame, place: str, place_name: str, group: list[str]) -> pd.DataFrame:
    """Rows of :func:`scatter_base` (or :func:`frontier_data`) with each place's role, drawn
    others first, the group above them and the place on top (cheap: runs per place)."""
    codes = base["place_code"].to_numpy()
    members = set(group)
    in_group = np.fromiter((c in members for c in codes), bool, len(codes))
    is_place = codes == place
    order = np.where(is_place, 2, np.where(in_group, 1, 0))
    role = np.where(is_place, place_name, np.where(in_group, GROUP_LABEL, OTHER_LABEL))
    out = base.assign(role=role, is_place=is_place, draw_order=order)
    return out.iloc[np.argsort(order, kind="stable")]


def scatter_base(table: pd.DataFrame, outcome_unit: str) -> pd.DataFrame:
    """The need-fit table with readable texts (units in every tooltip) and a bubble size;
    the same for every place, so it can be computed once per fit."""
    t = table.reset_index()
    pop = t["population_persons"]
    t["population_size"] = pop.fillna(pop.median() if pop.notna().any() else 1.0)
    t["spend_text"] = [format_value(v, "gbp_per_head") for v in t["spend_gbp_per_head"]]
    t["outcome_text"] = [format_value(v, outcome_unit) for v in t["outcome"]]
    t["population_text"] = [format_value(v, "persons") for v in pop]
    if "expected_outcome" in t:
        t["expected_text"] = [format_value(v, outcome_unit) for v in t["expected_outcome"]]
        t["bte_text"] = [format_difference(v, outcome_unit) for v in t["better_than_expected"]]
    return t


def scatter_data(
    table: pd.DataFrame, place: str, place_name: str, group: list[str], outcome_unit: str
) -> pd.DataFrame:
    """The need-fit table with roles and readable texts (units in every tooltip)."""
    return with_roles(scatter_base(table, outcome_unit), place, place_name, group)


def _tips(extra: list[alt.Tooltip] | None = None) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("place_name:N", title="Place"),
        alt.Tooltip("spend_text:N", title="Spend"),
        alt.Tooltip("outcome_text:N", title="Outcome"),
        *(extra or []),
        alt.Tooltip("population_text:N", title="Population"),
        alt.Tooltip("role:N", title="Shown as"),
    ]


def _me() -> alt.Chart:
    """The selected place's row only."""
    return _points().transform_filter("datum.is_place")


def _halo_label(x: str, y: str) -> alt.LayerChart:
    """The place's name beside its bubble, on a white outline so it reads over other bubbles."""
    style = dict(align="left", dx=14, dy=-10, fontSize=13, fontWeight="bold")
    base = _me().encode(x=x, y=y, text="place_name:N")
    halo = base.mark_text(**style, stroke="white", strokeWidth=4, strokeJoin="round")
    return alt.layer(halo, base.mark_text(**style, color=INK))


def _better_axis_title(label: str, unit: str, polarity: str) -> str:
    arrow = "better ↑ (lower is better)" if polarity == "lower_is_better" else "better ↑"
    return f"{_short(label, 56)} ({unit_label(unit)}), {arrow}"


def _quadrant_labels(width: int, height: int) -> alt.LayerChart:
    """The four quadrant names in the plot's corners (better is always up), placed in pixels."""
    pad = 8
    rows = {
        "left": [
            {"text": QUADRANTS[0], "px": pad, "py": pad + 6},
            {"text": QUADRANTS[2], "px": pad, "py": height - pad - 6},
        ],
        "right": [
            {"text": QUADRANTS[1], "px": width - pad, "py": pad + 6},
            {"text": QUADRANTS[3], "px": width - pad, "py": height - pad - 6},
        ],
    }
    return alt.layer(
        *(
            alt.Chart(alt.Data(values=values))
            .mark_text(align=align, baseline="middle", fontSize=12, fontStyle="italic", color=MUTED)
            .encode(
                x=alt.X("px:Q", scale=None),
                y=alt.Y("py:Q", scale=None),
                text="text:N",
            )
            for align, values in rows.items()
        )
    )


def tradeoff_chart(
    *,
    population_legend: tuple[float, ...],
    place_name: str,
    spend_label: str,
    money: str = "",
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
        title=f"{_short(spend_label, 60)} (£ per head{', ' + money if money else ''})",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=",.0f", labelExpr=POUNDS_LABEL),
    )
    y = alt.Y(
        "outcome:Q",
        title=_better_axis_title(outcome_label, outcome_unit, polarity),
        scale=alt.Scale(zero=False, nice=True, reverse=polarity == "lower_is_better"),
    )
    size = alt.Size(
        "population_size:Q",
        scale=alt.Scale(range=[25, 700]),
        legend=_population_legend(population_legend),
    )
    points = (
        _points()
        .mark_circle(stroke="white", strokeWidth=0.6)
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
    ring = (
        _me()
        .mark_point(size=420, stroke=INK, strokeWidth=1.6, filled=False)
        .encode(x="spend_gbp_per_head:Q", y="outcome:Q", tooltip=_tips())
    )
    label = _halo_label("spend_gbp_per_head:Q", "outcome:Q")
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
    *,
    place_name: str,
    spend_label: str,
    money: str = "",
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
        title=f"{_short(spend_label, 60)} (£ per head{', ' + money if money else ''})",
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=",.0f", labelExpr=POUNDS_LABEL),
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
    zero = (
        alt.Chart(alt.Data(values=[{"v": 0}])).mark_rule(color=INK, strokeWidth=1.2).encode(y="v:Q")
    )
    points = (
        _points()
        .mark_circle(stroke="white", strokeWidth=0.6, opacity=0.85)
        .encode(
            x=x,
            y=y,
            size=alt.Size("population_size:Q", scale=alt.Scale(range=[25, 500]), legend=None),
            color=_colour(place_name),
            order=alt.Order("draw_order:Q"),
            tooltip=tips,
        )
    )
    ring = (
        _me()
        .mark_point(size=380, stroke=INK, strokeWidth=1.6, filled=False)
        .encode(x="spend_gbp_per_head:Q", y="better_than_expected:Q", tooltip=tips)
    )
    label = _halo_label("spend_gbp_per_head:Q", "better_than_expected:Q")
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


def frontier_base(table: pd.DataFrame) -> pd.DataFrame:
    """Frontier scores ranked (1 = highest score) with texts; the same for every place."""
    t = table.reset_index().sort_values(
        ["dea_score_0_1", "spend_gbp_per_head"], ascending=[False, True]
    )
    t["rank"] = np.arange(1, len(t) + 1)
    t["score_text"] = [f"{v:.2f}" for v in t["dea_score_0_1"]]
    t["spend_text"] = [format_value(v, "gbp_per_head") for v in t["spend_gbp_per_head"]]
    t["target_text"] = [format_value(v, "gbp_per_head") for v in t["spend_target_gbp_per_head"]]
    t["peers_text"] = [p if p else "itself" for p in t["peers"]]
    return t


def frontier_data(
    table: pd.DataFrame, place: str, place_name: str, group: list[str]
) -> pd.DataFrame:
    """Frontier scores ranked with roles and texts (bars keep their rank order)."""
    return with_roles(frontier_base(table), place, place_name, group)


def frontier_chart(
    *,
    n_places: int,
    n_frontier: int,
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
        alt.Tooltip("score_text:N", title="Efficiency score (0–1; 1 = frontier; higher is better)"),
        alt.Tooltip("spend_text:N", title="Spend"),
        alt.Tooltip("target_text:N", title="Frontier spend for its outcomes"),
        alt.Tooltip("peers_text:N", title="Compared with (weights)"),
        alt.Tooltip("role:N", title="Shown as"),
    ]
    x = alt.X(
        "rank:O",
        title=f"{n_places} places, highest score first ({n_frontier} on the frontier, score 1)",
        axis=alt.Axis(labels=False, ticks=False),
        scale=alt.Scale(paddingInner=0.15),
    )
    y = alt.Y(
        "dea_score_0_1:Q",
        title="Efficiency score (0–1; 1 = on the frontier, higher is better)",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".1f"),
    )
    bars = _points().mark_bar().encode(x=x, y=y, color=_colour(place_name), tooltip=tips)
    marker = (
        _me()
        .mark_point(shape="triangle-down", size=180, filled=True, color=HIGHLIGHT["place"])
        .encode(x=x, y=alt.Y("dea_score_0_1:Q"), yOffset=alt.value(-12), tooltip=tips)
    )
    label = (
        _me()
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
