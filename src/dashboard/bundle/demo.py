"""The fictional demo bundle: an invented country generated from a fixed seed.

Every assumption (counts of places, base spend per head, elasticities of spend to need, outcome
effect sizes, noise, outlier share, periods) lives in data/catalogue/demo.yaml with a unit and a
note. The steps:

1. geography: an invented coastline; seed points (a dense capital, a few conurbations, rural
   points thinning to the north) cut into Voronoi cells; cells grouped into regions, counties
   (districts merged) and unitaries. Built in a flat kilometre plane (x east, y north) and mapped
   to lon/lat only when writing GeoJSON.
2. latent structure per lower-tier cell: urbanity, deprivation and age (z-scores).
3. population by age band (2020 to the projection horizon) and need/context indicators.
4. spend per head by service: need raises it, with council policy choices, noise and outliers.
5. outcomes: need worsens them, spend improves them with diminishing returns (log spend), plus
   council quality, noise and trends; some with confidence intervals, some suppressed.

``generate_demo(seed)`` is pure (it only reads the YAML catalogues); ``make_demo`` writes it.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
import yaml
from scipy.optimize import linear_sum_assignment
from scipy.stats import chi2
from shapely.geometry import MultiPoint, Polygon, box, mapping

from dashboard import CATALOGUE_DIR
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.io import indicators_frame, validate_bundle, write_bundle
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import AGE_BANDS, KIND_LEVELS

#: The fixed seed of the committed demo bundle in data/demo/.
DEFAULT_SEED: int = 20250401
DEMO_CONFIG: Path = CATALOGUE_DIR / "demo.yaml"

_Z95 = 1.959963984540054  # two-sided 95% normal quantile
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_SINGLE_TIER_ROLES = ("capital", "metropolitan", "city_unitary", "shire_unitary")
_ROLE_KIND = {
    "capital": "london_borough",
    "metropolitan": "metropolitan",
    "city_unitary": "unitary",
    "shire_unitary": "unitary",
    "district": "district",
}
_LATENTS = ("dep", "old", "urban", "capital")


# --- configuration ------------------------------------------------------------------------------
def load_config(path: Path | None = None) -> dict[str, Any]:
    """The generator's assumptions, with every ``{value, unit, note}`` unwrapped to its value."""
    doc = yaml.safe_load((path or DEMO_CONFIG).read_text(encoding="utf-8"))
    return _unwrap(doc)


