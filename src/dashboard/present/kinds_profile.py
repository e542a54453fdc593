"""Slides from the Profile and Maps pages: where the place differs most from its group
(polarity-aware), the spine chart, spend by service, one indicator's trend and the map.

Each builder calls the pure functions the pages call (analysis.profile, analysis.map_values,
charts.profile, charts.maps); sentences are written from their results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from dashboard.analysis.classify import MODES, map_settings
from dashboard.analysis.map_values import (
    ROLE_PLACE,
    MapValues,
    default_period,
    indicator_periods,
    map_values,
)
from dashboard.analysis.methods import BenchmarkSettings, benchmark_settings
from dashboard.analysis.prices import REAL, axis_label, is_money, prices_label, source_text
from dashboard.analysis.profile import (
    england_label,
    gap_text,
    method_text,
    spend_by_service,
    spine_rows,
    trend_indicators,
    trend_table,
    verdict_counts,
)
from dashboard.charts.describe import spine_description
from dashboard.charts.maps import map_for_export, outline_key
from dashboard.charts.profile import spend_chart, spine_chart, spine_data, trend_chart
from dashboard.charts.theme import JUDGEMENT, attribute
from dashboard.export.geometry import central_meridian, web_geometry
from dashboard.formatting import format_difference, format_value, unit_label
from dashboard.present.case import ScenarioCase
from dashboard.present.kinds_base import (
    SlideError,
    base_slide,
    chart_fields,
    fitted,
    memo,
    place_name,
    plot_width,
    profile,
    read_params,
)
from dashboard.present.model import Slide
from dashboard.present.settings import present_settings
from dashboard.scenario.report import ordinal
from dashboard.view import Context

#: The spine's plot takes this share of the slide's width (1/4): its labels and values the rest.
SPINE_SHARE = 4
#: The spine slide's setting for every section at once.
ALL_GROUPS = "all"
#: Judgements of an indicator with a better direction, and of one without (spend, need).
JUDGED = ("better", "worse")
UNJUDGED = ("higher", "lower")


def plain_method(settings: BenchmarkSettings | None = None) -> str:
    """The Profile page's method paragraph as plain text (no markdown emphasis)."""
    return method_text(settings).replace("**", "")


# --- where we differ ---------------------------------------------------------------------------
def largest_differences(
    table: pd.DataFrame, most: int, settings: BenchmarkSettings | None = None
) -> pd.DataFrame:
    """The ``most`` rows of a profile table (canonical indicators, as the Profile page's spine
    shows them) furthest from the group's median in standardised units: ``z`` is the distance
    in scaled median absolute deviations of the group (methods.yaml's ``mad_scale``), or in
    interquartile ranges where the deviation is zero. Only rows the benchmark judged differ
    (verdict better, worse, higher or lower); ``direction`` is the verdict: better/worse where
    the indicator has a better direction, higher/lower where it has none (spend, need)."""
    s = settings or benchmark_settings()
    rows = spine_rows(table, detailed=False)
    rows = rows[
        rows["verdict"].isin(JUDGED + UNJUDGED)
        & rows["value"].notna()
        & rows["group_median"].notna()
        & (rows["unit"] != "ordinal")
    ]
    if rows.empty:
        return rows.assign(z=pd.Series(dtype=float), direction=pd.Series(dtype=str))
    z = (rows["value"] - rows["group_median"]) / group_spread(rows, s)
    out = rows.assign(z=z, direction=rows["verdict"]).dropna(subset=["z"])
    out = out[np.isfinite(out["z"])]
    order = out["z"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].head(most).reset_index(drop=True)


def group_spread(rows: pd.DataFrame, s: BenchmarkSettings) -> pd.Series:
    """The group's scaled median absolute deviation per row, estimated from its interquartile
    range (which the profile table keeps; for a symmetric spread the MAD is half the IQR) times
    methods.yaml's ``mad_scale``; NaN where the group does not spread."""
    iqr = (rows["group_q3"] - rows["group_q1"]).astype(float)
    return (iqr / 2 * float(s.mad_scale.value)).where(iqr > 0)


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


