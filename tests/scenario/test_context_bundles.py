"""context_from_bundle on the real bundles: every place builds, year 0 is the spend base year."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario import Scenario, context_from_bundle, run, run_places
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


# --- demography: estimates, the ONS projections and the place's own trend ------------------
WIGAN = "E08000010"
RAW = Path(os.environ["PVE_RAW_DIR"]) if os.environ.get("PVE_RAW_DIR") else None
SNPP = "ons_snpp2016_derived_60plus/local_authority_pop_estimates.csv"
MYE24 = "ons_mye_2023_2024/mye24tablesew_MYE2_persons.csv"
OLD_BANDS = {"65-74": range(65, 75), "75-84": range(75, 85), "85+": range(85, 91)}
YOUNG_BANDS = {"0-4": range(0, 5), "5-17": range(5, 18), "18-24": range(18, 25)}
YOUNG_BANDS["25-64"] = range(25, 65)
needs_england = pytest.mark.skipif(
    not (ENGLAND / "bundle.yaml").exists(), reason="England bundle not built"
)
needs_raw = pytest.mark.skipif(
    RAW is None, reason="PVE_RAW_DIR is not set (the official raw data directory)"
)


@pytest.fixture(scope="module")
def england_bundle():
    bundle = read_bundle(ENGLAND)
    if bundle.projection is None:
        pytest.skip("the England bundle predates population_projection.parquet: build it again")
    return bundle


def _rows_of(path: Path, code: str, code_col: str) -> pd.DataFrame:
    """The rows of an official CSV for one council code."""
    df = pd.read_csv(path, dtype={code_col: str}, encoding="utf-8-sig")
    return df[df[code_col] == code]


@pytest.mark.england
@needs_england
@needs_raw
def test_wigan_2030_is_the_estimate_grown_by_the_projection_and_its_own_trend(
    england_bundle, catalogue
) -> None:
    ctx = context_from_bundle(england_bundle, WIGAN, catalogue)
    assert ctx.base_year == 2024 and ctx.population.shape[1] == 2041 - 2024 + 1
    col = 2030 - ctx.base_year
    # mid-2024 single years of age, read from the ONS file
    mye = _rows_of(RAW / MYE24, WIGAN, "Code").iloc[0]
    est = {
        b: sum(float(mye["90+" if a == 90 else str(a)]) for a in ages)
        for b, ages in {**YOUNG_BANDS, **OLD_BANDS}.items()
    }
    # the 2016-based projection's 2030/2024 ratio, read from the staged ONS extract
    snpp = _rows_of(RAW / SNPP, WIGAN, "AREA_CODE")
    for band, ages in OLD_BANDS.items():
        rows = snpp[snpp["AGE_GROUP"].isin(ages)]
        ratio = rows["2030"].sum() / rows["2024"].sum()
        got = ctx.population[AGE_BANDS.index(band), col]
        assert got == pytest.approx(est[band] * ratio, rel=1e-9), band
    # under 65: the 2022-2024 trend of the estimates (mid-2022 from the bundle) for the
    # configured number of years (scenario.yaml limits.population_trend_years), then the
    # central national rate for the rest of the six years to 2030
    k = int(catalogue.limits["population_trend_years"].default)
    assert 0 < k < 6
    pop = england_bundle.population
    mid22 = pop[(pop["place_code"] == WIGAN) & (pop["year"] == 2022)].set_index("age_band")
    for band in YOUNG_BANDS:
        trend = (est[band] / float(mid22.loc[band, "persons"])) ** 0.5 - 1
        lo, hi = catalogue.population_growth[band].min, catalogue.population_growth[band].max
        assert lo < trend < hi  # within the allowed range: not clipped
        got = ctx.population[AGE_BANDS.index(band), col]
        national = catalogue.population_growth[band].central
        want = est[band] * (1 + trend) ** k * (1 + national) ** (6 - k)
        assert got == pytest.approx(want, rel=1e-9), band
    assert ctx.population_source == (
        "ONS mid-2024 estimate; 65+ grown by the ONS 2016-based subnational population "
        "projections to 2041, under-65 by Wigan's 2022-2024 trend for "
        f"{k} years, then national rates (scenario.yaml)"
    )


@needs_england
def test_a_place_without_a_projection_falls_back_to_the_national_rates(
    england_bundle, catalogue
) -> None:
    proj = england_bundle.projection
    bundle = dataclasses.replace(england_bundle, projection=proj[proj["place_code"] != WIGAN])
    ctx = context_from_bundle(bundle, WIGAN, catalogue)
    assert ctx.population.shape[1] == 1  # the engine grows it at the catalogue's rates
    assert ctx.population_source == (
        "ONS mid-2024 estimate, grown at national rates (scenario.yaml): the bundle has no "
        "population projection for Wigan"
    )
    pop = england_bundle.population
    mid24 = pop[(pop["place_code"] == WIGAN) & (pop["year"] == 2024)].set_index("age_band")
    np.testing.assert_allclose(
        ctx.population[:, 0], mid24["persons"].reindex(list(AGE_BANDS)).to_numpy()
    )
    res = run(Scenario(WIGAN, horizon_years=20), ctx, catalogue).by_year
    assert not res.empty


def test_the_demo_says_its_population_is_its_own_then_national_rates(catalogue) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    ctx = context_from_bundle(bundle, bundle.default_place("upper"), catalogue)
    last = int(bundle.population["year"].max())
    assert ctx.population_source == (
        f"fictional demo population for {ctx.base_year}-{last}, then national rates (scenario.yaml)"
    )
    assert ctx.population.shape[1] == last - ctx.base_year + 1


@needs_england
def test_every_england_place_runs_at_both_levels(england_bundle, catalogue) -> None:
    for level in ("upper", "lower"):
        codes = england_bundle.place_codes(level)
        contexts = [context_from_bundle(england_bundle, c, catalogue) for c in codes]
        assert all("ONS 2016-based" in c.population_source for c in contexts), level
        sc = Scenario.from_preset("prevention_first", codes[0], catalogue, horizon_years=30)
        heads = run_places(sc, contexts, catalogue)
        assert len(heads) == len(codes)
        assert np.isfinite(heads["npv_gbp"]).all() and (heads["pv_costs_gbp"] > 0).all()


def _latest_by_search(bundle, place: str, indicator: str) -> float | None:
    """The place's value of ``indicator`` in its latest period with one, found row by row."""
    best: tuple[int, float] | None = None
    for rec in bundle.values.itertuples(index=False):
        if rec.place_code != place or rec.indicator_id != indicator or pd.isna(rec.value):
            continue
        start = _period_start(rec.period)
        if best is None or start > best[0]:  # the first row of the latest year wins
            best = (start, float(rec.value))
    return None if best is None else best[1]


