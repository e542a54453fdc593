"""Builder steps for places: geography (ONS boundaries and lookup, Open Innovations hex
layouts), population (ONS mid-year estimates) and the density fallback from boundary areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.catalogue import param
from dashboard.sources import geography as geo_mod
from dashboard.sources.population import age_bands, read_mye
from dashboard.sources.step import Files, StepOutput, StepResult, first, frame
from dashboard.sources.tables import BUNDLE_FILE, step_sources, yields


@dataclass
class Places:
    """What the geography step makes: places and crosswalks, the geo/ files, and the boundary
    frames (lower and upper tier) later steps measure areas on."""

    geo: geo_mod.Geography
    files: dict[str, Any]
    lad: pd.DataFrame
    cty: pd.DataFrame


@dataclass
class Population:
    """What the population step makes: all-ages total per place, persons by age band (the
    bundle's population.parquet; None without the file) and the estimate's year (0 without)."""

    total: pd.Series
    bands: pd.DataFrame | None
    year: int


def geography_step(files: Files) -> tuple[Places, StepResult]:
    """Places, geo/ files and the notes on hex layouts and recoded areas (no values)."""
    out = StepOutput()
    lad_path, cty_path = first(files, "lad_boundaries"), first(files, "ctyua_boundaries")
    assert lad_path is not None and cty_path is not None
    lad = geo_mod.boundary_frame(geo_mod.read_geojson(lad_path), lad_path.name)
    cty = geo_mod.boundary_frame(geo_mod.read_geojson(cty_path), cty_path.name)
    hex_lad = geo_mod.read_hexjson(p) if (p := first(files, "hex_lad")) else None
    hex_utla = geo_mod.read_hexjson(p) if (p := first(files, "hex_utla")) else None
    lookup = first(files, "ltla_utla_lookup")
    assert lookup is not None
    geo = geo_mod.build_geography(
        lad,
        cty,
        lookup,
        geo_metadata=first(files, "geo_metadata"),
        la_structure=first(files, "la_structure"),
        lad_hexjson=hex_lad,
        mysociety=first(files, "mysociety"),
    )
    for sid in step_sources("geography"):
        out.use(files, sid)
    names = dict(zip(geo.places["code"], geo.places["name"], strict=True))
    tol = param(BUNDLE_FILE, "settings.boundary_tolerance").central  # degrees
    geo_files = {
        "lower.geojson": geo_mod.simplified_geojson(lad, geo.lower_codes, tolerance=tol),
        "upper.geojson": geo_mod.simplified_geojson(cty, geo.upper_codes, tolerance=tol),
    }
    lower_hex, n1 = geo_mod.hex_layout(
        geo.lower_codes,
        names,
        hex_lad,
        successors=geo.successors,
        recode=geo.recode,
        centroids=geo_mod.centroid_lonlat(lad),
    )
    upper_hex, n2 = geo_mod.hex_layout(
        geo.upper_codes,
        names,
        hex_utla,
        successors=geo.successors,
        recode=geo.recode,
        centroids=geo_mod.centroid_lonlat(cty),
    )
    geo_files["lower.hexjson"], geo_files["upper.hexjson"] = lower_hex, upper_hex
    if n2:
        out.note("hex_upper", changes="; ".join(n2))
    if n1:
        out.note("hex_lower", changes="; ".join(n1))
    if geo.recode:
        pairs = ", ".join(f"{a}→{b}" for a, b in sorted(geo.recode.items()))
        out.note("recode", pairs=pairs)
    return Places(geo, geo_files, lad, cty), out.result()


def population_step(files: Files, geo: geo_mod.Geography) -> tuple[Population, StepResult]:
    """Population, age shares (percent) and density (residents per km²) at the estimate's year."""
    out = StepOutput()
    path = first(files, "mye")
    if path is None:
        out.note("no_population")
        return Population(pd.Series(dtype=float), None, 0), out.result()
    out.use(files, "mye")
    ages, area, year, probs = read_mye(path)
    out.problems += probs
    ages = ages[ages.index.isin(geo.codes)]
    bands = age_bands(ages)
    total = ages.sum(axis=1, min_count=1)
    pop = (
        bands.rename_axis("place_code")
        .reset_index()
        .melt(id_vars="place_code", var_name="age_band", value_name="persons")
        .assign(year=year)[["place_code", "year", "age_band", "persons"]]
    )
    period = str(year)
    for item in yields("mye", "indicator"):
        if "ages" not in item:
            continue
        lo, hi = item["ages"]
        num = ages[[a for a in ages.columns if a >= lo and (hi is None or a <= hi)]].sum(axis=1)
        out.add(frame(num.index, item["indicator"], period, num / total * 100))
    out.add(frame(total.index, "population", period, total))
    area = area[area.index.isin(geo.codes)]
    if not area.empty:
        dens = total.reindex(area.index) / area["area_sq_km"]
        out.add(frame(dens.index, "density_per_sq_km", period, dens))
    out.note("per_head", year=year)
    return Population(total, pop, year), out.result()


def density_fallback_step(places: Places, population: Population, have: bool) -> StepResult:
    """Density from the boundary shapes' areas when the population file had no land areas
    (``have``: a density value exists already)."""
    out = StepOutput()
    if have or population.total.empty:
        return out.result()
    lad, cty = places.lad, places.cty
    area = geo_mod.land_area_sq_km(pd.concat([cty[cty["code"].str.startswith("E10")], lad]))
    dens = population.total / pd.Series(area).reindex(population.total.index)
    out.add(frame(dens.index, "density_per_sq_km", str(population.year), dens))
    out.note("density_from_shapes")
    return out.result()
