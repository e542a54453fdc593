"""Readers for ONS, DfE, Oflog, OHID, Ofsted and MHCLG (IoD) indicator files.

Each reader returns a long frame ``code, indicator_id, period, value, lower_ci, upper_ci,
status`` keyed by the code found in the file (mapping onto current places happens later) plus a
list of problems (unexpected values kept as missing). Values keep the file's unit unless stated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.sources.parsing import (
    Problem,
    find_header_row,
    marker_status,
    parse_numbers,
    read_csv_text,
    require_columns,
)

LA_CODE = r"^E(06|07|08|09|10)\d{6}$"
#: Council codes and England's (E92000001: England's published value, where a file has one).
AREA_CODE = r"^(E(06|07|08|09|10)\d{6}|E92000001)$"
LONG_COLUMNS = ["code", "indicator_id", "period", "value", "lower_ci", "upper_ci", "status"]


def empty_long() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype=float if c in ("value", "lower_ci", "upper_ci") else object)
            for c in LONG_COLUMNS
        }
    )


def _long(
    code: Any, ind: str, period: Any, value: Any, status: Any, lci: Any = np.nan, uci: Any = np.nan
) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "code": np.asarray(code, dtype=object),
            "indicator_id": ind,
            "period": np.asarray(period, dtype=object),
            "value": np.asarray(value, dtype=float),
            "lower_ci": lci if np.isscalar(lci) else np.asarray(lci, dtype=float),
            "upper_ci": uci if np.isscalar(uci) else np.asarray(uci, dtype=float),
            "status": np.asarray(status, dtype=object),
        }
    )
    return df[LONG_COLUMNS]


# --- periods ------------------------------------------------------------------------------------
def els_period(text: str) -> str:
    """ONS ISO-8601 period to the bundle style.

    '2023-01-01/P1Y' -> '2023'; '2023-04-01/P1Y' -> '2023-24'; '2020-01-01/P3Y' -> '2020-2022';
    a bare date '2025-04-30' -> '2025'.
    """
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:/P(\d+)Y)?$", text.strip())
    if not m:
        return text.strip()
    y, month, years = int(m.group(1)), int(m.group(2)), int(m.group(4) or 0)
    if years == 0:
        return str(y)
    if years == 1:
        return str(y) if month == 1 else f"{y}-{(y + 1) % 100:02d}"
    if month == 1:
        return f"{y}-{y + years - 1}"
    return f"{y}-{(y + years) % 100:02d}"


def dfe_period(text: str) -> str:
    """DfE ``time_period``: '2025' -> '2025'; '202324' -> '2023-24'."""
    t = str(text).strip()
    if re.fullmatch(r"\d{6}", t):
        return f"{t[:4]}-{t[4:]}"
    return t


# --- ONS Explore Local Statistics --------------------------------------------------------------
@dataclass(frozen=True)
class ElsSpec:
    """Which rows of an ELS file make an indicator. Several names are averaged (e.g. male and
    female healthy life expectancy) and then lose their confidence intervals."""

    file: str
    indicator_id: str
    names: tuple[str, ...]


def read_els(
    path: Path, specs: list[ElsSpec]
) -> tuple[pd.DataFrame, list[Problem], dict[str, Any]]:
    """Rows of an ONS Explore Local Statistics tidy CSV for English councils, and its metadata.

    ``observation`` is the value, ``lci_95``/``uci_95`` the 95% interval, ``status`` an official
    marker (x, u, ...) where the observation is blank.
    """
    df = read_csv_text(path)
    require_columns(df, ["areacd", "indicator", "period", "observation", "status"], path.name)
    df["_row"] = np.arange(len(df)) + 2
    df = df[df["areacd"].str.match(AREA_CODE)]
    meta: dict[str, Any] = {}
    jpath = path.with_suffix(".json")
    if jpath.exists():
        try:
            meta = json.loads(jpath.read_text(encoding="utf-8-sig")).get("ess-beta-metadata", {})
        except json.JSONDecodeError:
            meta = {}
    out, problems = [], []
    for spec in specs:
        sub = df[df["indicator"].isin(spec.names)]
        if sub.empty:
            continue
        val = parse_numbers(
            sub["observation"], file=path.name, column="observation", rows=sub["_row"]
        )
        problems += val.problems
        st = val.status.to_numpy(dtype=object).copy()
        file_status = sub["status"].to_numpy()
        for i, s in enumerate(file_status):
            if st[i] and s:  # the file's own marker explains the blank
                st[i] = marker_status(s) or "missing"
        lci = uci = np.nan
        if "lci_95" in sub and len(spec.names) == 1:
            lci = parse_numbers(
                sub["lci_95"], file=path.name, column="lci_95", rows=sub["_row"]
            ).values
            uci = parse_numbers(
                sub["uci_95"], file=path.name, column="uci_95", rows=sub["_row"]
            ).values
        part = _long(
            sub["areacd"],
            spec.indicator_id,
            sub["period"].map(els_period),
            val.values,
            st,
            lci,
            uci,
        )
        if len(spec.names) > 1:
            part = (
                part.groupby(["code", "indicator_id", "period"], as_index=False)
                .agg(
                    value=("value", lambda v: v.mean() if v.notna().all() else np.nan),
                    status=("status", lambda s: next((x for x in s if x), "")),
                )
                .assign(lower_ci=np.nan, upper_ci=np.nan)[LONG_COLUMNS]
            )
        out.append(part)
    return (pd.concat(out, ignore_index=True) if out else empty_long()), problems, meta


# --- DfE Explore Education Statistics ----------------------------------------------------------
def read_dfe(
    path: Path,
    indicator_id: str,
    value_column: str,
    filters: dict[str, str] | None = None,
    *,
    code_column: str = "new_la_code",
) -> tuple[pd.DataFrame, list[Problem]]:
    """One measure from a DfE tidy CSV (local-authority rows, and England's national row as code
    E92000001; ``z`` not applicable, ``c``/``low`` suppressed, ``x`` missing)."""
    df = read_csv_text(path)
    require_columns(
        df,
        ["time_period", "geographic_level", code_column, value_column, *(filters or {})],
        path.name,
    )
    df["_row"] = np.arange(len(df)) + 2
    national = df["geographic_level"] == "National"
    if "country_code" in df.columns:  # England's row: its code is in country_code
        national &= df["country_code"] == "E92000001"
        df.loc[national, code_column] = "E92000001"
    else:
        national &= False
    df = df[
        ((df["geographic_level"] == "Local authority") & df[code_column].str.match(LA_CODE))
        | national
    ]
    for col, want in (filters or {}).items():
        df = df[df[col] == want]
    if df.empty:
        raise BundleError(path.name, f"no local-authority rows for {filters}", column=value_column)
    p = parse_numbers(df[value_column], file=path.name, column=value_column, rows=df["_row"])
    return _long(
        df[code_column], indicator_id, df["time_period"].map(dfe_period), p.values, p.status
    ), p.problems


def read_cin_rate(b1: Path, cla: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Children in need at 31 March per 10,000 children: b1 ``At31_episodes`` divided by the
    under-18 population estimate DfE publishes alongside the looked-after rates (same year)."""
    cin, probs = read_dfe(b1, "cin", "At31_episodes")
    pop, probs2 = read_dfe(
        cla,
        "pop",
        "population_estimate",
        {"population_type": "Children looked after on 31 March each year"},
    )
    m = cin.merge(
        pop[["code", "period", "value", "status"]], on=["code", "period"], suffixes=("", "_pop")
    )
    rate = m["value"] / m["value_pop"] * 10_000
    status = np.where(
        rate.notna(),
        "",
        np.where(m["status"] != "", m["status"], m["status_pop"].replace("", "missing")),
    )
    return _long(m["code"], "cin_rate_per_10k", m["period"], rate, status), probs + probs2