def test_latest_values_take_the_latest_period_with_a_value() -> None:
    from tests.bundle.conftest import make_bundle

    b = make_bundle()
    rows = pd.DataFrame(
        {
            "place_code": ["U1"] * 5,
            "indicator_id": ["trend"] * 5,
            # out of order, a later year missing, two rows of one year (the first counts)
            "period": ["2023-24", "2021-22", "2025-26", "2023", "2024-25"],
            "value": [3.0, 1.0, float("nan"), 9.0, float("nan")],
        }
    )
    b = dataclasses.replace(b, values=pd.concat([b.values, rows], ignore_index=True))
    latest = b.latest_values("U1")
    assert latest["trend"] == 3.0  # 2025-26 and 2024-25 have no value; 2023-24 before 2023
    assert latest["out_up"] == 60.0 and "out_up" not in b.latest_values("M1")  # M1's is missing
    assert b.latest_values("nowhere") == {}


@pytest.mark.parametrize("path", BUNDLES, ids=["demo", "england"])
def test_latest_values_match_a_search_of_the_rows(path: Path) -> None:
    bundle = read_bundle(path)
    codes = bundle.place_codes("upper")[::40] + bundle.place_codes("lower")[::80]
    values = bundle.values[bundle.values["place_code"].isin(codes)]
    small = dataclasses.replace(bundle, values=values.reset_index(drop=True))
    for code in codes:
        latest = bundle.latest_values(code)
        ids = set(values.loc[values["place_code"] == code, "indicator_id"])
        for ind in sorted(ids):
            assert latest.get(ind) == _latest_by_search(small, code, ind), (code, ind)
