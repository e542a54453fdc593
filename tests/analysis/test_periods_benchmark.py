"""Period matching, polarity-aware judgements, number formatting and view round trips."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.analysis.benchmark import judge
from dashboard.analysis.methods import benchmark_settings
from dashboard.analysis.periods import latest_period_up_to, period_end_year
from dashboard.export.tables import neutralise
from dashboard.formatting import format_difference, format_value
from dashboard.view import View, group_codes, resolve_view
from tests.bundle.conftest import make_bundle

S = benchmark_settings()
GROUP = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0])  # median 13, MAD 2


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2024-25", 2025),
        ("2023", 2023),
        ("2021-2023", 2023),
        ("2023/24", 2024),
        ("1999-00", 2000),
        ("n/a", None),
    ],
)
def test_period_end_year(period: str, end: int | None) -> None:
    assert period_end_year(period) == end


def test_latest_period_up_to_picks_the_most_recent_that_has_ended() -> None:
    periods = ["2021", "2022", "2023", "2024", "2025"]
    assert latest_period_up_to(periods, "2023-24") == "2024"
    assert latest_period_up_to(["2019-20", "2022-23", "2023-24"], "2022-23") == "2022-23"
    assert latest_period_up_to(["2026"], "2022-23") == "2026"  # nothing earlier: show what exists
    assert latest_period_up_to([], "2022-23") is None


@pytest.mark.parametrize(
    ("value", "polarity", "verdict"),
    [
        (20.0, "higher_is_better", "better"),
        (20.0, "lower_is_better", "worse"),
        (6.0, "higher_is_better", "worse"),
        (6.0, "lower_is_better", "better"),
        (14.0, "higher_is_better", "similar"),
        (20.0, "neutral", "higher"),
        (6.0, "neutral", "lower"),
    ],
)
def test_mad_rule_respects_polarity(value: float, polarity: str, verdict: str) -> None:
    j = judge(value, GROUP, polarity, S)
    assert j.verdict == verdict and j.benchmark == 13.0 and j.n == 7
    assert "median absolute deviation" in j.method


def test_confidence_interval_rule_beats_distance() -> None:
    # far from the median but the interval includes it: similar
    assert judge(20.0, GROUP, "higher_is_better", S, 12.0, 28.0).verdict == "similar"
    # close to the median but the interval excludes it: judged
    assert judge(13.5, GROUP, "higher_is_better", S, 13.2, 13.8).verdict == "better"
    assert judge(12.5, GROUP, "lower_is_better", S, 12.2, 12.8).verdict == "better"
    assert "confidence interval" in judge(13.5, GROUP, "neutral", S, 13.2, 13.8).method


def test_no_judgement_without_value_or_group() -> None:
    assert judge(math.nan, GROUP, "higher_is_better", S).verdict == ""
    assert judge(5.0, np.array([1.0, math.nan]), "higher_is_better", S).verdict == ""


def test_formatting_carries_units() -> None:
    assert format_value(1234.4, "gbp_per_head") == "£1,234 per head"
    assert format_value(-50.0, "gbp_per_head", signed=True) == "-£50 per head"
    assert format_value(12.345, "percent") == "12.3%"
    assert format_value(math.nan, "percent") == "no value"
    assert format_difference(2.04, "percent") == "+2.0 pts"
    assert format_value(64.3, "years") == "64.3 years"


def test_neutralise_spreadsheet_formulas() -> None:
    import pandas as pd

    df = pd.DataFrame({"name": ["=HYPERLINK(1)", "+1", "Safe", "@x"], "n": [1, 2, 3, 4]})
    out = neutralise(df)
    assert out["name"].tolist() == ["'=HYPERLINK(1)", "'+1", "Safe", "'@x"]
    assert out["n"].tolist() == [1, 2, 3, 4]


def test_view_round_trips_through_the_query_string() -> None:
    b = make_bundle()
    view = View("tiny", "lower", "D2", "custom", "2024-25", ("D1", "M1"))
    back, notes = resolve_view(view.to_query(), {"tiny": b}, "tiny")
    assert back == view and notes == []


def test_bad_query_values_fall_back_with_a_note() -> None:
    b = make_bundle()
    back, notes = resolve_view(
        {"dataset": "tiny", "level": "upper", "place": "D1", "period": "1066"}, {"tiny": b}, "tiny"
    )
    assert back.place == "U1" and back.period == "2024-25"
    assert len(notes) == 2 and "D1" in notes[0]


def test_groups_exclude_the_place_and_respect_the_level() -> None:
    b = make_bundle()
    v = View("tiny", "lower", "D1", "england", "2024-25")
    assert group_codes(b, v) == [c for c in b.place_codes("lower") if c != "D1"]
    assert "C1" not in group_codes(b, v)
    assert group_codes(b, View("tiny", "lower", "D1", "kind", "2024-25")) == ["D2"]
