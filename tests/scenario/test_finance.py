"""Discounting, NPV, BCR and payback against hand-computed examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.scenario import (
    Scenario,
    benefit_cost_ratio,
    discount_factors,
    net_present_value,
    payback_year,
    present_value,
    run,
)

GB_FROM, GB_RATES = [0, 31], [0.035, 0.03]


def test_discount_factors_by_hand() -> None:
    df = discount_factors(3, [0], [0.035])
    assert df == pytest.approx([1.0, 1 / 1.035, 1 / 1.035**2])


def test_green_book_schedule_switches_after_year_30() -> None:
    df = discount_factors(41, GB_FROM, GB_RATES)
    assert df[30] == pytest.approx(1.035**-30)
    assert df[31] == pytest.approx(1.035**-30 / 1.03)
    assert df[40] == pytest.approx(1.035**-30 * 1.03**-10)


def test_npv_bcr_payback_by_hand() -> None:
    df = discount_factors(3, [0], [0.035])
    costs, benefits = np.array([100.0, 0, 0]), np.array([0.0, 60, 60])
    npv = 60 / 1.035 + 60 / 1.035**2 - 100
    assert net_present_value(benefits, costs, df) == pytest.approx(npv)
    assert npv == pytest.approx(13.9817, abs=1e-4)
    assert present_value(benefits, df) == pytest.approx(npv + 100)
    assert benefit_cost_ratio(npv + 100, 100.0) == pytest.approx((npv + 100) / 100)
    assert payback_year(benefits, costs, df) == 2


def test_payback_never_and_nothing_spent_are_nan() -> None:
    df = discount_factors(3, [0], [0.035])
    assert math.isnan(payback_year(np.array([0, 1.0, 1]), np.array([100.0, 0, 0]), df))
    assert math.isnan(payback_year(np.zeros(3), np.zeros(3), df))
    assert math.isnan(benefit_cost_ratio(5.0, 0.0))


def test_payback_vectorised_over_draws() -> None:
    df = discount_factors(4, [0], [0.0])
    costs = np.array([[10.0, 0, 0, 0], [10.0, 0, 0, 0]])
    benefits = np.array([[0.0, 5, 5, 5], [0.0, 20, 0, 0]])
    assert payback_year(benefits, costs, df).tolist() == [2.0, 1.0]


def test_model_money_matches_finance_functions(catalogue, context) -> None:
    sc = Scenario(context.place_code, horizon_years=8, budgets={"reablement": 400_000.0})
    r = run(sc, context, catalogue)
    by = r.by_year.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")
    df = discount_factors(9, GB_FROM, GB_RATES)  # years 0..8 of a horizon of 8
    pv_c = present_value(by["investment_gbp"].to_numpy(), df)
    pv_b = present_value(by["benefit_gbp"].to_numpy(), df)
    assert r.headline.pv_costs_gbp == pytest.approx(pv_c)
    assert r.headline.pv_benefits_gbp == pytest.approx(pv_b)
    assert r.headline.npv_gbp == pytest.approx(pv_b - pv_c)
    cf = r.cash_flow
    assert by["investment_gbp"].iloc[0] == 0 and by["investment_gbp"].iloc[1] == 400_000.0
    last = cf[(cf.measure == "cumulative_discounted_net_gbp") & (cf.year == 8)]["value"].sum()
    assert last == pytest.approx(r.headline.npv_gbp)