# --- Oflog adult social care -------------------------------------------------------------------
def read_oflog(path: Path, codes: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Oflog adult social care metrics: measure ``Code`` (ASC1...) -> indicator id."""
    df = read_csv_text(path)
    require_columns(df, ["Financial year", "Local authority code", "Code", "Value"], path.name)
    df["_row"] = np.arange(len(df)) + 2
    df = df[df["Code"].isin(codes) & df["Local authority code"].str.match(LA_CODE)]
    p = parse_numbers(df["Value"], file=path.name, column="Value", rows=df["_row"])
    return (
        _long(
            df["Local authority code"],
            df["Code"].map(codes),
            df["Financial year"],
            p.values,
            p.status,
        ),
        p.problems,
    )


# --- OHID Fingertips -----------------------------------------------------------------------------
def read_fingertips(path: Path, indicator_id: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A Fingertips export (persons, no category breakdown) with its 95% interval.

    Values Fingertips itself copied from a predecessor or combined with a neighbour (its value
    note says "applied to" or "combined") get status ``estimated``; a blank value is suppressed.
    """
    df = read_csv_text(path)
    cols = [
        "Area Code",
        "Area Type",
        "Sex",
        "Category Type",
        "Time period",
        "Value",
        "Lower CI 95.0 limit",
        "Upper CI 95.0 limit",
        "Value note",
    ]
    require_columns(df, cols, path.name)
    df["_row"] = np.arange(len(df)) + 2
    df = df[
        df["Area Code"].str.match(AREA_CODE)
        & (df["Sex"] == "Persons")
        & (df["Category Type"] == "")
    ]
    v = parse_numbers(df["Value"], file=path.name, column="Value", rows=df["_row"])
    lo = parse_numbers(
        df["Lower CI 95.0 limit"], file=path.name, column="Lower CI 95.0 limit", rows=df["_row"]
    )
    hi = parse_numbers(
        df["Upper CI 95.0 limit"], file=path.name, column="Upper CI 95.0 limit", rows=df["_row"]
    )
    note = df["Value note"].str.lower()
    status = np.where(
        v.values.isna().to_numpy(),
        np.where(note.str.contains("suppress|not presented").to_numpy(), "suppressed", "missing"),
        np.where(note.str.contains("applied to|combined").to_numpy(), "estimated", ""),
    )
    period = df["Time period"].str.replace("/", "-", regex=False)
    return _long(
        df["Area Code"], indicator_id, period, v.values, status, lo.values, hi.values
    ), v.problems


# --- Ofsted ILACS --------------------------------------------------------------------------------
def month_of(raw: Any) -> str:
    """'February 2022' for a date cell ('' when it is not a date)."""
    when = pd.to_datetime(raw, errors="coerce", dayfirst=True) if not pd.isna(raw) else pd.NaT
    return "" if pd.isna(when) else when.strftime("%B %Y")


def read_ofsted(
    path: Path, columns: dict[str, str], period: str, date_column: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Latest ILACS judgements (sheet 'Inspections_as_at_31_March'), graded 1 outstanding ..
    4 inadequate by the words of ordinals.yaml. ``columns`` maps a judgement column (prefix,
    case-insensitive) to an id. With ``date_column`` (the inspection date), each row's ``note``
    says when the place was inspected ('inspected February 2022'): the period is the date the
    file is as at, not the date of the judgement."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    except Exception as exc:
        raise BundleError(path.name, f"cannot be read as a spreadsheet ({exc})") from exc
    name = next((n for n in sheets if n.lower().startswith("inspections_as_at")), None)
    if name is None:
        raise BundleError(path.name, "no 'Inspections_as_at_31_March' sheet")
    grid = sheets[name]
    h = find_header_row(grid, "Local authority area code", path.name)
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = head
    codes = body["Local authority area code"].astype(str).str.strip()
    keep = codes.str.match(LA_CODE)
    out: list[pd.DataFrame] = []
    problems: list[Problem] = []
    dates = [""] * len(body)
    if date_column is not None:
        require_columns(body, [date_column], path.name)
        for i in np.flatnonzero(keep.to_numpy()):
            raw = body[date_column].iloc[i]
            dates[i] = month_of(raw)
            if not dates[i] and not pd.isna(raw) and str(raw).strip():
                problems.append(Problem(path.name, int(i + h + 2), date_column, str(raw)))
    for prefix, ind in columns.items():
        col = next((c for c in head if c.lower().startswith(prefix.lower())), None)
        if col is None:
            continue
        grades = ordinal_scale(ind)
        vals, status, notes = [], [], []
        for i in np.flatnonzero(keep.to_numpy()):
            raw = body[col].iloc[i]
            text = "" if pd.isna(raw) else str(raw).strip().lower()
            grade = grades.grade_of(text) if grades is not None and text else None
            if grade is None and text:
                problems.append(Problem(path.name, int(i + h + 2), col, str(raw)))
            vals.append(np.nan if grade is None else float(grade))
            status.append("" if grade is not None else ("missing" if text else "not_applicable"))
            when = dates[i]
            if not when:
                notes.append("")
            elif grade is not None:
                notes.append(f"inspected {when}")
            else:
                notes.append(f"not judged at the {when} inspection")
        df = _long(codes[keep], ind, period, vals, status)
        df["note"] = notes
        out.append(df)
    return (pd.concat(out, ignore_index=True) if out else empty_long()), problems


# --- MHCLG Indices of Deprivation ----------------------------------------------------------------
def read_iod2025(path: Path, columns: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """IoD2025 local authority (lower-tier) summaries: ``columns`` maps a column to an id."""
    df = read_csv_text(path)
    require_columns(df, ["ltla24_code", *columns], path.name)
    df["_row"] = np.arange(len(df)) + 2
    df = df[df["ltla24_code"].str.match(LA_CODE)]
    out, problems = [], []
    for col, ind in columns.items():
        p = parse_numbers(df[col], file=path.name, column=col, rows=df["_row"], strict=True)
        out.append(_long(df["ltla24_code"], ind, "2025", p.values, p.status))
    return pd.concat(out, ignore_index=True), problems


def read_iod2019_sheet(
    path: Path, sheet: str, indicator_id: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """'<domain> - Average score' from a sheet of IoD2019 File 10 (lower) or File 11 (upper)."""
    try:
        grid = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    except ValueError as exc:
        raise BundleError(path.name, f"no sheet '{sheet}'") from exc
    h = 0  # the published sheets have their header on the first row
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    score = next((c for c in head if c.lower().endswith("average score")), None)
    if score is None or "code" not in head[0].lower():
        raise BundleError(
            path.name, f"sheet '{sheet}' has no code and 'Average score' columns", row=1
        )
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = head
    codes = body[head[0]].astype(str).str.strip()
    keep = codes.str.match(LA_CODE)
    rows = pd.Series(range(len(body))) + h + 2
    p = parse_numbers(body.loc[keep, score], file=path.name, column=score, rows=rows[keep])
    return _long(codes[keep], indicator_id, "2019", p.values, p.status), p.problems
