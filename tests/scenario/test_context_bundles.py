"""context_from_bundle on the real bundles: every place builds, year 0 is the spend base year."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario import Scenario, context_from_bundle, run
from dashboard.scenario.context import _period_start

ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
BUNDLES = [
    DATA_DIR / "demo",
    pytest.param(
        ENGLAND,
        marks=pytest.mark.skipif(
            not (ENGLAND / "bundle.yaml").exists(), reason="England bundle not built"
        ),
    ),
]


@pytest.mark.parametrize("path", BUNDLES, ids=["demo", "england"])
def test_places_get_a_context_starting_at_the_base_year(path: Path, catalogue) -> None:
    bundle = read_bundle(path)
    base = max(_period_start(p) for p in bundle.periods)
    for level in ("upper", "lower"):
        for code in bundle.place_codes(level)[::15]:  # a spread of places (each takes ~50 ms)
            ctx = context_from_bundle(bundle, code, catalogue)
            assert ctx.base_year == base, (code, ctx.population_source)
            assert ctx.total_population > 1_000
            assert ctx.population.shape[0] == len(AGE_BANDS)


def test_population_before_the_base_year_is_grown_to_it(catalogue) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    code = bundle.default_place("upper")
    base = max(_period_start(p) for p in bundle.periods)
    pop = bundle.population
    early = pop[pop["year"] == base - 2]
    assert not early.empty, "the demo has population for two years before its base year"
    shifted = bundle.__class__.__new__(bundle.__class__)
    shifted.__dict__.update(bundle.__dict__)
    object.__setattr__(shifted, "population", early)
    ctx = context_from_bundle(shifted, code, catalogue)
    assert ctx.base_year == base
    own = early[early["place_code"] == code].set_index("age_band")["persons"]
    growth = np.array([catalogue.population_growth[b].central for b in AGE_BANDS])
    expected = own.reindex(list(AGE_BANDS)).to_numpy() * (1 + growth) ** 2
    np.testing.assert_allclose(ctx.population[:, 0], expected)
    assert "grown to" in ctx.population_source
    assert run(Scenario(code, budgets={"reablement": 1e5}), ctx, catalogue).headline.npv_gbp
