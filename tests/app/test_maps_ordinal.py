"""The Maps page on an ordinal indicator (Ofsted): a legend of grades in words, both bundles."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import DATASETS, no_exception, start, widget

PAGE = "pages/maps.py"


def _spec(at) -> dict:
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    return json.loads(charts[0].proto.spec)


def _domain(spec: dict) -> list[str]:
    for layer in spec["layer"]:
        colour = layer.get("encoding", {}).get("color")
        if colour:
            return colour["scale"]["domain"]
    raise AssertionError("no colour scale")


@pytest.mark.parametrize("dataset", DATASETS)
def test_ofsted_map_legend_and_compare_in_words(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    widget(at, "Indicator").set_value("ofsted_ilacs_grade").run()
    no_exception(at)
    spec = _spec(at)
    domain = _domain(spec)
    assert [re.sub(r" \(\d+\)$", "", d) for d in domain if d != "No value"] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    text = json.dumps(spec)
    assert "one class per grade" in text and "grades are not ranked" in text
    assert not re.search(r"\d\.0 – \d\.0", text), "no numeric classes of grades"
    captions = " ".join(c.value for c in at.caption)
    assert "A grade is a judgement in words, not a number" in captions
    next(w for w in at.button_group if w.label == "Colour by").set_value("compare").run()
    no_exception(at)
    spec = _spec(at)
    assert any(d.startswith("Better than ") for d in _domain(spec))
    assert "middle grade" in json.dumps(spec["title"])
