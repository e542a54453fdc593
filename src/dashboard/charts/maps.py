"""Choropleth and hex-cartogram maps (Altair), with outlines for regions, the selected place and
its comparison group.

The shapes come from a URL (static files served once; see dashboard.export.geometry) or, for
exports, inline; the values join on with ``transform_lookup`` so that a new indicator or period
changes only the small values table. Colours come from dashboard.analysis.classify as an
explicit ordinal scale, so 'No value' has its own colour and its own legend entry.
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from dashboard.analysis.classify import NO_VALUE, scheme_for
from dashboard.analysis.map_values import ROLE_GROUP, ROLE_PLACE, MapValues
from dashboard.charts.describe import map_description
from dashboard.charts.theme import attribute

#: Name of the point selection (the clicked place's ``code``).
SELECT = "pick"
#: Outline styles: regions, the comparison group, the selected place (with a white halo).
#: Outlines have no fill at all (not even 'transparent', Vega-Lite's default for unfilled marks),
#: so that clicks inside a region or an outlined place reach the coloured shape underneath.
#: They are also out of the accessibility tree (``aria``): they carry no data of their own (the
#: outline key under the map says what they mean) and an unlabelled mark fails WCAG 1.1.1.
NO_FILL = {"filled": False, "fill": None, "aria": False}
REGION_STROKE = {"stroke": "#1B1F24", "strokeWidth": 1.4}
HEX_REGION_STROKE = {"stroke": "#1B1F24", "strokeWidth": 1.8}
GROUP_STROKE = {"stroke": "#111111", "strokeWidth": 1.4, "strokeDash": [4, 2]}
PLACE_HALO = {"stroke": "#FFFFFF", "strokeWidth": 5.0}
PLACE_STROKE = {"stroke": "#000000", "strokeWidth": 2.6}
SHAPE_EDGE = {"stroke": "#FFFFFF", "strokeWidth": 0.4}
HEX_EDGE = {"stroke": "#FFFFFF", "strokeWidth": 0.8}


def url_data(url: str) -> alt.UrlData:
    """A GeoJSON FeatureCollection fetched by the browser from ``url``."""
    return alt.Data(url=url, format=alt.DataFormat(property="features", type="json"))


def inline_data(collection: dict[str, Any]) -> alt.InlineData:
    """A FeatureCollection inlined in the spec (for exports, which cannot fetch from the app)."""
    return alt.InlineData(values=collection["features"])


def projection(hexes: bool, centre_lon: float = 0.0) -> alt.Projection:
    """Transverse Mercator on the data's central meridian (shapes keep their familiar form, as
    on the British National Grid); the identity for planar hexes (y runs north)."""
    if hexes:
        return alt.Projection(type="identity", reflectY=True)
    return alt.Projection(type="transverseMercator", rotate=[-centre_lon, 0, 0])


def _joined(shapes: alt.Data, mv: MapValues) -> alt.Chart:
    return (
        alt.Chart(shapes)
        .transform_calculate(code="datum.properties.code", name="datum.properties.name")
        .transform_lookup(
            lookup="code",
            from_=alt.LookupData(data=mv.table, key="code", fields=["c", "tv", "rk", "role"]),
        )
    )


def class_expr(mv: MapValues) -> str:
    """Vega expression: the legend label of a place's class (from its class index ``c``)."""
    labels = json.dumps(mv.domain[: len(mv.breaks)], ensure_ascii=False)
    return f"isValid(datum.c) && datum.c >= 0 ? {labels}[datum.c] : {json.dumps(NO_VALUE)}"


def rank_expr(mv: MapValues) -> str:
    """Vega expression: '3rd of 150 (1st = best)' from the rank ``rk`` (0: ``mv.unranked``,
    'not ranked', or 'grades are not ranked' for an ordinal indicator)."""
    suffix = (
        "(datum.rk % 100 >= 11 && datum.rk % 100 <= 13 ? 'th' : "
        "['th', 'st', 'nd', 'rd', 'th', 'th', 'th', 'th', 'th', 'th'][datum.rk % 10])"
    )
    tail = json.dumps(f" of {mv.n_ranked} ({mv.rank_note})")
    none = json.dumps(mv.unranked)
    return f"isValid(datum.rk) && datum.rk > 0 ? datum.rk + {suffix} + {tail} : {none}"


