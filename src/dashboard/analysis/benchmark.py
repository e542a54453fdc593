"""Polarity-aware judgements against a comparison group (after Fingertips and Oflog)."""

from __future__ import annotations

import math
from collections.abc import Sequence
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


# Whole-table versions: one row per indicator, the group's values across (NaN where a place has
# none). Each row gives exactly what the function above gives for that row's value and group
# (same median, quantiles and thresholds, to the last bit), without a call per indicator.


@dataclass(frozen=True)
class GroupRows:
    """A comparison group's values, one row per indicator: sorted ascending with the missing
    values last (``sorted``), the count of values per row (``n``) and the matrix as given."""

    values: np.ndarray
    sorted: np.ndarray
    n: np.ndarray

    @classmethod
    def of(cls, matrix: np.ndarray) -> GroupRows:
        """From a matrix of shape (rows, places), NaN where a place has no value."""
        m = np.asarray(matrix, dtype=float)
        return cls(m, np.sort(m, axis=1), np.sum(~np.isnan(m), axis=1))

    def _at(self, index: np.ndarray) -> np.ndarray:
        """Each row's sorted value at ``index`` (NaN where the row has no values)."""
        if self.sorted.shape[1] == 0:
            return np.full(len(self.n), np.nan)
        idx = np.clip(index, 0, self.sorted.shape[1] - 1)[:, None]
        got = np.take_along_axis(self.sorted, idx, axis=1)[:, 0]
        return np.where(self.n > 0, got, np.nan)

    def median(self) -> np.ndarray:
        """Each row's median, as ``np.median`` of its values (NaN for an empty row)."""
        half = self.n // 2
        upper = self._at(half)
        lower = self._at(half - 1)
        return np.where(self.n % 2 == 1, upper, (lower + upper) / 2)

    def quantiles(self, points: tuple[float, ...]) -> np.ndarray:
        """Each row's quantiles at ``points`` (shape rows × points), as ``np.quantile``'s
        linear method on the row's values (NaN for an empty row)."""
        out = np.empty((len(self.n), len(points)))
        last = self.n - 1
        for j, q in enumerate(points):
            virtual = last * q
            below = np.floor(virtual)
            above = virtual >= last
            prev = np.where(above, last, below).astype(np.intp)
            nxt = np.where(above, last, below + 1).astype(np.intp)
            gamma = np.where(above, 0.0, virtual - below)
            a, b = self._at(prev), self._at(nxt)
            diff = b - a
            out[:, j] = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
        return out


def judge_rows(
    values: np.ndarray,
    group: GroupRows,
    polarity: Sequence[str],
    settings: BenchmarkSettings,
    lower_ci: np.ndarray,
    upper_ci: np.ndarray,
) -> tuple[list[Judgement], np.ndarray]:
    """``judge`` for every row at once: each row's value against its group's values (CI
    bounds NaN where none); returns the judgements and the group medians."""
    values = np.asarray(values, dtype=float)
    median = group.median()
    deviation = GroupRows.of(np.abs(group.values - median[:, None])).median()
    mad = deviation * settings.mad_scale.value
    threshold = settings.mad_threshold.value
    has_ci = ~(np.isnan(lower_ci) | np.isnan(upper_ci))
    with np.errstate(all="ignore"):
        z = (values - median) / np.where(mad == 0, 1.0, mad)
    by_ci = np.where(lower_ci > median, 1, np.where(upper_ci < median, -1, 0))
    by_mad = np.where(
        mad == 0,
        np.sign(values - median),
        np.where(z > threshold, 1, np.where(z < -threshold, -1, 0)),
    )
    direction = np.where(has_ci, by_ci, by_mad)
    ci_method = (
        f"{settings.confidence_level.value:.0%} confidence interval against the group median"
    )
    mad_method = (
        f"more than {threshold:g} scaled median absolute deviation(s) from the group median"
    )
    words = {1: "higher", -1: "lower", 0: "similar"}
    out = []
    for k, n in enumerate(group.n.tolist()):
        if math.isnan(values[k]) or n == 0:
            out.append(Judgement("", "no value to compare", math.nan, n))
        elif n < settings.min_group_size.value:
            out.append(Judgement("", f"group too small to judge (n={n})", float(median[k]), n))
        else:
            verdict = _verdict(words[int(direction[k])], str(polarity[k]))
            method = ci_method if has_ci[k] else mad_method
            out.append(Judgement(verdict, method, float(median[k]), n))
    return out, median


def quintile_rows(values: np.ndarray, group: GroupRows) -> list[int | None]:
    """``quintile`` for every row at once."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        below = np.sum(group.values < values[:, None], axis=1)
        same = np.sum(group.values == values[:, None], axis=1)
    rank = 1 + below + 0.5 * same
    q = np.clip(np.ceil(5 * rank / (group.n + 1)), 1, 5)
    return [
        None if math.isnan(v) or n == 0 else int(x)
        for v, n, x in zip(values.tolist(), group.n.tolist(), q.tolist(), strict=True)
    ]


def rank_rows(
    values: np.ndarray, group: GroupRows, polarity: Sequence[str]
) -> tuple[list[int | None], list[int]]:
    """``rank_in_group`` for every row at once: (ranks, places ranked)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        lower = np.sum(group.values < values[:, None], axis=1)
        higher = np.sum(group.values > values[:, None], axis=1)
    ahead = np.where(np.asarray(polarity) == "lower_is_better", lower, higher)
    missing = np.isnan(values)
    ranks = [
        None if m else int(1 + a) for m, a in zip(missing.tolist(), ahead.tolist(), strict=True)
    ]
    ranked = [
        int(n) if m else int(n + 1) for m, n in zip(missing.tolist(), group.n.tolist(), strict=True)
    ]
    return ranks, ranked
