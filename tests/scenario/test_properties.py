"""Property tests (hypothesis) of the engine's invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.scenario import Scenario, discount_factors, present_value, run, simulate
from dashboard.scenario.catalogue import load_catalogue

CAT = load_catalogue()
IDS = st.sampled_from(CAT.intervention_ids)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _param_override(data, k: int = 3) -> dict[str, float]:
    params = data.draw(
        st.lists(st.sampled_from(CAT.params), max_size=k, unique_by=lambda p: p.path)
    )
    out = {}
    for p in params:
        if p.path.startswith("discounting"):
            continue
        out[p.path] = data.draw(st.floats(p.min, p.max, allow_nan=False))
    return out


@SETTINGS
@given(data=st.data(), horizon=st.integers(1, 30))
def test_zero_investment_zero_effect_and_same_baseline(context, data, horizon) -> None:
    ov = _param_override(data)
    zero = run(Scenario(context.place_code, horizon, overrides=ov), context, CAT)
    assert zero.headline.npv_gbp == 0 and zero.headline.pv_benefits_gbp == 0
    assert (zero.outcomes["change"] == 0).all()
    assert (zero.by_agency["value"] == 0).all()
    iid = data.draw(IDS)
    some = run(Scenario(context.place_code, horizon, {iid: 1e5}, overrides=ov), context, CAT)
    pd.testing.assert_frame_equal(zero.baseline, some.baseline)


@SETTINGS
@given(iid=IDS, b1=st.floats(0, 5e6), frac=st.floats(0, 1), horizon=st.integers(1, 15))
def test_results_never_decrease_with_budget(context, iid, b1, frac, horizon) -> None:
    b0 = b1 * frac
    r0 = run(Scenario(context.place_code, horizon, {iid: b0}), context, CAT)
    r1 = run(Scenario(context.place_code, horizon, {iid: b1}), context, CAT)
    tol = 1e-9
    stock = CAT.intervention(iid).cohort_kind == "stock"
    for m in ("reached_people", "new_successes_people", "active_successes_people", "benefit_gbp"):
        v0 = r0.by_year.loc[r0.by_year.measure == m, "value"].to_numpy()
        v1 = r1.by_year.loc[r1.by_year.measure == m, "value"].to_numpy()
        if stock:
            # a stock is reached sooner with more money, and then has fewer people left: only
            # the people reached (and successes) so far never fall, not each year's count
            if m not in ("reached_people", "new_successes_people"):
                continue
            v0, v1 = np.cumsum(v0), np.cumsum(v1)
        assert np.all(v1 >= v0 - tol * (1 + np.abs(v0))), m
    # sooner is worth more at central values (real cost growth below the discount rate)
    assert r1.headline.pv_benefits_gbp >= r0.headline.pv_benefits_gbp - tol * (
        1 + r0.headline.pv_benefits_gbp
    )
    if not stock:
        c0, c1 = np.abs(r0.outcomes["change"].to_numpy()), np.abs(r1.outcomes["change"].to_numpy())
        assert np.all(c1 >= c0 - tol * (1 + c0))


@settings(max_examples=60, deadline=None)
@given(
    flows=st.lists(st.floats(1, 1e6), min_size=2, max_size=31),
    rate=st.floats(0.001, 0.07),
)
def test_doubling_the_discount_rate_lowers_later_present_values(flows, rate) -> None:
    later = np.array([0.0, *flows[1:]])  # benefits from year 1 on
    n = len(later)
    pv1 = present_value(later, discount_factors(n, [0], [rate]))
    pv2 = present_value(later, discount_factors(n, [0], [2 * rate]))
    assert pv2 < pv1
    year0 = np.zeros(n)
    year0[0] = flows[0]
    assert present_value(year0, discount_factors(n, [0], [2 * rate])) == flows[0]


@SETTINGS
@given(iid=IDS, rate=st.floats(0.005, 0.07))
def test_doubling_the_discount_rate_in_the_model(context, iid, rate) -> None:
    def pv(r: float) -> float:
        ov = {"discounting.from_year_0.rate": r}
        return run(
            Scenario(context.place_code, 10, {iid: 2e5}, overrides=ov), context, CAT
        ).headline.pv_benefits_gbp

    assert pv(2 * rate) < pv(rate)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31), draws=st.integers(2, 200), data=st.data())
def test_percentiles_are_ordered(context, seed, draws, data) -> None:
    budgets = {
        iid: data.draw(st.floats(0, 1e6))
        for iid in data.draw(st.lists(IDS, max_size=4, unique=True))
    }
    cut = data.draw(st.sampled_from([0.0, 0.05]))
    sim = simulate(
        Scenario(context.place_code, 8, budgets, prevention_cut_per_year=cut),
        context,
        CAT,
        draws=draws,
        seed=seed,
    )
    for frame in (sim.headline, sim.by_year, sim.outcomes):
        p5, p50, p95 = (frame[c].to_numpy() for c in ("p5", "p50", "p95"))
        ok = ~(np.isnan(p5) | np.isnan(p50) | np.isnan(p95))
        assert np.all(p5[ok] <= p50[ok] + 1e-9 * (1 + np.abs(p50[ok])))
        assert np.all(p50[ok] <= p95[ok] + 1e-9 * (1 + np.abs(p95[ok])))
    assert 0.0 <= sim.p_npv_positive <= 1.0
