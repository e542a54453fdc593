"""Place-profile charts: the spine chart, spend per head by service, and a trend with the group's
interquartile band. Pure Altair builders taking the tables of dashboard.analysis.profile."""

from __future__ import annotations

import json
import math
import re

import altair as alt
import pandas as pd

from dashboard.analysis.profile import NOT_JUDGED, QUINTILE_LABELS, value_text
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.charts.describe import spend_description, spine_description, trend_description
from dashboard.charts.steady import set_title, steady_description, with_title
from dashboard.charts.theme import HIGHLIGHT, JUDGEMENT, QUINTILES, attribute
from dashboard.formatting import format_value, unit_label

#: Judgements of indicators with a better direction: round dots, blue better, orange worse.
JUDGEMENT_DOMAIN: list[str] = ["better", "similar", "worse", NOT_JUDGED]
JUDGEMENT_RANGE: list[str] = [
    JUDGEMENT["better"],
    JUDGEMENT["similar"],
    JUDGEMENT["worse"],
    "#FFFFFF",
]
#: Quintiles of indicators with no better direction: squares in one purple hue, so a quintile
#: never reads as a judgement; keyed in words (QUINTILE_KEY), not by a legend of shades.
QUINTILE_DOMAIN: list[str] = [*QUINTILE_LABELS.values(), NOT_JUDGED]
QUINTILE_RANGE: list[str] = [*QUINTILES, "#FFFFFF"]
#: The words that stand for the quintile shades (a legend of five purples could not be read).
QUINTILE_KEY = (
    "■: spend, need or context (no better or worse), shaded darker the higher its quintile in "
    "the group; the tooltip names the quintile."
)
INK = "#1B1F24"
RANGE_FILL = "#E6E9ED"
IQR_FILL = "#B3BCC6"
ENGLAND = "#4A5560"
ROW_PX = 20
#: px the value text at the end of each spine row takes ("£1,438 per head", "69.0 per 10,000 · 2025").
VALUE_TEXT_PX = 180
LABEL_CHARS = 52


def _fmt(value: float, unit: str) -> str:
    return format_value(value, unit) if not _missing(value) else "no value"