#: Words beside each bar: what the difference means.
DIRECTION_TEXT = {
    "better": "better",
    "worse": "worse",
    "higher": "higher (no better direction)",
    "lower": "lower (no better direction)",
}


def difference_chart(
    diffs: pd.DataFrame, name: str, group_text: str, attribution: str, height: int = 0
) -> alt.TopLevelMixin:
    """The largest differences as bars of standardised distance from the group's median
    (higher to the right), coloured by judgement (blue better, orange worse, grey-blue higher or
    lower where an indicator has no better direction). Each bar has its indicator, the place's
    value and the judgement written in full above it (an axis of names cut them short), for a
    plot ``height`` px tall (default: the slide's chart box)."""
    d = pd.DataFrame(
        {
            "indicator": diffs["indicator"].astype(str),
            "z": diffs["z"].astype(float),
            "direction": diffs["direction"].astype(str),
            "label": [
                f"{i}: {v} · {DIRECTION_TEXT[k]}"
                for i, v, k in zip(
                    diffs["indicator"], diffs["value_text"], diffs["direction"], strict=True
                )
            ],
        }
    )
    ps = present_settings()
    height = height or ps.chart_height_px
    band = height / max(1, len(d))
    order = d["indicator"].tolist()
    domain = list(DIRECTION_TEXT)
    base = alt.Chart(alt.Data(values=d.to_dict(orient="records"))).encode(
        y=alt.Y("indicator:N", sort=order, title=None, axis=None)
    )
    # the bar in the lower part of its row, its words in the upper part
    bars = base.mark_bar(height=round(band / 3), yOffset=round(band / 4)).encode(
        x=alt.X(
            "z:Q",
            title="Distance from the median of the group, in standardised units "
            "(0 = the median; higher to the right)",
        ),
        color=alt.Color(
            "direction:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[JUDGEMENT[k] for k in domain]),
            legend=None,
        ),
    )
    words = {"align": "left", "baseline": "middle", "yOffset": -round(band / 4)}
    words["limit"] = plot_width()
    halo = base.mark_text(stroke="white", strokeWidth=5, strokeJoin="round", **words).encode(
        x=alt.value(0), text="label:N"
    )  # the words stay readable where the zero line or a bar runs under them
    labels = base.mark_text(**words).encode(
        x=alt.value(0), text="label:N", color=alt.value("#1B1F24")
    )
    zero = alt.Chart(alt.Data(values=[{"z": 0}])).mark_rule(color="#1B1F24").encode(x="z:Q")
    chart = (bars + zero + halo + labels).properties(
        width=plot_width(),
        height=height,
        title=alt.Title(
            f"{name}: the largest differences from {group_text}",
            subtitle="Bars: how far the value lies from the group's median, in the group's "
            "spread. Blue better, orange worse; grey-blue: no better direction (spend, need).",
        ),
    )
    return attribute(chart, attribution)


def difference_message(name: str, group_text: str, diffs: pd.DataFrame) -> str:
    """The differences in one sentence: the largest, then how many are better, worse, higher
    or lower (better/worse only where the indicator has a better direction)."""
    if diffs.empty:
        return f"{name} is not far from {group_text} on any indicator the benchmark judges."
    top = diffs.iloc[0]
    gap = format_difference(float(top["value"] - top["group_median"]), str(top["unit"]))
    if top["direction"] in JUDGED:
        lead = (
            f"{name} differs most from {group_text} on {top['indicator']} "
            f"({gap} against the median, {top['direction']})"
        )
    else:
        lead = (
            f"{name} differs most from {group_text} on {top['indicator']} "
            f"({gap} against the median, {top['direction']}; no better direction)"
        )
    counts = diffs["direction"].value_counts()
    parts = [f"{int(counts[k])} {k}" for k in (*JUDGED, *UNJUDGED) if k in counts]
    return f"{lead}; of its {len(diffs)} largest differences, {_names(parts)}."


