"""Streamlit glue for the Maps page: published geometry, pickers, the clickable map, downloads.

Widget keys are in ``ui.controls.MAPS``; caches key on ``ui.cached.bundle_key``. Text from the
bundle is escaped where it goes into markdown (the second map's heading, the key under a map);
the pickers, the map's titles and tooltips and the exports take it as plain text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard import PROJECT_ROOT
from dashboard.analysis.classify import METHODS, MODES, NO_VALUE, MapSettings, map_settings
from dashboard.analysis.map_values import (
    ANY_SERVICE,
    ROLE_GROUP,
    ROLE_OTHER,
    ROLE_PLACE,
    IndicatorChoices,
    MapValues,
    indicator_choices,
    indicator_periods,
    map_values,
    with_roles,
)
from dashboard.analysis.periods import latest_period_up_to
from dashboard.bundle import Bundle
from dashboard.bundle.catalogue import service_label
from dashboard.charts.maps import (
    SELECT,
    describe_map,
    fill_map,
    map_for_export,
    map_lookups,
    map_template,
    outline_key,
    url_data,
)
from dashboard.charts.steady import steady_chart
from dashboard.export.geometry import Published, publish_geometry
from dashboard.formatting import escape_markdown, unit_label
from dashboard.layers.merge import is_local
from dashboard.ui.cached import PLACES, bundle_key
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.controls import MAPS
from dashboard.ui.state import Context, set_place

STATIC_DIR = PROJECT_ROOT / "static"
SHAPES = {"shapes": "Boundaries", "hexes": "Hexes"}
COMPARE = {"indicator": "Another indicator", "period": "Another period"}
#: Height of each of two maps side by side, as a share of maps.yaml's map height.
TWO_MAP_HEIGHT = 0.9


@dataclass(frozen=True)
class MapOptions:
    """Choices shared by both maps."""

    shape: str  # 'shapes' or 'hexes'
    mode: str  # 'values' or 'compare'
    method: str
    k: int


@st.cache_resource(show_spinner="Preparing map shapes…", max_entries=8)
def _publish(dataset: str, _bundle: Bundle, key: tuple[str, int]) -> Published:
    return publish_geometry(_bundle, dataset, STATIC_DIR)


def published(ctx: Context) -> Published:
    """The dataset's geometry as static files (written once per process and bundle version)."""
    return _publish(ctx.view.dataset, ctx.bundle, bundle_key(ctx.bundle))


def map_height(two: bool, settings: MapSettings | None = None) -> int:
    """Height of a map in pixels: maps.yaml's, a little less for two side by side."""
    h = (settings or map_settings()).map_height
    return int(h * TWO_MAP_HEIGHT) if two else h


def second_period_heading(ctx: Context, indicator: str) -> str:
    """Heading of the second map when it shows the first map's indicator in another period
    (markdown)."""
    return f"**{escape_markdown(ctx.bundle.indicator(indicator)['label'])}** in another period"


class MapKey(NamedTuple):
    """What one map's values depend on: the bundle, the view and the map's choices."""

    bundle: tuple[str, int]
    level: str
    indicator: str
    period: str
    method: str
    k: int
    mode: str
    place: str
    group: tuple[str, ...]
    prices: str
    chosen_period: str


def values_key(ctx: Context, indicator: str, period: str, opts: MapOptions) -> MapKey:
    """The key of one map's values at the view's place."""
    v = ctx.view
    return MapKey(
        bundle_key(ctx.bundle),
        v.level,
        indicator,
        period,
        opts.method,
        opts.k,
        opts.mode,
        v.place,
        tuple(ctx.group),
        v.prices,
        v.period,
    )


@st.cache_resource(show_spinner=False, max_entries=64)  # shared: nobody changes one
def _classed(_bundle: Bundle, key: MapKey) -> MapValues:
    """A map's classes, colours and tooltips, the same for every place (``key`` has no place
    and no group), once per indicator, period and classes."""
    return map_values(
        _bundle,
        key.level,
        key.indicator,
        key.period,
        method=key.method,
        k=key.k,
        mode=key.mode,
        place=key.place,
        group=list(key.group),
        prices=key.prices,
        chosen_period=key.chosen_period,
    )


@st.cache_resource(show_spinner=False, max_entries=PLACES)  # shared: nobody changes one
def _map_values(_bundle: Bundle, key: MapKey) -> MapValues:
    """:func:`_classed` with this place's and its group's roles (a new place classes nothing)."""
    base = _classed(_bundle, key._replace(place="", group=()))
    return with_roles(base, key.place, list(key.group))


