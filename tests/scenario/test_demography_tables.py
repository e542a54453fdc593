"""A place's people by age band and year, as the scenario reads them from a bundle: the same
table a pandas pivot of population.parquet gives, for every place, on the demo and on England;
a year with a band missing refused, naming the band."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle
from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.demography import band_table, projection_ratios
from dashboard.scenario.errors import ScenarioError

ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))


@pytest.fixture(scope="module", params=["demo", "england"])
def bundle(request: pytest.FixtureRequest) -> Bundle:
    if request.param == "demo":
        return read_bundle(DATA_DIR / "demo")
    if not (ENGLAND / "bundle.yaml").exists():
        pytest.skip("England bundle not built (python -m dashboard build-england)")
    return read_bundle(ENGLAND)


def _reference(rows: pd.DataFrame) -> pd.DataFrame:
    table = rows.groupby(["age_band", "year"])["persons"].sum().unstack()
    table.columns = [int(y) for y in table.columns]
    return table


def test_band_table_is_the_pivot_of_the_places_rows(bundle: Bundle) -> None:
    pop = bundle.population
    assert pop is not None
    banded = pop[pop["age_band"].isin(AGE_BANDS)]
    codes = sorted(set(banded["place_code"].astype(str)))
    assert len(codes) > 10
    for code in codes:
        want = _reference(banded[banded["place_code"] == code]).reindex(list(AGE_BANDS))
        got = band_table(bundle, code)
        assert got is not None, code
        assert list(got.index) == list(AGE_BANDS)
        assert list(got.columns) == list(want.columns), code
        np.testing.assert_array_equal(got.to_numpy(), want.to_numpy(), err_msg=code)
    assert band_table(bundle, "E99999999") is None


def test_projection_ratios_are_each_bands_growth_from_the_year(bundle: Bundle) -> None:
    if bundle.projection is None or bundle.projection.empty:
        pytest.skip("this bundle has no population projection")
    codes = sorted(set(bundle.projection["place_code"].astype(str)))
    checked = 0
    for code in codes[:40]:
        table = _reference(bundle.projection_for(code))
        year = int(min(table.columns))
        ratios, years, source = projection_ratios(bundle, code, year)
        assert years and years[0] == year and source, code
        for band, series in ratios.items():
            row = table.loc[band, years].to_numpy(float)
            np.testing.assert_array_equal(series, row / row[0])
            checked += 1
    assert checked > 0


def test_a_year_without_a_band_is_refused_naming_the_band() -> None:
    demo = read_bundle(DATA_DIR / "demo")
    pop = demo.population
    assert pop is not None
    code = str(pop["place_code"].iloc[0])
    year = int(pop["year"].max())
    drop = (pop["place_code"] == code) & (pop["year"] == year) & (pop["age_band"] == "75-84")
    broken = replace(demo, population=pop[~drop].reset_index(drop=True))
    with pytest.raises(ScenarioError, match="lacks age band '75-84'"):
        band_table(broken, code)
    # the rows of the other places are read as before
    other = next(c for c in pop["place_code"].astype(str).unique() if c != code)
    assert band_table(broken, other) is not None
