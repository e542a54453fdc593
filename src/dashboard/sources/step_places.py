"""Builder steps for places: geography (ONS boundaries and lookup, Open Innovations hex
layouts), population (ONS mid-year estimates) and the density fallback from boundary areas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.bundle.denominators import mid_year, nearest_year, persons, years_with
from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import ALL_AGES, ENGLAND_CODE
from dashboard.catalogue import param
from dashboard.sources import geography as geo_mod
from dashboard.sources.parsing import parse_numbers, read_csv_text, require_columns
from dashboard.sources.population import age_bands, read_mye, read_mye_csv, read_mye_totals
from dashboard.sources.step import Files, StepOutput, StepResult, first, frame
from dashboard.sources.tables import BUNDLE_FILE, step_sources, yields

#: The source id of the DfE re-publication of the ONS 0-17 estimates (a check, and the child
#: denominator for years without single years of age).
DFE_CHILDREN = "dfe_pop_0_17"
#: England's own row in the ONS files (its published national figures).
ENGLAND = ENGLAND_CODE


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
    """What the population step makes: the bundle's population.parquet frame for every year
    (None without a file; age bands where the file has single years of age, one ``all`` row
    where it has totals only), the latest year and its all-ages total per place (0 and empty
    without a file), and the DfE-published children aged 0-17 for years without single ages."""

    total: pd.Series
    bands: pd.DataFrame | None
    year: int
    children: dict[int, pd.Series] = field(default_factory=dict)

    def years(self, group: str = "residents") -> list[int]:
        """Years that give the persons of ``group`` (see dashboard.bundle.denominators)."""
        years = set(years_with(self.bands, group))
        if group == "children_0_17":
            years |= set(self.children)
        return sorted(years)

    def year_for(self, period: str, group: str = "residents") -> int | None:
        """The year a period divides by: its matching mid-year, else the nearest there is."""
        want = mid_year(period)
        return None if want is None else nearest_year(want, self.years(group))

    def denominator(self, period: str, group: str = "residents") -> tuple[pd.Series, int | None]:
        """Persons of ``group`` per place for ``period`` and the year used (empty, None without)."""
        year = self.year_for(period, group)
        if year is None:
            return pd.Series(dtype=float), None
        got = persons(self.bands, year, group)
        if got.empty and group == "children_0_17" and year in self.children:
            got = self.children[year]
        return got, year


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


def _read_population_files(
    files: Files, geo: geo_mod.Geography, out: StepOutput
) -> tuple[dict[int, pd.DataFrame], dict[int, pd.Series], pd.DataFrame]:
    """Single years of age per year (first file of the step wins a year), MYE4 all-ages totals
    per year, and the latest land areas, on current place codes."""
    single: dict[int, pd.DataFrame] = {}
    totals: dict[int, pd.Series] = {}
    area = pd.DataFrame(columns=["area_sq_km", "density"], dtype=float)

    def current(df: pd.DataFrame) -> pd.DataFrame:
        mapped = geo.map_codes(pd.Series(df.index, index=df.index))
        df = df[mapped.notna().to_numpy()]
        df.index = mapped.dropna().to_numpy()
        return df[~df.index.duplicated()]

    for sid in step_sources("population"):
        for path in files.get(sid, []):
            if sid == DFE_CHILDREN:
                continue
            try:
                if path.suffix.lower() == ".csv":
                    ages, year, probs = read_mye_csv(path)
                    tot, tprobs, a = pd.DataFrame(), [], None
                else:
                    ages, a, year, probs = read_mye(path)
                    tot, tprobs = read_mye_totals(path)
            except BundleError as exc:
                out.log.append(f"skipped {path.name}: {exc}")
                continue
            out.used_file(sid, path.name)
            out.problems += probs + tprobs
            single.setdefault(year, current(ages))
            for y in tot.columns:
                totals.setdefault(int(y), current(tot[[y]])[y].astype(float))
            if a is not None and not a.empty:
                area = current(a)
    return single, totals, area


def _dfe_children(files: Files, geo: geo_mod.Geography, out: StepOutput) -> dict[int, pd.Series]:
    """Children aged 0-17 per upper-tier council and year from the DfE re-publication of the ONS
    estimates (each year on that year's council codes; codes of former councils dropped)."""
    path = first(files, DFE_CHILDREN)
    if path is None:
        return {}
    try:
        t = read_csv_text(path)
        require_columns(t, ["time_period", "geographic_level", "new_la_code"], path.name)
        require_columns(t, ["population_estimate"], path.name)
    except BundleError as exc:
        out.log.append(f"skipped {path.name}: {exc}")
        return {}
    out.use(files, DFE_CHILDREN)
    rows = pd.Series(range(len(t))) + 2
    la = t["geographic_level"].str.strip().str.lower() == "local authority"
    p = parse_numbers(
        t.loc[la, "population_estimate"],
        file=path.name,
        column="population_estimate",
        rows=rows[la],
    )
    out.problems += p.problems
    year = parse_numbers(
        t.loc[la, "time_period"], file=path.name, column="time_period", rows=rows[la]
    )
    out.problems += year.problems
    df = pd.DataFrame(
        {
            "code": geo.map_codes(t.loc[la, "new_la_code"].str.strip()).to_numpy(),
            "year": year.values.to_numpy(),
            "persons": p.values.to_numpy(),
        }
    ).dropna()
    return {
        int(y): g.drop_duplicates("code").set_index("code")["persons"].astype(float)
        for y, g in df.groupby("year")
    }


def england_population(
    single: dict[int, pd.DataFrame],
    totals: dict[int, pd.Series],
    area: pd.DataFrame,
    out: StepOutput,
) -> tuple[dict[int, pd.DataFrame], dict[int, pd.Series], pd.DataFrame]:
    """England's own row (E92000001) of the ONS files as England's published values:
    population per year (persons), the age shares of the MYE yields (percent) and density
    (residents per km², land area of MYE5) for the years with single years of age. Returns the
    frames without England's row, so that population.parquet and every denominator stay
    councils only."""
    for year, ages in sorted(single.items()):
        if ENGLAND not in ages.index:
            continue
        row = ages.loc[ENGLAND]
        total = float(row.sum(min_count=1))
        period = str(year)
        for item in yields("mye", "indicator"):
            if "ages" not in item:
                continue
            lo, hi = item["ages"]
            num = float(row[[a for a in row.index if a >= lo and (hi is None or a <= hi)]].sum())
            out.add(frame([ENGLAND], item["indicator"], period, [num / total * 100]))
        out.add(frame([ENGLAND], "population", period, [total]))
        if ENGLAND in area.index:
            out.add(
                frame(
                    [ENGLAND],
                    "density_per_sq_km",
                    period,
                    [total / float(area.loc[ENGLAND, "area_sq_km"])],
                )
            )
    for year, tot in sorted(totals.items()):
        if year not in single and ENGLAND in tot.index:
            out.add(frame([ENGLAND], "population", str(year), [float(tot.loc[ENGLAND])]))
    return (
        {y: a.drop(index=ENGLAND, errors="ignore") for y, a in single.items()},
        {y: t.drop(index=ENGLAND, errors="ignore") for y, t in totals.items()},
        area.drop(index=ENGLAND, errors="ignore"),
    )


def population_step(files: Files, geo: geo_mod.Geography) -> tuple[Population, StepResult]:
    """Population for every year of the ONS files (mid-YYYY estimates: single years of age from
    MYE2 sheets, all-ages totals from MYE4 for the other years), age shares (percent) and density
    (residents per km²) for the years with single ages."""
    out = StepOutput()
    single, totals, area = _read_population_files(files, geo, out)
    if not single and not totals:
        out.note("no_population")
        return Population(pd.Series(dtype=float), None, 0), out.result()
    single, totals, area = england_population(single, totals, area, out)
    frames = []
    for year, ages in sorted(single.items()):
        ages = ages[ages.index.isin(geo.codes)]
        bands = age_bands(ages)
        frames.append(
            bands.rename_axis("place_code")
            .reset_index()
            .melt(id_vars="place_code", var_name="age_band", value_name="persons")
            .assign(year=year)
        )
        total = ages.sum(axis=1, min_count=1)
        period = str(year)
        for item in yields("mye", "indicator"):
            if "ages" not in item:
                continue
            lo, hi = item["ages"]
            cols = [a for a in ages.columns if a >= lo and (hi is None or a <= hi)]
            num = ages[cols].sum(axis=1)
            out.add(frame(num.index, item["indicator"], period, num / total * 100))
        out.add(frame(total.index, "population", period, total))
        here = area[area.index.isin(geo.codes)]
        if not here.empty:
            dens = total.reindex(here.index) / here["area_sq_km"]
            out.add(frame(dens.index, "density_per_sq_km", period, dens))
        if year in totals:
            diff = (totals[year].reindex(total.index) - total).abs()
            if (diff > 0).any():
                out.note("population_revised", year=year, count=int((diff > 0).sum()))
    for year, tot in sorted(totals.items()):
        if year in single:
            continue
        tot = tot[tot.index.isin(geo.codes)].dropna()
        frames.append(
            pd.DataFrame(
                {"place_code": tot.index, "age_band": ALL_AGES, "persons": tot.to_numpy()}
            ).assign(year=year)
        )
        out.add(frame(tot.index, "population", str(year), tot))
    pop = pd.concat(frames, ignore_index=True).dropna(subset=["persons"])
    pop = pop[["place_code", "year", "age_band", "persons"]].reset_index(drop=True)
    children = {}
    dfe = _dfe_children(files, geo, out)
    for year, kids in sorted(dfe.items()):
        if year in single:
            ours = persons(pop, year, "children_0_17").reindex(kids.index)
            off = (ours - kids).abs().dropna()
            if (off > 0).any():
                out.note(
                    "children_check",
                    year=year,
                    count=int((off > 0).sum()),
                    n=len(off),
                    largest=f"{off.max():,.0f}",
                    share=f"{(off / kids.reindex(off.index)).max():.1%}",
                )
        else:
            children[year] = kids
    latest = max(int(y) for y in pop["year"])
    with_ages = sorted(single)
    out.note(
        "population_years",
        ages=", ".join(f"mid-{y}" for y in with_ages) or "none",
        first=min(totals) if totals else latest,
        last=max(y for y in totals if y not in single) if set(totals) - set(single) else latest,
    )
    result = Population(persons(pop, latest), pop, latest, children)
    return result, out.result()


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
