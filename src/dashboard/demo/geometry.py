"""Demo geometry output: GeoJSON boundaries in lon/lat and HexJSON layouts for both levels."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import shapely
from scipy.optimize import linear_sum_assignment
from shapely.geometry import MultiPoint, Polygon, mapping

from dashboard.bundle.schema import KIND_LEVELS
from dashboard.demo.geography import Geography


def _to_lonlat(geom: Any, g: dict[str, Any]) -> Any:
    kx = g["km_per_degree_lon_equator"] * math.cos(math.radians(g["origin_lat"]))
    ky = g["km_per_degree_lat"]
    origin = np.array([g["origin_lon"], g["origin_lat"]])
    return shapely.transform(geom, lambda c: origin + c / np.array([kx, ky]))


def _round_coords(obj: Any, decimals: int) -> Any:
    if isinstance(obj, list | tuple):
        if obj and isinstance(obj[0], float | int):
            return [round(float(v), decimals) for v in obj]
        return [_round_coords(v, decimals) for v in obj]
    return obj


def _feature_collection(
    geoms: list[Any], codes: list[str], names: list[str], g: dict[str, Any]
) -> dict[str, Any]:
    """GeoJSON in lon/lat, rounded; exterior rings clockwise (the d3/Vega convention)."""
    dec = int(g["coordinate_decimals"])
    features = []
    for geom, code, name in zip(geoms, codes, names, strict=True):
        ll = shapely.set_precision(_to_lonlat(geom, g), 10**-dec)
        ll = shapely.orient_polygons(ll, exterior_cw=True)
        gj = mapping(ll)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": {
                    "type": gj["type"],
                    "coordinates": _round_coords(gj["coordinates"], dec),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _hexjson(
    xy: np.ndarray,
    codes: list[str],
    names: list[str],
    regions: list[str],
    land: Polygon,
    g: dict[str, Any],
) -> dict[str, Any]:
    """An odd-r HexJSON layout: each place on its own hex, near its centroid (rows go north).

    The n hexes deepest inside the coast are used, so the layout has no holes. Centroids are
    first spread towards an even density (a few Lloyd relaxation steps: dense clusters such as
    the capital open up), then matched to the hexes by an optimal assignment (least total
    squared distance, i.e. optimal transport), which keeps neighbours together.
    """
    n = len(codes)
    xy = _equalise(xy, land, int(g["hex_relax_iterations"]))
    # a pointy-top hex of size (circumradius) s is sqrt(3) s wide, its rows are 3/2 s apart and
    # its area is 3/2 sqrt(3) s^2
    size = math.sqrt(land.area / (g["hex_fill_ratio"] * n * (3 / 2) * math.sqrt(3)))
    w, h = math.sqrt(3) * size, (3 / 2) * size
    x0, y0, x1, y1 = land.bounds
    margin = g["hex_margin"] * w
    qs = np.arange(math.floor((x0 - margin) / w) - 1, math.ceil((x1 + margin) / w) + 2)
    rs = np.arange(math.floor((y0 - margin) / h) - 1, math.ceil((y1 + margin) / h) + 2)
    qq, rr = (a.ravel() for a in np.meshgrid(qs, rs))
    cx = w * (qq + 0.5 * (rr & 1))
    cy = h * rr
    zone = land.buffer(margin)
    depth = shapely.distance(zone.exterior, shapely.points(cx, cy))
    depth = np.where(shapely.contains_xy(zone, cx, cy), depth, -depth)
    keep = np.argsort(-depth, kind="stable")[:n]  # exactly n hexes: drop the most coastal
    qq, rr, cx, cy = qq[keep], rr[keep], cx[keep], cy[keep]
    cost = (xy[:, 0, None] - cx[None, :]) ** 2 + (xy[:, 1, None] - cy[None, :]) ** 2
    row, col = linear_sum_assignment(cost)
    q, r = qq[col[np.argsort(row)]], rr[col[np.argsort(row)]]
    q = q - q.min()
    r = r - 2 * (r.min() // 2)  # shift by an even number of rows: odd-r parity is kept
    return {
        "layout": "odd-r",
        "hexes": {
            code: {"q": int(qi), "r": int(ri), "n": name, "region": reg}
            for code, qi, ri, name, reg in zip(codes, q, r, names, regions, strict=True)
        },
    }


def _equalise(xy: np.ndarray, land: Polygon, iterations: int) -> np.ndarray:
    """Move points towards equal-area Voronoi cells inside ``land`` (Lloyd relaxation)."""
    pts = xy.copy()
    frame = land.envelope.buffer(100.0)
    for _ in range(iterations):
        vor = shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame, ordered=True)
        cells = shapely.intersection(np.asarray(vor.geoms), land)
        cen = shapely.get_coordinates(shapely.centroid(cells))
        if len(cen) != len(pts):  # an empty cell (should not happen): stop where we are
            break
        pts = cen
    return pts


def geo_files(
    geo: Geography, places: pd.DataFrame, cfg: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """GeoJSON boundaries and HexJSON layouts for both levels (``places`` in cell order, then
    counties, as ``build_places`` makes them)."""
    g = cfg["geography"]
    geoms = [*geo.cells, *geo.counties]
    xy = np.concatenate([geo.xy, geo.county_xy]) if len(geo.counties) else geo.xy
    out: dict[str, dict[str, Any]] = {}
    for level in ("upper", "lower"):
        idx = [i for i, k in enumerate(places["kind"]) if level in KIND_LEVELS[k]]
        codes = places["code"].iloc[idx].tolist()
        names = places["name"].iloc[idx].tolist()
        regions = places["region_code"].iloc[idx].tolist()
        out[f"{level}.geojson"] = _feature_collection([geoms[i] for i in idx], codes, names, g)
        out[f"{level}.hexjson"] = _hexjson(xy[idx], codes, names, regions, geo.coast, g)
    return out
