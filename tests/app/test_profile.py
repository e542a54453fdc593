"""The Profile page on both bundles: runs, names its method, follows the comparison group."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR
from dashboard.analysis.peers import peer_spec
from dashboard.bundle import read_bundle

from .conftest import DATASETS, no_exception, start, widget

PAGE = "pages/profile.py"
TABS = ["Spine chart", "Spend by service", "Trends", "Statistical neighbours", "Table and download"]


def heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("##### How"))


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["profile_tab"] = label
    return at.run()


def spec(at: AppTest) -> dict:
    charts = at.get("vega_lite_chart")
    assert charts, "a chart is drawn"
    return json.loads(charts[0].proto.spec)


@pytest.mark.parametrize("dataset", DATASETS)
def test_profile_runs_and_names_its_method(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    no_exception(at)
    assert at.title[0].value == "Place profile"
    text = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "median absolute deviation" in text and "confidence interval" in text
    assert any("prompt for questions, not a verdict" in i.value for i in at.info)
    assert len(at.metric) == 4
    # peers are the default comparison group when the bundle has the variables
    assert "statistical nearest neighbours" in heading(at)
    s = json.dumps(spec(at))
    assert (
        "England (published value; where there is none, the median of upper-tier councils)" in s
    ), "the England marker says what it is"


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_tab_runs(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    for label in TABS[1:]:
        open_tab(at, label)
        no_exception(at)
        tab = next(t for t in at.tabs if t.label == label)
        assert tab.children, f"tab '{label}' shows something"
    assert any("Download the profile" in str(b.proto.label) for b in at.get("download_button"))


@pytest.mark.parametrize("dataset", DATASETS)
def test_changing_the_comparison_group_changes_the_profile(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    open_tab(at, "Table and download")
    before = at.dataframe[0].value
    assert "statistical nearest neighbours" in heading(at)
    widget(at, "Compare with").set_value("region").run()
    no_exception(at)
    assert "other councils in" in heading(at)
    after = at.dataframe[0].value
    assert after["indicator"].tolist() == before["indicator"].tolist()
    assert not before["group median"].equals(after["group median"]), "the group drives the page"
    widget(at, "Compare with").set_value("england").run()
    no_exception(at)
    assert "all other upper-tier councils" in heading(at)
    assert at.query_params["group"] in ("england", ["england"])


def test_neighbours_tab_shows_why_similar() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    open_tab(at, "Statistical neighbours")
    no_exception(at)
    why, variables = at.dataframe[0].value, at.dataframe[1].value
    place = widget(at, "Place").value
    assert why["code"].iloc[0] == place and place not in why["code"].iloc[1:].tolist()
    assert len(why) == 16 and why["similarity_0_1"].is_monotonic_decreasing
    assert {"weight", "period", "why"} <= set(variables.columns)
    assert set(variables["id"]) <= {v.id for v in peer_spec("upper").variables}


def test_lower_tier_profile_and_custom_group() -> None:
    at = start({"dataset": "demo", "level": "lower"}, page=PAGE)
    no_exception(at)
    widget(at, "Compare with").set_value("custom").run()
    no_exception(at)  # no places picked yet: shown, not judged
    assert any(m.label == "Not judged" for m in at.metric)
    place = widget(at, "Place").value
    picks = [c for c in read_bundle(DATA_DIR / "demo").place_codes("lower") if c != place][:5]
    widget(at, "Places to compare with").set_value(picks).run()
    no_exception(at)
    assert "the places you picked (5)" in heading(at)


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_tab_runs_with_no_places_picked(dataset: str) -> None:
    """'Places I pick' with none picked yet: every Profile tab runs and says there is no group,
    rather than failing (the trend shows the place and England alone)."""
    for tab in ("Spine chart", "Spend by service", "Trends", "Statistical neighbours"):
        at = start({"dataset": dataset, "group": "custom"}, page=PAGE)
        at.session_state["profile_tab"] = tab
        at.run()
        no_exception(at)
        if tab == "Trends":
            assert at.get("vega_lite_chart"), "the trend is still drawn"
