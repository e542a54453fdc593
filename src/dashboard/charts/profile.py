"""Place-profile charts: the spine chart, spend per head by service, and a trend with the group's
interquartile band. Pure Altair builders taking the tables of dashboard.analysis.profile."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from dashboard.analysis.profile import NOT_JUDGED, QUINTILE_LABELS
from dashboard.charts.theme import HIGHLIGHT, JUDGEMENT, QUINTILES, attribute
from dashboard.formatting import format_value, unit_label

#: Judgement categories and their colours (blue better, orange worse; one hue for quintiles).
JUDGEMENT_DOMAIN: list[str] = ["better", "similar", "worse", *QUINTILE_LABELS.values(), NOT_JUDGED]
JUDGEMENT_RANGE: list[str] = [
    JUDGEMENT["better"],
    JUDGEMENT["similar"],
    JUDGEMENT["worse"],
    *QUINTILES,
    "#FFFFFF",
]
INK = "#1B1F24"
RANGE_FILL = "#E6E9ED"
IQR_FILL = "#B3BCC6"
ENGLAND = "#4A5560"
ROW_PX = 20
LABEL_CHARS = 58


def _fmt(value: float, unit: str) -> str:
    return format_value(value, unit) if not _missing(value) else "no value"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


#: The fields the spine draws or shows in tooltips (the chart carries nothing else).
SPINE_FIELDS: tuple[str, ...] = (
    "service_label",
    "service_order",
    "label",
    "indicator",
    "period",
    "judgement",
    "direction",
    "method",
    "source",
    "value_text",
    "median_text",
    "range_text",
    "england_text",
    "rank_text",
    "pos_value",
    "pos_min",
    "pos_q1",
    "pos_median",
    "pos_q3",
    "pos_max",
    "pos_england",
)
SPEND_FIELDS: tuple[str, ...] = (
    "service_label",
    "service_order",
    "indicator",
    "period",
    "judgement",
    "source",
    "value",
    "group_min",
    "group_q1",
    "group_median",
    "group_q3",
    "group_max",
    "england",
    "value_text",
    "median_text",
    "range_text",
    "england_text",
)


def spine_data(table: pd.DataFrame) -> pd.DataFrame:
    """The profile table with the readable text the spine's tooltips show."""
    t = table.copy()
    units = t["unit"]
    t["label"] = t["indicator"].map(_short)
    t["value_text"] = [_fmt(v, u) for v, u in zip(t["value"], units, strict=True)]
    t["median_text"] = [_fmt(v, u) for v, u in zip(t["group_median"], units, strict=True)]
    # the England marker: England's published value, else the median of councils (said so)
    eng = t["england"] if "england" in t else t["england_median"]
    basis = t["england_basis"] if "england_basis" in t else pd.Series("", index=t.index)
    t["england_text"] = [
        _fmt(v, u) + (f" ({b})" if b and b != "England" and not _missing(v) else "")
        for v, u, b in zip(eng, units, basis, strict=True)
    ]
    t["range_text"] = [
        f"{_fmt(a, u)} to {_fmt(b, u)}" if not _missing(a) else "no group values"
        for a, b, u in zip(t["group_min"], t["group_max"], units, strict=True)
    ]
    t["rank_text"] = [
        f"{int(r)} of {int(n)}" if not pd.isna(r) else "not ranked"
        for r, n in zip(t["rank_in_group"], t["places_ranked"], strict=True)
    ]
    t["direction"] = t["polarity"].map(
        {
            "higher_is_better": "higher is better",
            "lower_is_better": "lower is better",
            "neutral": "no better direction",
        }
    )
    return t


