"""Value for money: regression against numpy, polarity, quadrants, missing values, tiny groups,
the frontier on a frame, what good looks like, the scores table and the catalogue links."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.analysis import vfm
from dashboard.analysis.vfm import Frame
from dashboard.bundle import read_bundle


def test_ols_matches_hand_calculation_and_numpy() -> None:
    # y on x: slope Sxy/Sxx = 3.5/5 = 0.7, intercept 3.75 - 0.7*2.5 = 2.0,
    # residuals -0.7, 0.6, 0.9, -0.8, R² = 1 - 2.3/4.75
    reg = vfm.ols(np.array([2.0, 4, 5, 4]), np.array([1.0, 2, 3, 4]))
    np.testing.assert_allclose(reg.coef, [2.0, 0.7])
    np.testing.assert_allclose(reg.residual, [-0.7, 0.6, 0.9, -0.8], atol=1e-12)
    assert reg.r2 == pytest.approx(1 - 2.3 / 4.75)
    assert reg.n == 4

    rng = np.random.default_rng(5)
    x = rng.normal(size=(60, 3))
    y = 1.5 + x @ np.array([2.0, -1.0, 0.5]) + rng.normal(scale=0.3, size=60)
    reg = vfm.ols(y, x)
    design = np.column_stack([np.ones(60), x])
    expected, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(reg.coef, expected)
    np.testing.assert_allclose(reg.expected + reg.residual, y)
    r2 = 1 - ((y - design @ expected) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert reg.r2 == pytest.approx(r2)


def _frame(n: int = 30, seed: int = 1) -> Frame:
    rng = np.random.default_rng(seed)
    need = rng.uniform(10, 40, n)
    spend = 200 + 8 * need + rng.normal(0, 20, n)
    good = 90 - 0.8 * need + rng.normal(0, 2, n)  # higher is better
    bad = 10 + 0.5 * need + rng.normal(0, 1, n)  # lower is better
    codes = [f"P{i:02d}" for i in range(n)]
    data = pd.DataFrame(
        {
            "place_name": [f"Place {i}" for i in range(n)],
            "spend_x_per_head": spend,
            "good_pct": good,
            "bad_pct": bad,
            "need_score": need,
            "population_persons": rng.uniform(1e5, 1e6, n),
        },
        index=pd.Index(codes, name="place_code"),
    )
    periods = {"spend_x_per_head": "2024-25", "good_pct": "2023-24", "need_score": "2025"}
    return Frame(data, periods)


def test_better_than_expected_is_oriented_by_polarity() -> None:
    fr = _frame()
    hi = vfm.need_fit(fr, "spend_x_per_head", "good_pct", ["need_score"], "higher_is_better")
    lo = vfm.need_fit(fr, "spend_x_per_head", "bad_pct", ["need_score"], "lower_is_better")
    t_hi, t_lo = hi.table, lo.table
    np.testing.assert_allclose(t_hi["better_than_expected"], hi.regression.residual)
    # lower is better: a value below expectation is better, so positive
    np.testing.assert_allclose(
        t_lo["better_than_expected"], t_lo["expected_outcome"] - t_lo["outcome"]
    )
    assert hi.regression.r2 > 0.8 and lo.regression.n == 30


def test_quadrants_follow_polarity() -> None:
    spend = np.array([1.0, 3.0, 1.0, 3.0])
    outcome = np.array([9.0, 9.0, 1.0, 1.0])
    hi = vfm.quadrant(spend, outcome, 2.0, 5.0, "higher_is_better")
    assert list(hi) == list(vfm.QUADRANTS)
    lo = vfm.quadrant(spend, outcome, 2.0, 5.0, "lower_is_better")
    assert list(lo) == [vfm.QUADRANTS[i] for i in (2, 3, 0, 1)]


def test_missing_values_are_dropped_and_named() -> None:
    fr = _frame()
    fr.data.loc["P03", "need_score"] = np.nan
    fr.data.loc["P07", "good_pct"] = np.nan
    fit = vfm.need_fit(fr, "spend_x_per_head", "good_pct", ["need_score"], "higher_is_better")
    assert set(fit.dropped) == {"Place 3", "Place 7"}
    assert fit.regression.n == 28 and "P03" not in fit.table.index


def test_too_few_places_gives_a_reason_not_a_fit() -> None:
    fr = Frame(_frame(8).data, {})
    fit = vfm.need_fit(fr, "spend_x_per_head", "good_pct", ["need_score"], "higher_is_better")
    assert fit.regression is None and "Too few places" in fit.reason
    assert len(fit.table) == 8  # the scatter can still be drawn
    front = vfm.frontier(fr, "spend_x_per_head", ["good_pct"], [False], ["need_score"])
    assert "Too few places" in front.reason
    none = vfm.need_fit(_frame(), "spend_x_per_head", "good_pct", [], "higher_is_better")
    assert none.regression is None and "need indicator" in none.reason


def test_frontier_on_a_frame_orients_outcomes_and_targets() -> None:
    fr = _frame(40)
    fr.data.loc["P05", "spend_x_per_head"] = -3.0  # net income: cannot be an input
    front = vfm.frontier(
        fr, "spend_x_per_head", ["good_pct", "bad_pct"], [False, True], ["need_score"]
    )
    t = front.table
    assert "Place 5" in front.dropped and "P05" not in t.index and len(t) == 39
    assert t["dea_score_0_1"].between(0, 1).all()
    assert t.loc[t["on_frontier"], "dea_score_0_1"].min() == pytest.approx(1.0)
    np.testing.assert_allclose(
        t["spend_target_gbp_per_head"], t["dea_score_0_1"] * t["spend_gbp_per_head"]
    )
    # the frontier combination is at least as good on each outcome, in original units
    assert (t["target_good_pct"] >= t["good_pct"] - 1e-6).all()
    assert (t["target_bad_pct"] <= t["bad_pct"] + 1e-6).all()
    peers = vfm.peer_table(front, t.index[t["dea_score_0_1"].argmin()])
    assert peers["weight_share"].sum() == pytest.approx(1.0)


def test_what_good_looks_like_uses_the_group_top_quartile() -> None:
    fr = _frame(40)
    fit = vfm.need_fit(fr, "spend_x_per_head", "bad_pct", ["need_score"], "lower_is_better")
    front = vfm.frontier(fr, "spend_x_per_head", ["bad_pct"], [True], ["need_score"])
    t = fit.table
    place = t["better_than_expected"].idxmin()  # the worst against expectation
    group = [c for c in t.index if c != place][:20]
    good = vfm.what_good_looks_like(fit, front, place, group, "bad_pct", "lower_is_better")
    q = t.loc[group, "better_than_expected"].quantile(0.75)
    assert good.reference_margin == pytest.approx(q)
    # lower is better: the reference outcome is below the expected one by the margin
    assert good.reference_outcome == pytest.approx(t.loc[place, "expected_outcome"] - q)
    assert good.reference_outcome < good.actual
    assert good.group_used == "comparison group" and good.group_n == 20
    lines = vfm.good_sentences(good, "Place X", "Bad thing", "percent")
    assert "Given its need" in lines[0] and "pts" in lines[0]
    assert good.dea_score is not None and len(lines) == 2


def test_selected_places_from_brush_and_click() -> None:
    t = vfm.need_fit(
        _frame(), "spend_x_per_head", "good_pct", ["need_score"], "higher_is_better"
    ).table
    lo, hi = t["spend_gbp_per_head"].quantile([0.25, 0.75])
    brushed = vfm.selected_places(t, {"spend_gbp_per_head": [hi, lo]}, None)
    assert brushed["spend_gbp_per_head"].between(lo, hi).all() and len(brushed) >= 10
    picked = vfm.selected_places(t, None, [{"place_code": "P02"}])
    assert picked.index.tolist() == ["P02"]
    assert vfm.selected_places(t, None, None).empty


def test_settings_have_units_ranges_and_sources() -> None:
    s = vfm.vfm_settings()
    for name in s.__annotations__:
        setting = getattr(s, name)
        assert setting.unit and setting.source and setting.min <= setting.value <= setting.max


@pytest.fixture(scope="module")
def demo():
    return read_bundle(DATA_DIR / "demo")


def test_services_link_spend_and_outcomes_through_the_catalogue(demo) -> None:
    services = vfm.service_options(demo, "upper")
    assert {"adult_social_care", "childrens_social_care", "education", "public_health"} <= set(
        services
    )
    for svc in services:
        assert vfm.spend_options(demo, "upper", svc)[0].endswith("_per_head")
        for o in vfm.outcome_options(demo, "upper", svc):
            meta = demo.indicator(o)
            assert meta["service"] == svc and meta["polarity"] != "neutral"
    assert vfm.spend_options(demo, "upper", "adult_social_care")[0] == "spend_asc_per_head"
    assert vfm.default_needs(demo, "upper", "adult_social_care") == [
        "pct_aged_85_plus",
        "imd_score",
    ]


def test_scores_table_carries_period_unit_source_licence(demo) -> None:
    codes = demo.place_codes("upper")
    period = demo.periods[-1]
    ids = ["spend_asc_per_head", "asc_user_qol", "imd_score"]
    fr = vfm.frame(demo, period, codes, ids)
    fit = vfm.need_fit(fr, ids[0], ids[1], ids[2:], "higher_is_better")
    front = vfm.frontier(fr, ids[0], [ids[1]], [False], ids[2:])
    out = vfm.scores_table(
        demo,
        fit,
        front,
        fr,
        place=codes[0],
        group=codes[1:16],
        period=period,
        service="adult_social_care",
        spend_id=ids[0],
        outcome_id=ids[1],
        fitted_across="all upper-tier places",
    )
    assert len(out) == len(codes) and out["selected_place"].sum() == 1
    for col in ("period", "outcome_unit", "source", "licence", "spend_gbp_per_head"):
        assert out[col].notna().all() and col in out
    assert {"dea_score_0_1", "better_than_expected_outcome_units", "regression_r2"} <= set(
        out.columns
    )
