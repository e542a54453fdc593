"""The bundle's lookups by place find the same rows a scan of every value finds, in order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle

from .conftest import make_bundle


def _scan(values: pd.DataFrame, codes: list[str], ids: list[str] | None) -> pd.DataFrame:
    keep = values["place_code"].isin(codes)
    if ids is not None:
        keep &= values["indicator_id"].isin(ids)
    return values[keep]


def test_values_of_finds_the_rows_a_scan_finds() -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    rng = np.random.default_rng(7)
    places = bundle.places["code"].tolist()
    indicators = bundle.indicators["id"].tolist()
    for _ in range(20):
        codes = list(rng.choice(places, size=int(rng.integers(1, 12)), replace=False))
        ids = list(rng.choice(indicators, size=int(rng.integers(1, 8)), replace=False))
        for wanted in (None, ids):
            got = bundle.values_of(codes + ["nowhere"], wanted)
            pd.testing.assert_frame_equal(got, _scan(bundle.values, codes, wanted))
            assert not got.empty


def test_values_of_an_unknown_place_or_indicator_is_empty() -> None:
    bundle = make_bundle()
    assert bundle.values_of(["nowhere"]).empty
    assert bundle.values_of(["C1"], ["no_such_indicator"]).empty
    assert list(bundle.values_of(["U1"])["indicator_id"]) == ["out_up", "need_both"]


def test_a_derived_value_is_built_once_per_bundle() -> None:
    calls: list[int] = []

    def build() -> list[int]:
        calls.append(1)
        return [len(calls)]

    one, two = make_bundle(), make_bundle()
    assert one.derived("k", build) is one.derived("k", build) and calls == [1]
    assert two.derived("k", build) == [2]  # another bundle works it out for itself
    assert one.derived(("k", "lower"), build) == [3]  # another key too