@st.cache_resource(show_spinner=False, max_entries=PLACES)
def _rows_and_words(key: MapKey, _mv: MapValues, place_name: str) -> tuple[list[dict], str]:
    """The map's rows as the chart receives them and the map in words, once per map values
    (``key``: :func:`values_key`) and place name."""
    return json.loads(_mv.table.to_json(orient="records")), describe_map(_mv, place_name)


# --- pickers ----------------------------------------------------------------------------------
def map_options(settings: MapSettings) -> MapOptions:
    """The row of shared controls: shape, colouring, classification, number of classes."""
    c1, c2, c3, c4 = st.columns([1.3, 1.5, 1.2, 1.2])
    with c1:
        shape = st.segmented_control(
            "Shape",
            list(SHAPES),
            format_func=SHAPES.get,
            default="shapes",
            required=True,
            key=MAPS.shape,
            help="Hexes: a hex cartogram gives every place the same size, so small urban places "
            "(London boroughs) are as visible as large counties.",
        )
    with c2:
        mode = st.segmented_control(
            "Colour by",
            list(MODES),
            format_func=MODES.get,
            default="values",
            required=True,
            key=MAPS.mode,
            help="vs England: the difference from England's published value (where the "
            "source has none, from the median of every council at this level, as the map "
            "says), on a scale centred on zero: blue better and orange worse where the "
            "indicator has a better direction, purple above and brown below otherwise.",
        )
    with c3:
        method = st.selectbox(
            "Classes",
            list(METHODS),
            index=list(METHODS).index(settings.default_method),
            format_func=METHODS.get,
            key=MAPS.method,
            help="Quantiles: the same number of places in each class. Equal intervals: classes "
            "of equal width. Natural breaks (Fisher–Jenks): classes that group similar values.",
        )
    with c4:
        k = st.slider(
            "Number of classes",
            settings.classes_min,
            settings.classes_max,
            settings.classes,
            key=MAPS.k,
        )
    return MapOptions(shape=shape, mode=mode, method=method, k=int(k))


@st.cache_resource(show_spinner=False, max_entries=16)
def _choices(key: tuple[str, int], level: str, _bundle: Bundle) -> IndicatorChoices:
    return indicator_choices(_bundle, level)


def choices(ctx: Context) -> IndicatorChoices:
    """Services and indicators the pickers offer at the view's level (once per bundle)."""
    return _choices(bundle_key(ctx.bundle), ctx.view.level, ctx.bundle)


def indicator_picker(ctx: Context, slot: str, narrow: bool = False) -> tuple[str, str | None]:
    """Service, indicator (grouped by kind) and period; returns the indicator id and the period
    (None when the indicator has no values at this level). ``narrow``: two rows, for half-width
    columns; slot B opens on the second of maps.yaml's first indicators."""
    opts = choices(ctx)
    services = list(opts.services)
    skey, ikey = MAPS.service(slot), MAPS.indicator(slot)
    if st.session_state.get(skey) not in services:
        st.session_state[skey] = ANY_SERVICE
    if narrow:
        c1, c3 = st.columns([2, 1])
        c2 = st.container()
    else:
        c1, c2, c3 = st.columns([1, 2, 0.8])
    service = c1.selectbox(
        "Service",
        services,
        format_func=lambda s: "Any service" if s == ANY_SERVICE else service_label(s),
        key=skey,
    )
    ids = list(opts.ids[service])
    labels = opts.labels
    if st.session_state.get(ikey) not in ids:
        first = [i for i in map_settings().first_indicators if i in ids]
        if slot == "B":
            first = first[1:] or [i for i in ids if i not in first]
        st.session_state[ikey] = (first or ids)[0]
    indicator = c2.selectbox(
        "Indicator",
        ids,
        format_func=labels.get,
        key=ikey,
        help="Grouped by kind: spend, need, outcome, context. Type to search.",
    )
    with c3:
        period = period_picker(ctx, indicator, slot)
    return indicator, period


def period_picker(ctx: Context, indicator: str, slot: str, offset: int = 0) -> str | None:
    """The indicator's own periods; defaults to the latest up to the sidebar's period (moved
    back ``offset`` periods, for a second map of the same indicator)."""
    periods = list(_periods(ctx.bundle, indicator, ctx.view.level))
    if not periods:
        return None
    key = MAPS.period(slot)
    chosen = st.session_state.get(key)
    if chosen not in periods:
        start = latest_period_up_to(periods, ctx.view.period)
        i = max(periods.index(start) - offset, 0) if start in periods else len(periods) - 1
        st.session_state[key] = periods[i]
    return st.selectbox("Period", periods, key=key, disabled=len(periods) == 1)


@st.cache_resource(show_spinner=False, max_entries=1024, hash_funcs={Bundle: bundle_key})
def _periods(bundle: Bundle, indicator: str, level: str) -> tuple[str, ...]:
    """The periods with a value of ``indicator`` at ``level``, oldest first (once per bundle:
    finding them reads every value of the bundle)."""
    return tuple(indicator_periods(bundle, indicator, level))


