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
#: The four layouts the HexJSON format defines (odd/even rows or columns offset).
HEX_LAYOUTS: tuple[str, ...] = ("odd-r", "even-r", "odd-q", "even-q")
#: The layout a HexJSON file without ``layout`` is read with.
DEFAULT_HEX_LAYOUT = "odd-r"
#: Geometry types a boundary may have.
BOUNDARY_TYPES: tuple[str, ...] = ("Polygon", "MultiPolygon")
#: Fewest positions in a linear ring (RFC 7946, 3.1.6: closed, so 4 for a triangle).
MIN_RING_POSITIONS = 4


class GeometryError(ValueError):
    """A boundary or hex file that cannot be drawn: ``feature`` is the 1-based feature (or hex)
    index, ``prop`` the property or path within it, ``hint`` how to fix it."""

    def __init__(
        self, message: str, *, feature: int | None = None, prop: str | None = None, hint: str = ""
    ) -> None:
        super().__init__(message)
        self.detail = message
        self.feature = feature
        self.prop = prop
        self.hint = hint


# --- checks (run when a bundle is read) -------------------------------------------------------
def _ring(raw: Any, feature: int, where: str) -> np.ndarray:
    """One linear ring as an (n, 2 or 3) float array, or a GeometryError naming ``where``."""
    if not isinstance(raw, list):
        raise GeometryError("a ring must be a list of positions", feature=feature, prop=where)
    try:
        arr = np.asarray(raw)
    except ValueError as exc:  # ragged: positions of different lengths
        raise GeometryError(
            "positions of a ring must all be [x, y] pairs",
            feature=feature,
            prop=where,
            hint="write every position as [longitude, latitude]",
        ) from exc
    if arr.ndim != 2 or arr.shape[1] not in (2, 3):
        raise GeometryError(
            "a ring must be a list of [x, y] positions",
            feature=feature,
            prop=where,
            hint="write every position as [longitude, latitude]",
        )
    if arr.dtype.kind not in "iuf":
        raise GeometryError(
            "coordinates must be numbers (found text, true/false or null)",
            feature=feature,
            prop=where,
            hint="write coordinates as JSON numbers, not strings",
        )
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        raise GeometryError(
            "coordinates must be finite numbers (found NaN or Infinity)",
            feature=feature,
            prop=where,
            hint="remove or fix the position",
        )
    if len(arr) < MIN_RING_POSITIONS:
        raise GeometryError(
            f"a ring needs at least {MIN_RING_POSITIONS} positions, has {len(arr)}",
            feature=feature,
            prop=where,
            hint="a closed ring repeats its first position last (RFC 7946, 3.1.6)",
        )
    if not np.array_equal(arr[0], arr[-1]):
        raise GeometryError(
            "a ring must end where it starts",
            feature=feature,
            prop=where,
            hint="repeat the first position at the end (RFC 7946, 3.1.6)",
        )
    return arr


def _polygon(raw: Any, feature: int, where: str) -> list[np.ndarray]:
    if not isinstance(raw, list) or not raw:
        raise GeometryError(
            "a polygon must be a non-empty list of rings", feature=feature, prop=where
        )
    return [_ring(ring, feature, f"{where}[{k}]")[:, :2] for k, ring in enumerate(raw)]


def check_geometry(geometry: Any, feature: int) -> list[list[np.ndarray]]:
    """Check one feature's ``geometry`` (a Polygon or MultiPolygon of finite numeric positions
    in closed rings of at least four); return its polygons, each a list of (n, 2) ring arrays
    (exterior first), for :func:`multipolygons`."""
    if not isinstance(geometry, dict):
        raise GeometryError(
            "feature has no geometry object",
            feature=feature,
            prop="geometry",
            hint="give each feature a Polygon or MultiPolygon geometry",
        )
    kind = geometry.get("type")
    if kind not in BOUNDARY_TYPES:
        raise GeometryError(
            f"geometry type '{kind}' is not allowed (allowed: {', '.join(BOUNDARY_TYPES)})",
            feature=feature,
            prop="geometry.type",
            hint="boundaries must be areas",
        )
    coords = geometry.get("coordinates")
    if not coords:
        raise GeometryError(
            "feature has no coordinates", feature=feature, prop="geometry.coordinates"
        )
    if kind == "Polygon":
        return [_polygon(coords, feature, "geometry.coordinates")]
    else:
        if not isinstance(coords, list):
            raise GeometryError(
                "a MultiPolygon must be a list of polygons",
                feature=feature,
                prop="geometry.coordinates",
            )
        return [_polygon(p, feature, f"geometry.coordinates[{k}]") for k, p in enumerate(coords)]


def multipolygons(features: list[list[list[np.ndarray]]]) -> np.ndarray:
    """One shapely MultiPolygon per feature from :func:`check_geometry`'s rings, built in one
    vectorised call (for validity checks)."""
    rings = [ring for polys in features for poly in polys for ring in poly]
    ring_ends = np.cumsum([0, *(len(r) for r in rings)])
    poly_ends = np.cumsum([0, *(len(poly) for polys in features for poly in polys)])
    feat_ends = np.cumsum([0, *(len(polys) for polys in features)])
    coords = np.concatenate(rings) if rings else np.empty((0, 2))
    return shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON, coords, (ring_ends, poly_ends, feat_ends)
    )


def repair(geom: shapely.Geometry) -> shapely.Geometry | None:
    """An invalid (e.g. self-intersecting) polygon made valid with shapely's ``make_valid``,
    keeping only its areas; None when nothing with an area is left."""
    fixed = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(fixed) if isinstance(p, shapely.Polygon) and p.area > 0]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def check_hex_cell(code: str, cell: Any, index: int) -> tuple[int, int]:
    """The integer ``(q, r)`` of one HexJSON hex, or a GeometryError naming it."""
    if not isinstance(cell, dict):
        raise GeometryError(
            f"hex '{code}' must be an object with q and r", feature=index, prop=f"hexes.{code}"
        )
    out = []
    for axis in ("q", "r"):
        v = cell.get(axis)
        integral = isinstance(v, int) or (isinstance(v, float) and v.is_integer())
        if isinstance(v, bool) or not integral:
            raise GeometryError(
                f"hex '{code}' needs an integer {axis}, got {v!r}",
                feature=index,
                prop=f"hexes.{code}.{axis}",
                hint="q and r are whole numbers (column and row)",
            )
        out.append(int(v))
    return out[0], out[1]


def hex_layout(hexjson: Mapping[str, Any]) -> str:
    """The ``layout`` of a HexJSON document (the default when absent), or a GeometryError when
    it is not one of :data:`HEX_LAYOUTS`."""
    layout = hexjson.get("layout", DEFAULT_HEX_LAYOUT)
    if layout not in HEX_LAYOUTS:
        raise GeometryError(
            f"layout '{layout}' is not a HexJSON layout (allowed: {', '.join(HEX_LAYOUTS)})",
            prop="layout",
            hint="HexJSON defines odd-r, even-r, odd-q and even-q",
        )
    return str(layout)


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
    layout = str(hexjson.get("layout", DEFAULT_HEX_LAYOUT))
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
