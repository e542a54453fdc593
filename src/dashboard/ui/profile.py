"""The Profile page's view models: what each panel shows, built from analysis/ and charts/ and
cached here (the level matrix per bundle, level and period; chart specs per distinct input).
Text from the bundle is escaped where it goes into markdown (headings, captions, lists); chart
specs and the trend picker take it as plain text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.analysis.peers import imputed_places, variables_table, why_similar
from dashboard.analysis.prices import REAL, axis_label, is_money, prices_label, source_text
from dashboard.analysis.profile import (
    LevelValues,
    display_table,
    england_label,
    export_table,
    gap_text,
    has_detail,
    level_values,
    method_text,
    profile_table,
    spend_by_service,
    spine_rows,
    trend_england_label,
    trend_indicators,
    trend_notes,
    trend_table,
    verdict_counts,
)
from dashboard.bundle import Bundle
from dashboard.charts.profile import (
    spend_chart,
    spine_fill,
    spine_template,
    trend_chart,
)
from dashboard.charts.steady import SteadyChart, steady_chart
from dashboard.export.tables import to_csv_bytes
from dashboard.formatting import escape_markdown
from dashboard.ui.cached import PLACES, bundle_file_key, per_view
from dashboard.ui.peers import peer_model
from dashboard.ui.state import Context

#: The indicator the Trends tab opens on, when the dataset has it.
TREND_DEFAULT = "spend_total_per_head"


@st.cache_resource(show_spinner=False, max_entries=24)
def _matrix(key: tuple[str, int, float], level: str, period: str, _bundle: Bundle) -> LevelValues:
    return level_values(_bundle, level, period)


def level_matrix(bundle: Bundle, level: str, period: str) -> LevelValues:
    """Every indicator for every place at ``level`` and ``period`` (computed once per bundle)."""
    if bundle.path is None:
        return level_values(bundle, level, period)
    return _matrix(bundle_file_key(bundle), level, period, bundle)


_BUILDERS = {"spend": spend_chart, "trend": trend_chart}


@st.cache_data(show_spinner=False, max_entries=2 * PLACES)
def chart_spec(kind: str, data: pd.DataFrame, **kwargs: Any) -> dict[str, Any]:
    """The Vega-Lite spec of a profile chart (``kind``: spine, spend or trend), built once per
    distinct input; a page draws it with st.vega_lite_chart. Schema validation is skipped here
    (it costs more than building): tests/charts validates every builder's output."""
    return _BUILDERS[kind](data, **kwargs).to_dict(validate=False)


# --- header and summary -------------------------------------------------------------------------
@dataclass(frozen=True)
class Header:
    name: str  # plain text
    england: str
    heading: str  # markdown (escaped)
    caption: str  # markdown (escaped)


@per_view
def header(ctx: Context) -> Header:
    """The page's heading and the place's one-line description."""
    view, bundle = ctx.view, ctx.bundle
    name = bundle.place_name(view.place)
    me = bundle.place(view.place)
    england = england_label(view.level)
    caption = (
        f"{me['kind'].replace('_', ' ').capitalize()} council · "
        f"{escape_markdown(me['region_name'])} · {view.level} tier · period "
        f"{escape_markdown(view.period)} (other indicators: their latest period up to then) · "
        f"England marker: {england} · money: "
        f"{escape_markdown(prices_label(bundle, view.prices))}"
    )
    heading = f"##### How {escape_markdown(name)} compares with {escape_markdown(ctx.group_text)}"
    return Header(name, england, heading, caption)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class Summary:
    """The profile table (every indicator against the group) and the counts above the tabs."""

    table: pd.DataFrame
    metrics: tuple[Metric, ...]
    counts_caption: str
    method_caption: str
    has_detail: bool
    sentence: str = ""  # markdown (escaped): the counts in one sentence
    #: markdown (escaped): the layer's indicators and each local figure beside the official one
    local_lines: tuple[str, ...] = ()


@per_view
def summary(ctx: Context) -> Summary:
    """Profile of the view's place against its comparison group, with the verdict counts
    (built once per view and shared by every session: nobody changes its table)."""
    view, bundle = ctx.view, ctx.bundle
    table = profile_table(
        bundle,
        view.place,
        view.level,
        ctx.group,
        view.period,
        ctx.group_text,
        matrix=level_matrix(bundle, view.level, view.period),
        prices=view.prices,
    )
    counts = verdict_counts(table)
    judged = sum(counts.values())
    metrics = (
        Metric("Better than the group", f"{counts['better']} of {judged}"),
        Metric("Similar to the group", f"{counts['similar']} of {judged}"),
        Metric("Worse than the group", f"{counts['worse']} of {judged}"),
        Metric("Not judged", f"{counts['not judged']} of {judged}", "No value, or group too small"),
    )
    caption = (
        f"Counts cover the {judged} indicators with a better direction (outcomes). "
        "Spend, need and context indicators show quintiles instead."
    )
    return Summary(
        table,
        metrics,
        caption,
        method_text(),
        has_detail(table),
        summary_sentence(counts, escape_markdown(ctx.group_text)),
        local_lines(ctx, table),
    )


