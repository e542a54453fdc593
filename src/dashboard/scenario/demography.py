"""A place's population by age band for the scenario years the bundle can speak for.

The order of preference (also written in data/catalogue/scenario.yaml, ``population``):

1. the bundle's own population for the years after the base year (a bundle whose
   population.parquet carries a projection by age band, such as the demo);
2. the latest mid-year estimate grown, for the bands population_projection.parquet covers
   (England: 65-74, 75-84, 85+ from the ONS subnational projections), by the projection's growth
   from the estimate's year (its ratio to its own value that year, not its level), and for the
   other bands by the place's own yearly trend over the estimates by age band it has (e.g.
   mid-2022 to mid-2024), clipped to the allowed range of the band's growth rate, for at most
   scenario.yaml limits.population_trend_years years, then the central national rate, over the
   same years as the projection;
3. beyond those years, and for a place or band without them, the national growth rates of
   scenario.yaml (applied by the engine's core).

:func:`population_from_bundle` returns the people by band and year and a plain sentence saying
which was used (``PlaceContext.population_source``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.errors import ScenarioError

if TYPE_CHECKING:
    from dashboard.bundle.model import Bundle

#: Where the growth beyond the bundle's years comes from, in words (the core applies it).
NATIONAL = "national rates (scenario.yaml)"


def _place_rows(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per place code, its rows of a population table as arrays: year, age band, persons."""
    codes = frame["place_code"].astype(str).to_numpy()
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
    years = frame["year"].to_numpy()
    bands = frame["age_band"].astype(str).to_numpy(dtype=object)
    persons = frame["persons"].to_numpy(dtype=float)
    out = {}
    for a, b in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        rows = order[a:b]
        out[str(codes[rows[0]])] = (years[rows], bands[rows], persons[rows])
    return out


def _pivot(
    years: np.ndarray, bands: np.ndarray, persons: np.ndarray, band_order: list[str]
) -> tuple[list[int], np.ndarray]:
    """People by band (rows in ``band_order``) and year (the years present, ascending): each
    cell the sum of its rows (a missing persons counts 0), NaN where there is no row."""
    ys, y_at = np.unique(years.astype(np.int64), return_inverse=True)
    index = {b: k for k, b in enumerate(band_order)}
    b_at = np.array([index[b] for b in bands], dtype=np.intp)
    grid = np.zeros((len(band_order), len(ys)))
    seen = np.zeros(grid.shape, dtype=bool)
    np.add.at(grid, (b_at, y_at), np.nan_to_num(persons, nan=0.0))
    seen[b_at, y_at] = True
    return [int(y) for y in ys], np.where(seen, grid, np.nan)


def band_table(bundle: Bundle, place_code: str) -> pd.DataFrame | None:
    """People by age band (rows in ``AGE_BANDS`` order) and year (columns) of population.parquet
    for one place: only years with age bands; None when there are none. A ScenarioError when a
    year lacks a band."""
    if bundle.population is None:
        return None
    pop = bundle.population
    rows = bundle.derived(
        "demography.band_rows", lambda: _place_rows(pop[pop["age_band"].isin(AGE_BANDS)])
    ).get(str(place_code))
    if rows is None:
        return None
    years, grid = _pivot(*rows, list(AGE_BANDS))
    table = pd.DataFrame(grid, index=pd.Index(list(AGE_BANDS), name="age_band"), columns=years)
    if np.isnan(grid).any():
        bad = AGE_BANDS[int(np.flatnonzero(np.isnan(grid).any(axis=1))[0])]
        raise ScenarioError(
            f"population.parquet lacks age band '{bad}' for some year of '{place_code}'",
            parameter="context.population",
        )
    return table


def contiguous(years: list[int], start: int, step: int = 1) -> list[int]:
    """The run of consecutive years of ``years`` from ``start`` (``step`` 1: forward, -1: back)."""
    have = set(years)
    out = [start] if start in have else []
    while out and out[-1] + step in have:
        out.append(out[-1] + step)
    return out


def trend_rates(
    table: pd.DataFrame, year: int, catalogue: Catalogue
) -> tuple[dict[str, float], tuple[int, int] | None, bool]:
    """Each band's yearly growth over the consecutive years of ``table`` ending at ``year``
    (share a year, geometric), clipped to the allowed range of the band's growth parameter.

    Returns the rates (no band when there is a single year or a band is zero in the first
    year), the years used and whether any rate was clipped."""
    back = contiguous(list(table.columns), year, step=-1)
    if len(back) < 2:
        return {}, None, False
    first = back[-1]
    n = year - first
    out, clipped = {}, False
    ends = table[[first, year]].to_numpy(dtype=float)
    for band, (a, b) in zip(AGE_BANDS, ends, strict=True):
        if not (a > 0 and b >= 0):
            continue
        p = catalogue.population_growth[band]
        raw = (b / a) ** (1.0 / n) - 1.0
        rate = float(np.clip(raw, p.min, p.max))
        clipped |= rate != raw
        out[band] = rate
    return out, (first, year), clipped


