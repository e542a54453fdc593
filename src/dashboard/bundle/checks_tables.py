"""Checks of places.csv, values.parquet, population.parquet and population_projection.parquet:
codes, choices, numbers within their unit's range (limits.yaml), suppressed rows without a
number; every refusal a BundleError naming the file, the row and the column
(docs/architecture.md, "The data bundle")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.limits import limits
from dashboard.bundle.schema import (
    AGE_BANDS,
    ALL_AGES,
    ENGLAND_CODE,
    KIND_LEVELS,
    LEVELS,
    PLACE_KINDS,
    PLACES_COLUMNS,
    PLACES_REQUIRED,
    POPULATION_COLUMNS,
    PROJECTION_COLUMNS,
    PROJECTION_FILE,
    STATUSES,
    SUPPRESSION_MARKERS,
    UNITS,
    VALUES_OPTIONAL,
    VALUES_REQUIRED,
    VALUES_TEXT_OPTIONAL,
)

#: Statuses whose rows carry no number, whatever the file holds.

#: Statuses whose rows carry no number, whatever the file holds.
NO_VALUE_STATUSES: tuple[str, ...] = ("suppressed", "not_applicable", "missing")


def validate_places(df: pd.DataFrame) -> pd.DataFrame:
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
    odd = (df["kind"] == "country") != (df["code"] == ENGLAND_CODE)
    if odd.any():
        i = int(np.flatnonzero(odd.to_numpy())[0])
        raise BundleError(
            file,
            f"'{df['code'].iloc[i]}' of kind '{df['kind'].iloc[i]}': only England "
            f"({ENGLAND_CODE}) is a country",
            row=i + 2,
            column="kind",
            hint=f"England's row has code {ENGLAND_CODE} and kind country",
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


def validate_values(
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
    for col in VALUES_TEXT_OPTIONAL:  # free text (why a value is missing); empty when absent
        if col in df.columns:
            df[col] = df[col].fillna("")
            df[col] = _text_column(df, col, file)
        else:
            df[col] = ""
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
        if set(KIND_LEVELS[k]) & set(lv) or not KIND_LEVELS[k]  # England: any indicator
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


def validate_population(df: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    """population.parquet checked: one row per place, year and age band (or one ``all`` row)."""
    file = "population.parquet"
    df = _persons_table(df, codes, file, POPULATION_COLUMNS, (*AGE_BANDS, ALL_AGES))
    key = df["place_code"] + "|" + df["year"].astype(str)
    both = key.isin(set(key[df["age_band"] == ALL_AGES])) & (df["age_band"] != ALL_AGES)
    if both.any():
        r = _first_bad(both)
        raise BundleError(
            file,
            f"place '{df['place_code'].iat[r - 1]}' has age bands and an '{ALL_AGES}' row for "
            f"year {df['year'].iat[r - 1]}: the total would count its people twice",
            row=r,
            column="age_band",
            hint=f"give either the age bands or one '{ALL_AGES}' row for a year",
        )
    return df


def validate_projection(df: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    """population_projection.parquet checked: persons by place, age band (of ``AGE_BANDS``) and
    year, one row each, and the projection's name in ``source`` on every row."""
    file = PROJECTION_FILE
    df = _persons_table(df, codes, file, PROJECTION_COLUMNS, AGE_BANDS)
    df["source"] = _text_column(df, "source", file)
    blank = df["source"].str.strip() == ""
    if blank.any():
        raise BundleError(
            file,
            "empty value",
            row=_first_bad(blank),
            column="source",
            hint="name the projection (publisher, vintage)",
        )
    return df


def _persons_table(
    df: pd.DataFrame,
    codes: set[str],
    file: str,
    columns: tuple[str, ...],
    bands: tuple[str, ...],
) -> pd.DataFrame:
    """The checks population.parquet and population_projection.parquet share: the columns, known
    places and age bands, persons a number from 0 to the limit, whole years, one row per place,
    year and age band."""
    for col in columns:
        if col not in df.columns:
            raise BundleError(
                file,
                "required column is missing",
                column=col,
                hint="add the column (see docs/architecture.md, 'The data bundle')",
            )
    df = df[list(columns)].reset_index(drop=True).copy()
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
    _check_known(df, "age_band", set(bands), file, "age band", f"({', '.join(bands)})")
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