def local_lines(ctx: Context, table: pd.DataFrame) -> tuple[str, ...]:
    """Markdown lines (text from the layer escaped): which indicators are local data and from
    where, then, for each official indicator with a local figure for the place, the official
    value and the local figure beside it. Empty for a bundle without a layer."""
    layer = ctx.bundle.meta.get("layer")
    if not layer or "origin" not in table.columns:
        return ()
    own = table[(table["origin"] == "local") & (table["local_figure"] == "")]
    lines = [
        f"**Local data** from {escape_markdown(layer.get('title', ''))} "
        f"(file {escape_markdown(layer.get('filename', ''))}): {len(own)} indicators at this "
        'tier, in the group "Local data" and marked "(local data)"; not official statistics.'
    ]
    for rec in table[table["local_figure"] != ""].itertuples(index=False):
        lines.append(
            f"- {escape_markdown(rec.indicator)}: official {escape_markdown(rec.value_text)} "
            f"({escape_markdown(rec.period_text)}). {escape_markdown(rec.local_figure)}"
        )
    return tuple(lines)


def summary_sentence(counts: dict[str, int], group_text: str) -> str:
    """The verdict counts as one sentence: '20 of 35 outcome indicators are similar to its
    statistical nearest neighbours (15), 11 better and 4 worse (0 not judged).'"""
    judged = sum(counts.values())
    if judged == 0:
        return "No indicator with a better direction (an outcome) to judge at this tier."
    rest = f", **{counts['better']} better** and **{counts['worse']} worse**"
    not_judged = (
        f"; {counts['not judged']} not judged (no value, or too few places to compare)"
        if counts["not judged"]
        else ""
    )
    return (
        f"**{counts['similar']} of {judged} outcome indicators** are similar to {group_text}"
        f"{rest}{not_judged}."
    )


# --- charts -------------------------------------------------------------------------------------
@per_view
def spine_view(ctx: Context, detailed: bool) -> SteadyChart:
    """The spine chart of the view's summary: canonical indicators, or every one when
    ``detailed`` (built once per view and shared)."""
    rows = spine_rows(summary(ctx).table, detailed)
    spec, words = spine_fill(
        _spine_template(ctx.bundle.attribution, rows),
        rows,
        place_name=ctx.bundle.place_name(ctx.view.place),
        group_text=ctx.group_text,
        england_text=england_label(ctx.view.level),
    )
    return steady_chart(spec, words)


@st.cache_resource(show_spinner=False, max_entries=8)
def _spine_template(attribution: str, _rows: pd.DataFrame) -> str:
    """The spine chart built once per attribution (the rows only give it a shape)."""
    return spine_template(_rows, attribution)


def spend_spec(ctx: Context, s: Summary) -> dict[str, Any] | None:
    """Spend per head by service (None when the dataset has none at this tier)."""
    spend = spend_by_service(s.table)
    if spend.empty:
        return None
    return chart_spec(
        "spend",
        spend,
        place_name=ctx.bundle.place_name(ctx.view.place),
        group_text=ctx.group_text,
        england_text=england_label(ctx.view.level),
        period=ctx.view.period,
        attribution=ctx.bundle.attribution,
        prices_text=axis_label(ctx.bundle, ctx.view.prices),
    )


@dataclass(frozen=True)
class TrendChoices:
    ids: tuple[str, ...]
    labels: dict[str, str]
    index: int


def trend_choices(ctx: Context) -> TrendChoices | None:
    """Indicators with more than one period (None when there are none)."""
    options = trend_indicators(ctx.bundle, ctx.view.level)
    if options.empty:
        return None
    ids = tuple(options["id"].tolist())
    labels = dict(zip(options["id"], options["label"], strict=True))
    return TrendChoices(ids, labels, ids.index(TREND_DEFAULT) if TREND_DEFAULT in ids else 0)


@dataclass(frozen=True)
class TrendView:
    """The Trends tab for one indicator: the chart's spec and the caption under it."""

    spec: dict[str, Any]
    caption: str  # markdown (escaped)