def spine_chart(
    table: pd.DataFrame,
    place_name: str,
    group_text: str,
    england_text: str,
    attribution: str,
    width: int = 460,
) -> alt.TopLevelMixin:
    """Every indicator on one chart, grouped by service: the group's range (light bar) and
    interquartile range (dark bar), its median (tick), England (diamond) and the place (dot,
    coloured by judgement). Each row is scaled to the span of group, place and England, with
    better to the right (higher to the right for neutral indicators)."""
    data = spine_data(table)[list(SPINE_FIELDS)]
    order = (
        data.drop_duplicates("service_label").sort_values("service_order")["service_label"].tolist()
    )
    y = alt.Y(
        "label:N",
        sort=None,
        title=None,
        axis=alt.Axis(
            labelLimit=400, ticks=False, labelOverlap=False, labelFontSize=12.5, labelFlush=False
        ),
    )
    x_scale = alt.Scale(domain=[0, 100], nice=False, zero=False)
    x_axis = alt.Axis(
        values=[0, 50, 100],
        labelExpr=(
            "datum.value == 0 ? 'worse / lower' : datum.value == 100 ? 'better / higher' : ''"
        ),
        grid=False,
        title=None,
        labelFlush=True,
    )
    base = alt.Chart().encode(y=y)
    rng = base.mark_bar(height=13, color=RANGE_FILL).encode(
        x=alt.X("pos_min:Q", scale=x_scale, axis=x_axis), x2="pos_max:Q"
    )
    iqr = base.mark_bar(height=13, color=IQR_FILL).encode(x="pos_q1:Q", x2="pos_q3:Q")
    median = base.mark_tick(color=INK, thickness=2, size=17).encode(x="pos_median:Q")
    england = base.mark_point(
        shape="diamond", filled=True, color="white", stroke=ENGLAND, strokeWidth=1.6, size=80
    ).encode(
        x="pos_england:Q",
        tooltip=[
            alt.Tooltip("indicator:N", title="Indicator"),
            alt.Tooltip("england_text:N", title=england_text),
            alt.Tooltip("period:N", title="Period"),
        ],
    )
    dot = base.mark_circle(size=130, opacity=1, stroke=INK, strokeWidth=0.8).encode(
        x="pos_value:Q",
        color=alt.Color(
            "judgement:N",
            scale=alt.Scale(domain=JUDGEMENT_DOMAIN, range=JUDGEMENT_RANGE),
            legend=alt.Legend(
                title=f"{place_name}:",
                orient="top",
                direction="horizontal",
                columns=5,
                symbolStrokeColor=INK,
                symbolStrokeWidth=0.8,
                labelLimit=200,
            ),
        ),
        tooltip=[
            alt.Tooltip("indicator:N", title="Indicator"),
            alt.Tooltip("value_text:N", title=place_name),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("judgement:N", title="Judgement"),
            alt.Tooltip("direction:N", title="Polarity"),
            alt.Tooltip("median_text:N", title="Group median"),
            alt.Tooltip("range_text:N", title="Group range"),
            alt.Tooltip("england_text:N", title=england_text),
            alt.Tooltip("rank_text:N", title="Rank in group (1 = best)"),
            alt.Tooltip("method:N", title="Method"),
            alt.Tooltip("source:N", title="Source"),
        ],
    )
    chart = (
        alt.layer(rng, iqr, median, england, dot)
        .properties(width=width, height=alt.Step(ROW_PX))
        .facet(
            row=alt.Facet(
                "service_label:N",
                sort=order,
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelOrient="top",
                    labelAnchor="start",
                    labelAlign="left",
                    labelFontSize=14,
                    labelFontWeight="bold",
                    labelColor=INK,
                    labelPadding=-6,
                ),
            ),
            data=data,
            spacing=16,
        )
        .resolve_scale(y="independent")
    )
    title = alt.TitleParams(
        f"{place_name} against {group_text}",
        subtitle=[
            "Light bar: the group's range; dark bar: its middle half (interquartile range); "
            "black tick: group median; ◇: " + england_text + ".",
            "Each row spans the lowest to the highest of group, place and England, better to "
            "the right (higher to the right where there is no better way).",
        ],
    )
    return attribute(chart, attribution).properties(title=title)


