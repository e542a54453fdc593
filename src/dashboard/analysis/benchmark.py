"""Polarity-aware judgements against a comparison group (after Fingertips and Oflog)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dashboard.analysis.methods import BenchmarkSettings


@dataclass(frozen=True)
class Judgement:
    """How a value compares: ``verdict`` is better | worse | similar (polarity-aware), or
    higher | lower | similar for neutral indicators, or '' when no judgement can be made.
    ``method`` says how it was judged, in plain words."""

    verdict: str
    method: str
    benchmark: float
    n: int


def judge(
    value: float,
    group_values: np.ndarray | list[float],
    polarity: str,
    settings: BenchmarkSettings,
    lower_ci: float | None = None,
    upper_ci: float | None = None,
) -> Judgement:
    """Judge ``value`` against the median of ``group_values`` (NaN ignored)."""
    arr = np.asarray(group_values, dtype=float)
    arr = arr[~np.isnan(arr)]
    n = int(arr.size)
    if value is None or (isinstance(value, float) and math.isnan(value)) or n == 0:
        return Judgement("", "no value to compare", math.nan, n)
    median = float(np.median(arr))
    if n < settings.min_group_size.value:
        return Judgement("", f"group too small to judge (n={n})", median, n)
    has_ci = (
        lower_ci is not None
        and upper_ci is not None
        and not (math.isnan(lower_ci) or math.isnan(upper_ci))
    )
    if has_ci:
        if lower_ci > median:
            direction = "higher"
        elif upper_ci < median:
            direction = "lower"
        else:
            direction = "similar"
        method = (
            f"{settings.confidence_level.value:.0%} confidence interval against the group median"
        )
    else:
        mad = float(np.median(np.abs(arr - median))) * settings.mad_scale.value
        threshold = settings.mad_threshold.value
        if mad == 0:
            direction = "similar" if value == median else ("higher" if value > median else "lower")
        else:
            z = (value - median) / mad
            direction = "higher" if z > threshold else "lower" if z < -threshold else "similar"
        method = (
            f"more than {threshold:g} scaled median absolute deviation(s) from the group median"
        )
    return Judgement(_verdict(direction, polarity), method, median, n)


def _verdict(direction: str, polarity: str) -> str:
    if direction == "similar" or polarity == "neutral":
        return direction
    better = "higher" if polarity == "higher_is_better" else "lower"
    return "better" if direction == better else "worse"


def quintile(value: float, group_values: np.ndarray | list[float]) -> int | None:
    """Quintile (1 lowest to 5 highest) of ``value`` among itself and ``group_values`` (NaN
    ignored; ties take their average rank). None without a value or a group."""
    arr = np.asarray(group_values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if value is None or math.isnan(value) or arr.size == 0:
        return None
    n = arr.size + 1
    rank = 1 + np.sum(arr < value) + 0.5 * np.sum(arr == value)
    return int(min(5, max(1, math.ceil(5 * rank / n))))


def rank_in_group(
    value: float, group_values: np.ndarray | list[float], polarity: str
) -> tuple[int | None, int]:
    """Rank of ``value`` among itself and the group: 1 is the best (for neutral indicators,
    the highest). Returns (rank, places ranked); rank is None without a value."""
    arr = np.asarray(group_values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if value is None or math.isnan(value):
        return None, int(arr.size)
    ahead = np.sum(arr < value) if polarity == "lower_is_better" else np.sum(arr > value)
    return int(1 + ahead), int(arr.size + 1)
