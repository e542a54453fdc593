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
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from dashboard.bundle.errors import BundleError
from dashboard.bundle.files import (
    read_coverage,
    read_json,
    read_parquet,
    read_places,
    read_yaml_mapping,
)
from dashboard.bundle.geometry import GEO_FILES, validate_geo
from dashboard.bundle.limits import limits
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import (
    AGE_BANDS,
    BUNDLE_REQUIRED_KEYS,
    INDICATOR_FIELDS,
    INDICATOR_KINDS,
    KIND_LEVELS,
    LEVELS,
    PLACE_KINDS,
    PLACES_COLUMNS,
    PLACES_REQUIRED,
    POLARITIES,
    POPULATION_COLUMNS,
    SERVICES,
    SOURCE_FIELDS,
    STATUSES,
    SUPPRESSION_MARKERS,
    UNITS,
    VALUES_OPTIONAL,
    VALUES_REQUIRED,
)

#: Statuses whose rows carry no number, whatever the file holds.
NO_VALUE_STATUSES: tuple[str, ...] = ("suppressed", "not_applicable", "missing")


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
    cov_path = root / "coverage.csv"
    coverage = read_coverage(cov_path) if cov_path.exists() else None
    bundle = Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=geo,
        population=population,
        coverage=coverage,
        path=root,
    )
    return validate_bundle(bundle)


#: Field types in indicators.yaml beyond "non-empty text": levels, source, and the optional ones.
_OPTIONAL_TEXT = ("period_type", "notes")


def indicators_frame(doc: dict[str, Any], file: str = "indicators.yaml") -> pd.DataFrame:
    """Validate an indicator catalogue mapping ``{indicators: [...]}`` and flatten it."""
    entries = doc.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise BundleError(
            file,
            "needs a non-empty list under 'indicators'",
            column="indicators",
            hint="indicators: [{id: ..., label: ...}, ...]",
        )
    rows = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise BundleError(
                file,
                f"each indicator must be a mapping, not {type(entry).__name__}",
                row=i,
                column="indicators",
                hint="write it as 'id: ..., label: ...'",
            )
        for key in INDICATOR_FIELDS:
            if key not in entry or entry[key] in (None, "", []):
                raise BundleError(
                    file,
                    f"indicator '{entry.get('id', '?')}' lacks '{key}'",
                    row=i,
                    column=key,
                    hint="every indicator needs id, label, kind, service, unit, polarity, "
                    "levels, definition and source",
                )
        for key in INDICATOR_FIELDS:
            if key not in ("levels", "source") and not isinstance(entry[key], str):
                raise BundleError(
                    file,
                    f"must be text, not {type(entry[key]).__name__} ({entry[key]!r})",
                    row=i,
                    column=key,
                    hint="quote it",
                )
        ind_id = str(entry["id"])
        if ind_id in seen:
            raise BundleError(
                file, f"duplicate indicator id '{ind_id}'", row=i, column="id", hint="each id once"
            )
        seen.add(ind_id)
        _check_choice(file, i, "kind", entry["kind"], INDICATOR_KINDS)
        _check_choice(file, i, "unit", entry["unit"], tuple(UNITS))
        _check_choice(file, i, "polarity", entry["polarity"], POLARITIES)
        _check_choice(file, i, "service", entry["service"], SERVICES)
        levels = entry["levels"]
        if isinstance(levels, str):
            levels = [levels]
        if not isinstance(levels, list):
            raise BundleError(
                file, "must be a list of levels", row=i, column="levels", hint="e.g. [upper]"
            )
        for lv in levels:
            if not isinstance(lv, str):
                raise BundleError(
                    file, f"level {lv!r} is not text", row=i, column="levels", hint="quote it"
                )
            _check_choice(file, i, "levels", lv, LEVELS)
        source = entry["source"]
        if not isinstance(source, dict):
            raise BundleError(
                file,
                "source must be a mapping",
                row=i,
                column="source",
                hint="source: {publisher, title, url, licence}",
            )
        for key in SOURCE_FIELDS:
            if not source.get(key):
                raise BundleError(
                    file,
                    f"source lacks '{key}'",
                    row=i,
                    column=f"source.{key}",
                    hint="a source has publisher, title, url and licence",
                )
            if not isinstance(source[key], str):
                raise BundleError(
                    file,
                    f"must be text, not {type(source[key]).__name__}",
                    row=i,
                    column=f"source.{key}",
                    hint="quote it",
                )
        for key in _OPTIONAL_TEXT:
            v = entry.get(key)
            if v is not None and not isinstance(v, str):
                raise BundleError(
                    file,
                    f"must be text, not {type(v).__name__} ({v!r})",
                    row=i,
                    column=key,
                    hint="quote it",
                )
        dec = entry.get("decimals")
        if dec is not None and (
            isinstance(dec, bool)
            or not isinstance(dec, int)
            or not 0 <= dec <= limits().setting("max_decimals")
        ):
            raise BundleError(
                file,
                f"must be a whole number from 0 to {limits().setting('max_decimals')}, not {dec!r}",
                row=i,
                column="decimals",
                hint="the number of decimal places shown",
            )
        row = {k: entry[k] for k in INDICATOR_FIELDS if k != "source"}
        row["levels"] = tuple(levels)
        for key in SOURCE_FIELDS:
            row[f"source_{key}"] = str(source[key])
        for extra in ("period_type", "notes", "decimals"):
            row[extra] = entry.get(extra)
        rows.append(row)
    return pd.DataFrame(rows)


