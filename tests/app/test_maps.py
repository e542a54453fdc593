"""The Maps page on both bundles: indicators, periods, hexes, two maps, downloads."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import PROJECT_ROOT
from dashboard.analysis.map_values import indicator_periods
from dashboard.bundle import read_bundle
from dashboard.ui.data import available_datasets

from .conftest import DATASETS, no_exception, start, widget

PAGE = "pages/maps.py"


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart")] or [
        json.loads(c.proto.spec) for c in at.get("vega_lite_chart")
    ]


def _group(at: AppTest, label: str):
    return next(w for w in at.button_group if w.label == label)


def _urls(spec: dict) -> list[str]:
    return [layer["data"]["url"] for layer in spec["layer"] if "url" in layer.get("data", {})]


@pytest.mark.parametrize("dataset", DATASETS)
def test_map_page_draws_a_choropleth_from_static_geometry(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    no_exception(at)
    assert at.title[0].value == "Maps"
    (spec,) = _specs(at)
    urls = _urls(spec)
    assert urls and all(u.startswith("app/static/geo/") for u in urls)
    for url in urls:  # the files the browser will fetch exist
        assert (PROJECT_ROOT / "static" / url.removeprefix("app/static/")).is_file()
    assert any("-shapes." in u for u in urls)
    labels = [b.label for b in at.download_button]
    assert labels == ["PNG", "SVG", "CSV"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_changing_indicator_changes_values_not_shapes(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    before = _specs(at)[0]
    bundle = read_bundle(available_datasets()[dataset])
    box = widget(at, "Indicator")
    other = next(
        i
        for i in bundle.indicators_at("upper")["id"]
        if i != box.value and indicator_periods(bundle, i, "upper")
    )
    box.set_value(other).run()
    no_exception(at)
    after = _specs(at)[0]
    assert after["title"]["text"] == bundle.indicator(other)["label"]
    assert _urls(after) == _urls(before), "the same geometry files: only the values change"


@pytest.mark.parametrize("dataset", DATASETS)
def test_hex_cartogram_and_compare_mode(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    _group(at, "Shape").set_value("hexes").run()
    _group(at, "Colour by").set_value("compare").run()
    no_exception(at)
    (spec,) = _specs(at)
    assert spec["projection"] == {"type": "identity", "reflectY": True}
    assert any("-hexes." in u for u in _urls(spec))
    # demo: its fictional England row; England: the published value of total spend per head
    assert "Difference from England" in json.dumps(spec)


@pytest.mark.parametrize("dataset", DATASETS)
def test_two_maps_side_by_side_in_two_periods(dataset: str) -> None:
    at = start({"dataset": dataset, "level": "lower"}, page=PAGE)
    next(t for t in at.toggle if t.label == "Two maps side by side").set_value(True).run()
    no_exception(at)
    assert len(_specs(at)) == 2, "two indicators side by side"
    _group(at, "Second map shows").set_value("period").run()
    no_exception(at)
    specs = _specs(at)
    assert len(specs) == 2
    assert specs[0]["title"]["text"] == specs[1]["title"]["text"], "same indicator"
    assert len(at.download_button) == 6  # PNG, SVG and CSV under each map


def test_classes_and_method_follow_the_controls() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    widget(at, "Classes").set_value("natural_breaks").run()
    next(s for s in at.slider if s.label == "Number of classes").set_value(7).run()
    no_exception(at)
    text = json.dumps(_specs(at)[0]["title"])
    assert "natural breaks, 7 classes" in text


@pytest.mark.parametrize("dataset", DATASETS[1:])
def test_map_caption_names_the_places_missing_and_why(dataset: str) -> None:
    """England, total spend per head in 2024-25: the councils whose return MHCLG had not received
    are named in the caption with the reason, and a county's gap names its district."""
    at = start({"dataset": dataset, "period": "2024-25"}, page=PAGE)
    no_exception(at)
    text = " ".join(c.value for c in at.caption)
    assert "places have no value, with the reason the source gives in the table" in text
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["place", "reason"])
    why = dict(zip(table["place"], table["reason"], strict=True))
    assert "revenue outturn return from Birmingham" in why["Birmingham"]
    assert "not received in time for publication" in why["Birmingham"]
    assert "Amber Valley" in why["Derbyshire"]


@pytest.mark.parametrize("dataset", DATASETS[1:])
def test_map_of_an_earlier_period_says_so(dataset: str) -> None:
    """Adult social care outcomes end in 2022-23 (Oflog): on a 2024-25 view the map says so."""
    at = start({"dataset": dataset, "period": "2024-25"}, page=PAGE)
    widget(at, "Indicator").set_value("asc_short_term_outcome_pct").run()
    no_exception(at)
    bundle = read_bundle(available_datasets()[dataset])
    assert indicator_periods(bundle, "asc_short_term_outcome_pct", "upper")[-1] == "2022-23"
    (spec,) = _specs(at)
    assert "2022-23, latest available" in json.dumps(spec["title"])
    text = " ".join(c.value for c in at.caption)
    assert "latest available" in text
