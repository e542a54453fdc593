"""Denominators of rates per person: which mid-year population estimate a period divides by, and
the persons of an age group in one year of population.parquet.

A financial year ``YYYY-YY`` uses the estimate for mid-``YYYY`` (its first summer); a calendar
year ``YYYY`` uses mid-``YYYY``. When that year is not in the data the nearest year is used (the
earlier one on a tie) and the caller says so. Persons are counts of people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from dashboard.bundle.schema import AGE_BANDS, ALL_AGES

#: Age groups a rate can divide by: group id -> the age bands of population.parquet it sums.
GROUPS: dict[str, tuple[str, ...]] = {
    "residents": AGE_BANDS,
    "children_0_17": ("0-4", "5-17"),
    "residents_65_plus": ("65-74", "75-84", "85+"),
}
#: The group in words, as the Data page and indicator definitions state it.
GROUP_WORDS: dict[str, str] = {
    "residents": "residents of all ages",
    "children_0_17": "children aged 0 to 17",
    "residents_65_plus": "residents aged 65 and over",
}

#: The group a money-per-person unit divides by.
UNIT_GROUP: dict[str, str] = {
    "gbp_per_head": "residents",
    "gbp_per_child": "children_0_17",
    "gbp_per_person_65_plus": "residents_65_plus",
}

_PERIOD = re.compile(r"^(\d{4})(?:[-/](\d{2}|\d{4}))?$")


def mid_year(period: str) -> int | None:
    """The mid-year estimate a period matches: '2023-24' -> 2023, '2022' -> 2022, else None."""
    m = _PERIOD.match(str(period).strip())
    return int(m.group(1)) if m else None


def nearest_year(want: int, years: Iterable[int]) -> int | None:
    """``want`` if present, else the nearest of ``years`` (the earlier on a tie); None if empty."""
    have = sorted({int(y) for y in years})
    if not have:
        return None
    return min(have, key=lambda y: (abs(y - want), y))


def years_with(population: pd.DataFrame | None, group: str = "residents") -> list[int]:
    """Years of ``population`` (population.parquet) that give the persons of ``group``: every year
    for all residents, only years with age bands for an age group."""
    if population is None or population.empty:
        return []
    rows = population
    if group != "residents":
        rows = population[population["age_band"].isin(GROUPS[group])]
    return sorted({int(y) for y in rows["year"]})


def persons(population: pd.DataFrame | None, year: int, group: str = "residents") -> pd.Series:
    """Persons of ``group`` per place (index ``place_code``) in ``year``; empty when the year (or,
    for an age group, the year's age bands) is not in ``population``."""
    if population is None or population.empty:
        return pd.Series(dtype=float, name="persons")
    rows = population[population["year"].astype(int) == int(year)]
    bands = GROUPS[group]
    if group == "residents":
        rows = rows[rows["age_band"].isin((*bands, ALL_AGES))]
    else:
        rows = rows[rows["age_band"].isin(bands)]
    out = rows.groupby("place_code")["persons"].sum(min_count=1).astype(float)
    out.index.name = "place_code"
    return out.rename("persons")


def matching_text(
    group: str,
    pairs: Sequence[tuple[str, int]],
    remarks: Mapping[str, str] | None = None,
    estimate: str = "ONS mid-year estimate",
) -> str:
    """The denominator in words for the periods of an indicator and the years they used, e.g.
    "residents of all ages, ONS mid-year estimate of the matching year (mid-2023 for 2023-24,
    mid-2024 for 2024-25)"; a period that used another year says so, and ``remarks`` (period ->
    words) adds where a period's figure came from; ``estimate`` names the population used."""
    parts = []
    for period, year in pairs:
        want = mid_year(period)
        text = f"mid-{year} for {period}"
        if want is not None and want != year:
            text += f" (no mid-{want} estimate: nearest year used)"
        if remarks and period in remarks:
            text += f" ({remarks[period]})"
        parts.append(text)
    lead = f"{GROUP_WORDS[group]}, {estimate} of the matching year"
    return f"{lead} ({', '.join(parts)})" if parts else lead