def spend_chart(
    spend: pd.DataFrame,
    place_name: str,
    group_text: str,
    england_text: str,
    period: str,
    attribution: str,
    width: int = 520,
    prices_text: str = "",
) -> alt.TopLevelMixin:
    """Spend per head by service (£ per head): the group's range and interquartile range, its
    median, England and the place. ``prices_text`` names the price basis on the axis ("cash",
    "real terms, 2024-25 prices")."""
    data = spine_data(spend)[list(SPEND_FIELDS)]
    y = alt.Y(
        "service_label:N",
        sort=alt.EncodingSortField("service_order", order="ascending"),
        title=None,
        axis=alt.Axis(labelLimit=260, ticks=False),
    )
    x = alt.X(
        "group_min:Q",
        title=f"Net current expenditure, {unit_label('gbp_per_head')}"
        + (f", {prices_text}" if prices_text else "")
        + f" ({period})",
        axis=alt.Axis(format=",.0f", labelExpr="'£' + datum.label"),
        scale=alt.Scale(zero=True, nice=True),
    )
    base = alt.Chart(data).encode(y=y)
    tips = [
        alt.Tooltip("indicator:N", title="Indicator"),
        alt.Tooltip("value_text:N", title=place_name),
        alt.Tooltip("median_text:N", title="Group median"),
        alt.Tooltip("range_text:N", title="Group range"),
        alt.Tooltip("england_text:N", title=england_text),
        alt.Tooltip("judgement:N", title="Quintile in group"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("source:N", title="Source"),
    ]
    rng = base.mark_bar(height=16, color=RANGE_FILL).encode(x=x, x2="group_max:Q", tooltip=tips)
    iqr = base.mark_bar(height=16, color=IQR_FILL).encode(
        x="group_q1:Q", x2="group_q3:Q", tooltip=tips
    )
    median = base.mark_tick(color=INK, thickness=2, size=20).encode(x="group_median:Q")
    england = base.mark_point(
        shape="diamond", filled=True, color="white", stroke=ENGLAND, strokeWidth=1.6, size=80
    ).encode(x="england:Q", tooltip=tips)
    dot = base.mark_circle(
        size=160, color=HIGHLIGHT["place"], opacity=1, stroke=INK, strokeWidth=0.8
    ).encode(x="value:Q", tooltip=tips)
    chart = alt.layer(rng, iqr, median, england, dot).properties(width=width, height=alt.Step(30))
    title = alt.TitleParams(
        f"Spend per head by service: {place_name} against {group_text}",
        subtitle=[
            f"Dot: {place_name}; light bar: group range; dark bar: interquartile range; "
            f"tick: group median; ◇: {england_text}.",
            "Spending more or less is not better or worse in itself: read it beside need and "
            "outcomes.",
        ],
    )
    return attribute(chart, attribution).properties(title=title)


def trend_chart(
    trend: pd.DataFrame,
    indicator: str,
    unit: str,
    place_name: str,
    group_text: str,
    england_text: str,
    attribution: str,
    width: int = 640,
    prices_text: str = "",
) -> alt.TopLevelMixin:
    """The place's value over the periods against the group's median and interquartile band
    (shaded) and England (its published value, else the median of councils). ``prices_text``
    (money only) names the price basis in the axis title and subtitle ("cash", "real terms,
    2024-25 prices")."""
    eng_col = "england" if "england" in trend else "england_median"
    series = {
        "place_value": place_name,
        "group_median": "Group median",
        eng_col: england_text,
    }
    long = trend.melt(
        id_vars=["period"], value_vars=list(series), var_name="series", value_name="value"
    )
    long["series"] = long["series"].map(series)
    long["value_text"] = [_fmt(v, unit) for v in long["value"]]
    long = long[long["value"].notna()]
    band_data = trend[trend["group_q1"].notna()].assign(
        q1_text=lambda d: [_fmt(v, unit) for v in d["group_q1"]],
        q3_text=lambda d: [_fmt(v, unit) for v in d["group_q3"]],
    )
    # periods sit at their end year, so a gap in the series shows as a gap in time
    long = long.merge(trend[["period", "end_year"]], on="period")
    names = ", ".join(
        f"'{y}': '{p}'" for p, y in zip(trend["period"], trend["end_year"], strict=True)
    )
    x = alt.X(
        "end_year:Q",
        title="Period",
        scale=alt.Scale(
            domain=[float(trend["end_year"].min()) - 0.4, float(trend["end_year"].max()) + 0.4],
            nice=False,
        ),
        axis=alt.Axis(
            values=trend["end_year"].dropna().astype(int).tolist(),
            labelExpr=f"{{{names}}}[datum.value] || ''",
            grid=False,
            labelAngle=0,
        ),
    )
    basis = f", {prices_text}" if prices_text else ""
    y_title = f"{_short(indicator, 60)} ({unit_label(unit)}{basis})"
    band = (
        alt.Chart(band_data)
        .mark_area(color=HIGHLIGHT["group"], opacity=0.18)
        .encode(
            x=x,
            y=alt.Y("group_q1:Q", title=y_title, scale=alt.Scale(zero=False)),
            y2="group_q3:Q",
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("q1_text:N", title="Group lower quartile"),
                alt.Tooltip("q3_text:N", title="Group upper quartile"),
                alt.Tooltip("group_places:Q", title="Group places with a value"),
            ],
        )
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=[place_name, "Group median", england_text],
            range=[HIGHLIGHT["place"], HIGHLIGHT["group"], ENGLAND],
        ),
        legend=alt.Legend(
            title=None, orient="top", labelLimit=320, symbolType="stroke", symbolStrokeWidth=3
        ),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(
            domain=[place_name, "Group median", england_text], range=[[1, 0], [1, 0], [5, 4]]
        ),
        legend=alt.Legend(
            title=None, orient="top", labelLimit=320, symbolType="stroke", symbolStrokeWidth=3
        ),
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=alt.Scale(zero=False)),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value_text:N", title="Value"),
            ],
        )
    )
    chart = alt.layer(band, lines).properties(width=width, height=320)
    title = alt.TitleParams(
        _short(indicator, 80),
        subtitle=(
            f"{place_name} against the median of {group_text}; shaded: the group's middle half "
            "(interquartile range)." + (f" Money: {prices_text}." if prices_text else "")
        ),
    )
    return attribute(chart, attribution).properties(title=title)