def _check_choice(file: str, row: int, column: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise BundleError(
            file,
            f"'{value}' is not allowed (allowed: {', '.join(allowed)})",
            row=row,
            column=column,
            hint="use one of the allowed values",
        )


# --- validation -------------------------------------------------------------------------------
def validate_bundle(bundle: Bundle) -> Bundle:
    """Check every file of the contract; return the bundle with normalised frames and the notes
    on what was accepted but unusual in ``warnings``."""
    notes: list[str] = list(bundle.warnings)
    meta = _validate_meta(bundle.meta)
    places = _validate_places(bundle.places)
    codes = set(places["code"])
    indicators = bundle.indicators
    values = _validate_values(bundle.values, places, indicators, notes)
    geo = validate_geo(bundle.geo, places, notes)
    population = None
    if bundle.population is not None:
        population = _validate_population(bundle.population, codes)
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
    )


def _meta_text(meta: dict[str, Any], key: str, *, required: bool) -> None:
    v = meta.get(key)
    if v is None and not required:
        return
    if not isinstance(v, str) or (required and not v.strip()):
        raise BundleError(
            "bundle.yaml",
            f"must be text, not {type(v).__name__} ({v!r})",
            column=key,
            hint="quote it",
        )


def _validate_meta(meta: dict[str, Any]) -> dict[str, Any]:
    file = "bundle.yaml"
    for key in BUNDLE_REQUIRED_KEYS:
        if key not in meta:
            raise BundleError(file, f"lacks '{key}'", column=key, hint="add the key")
    for key in ("title", "attribution", "licence"):
        _meta_text(meta, key, required=True)
    _meta_text(meta, "description", required=False)
    if not isinstance(meta["is_demo"], bool):
        raise BundleError(
            file, "must be true or false", column="is_demo", hint="write true or false, unquoted"
        )
    periods = meta["periods"]
    if not isinstance(periods, list) or not periods:
        raise BundleError(
            file,
            "must be a non-empty list",
            column="periods",
            hint="e.g. periods: [2023-24, 2024-25]",
        )
    for i, p in enumerate(periods):
        if isinstance(p, bool) or not isinstance(p, str | int | date):
            raise BundleError(
                file,
                f"a period must be text such as '2024-25', not {type(p).__name__}",
                column=f"periods.{i}",
                hint="quote it",
            )
    out = [str(p) for p in periods]
    dup = [p for p in out if out.count(p) > 1]
    if dup:
        raise BundleError(
            file, f"period '{dup[0]}' is listed twice", column="periods", hint="keep one"
        )
    default = meta.get("default_place")
    if default is not None:
        if not isinstance(default, dict):
            raise BundleError(
                file,
                f"must be a mapping of level to place code, not {type(default).__name__}",
                column="default_place",
                hint="e.g. {upper: E10000014, lower: E07000085}",
            )
        for level, code in default.items():
            if level not in LEVELS:
                raise BundleError(
                    file,
                    f"'{level}' is not a level (allowed: {', '.join(LEVELS)})",
                    column=f"default_place.{level}",
                    hint="use upper or lower",
                )
            if code is not None and not isinstance(code, str):
                raise BundleError(
                    file,
                    f"must be a place code, not {code!r}",
                    column=f"default_place.{level}",
                    hint="quote the code",
                )
    return {**meta, "periods": out}


