"""Scenario charts draw what the tables hold: the fan's band contains the central line, money
is on the scale its axis names, and every chart carries the attribution."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.charts.scenario import (
    FAN_DATASETS,
    LINE_NAMES,
    _money_scale,
    agency_chart,
    budget_curve_chart,
    cash_flow_chart,
    compare_chart,
    investment_chart,
    outcome_fan,
    outcome_fan_data,
    waterfall_chart,
)
from dashboard.scenario import PlaceContext, Scenario, load_catalogue, run, simulate
from dashboard.scenario.report import (
    agency_summary,
    band_percentiles,
    cumulative_cash_flow,
    investment_by_service,
    npv_waterfall,
    outcome_trajectories,
)

ATTRIBUTION = "Test attribution: fictional data"
INDICATORS = {"smoking_pct": {"label": "Smoking", "unit": "percent", "polarity": "lower_is_better"}}
POPULATION = {
    "0-4": 14_000,
    "5-17": 40_000,
    "18-24": 22_000,
    "25-64": 130_000,
    "65-74": 26_000,
    "75-84": 17_000,
    "85+": 6_500,
}


@pytest.fixture(scope="module")
def runs():
    cat = load_catalogue()
    ctx = PlaceContext.from_arrays(
        "E06000001", POPULATION, base_year=2024, outcomes={"smoking_pct": 12.5}
    )
    sc = Scenario(
        "E06000001", budgets={"stop_smoking": 3e5, "reablement": 4e5}, prevention_cut_per_year=0.02
    )
    result = run(sc, ctx, cat)
    return result, simulate(sc, ctx, cat, draws=300, seed=1)


def _rows(spec: dict, column: str) -> pd.DataFrame:
    """The chart's dataset that has ``column``."""
    for data in spec["datasets"].values():
        if data and column in data[0]:
            return pd.DataFrame(data)
    raise AssertionError(f"no dataset has {column}")


def _text(spec) -> str:
    return json.dumps(
        spec if isinstance(spec, dict) else spec.to_dict(), default=str, ensure_ascii=False
    )


def test_fan_band_contains_the_central_line(runs) -> None:
    result, sim = runs
    traj = outcome_trajectories(result, sim, INDICATORS)
    data = outcome_fan_data(traj, "smoking_pct")
    band, lines = (data[n] for n in FAN_DATASETS)
    central = lines[lines["line"] == LINE_NAMES[1]].reset_index(drop=True)
    assert len(band) == len(central) == result.scenario.years
    assert (band["low"] <= central["value"] + 1e-9).all()
    assert (central["value"] <= band["high"] + 1e-9).all()
    baseline = lines[lines["line"] == LINE_NAMES[0]]
    assert (baseline["value"] == 12.5).all()
    spec = outcome_fan(traj, "smoking_pct", "Somewhere", ATTRIBUTION, band=band_percentiles(sim))
    assert set(spec["datasets"]) == set(FAN_DATASETS)
    assert "Smoking: Somewhere" in _text(spec) and ATTRIBUTION in _text(spec)
    assert "Shaded: 5th to 95th percentile" in _text(spec)
    other = outcome_fan(traj, "smoking_pct", "Somewhere", ATTRIBUTION, band=(10, 90))
    assert "Shaded: 10th to 90th percentile" in _text(other)


def test_money_scale_switches_to_millions_at_two_million() -> None:
    assert _money_scale(pd.Series([1_999_999.0, -5.0])) == (1e3, "£ thousand")
    assert _money_scale(pd.Series([100.0, -2_000_000.0])) == (1e6, "£ million")
    assert _money_scale(pd.Series([], dtype=float)) == (1e3, "£ thousand")


def test_agency_chart_bars_are_the_summary_on_the_named_scale(runs) -> None:
    result, _ = runs
    summary = agency_summary(result)
    spec = agency_chart(summary, ATTRIBUTION).to_dict()
    scale, unit = _money_scale(pd.concat([summary["pv_cost_gbp"], summary["pv_benefit_gbp"]]))
    rows = _rows(spec, "flow")
    pays = rows[rows["flow"] == "Pays (cost)"]["amount"].sum()
    gets = rows[rows["flow"] != "Pays (cost)"]["amount"].sum()
    assert pays * scale == pytest.approx(-summary["pv_cost_gbp"].sum())
    assert gets * scale == pytest.approx(summary["pv_benefit_gbp"].sum())
    assert f"Present value, {unit}" in _text(spec) and ATTRIBUTION in _text(spec)


