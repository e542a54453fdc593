"""Geometry for the browser: web-ready boundaries, hex cartogram polygons and region outlines.

Pure code (no files, no Streamlit). Inputs are the bundle's parsed GeoJSON and HexJSON; outputs
are GeoJSON FeatureCollections with the properties ``code``, ``name`` and ``region`` that the
map layers join values to.

Conventions the browser needs:

- d3-geo (which Vega uses) takes a polygon's *exterior ring clockwise*, the opposite of
  RFC 7946. A ring the wrong way round is read as "the whole globe except this shape", which
  floods the map, so every polygon is re-oriented here.
- Hex cartograms are planar: a hex of unit radius (centre to corner), x to the east and y to the
  north, drawn with Vega's ``identity`` projection and ``reflectY``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

SQRT3 = math.sqrt(3.0)
HEX_LAYOUTS: tuple[str, ...] = ("odd-r", "even-r", "odd-q", "even-q")


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _feature(geom: shapely.Geometry, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _round(obj: Any, decimals: int) -> Any:
    if isinstance(obj, float):
        r = round(obj, decimals)
        return int(r) if decimals == 0 else r
    if isinstance(obj, (list, tuple)):
        return [_round(v, decimals) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, decimals) for k, v in obj.items()}
    return obj


def for_d3(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` with exterior rings clockwise and holes anticlockwise (d3-geo's convention)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


# --- boundaries -------------------------------------------------------------------------------
def web_boundaries(
    geojson: Mapping[str, Any],
    places: Mapping[str, Mapping[str, str]],
    tolerance: float,
    decimals: int,
) -> dict[str, Any]:
    """Boundaries of ``places`` (code -> {name, region}) ready for the browser: simplified by
    ``tolerance`` (degrees), coordinates rounded to ``decimals`` decimal places, oriented for
    d3, with properties ``code``, ``name``, ``region``. Features whose code is not in ``places``
    are dropped; a shape that simplification would collapse keeps its bundle form."""
    features = []
    grid = 10.0**-decimals
    for feat in geojson.get("features", []):
        code = str((feat.get("properties") or {}).get("code", ""))
        if code not in places or not feat.get("geometry"):
            continue
        geom = shape(feat["geometry"])
        small = shapely.simplify(geom, tolerance, preserve_topology=True) if tolerance else geom
        small = shapely.set_precision(small, grid)
        if small.is_empty or small.area == 0:
            small = geom
        props = {"code": code, "name": places[code]["name"], "region": places[code]["region"]}
        feat_out = _feature(for_d3(small), props)
        feat_out["geometry"] = _round(feat_out["geometry"], decimals)
        features.append(feat_out)
    return _fc(features)


# --- hexes ------------------------------------------------------------------------------------
def hex_centre(q: int, r: int, layout: str) -> tuple[float, float]:
    """Centre (x east, y north) of the hex at column ``q``, row ``r`` of a HexJSON ``layout``,
    for hexes of unit radius. Rows run northward, as in the Open Innovations layouts."""
    if layout not in HEX_LAYOUTS:
        raise ValueError(f"unknown HexJSON layout '{layout}' (one of {HEX_LAYOUTS})")
    if layout.endswith("-r"):  # pointy-topped, rows offset
        shift = 0.5 if (r % 2 == 1) == (layout == "odd-r") else 0.0
        return SQRT3 * (q + shift), 1.5 * r
    shift = 0.5 if (q % 2 == 1) == (layout == "odd-q") else 0.0  # flat-topped, columns offset
    return 1.5 * q, SQRT3 * (r + shift)


def hexagon(cx: float, cy: float, layout: str) -> shapely.Polygon:
    """The unit-radius hexagon centred on (cx, cy): pointy-topped for row layouts, flat-topped
    for column layouts."""
    start = 30.0 if layout.endswith("-r") else 0.0
    angles = np.radians(start + 60.0 * np.arange(6))
    return shapely.Polygon(np.column_stack([cx + np.cos(angles), cy + np.sin(angles)]))


def hex_polygons(
    hexjson: Mapping[str, Any], places: Mapping[str, Mapping[str, str]], decimals: int = 2
) -> dict[str, Any]:
    """One hexagon polygon per place of ``places`` found in ``hexjson`` (planar coordinates,
    hex radius 1, rounded to ``decimals`` places), with properties ``code``, ``name``,
    ``region``."""
    layout = str(hexjson.get("layout", "odd-r"))
    features = []
    for code, h in hexjson.get("hexes", {}).items():
        if code not in places:
            continue
        cx, cy = hex_centre(int(h["q"]), int(h["r"]), layout)
        props = {"code": code, "name": places[code]["name"], "region": places[code]["region"]}
        feat = _feature(for_d3(hexagon(cx, cy, layout)), props)
        feat["geometry"] = _round(feat["geometry"], decimals)
        features.append(feat)
    return _fc(features)


def duplicate_hex_positions(hexjson: Mapping[str, Any]) -> dict[tuple[int, int], list[str]]:
    """Cells (q, r) that hold more than one code (empty when every position is unique)."""
    seen: dict[tuple[int, int], list[str]] = {}
    for code, h in hexjson.get("hexes", {}).items():
        seen.setdefault((int(h["q"]), int(h["r"])), []).append(code)
    return {cell: codes for cell, codes in seen.items() if len(codes) > 1}


# --- regions ----------------------------------------------------------------------------------
def region_outlines(
    collection: Mapping[str, Any], close_gaps: float, tolerance: float, decimals: int
) -> dict[str, Any]:
    """Outlines of the regions in ``collection`` (features with a ``region`` property): the
    union of each region's shapes. ``close_gaps`` (same units as the coordinates) is a buffer
    out and back in that seals the slivers left between shapes simplified one by one;
    ``tolerance`` simplifies the result. Properties: ``region``."""
    groups: dict[str, list[shapely.Geometry]] = {}
    for feat in collection.get("features", []):
        groups.setdefault(feat["properties"]["region"], []).append(shape(feat["geometry"]))
    features = []
    grid = 10.0**-decimals
    for region, geoms in sorted(groups.items()):
        merged = shapely.union_all(geoms, grid_size=grid)
        if close_gaps:
            merged = merged.buffer(close_gaps, join_style="mitre").buffer(
                -close_gaps, join_style="mitre"
            )
        if tolerance:
            merged = shapely.simplify(merged, tolerance, preserve_topology=True)
        feat = _feature(for_d3(merged), {"region": region})
        feat["geometry"] = _round(feat["geometry"], decimals)
        features.append(feat)
    return _fc(features)


def codes_of(collection: Mapping[str, Any]) -> list[str]:
    """The ``code`` property of every feature, in order."""
    return [str(f["properties"]["code"]) for f in collection.get("features", [])]


def missing_codes(collection: Mapping[str, Any], codes: Iterable[str]) -> list[str]:
    """Codes with no feature in ``collection``."""
    have = set(codes_of(collection))
    return [c for c in codes if c not in have]