def _text(value: float, unit: str, indicator_id: str) -> str:
    """A value in a trend's tooltip: a grade in words for an ordinal indicator."""
    return value_text(value, unit, indicator_id) if indicator_id else _fmt(value, unit)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _short(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


#: The fields the spine draws or shows in tooltips (the chart carries nothing else).
SPINE_FIELDS: tuple[str, ...] = (
    "group_label",
    "group_order",
    "label",
    "indicator",
    "period",
    "period_text",
    "row_text",
    "note",
    "family",
    "judgement",
    "shade",
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


def _row_text(value: str, period: str, period_text: str) -> str:
    """The value printed on a spine row, with its period when that is not the chosen one
    ('57.9% · 2022-23') or when a judgement was made ('Good · inspected March 2022')."""
    if period_text.startswith("inspected"):
        return f"{value} · {_short_month(period_text)}"
    missing = value == "no value" or value.startswith("not published")
    return f"{value} · {period}" if period_text != period and not missing else value


def _short_month(text: str) -> str:
    """'inspected February 2022' -> 'inspected Feb 2022' (a spine row has little room)."""
    return re.sub(
        r"\b(January|February|March|April|June|July|August|September|October|"
        r"November|December)\b",
        lambda m: m.group(1)[:3],
        text,
    )


def spine_data(table: pd.DataFrame) -> pd.DataFrame:
    """The profile table with the readable text the spine's rows and tooltips show."""
    t = table.copy(deep=False)  # new columns only: the caller's table is left as it is
    units, ids = t["unit"], t["indicator_id"]

    def words(col: str) -> list[str]:
        return [value_text(v, u, i) for v, u, i in zip(t[col], units, ids, strict=True)]

    t["label"] = t["indicator"].map(_short)
    if "period_text" not in t.columns:
        t["period_text"] = t["period"]
    if "note" not in t.columns:
        t["note"] = ""
    t["value_text"] = (
        [
            own if not _missing(v) or own.startswith("not published") else "no value"
            for own, v in zip(t["value_text"], t["value"], strict=True)
        ]
        if "value_text" in t.columns
        else words("value")
    )
    t["median_text"] = words("group_median")
    # the England marker: England's published value, else the median of councils (said so)
    eng_col = "england" if "england" in t else "england_median"
    basis = t["england_basis"] if "england_basis" in t else pd.Series("", index=t.index)
    t["england_text"] = [
        w + (f" ({b})" if b and b != "England" and not _missing(v) else "")
        for w, v, b in zip(words(eng_col), t[eng_col], basis, strict=True)
    ]
    grades = t["grades_text"] if "grades_text" in t.columns else pd.Series("", index=t.index)
    t["range_text"] = [
        g or (f"{a} to {b}" if b != "no value" else "no group values")
        for a, b, g in zip(words("group_min"), words("group_max"), grades, strict=True)
    ]
    t["row_text"] = [
        _row_text(v, p, pt)
        for v, p, pt in zip(t["value_text"], t["period"], t["period_text"], strict=True)
    ]
    t["family"] = (t["polarity"] == "neutral").map({True: "quintile", False: "judged"})
    # the quintile of a neutral indicator, as a field of its own: its own scale and legend
    t["shade"] = t["judgement"].where(t["family"] == "quintile", "")
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
    width: int = 300,
    legend_name: str | None = None,
) -> alt.TopLevelMixin:
    """Every indicator on one chart, in groups by what they measure: the group's range (light
    bar) and interquartile range (dark bar), its median (tick), England (diamond) and the place
    (a round dot coloured by judgement where there is a better direction, a square shaded by
    quintile where there is none, keyed in words in the subtitle), and the place's value printed at
    the end of the row. Each row is scaled to the span of group, place and England, with better
    to the right (higher to the right for neutral indicators)."""
    data = spine_frame(table)
    legend_name = legend_name if legend_name is not None else _short(place_name, 30)
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
    rng = base.mark_bar(height=13, color=RANGE_FILL, aria=False).encode(
        x=alt.X("pos_min:Q", scale=x_scale, axis=x_axis), x2="pos_max:Q"
    )
    iqr = base.mark_bar(height=13, color=IQR_FILL, aria=False).encode(x="pos_q1:Q", x2="pos_q3:Q")
    median = base.mark_tick(color=INK, thickness=2, size=17, aria=False).encode(x="pos_median:Q")
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
    tips = [
        alt.Tooltip("indicator:N", title="Indicator"),
        alt.Tooltip("value_text:N", title="Value here"),
        alt.Tooltip("period_text:N", title="Period"),
        alt.Tooltip("note:N", title="Note"),
        alt.Tooltip("judgement:N", title="Judgement"),
        alt.Tooltip("direction:N", title="Polarity"),
        alt.Tooltip("median_text:N", title="Group median"),
        alt.Tooltip("range_text:N", title="Group range"),
        alt.Tooltip("england_text:N", title=england_text),
        alt.Tooltip("rank_text:N", title="Rank in group (1 = best)"),
        alt.Tooltip("method:N", title="Method"),
        alt.Tooltip("source:N", title="Source"),
    ]
    legend = {
        "orient": "top",
        "direction": "horizontal",
        "symbolStrokeColor": INK,
        "symbolStrokeWidth": 0.8,
        "labelLimit": 200,
        "titleLimit": 400,
    }
    judged = (
        base.transform_filter("datum.family == 'judged'")
        .mark_point(
            shape="circle",
            filled=True,
            size=130,
            opacity=1,
            stroke=INK,
            strokeWidth=0.8,
            aria=False,
        )
        .encode(
            x="pos_value:Q",
            color=alt.Color(
                "judgement:N",
                scale=alt.Scale(domain=JUDGEMENT_DOMAIN, range=JUDGEMENT_RANGE),
                legend=alt.Legend(
                    title=f"● {legend_name}: outcome against the group",
                    symbolType="circle",
                    columns=2,
                    **legend,
                ),
            ),
            tooltip=tips,
        )
    )
    shaded = (
        base.transform_filter("datum.family == 'quintile'")
        .mark_point(
            shape="square",
            filled=True,
            size=110,
            opacity=1,
            stroke=INK,
            strokeWidth=0.8,
            aria=False,
        )
        .encode(
            x="pos_value:Q",
            fill=alt.Fill(
                "shade:N",
                scale=alt.Scale(domain=QUINTILE_DOMAIN, range=QUINTILE_RANGE),
                # no legend: five shades of one hue cannot be told apart, so the title's key
                # says it in words and the row's tooltip names the quintile
                legend=None,
            ),
            tooltip=tips,
        )
    )
    values = base.mark_text(align="left", baseline="middle", fontSize=12, color=INK).encode(
        x=alt.value(width + 12), text="row_text:N", tooltip=tips
    )
    # for screen readers each row is its value text (its label carries every tooltip field)
    # and England's diamond; the bars, ticks and dots repeat them (and a group with no dot of
    # one kind would leave an empty, unlabelled mark container)
    chart = (
        alt.layer(rng, iqr, median, england, judged, shaded, values)
        .properties(width=width, height=alt.Step(ROW_PX))
        .facet(
            row=alt.Facet(
                "group_label:N",
                # the groups in their order, whichever groups the rows hold
                sort=alt.EncodingSortField("group_order", op="min"),
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
            "black tick: group median.",
            "◊: " + england_text + ".",
            QUINTILE_KEY,
            "Each row spans the lowest to the highest of group, place and England, better to "
            "the right (higher to the right where there is no better way).",
            "At the end of each row: the place's value, with its period where that is not the "
            "period chosen.",
        ],
    )
    # the attribution starts under the bars: wrap it to the bars and the value text beside them
    return attribute(chart, attribution, width=width + VALUE_TEXT_PX).properties(
        title=title, description=spine_description(data, place_name, group_text)
    )


def spine_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The spine chart's rows (SPINE_FIELDS)."""
    return spine_data(table)[list(SPINE_FIELDS)]


#: Stands for the tier's England marker in a spine chart built once (spine_template); every
#: other word that changes with the place travels in the rows (charts.steady).
ENGLAND_MARK = "__pve_england__"
#: The spine's legend in a chart built for every place (the title names the place).
SPINE_LEGEND = "The place"
#: The name of the spine chart's rows among its spec's datasets.
SPINE_ROWS = "spine_rows"


def spine_template(table: pd.DataFrame, attribution: str, width: int = 300) -> str:
    """The spine chart's Vega-Lite spec as JSON, the same for every place at a tier: its title
    read from the rows, a description naming its kind, ENGLAND_MARK for the tier's England
    marker and no rows (``table`` only gives it a shape)."""
    chart = spine_chart(
        table,
        place_name="",
        group_text="",
        england_text=ENGLAND_MARK,
        attribution=attribution,
        width=width,
        legend_name=SPINE_LEGEND,
    )
    spec = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    spec["description"] = steady_description(str(spec["description"]))
    set_title(spec, SPINE_ROWS)
    part = next(p for p in [spec, *spec.get("vconcat", [])] if "facet" in p)
    part["data"] = {"name": SPINE_ROWS}
    return json.dumps(spec)


def spine_fill(
    template: str, table: pd.DataFrame, place_name: str, group_text: str, england_text: str
) -> tuple[dict, str]:
    """The spine chart of ``table`` from its template, and the chart in words (plain text): the
    tier's England marker put in and this place's rows attached, the title in them. The spec
    is the same for every place at a tier, so the browser only swaps its rows."""
    spec = json.loads(template.replace(ENGLAND_MARK, json.dumps(england_text)[1:-1]))
    data = spine_frame(table)
    spec["datasets"] = {SPINE_ROWS: with_title(data, f"{place_name} against {group_text}")}
    return spec, spine_description(data, place_name, group_text)


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
            f"tick: group median; ◊: {england_text}.",
            "Spending more or less is not better or worse in itself: read it beside need and "
            "outcomes.",
        ],
    )
    return attribute(chart, attribution).properties(
        title=title, description=spend_description(data, place_name, group_text, period)
    )