def test_other_charts_draw_their_tables_with_the_attribution(runs) -> None:
    result, _ = runs
    curve = pd.DataFrame({"budget_gbp": [0.0, 1e6, 2e6], "objective_value": [0.0, 5e5, 6e5]})
    compare = pd.DataFrame(
        {
            "name": ["Baseline (no change)"] * 3 + ["A"] * 3,
            "calendar_year": [2024, 2025, 2026] * 2,
            "value": [12.5, 12.5, 12.5, 12.5, 12.3, 12.1],
        }
    )
    charts = {
        "investment": investment_chart(investment_by_service(result), ATTRIBUTION),
        "cash flow": cash_flow_chart(cumulative_cash_flow(result), ATTRIBUTION),
        "waterfall": waterfall_chart(npv_waterfall(result), ATTRIBUTION),
        "budget curve": budget_curve_chart(curve, 7e5, 4e5, ATTRIBUTION),
        "compare": compare_chart(compare, "Smoking", "percent", ATTRIBUTION),
    }
    for name, chart in charts.items():
        assert ATTRIBUTION in _text(chart), name
    wf = npv_waterfall(result)
    rows = _rows(charts["waterfall"].to_dict(), "step")
    assert len(rows) == len(wf)
    assert "Prevention cut: money saved" in set(rows["step"])


def test_investment_chart_shows_the_cut_below_zero(runs) -> None:
    result, _ = runs
    spend = investment_by_service(result)
    assert (spend[spend["what"] == "prevention cut"]["gbp"] < 0).all()
    assert (spend[spend["what"] == "new investment"]["gbp"] > 0).all()
    assert np.isclose(
        spend[spend["what"] == "new investment"].groupby("year")["gbp"].sum().iloc[0], 7e5
    )


def _scales(spec: dict) -> list[dict]:
    """Every colour scale (domain and range) in a chart's spec."""
    out = []

    def walk(node):  # noqa: ANN001, ANN202
        if isinstance(node, dict):
            col = node.get("encoding", {}).get("color", {})
            if isinstance(col, dict) and "scale" in col:
                out.append(col["scale"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def test_an_agency_has_one_colour_in_every_chart_and_flows_use_none_of_them(runs) -> None:
    from dashboard.charts.theme import AGENCY_COLOURS, FLOW_COLOURS, JUDGEMENT

    result, _ = runs
    cat = result.catalogue
    labels = {cat.agency_labels[a]: a for a in cat.agencies}
    seen: dict[str, set[str]] = {}
    charts = [
        cash_flow_chart(cumulative_cash_flow(result), ATTRIBUTION),
        waterfall_chart(npv_waterfall(result), ATTRIBUTION, agencies=labels),
    ]
    for chart in charts:
        for sc in _scales(chart.to_dict()):
            for name, colour in zip(sc["domain"], sc["range"], strict=True):
                if name in labels:
                    seen.setdefault(name, set()).add(colour)
    assert {"Council", "NHS"} <= set(seen), seen
    for name, colours in seen.items():
        assert colours == {AGENCY_COLOURS[labels[name]]}, (name, colours)
    # the agency chart's flows (pays / cashable / non-cashable) are no agency's colour
    flows = _scales(agency_chart(agency_summary(result), ATTRIBUTION).to_dict())
    used = {c for sc in flows for c in sc["range"]}
    assert used and not used & set(AGENCY_COLOURS.values())
    assert set(FLOW_COLOURS.values()).isdisjoint(AGENCY_COLOURS.values())
    # nothing about an agency is judged: no agency wears the better / worse colours
    assert not set(AGENCY_COLOURS.values()) & {JUDGEMENT["better"], JUDGEMENT["worse"]}
    assert set(cat.agencies) <= set(AGENCY_COLOURS), "every agency of scenario.yaml has one"


def test_the_page_s_outcome_fan_is_the_same_spec_for_every_place(runs) -> None:
    """The page builds the fan once per indicator: for two places (a name with quotes and a
    backslash included) the spec is the same and only the rows differ, so the browser swaps
    them; each place's name is in the drawn title and in the fan in words."""
    import html

    import vl_convert as vlc

    from dashboard.present.kinds_base import inline_frames
    from dashboard.ui.scenario import band, fan_view

    result, sim = runs
    traj = outcome_trajectories(result, sim, INDICATORS)
    specs = []
    for name in ("Somewhere", 'Upper "Quoted" \\ Place'):
        page = fan_view(traj, "smoking_pct", name, ATTRIBUTION)
        built = outcome_fan(traj, "smoking_pct", name, ATTRIBUTION, band=band())
        for key in FAN_DATASETS:
            got = pd.DataFrame(page.spec["datasets"][key])
            pd.testing.assert_frame_equal(
                got[list(built["datasets"][key].columns)], pd.DataFrame(built["datasets"][key])
            )
        assert html.escape(name) in vlc.vegalite_to_svg(inline_frames(page.spec))
        assert built["description"].startswith("Line chart: ")
        assert page.spec["description"].startswith("Line chart: ")
        assert name.replace("\\", "\\\\") in page.words  # escaped for markdown
        specs.append({k: v for k, v in page.spec.items() if k != "datasets"})
    assert specs[0] == specs[1]