# --- the map ----------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=64)
def _spec_template(
    _mv: MapValues, mv_key: tuple, shape: tuple[str, str, bool, float, int, str], unit: str
) -> tuple[str, tuple[str, ...]]:
    """The map's Vega-Lite spec as JSON for one choice of indicator, period, classes and shape
    (not per place), with the names of its lookup datasets, which each run fills with the
    current rows: the shape's template (built once, :func:`_map_template`) filled with this
    indicator's classes and words, so a new indicator builds no chart. Schema validation is
    skipped here: tests/charts validates the filled spec. ``shape``: the arguments of
    :func:`_map_template`."""
    template = _map_template(*shape)
    spec = fill_map(template, _mv, unit, rows=[])
    names = map_lookups(spec)
    if not names:  # the place roles could not be refreshed: fail loudly, never outline wrongly
        raise RuntimeError("map spec has no lookup dataset to fill with this run's rows")
    return json.dumps(spec), names


@st.cache_resource(show_spinner=False, max_entries=16)
def _map_template(
    shapes_url: str,
    regions_url: str,
    hexes: bool,
    centre_lon: float,
    height: int,
    legend_orient: str,
) -> str:
    """The map chart of one shape, size and legend place, built with Altair once."""
    return map_template(
        url_data(shapes_url),
        url_data(regions_url),
        hexes=hexes,
        centre_lon=centre_lon,
        height=height,
        legend_orient=legend_orient,
    )


def _on_pick(key: str, slot: str, valid: frozenset[str]) -> None:
    state = st.session_state.get(key)
    rows = (state or {}).get("selection", {}).get(SELECT) or []
    code = rows[0].get("code") if rows else None
    if code in valid:
        set_place(code)
        # a new key next run: the chart starts with no selection, so a later click on this
        # shape (after choosing elsewhere) still registers
        st.session_state[MAPS.picks(slot)] = st.session_state.get(MAPS.picks(slot), 0) + 1


def draw_map(
    ctx: Context,
    pub: Published,
    mv: MapValues,
    opts: MapOptions,
    slot: str,
    *,
    height: int,
    legend_orient: str,
    unit: str,
    key: MapKey,
) -> None:
    """The clickable map (a click selects the place everywhere), its key and downloads
    (``key``: what ``mv`` was computed from, :func:`values_key`)."""
    level = ctx.view.level
    hexes = opts.shape == "hexes"
    region_kind = "hex_regions" if hexes else "shape_regions"
    v = ctx.view
    template, lookups = _spec_template(
        mv,
        (
            bundle_key(ctx.bundle),
            level,
            mv.period,
            mv.title,
            tuple(mv.subtitle),
            opts.method,
            opts.k,
            opts.mode,
            mv.legend_title,
        ),
        (
            pub.url(level, opts.shape),
            pub.url(level, region_kind),
            hexes,
            pub.centre_lon[level],
            height,
            legend_orient,
        ),
        unit_label(unit),
    )
    spec = json.loads(template)
    # only the place roles differ per place: rows and words are built once per map values
    rows, words = _rows_and_words(key, mv, ctx.bundle.place_name(v.place))
    for name in lookups:
        spec["datasets"][name] = rows
    # the same spec and key for every place, so the browser swaps the rows (charts.steady); the
    # key changes only once a click has selected a place (see _on_pick)
    chart = steady_chart(spec, words)
    chart_key = MAPS.chart(slot, st.session_state.get(MAPS.picks(slot), 0))
    st.vega_lite_chart(
        chart.spec,
        width="stretch",
        key=chart_key,
        on_select=partial(_on_pick, chart_key, slot, frozenset(ctx.bundle.place_codes(level))),
        selection_mode=SELECT,
    )
    st.caption(chart.words)
    name = ctx.bundle.place_name(ctx.view.place)
    key_text = outline_key(name, ctx.group_text)  # plain text, for the exports
    shown_key = outline_key(escape_markdown(name), escape_markdown(ctx.group_text))
    missing = pub.missing[(level, opts.shape)]
    note = (
        f" {len(missing)} places have no shape: {escape_markdown(', '.join(missing))}."
        if missing
        else ""
    )
    st.caption(
        f"Click a place to select it everywhere. {shown_key}{note}{period_caption(mv)}"
        f"{ordinal_caption(mv)}{gaps_caption(mv)}"
    )
    if mv.gaps:
        with st.expander(gaps_title(mv)):
            st.dataframe(gaps_frame(mv), hide_index=True, width="stretch")
    _downloads(ctx, pub, mv, opts, slot, key_text, unit)


