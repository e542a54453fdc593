"""Read, validate and write a bundle directory (docs/architecture.md, "The data bundle").

Every refusal raises :class:`BundleError` naming the file, the row (or feature, or YAML key)
and the column (or property), with a hint; nothing else escapes :func:`read_bundle`. Input is
held to the limits of data/catalogue/limits.yaml. Unusual but possible input (negative net
spend, a repaired polygon, a number on a suppressed row) is accepted and noted in
``Bundle.warnings``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from dashboard.bundle.checks_deflator import validate_deflator
from dashboard.bundle.checks_meta import indicators_frame, validate_meta, with_agency
from dashboard.bundle.checks_tables import (
    validate_places,
    validate_population,
    validate_projection,
    validate_values,
)
from dashboard.bundle.errors import BundleError
from dashboard.bundle.files import (
    read_coverage,
    read_deflators,
    read_json,
    read_parquet,
    read_places,
    read_yaml_mapping,
)
from dashboard.bundle.geometry import GEO_FILES, validate_geo
from dashboard.bundle.model import Bundle
from dashboard.bundle.neighbours import (
    read_neighbours,
    validate_neighbours,
    validate_sets,
    write_neighbours,
)
from dashboard.bundle.schema import (
    INDICATOR_FIELDS,
    INDICATOR_OPTIONAL_TEXT,
    KIND_LEVELS,
    LEVELS,
    PROJECTION_FILE,
    SOURCE_FIELDS,
)


# --- reading ----------------------------------------------------------------------------------
def read_bundle(path: str | Path) -> Bundle:
    """Read and validate the bundle in directory ``path``; raise BundleError if it is refused.

    Every file, required or optional, is read within the limits of data/catalogue/limits.yaml
    (size, nesting depth, YAML aliases); any failure is a BundleError naming the file."""
    root = Path(path)
    if not root.is_dir():
        raise BundleError(
            str(root), "bundle directory not found", hint="give the folder that holds bundle.yaml"
        )
    meta = read_yaml_mapping(root / "bundle.yaml")
    places = read_places(root / "places.csv")
    indicators = indicators_frame(read_yaml_mapping(root / "indicators.yaml"), "indicators.yaml")
    values = read_parquet(root / "values.parquet", "values.parquet")
    geo = {name: read_json(root / "geo" / name, f"geo/{name}") for name in GEO_FILES}
    pop_path = root / "population.parquet"
    population = read_parquet(pop_path, "population.parquet") if pop_path.exists() else None
    proj_path = root / PROJECTION_FILE
    projection = read_parquet(proj_path, PROJECTION_FILE) if proj_path.exists() else None
    cov_path = root / "coverage.csv"
    coverage = read_coverage(cov_path) if cov_path.exists() else None
    deflators, problem = None, ""
    if (root / "deflators.csv").exists():
        try:
            deflators = read_deflators(root / "deflators.csv")
        except BundleError as exc:
            problem = str(exc)
    nb_path = root / "neighbours.csv"
    neighbours = read_neighbours(nb_path) if nb_path.exists() else None
    bundle = Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=geo,
        population=population,
        coverage=coverage,
        path=root,
        deflators=deflators,
        deflator_problem=problem,
        neighbours=neighbours,
        projection=projection,
    )
    return validate_bundle(bundle)


#: Field types in indicators.yaml beyond "non-empty text": levels, source, and the optional ones.
# --- validation -------------------------------------------------------------------------------
def validate_bundle(bundle: Bundle) -> Bundle:
    """Check every file of the contract; return the bundle with normalised frames and the notes
    on what was accepted but unusual in ``warnings``."""
    notes: list[str] = list(bundle.warnings)
    meta = validate_meta(bundle.meta)
    places = validate_places(bundle.places)
    codes = set(places["code"])
    indicators = with_agency(bundle.indicators)
    values = validate_values(bundle.values, places, indicators, notes)
    geo = validate_geo(bundle.geo, places, notes)
    population = None
    if bundle.population is not None:
        population = validate_population(bundle.population, codes)
    projection = None
    if bundle.projection is not None:
        projection = validate_projection(bundle.projection, codes)
    meta, deflators, problem = _deflator(meta, bundle.deflators, bundle.deflator_problem)
    if problem:
        notes.append(f"{problem}. Real terms are not available: money is shown in cash.")
    for level in ("upper", "lower"):
        default = (meta.get("default_place") or {}).get(level)
        if default is not None and default not in set(
            places.loc[places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k]), "code"]
        ):
            raise BundleError(
                "bundle.yaml",
                f"default place '{default}' is not a {level}-tier place",
                column=f"default_place.{level}",
                hint="use a code of places.csv compared at that level",
            )
    sets = validate_sets(meta)
    if "neighbour_sets" in meta:
        meta = {**meta, "neighbour_sets": sets}
    neighbours = validate_neighbours(bundle.neighbours, sets, places)
    return Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=geo,
        population=population,
        coverage=bundle.coverage,
        path=bundle.path,
        warnings=tuple(dict.fromkeys(notes)),
        deflators=deflators,
        deflator_problem=problem,
        neighbours=neighbours,
        projection=projection,
    )


def _deflator(
    meta: dict[str, Any], frame: pd.DataFrame | None, problem: str
) -> tuple[dict[str, Any], pd.DataFrame | None, str]:
    """bundle.yaml without a ``deflator`` block that cannot be used, the checked price index
    (or None) and why real terms are not available ("" when they are, or were never offered).
    A bad price index never refuses the bundle: it only takes real terms away."""
    if not problem:
        try:
            checked = validate_deflator(frame, meta.get("deflator"), meta["periods"])
        except BundleError as exc:
            problem = str(exc)
        else:
            if checked is None:
                return meta, None, ""
            frame, block = checked
            return {**meta, "deflator": block}, frame, ""
    return {k: v for k, v in meta.items() if k != "deflator"}, None, problem.rstrip(".")


# --- coverage ---------------------------------------------------------------------------------
def compute_coverage(bundle: Bundle) -> pd.DataFrame:
    """Places with a value, per indicator, level and period (and the number of places there)."""
    rows = []
    vals = bundle.values[bundle.values["value"].notna()]
    for level in LEVELS:
        codes = set(bundle.place_codes(level))
        n = len(codes)
        lv = vals[vals["place_code"].isin(codes)]
        counts = lv.groupby(["indicator_id", "period"])["place_code"].nunique()
        for ind in bundle.indicators_at(level)["id"]:
            if ind in counts.index.get_level_values(0):
                for period, k in counts.loc[ind].items():
                    rows.append((ind, level, period, int(k), n))
            else:
                rows.append((ind, level, "", 0, n))
    return pd.DataFrame(
        rows, columns=["indicator_id", "level", "period", "places_with_value", "places_total"]
    )


# --- writing ----------------------------------------------------------------------------------
def write_bundle(bundle: Bundle, path: str | Path) -> Path:
    """Validate ``bundle`` and write it to directory ``path`` (created if needed)."""
    bundle = validate_bundle(bundle)
    root = Path(path)
    (root / "geo").mkdir(parents=True, exist_ok=True)
    (root / "bundle.yaml").write_text(
        yaml.safe_dump(_plain(bundle.meta), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    places = bundle.places.copy()
    places["county_code"] = places["county_code"].fillna("")
    places.to_csv(root / "places.csv", index=False)
    (root / "indicators.yaml").write_text(
        yaml.safe_dump(
            {"indicators": indicators_records(bundle.indicators)},
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ),
        encoding="utf-8",
    )
    bundle.values.to_parquet(root / "values.parquet", index=False, compression="zstd")
    for name in GEO_FILES:
        (root / "geo" / name).write_text(
            json.dumps(bundle.geo[name], separators=(",", ":")), encoding="utf-8"
        )
    if bundle.population is not None:
        bundle.population.to_parquet(root / "population.parquet", index=False, compression="zstd")
    if bundle.projection is not None:
        bundle.projection.to_parquet(root / PROJECTION_FILE, index=False, compression="zstd")
    elif (root / PROJECTION_FILE).is_file():
        (root / PROJECTION_FILE).unlink()  # a previous build's projection is not this bundle's
    if bundle.deflators is not None:
        bundle.deflators.to_csv(root / "deflators.csv", index=False)
    elif (root / "deflators.csv").is_file():
        (root / "deflators.csv").unlink()  # a previous build's index no longer described
    compute_coverage(bundle).to_csv(root / "coverage.csv", index=False)
    if bundle.neighbours is not None:
        write_neighbours(bundle.neighbours, root / "neighbours.csv")
    elif (root / "neighbours.csv").exists():
        (root / "neighbours.csv").unlink()  # a set left from an earlier build is not this one
    return root


def indicators_records(indicators: pd.DataFrame) -> list[dict[str, Any]]:
    """The catalogue frame back to YAML-ready records (source nested again)."""
    out = []
    for rec in indicators.to_dict("records"):
        item = {k: rec[k] for k in INDICATOR_FIELDS if k not in ("source", "levels")}
        item["levels"] = list(rec["levels"])
        item["source"] = {k: rec[f"source_{k}"] for k in SOURCE_FIELDS}
        for extra in (*INDICATOR_OPTIONAL_TEXT, "decimals", "agency"):
            v = rec.get(extra)
            if v is not None and v != "" and not (isinstance(v, float) and math.isnan(v)):
                item[extra] = v
        out.append(_plain(item))
    return out


def _plain(obj: Any) -> Any:
    """Convert numpy scalars and tuples to YAML-safe Python values."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