def _runs(long: pd.DataFrame) -> pd.Series:
    """A run label per row ('series:n'), aligned on ``long``'s index: rows of one series in one
    run of consecutive periods (same time segment, no missing value between them) share it."""
    out = pd.Series("", index=long.index, dtype=object)
    for name, g in long.sort_values("end_year", kind="stable").groupby("series", sort=False):
        breaks = (g["segment"].diff().fillna(0) != 0) | g["value"].isna().shift(fill_value=False)
        out[g.index] = [f"{name}:{n}" for n in breaks.cumsum()]
    return out


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
    gaps: str = "",
    indicator_id: str = "",
    polarity: str = "",
) -> alt.TopLevelMixin:
    """The place's value over the periods against the group's median and interquartile band
    (shaded) and England (its published value, else the median of councils). ``prices_text``
    (money only) names the price basis in the axis title and subtitle ("cash", "real terms,
    2024-25 prices"). With ``indicator_id`` of an ordinal indicator (Ofsted) the tooltips and
    the axis read the grades in words (the best grade at the top, by ``polarity``)."""
    scale = ordinal_scale(indicator_id) if unit == "ordinal" and indicator_id else None
    eng_col = "england" if "england" in trend else "england_median"
    series = {
        "place_value": place_name,
        "group_median": "Group median",
        eng_col: england_text,
    }
    trend = trend.copy()
    if "segment" not in trend.columns:
        trend["segment"] = 0
    long = trend.melt(
        id_vars=["period", "end_year", "segment"],
        value_vars=list(series),
        var_name="series",
        value_name="value",
    )
    long["series"] = long["series"].map(series)
    long["value_text"] = [_text(v, unit, indicator_id) for v in long["value"]]
    # a line is drawn only within a run of consecutive periods with a value: a new run starts
    # after a gap in time (no period published) or a period with no value for that series
    long["run"] = _runs(long)
    long = long[long["value"].notna()]
    band_data = trend[trend["group_q1"].notna()].assign(
        q1_text=lambda d: [_text(v, unit, indicator_id) for v in d["group_q1"]],
        q3_text=lambda d: [_text(v, unit, indicator_id) for v in d["group_q3"]],
    )
    band_data["run"] = _runs(band_data.assign(series="band", value=band_data["group_q1"]))
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
    y_scale = alt.Scale(zero=False)
    y_axis = alt.Axis()
    if scale is not None:  # grades: one tick per grade, in words, the best at the top
        grades = sorted(scale.labels)
        words = ", ".join(f"'{g}': {json.dumps(scale.words(float(g), short=True))}" for g in grades)
        y_title = f"{_short(indicator, 60)} (grade)"
        y_scale = alt.Scale(
            domain=[grades[0], grades[-1]],
            reverse=polarity == "lower_is_better",
            zero=False,
        )
        y_axis = alt.Axis(values=grades, labelExpr=f"{{{words}}}[datum.value] || ''")
    band = (
        alt.Chart(band_data)
        .mark_area(color=HIGHLIGHT["group"], opacity=0.18)
        .encode(
            x=x,
            detail="run:N",
            y=alt.Y("group_q1:Q", title=y_title, scale=y_scale, axis=y_axis),
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
            y=alt.Y("value:Q", scale=y_scale),
            color=colour,
            strokeDash=dash,
            detail="run:N",
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value_text:N", title="Value"),
            ],
        )
    )
    # a period on its own (a gap either side) has no area to shade: a bar shows its band
    alone = band_data[band_data.groupby("run")["run"].transform("size") == 1]
    lone_band = (
        alt.Chart(alone)
        # out of the accessibility tree: with no lone period it is an empty, unlabelled mark
        .mark_rule(color=HIGHLIGHT["group"], opacity=0.18, strokeWidth=14, aria=False)
        .encode(x=x, y="group_q1:Q", y2="group_q3:Q", tooltip=band.encoding.tooltip)
    )
    chart = alt.layer(band, lone_band, lines).properties(width=width, height=320)
    title = alt.TitleParams(
        _short(indicator, 80),
        subtitle=[
            f"{place_name} against the median of {group_text}; shaded: the group's middle half "
            "(interquartile range)." + (f" Money: {prices_text}." if prices_text else ""),
            *([f"The lines are broken where nothing is published: {gaps}."] if gaps else []),
        ],
    )
    return attribute(chart, attribution).properties(
        title=title,
        description=trend_description(
            trend, indicator, place_name, lambda v: _text(v, unit, indicator_id)
        ),
    )