def projection_ratios(
    bundle: Bundle, place_code: str, year: int
) -> tuple[dict[str, np.ndarray], list[int], str]:
    """Per band, the projection's persons in each year from ``year`` on over its persons in
    ``year`` (consecutive years only), the years, and the projection's name. Empty when the
    bundle has no projection for the place that includes ``year`` and a later year."""
    rows = bundle.projection_for(place_code)
    if rows.empty:
        return {}, [], ""
    bands = rows["age_band"].astype(str).to_numpy(dtype=object)
    names = sorted(set(bands))
    have, table = _pivot(rows["year"].to_numpy(), bands, rows["persons"].to_numpy(float), names)
    years = contiguous(have, year)
    if len(years) < 2:
        return {}, [], ""
    grid = table[:, [have.index(y) for y in years]]
    out = {}
    for band, series in zip(names, grid, strict=True):
        if band in AGE_BANDS and np.isfinite(series).all() and series[0] > 0:
            out[str(band)] = series / series[0]
    source = str(rows["source"].iloc[0]) if out else ""
    return out, (years if out else []), source


def bands_label(bands: list[str]) -> str:
    """A set of age bands in words: "65+" for the top bands from 65, "under-65" for the bottom
    bands below 65, else the bands listed."""
    ix = [AGE_BANDS.index(b) for b in bands]
    if not ix:
        return ""
    if sorted(ix) == list(range(min(ix), len(AGE_BANDS))):
        return f"{AGE_BANDS[min(ix)].split('-')[0].rstrip('+')}+"
    if sorted(ix) == list(range(0, max(ix) + 1)) and max(ix) + 1 < len(AGE_BANDS):
        return f"under-{AGE_BANDS[max(ix) + 1].split('-')[0].rstrip('+')}"
    return ", ".join(bands)


def possessive(name: str) -> str:
    """``name``'s (a place name)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def grown(
    bundle: Bundle, place_code: str, table: pd.DataFrame, year: int, catalogue: Catalogue
) -> tuple[np.ndarray, str]:
    """People by band from the estimate of ``year`` for the years the bundle can project (one
    column when it cannot), and the sentence saying how (rule 2 of the module docstring)."""
    est = table[year].to_numpy(dtype=float)
    estimate = estimate_label(bundle, year)
    ratios, years, proj_name = projection_ratios(bundle, place_code, year)
    name = bundle.place_name(place_code)
    if not ratios:
        return est[:, None], (
            f"{estimate}, grown at {NATIONAL}: the bundle has no population projection for {name}"
        )
    rates, trend_years, clipped = trend_rates(table, year, catalogue)
    steps = np.arange(len(years), dtype=float)
    trend_for = float(catalogue.limits["population_trend_years"].default or 0)
    pop = np.empty((len(AGE_BANDS), len(years)))
    by_proj, by_trend, by_rate = [], [], []
    for k, band in enumerate(AGE_BANDS):
        if band in ratios:
            pop[k] = est[k] * ratios[band]
            by_proj.append(band)
        elif band in rates:
            # the place's trend for the first years only, then the central national rate
            local = np.minimum(steps, trend_for)
            national = catalogue.population_growth[band].central
            pop[k] = est[k] * (1.0 + rates[band]) ** local * (1.0 + national) ** (steps - local)
            by_trend.append(band)
        else:
            pop[k] = est[k] * (1.0 + catalogue.population_growth[band].central) ** steps
            by_rate.append(band)
    parts = [f"{bands_label(by_proj)} grown by the {proj_name} to {years[-1]}"]
    if by_trend and trend_years is not None:
        a, b = trend_years
        parts.append(
            f"{bands_label(by_trend)} by {possessive(name)} {a}-{b} trend for "
            f"{trend_for:g} years" + (" (clipped to the allowed range)" if clipped else "")
        )
    if by_rate:
        parts.append(f"{bands_label(by_rate)} at the central {NATIONAL}")
    return pop, f"{estimate}; {', '.join(parts)}, then {NATIONAL}"


def estimate_label(bundle: Bundle, year: int) -> str:
    """ "ONS mid-2024 estimate" (the publisher from bundle.yaml ``population_publisher``;
    "fictional" in the demo)."""
    if bundle.is_demo:
        return f"fictional demo population for mid-{year}"
    who = str(bundle.meta.get("population_publisher") or "").strip()
    return f"{who + ' ' if who else ''}mid-{year} estimate"


def population_from_bundle(
    bundle: Bundle, place_code: str, base_year: int, catalogue: Catalogue
) -> tuple[np.ndarray, int, str] | None:
    """People by band (rows ``AGE_BANDS``) for the years from the base year the bundle speaks
    for, the first year's calendar year, and the sentence saying where they come from; None
    when population.parquet has no age bands for the place (the caller then splits a total).

    An estimate that ends before ``base_year`` is carried to it by the projection and trend
    where they reach it, else grown at the central national rates (the first column is then
    ``base_year``)."""
    table = band_table(bundle, place_code)
    if table is None:
        return None
    years = list(table.columns)
    start = max(y for y in years if y <= base_year) if min(years) <= base_year else min(years)
    ahead = contiguous(years, start)
    if len(ahead) > 1:
        pop = table[ahead].to_numpy(dtype=float)
        if bundle.is_demo:
            source = f"fictional demo population for {ahead[0]}-{ahead[-1]}"
        else:
            source = f"{estimate_label(bundle, start)} and the bundle's projection to {ahead[-1]}"
        return pop, start, f"{source}, then {NATIONAL}"
    pop, source = grown(bundle, place_code, table, start, catalogue)
    if start < base_year:
        if pop.shape[1] > base_year - start:
            return pop[:, base_year - start :], base_year, source
        growth = np.array([catalogue.population_growth[b].central for b in AGE_BANDS])
        pop = (pop[:, -1] * (1.0 + growth) ** (base_year - start - pop.shape[1] + 1))[:, None]
        return (
            pop,
            base_year,
            f"{estimate_label(bundle, start)}, grown to {base_year} at {NATIONAL}",
        )
    return pop, start, source
