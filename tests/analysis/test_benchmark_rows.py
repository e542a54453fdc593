"""The whole-table judgements (one row per indicator) give, row by row, exactly what the
per-indicator functions give: the profile's verdicts, quintiles, ranks and group spreads
depend on it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.analysis.benchmark import (
    GroupRows,
    judge,
    judge_rows,
    quintile,
    quintile_rows,
    rank_in_group,
    rank_rows,
)
from dashboard.analysis.methods import benchmark_settings

POLARITIES = np.array(["higher_is_better", "lower_is_better", "neutral"], dtype=object)


def _rows(seed: int, rows: int = 400, width: int = 16) -> tuple[np.ndarray, ...]:
    """Groups with missing values, ties, constant rows (zero spread), empty and tiny rows,
    values with and without confidence intervals."""
    rng = np.random.default_rng(seed)
    g = rng.normal(50, 10, size=(rows, width)).round(rng.integers(0, 3))
    g[rng.random(g.shape) < 0.2] = np.nan
    g[rng.random(rows) < 0.1] = 7.0  # zero spread
    g[rng.random(rows) < 0.05] = np.nan  # no group
    few = rng.random(rows) < 0.1
    g[few, 2:] = np.nan  # groups too small to judge
    value = np.where(rng.random(rows) < 0.5, g[:, 0], rng.normal(50, 15, rows).round(1))
    value[rng.random(rows) < 0.05] = np.nan
    value[rng.random(rows) < 0.05] = 7.0
    half = rng.uniform(0, 8, rows)
    ci = rng.random(rows) < 0.4
    lo = np.where(ci, value - half, np.nan)
    hi = np.where(ci, value + half, np.nan)
    polarity = POLARITIES[rng.integers(0, 3, rows)]
    return g, value, lo, hi, polarity


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rows_match_the_per_indicator_judgement(seed: int) -> None:
    settings = benchmark_settings()
    g, value, lo, hi, polarity = _rows(seed)
    grp = GroupRows.of(g)
    judged, medians = judge_rows(value, grp, polarity, settings, lo, hi)
    ranks, ranked = rank_rows(value, grp, polarity)
    quints = quintile_rows(value, grp)
    verdicts = set()
    for k in range(len(value)):
        v = float(value[k])
        lo_k = None if math.isnan(lo[k]) else float(lo[k])
        hi_k = None if math.isnan(hi[k]) else float(hi[k])
        want = judge(v, g[k], polarity[k], settings, lo_k, hi_k)
        got = judged[k]
        assert (got.verdict, got.method, got.n) == (want.verdict, want.method, want.n), k
        assert got.benchmark == want.benchmark or (
            math.isnan(got.benchmark) and math.isnan(want.benchmark)
        ), k
        assert quints[k] == quintile(v, g[k]), k
        assert (ranks[k], ranked[k]) == rank_in_group(v, g[k], polarity[k]), k
        verdicts.add(want.verdict)
    # the random rows reach every outcome, so the comparison above covers each branch
    assert {"better", "worse", "similar", "higher", "lower", ""} <= verdicts
    assert np.isnan(medians[grp.n == 0]).all()


@pytest.mark.parametrize("seed", [4, 5])
def test_row_quantiles_and_medians_are_numpys_to_the_last_bit(seed: int) -> None:
    g, *_ = _rows(seed)
    grp = GroupRows.of(g)
    points = (0.0, 0.25, 0.5, 0.75, 1.0)
    qs = grp.quantiles(points)
    med = grp.median()
    for k in range(len(g)):
        row = g[k][~np.isnan(g[k])]
        if row.size == 0:
            assert np.isnan(qs[k]).all() and math.isnan(med[k])
            continue
        np.testing.assert_array_equal(qs[k], np.quantile(row, points))
        assert med[k] == np.median(row)


def test_a_group_with_no_places_has_no_spread_and_no_judgement() -> None:
    settings = benchmark_settings()
    grp = GroupRows.of(np.empty((3, 0)))
    value = np.array([1.0, np.nan, 3.0])
    none = np.full(3, np.nan)
    judged, _ = judge_rows(value, grp, POLARITIES, settings, none, none)
    assert [j.method for j in judged] == ["no value to compare"] * 3
    assert np.isnan(grp.quantiles((0.0, 0.5, 1.0))).all()
    assert quintile_rows(value, grp) == [None, None, None]
    assert rank_rows(value, grp, POLARITIES) == ([1, None, 1], [1, 0, 1])
