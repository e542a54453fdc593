"""MHCLG H-CLIC homelessness (statutory homelessness detailed local authority tables).

One file per quarter. The counts read (households assessed as owed a prevention or relief duty,
prevention and relief duties ended, and those ended with accommodation secured) are listed with
their sheet and column position under ``counts`` of the ``hclic`` source in
data/catalogue/england_sources.yaml: the multi-row header is parsed by position, with a check
that the header words are where the table says. ``..`` (no data from the authority that quarter)
is missing, never zero. A financial year sums its four quarters; a year with a quarter missing
is missing, and the places concerned are named in a data note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle import BundleError
from dashboard.sources.parsing import Problem, parse_numbers

#: Quarter-end month in a file name (``..._202306...``) -> (quarter of the financial year, offset
#: of the financial year's first calendar year from the file's year).
_QUARTER_OF_MONTH = {6: (1, 0), 9: (2, 0), 12: (3, 0), 3: (4, -1)}
_STAMP = re.compile(r"(20\d\d)(0[369]|12)")
#: Rows read: councils (E06-E09) and England's published total (E92000001).
_CODE = re.compile(r"^(E0[6-9]\d{6}|E92000001)$")


@dataclass(frozen=True)
class Quarter:
    """One quarter's counts: ``counts`` has one row per council (index: ONS code) and one column
    per measure (households; ``households_000s`` in thousands), NaN where the file has ``..``."""

    file: str
    period: str  # financial year, e.g. "2023-24"
    quarter: int  # 1 (April to June) .. 4 (January to March)
    counts: pd.DataFrame


def quarter_of(path: Path) -> tuple[str, int]:
    """The financial year ("2023-24") and quarter (1-4) of a file, from the YYYYMM in its name."""
    m = _STAMP.search(path.name)
    if not m:
        raise BundleError(path.name, "no quarter (YYYYMM, month 03/06/09/12) in the file name")
    year, month = int(m.group(1)), int(m.group(2))
    q, offset = _QUARTER_OF_MONTH[month]
    start = year + offset
    return f"{start}-{(start + 1) % 100:02d}", q


def _header(grid: pd.DataFrame, first_data: int, col: int) -> str:
    cells = grid.iloc[:first_data, col].dropna().astype(str)
    return re.sub(r"\s+", " ", " ".join(cells)).lower()


def read_hclic_quarter(path: Path, counts: list[dict[str, Any]]) -> tuple[Quarter, list[Problem]]:
    """The counts of one H-CLIC quarterly file (``counts``: the yaml's measure, sheet, column,
    header). Raises BundleError naming the file, sheet and column when the layout has moved."""
    period, q = quarter_of(path)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a BundleError
        raise BundleError(path.name, f"not a readable spreadsheet ({exc})") from exc
    sheets: dict[str, pd.DataFrame] = {}
    out: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for item in counts:
        sheet = str(item["sheet"])
        if sheet not in sheets:
            if sheet not in book.sheet_names:
                raise BundleError(path.name, f"no sheet '{sheet}'")
            sheets[sheet] = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
        grid = sheets[sheet]
        codes = grid[0].astype(str).str.strip()
        first = (
            int(np.flatnonzero(codes.str.match(r"^E\d{8}$"))[0])
            if codes.str.match(r"^E\d{8}$").any()
            else None
        )
        if first is None:
            raise BundleError(path.name, f"sheet {sheet}: no row with an ONS code in column A")
        want = str(item["header"]).lower()
        if "column" in item:
            col = int(item["column"])
            if col >= grid.shape[1] or want not in _header(grid, first, col):
                raise BundleError(
                    path.name,
                    f"sheet {sheet}: the header of column {col + 1} does not say '{want}' "
                    "(the table's layout has changed)",
                    column=str(item["measure"]),
                )
        else:
            hits = [c for c in range(grid.shape[1]) if want in _header(grid, first, c)]
            if not hits:
                raise BundleError(
                    path.name, f"sheet {sheet}: no column headed '{want}'", column=item["measure"]
                )
            col = hits[0]
        rows = codes.str.match(_CODE.pattern)
        parsed = parse_numbers(
            grid.loc[rows, col],
            file=path.name,
            column=f"{sheet} {item['measure']}",
            rows=pd.Series(np.flatnonzero(rows.to_numpy()) + 1),
        )
        problems += parsed.problems
        out[str(item["measure"])] = pd.Series(
            parsed.values.to_numpy(), index=codes[rows].to_numpy()
        )
    frame = pd.DataFrame(out)
    frame = frame[~frame.index.duplicated()]
    frame.index.name = "code"
    return Quarter(path.name, period, q, frame), problems


@dataclass(frozen=True)
class Year:
    """Counts summed over the four quarters of one financial year (index: ONS code). A council
    with a quarter missing for a measure has NaN there; ``gaps`` maps each such code to the
    quarters (1-4) it lacks, and ``quarters`` lists the quarters found."""

    period: str
    counts: pd.DataFrame
    gaps: dict[str, list[int]]
    quarters: tuple[int, ...]


def sum_years(quarters: list[Quarter]) -> list[Year]:
    """Each financial year's sums; a year without all four quarters' files gives no values."""
    out = []
    for period in sorted({q.period for q in quarters}):
        qs = sorted((q for q in quarters if q.period == period), key=lambda q: q.quarter)
        found = tuple(q.quarter for q in qs)
        codes = sorted(set().union(*(set(q.counts.index) for q in qs)))
        stack = [q.counts.reindex(codes) for q in qs]
        counts_ = sum(s.drop(columns="households_000s", errors="ignore") for s in stack)
        # sum() of NaN frames keeps NaN: a quarter missing anywhere leaves the year missing
        gaps: dict[str, list[int]] = {}
        for q, s in zip(qs, stack, strict=True):
            for code in s.index[
                s.drop(columns="households_000s", errors="ignore").isna().any(axis=1)
            ]:
                gaps.setdefault(str(code), []).append(q.quarter)
        if len(set(found)) < 4:
            counts_ = counts_ * np.nan
        if "households_000s" in qs[-1].counts.columns:
            counts_["households_000s"] = stack[-1]["households_000s"]
        out.append(Year(period, counts_, gaps, found))
    return out


def to_counties(counts: pd.DataFrame, county_of: dict[str, str]) -> pd.DataFrame:
    """Counts of the counties (E10) as the sums of their districts' counts; a county with a
    district missing a count is missing that count."""
    rows = {}
    for county in sorted(set(county_of.values())):
        ds = [d for d, c in county_of.items() if c == county]
        part = counts.reindex(ds)
        rows[county] = part.sum(min_count=len(ds)) if len(ds) else part.sum()
    return pd.DataFrame(rows).T if rows else counts.iloc[0:0]


def ratio(counts: pd.DataFrame, numerator: str, denominator: str, scale: float) -> pd.Series:
    """numerator / denominator * scale, NaN where either is missing or the denominator is 0."""
    den = counts[denominator].where(counts[denominator] > 0)
    return counts[numerator] / den * scale
