"""Joining a checked layer to a bundle (dashboard.layers.merge): new indicators beside the
official ones, a catalogue indicator's local figures in a companion, never in its series."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle, validate_bundle
from dashboard.layers.merge import (
    NO_URL,
    UPLOADED_LICENCE,
    LayerJoinError,
    join_layer,
    local_figures,
    local_id,
)
from dashboard.layers.model import Layer

from .layer_fixture import FILENAME, LOCAL_VALUE, NEW_ID, OFFICIAL_ID, TITLE, small_layer

ENGLAND = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
BUNDLES = [
    "demo",
    pytest.param(
        "england",
        marks=pytest.mark.skipif(
            not (ENGLAND / "bundle.yaml").exists(), reason="England bundle not built"
        ),
    ),
]


@pytest.fixture(scope="module", params=BUNDLES)
def base(request: pytest.FixtureRequest) -> Bundle:
    return read_bundle(DATA_DIR / "demo" if request.param == "demo" else ENGLAND)


def _snapshot(b: Bundle) -> tuple:
    return (
        dict(b.meta),
        b.indicators.copy(deep=True),
        b.values.copy(deep=True),
        None if b.coverage is None else b.coverage.copy(deep=True),
    )


def test_new_indicator_is_a_local_row_with_its_values(base: Bundle) -> None:
    layer = small_layer(base)
    joined = join_layer(base, layer, dataset_label="Base")
    row = joined.indicator(NEW_ID)
    assert row["origin"] == "local" and row["layer_title"] == TITLE
    assert row["official_id"] == "" and row["levels"] == ("upper",)
    assert row["source_publisher"] == "Partners' survey team"
    assert row["source_url"] == NO_URL  # the layer gave none: said so, not left blank
    got = joined.values[joined.values["indicator_id"] == NEW_ID].set_index("place_code")
    want = layer.values[layer.values["indicator_id"] == NEW_ID].set_index("place_code")
    assert set(got.index) == set(want.index)
    shown = got.loc[want["value"].notna(), "value"]
    assert shown.to_dict() == want.loc[want["value"].notna(), "value"].to_dict()
    # official rows are marked official
    official = joined.indicators[joined.indicators["id"].isin(base.indicators["id"])]
    assert (official["origin"] == "official").all() and (official["layer_title"] == "").all()
    assert "agency" in joined.indicators.columns
    assert joined.meta["title"] == f"{base.title} + {TITLE}"
    assert joined.meta["layer"] == {"title": TITLE, "filename": FILENAME, "base": "Base"}
    assert joined.is_demo == base.is_demo
    assert validate_bundle(joined).values.shape == joined.values.shape
    # cached properties belong to the new object
    assert NEW_ID in joined.indicator_periods and NEW_ID not in base.indicator_periods


def test_catalogue_indicator_keeps_its_official_values_and_gets_a_companion(base: Bundle) -> None:
    if not base.has_indicator(OFFICIAL_ID):
        pytest.skip(f"{OFFICIAL_ID} not in this bundle")
    joined = join_layer(base, small_layer(base), dataset_label="Base")
    before = base.values[base.values["indicator_id"] == OFFICIAL_ID].reset_index(drop=True)
    after = joined.values[joined.values["indicator_id"] == OFFICIAL_ID].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    comp = joined.indicator(local_id(OFFICIAL_ID))
    official = base.indicator(OFFICIAL_ID)
    assert comp["official_id"] == OFFICIAL_ID and comp["origin"] == "local"
    assert comp["label"] == f"{official['label']} (local data)"
    assert (comp["unit"], comp["polarity"], comp["kind"]) == (
        official["unit"],
        official["polarity"],
        official["kind"],
    )
    assert comp["source_publisher"] == f"{TITLE} (uploaded)"
    assert comp["source_title"] == FILENAME and comp["source_licence"] == UPLOADED_LICENCE
    place = base.default_place("upper")
    value, period, title = local_figures(joined, place)[OFFICIAL_ID]
    assert value == LOCAL_VALUE and title == TITLE and period > base.periods[-1]
    assert local_figures(base, place) == {}


def test_suppressed_value_stays_missing_with_its_status(base: Bundle) -> None:
    layer = small_layer(base)
    joined = join_layer(base, layer, dataset_label="Base")
    v = joined.values
    supp = v[(v["indicator_id"] == NEW_ID) & (v["status"] == "suppressed")]
    assert len(supp) == 1 and math.isnan(supp["value"].iloc[0])
    assert NEW_ID not in joined.indicators_with_values.get(supp["place_code"].iloc[0], set())


def test_input_bundle_and_layer_are_unchanged(base: Bundle) -> None:
    before = _snapshot(base)
    layer = small_layer(base)
    layer_values = layer.values.copy(deep=True)
    join_layer(base, layer, dataset_label="Base")
    after = _snapshot(base)
    assert before[0] == after[0]
    for a, b in zip(before[1:], after[1:], strict=True):
        if a is None:
            assert b is None
        else:
            pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(layer.values, layer_values)
    assert (
        "origin" not in base.indicators.columns or not (base.indicators["origin"] == "local").any()
    )


def test_coverage_counts_the_layer(base: Bundle) -> None:
    joined = join_layer(base, small_layer(base), dataset_label="Base")
    if base.coverage is None:
        pytest.skip("bundle has no coverage table")
    cov = joined.coverage[joined.coverage["indicator_id"] == NEW_ID]
    assert cov["places_with_value"].max() == 4  # five places, one suppressed


def test_a_layer_that_redefines_or_names_an_unknown_indicator_is_refused(base: Bundle) -> None:
    layer = small_layer(base)
    clash = layer.definitions.assign(id=OFFICIAL_ID)
    with pytest.raises(LayerJoinError, match=OFFICIAL_ID):
        join_layer(base, Layer(TITLE, FILENAME, layer.values, clash), dataset_label="Base")
    orphan = layer.values.assign(indicator_id="no_such_indicator")
    with pytest.raises(LayerJoinError, match="no_such_indicator"):
        join_layer(base, Layer(TITLE, FILENAME, orphan, layer.definitions), dataset_label="B")


def test_the_joined_attribution_credits_the_base_and_the_layer() -> None:
    from dashboard import DATA_DIR
    from dashboard.bundle import read_bundle
    from tests.layers.layer_fixture import FILENAME, TITLE, small_layer

    base = read_bundle(DATA_DIR / "demo")
    layer = small_layer(base)
    joined = join_layer(base, layer, dataset_label="Demo")
    assert joined.attribution.startswith(base.attribution)
    assert f"Local data: {TITLE}" in joined.attribution and FILENAME in joined.attribution
    for publisher in set(layer.definitions["source_publisher"]):
        assert publisher in joined.attribution
    assert base.attribution == read_bundle(DATA_DIR / "demo").attribution  # input unchanged
