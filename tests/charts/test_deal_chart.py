"""The deal chart draws each partner's benefit as what it puts in plus what it keeps, on the
scale its axis names, with the attribution."""

from __future__ import annotations

import pytest

from dashboard.charts.scenario import _money_scale, deal_chart
from dashboard.scenario import PlaceContext, Scenario, load_catalogue, run
from dashboard.scenario.deal import deal

from .test_scenario_charts import ATTRIBUTION, POPULATION, _rows, _text


def test_deal_chart_bars_add_up_to_each_partners_benefit() -> None:
    ctx = PlaceContext.from_arrays("E06000001", POPULATION, base_year=2024)
    sc = Scenario("E06000001", budgets={"stop_smoking": 3e5, "reablement": 4e5})
    table = deal(run(sc, ctx, load_catalogue()), "cashable").table
    spec = deal_chart(table, ATTRIBUTION).to_dict()
    rows = _rows(spec, "part")
    shown = table[table["pv_benefit_gbp"] > 0]
    scale, unit = _money_scale(shown["pv_benefit_gbp"])
    assert set(rows["partner"]) == set(shown["agency_label"])
    by_partner = rows.groupby("partner")["amount"].sum() * scale
    for label, benefit in zip(shown["agency_label"], shown["pv_benefit_gbp"], strict=True):
        assert by_partner[label] == pytest.approx(benefit)
    puts_in = rows[rows["part"] == "puts in"]["amount"].sum() * scale
    assert puts_in == pytest.approx(table["pv_contribution_gbp"].sum())
    assert f"Present value, {unit}" in _text(spec) and ATTRIBUTION in _text(spec)
