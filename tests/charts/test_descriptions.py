"""Every chart family's spec carries a text description written from the data it draws: the
place, the period and the extremes, in their units; change the data and the text changes."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.analysis import vfm
from dashboard.analysis.map_values import map_values
from dashboard.analysis.profile import (
    england_label,
    profile_table,
    spend_by_service,
    spine_rows,
    trend_table,
)
from dashboard.bundle import read_bundle
from dashboard.charts import vfm as vfm_charts
from dashboard.charts.maps import inline_data, map_chart
from dashboard.charts.profile import spend_chart, spine_chart, trend_chart
from dashboard.charts.scenario import (
    agency_chart,
    budget_curve_chart,
    cash_flow_chart,
    compare_chart,
    deal_chart,
    investment_chart,
    outcome_fan,
    waterfall_chart,
)
from dashboard.formatting import format_gbp
from dashboard.scenario.deal import deal
from dashboard.scenario.report import (
    agency_summary,
    band_percentiles,
    cumulative_cash_flow,
    investment_by_service,
    npv_waterfall,
    outcome_trajectories,
)
from tests.analysis.test_profile import profile_bundle
from tests.bundle.conftest import make_bundle

from .test_scenario_charts import ATTRIBUTION, INDICATORS, runs  # noqa: F401 - fixture

GROUP = ["U1", "U2", "U3", "U4", "U5"]


def desc(chart) -> str:  # noqa: ANN001
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=True)
    text = spec["description"]
    assert isinstance(text, str) and text, "the description is at the top of the spec"
    return text


# --- profile ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return profile_table(profile_bundle(), "U0", "upper", GROUP, "2024-25", "picked (5)")


def test_spine_description_names_place_period_and_the_furthest_rows(table) -> None:
    rows = spine_rows(table, detailed=True)
    text = desc(spine_chart(rows, "Place U0", "picked (5)", "England", "a"))
    assert text.startswith("Spine chart: Place U0 against picked (5)")
    assert "2024-25" in text and "U0" not in text.replace("Place U0", "")
    # push one indicator to the far better side: it becomes the row the text names first
    moved = rows.copy()
    judged = moved["polarity"] != "neutral"
    i = moved.index[judged & (moved["indicator"] == "good down")][0]
    moved.loc[i, ["pos_value", "pos_median"]] = [100.0, 0.0]
    text2 = desc(spine_chart(moved, "Place U0", "picked (5)", "England", "a"))
    assert "better side of the group median: good down (" in text2 and text2 != text


def test_spend_description_names_the_highest_and_lowest_service(table) -> None:
    spend = spend_by_service(table)
    text = desc(spend_chart(spend, "Place U0", "picked (5)", "E", "2024-25", "a"))
    assert "Place U0" in text and "2024-25" in text and "£" in text
    top = spend.loc[spend["value"].idxmax()]
    assert f"the most on {top['service_label']}" in text
    more = spend.drop(columns=[c for c in ("value_text",) if c in spend]).copy()
    low = more["value"].idxmin()
    more.loc[low, "value"] = 98765.0
    text2 = desc(spend_chart(more, "Place U0", "picked (5)", "E", "2024-25", "a"))
    assert f"the most on {more.loc[low, 'service_label']} (£98,765 per head" in text2


def test_trend_description_follows_the_place_values() -> None:
    trend = trend_table(profile_bundle(), "U0", "upper", GROUP, "good_up")
    args = ("good up", "percent", "Place U0", "picked (5)", england_label("upper"), "a")
    text = desc(trend_chart(trend, *args))
    assert text.startswith("Line chart: good up in Place U0, 2023-24 to 2024-25")
    first, last = trend["place_value"].iloc[0], trend["place_value"].iloc[-1]
    assert f"from {first:.1f}% to {last:.1f}%" in text and "rises" in text
    lower = trend.assign(place_value=[last, first - 7.0])
    text2 = desc(trend_chart(lower, *args))
    assert "falls" in text2 and f"lowest {first - 7.0:.1f}% in 2024-25" in text2


# --- value for money ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fit():
    b = read_bundle(DATA_DIR / "demo")
    codes = b.place_codes("upper")
    ids = ["spend_asc_per_head", "asc_workforce_turnover_pct", "imd_score"]
    fr = vfm.frame(b, b.periods[-1], codes, ids)
    need = vfm.need_fit(fr, ids[0], ids[1], ids[2:], "lower_is_better")
    front = vfm.frontier(fr, ids[0], [ids[1]], [True], ids[2:])
    return codes[0], b.place_name(codes[0]), codes[1:16], need, front


def test_value_for_money_descriptions_name_the_place_and_the_extremes(fit) -> None:
    place, name, group, need, front = fit
    data = vfm_charts.scatter_data(need.table, place, name, group, "percent")
    kw = {"outcome_label": "Turnover", "outcome_unit": "percent", "periods_text": "2024-25"}
    text = vfm_charts.description("tradeoff", data, name, **kw)
    top = data.loc[data["spend_gbp_per_head"].idxmax()]
    assert text.startswith("Scatter chart: Turnover against spend per head, 2024-25")
    assert f"{name}: " in text and f"{top['spend_text']} ({top['place_name']})" in text
    resid = vfm_charts.description("residual", data, name, outcome_label="Turnover")
    best = data.loc[data["better_than_expected"].idxmax()]
    assert f"Most better than expected: {best['place_name']} ({best['bte_text']})" in resid
    fdata = vfm_charts.frontier_data(front.table, place, name, group)
    ftext = vfm_charts.description("frontier", fdata, name)
    me = fdata[fdata["is_place"]].iloc[0]
    assert f"{name}: {me['score_text']}, rank {int(me['rank'])} of {len(fdata)}" in ftext


# --- scenario -----------------------------------------------------------------------------------
def test_fan_description_says_where_each_line_goes(runs) -> None:  # noqa: F811
    result, sim = runs
    traj = outcome_trajectories(result, sim, INDICATORS)
    spec = outcome_fan(traj, "smoking_pct", "Somewhere", ATTRIBUTION, band=band_percentiles(sim))
    text = desc(spec)
    d = traj[traj["indicator_id"] == "smoking_pct"].sort_values("calendar_year")
    years = f"{d['calendar_year'].iloc[0]} to {d['calendar_year'].iloc[-1]}"
    assert text.startswith(f"Line chart: Smoking in Somewhere, {years}")
    assert "the baseline stays at 12.50%" in text or "the baseline stays at 12.5%" in text
    assert (
        f"to {d['scenario'].iloc[-1]:.1f}%" in text or f"to {d['scenario'].iloc[-1]:.2f}%" in text
    )


def test_other_scenario_descriptions_come_from_their_tables(runs) -> None:  # noqa: F811
    result, _ = runs
    summary = agency_summary(result)
    payer = summary.loc[summary["pv_cost_gbp"].idxmax()]
    assert f"{payer['agency_label']} pays the most ({format_gbp(payer['pv_cost_gbp'])})" in desc(
        agency_chart(summary, ATTRIBUTION)
    )
    spend = investment_by_service(result)
    by_year = spend.groupby("calendar_year")["gbp"].sum()
    assert f"the most in {by_year.idxmax()} ({format_gbp(by_year.max())})" in desc(
        investment_chart(spend, ATTRIBUTION)
    )
    cash = cumulative_cash_flow(result)
    assert f"by {cash['calendar_year'].max()}," in desc(cash_flow_chart(cash, ATTRIBUTION))
    steps = npv_waterfall(result)
    npv = steps[steps["kind"] == "total"]["amount_gbp"].iloc[-1]
    assert desc(waterfall_chart(steps, ATTRIBUTION)).endswith(
        f"net present value {format_gbp(npv)}."
    )
    curve = pd.DataFrame({"budget_gbp": [0.0, 1e6, 2e6], "objective_value": [0.0, 5e5, 6e5]})
    assert "the highest, £600k, at £2.0m" in desc(budget_curve_chart(curve, 7e5, 4e5, ATTRIBUTION))
    curve2 = curve.assign(objective_value=[0.0, 9e5, 6e5])
    assert "the highest, £900k, at £1.0m" in desc(budget_curve_chart(curve2, 7e5, 4e5, "a"))
    compare = pd.DataFrame(
        {
            "name": ["Baseline (no change)"] * 2 + ["A"] * 2,
            "calendar_year": [2024, 2025] * 2,
            "value": [12.5, 12.5, 12.5, 11.0],
        }
    )
    text = desc(compare_chart(compare, "Smoking", "percent", ATTRIBUTION))
    assert "in 2025 the highest is Baseline (no change) (12.5%), the lowest A (11.0%)" in text
    table = deal(result, "cashable").table
    first = table[table["pv_benefit_gbp"] > 0].iloc[0]
    assert f"{first['agency_label']} puts in {format_gbp(first['pv_contribution_gbp'])}" in desc(
        deal_chart(table, ATTRIBUTION)
    )


# --- maps ---------------------------------------------------------------------------------------
def test_map_description_names_indicator_period_classes_and_place() -> None:
    bundle = make_bundle()
    mv = map_values(
        bundle,
        "upper",
        "out_up",
        "2024-25",
        method="equal_interval",
        k=3,
        mode="values",
        place="C1",
        group=[],
    )
    shapes = inline_data({"features": []})
    text = desc(map_chart(mv, shapes, shapes, hexes=True, place_name="Council one"))
    assert text.startswith(f"Map: {mv.title}, 2024-25: ")
    assert f"from {mv.domain[0]} to {mv.domain[len(mv.breaks) - 1]}" in text
    mine = mv.table.loc[mv.table["code"] == "C1", "tv"].iloc[0]
    assert f"Council one: {mine}." in text
