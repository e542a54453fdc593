"""The GDP deflator by financial year, for real terms: readers of the ONS YBGB download
(quarterly, calendar) and the HM Treasury "GDP deflators at market prices" CSV (financial
years), and the builder step that writes deflators.csv and bundle.yaml ``deflator:``.

A financial year is the mean of its four quarters, April-June to January-March: 2024-25 is the
mean of 2024 Q2, Q3, Q4 and 2025 Q1 (a year lacking a quarter is left out). The HM Treasury
edition is an older vintage (outturn to 2022-23, its own reference year): it is only compared
with the ONS means in a build note, never mixed with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.sources.parsing import Problem, parse_numbers
from dashboard.sources.registry import SOURCE_BY_ID
from dashboard.sources.step import Files, StepOutput, StepResult
from dashboard.sources.tables import field_of, step_sources

_QUARTER = re.compile(r"^(\d{4}) Q([1-4])$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
#: Quarters in a financial year: Q2, Q3, Q4 of its first calendar year and Q1 of the next.
QUARTERS_PER_YEAR = 4


@dataclass(frozen=True)
class Deflator:
    """What the step builds: the index by financial year (``period``, ``index``), oldest
    first, and the bundle.yaml ``deflator:`` block."""

    frame: pd.DataFrame
    block: dict[str, Any]


def read_ons_quarters(path: Path) -> tuple[pd.Series, list[Problem]]:
    """The quarterly values of an ONS time-series CSV download (index ``"2024 Q2"``), with a
    problem for a quarter whose value is not a number (naming the file, line and column).
    The metadata lines and the annual and monthly values are skipped."""
    return _read_ons(path, _QUARTER)


def read_ons_years(path: Path) -> tuple[pd.Series, list[Problem]]:
    """The calendar-year values of an ONS time-series CSV download (index ``"2024"``)."""
    return _read_ons(path, _YEAR)


def _read_ons(path: Path, label: re.Pattern[str]) -> tuple[pd.Series, list[Problem]]:
    raw = pd.read_csv(
        path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig", usecols=[0, 1]
    )
    labels = raw[0].str.strip()
    is_q = labels.str.match(label.pattern)
    rows = pd.Series(np.flatnonzero(is_q.to_numpy()) + 1)  # no header: line = position + 1
    parsed = parse_numbers(raw.loc[is_q, 1], file=path, column="value", rows=rows)
    out = pd.Series(parsed.values.to_numpy(), index=labels[is_q].to_numpy(), dtype=float)
    return out, parsed.problems


def financial_year_means(quarters: pd.Series) -> pd.Series:
    """Financial-year means of quarterly values (index ``"2024-25"``): each the mean of Q2, Q3
    and Q4 of its first year and Q1 of the next, only where all four have a value."""
    sums: dict[int, list[float]] = {}
    for label, value in quarters.items():
        m = _QUARTER.match(str(label))
        if m is None or not np.isfinite(value):
            continue
        year, q = int(m.group(1)), int(m.group(2))
        start = year if q >= 2 else year - 1
        sums.setdefault(start, []).append(float(value))
    return pd.Series(
        {
            f"{y}-{(y + 1) % 100:02d}": float(np.mean(v))
            for y, v in sorted(sums.items())
            if len(v) == QUARTERS_PER_YEAR
        },
        dtype=float,
    )


def read_hmt_financial_years(path: Path) -> pd.Series:
    """The outturn financial-year index of an HM Treasury "GDP deflators at market prices"
    CSV (index ``"2022-23"``; the forecast rows, which carry no index, are left out)."""
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out: dict[str, float] = {}
    for _, rec in raw.iterrows():
        label, value = str(rec.iloc[1]).strip(), str(rec.iloc[2]).strip().replace(",", "")
        if _FINANCIAL_YEAR.match(label):
            try:
                out[label] = float(value)
            except ValueError:
                continue  # a forecast year ('-') or a footnote
    return pd.Series(out, dtype=float)


def _span(means: pd.Series, periods: list[str]) -> pd.Series:
    """The financial years from the bundle's first period to its last that the file covers."""
    fys = [p for p in periods if _FINANCIAL_YEAR.match(p)]
    if not fys:
        return means.iloc[0:0]
    lo, hi = min(fys), max(fys)  # "YYYY-YY" sorts as text in time order
    keep = [p for p in means.index if lo <= p <= hi]
    return means.loc[keep]


def cross_check(ons: pd.Series, hmt: pd.Series) -> tuple[int, float, str] | None:
    """The ONS means against the HM Treasury edition over the years both have, each rebased
    to the latest common year = 100: (years compared, the largest difference in index points,
    the year where it is). None when they share fewer than two years."""
    common = [p for p in ons.index if p in hmt.index]
    if len(common) < 2:
        return None
    ref = common[-1]
    diff = (ons[common] / ons[ref] - hmt[common] / hmt[ref]) * 100
    worst = str(diff.abs().idxmax())
    return len(common), float(diff[worst]), worst


def prices_step(files: Files, periods: list[str]) -> tuple[Deflator | None, StepResult]:
    """The GDP deflator of the bundle's financial years from the ONS file, and a note
    comparing it with the HM Treasury edition when that file is there too (no deflator, and
    a note, when the ONS file is missing or lacks the latest period)."""
    ons_id, hmt_id = step_sources("prices")
    out = StepOutput()
    ons_files, hmt_files = files.get(ons_id, []), files.get(hmt_id, [])
    if not ons_files:
        out.note("no_deflator")
        return None, out.result()
    path = ons_files[0]
    quarters, problems = read_ons_quarters(path)
    out.problems += problems
    out.used[ons_id] = [path.name]
    all_means = financial_year_means(quarters)
    means = _span(all_means, periods)
    latest = periods[-1] if periods else ""
    if latest not in means.index:
        out.note("deflator_short", latest=latest or "none", file=path.name)
        return None, out.result()
    src = SOURCE_BY_ID[ons_id]
    spec = field_of(ons_id, "deflator")
    years, more = read_ons_years(path)
    out.problems += more
    years = years[np.isfinite(years.to_numpy())]
    first, last = str(all_means.index[0]), str(means.index[-1])
    span = {
        "first": first,
        "last": last,
        "first_year": years.index[0],
        "last_year": years.index[-1],
    }
    block = {
        "series": str(spec["series"]),
        "label": str(spec["label"]),
        "base_period": last,
        "source": {
            "publisher": src.publisher,
            "title": src.title,
            "url": src.url,
            "licence": src.licence,
        },
        "note": str(spec["note"]).format(**span, file=path.name),
    }
    out.note("deflator_method", **span)
    if hmt_files:
        hmt_path = hmt_files[0]
        out.used[hmt_id] = [hmt_path.name]
        check = cross_check(means, read_hmt_financial_years(hmt_path))
        if check is not None:
            n, worst, year = check
            out.note("deflator_cross_check", years=n, worst=f"{worst:+.2f}", year=year)
    # every full financial year and calendar year of the file (trends reach back before the
    # bundle's periods; calendar-year money such as earnings uses the annual value)
    index = pd.concat([all_means, years])
    frame = pd.DataFrame({"period": list(index.index), "index": index.to_numpy().round(4)})
    return Deflator(frame, block), out.result()