def differences_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("differences", params, {})
    name = place_name(ctx)
    table = profile(ctx)
    diffs = largest_differences(table, present_settings().max_differences)
    title = f"Where {name} differs most from similar places"
    if diffs.empty:
        raise SlideError(f"{name} has no value judged different from its group")
    chart = fitted(
        lambda h: difference_chart(diffs, name, ctx.group_text, ctx.bundle.attribution, h)
    )
    listed = "; ".join(
        f"{r.indicator}: {r.value_text} against a group median of "
        f"{format_value(r.group_median, r.unit)} ({r.direction})"
        for r in diffs.itertuples()
    )
    return base_slide(
        ctx,
        "differences",
        title,
        difference_message(name, ctx.group_text, diffs),
        **chart_fields(
            chart,
            f"Bar chart of the {len(diffs)} largest differences of {name} from the median of "
            f"{ctx.group_text}, in standardised units: {listed}.",
        ),
        method="The largest differences from the group's median in standardised units (scaled "
        "median absolute deviations, from the group's interquartile range), among the "
        "indicators the benchmark judges different. Better or worse only where an indicator "
        "has a better direction; spend and need are higher or lower, never judged. "
        + plain_method(),
    )


# --- the Profile page's charts -------------------------------------------------------------
def _spine_groups(ctx: Context) -> dict[str, str]:
    rows = spine_rows(profile(ctx), False).sort_values("group_order", kind="stable")
    return dict(zip(rows["group"].astype(str), rows["group_label"].astype(str), strict=False))


def _spine_default(rows: pd.DataFrame) -> str:
    """The section with the most indicators judged better or worse (the first such)."""
    judged = rows[rows["verdict"].isin(JUDGED)]
    if judged.empty:
        return str(rows.sort_values("group_order")["group"].iloc[0])
    counts = judged.groupby(["group_order", "group"]).size()
    return str(counts.idxmax()[1])


def spine_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    groups = _spine_groups(ctx)
    p = read_params("spine", params, {"group": {**groups, ALL_GROUPS: ""}})
    name = place_name(ctx)
    table = profile(ctx)
    every = spine_rows(table, False)
    if every.empty:
        raise SlideError(f"no indicator for {name} at the {ctx.view.level} tier")
    group = p.get("group") or _spine_default(every)
    rows = every if group == ALL_GROUPS else every[every["group"] == group]
    counts = verdict_counts(rows)
    chart = spine_chart(
        rows,
        place_name=name,
        group_text=ctx.group_text,
        england_text=england_label(ctx.view.level),
        attribution=ctx.bundle.attribution,
        width=present_settings().chart_width_px // SPINE_SHARE,
    )
    judged = sum(counts.values())
    what = "every section" if group == ALL_GROUPS else groups.get(group, group)
    return base_slide(
        ctx,
        "spine",
        f"{name} against {ctx.group_text}: {what}",
        f"On {what}, {name} is better than {ctx.group_text} on {counts['better']} of "
        f"{judged} outcome indicators, similar on {counts['similar']} and worse on "
        f"{counts['worse']}.",
        **chart_fields(chart, spine_description(spine_data(rows), name, ctx.group_text)),
        method=plain_method(),
    )


def spend_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("spend", params, {})
    v, b = ctx.view, ctx.bundle
    name = place_name(ctx)
    spend = spend_by_service(profile(ctx))
    if spend.empty:
        raise SlideError(f"the dataset has no spend by service at the {v.level} tier")
    chart = spend_chart(
        spend,
        place_name=name,
        group_text=ctx.group_text,
        england_text=england_label(v.level),
        period=v.period,
        attribution=b.attribution,
        width=plot_width(names=True, legend=True),
        prices_text=axis_label(b, v.prices),
    )
    d = spend.dropna(subset=["value", "group_median"])
    if d.empty:
        message = f"{name} has no spend per head by service in {v.period}."
    else:
        gap = d["value"] - d["group_median"]
        top = d.loc[gap.abs().idxmax()]
        diff = float(top["value"] - top["group_median"])
        message = (
            f"{name} spends {format_value(abs(diff), 'gbp_per_head')} "
            f"{'more' if diff > 0 else 'less'} on {top['service_label']} than the median of "
            f"{ctx.group_text}, its largest difference by service ({prices_label(b, v.prices)})."
        )
    return base_slide(
        ctx,
        "spend",
        f"Spend per head by service in {name}",
        message,
        **chart_fields(chart),
        method="Net current expenditure per head by service, against the range, interquartile "
        "range and median of the comparison group and England. Spend has no better direction: "
        "higher or lower, never better or worse.",
    )


