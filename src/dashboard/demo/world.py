"""The demo data steps' shared state: latent structure per cell (urbanity, deprivation, age),
population by age band and the need and context indicators driven by the latents."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.bundle.schema import AGE_BANDS
from dashboard.demo.config import random_stream
from dashboard.demo.geography import Geography

_LATENTS = ("dep", "old", "urban", "capital")


@dataclass
class Table:
    """Values of one indicator for every place and period (a row exists where ``present``)."""

    value: np.ndarray
    present: np.ndarray
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    status: np.ndarray | None = None
    note: np.ndarray | None = None  # text about a value (when an inspection judged it)


@dataclass
class World:
    """What the data steps share: places are the lower-tier cells, then the counties."""

    cfg: dict[str, Any]
    geo: Geography
    rng: np.random.Generator
    n_cells: int
    n_counties: int
    periods: list[str]
    t: np.ndarray  # period index 0..n-1
    role: np.ndarray  # spend role per place: county, district or single_tier
    is_capital: np.ndarray  # per place
    parent: np.ndarray  # upper-tier place of each place (a district's county; else itself)
    latents: dict[str, np.ndarray]  # per cell; per place once add_population has run
    tables: dict[str, Table]
    band: np.ndarray | None = None  # persons: places x population years x age bands
    years: np.ndarray | None = None
    weights: dict[str, np.ndarray] | None = None  # persons by group: places x periods

    @property
    def n_places(self) -> int:
        return self.n_cells + self.n_counties

    def put(self, ind: str, values: np.ndarray, present: np.ndarray | None = None) -> None:
        if present is None:
            present = np.ones(values.shape, dtype=bool)
        self.tables[ind] = Table(value=values, present=present)

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


def build_world(geo: Geography, cfg: dict[str, Any], seed: int) -> World:
    """Latent structure of the cells: urbanity (0-1), deprivation and age (z-scores)."""
    rng = random_stream(seed, "data")
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
    return World(
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


def add_population(w: World) -> None:
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


def add_latent_indicators(w: World) -> None:
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
