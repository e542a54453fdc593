"""Build the England data bundle from the official files (``python -m dashboard build-england``).

Steps, each a function that takes its inputs and returns its values and notes
(:class:`~dashboard.sources.step.StepResult`): places and geometry (ONS boundaries and lookup,
Open Innovations hex layouts), population (ONS mid-year estimates), projections (ONS subnational
projections, for the scenario engine), spend (MHCLG revenue outturn, £ thousand -> £ and £ per
head), need (IoD, ONS), outcomes (ONS, DfE, Oflog, OHID, Ofsted). The
files and what each yields are tables in data/catalogue/england_sources.yaml; indicator metadata
is in england_indicators.yaml, bundle texts and notes in england_bundle.yaml. A missing optional
file drops what it feeds and is listed in the report with the publisher to get it from.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle import Bundle, BundleError, write_bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.denominators import UNIT_GROUP, matching_text
from dashboard.bundle.io import indicators_frame
from dashboard.bundle.schema import KIND_LEVELS
from dashboard.sources.deflator import prices_step
from dashboard.sources.registry import SOURCE_BY_ID, SOURCES, _listing, find_files
from dashboard.sources.report import BuildRecord, build_report, bundle_meta, source_block
from dashboard.sources.step import Files, value_columns
from dashboard.sources.step_homelessness import homelessness_step
from dashboard.sources.step_indicators import (
    deprivation_step,
    education_statistics_step,
    local_statistics_step,
    other_publishers_step,
)
from dashboard.sources.step_neighbours import neighbours_step
from dashboard.sources.step_places import (
    Population,
    density_fallback_step,
    geography_step,
    population_step,
)
from dashboard.sources.step_projections import projections_step
from dashboard.sources.step_spend import spend_detail_step, spend_step
from dashboard.sources.tables import (
    bundle_text,
    canonical_sources,
    extra_indicators,
    note_text,
    sentence,
)

__all__ = ["SOURCE_BY_ID", "build_england", "find_files"]


def find_sources(raw_dir: Path) -> tuple[Files, BuildRecord]:
    """Files found per source under ``raw_dir``, and a record listing the sources not found.

    Raises :class:`BundleError` when a required file (boundaries, tier lookup) is missing.
    """
    _listing.cache_clear()
    files: Files = {}
    rec = BuildRecord()
    for src in SOURCES:
        hits = find_files(raw_dir, src)
        files[src.id] = hits
        if not hits:
            rec.missing.append(src)
    req = [s for s in rec.missing if s.required]
    if req:
        raise BundleError(
            str(raw_dir),
            "required files are missing: "
            + "; ".join(f"{s.title} ({s.publisher}, {s.url})" for s in req),
        )
    return files, rec


def build_england(raw_dir: Path, out_dir: Path) -> str:
    """Build the England bundle from the official files in ``raw_dir`` into ``out_dir``.

    Returns a printable report: files used and missing (with publishers), data notes, problems
    found in the files, and coverage per indicator. Raises :class:`BundleError` only when a
    required file (boundaries, tier lookup) is missing or malformed.
    """
    t0 = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    files, rec = find_sources(raw_dir)

    places, r = geography_step(files)
    geo = places.geo
    results = [r]
    population, r = population_step(files, geo)
    results.append(r)
    projection, r = projections_step(files, geo)
    results.append(r)
    pop = population.total  # the latest year's residents (weights of county aggregates)
    periods, r = spend_step(files, geo, population)
    results += [
        r,
        spend_detail_step(files, geo, population),
        deprivation_step(files, geo, pop),
        local_statistics_step(files, geo),
        education_statistics_step(files, geo),
        other_publishers_step(files, geo),
        homelessness_step(files, geo),
    ]
    have_density = any((x.values["indicator_id"] == "density_per_sq_km").any() for x in results)
    results.append(density_fallback_step(places, population, have_density))
    deflator, r = prices_step(files, periods)
    results.append(r)
    official, r = neighbours_step(files, geo)
    results.append(r)
    for r in results:
        rec.merge(r)

    values = assemble([r.values for r in results])
    indicators, ind_levels = indicator_table(rec, values, population)
    values = values[values["indicator_id"].isin(set(indicators["id"]))]
    # keep only values for places compared at one of the indicator's levels
    kinds = values["place_code"].map(geo.places.set_index("code")["kind"])
    ok = [
        bool(set(KIND_LEVELS[k]) & set(ind_levels[i]))
        for k, i in zip(kinds, values["indicator_id"], strict=True)
    ]
    values = values[np.asarray(ok, dtype=bool) | england_rows(values, kinds)]
    values = values.reset_index(drop=True)

    meta = bundle_meta(rec, geo, periods, population.year)
    if deflator is not None:
        meta["deflator"] = deflator.block
    if official.sets:
        meta["neighbour_sets"] = official.sets
    if population.bands is not None:
        meta["population_publisher"] = bundle_text("population_publisher")
    bundle = Bundle(
        meta=meta,
        places=geo.places,
        indicators=indicators,
        values=values,
        geo=places.files,
        population=population.bands,
        deflators=deflator.frame if deflator is not None else None,
        neighbours=official.table,
        projection=projection,
    )
    write_bundle(bundle, out_dir)
    return build_report(rec, bundle, out_dir, time.perf_counter() - t0)


def england_rows(values: pd.DataFrame, kinds: pd.Series) -> np.ndarray:
    """England's published values (kind ``country``) for an indicator and period some council
    has a value for (so England adds no period of its own to a picker)."""
    eng = (kinds == "country").to_numpy()
    council = values[~eng & values["value"].notna()]
    pairs = set(zip(council["indicator_id"], council["period"], strict=True))
    key = list(zip(values["indicator_id"], values["period"], strict=True))
    return eng & np.fromiter((k in pairs for k in key), dtype=bool, count=len(key))


def assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The steps' values as one frame, one row per place, indicator and period.

    A value with a missing-kind status loses the status; a NaN value without one is
    ``missing``; where two codes map onto the same place an observed value beats a missing one
    (else the first step's row is kept). Sorted by indicator, place and period.
    """
    frames = [value_columns(p) for p in parts if len(p)]
    values = pd.concat(frames, ignore_index=True)
    values["note"] = values.get("note", pd.Series("", index=values.index)).fillna("").astype(str)
    values["status"] = values["status"].fillna("").astype(str)
    values["note"] = values["note"].astype(object).fillna("").astype(str)
    values.loc[
        values["value"].notna()
        & values["status"].isin(["missing", "suppressed", "not_applicable"]),
        "status",
    ] = ""
    values.loc[values["value"].isna() & (values["status"] == ""), "status"] = "missing"
    values["_has"] = values["value"].notna()
    values = values.sort_values("_has", ascending=False, kind="stable")
    values = values.drop_duplicates(["place_code", "indicator_id", "period"]).drop(columns="_has")
    return values.sort_values(["indicator_id", "place_code", "period"]).reset_index(drop=True)