def period_caption(mv: MapValues) -> str:
    """ " Shows 2022-23, the latest available (chosen period 2024-25)." or "" (markdown)."""
    if not mv.chosen_period or mv.chosen_period == mv.period:
        return ""
    return (
        f" Shows {escape_markdown(mv.period)}, the latest available "
        f"(chosen period {escape_markdown(mv.chosen_period)})."
    )


def ordinal_caption(mv: MapValues) -> str:
    """For a grade (Ofsted): why the classes are the grades themselves (markdown), else ""."""
    if not mv.ordinal:
        return ""
    return (
        " A grade is a judgement in words, not a number: one class per grade (or better, the "
        "same or worse than the middle grade), whatever the classes chosen above; grades are "
        "not ranked or averaged."
    )


def gaps_caption(mv: MapValues) -> str:
    """How many places have no value for a stated reason, and where the reasons are (markdown):
    the names and reasons go in a table under the map, not a paragraph."""
    if not mv.gaps:
        return ""
    n = len(mv.gaps)
    return (
        f" {n} {'place has' if n == 1 else 'places have'} no value, with the reason the source "
        "gives in the table below the map."
    )


def gaps_title(mv: MapValues) -> str:
    """The label of the gaps table's expander (plain text)."""
    n = len(mv.gaps)
    return f"Why {n} {'place has' if n == 1 else 'places have'} no value"


def gaps_frame(mv: MapValues) -> pd.DataFrame:
    """One row per place without a value: its name and the reason (plain text, not markdown)."""
    return pd.DataFrame(list(mv.gaps), columns=["place", "reason"])


def map_panel(
    ctx: Context,
    pub: Published,
    opts: MapOptions,
    slot: str,
    indicator: str,
    period: str,
    *,
    two: bool,
) -> None:
    """One map of ``indicator`` in ``period`` with its key and downloads (``two``: one of two
    maps side by side, so a little lower with the legend underneath)."""
    key = values_key(ctx, indicator, period, opts)
    draw_map(
        ctx,
        pub,
        _map_values(ctx.bundle, key),
        opts,
        slot,
        height=map_height(two),
        legend_orient="bottom" if two else "right",
        unit=ctx.bundle.indicator(indicator)["unit"],
        key=key,
    )
    if note := local_caption(ctx.bundle, indicator):
        st.caption(note)


def local_caption(bundle: Bundle, indicator: str) -> str:
    """For an indicator from a data layer: that it is local data, from which layer and file,
    and its stated source (markdown, the layer's text escaped); "" for an official one."""
    rec = bundle.indicator(indicator)
    if not is_local(rec):
        return ""
    e = escape_markdown
    return (
        f"**Local data**, not official statistics: {e(rec.get('layer_title', ''))}; source "
        f"{e(rec['source_publisher'])}, {e(rec['source_title'])} (licence "
        f"{e(rec['source_licence'])})."
    )


def _downloads(
    ctx: Context,
    pub: Published,
    mv: MapValues,
    opts: MapOptions,
    slot: str,
    key_text: str,
    unit: str,
) -> None:
    s = map_settings()
    level, hexes = ctx.view.level, opts.shape == "hexes"

    def export_chart():
        return map_for_export(
            mv,
            pub.collections[(level, opts.shape)],
            pub.collections[(level, "hex_regions" if hexes else "shape_regions")],
            hexes=hexes,
            centre_lon=pub.centre_lon[level],
            width=s.export_width,
            height=s.map_height,
            attribution=ctx.bundle.attribution,
            key_text=key_text,
            unit_label=unit_label(unit),
            place_name=ctx.bundle.place_name(ctx.view.place),
        )

    chart_tools(
        ctx,
        export_chart,
        f"Map {mv.title}",
        key=f"map_{slot}",
        period=mv.period,
        table=lambda: map_table(ctx, mv),
    )


def map_table(ctx: Context, mv: MapValues) -> pd.DataFrame:
    """The map as a table (its accessible twin): one row per place with its value, class, rank
    and whether it is the selected place or in its comparison group; names as text, no codes."""
    t = mv.table
    classes = [*mv.domain]
    role = {ROLE_PLACE: "selected place", ROLE_GROUP: "comparison group", ROLE_OTHER: ""}
    return pd.DataFrame(
        {
            "place": [ctx.bundle.place_name(c) for c in t["code"]],
            "value": t["tv"].astype(str).tolist(),
            mv.legend_title or "class": [
                classes[int(c)] if 0 <= int(c) < len(classes) else NO_VALUE for c in t["c"]
            ],
            f"rank ({mv.rank_note})" if mv.rank_note else "rank": [
                int(r) if int(r) > 0 else None for r in t["rk"]
            ],
            "role": [role.get(int(r), "") for r in t["role"]],
        }
    ).sort_values("place", kind="stable", ignore_index=True)