#: The indicator a trend slide opens on when the dataset has it (as the Profile page's Trends).
TREND_DEFAULT = "spend_total_per_head"


def _trend_ids(ctx: Context) -> dict[str, str]:
    t = trend_indicators(ctx.bundle, ctx.view.level)
    return dict(zip(t["id"], t["label"], strict=True))


def trend_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    ids = _trend_ids(ctx)
    p = read_params("trend", params, {"indicator": ids})
    if not ids:
        raise SlideError(f"no indicator has more than one period at the {ctx.view.level} tier")
    ind = p.get("indicator") or (TREND_DEFAULT if TREND_DEFAULT in ids else next(iter(ids)))
    v, b = ctx.view, ctx.bundle
    name = place_name(ctx)
    meta = b.indicator(ind)
    unit = str(meta["unit"])
    trend = trend_table(b, v.place, v.level, ctx.group, ind, v.prices)
    money = is_money(unit)
    real = money and v.prices == REAL and prices_label(b, REAL) != "cash"
    deflated = f" Prices: {source_text(b)}." if real else ""
    chart = trend_chart(
        trend,
        indicator=str(meta["label"]),
        unit=unit,
        place_name=name,
        group_text=ctx.group_text,
        england_text="England",
        gaps=gap_text(trend),
        attribution=f"{meta['source_publisher']}: {meta['source_title']} "
        f"({meta['source_licence']}). {b.attribution}{deflated}",
        width=plot_width(legend=True),
        prices_text=axis_label(b, v.prices) if money else "",
        indicator_id=ind,
        polarity=str(meta["polarity"]),
    )
    own = trend.dropna(subset=["place_value"])
    if own.empty:
        message = f"{name} has no value of {meta['label']} in any period."
    else:
        first, last = own.iloc[0], own.iloc[-1]
        message = (
            f"{meta['label']} in {name}: {format_value(first['place_value'], unit)} in "
            f"{first['period']}, {format_value(last['place_value'], unit)} in {last['period']}"
        )
        if pd.notna(last.get("group_median")):
            message += f" (group median {format_value(last['group_median'], unit)})"
        message += "."
    return base_slide(
        ctx,
        "trend",
        f"{meta['label']} over time",
        message,
        **chart_fields(chart),
        method="Each period compares the places with a value in that period; the group is "
        "today's group throughout. The band is the group's interquartile range.",
    )


def trend_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    return {"indicator": _trend_ids(ctx)}


def spine_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    return {"group": {**_spine_groups(ctx), ALL_GROUPS: "Every section (a tall chart)"}}


# --- the map -----------------------------------------------------------------------------------
SHAPES = {"shapes": "Boundaries", "hexes": "Hexes"}


def _map_ids(ctx: Context) -> dict[str, str]:
    inds = ctx.bundle.indicators_at(ctx.view.level)
    return {
        str(i): f"{lab} · {k}"
        for i, lab, k in zip(inds["id"], inds["label"], inds["kind"], strict=True)
    }


def map_default(ctx: Context) -> str:
    """maps.yaml's first indicator the dataset has at the view's level (as the Maps page)."""
    ids = _map_ids(ctx)
    first = [i for i in map_settings().first_indicators if i in ids]
    if not first and not ids:
        raise SlideError(f"the dataset has no indicator at the {ctx.view.level} tier")
    return (first or list(ids))[0]


def geometry(ctx: Context) -> dict[str, dict]:
    """The level's four shape collections (export.geometry.web_geometry), once per bundle."""
    b, level = ctx.bundle, ctx.view.level
    return memo(b, (level, "geometry"), lambda: web_geometry(b, level))