def trend_view(ctx: Context, indicator_id: str) -> TrendView:
    """The trend of one indicator (the place, the group's median and range, England) and its
    caption, from one trend table."""
    view, bundle = ctx.view, ctx.bundle
    trend = trend_table(bundle, view.place, view.level, ctx.group, indicator_id, view.prices)
    return TrendView(
        _trend_spec(ctx, indicator_id, trend), _trend_caption(ctx, indicator_id, trend)
    )


def _trend_spec(ctx: Context, indicator_id: str, trend: pd.DataFrame) -> dict[str, Any]:
    view, bundle = ctx.view, ctx.bundle
    meta = bundle.indicator(indicator_id)
    money = is_money(str(meta["unit"]))
    real = money and view.prices == REAL and prices_label(bundle, REAL) != "cash"
    deflated = f" Prices: {source_text(bundle)}." if real else ""
    return chart_spec(
        "trend",
        trend,
        indicator=meta["label"],
        unit=meta["unit"],
        place_name=bundle.place_name(view.place),
        group_text=ctx.group_text,
        england_text=trend_england_label(trend, view.level),
        gaps=gap_text(trend),
        attribution=f"{meta['source_publisher']}: {meta['source_title']} "
        f"({meta['source_licence']}). {bundle.attribution}{deflated}",
        prices_text=axis_label(bundle, view.prices) if money else "",
        indicator_id=indicator_id,
        polarity=str(meta["polarity"]),
    )


def _trend_caption(ctx: Context, indicator_id: str, trend: pd.DataFrame) -> str:
    """Under the trend: how periods are compared, and why the place has no value in a period
    where the bundle says why (markdown, escaped)."""
    view, bundle = ctx.view, ctx.bundle
    text = (
        "Each period compares the places with a value in that period; the group is today's "
        "group throughout."
    )
    why = trend_notes(bundle, view.place, indicator_id, trend)
    if why:
        name = escape_markdown(bundle.place_name(view.place))
        text += f" No value for {name} in " + " ".join(escape_markdown(w) for w in why)
    return text


# --- statistical neighbours ---------------------------------------------------------------------
@dataclass(frozen=True)
class Neighbours:
    """The Statistical neighbours tab: who they are, why, and the variables used."""

    other_group_note: str | None
    why_intro: str
    why: pd.DataFrame
    value_columns: tuple[str, ...]
    variables_intro: str
    variables: pd.DataFrame
    imputed: tuple[str, ...]
    imputed_list: str  # the imputed places as a markdown list (escaped)
    left_out_note: str | None


def neighbours(ctx: Context) -> Neighbours | None:
    """The neighbours panel (None when the dataset lacks the variables at this tier). The
    number of peers in the prose is the model's (peers.yaml's n_peers)."""
    view, bundle = ctx.view, ctx.bundle
    model = peer_model(bundle, view.level, view.period)
    if model is None:
        return None
    name = bundle.place_name(view.place)
    why = why_similar(model, bundle, view.place)
    n = int(model.neighbours.shape[1])
    imputed = tuple(imputed_places(model, bundle))
    return Neighbours(
        other_group_note=None
        if view.group == "peers"
        else "You are comparing with another group; these are the statistical "
        "neighbours you would get by choosing *Statistical nearest neighbours*.",
        why_intro=f"**Why these places are similar to {escape_markdown(name)}.** Each place's "
        "values beside yours. "
        "Similarity runs from 1 (identical on these variables) to 0 (the least alike "
        f"pair of {view.level}-tier councils).",
        why=why,
        value_columns=tuple(why.columns[4:]),
        variables_intro="**Variables and weights** (data/catalogue/peers.yaml). Each variable is "
        "standardised to mean 0 and sd 1 across the tier (after a log where shown); "
        f"distance is the weighted Euclidean distance; the {n} nearest are the peers.",
        variables=variables_table(model, bundle),
        imputed=imputed,
        imputed_list="\n".join(f"- {escape_markdown(m)}" for m in imputed),
        left_out_note="Not in this dataset, so left out of the distance: "
        + escape_markdown(", ".join(model.left_out))
        if model.left_out
        else None,
    )


# --- table and download -------------------------------------------------------------------------
@dataclass(frozen=True)
class Download:
    table: pd.DataFrame
    data: bytes
    file_name: str


def download(ctx: Context, s: Summary) -> Download:
    """The readable table and the CSV download of the profile."""
    view, bundle = ctx.view, ctx.bundle
    return Download(
        display_table(s.table),
        to_csv_bytes(export_table(s.table)),
        f"place-profile-{bundle.meta.get('id', view.dataset)}-{view.place}-"
        f"{view.group}-{view.period}{'-real-terms' if view.prices == REAL else ''}.csv",
    )