def indicator_table(
    rec: BuildRecord, values: pd.DataFrame, population: Population | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """indicators.yaml rows for the indicators with a value, and each one's levels.

    Canonical entries (with the England corrections of england_indicators.yaml) come first,
    then the England extras; levels are the catalogue's plus those seen in the values. Spend
    definitions end with the per head note; spend per person (head, child, resident 65+) carries
    its ``denominator`` in words, with the year used for each period.
    """
    entries: dict[str, dict[str, Any]] = {}
    corrections = canonical_sources()
    for e in canonical_indicators():
        if e["id"] in corrections:
            extra = corrections[e["id"]]
            item = {k: v for k, v in e.items() if k != "source"}
            for k in ("label", "definition"):
                if k in extra:
                    item[k] = extra[k]
            item["source"] = extra["source"]
            entries[e["id"]] = item
    for e in extra_indicators():
        entries.setdefault(e["id"], dict(e))
    have = values[values["value"].notna()]
    kinds = have["place_code"].str[:3]
    levels_seen: dict[str, set[str]] = {}
    for ind, pref in zip(have["indicator_id"], kinds, strict=True):
        s = levels_seen.setdefault(ind, set())
        if pref == "E07":
            s.add("lower")
        elif pref == "E10":
            s.add("upper")
    per_head = note_text(rec.notes, "per_head") + " " + sentence("texts", "per_head_definition")
    per_head = per_head.strip()
    out, ind_levels = [], {}
    for ind, e in entries.items():
        if ind not in levels_seen:
            continue
        lv = [x for x in ("upper", "lower") if x in set(e["levels"]) | levels_seen[ind]]
        e = {**e, "levels": lv, "source": source_block(rec, e["source"])}
        if e["unit"] == "gbp_per_head" or ind.endswith("_gbp"):
            e["definition"] = e["definition"].rstrip(".") + ". " + per_head
        group = UNIT_GROUP.get(e["unit"])
        if population is not None and group and e["kind"] == "spend":
            periods = sorted(set(have.loc[have["indicator_id"] == ind, "period"].astype(str)))
            pairs = [(p, y) for p in periods if (y := population.year_for(p, group)) is not None]
            via = {p: "as republished by DfE" for p, y in pairs if y in population.children}
            e["denominator"] = matching_text(
                group, pairs, via if group == "children_0_17" else None
            )
            if group != "residents":
                e["definition"] = (
                    e["definition"].rstrip(".") + ". Divides by " + e["denominator"] + "."
                )
        out.append(e)
        ind_levels[ind] = tuple(lv)
    return indicators_frame({"indicators": out}), ind_levels