def map_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    ids = _map_ids(ctx)
    p = read_params(
        "map",
        params,
        {"indicator": ids, "period": None, "mode": MODES, "hex": SHAPES},
    )
    v, b = ctx.view, ctx.bundle
    ind = p.get("indicator") or map_default(ctx)
    periods = indicator_periods(b, ind, v.level)
    if not periods:
        raise SlideError(f"{b.indicator(ind)['label']} has no value at the {v.level} tier")
    period = p.get("period") or default_period(b, ind, v.level, v.period) or periods[-1]
    if period not in periods:
        raise SlideError(f"'{period[:40]}' is not a period of {b.indicator(ind)['label']}")
    mode = p.get("mode", "values")
    shape = p.get("hex", "shapes")
    s = map_settings()
    name = place_name(ctx)
    mv = map_values(
        b,
        v.level,
        ind,
        period,
        method=s.default_method,
        k=s.classes,
        mode=mode,
        place=v.place,
        group=list(ctx.group),
        prices=v.prices,
        chosen_period=v.period,
    )
    geo = geometry(ctx)
    hexes = shape == "hexes"
    ps = present_settings()
    unit = str(b.indicator(ind)["unit"])
    kind, regions = ("hexes", "hex_regions") if hexes else ("shapes", "shape_regions")
    chart = fitted(  # the map as tall as the chart box leaves it, under its title and key
        lambda h: map_for_export(
            mv,
            _stand_in(kind),
            _stand_in(regions),
            hexes=hexes,
            centre_lon=memo(b, (v.level, "centre"), lambda: central_meridian(geo["shapes"])),
            width=ps.chart_width_px // 2,
            height=h,
            attribution=b.attribution,
            key_text=outline_key(name, ctx.group_text),
            unit_label=unit_label(unit),
            place_name=name,
        ).to_dict(validate=False)
    )
    spec = _fill_in(chart, {k: geo[k]["features"] for k in (kind, regions)})
    return base_slide(
        ctx,
        "map",
        f"{mv.title}: {name} on the map",
        map_message(mv, name, b.indicator(ind)["label"], v.level),
        **chart_fields(spec),
        method=f"Classes: {s.default_method.replace('_', ' ')} ({s.classes} classes) of every "
        f"{v.level}-tier place, {mv.period_text}; "
        + ("values." if mode == "values" else f"difference from {mv.reference_text}.")
        + " Grey: no value.",
    )


#: Marks the feature that stands in for a collection while the chart is built: Altair copies
#: inline data deeply at every layer, so the shapes go in once the spec is a plain dict.
STAND_IN = "__pve_shapes__"


def _stand_in(kind: str) -> dict:
    return {"features": [{"type": "Feature", "properties": {STAND_IN: kind}, "geometry": None}]}


def _fill_in(node: object, features: dict[str, list]) -> object:
    """``node`` (a spec) with each stand-in feature list replaced by the collection's."""
    if isinstance(node, dict):
        return {k: _fill_in(x, features) for k, x in node.items()}
    if isinstance(node, list):
        if len(node) == 1 and isinstance(node[0], dict):
            kind = node[0].get("properties", {}).get(STAND_IN) if "properties" in node[0] else None
            if kind in features:
                return features[kind]
        return [_fill_in(x, features) for x in node]
    return node


def map_message(mv: MapValues, name: str, label: str, level: str) -> str:
    """Where the place stands on the map: its rank (1 = best, or highest) and its class."""
    me = mv.table[mv.table["role"] == ROLE_PLACE]
    if me.empty or int(me["c"].iloc[0]) < 0:
        return f"{name} has no value of {label} in {mv.period}."
    row = me.iloc[0]
    klass = re.sub(r" \(\d[\d,]*\)$", "", str(mv.domain[int(row["c"])]))  # not its count
    rank = int(row["rk"])
    where = (
        f"ranks {ordinal(rank)} of {mv.n_ranked} {level}-tier places ({mv.rank_note})"
        if rank > 0
        else "is not ranked"
    )
    return f"On {label}, {name} {where} at {row['tv']}, in the class {klass} ({mv.period})."


def map_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    return {"indicator": _map_ids(ctx), "mode": MODES, "hex": SHAPES}