def _validate_places(df: pd.DataFrame) -> pd.DataFrame:
    file = "places.csv"
    for col in PLACES_REQUIRED:
        if col not in df.columns:
            raise BundleError(
                file,
                "required column is missing",
                column=col,
                hint="add the column (see docs/architecture.md, 'The data bundle')",
            )
    df = df.copy()
    if "county_code" not in df.columns:
        df["county_code"] = ""
    df = df[list(PLACES_COLUMNS)].fillna("").astype(str)
    for col in df.columns:
        df[col] = df[col].str.strip()
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        for col in PLACES_REQUIRED:
            if not getattr(rec, col):
                raise BundleError(
                    file, "empty value", row=i, column=col, hint="fill it in or remove the row"
                )
        if rec.kind not in PLACE_KINDS:
            raise BundleError(
                file,
                f"'{rec.kind}' is not a kind of place (allowed: {', '.join(PLACE_KINDS)})",
                row=i,
                column="kind",
                hint="use one of the allowed kinds",
            )
    dup = df["code"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise BundleError(
            file,
            f"duplicate place code '{df['code'].iloc[i]}'",
            row=i + 2,
            column="code",
            hint="each place once",
        )
    counties = set(df.loc[df["kind"] == "county", "code"])
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        if rec.county_code and rec.county_code not in counties:
            raise BundleError(
                file,
                f"county '{rec.county_code}' is not a county in this file",
                row=i,
                column="county_code",
                hint="use the code of a county row, or leave it empty",
            )
    for level in LEVELS:
        if not df["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k]).any():
            raise BundleError(
                file,
                f"has no {level}-tier place",
                column="kind",
                hint="every bundle needs places at both levels (upper and lower tier)",
            )
    df["county_code"] = df["county_code"].replace("", None)
    return df


def _first_bad(mask: pd.Series) -> int:
    """1-based row number of the first True in ``mask``."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def _check_known(
    df: pd.DataFrame, column: str, known: set[str], file: str, what: str, where: str
) -> None:
    """Refuse the first row whose ``column`` is not among ``known``."""
    unknown = ~df[column].isin(known)
    if unknown.any():
        r = _first_bad(unknown)
        raise BundleError(
            file,
            f"{what} '{df[column].iloc[r - 1]}' is not in {where}",
            row=r,
            column=column,
            hint="add it there or remove the row",
        )


def _text_column(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    """A key column as text; an empty cell or a non-scalar (list, mapping) is refused."""
    null = df[col].isna()
    if null.any():
        raise BundleError(
            file,
            "empty value",
            row=_first_bad(null),
            column=col,
            hint="fill it in or remove the row",
        )
    if df[col].dtype == object:
        odd = df[col].map(lambda v: isinstance(v, list | tuple | dict | np.ndarray | bytes))
        if odd.any():
            raise BundleError(
                file,
                "a list or mapping where text belongs",
                row=_first_bad(odd),
                column=col,
                hint="store text",
            )
    return df[col].astype(str)


def _validate_values(
    df: pd.DataFrame, places: pd.DataFrame, indicators: pd.DataFrame, notes: list[str]
) -> pd.DataFrame:
    file = "values.parquet"
    for col in VALUES_REQUIRED:
        if col not in df.columns:
            raise BundleError(
                file,
                "required column is missing",
                column=col,
                hint="add the column (see docs/architecture.md, 'The data bundle')",
            )
    if df.empty:
        raise BundleError(file, "has no rows", column="value", hint="a bundle needs values")
    df = df.reset_index(drop=True).copy()
    for col in ("place_code", "indicator_id", "period"):
        df[col] = _text_column(df, col, file)
    for col in ("value", "lower_ci", "upper_ci"):
        if col in df.columns:
            df[col] = _numeric_column(df[col], file, col)
        else:
            df[col] = np.nan
    if "status" in df.columns:
        df["status"] = df["status"].fillna("")
        df["status"] = _text_column(df, "status", file)
        bad = ~df["status"].isin(STATUSES)
        if bad.any():
            r = _first_bad(bad)
            raise BundleError(
                file,
                f"'{df['status'].iloc[r - 1]}' is not a status (allowed: "
                f"{', '.join(s or '(empty)' for s in STATUSES)})",
                row=r,
                column="status",
                hint="use one of the allowed statuses",
            )
    else:
        df["status"] = ""
    _check_known(df, "place_code", set(places["code"]), file, "place", "places.csv")
    _check_known(df, "indicator_id", set(indicators["id"]), file, "indicator", "indicators.yaml")
    dup = df.duplicated(["place_code", "indicator_id", "period"])
    if dup.any():
        r = _first_bad(dup)
        rec = df.iloc[r - 1]
        raise BundleError(
            file,
            f"duplicate value for place '{rec.place_code}', indicator '{rec.indicator_id}', "
            f"period '{rec.period}'",
            row=r,
            column="place_code, indicator_id, period",
            hint="keep one row per place, indicator and period",
        )
    # a value must be for a place compared at one of the indicator's levels
    kind = df["place_code"].map(places.set_index("code")["kind"])
    allowed = [
        (k, ind)
        for ind, lv in zip(indicators["id"], indicators["levels"], strict=True)
        for k in PLACE_KINDS
        if set(KIND_LEVELS[k]) & set(lv)
    ]
    pairs = pd.MultiIndex.from_arrays([kind.astype(str), df["indicator_id"].astype(str)])
    ok = pairs.isin(pd.MultiIndex.from_tuples(allowed) if allowed else [])
    wrong = pd.Series(~ok, index=df.index)
    if wrong.any():
        r = _first_bad(wrong)
        rec = df.iloc[r - 1]
        raise BundleError(
            file,
            f"indicator '{rec.indicator_id}' is not published at the level of place "
            f"'{rec.place_code}' ({kind.iloc[r - 1]})",
            row=r,
            column="place_code",
            hint="check the indicator's levels in indicators.yaml",
        )
    blank = df["status"].isin(NO_VALUE_STATUSES)
    carried = blank & df[["value", "lower_ci", "upper_ci"]].notna().any(axis=1)
    if carried.any():
        r = _first_bad(carried)
        notes.append(
            f"{file}: {int(carried.sum())} rows marked {'/'.join(NO_VALUE_STATUSES)} carried a "
            f"number; read as missing (first: row {r}, status '{df['status'].iloc[r - 1]}')"
        )
        df.loc[blank, ["value", "lower_ci", "upper_ci"]] = np.nan
    _check_ranges(df, indicators, file, notes)
    both = df["lower_ci"].notna() & df["upper_ci"].notna() & (df["lower_ci"] > df["upper_ci"])
    if both.any():
        raise BundleError(
            file,
            "lower_ci is above upper_ci",
            row=_first_bad(both),
            column="lower_ci",
            hint="swap the interval ends",
        )
    return df[[*VALUES_REQUIRED, *VALUES_OPTIONAL]]


def _check_ranges(df: pd.DataFrame, indicators: pd.DataFrame, file: str, notes: list[str]) -> None:
    """Refuse a value (or interval end) outside its unit's range of limits.yaml; note money
    below its ``note_below`` (negative net spend is possible)."""
    codes, ids = pd.factorize(df["indicator_id"])  # fast on Arrow strings
    unit_of = dict(zip(indicators["id"], indicators["unit"].astype(str), strict=True))
    names = sorted({unit_of[i] for i in ids})
    row_unit = np.asarray([names.index(unit_of[i]) for i in ids], dtype=int)[codes]
    cols = {c: df[c].to_numpy(dtype=float) for c in ("value", "lower_ci", "upper_ci")}
    for name, rng in limits().units.items():
        if name not in names:
            continue
        rows = row_unit == names.index(name)
        label = UNITS[name][0] if name in UNITS else name
        for col, v in cols.items():
            for bound, word in ((rng.min, "below"), (rng.max, "above")):
                if bound is None:
                    continue
                with np.errstate(invalid="ignore"):
                    bad = rows & ((v < bound) if word == "below" else (v > bound))
                if bad.any():
                    r = int(np.flatnonzero(bad)[0])
                    raise BundleError(
                        file,
                        f"{v[r]:g} is {word} {bound:g}, outside the range of unit '{name}' "
                        f"({label}) for indicator '{df['indicator_id'].iat[r]}'",
                        row=r + 1,
                        column=col,
                        hint=f"check the unit in indicators.yaml (limits.yaml units.{name})",
                    )
        if rng.note_below is not None:
            with np.errstate(invalid="ignore"):
                low = rows & (cols["value"] < rng.note_below)
            if low.any():
                r = int(np.flatnonzero(low)[0])
                rec = df.iloc[r]
                notes.append(
                    f"{file}: {int(low.sum())} values in '{name}' are below "
                    f"{rng.note_below:g} (net income above spending), accepted (first: row "
                    f"{r + 1}, {rec.place_code}, {rec.indicator_id}, {rec.period})"
                )


def _numeric_column(col: pd.Series, file: str, name: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(col):
        raise BundleError(
            file,
            "true/false where a number belongs",
            row=1,
            column=name,
            hint="store numbers (float)",
        )
    if pd.api.types.is_datetime64_any_dtype(col) or pd.api.types.is_timedelta64_dtype(col):
        raise BundleError(
            file,
            "a date or time where a number belongs",
            row=1,
            column=name,
            hint="store numbers (float)",
        )
    if pd.api.types.is_numeric_dtype(col):
        out = col.astype(float)
    else:
        as_text = col.map(
            lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else v
        )
        odd = as_text.map(lambda v: v is not None and not isinstance(v, str | int | float))
        odd |= as_text.map(lambda v: isinstance(v, bool))
        if odd.any():
            r = _first_bad(odd)
            raise BundleError(
                file,
                f"{type(col.iloc[r - 1]).__name__} where a number belongs",
                row=r,
                column=name,
                hint="store numbers (float)",
            )
        out = pd.to_numeric(as_text, errors="coerce")
        bad = out.isna() & as_text.notna() & (as_text.astype(str).str.strip() != "")
        if bad.any():
            r = _first_bad(bad)
            raw = str(col.iloc[r - 1])
            if raw.strip().lower() in SUPPRESSION_MARKERS:
                msg = (
                    f"'{raw}' is an official suppression or missing marker; store a missing value "
                    "with status 'suppressed' or 'missing' instead"
                )
            else:
                msg = f"'{raw}' is not a number"
            raise BundleError(file, msg, row=r, column=name, hint="store numbers (float)")
        out = out.astype(float)
    inf = np.isinf(out.to_numpy(dtype=float, na_value=np.nan))
    if inf.any():
        raise BundleError(
            file,
            "infinite value",
            row=int(np.flatnonzero(inf)[0]) + 1,
            column=name,
            hint="store a missing value (NaN) with a status instead",
        )
    return out


def _validate_population(df: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    file = "population.parquet"
    for col in POPULATION_COLUMNS:
        if col not in df.columns:
            raise BundleError(
                file,
                "required column is missing",
                column=col,
                hint="add the column (see docs/architecture.md, 'The data bundle')",
            )
    df = df[list(POPULATION_COLUMNS)].reset_index(drop=True).copy()
    df["place_code"] = _text_column(df, "place_code", file)
    _check_known(df, "place_code", codes, file, "place", "places.csv")
    df["persons"] = _numeric_column(df["persons"], file, "persons")
    nan = df["persons"].isna()
    if nan.any():
        raise BundleError(
            file,
            "missing population",
            row=_first_bad(nan),
            column="persons",
            hint="leave the row out instead",
        )
    neg = df["persons"] < 0
    if neg.any():
        raise BundleError(
            file,
            "negative population",
            row=_first_bad(neg),
            column="persons",
            hint="a count of people is not negative",
        )
    cap = limits().population_max
    big = df["persons"] > cap
    if big.any():
        r = _first_bad(big)
        raise BundleError(
            file,
            f"{df['persons'].iat[r - 1]:g} people is above {cap:g}, beyond any English council",
            row=r,
            column="persons",
            hint="limits.yaml population.persons_max",
        )
    year = _numeric_column(df["year"], file, "year")
    odd = year.isna() | (year != year.round())
    if odd.any():
        r = _first_bad(odd)
        raise BundleError(
            file,
            f"year must be a whole number, not {df['year'].iat[r - 1]!r}",
            row=r,
            column="year",
            hint="e.g. 2024",
        )
    df["year"] = year.astype(int)
    df["age_band"] = _text_column(df, "age_band", file)
    _check_known(df, "age_band", set(AGE_BANDS), file, "age band", f"({', '.join(AGE_BANDS)})")
    dup = df.duplicated(["place_code", "year", "age_band"])
    if dup.any():
        r = _first_bad(dup)
        raise BundleError(
            file,
            f"a second row for place '{df['place_code'].iat[r - 1]}', year "
            f"{df['year'].iat[r - 1]}, age band '{df['age_band'].iat[r - 1]}'",
            row=r,
            column="place_code, year, age_band",
            hint="one row per place, year and age band",
        )
    return df


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
    compute_coverage(bundle).to_csv(root / "coverage.csv", index=False)
    return root


def indicators_records(indicators: pd.DataFrame) -> list[dict[str, Any]]:
    """The catalogue frame back to YAML-ready records (source nested again)."""
    out = []
    for rec in indicators.to_dict("records"):
        item = {k: rec[k] for k in INDICATOR_FIELDS if k not in ("source", "levels")}
        item["levels"] = list(rec["levels"])
        item["source"] = {k: rec[f"source_{k}"] for k in SOURCE_FIELDS}
        for extra in ("period_type", "notes", "decimals"):
            v = rec.get(extra)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
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
