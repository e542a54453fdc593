"""The population step's England row (E92000001): England's published values, never a
denominator (hand-made single years of age, no raw data needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.bundle.schema import ENGLAND_CODE
from dashboard.sources.step import StepOutput
from dashboard.sources.step_places import england_population


def _ages(england: float, council: float) -> pd.DataFrame:
    return pd.DataFrame(
        [[england] * 91, [council] * 91], index=[ENGLAND_CODE, "E06000001"], columns=range(91)
    )


def test_england_row_becomes_published_values_and_leaves_the_frames() -> None:
    out = StepOutput()
    single = {2024: _ages(100.0, 10.0)}
    totals = {2021: pd.Series({ENGLAND_CODE: 8000.0, "E06000001": 800.0})}
    area = pd.DataFrame({"area_sq_km": [91.0, 9.1]}, index=[ENGLAND_CODE, "E06000001"])
    single2, totals2, area2 = england_population(single, totals, area, out)
    assert ENGLAND_CODE not in single2[2024].index and "E06000001" in single2[2024].index
    assert ENGLAND_CODE not in totals2[2021].index and ENGLAND_CODE not in area2.index
    v = out.result().values.set_index(["indicator_id", "period"])["value"]
    assert v[("population", "2024")] == 9100  # 91 single years of 100
    assert v[("population", "2021")] == 8000  # an MYE4 total
    assert v[("density_per_sq_km", "2024")] == pytest.approx(9100 / 91.0)
    assert v[("pct_aged_65_plus", "2024")] == pytest.approx(100 * 26 / 91)  # ages 65..90+
    assert v[("pct_aged_0_17", "2024")] == pytest.approx(100 * 18 / 91)
    assert set(out.result().values["place_code"]) == {ENGLAND_CODE}


def test_no_england_row_changes_nothing() -> None:
    out = StepOutput()
    ages = _ages(100.0, 10.0).drop(index=ENGLAND_CODE)
    single, totals, area = england_population({2024: ages}, {}, pd.DataFrame(), out)
    assert single[2024].equals(ages) and out.result().values.empty
