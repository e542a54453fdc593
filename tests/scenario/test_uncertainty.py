"""Monte Carlo draws and summaries."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.scenario import Scenario, ScenarioError, run, simulate, simulate_places
from dashboard.scenario.uncertainty import sample_parameters


@pytest.mark.parametrize("dist", ["pert", "triangular"])
def test_samples_stay_in_bounds_with_the_right_mean(dist) -> None:
    low, central, high = (
        np.array([0.0, 1.0, 5.0]),
        np.array([2.0, 1.0, 6.0]),
        np.array([10.0, 1.0, 9.0]),
    )
    x = sample_parameters(low, central, high, 200_000, np.random.default_rng(1), distribution=dist)
    assert x.shape == (200_000, 3)
    assert (x >= low).all() and (x <= high).all()
    assert (x[:, 1] == 1.0).all()
    mean = (low + 4 * central + high) / 6 if dist == "pert" else (low + central + high) / 3
    assert x.mean(axis=0) == pytest.approx(mean, rel=0.01)


def test_seeded_and_reproducible(catalogue, context) -> None:
    sc = Scenario.from_preset("prevention_first", context.place_code, catalogue)
    a = simulate(sc, context, catalogue, draws=300, seed=5)
    b = simulate(sc, context, catalogue, draws=300, seed=5)
    c = simulate(sc, context, catalogue, draws=300, seed=6)
    assert np.array_equal(a.samples["npv_gbp"], b.samples["npv_gbp"])
    assert not np.array_equal(a.samples["npv_gbp"], c.samples["npv_gbp"])


def test_central_inside_band_and_probability(catalogue, context) -> None:
    sc = Scenario.from_preset("prevention_first", context.place_code, catalogue)
    sim = simulate(sc, context, catalogue, draws=2000, seed=0)
    det = run(sc, context, catalogue).headline
    h = sim.headline.set_index("measure")
    assert h.loc["npv_gbp", "p5"] < det.npv_gbp < h.loc["npv_gbp", "p95"]
    assert sim.p_npv_positive == pytest.approx(np.mean(sim.samples["npv_gbp"] > 0))
    assert set(sim.by_year["agency"]) == {*catalogue.agencies, "all"}
    assert len(sim.outcomes) == len(catalogue.outcome_indicators) * sc.years


def test_fixed_parameters_give_the_deterministic_answer(catalogue, context) -> None:
    sc = Scenario(context.place_code, 5, {"stop_smoking": 1e5})
    ov = {}
    for p in catalogue.params:
        ov[f"{p.path}.low"] = p.central
        ov[f"{p.path}.high"] = p.central
    sim = simulate(
        Scenario(context.place_code, 5, {"stop_smoking": 1e5}, overrides=ov),
        context,
        catalogue,
        draws=10,
    )
    det = run(sc, context, catalogue).headline.npv_gbp
    assert sim.samples["npv_gbp"] == pytest.approx(np.full(10, det))


def test_places_use_the_same_draws(catalogue, contexts) -> None:
    sc = Scenario.from_preset("prevention_first", "x", catalogue, horizon_years=6)
    table = simulate_places(sc, contexts, catalogue, draws=200, seed=3, max_cells=50_000)
    assert set(table["place_code"]) == {c.place_code for c in contexts}
    ctx = contexts[4]
    one = simulate(
        Scenario.from_preset("prevention_first", ctx.place_code, catalogue, horizon_years=6),
        ctx,
        catalogue,
        draws=200,
        seed=3,
    )
    row = table[(table.place_code == ctx.place_code) & (table.measure == "npv_gbp")].iloc[0]
    h = one.headline.set_index("measure").loc["npv_gbp"]
    assert row["p50"] == pytest.approx(h["p50"]) and row["p95"] == pytest.approx(h["p95"])
    assert row["p_npv_positive"] == pytest.approx(one.p_npv_positive)


def test_draws_are_validated(catalogue, context) -> None:
    with pytest.raises(ScenarioError) as err:
        simulate(Scenario(context.place_code), context, catalogue, draws=0)
    assert err.value.parameter == "draws"


def test_unseeded_draws_differ_and_seeded_draws_are_reused(catalogue) -> None:
    from dashboard.scenario.uncertainty import draw_theta

    a, b = draw_theta(catalogue, None, 50, None), draw_theta(catalogue, None, 50, None)
    assert not np.array_equal(a, b)
    c, d = draw_theta(catalogue, None, 50, 1), draw_theta(catalogue, None, 50, 1)
    assert c is d and not c.flags.writeable
    e = draw_theta(catalogue, {"interventions.reablement.success_rate": 0.6}, 50, 1)
    assert not np.array_equal(c, e)