def map_chart(
    mv: MapValues,
    shapes: alt.Data,
    regions: alt.Data,
    *,
    hexes: bool,
    centre_lon: float = 0.0,
    height: int = 560,
    width: int | str = "container",
    legend_orient: str = "right",
    unit_label: str = "",
    selectable: bool = True,
    place_name: str = "",
) -> alt.LayerChart:
    """A map of ``mv`` over ``shapes`` (boundaries or hexes) with ``regions`` outlined.

    ``height``/``width`` in pixels (``width`` may be 'container'). With ``selectable`` a click
    on a place sets the point selection SELECT to that place's ``code``. ``place_name`` (the
    selected place) is named in the chart's text description.
    """
    base = _joined(shapes, mv)
    edge = HEX_EDGE if hexes else SHAPE_EDGE
    colour = alt.Color(
        "cls:N",
        title=mv.legend_title,
        scale=alt.Scale(domain=mv.domain, range=mv.colours),
        sort=mv.domain,
        legend=alt.Legend(
            title=mv.legend_title,
            orient=legend_orient,
            direction="vertical",
            symbolType="square",
            symbolSize=220,
            symbolStrokeColor="#8A949E",
            symbolStrokeWidth=0.5,
            labelLimit=240,
            labelColor="#1B1F24",
            titleColor="#1B1F24",
            titleLimit=300,
            columns=2 if legend_orient == "bottom" else 1,
        ),
    )
    fill = (
        base.transform_calculate(
            cls=class_expr(mv),
            tv="datum.tv || 'no value'",
            tr=rank_expr(mv),
            period=json.dumps(mv.period),
            unit=json.dumps(unit_label),
        )
        .mark_geoshape(cursor="pointer" if selectable else "default", **edge)
        .encode(
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title="Place"),
                alt.Tooltip("tv:N", title="Value"),
                alt.Tooltip("unit:N", title="Unit"),
                alt.Tooltip("tr:N", title="Rank"),
                alt.Tooltip("period:N", title="Period"),
            ],
        )
    )
    if selectable:
        fill = fill.add_params(
            alt.selection_point(name=SELECT, fields=["code"], on="click", clear=False)
        )
    outline = alt.Chart(regions).mark_geoshape(
        **NO_FILL, **(HEX_REGION_STROKE if hexes else REGION_STROKE)
    )
    group = base.transform_filter(f"datum.role == {ROLE_GROUP}").mark_geoshape(
        **NO_FILL, **GROUP_STROKE
    )
    halo = base.transform_filter(f"datum.role == {ROLE_PLACE}").mark_geoshape(
        **NO_FILL, **PLACE_HALO
    )
    place = base.transform_filter(f"datum.role == {ROLE_PLACE}").mark_geoshape(
        **NO_FILL, **PLACE_STROKE
    )
    return alt.layer(fill, outline, group, halo, place).properties(
        width=width,
        height=height,
        projection=projection(hexes, centre_lon),
        title=alt.Title(mv.title, subtitle=list(mv.subtitle), subtitleLineHeight=16),
        description=describe_map(mv, place_name),
    )


def describe_map(mv: MapValues, place_name: str = "") -> str:
    """The map's text description from its values table: classes, counts, the place."""
    classes = mv.domain[: len(mv.breaks)]
    counts = mv.table["c"][mv.table["c"] >= 0].value_counts()
    mine = mv.table.loc[mv.table["role"] == ROLE_PLACE, "tv"]
    return map_description(
        mv.title,
        mv.period_text,
        classes,
        [int(counts.get(i, 0)) for i in range(len(classes))],
        mv.n_missing,
        place_name,
        str(mine.iloc[0]) if len(mine) and mine.iloc[0] else "",
    )


def outline_key(place_name: str, group_text: str) -> str:
    """Words for the outlines, shown under the map and in exports."""
    return (
        f"Thick black outline: {place_name}. Dashed outline: comparison group ({group_text}). "
        "Dark grey lines: regions. Grey: no value."
    )


