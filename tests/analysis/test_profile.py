"""The place profile and each judgement rule, on small hand-made data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.benchmark import judge, quintile, rank_in_group
from dashboard.analysis.matrix import latest_matrix
from dashboard.analysis.methods import benchmark_settings
from dashboard.analysis.profile import (
    EXPORT_COLUMNS,
    export_table,
    has_detail,
    level_values,
    method_text,
    profile_table,
    spend_by_service,
    spine_rows,
    trend_table,
    verdict_counts,
)
from dashboard.analysis.summary import values_at
from dashboard.bundle import Bundle

S = benchmark_settings()
GROUP = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0])  # median 13, scaled MAD 2.97
SOURCE = {"publisher": "Pub", "title": "Set", "url": "https://example.invalid", "licence": "OGL"}


# --- each judgement rule -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "lo", "hi", "polarity", "verdict"),
    [
        # with intervals: the interval, not the distance, decides
        (13.5, 13.2, 13.8, "higher_is_better", "better"),
        (13.5, 13.2, 13.8, "lower_is_better", "worse"),
        (12.5, 12.2, 12.8, "higher_is_better", "worse"),
        (12.5, 12.2, 12.8, "lower_is_better", "better"),
        (20.0, 12.0, 28.0, "higher_is_better", "similar"),
        (20.0, 12.0, 28.0, "lower_is_better", "similar"),
        # without intervals: distance from the median in scaled MADs
        (20.0, None, None, "higher_is_better", "better"),
        (20.0, None, None, "lower_is_better", "worse"),
        (6.0, None, None, "higher_is_better", "worse"),
        (6.0, None, None, "lower_is_better", "better"),
        (14.0, None, None, "higher_is_better", "similar"),
        (14.0, None, None, "lower_is_better", "similar"),
    ],
)
def test_each_rule_and_polarity(
    value: float, lo: float | None, hi: float | None, polarity: str, verdict: str
) -> None:
    j = judge(value, GROUP, polarity, S, lo, hi)
    assert j.verdict == verdict
    assert ("confidence interval" in j.method) == (lo is not None)


def test_neutral_gets_a_quintile_not_a_verdict() -> None:
    group = np.arange(1.0, 10.0)  # 9 others + the place = 10 places, 2 per quintile
    assert quintile(0.0, group) == 1 and quintile(100.0, group) == 5
    assert quintile(5.5, group) == 3
    assert [quintile(v, group) for v in (0.5, 2.5, 4.5, 6.5, 8.5)] == [1, 2, 3, 4, 5]
    assert quintile(math.nan, group) is None and quintile(1.0, []) is None


def test_rank_follows_polarity() -> None:
    assert rank_in_group(16.5, GROUP, "higher_is_better") == (1, 8)
    assert rank_in_group(16.5, GROUP, "lower_is_better") == (8, 8)
    assert rank_in_group(9.0, GROUP, "lower_is_better") == (1, 8)
    assert rank_in_group(16.5, GROUP, "neutral") == (1, 8)  # neutral: 1 = highest
    assert rank_in_group(math.nan, GROUP, "neutral")[0] is None


# --- the profile table on a hand-made bundle -------------------------------------------------------
def indicator(id_: str, kind: str, service: str, polarity: str, unit: str = "percent") -> dict:
    return {
        "id": id_,
        "label": id_.replace("_", " "),
        "kind": kind,
        "service": service,
        "unit": unit,
        "polarity": polarity,
        "levels": ("upper",),
        "definition": "d",
        **{f"source_{k}": v for k, v in SOURCE.items()},
    }


def profile_bundle() -> Bundle:
    """Ten unitaries U0..U9 (U0 is 'my' place) and a district that is not at the upper tier."""
    codes = [f"U{i}" for i in range(10)]
    places = pd.DataFrame(
        {
            "code": [*codes, "D1"],
            "name": [f"Place {c}" for c in codes] + ["District"],
            "kind": ["unitary"] * 10 + ["district"],
            "region_code": ["R1"] * 5 + ["R2"] * 5 + ["R1"],
            "region_name": ["One"] * 5 + ["Two"] * 5 + ["One"],
            "county_code": [""] * 11,
        }
    )
    indicators = pd.DataFrame(
        [
            indicator("good_up", "outcome", "public_health", "higher_is_better"),
            indicator("good_down", "outcome", "education", "lower_is_better"),
            indicator(
                "spend_asc_per_head", "spend", "adult_social_care", "neutral", "gbp_per_head"
            ),
            indicator("spend_total_per_head", "spend", "all", "neutral", "gbp_per_head"),
            indicator(
                "spend_asc_carers_per_head", "spend", "adult_social_care", "neutral", "gbp_per_head"
            ),
            indicator("spend_asc_gbp", "spend", "adult_social_care", "neutral", "gbp"),
        ]
    )
    recs = []
    for i, c in enumerate(codes):
        for p, shift in (("2023-24", 0.0), ("2024-25", 1.0)):
            recs.append((c, "good_up", p, 50.0 + i + shift))
            recs.append((c, "good_down", p, 50.0 + i + shift))
            recs.append((c, "spend_asc_per_head", p, 100.0 + 10 * i))
            recs.append((c, "spend_total_per_head", p, 1000.0 + 10 * i))
            recs.append((c, "spend_asc_carers_per_head", p, 5.0 + i))
            recs.append((c, "spend_asc_gbp", p, 1e6 * (1 + i)))
    # my place (U0) is far above everyone on good_up in the latest period
    recs = [
        (c, ind, p, 90.0 if (c, ind, p) == ("U0", "good_up", "2024-25") else v)
        for c, ind, p, v in recs
    ]
    recs.append(("D1", "good_up", "2024-25", 1.0))  # not upper tier: must be ignored
    values = pd.DataFrame(recs, columns=["place_code", "indicator_id", "period", "value"])
    values = values.assign(lower_ci=math.nan, upper_ci=math.nan, status="")
    meta = {"title": "Profile test", "is_demo": True, "attribution": "hand", "licence": "MIT"}
    meta["periods"] = ["2023-24", "2024-25"]
    return Bundle(meta=meta, places=places, indicators=indicators, values=values, geo={})


def test_profile_judges_against_the_group_and_never_includes_the_place() -> None:
    b = profile_bundle()
    group = ["U1", "U2", "U3", "U4", "U5", "U0"]  # the place listed by mistake: ignored
    t = profile_table(b, "U0", "upper", group, "2024-25").set_index("indicator_id")
    assert t.loc["good_up", "group_places"] == 5
    assert t.loc["good_up", "value"] == 90.0 and t.loc["good_up", "period"] == "2024-25"
    assert t.loc["good_up", "group_median"] == 54.0  # 51+i+1 for i=1..5 -> 52..56
    assert t.loc["good_up", "judgement"] == "better"
    assert t.loc["good_up", "rank_in_group"] == 1 and t.loc["good_up", "places_ranked"] == 6
    # lowest value on a lower-is-better indicator: better, ranked first
    assert t.loc["good_down", "judgement"] == "better" and t.loc["good_down", "rank_in_group"] == 1
    # neutral spend: a quintile, never better or worse
    assert t.loc["spend_asc_per_head", "judgement"] == "quintile 1 (lowest)"
    assert t.loc["spend_asc_per_head", "verdict"] in ("lower", "similar")
    assert "quintile" in t.loc["spend_asc_per_head", "method"]


def test_england_is_the_median_of_every_place_at_the_level() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2"], "2024-25").set_index("indicator_id")
    latest = b.values[(b.values["indicator_id"] == "good_up") & (b.values["period"] == "2024-25")]
    upper = latest[latest["place_code"].str.startswith("U")]["value"]
    assert t.loc["good_up", "england_median"] == upper.median()  # the district's 1.0 is left out


def test_positions_put_better_on_the_right() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2", "U3", "U4"], "2024-25")
    t = t.set_index("indicator_id")
    assert t.loc["good_up", "pos_value"] == 100.0  # highest and higher is better
    assert t.loc["good_down", "pos_value"] == 100.0  # lowest and lower is better
    assert t.loc["spend_asc_per_head", "pos_value"] == 0.0  # neutral: lowest on the left
    pos = t.filter(like="pos_").to_numpy(dtype=float)
    assert np.nanmin(pos) >= 0 and np.nanmax(pos) <= 100


def test_small_or_empty_group_is_not_judged() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", [], "2024-25").set_index("indicator_id")
    assert (t["judgement"] == "not judged").all() and (t["group_places"] == 0).all()
    counts = verdict_counts(t.reset_index())
    assert counts["not judged"] == 2 and counts["better"] == 0


def test_earlier_period_and_matrix_reuse_give_the_same_table() -> None:
    b = profile_bundle()
    lv = level_values(b, "upper", "2023-24")
    a = profile_table(b, "U3", "upper", ["U1", "U2", "U4"], "2023-24", matrix=lv)
    c = profile_table(b, "U3", "upper", ["U1", "U2", "U4"], "2023-24")
    pd.testing.assert_frame_equal(a, c)
    assert set(a["period"]) == {"2023-24"}


def test_spend_by_service_and_export() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2", "U3"], "2024-25", group_text="picked (3)")
    assert spend_by_service(t)["indicator_id"].tolist() == ["spend_asc_per_head"]
    out = export_table(t)
    assert len(out) == len(t) and len(out.columns) == len(EXPORT_COLUMNS)
    for col in ("period", "unit", "source", "licence", "comparison_group"):
        assert out[col].astype(str).str.len().gt(0).all(), col
    assert "england_median_all_places_at_level" in out.columns


def test_trend_table_gives_the_group_band_per_period() -> None:
    b = profile_bundle()
    t = trend_table(b, "U0", "upper", ["U1", "U2", "U3", "U4", "U5"], "good_down")
    assert t["period"].tolist() == ["2023-24", "2024-25"]
    assert t["place_value"].tolist() == [50.0, 51.0]
    assert t["group_median"].tolist() == [53.0, 54.0]
    assert (t["group_q1"] <= t["group_median"]).all() and (t["group_median"] <= t["group_q3"]).all()
    assert t["group_places"].tolist() == [5, 5]


def test_method_text_names_the_rules_and_thresholds() -> None:
    text = method_text(S)
    assert f"{S.confidence_level.value:.0%}" in text
    assert "median absolute deviation" in text and "quintile" in text


def test_spine_rows_keep_canonical_indicators_unless_detailed() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", ["U1", "U2", "U3"], "2024-25")
    short = set(spine_rows(t)["indicator_id"])
    full = set(spine_rows(t, detailed=True)["indicator_id"])
    assert "spend_asc_carers_per_head" not in short and "spend_asc_carers_per_head" in full
    assert "spend_asc_gbp" not in full, "totals in pounds never go on the spine"
    assert {"spend_asc_per_head", "spend_total_per_head"} <= short and has_detail(t)
    assert "good_up" in full and "good_up" not in short  # not in the canonical catalogue


@pytest.mark.parametrize("period", ["2023-24", "2024-25", "2030-31", "1999-00"])
def test_latest_matrix_agrees_with_values_at(period: str) -> None:
    b = profile_bundle()
    b.values.loc[3, "value"] = math.nan  # a missing value stays missing
    codes, ids = b.place_codes("upper"), b.indicators["id"].tolist()
    mats, periods = latest_matrix(b, codes, ids, period)
    expected = values_at(b, period, codes, ids)
    for rec in expected.itertuples():
        got = mats["value"][ids.index(rec.indicator_id), codes.index(rec.place_code)]
        assert got == rec.value or (math.isnan(got) and math.isnan(rec.value))
        assert periods[ids.index(rec.indicator_id)] == rec.period
    assert np.count_nonzero(~np.isnan(mats["value"])) == expected["value"].notna().sum()
