"""Demo geography: an invented coastline cut into lower-tier cells, grouped into regions,
counties and unitaries. Built in a flat kilometre plane (x east, y north)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon, box

from dashboard.demo.clusters import (
    allocate,
    attach_exclaves,
    dart_throw,
    kmeans,
    merge_small,
    split_largest,
)
from dashboard.demo.config import random_stream

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # radians


@dataclass(frozen=True)
class Geography:
    """Lower-tier cells and counties in the kilometre plane."""

    coast: Polygon
    cells: list[Any]  # shapely polygons, one per lower-tier cell
    xy: np.ndarray  # (n_cells, 2) representative points, km
    area_km2: np.ndarray
    role: np.ndarray  # capital, metropolitan, city_unitary, shire_unitary, district
    region: np.ndarray  # region index per cell (0 is the capital region)
    county: np.ndarray  # county index per cell, -1 where single tier
    counties: list[Any]
    county_xy: np.ndarray
    county_area_km2: np.ndarray
    county_region: np.ndarray
    coastal: np.ndarray  # exp(-distance to coast / scale), 0..1
    north: np.ndarray  # y / semi-axis y
    capital_inner: np.ndarray  # 1 at the capital centre falling to 0 at its edge; 0 elsewhere
    region_xy: np.ndarray


def _plane_bounds(g: dict[str, Any]) -> tuple[float, float, float, float]:
    kx = g["km_per_degree_lon_equator"] * math.cos(math.radians(g["origin_lat"]))
    ky = g["km_per_degree_lat"]
    (lon0, lon1), (lat0, lat1) = g["lon_bounds"], g["lat_bounds"]
    return (
        (lon0 - g["origin_lon"]) * kx,
        (lat0 - g["origin_lat"]) * ky,
        (lon1 - g["origin_lon"]) * kx,
        (lat1 - g["origin_lat"]) * ky,
    )


def _coastline(g: dict[str, Any], rng: np.random.Generator) -> Polygon:
    c = g["coast"]
    theta = np.linspace(0.0, 2.0 * math.pi, int(c["vertices"]), endpoint=False)
    radius = np.ones_like(theta)
    for k in range(2, 2 + int(c["harmonics"])):
        amp = c["amplitude"] * (2.0 / k) ** c["decay"] * rng.uniform(0.5, 1.0)
        amp *= rng.choice([-1.0, 1.0])
        radius += amp * np.cos(k * theta + rng.uniform(0.0, 2.0 * math.pi))
    x = c["semi_axis_x_km"] * radius * np.cos(theta)
    y = c["semi_axis_y_km"] * radius * np.sin(theta)
    poly = shapely.make_valid(Polygon(np.column_stack([x, y])))
    poly = poly.intersection(box(*_plane_bounds(g)))
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda p: p.area)
    return poly.simplify(c["simplify_km"])


def _sample_in(
    area: Any, n: int, rng: np.random.Generator, bounds: tuple[float, ...] | None = None
) -> np.ndarray:
    """``n`` uniform random points inside ``area`` (within ``bounds`` where that leaves room)."""
    if bounds is not None:
        clipped = area.intersection(box(*bounds))
        area = area if clipped.is_empty else clipped
    x0, y0, x1, y1 = area.bounds
    out: list[np.ndarray] = []
    have = 0
    shapely.prepare(area)
    while have < n:
        pts = np.column_stack([rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)])
        pts = pts[shapely.contains_xy(area, pts[:, 0], pts[:, 1])]
        out.append(pts)
        have += len(pts)
    return np.concatenate(out)[:n]


def _sunflower(
    n: int, radius: float, centre: np.ndarray, jitter: float, rng: np.random.Generator
) -> np.ndarray:
    """``n`` evenly spread points in a disc (a sunflower spiral), slightly jittered."""
    i = np.arange(n) + 0.5
    rad = radius * np.sqrt(i / n)
    ang = i * _GOLDEN_ANGLE + rng.uniform(0.0, 2.0 * math.pi)
    pts = np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    spacing = radius * math.sqrt(math.pi / n)
    return centre + pts + rng.normal(0.0, jitter * spacing, pts.shape)


def _urban_centres(
    g: dict[str, Any], coast: Polygon, rng: np.random.Generator
) -> tuple[np.ndarray, list[np.ndarray], list[float]]:
    """Capital centre (south-east) and conurbation centres (midlands and north)."""
    sizes = [int(s) for s in g["metro_cluster_sizes"]]
    radii = [g["metro_radius_km_per_sqrt_place"] * math.sqrt(s) for s in sizes]
    ay = g["coast"]["semi_axis_y_km"]
    inner = coast.buffer(-(g["urban_margin_km"] + g["capital_radius_km"]))
    x0, y0, x1, y1 = inner.bounds
    cz = g["capital_zone"]
    ax = g["coast"]["semi_axis_x_km"]
    south_east = (max(x0, cz["min_x"] * ax), y0, x1, min(y1, cz["max_y"] * ay))
    capital = _sample_in(inner, 1, rng, south_east)[0]
    centres: list[np.ndarray] = []
    sep = g["metro_min_separation_km"]
    while len(centres) < len(sizes):
        centres = []
        for _ in range(400):
            r = radii[len(centres)]
            zone = coast.buffer(-(g["urban_margin_km"] + r))
            zx0, zy0, zx1, zy1 = zone.bounds
            p = _sample_in(zone, 1, rng, (zx0, max(zy0, g["metro_min_y"] * ay), zx1, zy1))[0]
            if all(np.hypot(*(p - q)) >= sep for q in [capital, *centres]):
                centres.append(p)
                if len(centres) == len(sizes):
                    break
        sep *= g["metro_separation_relax"]  # the coastline is too tight for the conurbations
    return capital, centres, radii


def build_geography(cfg: dict[str, Any], seed: int) -> Geography:
    g = cfg["geography"]
    rng = random_stream(seed, "geography")
    counts = {k: int(v) for k, v in g["counts"].items()}
    coast = _coastline(g, rng)
    capital, centres, radii = _urban_centres(g, coast, rng)
    jitter = g["jitter_fraction"]
    cap_pts = _sunflower(counts["london_borough"], g["capital_radius_km"], capital, jitter, rng)
    metro_pts = [
        _sunflower(int(s), r, c, jitter, rng)
        for s, r, c in zip(g["metro_cluster_sizes"], radii, centres, strict=True)
    ]
    # rural seed points: denser in the south and around the conurbations (commuter belts)
    discs = [shapely.Point(*capital).buffer(g["capital_radius_km"])]
    discs += [shapely.Point(*c).buffer(r) for c, r in zip(centres, radii, strict=True)]
    urban = shapely.union_all(discs)
    rural_zone = coast.difference(urban.buffer(g["urban_clearance_km"]))
    n_rural = counts["unitary"] + counts["district"]
    cand = _sample_in(rural_zone, int(g["candidate_factor"] * n_rural), rng)
    ay = g["coast"]["semi_axis_y_km"]
    d_urban = shapely.distance(urban, shapely.points(cand))
    log_density = -g["rural_density_north_gradient"] * cand[:, 1] / ay + g[
        "rural_density_urban_boost"
    ] * np.exp(-d_urban / g["rural_density_urban_scale_km"])
    spacing = np.exp(-0.5 * (log_density - log_density.mean()))
    d0 = math.sqrt(rural_zone.area / n_rural)
    rural_pts = dart_throw(cand, spacing, n_rural, d0, tuple(g["dart_throw_search"]))

    seeds = np.concatenate([cap_pts, *metro_pts, rural_pts])
    n_cap, n_met = len(cap_pts), sum(len(m) for m in metro_pts)
    metro_cluster = np.full(len(seeds), -1)
    start = n_cap
    for j, m in enumerate(metro_pts):
        metro_cluster[start : start + len(m)] = j
        start += len(m)
    vor = shapely.voronoi_polygons(
        MultiPoint(seeds), extend_to=coast.envelope.buffer(100.0), ordered=True
    )
    cells = []
    for poly, p in zip(vor.geoms, seeds, strict=True):
        cell = poly.intersection(coast)
        if cell.geom_type != "Polygon":  # a bay cut the cell: keep the part holding its seed
            parts = [q for q in getattr(cell, "geoms", [cell]) if q.geom_type == "Polygon"]
            cell = min(parts, key=lambda q: q.distance(shapely.Point(*p)))
        cells.append(shapely.set_precision(cell, g["snap_grid_km"]))
    n = len(cells)
    xy = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    area = np.array([c.area for c in cells])

    # regions: the capital, then k-means of the rest (a conurbation stays in one region)
    role = np.array(["district"] * n, dtype=object)
    role[:n_cap] = "capital"
    role[n_cap : n_cap + n_met] = "metropolitan"
    region = np.zeros(n, dtype=int)
    rest = np.arange(n_cap, n)
    lab = kmeans(xy[rest], counts["regions"] - 1, rng)
    region[rest] = lab + 1
    for j in range(len(metro_pts)):
        members = metro_cluster == j
        region[members] = np.bincount(region[members]).argmax()

    # unitaries and counties, region by region
    county = np.full(n, -1)
    rural = np.arange(n_cap + n_met, n)
    reg_ids = sorted(set(region[rural]))
    n_r = np.array([np.sum(region[rural] == r) for r in reg_ids])
    u_alloc = allocate(counts["unitary"], n_r)
    d_alloc = n_r - u_alloc
    min_d = int(g["min_districts_per_county"])
    c_alloc = allocate(counts["county"], d_alloc, caps=d_alloc // min_d)
    next_county = 0
    for r, n_u, n_c in zip(reg_ids, u_alloc, c_alloc, strict=True):
        idx = rural[region[rural] == r]
        log_a = np.log(area[idx]) + rng.normal(0.0, g["unitary_pick_noise_sd"], len(idx))
        n_city = round(n_u * g["city_unitary_share"])
        order = np.argsort(log_a, kind="stable")
        city = order[:n_city]
        shire = order[::-1][: n_u - n_city]
        role[idx[city]] = "city_unitary"
        role[idx[shire]] = "shire_unitary"
        districts = idx[role[idx] == "district"]
        if len(districts) < min_d:
            role[districts] = "shire_unitary"
            continue
        k = int(min(max(n_c, 1), len(districts) // min_d))
        labels = merge_small(kmeans(xy[districts], k, rng), xy[districts], min_d)
        labels = split_largest(labels, xy[districts], k, min_d, rng)
        county[districts] = labels + next_county
        next_county += labels.max() + 1

    county = attach_exclaves(cells, county, region, g["snap_grid_km"], min_d)
    counties = [
        shapely.union_all(
            [cells[i] for i in np.flatnonzero(county == c)], grid_size=g["snap_grid_km"]
        )
        for c in range(next_county)
    ]
    county_xy = np.array([[c.centroid.x, c.centroid.y] for c in counties])
    county_region = np.array(
        [np.bincount(region[county == c]).argmax() for c in range(next_county)]
    )
    coast_line = coast.exterior
    dist_coast = shapely.distance(coast_line, shapely.points(xy))
    coastal = np.exp(-dist_coast / cfg["latent"]["coastal_scale_km"])
    inner = np.zeros(n)
    inner[:n_cap] = np.clip(
        1.0 - np.hypot(*(xy[:n_cap] - capital).T) / g["capital_radius_km"], 0.0, 1.0
    )
    region_xy = np.array(
        [
            np.average(xy[region == r], axis=0, weights=area[region == r])
            for r in range(region.max() + 1)
        ]
    )
    return Geography(
        coast=coast,
        cells=cells,
        xy=xy,
        area_km2=area,
        role=role,
        region=region,
        county=county,
        counties=counties,
        county_xy=county_xy,
        county_area_km2=np.array([c.area for c in counties]),
        county_region=county_region,
        coastal=coastal,
        north=xy[:, 1] / ay,
        capital_inner=inner,
        region_xy=region_xy,
    )
