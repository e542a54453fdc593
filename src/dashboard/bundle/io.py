"""Read, validate and write a bundle directory (DESIGN.md, "The data bundle").

Every refusal raises :class:`BundleError` naming the file, the row and the column.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from dashboard.bundle.errors import BundleError
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import (
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

#: libyaml's C parser when PyYAML was built with it (about ten times faster), else pure Python.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

GEO_FILES: tuple[str, ...] = ("upper.geojson", "lower.geojson", "upper.hexjson", "lower.hexjson")


# --- reading ----------------------------------------------------------------------------------
def read_bundle(path: str | Path) -> Bundle:
    """Read and validate the bundle in directory ``path``; raise BundleError if it is refused."""
    root = Path(path)
    if not root.is_dir():
        raise BundleError(str(root), "bundle directory not found")
    meta = _read_yaml_mapping(root / "bundle.yaml")
    places = _read_places(root / "places.csv")
    indicators = indicators_frame(_read_yaml_mapping(root / "indicators.yaml"), "indicators.yaml")
    values = _read_parquet(root / "values.parquet", "values.parquet")
    geo = {name: _read_json(root / "geo" / name, f"geo/{name}") for name in GEO_FILES}
    pop_path = root / "population.parquet"
    population = _read_parquet(pop_path, "population.parquet") if pop_path.exists() else None
    cov_path = root / "coverage.csv"
    coverage = pd.read_csv(cov_path) if cov_path.exists() else None
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


def _read_yaml_mapping(path: Path) -> dict[str, Any]:
    name = path.name
    if not path.exists():
        raise BundleError(name, "file is missing")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise BundleError(
            name, f"not valid YAML ({getattr(exc, 'problem', exc)})", row=row
        ) from exc
    except UnicodeDecodeError as exc:
        raise BundleError(name, "not UTF-8 text") from exc
    if not isinstance(data, dict):
        raise BundleError(name, "must be a YAML mapping (key: value)")
    return data


def _read_places(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise BundleError("places.csv", "file is missing")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise BundleError("places.csv", f"cannot be read as CSV ({exc})") from exc
    return df


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    if not path.exists():
        raise BundleError(name, "file is missing")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
        raise BundleError(name, f"cannot be read as Parquet ({type(exc).__name__}: {exc})") from exc


def _read_json(path: Path, name: str) -> dict[str, Any]:
    if not path.exists():
        raise BundleError(name, "file is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BundleError(name, f"not valid JSON ({exc.msg})", row=exc.lineno) from exc
    if not isinstance(data, dict):
        raise BundleError(name, "must be a JSON object")
    return data


def indicators_frame(doc: dict[str, Any], file: str = "indicators.yaml") -> pd.DataFrame:
    """Validate an indicator catalogue mapping ``{indicators: [...]}`` and flatten it."""
    entries = doc.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise BundleError(file, "needs a non-empty list under 'indicators'", column="indicators")
    rows = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise BundleError(file, "each indicator must be a mapping", row=i)
        for key in INDICATOR_FIELDS:
            if key not in entry or entry[key] in (None, "", []):
                raise BundleError(
                    file, f"indicator '{entry.get('id', '?')}' lacks '{key}'", row=i, column=key
                )
        ind_id = str(entry["id"])
        if ind_id in seen:
            raise BundleError(file, f"duplicate indicator id '{ind_id}'", row=i, column="id")
        seen.add(ind_id)
        _check_choice(file, i, "kind", entry["kind"], INDICATOR_KINDS)
        _check_choice(file, i, "unit", entry["unit"], tuple(UNITS))
        _check_choice(file, i, "polarity", entry["polarity"], POLARITIES)
        _check_choice(file, i, "service", entry["service"], SERVICES)
        levels = entry["levels"]
        if isinstance(levels, str):
            levels = [levels]
        for lv in levels:
            _check_choice(file, i, "levels", lv, LEVELS)
        source = entry["source"]
        if not isinstance(source, dict):
            raise BundleError(file, "source must be a mapping", row=i, column="source")
        for key in SOURCE_FIELDS:
            if not source.get(key):
                raise BundleError(file, f"source lacks '{key}'", row=i, column=f"source.{key}")
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
        )


# --- validation -------------------------------------------------------------------------------
def validate_bundle(bundle: Bundle) -> Bundle:
    """Check every file of the contract; return the bundle with normalised frames."""
    meta = _validate_meta(bundle.meta)
    places = _validate_places(bundle.places)
    codes = set(places["code"])
    indicators = bundle.indicators
    values = _validate_values(bundle.values, places, indicators)
    warnings = list(_validate_geo(bundle.geo, places))
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
            )
    return Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=bundle.geo,
        population=population,
        coverage=bundle.coverage,
        path=bundle.path,
        warnings=tuple(warnings),
    )


def _validate_meta(meta: dict[str, Any]) -> dict[str, Any]:
    for key in BUNDLE_REQUIRED_KEYS:
        if key not in meta:
            raise BundleError("bundle.yaml", f"lacks '{key}'", column=key)
    if not isinstance(meta["is_demo"], bool):
        raise BundleError("bundle.yaml", "must be true or false", column="is_demo")
    periods = meta["periods"]
    if not isinstance(periods, list) or not periods:
        raise BundleError("bundle.yaml", "must be a non-empty list", column="periods")
    return {**meta, "periods": [str(p) for p in periods]}


def _validate_places(df: pd.DataFrame) -> pd.DataFrame:
    file = "places.csv"
    for col in PLACES_REQUIRED:
        if col not in df.columns:
            raise BundleError(file, "required column is missing", column=col)
    df = df.copy()
    if "county_code" not in df.columns:
        df["county_code"] = ""
    df = df[list(PLACES_COLUMNS)].fillna("").astype(str)
    for col in df.columns:
        df[col] = df[col].str.strip()
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        for col in PLACES_REQUIRED:
            if not getattr(rec, col):
                raise BundleError(file, "empty value", row=i, column=col)
        if rec.kind not in PLACE_KINDS:
            raise BundleError(
                file,
                f"'{rec.kind}' is not a kind of place (allowed: {', '.join(PLACE_KINDS)})",
                row=i,
                column="kind",
            )
    dup = df["code"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise BundleError(
            file, f"duplicate place code '{df['code'].iloc[i]}'", row=i + 2, column="code"
        )
    counties = set(df.loc[df["kind"] == "county", "code"])
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        if rec.county_code and rec.county_code not in counties:
            raise BundleError(
                file,
                f"county '{rec.county_code}' is not a county in this file",
                row=i,
                column="county_code",
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
            file, f"{what} '{df[column].iloc[r - 1]}' is not in {where}", row=r, column=column
        )


def _validate_values(
    df: pd.DataFrame, places: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    file = "values.parquet"
    for col in VALUES_REQUIRED:
        if col not in df.columns:
            raise BundleError(file, "required column is missing", column=col)
    df = df.reset_index(drop=True).copy()
    for col in ("place_code", "indicator_id", "period"):
        null = df[col].isna()
        if null.any():
            raise BundleError(file, "empty value", row=_first_bad(null), column=col)
        df[col] = df[col].astype(str)
    for col in ("value", "lower_ci", "upper_ci"):
        if col in df.columns:
            df[col] = _numeric_column(df[col], file, col)
        else:
            df[col] = np.nan
    if "status" in df.columns:
        df["status"] = df["status"].fillna("").astype(str)
        bad = ~df["status"].isin(STATUSES)
        if bad.any():
            r = _first_bad(bad)
            raise BundleError(
                file,
                f"'{df['status'].iloc[r - 1]}' is not a status (allowed: "
                f"{', '.join(s or '(empty)' for s in STATUSES)})",
                row=r,
                column="status",
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
        )
    both = df["lower_ci"].notna() & df["upper_ci"].notna() & (df["lower_ci"] > df["upper_ci"])
    if both.any():
        raise BundleError(
            file, "lower_ci is above upper_ci", row=_first_bad(both), column="lower_ci"
        )
    return df[[*VALUES_REQUIRED, *VALUES_OPTIONAL]]


def _numeric_column(col: pd.Series, file: str, name: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(col):
        raise BundleError(file, "true/false where a number belongs", row=1, column=name)
    if pd.api.types.is_numeric_dtype(col):
        out = col.astype(float)
    else:
        out = pd.to_numeric(col, errors="coerce")
        bad = out.isna() & col.notna() & (col.astype(str).str.strip() != "")
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
            raise BundleError(file, msg, row=r, column=name)
        out = out.astype(float)
    inf = np.isinf(out.to_numpy(dtype=float, na_value=np.nan))
    if inf.any():
        raise BundleError(file, "infinite value", row=int(np.flatnonzero(inf)[0]) + 1, column=name)
    return out


def _validate_geo(geo: dict[str, dict[str, Any]], places: pd.DataFrame) -> list[str]:
    warnings: list[str] = []
    for name in GEO_FILES:
        level = name.split(".")[0]
        file = f"geo/{name}"
        doc = geo.get(name)
        if doc is None:
            raise BundleError(file, "file is missing")
        expected = set(
            places.loc[places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k]), "code"]
        )
        if name.endswith(".geojson"):
            features = doc.get("features")
            if doc.get("type") != "FeatureCollection" or not isinstance(features, list):
                raise BundleError(file, "must be a GeoJSON FeatureCollection", column="features")
            codes = []
            for i, feat in enumerate(features, start=1):
                props = (feat or {}).get("properties") or {}
                code = props.get("code")
                if not code:
                    raise BundleError(file, "feature has no code", row=i, column="properties.code")
                if not (feat.get("geometry") or {}).get("coordinates"):
                    raise BundleError(
                        file, f"feature '{code}' has no geometry", row=i, column="geometry"
                    )
                codes.append(str(code))
        else:
            hexes = doc.get("hexes")
            if not isinstance(hexes, dict) or not hexes:
                raise BundleError(file, "must be HexJSON with a 'hexes' mapping", column="hexes")
            codes = []
            seen: dict[tuple[int, int], str] = {}
            for i, (code, h) in enumerate(hexes.items(), start=1):
                if not code:
                    raise BundleError(file, "hex has no code", row=i, column="hexes")
                try:
                    qr = (int(h["q"]), int(h["r"]))
                except (KeyError, TypeError, ValueError) as exc:
                    raise BundleError(
                        file, f"hex '{code}' needs integer q and r", row=i, column="q, r"
                    ) from exc
                if qr in seen:
                    raise BundleError(
                        file,
                        f"hex '{code}' sits on the same cell as '{seen[qr]}'",
                        row=i,
                        column="q, r",
                    )
                seen[qr] = code
                codes.append(str(code))
        unknown = sorted(set(codes) - expected)
        if unknown:
            raise BundleError(
                file,
                f"code '{unknown[0]}' is not a {level}-tier place in places.csv",
                column="code",
            )
        missing = sorted(expected - set(codes))
        if missing:
            warnings.append(
                f"{file}: {len(missing)} {level}-tier places have no shape (first: {missing[0]})"
            )
    return warnings


def _validate_population(df: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    file = "population.parquet"
    for col in POPULATION_COLUMNS:
        if col not in df.columns:
            raise BundleError(file, "required column is missing", column=col)
    df = df[list(POPULATION_COLUMNS)].reset_index(drop=True).copy()
    df["place_code"] = df["place_code"].astype(str)
    _check_known(df, "place_code", codes, file, "place", "places.csv")
    df["persons"] = _numeric_column(df["persons"], file, "persons")
    neg = df["persons"] < 0
    if neg.any():
        raise BundleError(file, "negative population", row=_first_bad(neg), column="persons")
    df["year"] = _numeric_column(df["year"], file, "year").astype(int)
    df["age_band"] = df["age_band"].astype(str)
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
