"""ONS mid-year population estimates (MYE workbook): persons by single year of age, land area."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import AGE_BANDS
from dashboard.sources.parsing import (
    Problem,
    find_header_row,
    parse_numbers,
    read_csv_text,
    require_columns,
)

LA_CODE = r"^E(06|07|08|09|10)\d{6}$"
#: The rows read: English councils and England itself (E92000001, the published national total).
AREA_CODE = r"^(E(06|07|08|09|10)\d{6}|E92000001)$"


def _band_bounds(band: str) -> tuple[int, int]:
    if band.endswith("+"):
        return int(band[:-1]), 200
    lo, hi = band.split("-")
    return int(lo), int(hi)


def _sheet(sheets: dict[str, pd.DataFrame], want: str, file: str) -> pd.DataFrame:
    for name, grid in sheets.items():
        if name.strip().lower() == want.lower():
            return grid
    raise BundleError(file, f"no sheet '{want}' (sheets: {', '.join(sheets)})")


def _single_ages(
    body: pd.DataFrame, head: list[str], rows: pd.Series, file: str, header_row: int
) -> tuple[pd.DataFrame, list[Problem]]:
    """Persons by single year of age (columns 0..90, 90 = 90+) of the English council rows and
    England's own row (E92000001)."""
    codes = body["Code"].astype(str).str.strip()
    keep = codes.str.match(AREA_CODE)
    ages = {}
    problems: list[Problem] = []
    for col in head:
        label = col.replace(".0", "")
        age = 90 if label == "90+" else (int(label) if label.isdigit() else None)
        if age is None:
            continue
        p = parse_numbers(body.loc[keep, col], file=file, column=col, rows=rows[keep])
        problems += p.problems
        ages[age] = p.values.to_numpy()
    if len(ages) < 91:
        raise BundleError(file, "expected single-year-of-age columns 0..89 and 90+", row=header_row)
    return pd.DataFrame(ages, index=codes[keep].to_numpy()).sort_index(axis=1), problems


def read_mye(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, int, list[Problem]]:
    """Persons by single year of age for English councils and England (E92000001), and land
    area.

    Returns ``ages`` (index code; columns 0..90 where 90 means 90+, persons), ``area`` (index
    code; ``area_sq_km``, ``density``), the estimate's year (e.g. 2022) and any problems.
    """
    sheets = _workbook(path)
    grid = _sheet(sheets, "MYE2 - Persons", path.name)
    h = find_header_row(grid, "Code", path.name)
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = head
    year = _year_of(grid, path.name)
    rows = pd.Series(range(len(body))) + h + 2
    age_frame, problems = _single_ages(body, head, rows, path.name, h + 1)
    area = pd.DataFrame(columns=["area_sq_km", "density"], dtype=float)
    for name in sheets:
        if name.strip().upper() == "MYE5":
            g5 = sheets[name]
            h5 = find_header_row(g5, "Code", path.name)
            b5 = g5.iloc[h5 + 1 :].reset_index(drop=True)
            b5.columns = [str(c).strip() for c in g5.iloc[h5].tolist()]
            c5 = b5["Code"].astype(str).str.strip()
            k5 = c5.str.match(AREA_CODE)
            area_col = next((c for c in b5.columns if c.lower().startswith("area")), None)
            dens_col = next(
                (c for c in b5.columns if c.startswith(str(year)) and "per sq" in c.lower()), None
            )
            if area_col:
                r5 = pd.Series(range(len(b5))) + h5 + 2
                a = parse_numbers(
                    b5.loc[k5, area_col], file=path.name, column=area_col, rows=r5[k5]
                )
                d = (
                    parse_numbers(
                        b5.loc[k5, dens_col], file=path.name, column=dens_col, rows=r5[k5]
                    )
                    if dens_col
                    else None
                )
                area = pd.DataFrame(
                    {
                        "area_sq_km": a.values.to_numpy(),
                        "density": d.values.to_numpy() if d is not None else np.nan,
                    },
                    index=c5[k5].to_numpy(),
                )
    return age_frame, area, year, problems


def _workbook(path: Path) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    except Exception as exc:
        raise BundleError(path.name, f"cannot be read as a spreadsheet ({exc})") from exc


def read_mye_totals(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """All-ages persons of English councils (and England, E92000001) per year from an MYE4 summary sheet ("Mid-2011" ..
    "Mid-2023" columns): index code, one column per year (int). Empty without an MYE4 sheet."""
    sheets = _workbook(path)
    if not any(n.strip().upper() == "MYE4" for n in sheets):
        return pd.DataFrame(), []
    grid = _sheet(sheets, "MYE4", path.name)
    h = find_header_row(grid, "Code", path.name)
    head = [str(c).strip() for c in grid.iloc[h].tolist()]
    body = grid.iloc[h + 1 :].reset_index(drop=True)
    body.columns = head
    codes = body["Code"].astype(str).str.strip()
    keep = codes.str.match(AREA_CODE)
    rows = pd.Series(range(len(body))) + h + 2
    out, problems = {}, []
    for col in head:
        m = re.fullmatch(r"mid-(\d{4})", col, re.I)
        if not m:
            continue
        p = parse_numbers(body.loc[keep, col], file=path.name, column=col, rows=rows[keep])
        problems += p.problems
        out[int(m.group(1))] = p.values.to_numpy()
    if not out:
        raise BundleError(path.name, "MYE4 has no 'Mid-YYYY' columns", row=h + 1)
    return pd.DataFrame(out, index=codes[keep].to_numpy()).sort_index(axis=1), problems


def read_mye_csv(path: Path) -> tuple[pd.DataFrame, int, list[Problem]]:
    """Persons by single year of age from a CSV save of an MYE2 persons sheet (header in the
    first row; e.g. ONS mye24tablesew MYE2): ``ages`` as :func:`read_mye`, the year (from the ONS
    file name, mye24... -> 2024) and problems."""
    m = re.search(r"mye(\d{2})tables", path.name, re.I)
    if not m:
        raise BundleError(path.name, "cannot tell the year of the estimates from the file name")
    body = read_csv_text(path, encoding="utf-8-sig")
    body.columns = [str(c).strip() for c in body.columns]
    require_columns(body, ["Code", "Geography", "All ages"], path.name)
    rows = pd.Series(range(len(body))) + 2  # the header is row 1
    ages, problems = _single_ages(body, list(body.columns), rows, path.name, 1)
    return ages, 2000 + int(m.group(1)), problems


def _year_of(grid: pd.DataFrame, file: str) -> int:
    title = " ".join(str(v) for v in grid.iloc[:3, 0].tolist())
    m = re.search(r"mid-(20\d\d)", title, re.I)
    if not m:
        raise BundleError(file, "cannot tell the year of the estimates from the sheet title", row=1)
    return int(m.group(1))


def age_bands(ages: pd.DataFrame) -> pd.DataFrame:
    """Persons per age band of ``dashboard.bundle.schema.AGE_BANDS`` (index code)."""
    out = {}
    for band in AGE_BANDS:
        lo, hi = _band_bounds(band)
        cols = [a for a in ages.columns if lo <= a <= hi]
        # a band with a missing single year is missing, not an undercount
        out[band] = ages[cols].sum(axis=1, min_count=1).where(ages[cols].notna().all(axis=1))
    return pd.DataFrame(out)