def map_for_export(
    mv: MapValues,
    shapes: dict[str, Any],
    regions: dict[str, Any],
    *,
    hexes: bool,
    centre_lon: float,
    width: int,
    height: int,
    attribution: str,
    key_text: str,
    unit_label: str = "",
    place_name: str = "",
) -> alt.VConcatChart:
    """The map with the shapes inlined and the outline key, source and licence underneath, for
    PNG/SVG export."""
    chart = map_chart(
        mv,
        inline_data(shapes),
        inline_data(regions),
        hexes=hexes,
        centre_lon=centre_lon,
        height=height,
        width=width,
        legend_orient="right",
        unit_label=unit_label,
        selectable=False,
        place_name=place_name,
    )
    return attribute(chart, f"{key_text} {attribution}").properties(
        description=describe_map(mv, place_name)
    )


# --- one spec per shape and size, filled per indicator ------------------------------------------
def _template_values() -> MapValues:
    """A stand-in for an indicator's values: it only gives the template its shape."""
    table = pd.DataFrame(
        {
            "code": ["template"],
            "c": np.array([0], dtype=np.int8),
            "tv": [""],
            "rk": np.array([0], dtype=np.int16),
            "role": np.array([0], dtype=np.int8),
        }
    )
    return MapValues(
        table=table,
        domain=["template"],
        colours=["#000000"],
        title="template",
        subtitle=("template",),
        legend_title="template",
        period="template",
        scheme=scheme_for("neutral"),
        breaks=[0.0],
        n_missing=0,
        median=0.0,
        n_ranked=0,
        rank_note="",
    )


def map_template(
    shapes: alt.Data,
    regions: alt.Data,
    *,
    hexes: bool,
    centre_lon: float = 0.0,
    height: int = 560,
    legend_orient: str = "right",
) -> str:
    """The map's Vega-Lite spec as JSON for one shape, size and legend place, the same for
    every indicator: :func:`fill_map` puts in an indicator's classes, colours, words and
    rows. Building a layered Altair chart takes a tenth of a second; filling, about a
    millisecond, so a new indicator builds no chart."""
    chart = map_chart(
        _template_values(),
        shapes,
        regions,
        hexes=hexes,
        centre_lon=centre_lon,
        height=height,
        legend_orient=legend_orient,
    )
    return json.dumps(chart.to_dict(validate=False))


def map_lookups(spec: dict[str, Any]) -> tuple[str, ...]:
    """The names of the datasets the map's layers look values up in (filled per run)."""
    return tuple(
        sorted(
            {
                t["from"]["data"]["name"]
                for layer in spec.get("layer", [])
                for t in layer.get("transform", [])
                if "lookup" in t and "name" in t["from"].get("data", {})
            }
        )
    )


def fill_map(
    template: str,
    mv: MapValues,
    unit_label: str = "",
    place_name: str = "",
    rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """:func:`map_template`'s spec for ``mv``: the same spec :func:`map_chart` builds for it
    (classes, colours, legend, tooltip words, title and description), with ``rows`` (else
    ``mv``'s table as records) in every lookup dataset."""
    spec = json.loads(template)
    fill = spec["layer"][0]
    words = {
        "cls": class_expr(mv),
        "tr": rank_expr(mv),
        "period": json.dumps(mv.period),
        "unit": json.dumps(unit_label),
    }
    for t in fill["transform"]:
        if t.get("as") in words:
            t["calculate"] = words[t["as"]]
    colour = fill["encoding"]["color"]
    colour["title"] = mv.legend_title
    colour["legend"]["title"] = mv.legend_title
    colour["scale"] = {**colour["scale"], "domain": list(mv.domain), "range": list(mv.colours)}
    colour["sort"] = list(mv.domain)
    spec["title"] = {**spec["title"], "text": mv.title, "subtitle": list(mv.subtitle)}
    spec["description"] = describe_map(mv, place_name)
    if rows is None:
        rows = mv.table.to_dict(orient="records")
    for name in map_lookups(spec):
        spec["datasets"][name] = rows
    return spec
