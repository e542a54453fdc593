"""Matching indicators published for different kinds of period to the period a user picked."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{4})")


def period_end_year(period: str) -> int | None:
    """Calendar year in which a period ends: '2024-25' -> 2025, '2023' -> 2023,
    '2021-2023' -> 2023, '2023/24' -> 2024; None when the text has no year."""
    text = str(period).strip()
    m = _RANGE.match(text)
    if m:
        start, end = m.group(1), m.group(2)
        if len(end) == 4:
            return int(end)
        year = int(start[:2] + end)
        return year + 100 if year < int(start) else year
    m = _YEAR.match(text)
    return int(m.group(1)) if m else None


def latest_period_up_to(periods: list[str], selected: str) -> str | None:
    """The most recent of ``periods`` that ends no later than ``selected`` ends.

    Falls back to the earliest period when every period ends later (so something is shown),
    and to None when ``periods`` is empty.
    """
    if not periods:
        return None
    limit = period_end_year(selected)
    keyed = sorted(((period_end_year(p) or 0, p) for p in periods), key=lambda t: (t[0], t[1]))
    if limit is None:
        return keyed[-1][1]
    eligible = [p for y, p in keyed if y <= limit]
    return eligible[-1] if eligible else keyed[0][1]


def period_note(value_period: str, chosen: str) -> str:
    """The period of a value as a reader needs it beside the chosen one: '' when they are the
    same, '2022-23, latest' when the value is older (the latest published up to the chosen
    period), '2025, the earliest published' when every published period is later."""
    if not value_period or value_period == chosen:
        return ""
    end, limit = period_end_year(value_period), period_end_year(chosen)
    if end is not None and limit is not None and end > limit:
        return f"{value_period}, the earliest published"
    return f"{value_period}, latest"