def _unwrap(node: Any) -> Any:
    if isinstance(node, dict):
        if "value" in node and set(node) <= {"value", "unit", "note"}:
            return _unwrap(node["value"])
        return {k: _unwrap(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_unwrap(v) for v in node]
    return node


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per step, so changing one step leaves the others alone."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


# --- geography ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Geography:
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
        sep *= 0.9  # relax if the coastline is too tight for the conurbations
    return capital, centres, radii


def _dart_throw(candidates: np.ndarray, spacing: np.ndarray, n: int, d0_guess: float) -> np.ndarray:
    """Greedy Poisson-disc selection of exactly ``n`` candidates with spacing ``d0 * spacing``."""

    def pick(d0: float) -> list[int]:
        chosen: list[int] = []
        pts = np.empty((len(candidates), 2))
        rad = np.empty(len(candidates))
        for i, (p, s) in enumerate(zip(candidates, spacing, strict=True)):
            k = len(chosen)
            if k:
                d = np.hypot(pts[:k, 0] - p[0], pts[:k, 1] - p[1])
                if np.any(d < 0.5 * d0 * (s + rad[:k])):
                    continue
            pts[k], rad[k] = p, s
            chosen.append(i)
        return chosen

    lo, hi = 0.3 * d0_guess, 1.5 * d0_guess
    best = pick(lo)
    for _ in range(18):
        mid = 0.5 * (lo + hi)
        got = pick(mid)
        if len(got) >= n:
            lo, best = mid, got
        else:
            hi = mid
    return candidates[best[:n]]


def _kmeans(xy: np.ndarray, k: int, rng: np.random.Generator, iters: int = 40) -> np.ndarray:
    """Cluster labels of a small k-means (k-means++ start); clusters are compact in space."""
    n = len(xy)
    if k <= 1:
        return np.zeros(n, dtype=int)
    centres = [xy[rng.integers(n)]]
    for _ in range(1, k):
        d2 = np.min([np.sum((xy - c) ** 2, axis=1) for c in centres], axis=0)
        centres.append(xy[rng.choice(n, p=d2 / d2.sum())])
    c = np.array(centres)
    labels = np.zeros(n, dtype=int)
    for _ in range(iters):
        labels = np.argmin(((xy[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
        new = np.array(
            [xy[labels == j].mean(axis=0) if np.any(labels == j) else c[j] for j in range(k)]
        )
        if np.allclose(new, c):
            break
        c = new
    return labels


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), none
    above its cap (what a capped share cannot take goes to the others)."""
    w = np.asarray(weights, dtype=float)
    cap = np.full(len(w), total) if caps is None else np.asarray(caps, dtype=int)
    out = np.zeros(len(w), dtype=int)
    free = cap > 0
    while total - out.sum() > 0 and free.any():
        left = total - out.sum()
        raw = left * np.where(free, w, 0.0) / np.where(free, w, 0.0).sum()
        add = np.floor(raw).astype(int)
        for j in np.argsort(-(raw - add), kind="stable")[: left - add.sum()]:
            add[j] += 1
        out = np.minimum(out + add, cap)
        free = out < cap
    return out


def _merge_small(labels: np.ndarray, xy: np.ndarray, min_size: int) -> np.ndarray:
    """Merge clusters smaller than ``min_size`` into the nearest other cluster; relabel 0..k-1."""
    labels = labels.copy()
    while True:
        ids, counts = np.unique(labels, return_counts=True)
        small = ids[counts < min_size]
        if len(small) == 0 or len(ids) == 1:
            break
        j = small[np.argmin(counts[counts < min_size])]
        cj = xy[labels == j].mean(axis=0)
        others = [i for i in ids if i != j]
        dist = [np.hypot(*(xy[labels == i].mean(axis=0) - cj)) for i in others]
        labels[labels == j] = others[int(np.argmin(dist))]
    return np.unique(labels, return_inverse=True)[1]


def _split_largest(
    labels: np.ndarray, xy: np.ndarray, k: int, min_size: int, rng: np.random.Generator
) -> np.ndarray:
    """Split the largest cluster in two until there are ``k`` (both halves ``min_size``+)."""
    labels = labels.copy()
    while labels.max() + 1 < k:
        big = int(np.bincount(labels).argmax())
        members = np.flatnonzero(labels == big)
        halves = _kmeans(xy[members], 2, rng)
        if min(np.sum(halves == 0), np.sum(halves == 1)) < min_size:
            break
        labels[members[halves == 1]] = labels.max() + 1
    return labels


def _attach_exclaves(
    cells: list[Any], county: np.ndarray, region: np.ndarray, grid: float, min_size: int
) -> np.ndarray:
    """Give a district cut off from the rest of its county to a neighbouring county of its
    region, where one touches it and its own county keeps ``min_size`` districts (counties
    then form one piece wherever they can)."""
    county = county.copy()
    for _ in range(3):
        moved = False
        for c in range(county.max() + 1):
            members = np.flatnonzero(county == c)
            shape = shapely.union_all([cells[i] for i in members], grid_size=grid)
            if shape.geom_type == "Polygon" or len(members) < 2:
                continue
            main = max(shape.geoms, key=lambda p: p.area)
            for i in members:
                if cells[i].intersection(main).area > 0:
                    continue
                near = [
                    j
                    for j in np.flatnonzero((county >= 0) & (county != c) & (region == region[i]))
                    if cells[i].distance(cells[j]) < grid
                ]
                if near and np.sum(county == c) > min_size:
                    county[i] = county[near[0]]
                    moved = True
        if not moved:
            break
    return county


def _geography(cfg: dict[str, Any], seed: int) -> _Geography:
    g = cfg["geography"]
    rng = _rng(seed, "geography")
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
    rural_pts = _dart_throw(cand, spacing, n_rural, math.sqrt(rural_zone.area / n_rural))

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
    lab = _kmeans(xy[rest], counts["regions"] - 1, rng)
    region[rest] = lab + 1
    for j in range(len(metro_pts)):
        members = metro_cluster == j
        region[members] = np.bincount(region[members]).argmax()

    # unitaries and counties, region by region
    county = np.full(n, -1)
    rural = np.arange(n_cap + n_met, n)
    reg_ids = sorted(set(region[rural]))
    n_r = np.array([np.sum(region[rural] == r) for r in reg_ids])
    u_alloc = _allocate(counts["unitary"], n_r)
    d_alloc = n_r - u_alloc
    min_d = int(g["min_districts_per_county"])
    c_alloc = _allocate(counts["county"], d_alloc, caps=d_alloc // min_d)
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
        labels = _merge_small(_kmeans(xy[districts], k, rng), xy[districts], min_d)
        labels = _split_largest(labels, xy[districts], k, min_d, rng)
        county[districts] = labels + next_county
        next_county += labels.max() + 1

    county = _attach_exclaves(cells, county, region, g["snap_grid_km"], min_d)
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
    return _Geography(
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


# --- places: names and codes --------------------------------------------------------------------
class _Namer:
    """Unique invented names from stems and endings (never a name in the ``avoid`` list)."""

    def __init__(self, cfg: dict[str, Any], rng: np.random.Generator) -> None:
        self.cfg = cfg
        self.rng = rng
        self.used: set[str] = {a.lower() for a in cfg["avoid"]}

    def _take(self, make: Any) -> str:
        for _ in range(10_000):
            name = make()
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name
        raise RuntimeError("ran out of invented names; add stems to demo.yaml")

    def _word(self) -> str:
        while True:  # no doubled letter at the join ("Tallowwick")
            stem = str(self.rng.choice(self.cfg["stems"]))
            ending = str(self.rng.choice(self.cfg["endings"]))
            if stem[-1] != ending[0]:
                return stem + ending

    def town(self) -> str:
        return self._take(self._word)

    def district(self) -> str:
        u = self.rng.uniform()
        if u < self.cfg["compass_prefix_share"]:
            return self._take(
                lambda: f"{self.rng.choice(self.cfg['compass_prefixes'])} {self._word()}"
            )
        if u < self.cfg["compass_prefix_share"] + self.cfg["joined_share"]:
            return self._take(lambda: f"{self._word()} and {self._word()}")
        return self.town()

    def county(self) -> str:
        return self._take(
            lambda: str(self.rng.choice(self.cfg["stems"])) + self.cfg["county_ending"]
        )


def _compass(dx: float, dy: float, mid_radius: float) -> str:
    if math.hypot(dx, dy) < mid_radius:
        return "Mid"
    points = [
        "East",
        "North East",
        "North",
        "North West",
        "West",
        "South West",
        "South",
        "South East",
    ]
    return points[round(math.degrees(math.atan2(dy, dx)) / 45.0) % 8]


def _places(geo: _Geography, cfg: dict[str, Any], seed: int) -> pd.DataFrame:
    """places.csv rows for the lower-tier cells (first, in cell order) then the counties."""
    rng = _rng(seed, "names")
    names = cfg["names"]
    codes = cfg["codes"]
    namer = _Namer(names, rng)
    # regions: the capital's is "Greater <capital>"; others by compass and an invented landscape
    n_reg = len(geo.region_xy)
    landscapes = list(names["region_landscapes"])
    rng.shuffle(landscapes)
    region_names = [f"Greater {names['capital_city']}"]
    mid = names["mid_region_radius"] * cfg["geography"]["coast"]["semi_axis_y_km"]
    for r in range(1, n_reg):
        region_names.append(f"{_compass(*geo.region_xy[r], mid)} {landscapes[r - 1]}")
    namer.used |= {n.lower() for n in [*region_names, names["capital_city"], *landscapes]}
    reg_order = np.lexsort((geo.region_xy[:, 0], -geo.region_xy[:, 1]))
    region_code = {int(r): f"{codes['region']}{i + 1:06d}" for i, r in enumerate(reg_order)}

    n = len(geo.cells)
    kinds = [_ROLE_KIND[r] for r in geo.role]
    cell_names = [namer.district() if k == "district" else namer.town() for k in kinds]
    county_names = [namer.county() for _ in geo.counties]
    all_kinds = kinds + ["county"] * len(geo.counties)
    all_xy = np.concatenate([geo.xy, geo.county_xy]) if len(geo.counties) else geo.xy
    all_codes = [""] * len(all_kinds)
    for kind in sorted(set(all_kinds)):
        idx = [i for i, k in enumerate(all_kinds) if k == kind]
        order = sorted(idx, key=lambda i: (-round(all_xy[i, 1], 3), round(all_xy[i, 0], 3)))
        for j, i in enumerate(order):
            all_codes[i] = f"{codes[kind]}{j + 1:06d}"
    regions = [*geo.region.tolist(), *geo.county_region.tolist()]
    county_code = [all_codes[n + int(c)] if c >= 0 else "" for c in geo.county] + [""] * len(
        geo.counties
    )
    return pd.DataFrame(
        {
            "code": all_codes,
            "name": cell_names + county_names,
            "kind": all_kinds,
            "region_code": [region_code[r] for r in regions],
            "region_name": [region_names[r] for r in regions],
            "county_code": county_code,
        }
    )


# --- geometry output ----------------------------------------------------------------------------
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
        ll = shapely.set_precision(_to_lonlat(geom, g), 10.0**-dec)
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
    size = math.sqrt(land.area / (g["hex_fill_ratio"] * n * 1.5 * math.sqrt(3.0)))
    w, h = math.sqrt(3.0) * size, 1.5 * size
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


def _geo_files(
    geo: _Geography, places: pd.DataFrame, cfg: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """GeoJSON boundaries and HexJSON layouts for both levels (``places`` in cell order, then
    counties, as ``_places`` makes them)."""
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


# --- the data -----------------------------------------------------------------------------------
@dataclass
class _Table:
    """Values of one indicator for every place and period (a row exists where ``present``)."""

    value: np.ndarray
    present: np.ndarray
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    status: np.ndarray | None = None


@dataclass
class _World:
    """What the data steps share: places are the lower-tier cells, then the counties."""

    cfg: dict[str, Any]
    geo: _Geography
    rng: np.random.Generator
    n_cells: int
    n_counties: int
    periods: list[str]
    t: np.ndarray  # period index 0..n-1
    role: np.ndarray  # spend role per place: county, district or single_tier
    is_capital: np.ndarray  # per place
    parent: np.ndarray  # upper-tier place of each place (a district's county; else itself)
    latents: dict[str, np.ndarray]  # per cell; per place once _population has run
    tables: dict[str, _Table]
    band: np.ndarray | None = None  # persons: places x population years x age bands
    years: np.ndarray | None = None
    weights: dict[str, np.ndarray] | None = None  # persons by group: places x periods

    @property
    def n_places(self) -> int:
        return self.n_cells + self.n_counties

    def put(self, ind: str, values: np.ndarray, present: np.ndarray | None = None) -> None:
        if present is None:
            present = np.ones(values.shape, dtype=bool)
        self.tables[ind] = _Table(value=values, present=present)

    def county_mean(self, cells: np.ndarray, weight: str) -> np.ndarray:
        """County values as the ``weight``-weighted means of their districts' (cells x periods)."""
        assert self.weights is not None
        w = self.weights[weight][: self.n_cells]
        out = np.full((self.n_counties, cells.shape[1]), np.nan)
        for c in range(self.n_counties):
            m = self.geo.county == c
            out[c] = np.sum(cells[m] * w[m], axis=0) / np.sum(w[m], axis=0)
        return out

    def with_counties(self, cells: np.ndarray, weight: str = "persons") -> np.ndarray:
        return np.concatenate([cells, self.county_mean(cells, weight)])


def _period_year(period: str) -> int:
    return int(period[:4])


def _world(geo: _Geography, cfg: dict[str, Any], seed: int) -> _World:
    """Latent structure of the cells: urbanity (0-1), deprivation and age (z-scores)."""
    rng = _rng(seed, "data")
    lat = cfg["latent"]
    n, n_c = len(geo.cells), len(geo.counties)
    is_cap = geo.role == "capital"
    urb = lat["urbanity"]
    urban = np.array([urb[r] for r in geo.role], dtype=float)
    urban = np.clip(urban + rng.normal(0.0, urb["sd"], n), 0.0, 1.0)
    d = lat["deprivation"]
    region_effect = rng.normal(0.0, d["region_sd"], geo.region.max() + 1)
    dep = (
        d["north"] * geo.north
        + d["urban"] * urban
        + d["coastal"] * geo.coastal
        + d["capital_inner"] * geo.capital_inner
        + region_effect[geo.region]
        + rng.normal(0.0, d["noise_sd"], n)
    )
    a = lat["age"]
    old = (
        a["coastal"] * geo.coastal
        + a["urban"] * urban
        + a["capital"] * is_cap
        + rng.normal(0.0, a["noise_sd"], n)
    )
    latents = {
        "dep": (dep - dep.mean()) / dep.std(),
        "old": (old - old.mean()) / old.std(),
        "urban": urban - urban.mean(),
        "capital": is_cap.astype(float),
    }
    role = [("district" if r == "district" else "single_tier") for r in geo.role]
    parent = np.where(geo.county >= 0, n + geo.county, np.arange(n))
    return _World(
        cfg=cfg,
        geo=geo,
        rng=rng,
        n_cells=n,
        n_counties=n_c,
        periods=list(cfg["periods"]),
        t=np.arange(len(cfg["periods"])),
        role=np.array([*role, *(["county"] * n_c)]),
        is_capital=np.concatenate([is_cap, np.zeros(n_c, dtype=bool)]),
        parent=np.concatenate([parent, n + np.arange(n_c)]),
        latents=latents,
        tables={},
    )


def _population(w: _World) -> None:
    """Persons by age band per place and year (counties sum their districts), and the
    population, density and age-share indicators for the periods."""
    pc = w.cfg["population"]
    rng, geo, n = w.rng, w.geo, w.n_cells
    dep, old, urban = w.latents["dep"], w.latents["old"], w.latents["urban"]
    years = np.arange(
        int(w.cfg["population_years"]["first"]), int(w.cfg["population_years"]["last"]) + 1
    )
    k = (years - years[0])[None, :]
    size = pc["persons_2020"]
    persons0 = np.array(
        [size[r]["median"] * math.exp(rng.normal(0.0, size[r]["log_sd"])) for r in geo.role]
    )
    persons0 = np.maximum(persons0, size["minimum"])
    growth = (
        pc["growth_pct_per_year"]
        + pc["growth_capital_pct_per_year"] * (geo.role == "capital")
        + rng.normal(0.0, pc["growth_sd_pct_per_year"], n)
    ) / 100.0
    total = persons0[:, None] * (1.0 + growth[:, None]) ** k
    sh = pc["shares_2020"]
    s65, s0, s18 = sh["aged_65_plus"], sh["aged_0_17"], sh["aged_18_24"]
    p65 = np.clip(s65["mean"] + s65["old"] * old + s65["dep"] * dep, s65["min"], s65["max"])
    p65 = (
        p65[:, None]
        + (pc["ageing_pp_per_year"] + pc["ageing_old_effect_pp_per_year"] * old[:, None]) * k
    )
    p017 = s0["mean"] + s0["old"] * old + s0["dep"] * dep + rng.normal(0.0, s0["noise_sd"], n)
    p017 = np.clip(p017, s0["min"], s0["max"])[:, None] + pc["children_pp_per_year"] * k
    p1824 = s18["mean"] + s18["urban"] * urban + rng.normal(0.0, s18["noise_sd"], n)
    p1824 = np.broadcast_to(np.clip(p1824, s18["min"], s18["max"])[:, None], p65.shape)
    f85 = pc["share_85_of_65_plus"] + pc["share_85_old_effect"] * old[:, None]
    f85 = np.clip(f85 + pc["share_85_growth_per_year"] * k, *pc["share_85_bounds"])
    f75, f04 = pc["share_75_84_of_65_plus"], pc["share_0_4_of_0_17"]
    shares = {
        "0-4": p017 * f04,
        "5-17": p017 * (1.0 - f04),
        "18-24": p1824,
        "25-64": 100.0 - p017 - p1824 - p65,
        "65-74": p65 * (1.0 - f75 - f85),
        "75-84": p65 * f75,
        "85+": p65 * f85,
    }
    band = np.stack([np.round(total * shares[b] / 100.0) for b in AGE_BANDS], axis=2)
    county_band = [band[geo.county == c].sum(axis=0) for c in range(w.n_counties)]
    w.band = np.concatenate([band, np.array(county_band).reshape(-1, *band.shape[1:])])
    w.years = years

    at = w.band[:, [int(np.flatnonzero(years == _period_year(p))[0]) for p in w.periods], :]
    b = {name: at[:, :, i] for i, name in enumerate(AGE_BANDS)}
    pop = at.sum(axis=2)
    w.weights = {
        "persons": pop,
        "children": b["0-4"] + b["5-17"],
        "older": b["65-74"] + b["75-84"] + b["85+"],
        "working_age": b["18-24"] + b["25-64"],
    }
    area = np.concatenate([geo.area_km2, geo.county_area_km2])
    w.put("population", pop)
    w.put("density_per_sq_km", np.round(pop / area[:, None], 1))
    w.put("pct_aged_0_17", np.round(100.0 * w.weights["children"] / pop, 1))
    w.put("pct_aged_65_plus", np.round(100.0 * w.weights["older"] / pop, 1))
    w.put("pct_aged_85_plus", np.round(100.0 * b["85+"] / pop, 2))
    # latents of counties: population-weighted means of their districts
    w.latents = {
        name: w.with_counties(np.broadcast_to(v[:, None], (n, len(w.t))))[:, 0]
        for name, v in w.latents.items()
    }


def _latent_indicators(w: _World) -> None:
    """Need and context indicators driven by the latents (see demo.yaml latent_indicators)."""
    n, t, rng = w.n_cells, w.t, w.rng
    for ind, spec in w.cfg["latent_indicators"].items():
        z = sum(spec.get(name, 0.0) * w.latents[name][:n, None] for name in _LATENTS)
        z = z + spec.get("noise_sd", 0.0) * rng.normal(0.0, 1.0, (n, 1))
        z = z + spec.get("year_noise_sd", 0.0) * rng.normal(0.0, 1.0, (n, len(t)))
        v = spec["mean"] + spec["sd"] * z + spec.get("trend_per_year", 0.0) * t
        v = v + np.asarray(spec.get("period_offsets", np.zeros(len(t))))
        v = v * (1.0 + spec.get("growth_pct_per_year", 0.0) / 100.0) ** t
        v = np.clip(v, spec["min"], spec["max"])
        w.put(ind, np.round(w.with_counties(v, spec["weight"]), int(spec["decimals"])))


def _spend(w: _World) -> dict[str, np.ndarray]:
    """Spend per head by service; returns log(spend / reference spend) per spend indicator
    (NaN where a place does not run the service), the part of spend outcomes respond to."""
    sc, rng, t, n_p = w.cfg["spend_common"], w.rng, w.t, w.n_places
    council = rng.normal(0.0, sc["council_sd"], n_p)
    total = np.zeros((n_p, len(t)))
    log_ratio: dict[str, np.ndarray] = {}
    for spec in w.cfg["services"].values():
        base = np.array([spec["base"].get(r, np.nan) for r in w.role])
        runs = ~np.isnan(base)
        reference = base[:, None] * (1.0 + spec["growth_pct_per_year"] / 100.0) ** t
        need = np.zeros((n_p, len(t)))
        for driver, elasticity in spec["elasticity"].items():
            need = need + elasticity * np.log(
                w.tables[driver].value / _driver_reference(driver, w.cfg)
            )
        policy = council[:, None] + rng.normal(0.0, sc["service_sd"], (n_p, 1))
        policy = policy + rng.normal(0.0, sc["year_sd"], (n_p, len(t)))
        outlier = rng.uniform(size=n_p) < sc["outlier_share"]
        policy = policy + (outlier * rng.choice([-1.0, 1.0], n_p) * sc["outlier_log"])[:, None]
        uplift = np.where(w.is_capital, spec["capital_uplift"], 1.0)[:, None]
        spend = np.round(reference * uplift * np.exp(need + policy), 2)
        present = np.broadcast_to(runs[:, None], spend.shape).copy()
        w.put(spec["indicator"], np.where(present, spend, np.nan), present)
        total = total + np.where(present, spend, 0.0)
        log_ratio[spec["indicator"]] = np.log(spend / reference)
    w.put("spend_total_per_head", np.round(total, 2))
    return log_ratio


def _modelled(w: _World, log_ratio: dict[str, np.ndarray]) -> None:
    """Outcomes (and the children's social care context rates): see demo.yaml ``modelled``."""
    rng, t, n = w.rng, w.t, w.n_cells
    upper = np.flatnonzero(w.role != "district")
    quality = rng.normal(0.0, 1.0, w.n_places)  # council-wide, shared across outcomes
    rho = w.cfg["latent"]["quality"]["shared_share"]
    catalogue = {c["id"]: c for c in canonical_indicators()}
    pop = w.tables["population"].value
    for ind, spec in w.cfg["modelled"].items():
        entry = catalogue[ind]
        both = "lower" in entry["levels"]  # modelled per cell, averaged into counties
        rows = np.arange(n) if both else upper
        v = np.full((len(rows), len(t)), float(spec["base"]))
        for driver, effect in spec.get("drivers", {}).items():
            v = v + effect * _driver_z(driver, rows, w)
        if "spend" in spec:
            lr = log_ratio[spec["spend"]["indicator"]]
            own = lr[rows]
            v = v + spec["spend"]["effect"] * np.where(np.isnan(own), lr[w.parent[rows]], own)
        v = v + spec.get("trend_per_year", 0.0) * t
        v = v + np.asarray(spec.get("period_offsets", np.zeros(len(t))))
        sign = -1.0 if entry["polarity"] == "lower_is_better" else 1.0
        own_effect = rng.normal(0.0, 1.0, len(rows))
        place = math.sqrt(rho) * quality[rows] + math.sqrt(1.0 - rho) * own_effect
        v = v + sign * spec["place_sd"] * place[:, None]
        v = v + rng.normal(0.0, spec["noise_sd"], v.shape)
        v = np.clip(v, spec["min"], spec["max"])
        if "inspection_cycle_years" in spec:
            v = _inspected(v, int(spec["inspection_cycle_years"]), rng)
        full = np.full((w.n_places, len(t)), np.nan)
        full[rows] = v
        if both:
            full[n:] = w.county_mean(v, "persons")
        present = ~np.isnan(full)
        if spec.get("periods_published"):
            present &= np.isin(np.array(w.periods), spec["periods_published"])[None, :]
        table = _Table(value=np.round(full, int(spec["decimals"])), present=present)
        _add_ci(table, full, pop, spec)
        _withhold(table, pop, spec, rng)
        w.tables[ind] = table


def _driver_reference(driver: str, cfg: dict[str, Any]) -> float:
    """Value of a spend driver at which a council pays the base spend per head."""
    if driver in cfg["latent_indicators"]:
        return float(cfg["latent_indicators"][driver]["mean"])
    if driver in cfg["age_reference"]:
        return float(cfg["age_reference"][driver]["mean"])
    return float(cfg["spend_common"]["reference"][driver])


def _driver_z(driver: str, rows: np.ndarray, w: _World) -> np.ndarray:
    """A driver of an outcome as a z-score against the generator's reference mean and sd
    (latents as they are; money deflated by its growth)."""
    if driver in w.latents:
        return np.broadcast_to(w.latents[driver][rows][:, None], (len(rows), len(w.t)))
    value = w.tables[driver].value[rows]
    if driver in w.cfg["latent_indicators"]:
        spec = w.cfg["latent_indicators"][driver]
        deflate = (1.0 + spec.get("growth_pct_per_year", 0.0) / 100.0) ** w.t
        return (value / deflate - spec["mean"]) / spec["sd"]
    ref = w.cfg["age_reference"][driver]
    return (value - ref["mean"]) / ref["sd"]


def _inspected(latent: np.ndarray, cycle: int, rng: np.random.Generator) -> np.ndarray:
    """Grades that change only in a place's inspection years (every ``cycle`` years); the
    latent has already been clipped to the grade range."""
    offset = rng.integers(0, cycle, len(latent))
    out = np.empty_like(latent)
    for j in range(latent.shape[1]):
        last = np.where(j >= offset, j - (j - offset) % cycle, j)
        out[:, j] = latent[np.arange(len(latent)), last]
    return np.round(out)


def _add_ci(table: _Table, value: np.ndarray, pop: np.ndarray, spec: dict[str, Any]) -> None:
    """95% confidence intervals from the sample or event counts the population implies."""
    ci = spec.get("ci")
    if not ci:
        return
    dec = max(int(spec["decimals"]), 1)
    if ci["method"] == "normal":
        se = ci["se_at_100k"] / np.sqrt(pop / 100_000.0)
        lo, hi = value - _Z95 * se, value + _Z95 * se
    elif ci["method"] == "wilson":
        n = pop * ci["sample_per_person"]
        p = value / 100.0
        z2 = _Z95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = _Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2)) / (1 + z2 / n)
        lo, hi = 100.0 * (centre - half), 100.0 * (centre + half)
    elif ci["method"] == "poisson":  # exact (chi-squared) interval on the implied event count
        exposure = pop * ci["population_share"] * ci["years_pooled"] / ci["per"]
        events = value * exposure
        lo = chi2.ppf(0.025, 2.0 * events) / 2.0 / exposure
        hi = chi2.ppf(0.975, 2.0 * events + 2.0) / 2.0 / exposure
    else:
        raise ValueError(f"unknown ci method '{ci['method']}' in demo.yaml")
    table.lower = np.round(np.minimum(lo, table.value), dec)
    table.upper = np.round(np.maximum(hi, table.value), dec)


def _withhold(
    table: _Table, pop: np.ndarray, spec: dict[str, Any], rng: np.random.Generator
) -> None:
    """Suppress some values (mostly in small places) and mark a few as missing."""
    status = np.full(table.value.shape, "", dtype=object)
    share = spec.get("suppress_share", 0.0)
    if share:
        p = np.clip(share * np.nanmedian(pop) / pop, 0.0, 1.0)
        status[(rng.uniform(size=pop.shape) < p) & table.present] = "suppressed"
    miss = spec.get("missing_share", 0.0)
    if miss:
        status[(rng.uniform(size=pop.shape) < miss) & table.present & (status == "")] = "missing"
    gone = status != ""
    table.value = np.where(gone, np.nan, table.value)
    for attr in ("lower", "upper"):
        arr = getattr(table, attr)
        if arr is not None:
            setattr(table, attr, np.where(gone, np.nan, arr))
    table.status = status


def _values_frame(tables: dict[str, _Table], codes: list[str], periods: list[str]) -> pd.DataFrame:
    frames = []
    code_arr = np.array(codes, dtype=object)
    per_arr = np.array(periods, dtype=object)
    for ind, tb in tables.items():
        i, j = np.nonzero(tb.present)
        nan = np.full(len(i), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "place_code": code_arr[i],
                    "indicator_id": ind,
                    "period": per_arr[j],
                    "value": tb.value[i, j].astype(float),
                    "lower_ci": nan if tb.lower is None else tb.lower[i, j],
                    "upper_ci": nan if tb.upper is None else tb.upper[i, j],
                    "status": "" if tb.status is None else tb.status[i, j],
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["indicator_id", "place_code", "period"], kind="stable").reset_index(
        drop=True
    )
    for col in ("place_code", "indicator_id", "period", "status"):
        df[col] = df[col].astype(str)
    return df


def _population_frame(w: _World, codes: list[str]) -> pd.DataFrame:
    assert w.band is not None and w.years is not None
    n_p, n_y, n_b = w.band.shape
    return pd.DataFrame(
        {
            "place_code": np.repeat(np.array(codes, dtype=object), n_y * n_b).astype(str),
            "year": np.tile(np.repeat(w.years, n_b), n_p).astype("int64"),
            "age_band": np.tile(np.array(AGE_BANDS, dtype=object), n_p * n_y).astype(str),
            "persons": w.band.reshape(-1).astype(float),
        }
    )


# --- the bundle ---------------------------------------------------------------------------------
def generate_demo(seed: int = DEFAULT_SEED, config: dict[str, Any] | None = None) -> Bundle:
    """The fictional demo bundle for ``seed`` (pure: reads the YAML catalogues, writes nothing)."""
    cfg = config or load_config()
    geo = _geography(cfg, seed)
    places = _places(geo, cfg, seed)
    codes = places["code"].tolist()
    world = _world(geo, cfg, seed)
    _population(world)
    _latent_indicators(world)
    _modelled(world, _spend(world))
    values = _values_frame(world.tables, codes, world.periods)
    source = dict(cfg["meta"]["source"])
    entries = [{**e, "source": source} for e in canonical_indicators() if e["id"] in world.tables]
    indicators = indicators_frame({"indicators": entries}, "demo catalogue")
    meta = {
        "title": cfg["meta"]["title"],
        "description": cfg["meta"]["description"],
        "is_demo": True,
        "attribution": cfg["meta"]["attribution"],
        "licence": cfg["meta"]["licence"],
        "periods": world.periods,
        "default_place": _default_places(places, values, world.periods[-1]),
        "generator": {"seed": int(seed), "command": cfg["meta"]["command"]},
    }
    population = _population_frame(world, codes)
    bundle = Bundle(
        meta=meta,
        places=places.sort_values("code").reset_index(drop=True),
        indicators=indicators,
        values=values,
        geo=_geo_files(geo, places, cfg),
        population=population.sort_values(["place_code", "year"], kind="stable").reset_index(
            drop=True
        ),
    )
    return validate_bundle(bundle)


def _default_places(places: pd.DataFrame, values: pd.DataFrame, period: str) -> dict[str, str]:
    """A typical place to show first: the unitary (upper) and district (lower) of median IMD."""
    imd = values[(values["indicator_id"] == "imd_score") & (values["period"] == period)]
    imd = imd.set_index("place_code")["value"]
    out = {}
    for level, kind in (("upper", "unitary"), ("lower", "district")):
        codes = places.loc[places["kind"] == kind, "code"]
        v = imd.reindex(codes)
        out[level] = str((v - v.median()).abs().sort_values(kind="stable").index[0])
    return out


def make_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo bundle for ``seed`` and write it to ``out_dir``; return the directory."""
    return write_bundle(generate_demo(seed), out_dir)
