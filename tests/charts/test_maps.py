"""Maps: every place joins to a shape and a hex; hexes are unique and well formed; the chart
joins values by lookup onto shapes fetched by URL; exports carry the attribution."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
import vl_convert
from shapely.geometry import shape

from dashboard import DATA_DIR
from dashboard.analysis.classify import NO_VALUE, map_settings
from dashboard.analysis.map_values import ROLE_GROUP, ROLE_PLACE, map_values
from dashboard.bundle import Bundle, read_bundle
from dashboard.charts.maps import SELECT, inline_data, map_chart, map_for_export, url_data
from dashboard.export.geometry import publish_geometry, web_geometry
from dashboard.geo import (
    duplicate_hex_positions,
    hex_centre,
    hex_polygons,
    region_outlines,
    web_boundaries,
)
from tests.bundle.conftest import make_bundle

ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
REAL = [
    pytest.param(DATA_DIR / "demo", id="demo"),
    pytest.param(
        ENGLAND,
        id="england",
        marks=pytest.mark.skipif(
            not (ENGLAND / "values.parquet").exists(), reason="England bundle not built"
        ),
    ),
]


@pytest.fixture(scope="module", params=REAL)
def real(request: pytest.FixtureRequest) -> tuple[Bundle, dict]:
    bundle = read_bundle(request.param)
    return bundle, {lv: web_geometry(bundle, lv) for lv in ("upper", "lower")}


def _ring_area(ring: list[list[float]]) -> float:
    """Signed area (positive anticlockwise, y north)."""
    xy = np.asarray(ring)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _exteriors(collection: dict) -> list[list[list[float]]]:
    out = []
    for f in collection["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out += [p[0] for p in polys]
    return out


# --- the real bundles ---------------------------------------------------------------------------
@pytest.mark.parametrize("level", ["upper", "lower"])
def test_every_place_joins_to_one_shape_and_one_hex(real, level: str) -> None:
    bundle, geom = real
    codes = bundle.place_codes(level)
    for kind in ("shapes", "hexes"):
        got = [f["properties"]["code"] for f in geom[level][kind]["features"]]
        assert sorted(got) == sorted(codes), f"{kind}: each place exactly once, nothing else"
        names = {
            f["properties"]["code"]: f["properties"]["name"] for f in geom[level][kind]["features"]
        }
        assert all(names[c] == bundle.place_name(c) for c in codes)


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_hex_positions_are_unique_and_hexes_do_not_overlap(real, level: str) -> None:
    bundle, geom = real
    assert duplicate_hex_positions(bundle.geo[f"{level}.hexjson"]) == {}
    hexes = [shape(f["geometry"]) for f in geom[level]["hexes"]["features"]]
    union = shapely.union_all(hexes)
    assert union.area == pytest.approx(sum(h.area for h in hexes), rel=1e-3)


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_shapes_are_valid_and_wound_for_d3(real, level: str) -> None:
    _, geom = real
    for kind in ("shapes", "hexes", "shape_regions", "hex_regions"):
        rings = _exteriors(geom[level][kind])
        assert rings, kind
        assert all(_ring_area(r) < 0 for r in rings), f"{kind}: exterior rings clockwise"
    regions = {f["properties"]["region"] for f in geom[level]["shapes"]["features"]}
    assert {f["properties"]["region"] for f in geom[level]["shape_regions"]["features"]} == regions


def test_lower_tier_geometry_is_small(real) -> None:
    _, geom = real
    size = len(json.dumps(geom["lower"]["shapes"], separators=(",", ":")))
    assert size < 400_000, f"lower-tier shapes are {size / 1000:.0f} KB"


# --- hand-made geometry -------------------------------------------------------------------------
def test_hex_centres_follow_the_layout() -> None:
    # odd-r: odd rows shifted half a hex east; rows run north
    assert hex_centre(0, 0, "odd-r") == (0.0, 0.0)
    assert hex_centre(0, 1, "odd-r") == pytest.approx((np.sqrt(3) / 2, 1.5))
    assert hex_centre(0, -1, "odd-r") == pytest.approx((np.sqrt(3) / 2, -1.5))
    assert hex_centre(0, 1, "even-r") == pytest.approx((0.0, 1.5))
    assert hex_centre(1, 0, "odd-q") == pytest.approx((1.5, np.sqrt(3) / 2))
    with pytest.raises(ValueError, match="layout"):
        hex_centre(0, 0, "diagonal")


@pytest.mark.parametrize("layout", ["odd-r", "even-r", "odd-q", "even-q"])
def test_neighbouring_hexes_touch_without_overlap(layout: str) -> None:
    hexjson = {
        "layout": layout,
        "hexes": {f"P{q}{r}": {"q": q, "r": r} for q in range(3) for r in range(3)},
    }
    info = {c: {"name": c, "region": "R"} for c in hexjson["hexes"]}
    fc = hex_polygons(hexjson, info, decimals=6)
    hexes = [shape(f["geometry"]) for f in fc["features"]]
    union = shapely.union_all(hexes)
    assert union.area == pytest.approx(sum(h.area for h in hexes), rel=1e-6)
    assert union.geom_type == "Polygon", "a 3x3 block of hexes is one connected piece"
    assert hexes[0].area == pytest.approx(3 * np.sqrt(3) / 2, rel=1e-6)


def test_duplicate_hex_positions_are_found() -> None:
    hexjson = {"layout": "odd-r", "hexes": {"A": {"q": 0, "r": 0}, "B": {"q": 0, "r": 0}}}
    assert duplicate_hex_positions(hexjson) == {(0, 0): ["A", "B"]}


def test_web_boundaries_reorient_rfc7946_rings_and_keep_only_known_places() -> None:
    bundle = make_bundle()  # squares drawn anticlockwise, as RFC 7946 asks
    info = {"C1": {"name": "Countyshire", "region": "Region One"}}
    fc = web_boundaries(bundle.geo["upper.geojson"], info, tolerance=0.01, decimals=3)
    assert [f["properties"] for f in fc["features"]] == [
        {"code": "C1", "name": "Countyshire", "region": "Region One"}
    ]
    assert _ring_area(_exteriors(fc)[0]) < 0


def test_region_outline_of_two_touching_squares_is_one_rectangle() -> None:
    bundle = make_bundle()
    info = {c: {"name": c, "region": "R"} for c in ("D1", "D2")}
    fc = web_boundaries(bundle.geo["lower.geojson"], info, tolerance=0.0, decimals=3)
    out = region_outlines(fc, close_gaps=0.0, tolerance=0.0, decimals=3)
    assert len(out["features"]) == 1
    assert shape(out["features"][0]["geometry"]).area == pytest.approx(2.0)


def test_publish_writes_hashed_files_and_replaces_old_versions(tmp_path: Path) -> None:
    bundle = make_bundle()
    pub = publish_geometry(bundle, "tiny one", tmp_path)
    assert pub.dataset == "tiny_one"
    url = pub.url("lower", "hexes")
    assert url.startswith("app/static/geo/tiny_one/lower-hexes.") and url.endswith(".geojson")
    path = tmp_path / pub.files[("lower", "hexes")]
    assert json.loads(path.read_text())["features"]
    assert pub.missing[("lower", "shapes")] == [] and pub.missing[("upper", "hexes")] == []
    # a changed bundle gets a new name and the old file goes
    geo = dict(bundle.geo)
    geo["lower.hexjson"] = {
        "layout": "odd-r",
        "hexes": {c: {"q": i, "r": 1} for i, c in enumerate(["D1", "D2", "U1", "M1"])},
    }
    changed = Bundle(bundle.meta, bundle.places, bundle.indicators, bundle.values, geo)
    pub2 = publish_geometry(changed, "tiny one", tmp_path)
    assert pub2.files[("lower", "hexes")] != pub.files[("lower", "hexes")]
    assert not path.exists()
    assert len(list((tmp_path / "geo" / "tiny_one").glob("lower-hexes.*"))) == 1


# --- values and the chart -----------------------------------------------------------------------
def _values():
    bundle = make_bundle()
    return bundle, map_values(
        bundle,
        "upper",
        "out_up",
        "2024-25",
        method="quantiles",
        k=5,
        mode="values",
        place="C1",
        group=["U1"],
    )


def test_values_table_is_small_and_has_classes_ranks_and_roles() -> None:
    _, mv = _values()
    t = mv.table.set_index("code")
    assert set(t.index) == {"C1", "U1", "M1"}
    assert list(mv.table.columns) == ["code", "c", "tv", "rk", "role"]
    assert (t["c"].dtype, t["rk"].dtype, t["role"].dtype) == (np.int8, np.int16, np.int8)
    assert t.loc["M1", "c"] == -1 and t.loc["M1", "rk"] == 0, "suppressed: no class, no rank"
    assert "suppressed" in t.loc["M1", "tv"]
    assert mv.domain[-1] == NO_VALUE and mv.colours[-1] == map_settings().missing_colour
    assert (t.loc["C1", "role"], t.loc["U1", "role"], t.loc["M1", "role"]) == (
        ROLE_PLACE,
        ROLE_GROUP,
        0,
    )
    assert t.loc["U1", "rk"] == 1, "higher is better: the highest ranks first"
    assert t.loc["C1", "tv"] == "50.0%"


def test_tooltips_read_name_value_unit_rank_and_period() -> None:
    """Rendered by Vega itself (vl-convert): the tooltip fields of each shape, as a screen
    reader and the browser's tooltip see them."""
    bundle, mv = _values()
    geom = web_geometry(bundle, "upper")
    chart = map_chart(
        mv,
        inline_data(geom["hexes"]),
        inline_data(geom["hex_regions"]),
        hexes=True,
        width=300,
        height=200,
        unit_label="%",
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    labels = set(re.findall(r'aria-label="([^"]*Place: [^"]*)"', svg))
    assert labels == {
        "%: 50.0 (1); Place: Countyshire; Value: 50.0%; Unit: %; Rank: 2nd of 2 (1st = best); "
        "Period: 2024-25",
        "%: No value; Place: Metborough; Value: no value (suppressed); Unit: %; "
        "Rank: not ranked; Period: 2024-25",
        "%: 50.0 – 60.0 (1); Place: Uniton; Value: 60.0%; Unit: %; Rank: 1st of 2 (1st = best); "
        "Period: 2024-25",
    }
    # the selected place and its group are outlined: one extra path each (halo + outline for the
    # place, dashed for the group), all without fill so clicks reach the shape underneath
    assert svg.count('stroke-dasharray="4,2"') == 1
    assert 'stroke="#000000" stroke-width="2.6"' in svg


def test_compare_mode_classes_the_difference_from_the_median() -> None:
    bundle = make_bundle()
    mv = map_values(
        bundle,
        "upper",
        "out_up",
        "2024-25",
        method="equal_interval",
        k=3,
        mode="compare",
        place="C1",
        group=[],
    )
    assert mv.median == pytest.approx(55.0)
    assert 0.0 in mv.breaks
    assert mv.scheme.diverging
    assert "vs median" in mv.table.set_index("code").loc["U1", "tv"]


def test_chart_fetches_shapes_by_url_and_joins_values_by_lookup() -> None:
    _, mv = _values()
    chart = map_chart(
        mv,
        url_data("app/static/geo/x/upper-shapes.abc.geojson"),
        url_data("app/static/geo/x/upper-shape_regions.def.geojson"),
        hexes=False,
        centre_lon=-2.0,
    )
    spec = chart.to_dict()
    text = json.dumps(spec)
    assert "app/static/geo/x/upper-shapes.abc.geojson" in text
    assert '"coordinates"' not in text, "no shapes in the spec: they are fetched once by URL"
    fill = spec["layer"][0]
    assert fill["data"]["format"] == {"property": "features", "type": "json"}
    lookup = next(t for t in fill["transform"] if "lookup" in t)
    assert lookup["lookup"] == "code"
    assert fill["encoding"]["color"]["scale"]["domain"] == mv.domain
    assert spec["params"][0]["name"] == SELECT
    assert spec["projection"]["type"] == "transverseMercator"
    outlines = spec["layer"][1:]
    assert all(layer["mark"]["fill"] is None for layer in outlines), "outlines never catch clicks"
    hexes = map_chart(mv, url_data("a"), url_data("b"), hexes=True).to_dict()
    assert hexes["projection"] == {"type": "identity", "reflectY": True}


def test_export_inlines_shapes_and_carries_the_attribution() -> None:
    pytest.importorskip("vl_convert")
    from dashboard.export.images import to_png, to_svg

    bundle, mv = _values()
    geom = web_geometry(bundle, "upper")
    chart = map_for_export(
        mv,
        geom["hexes"],
        geom["hex_regions"],
        hexes=True,
        centre_lon=0.0,
        width=300,
        height=200,
        attribution="Source: Test publisher. Licence: MIT.",
        key_text="Thick black outline: Countyshire.",
    )
    svg = to_svg(chart).decode("utf-8")
    assert "Licence: MIT" in svg and "Countyshire" in svg
    assert "<path" in svg
    png = to_png(chart, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def _without_names(spec: dict) -> dict:
    """The spec with its generated names (view and lookup dataset, named by hashes) made
    neutral."""
    from dashboard.charts.maps import map_lookups

    text = json.dumps(spec)
    for name in map_lookups(spec):
        text = text.replace(name, "ROWS")
    return json.loads(re.sub(r"view_[0-9a-f]+_", "view_", text))


def test_a_filled_template_is_the_chart_built_for_the_indicator(real) -> None:
    """The map built once per shape and filled per indicator is, indicator by indicator, the
    spec the chart builder gives: classes, colours, legend, tooltip words, title."""
    from dashboard.analysis.map_values import indicator_periods
    from dashboard.charts.maps import fill_map, map_template

    bundle, _ = real
    have = bundle.indicator_ids_with_values
    compared = 0
    for level in ("upper", "lower"):
        codes = bundle.place_codes(level)
        ids = [i for i in bundle.indicators_at(level)["id"] if i in have]
        for hexes, orient, height in ((False, "right", 560), (True, "bottom", 420)):
            shapes, regions = url_data("s.geojson"), url_data("r.geojson")
            kw = dict(hexes=hexes, centre_lon=-1.5, height=height, legend_orient=orient)
            template = map_template(shapes, regions, **kw)
            for k, ind in enumerate(ids[:: max(1, len(ids) // 12)]):
                mode, method = [
                    ("values", "quantiles"),
                    ("compare", "natural_breaks"),
                    ("values", "equal_interval"),
                ][k % 3]
                periods = indicator_periods(bundle, ind, level)
                mv = map_values(
                    bundle,
                    level,
                    ind,
                    periods[-1],
                    method=method,
                    k=5,
                    mode=mode,
                    place=codes[k % len(codes)],
                    group=codes[:6],
                )
                want = map_chart(mv, shapes, regions, unit_label="per cent", **kw)
                got = fill_map(template, mv, "per cent")
                assert _without_names(got) == _without_names(want.to_dict(validate=False)), ind
                compared += 1
    assert compared >= 8


def test_a_filled_template_renders_the_indicators_words() -> None:
    """Rendered by Vega (vl-convert): the filled map's tooltips and legend are the
    indicator's, not the template's stand-ins."""
    from dashboard.charts.maps import fill_map, map_template

    bundle, mv = _values()
    geom = web_geometry(bundle, "upper")
    template = map_template(
        inline_data(geom["hexes"]), inline_data(geom["hex_regions"]), hexes=True, height=200
    )
    spec = fill_map(template, mv, "%")
    spec["width"] = 300
    svg = vl_convert.vegalite_to_svg(spec)
    assert "template" not in svg
    assert (
        'aria-label="%: 50.0 (1); Place: Countyshire; Value: 50.0%; Unit: %; '
        'Rank: 2nd of 2 (1st = best); Period: 2024-25"' in svg
    )
    assert mv.legend_title in svg
