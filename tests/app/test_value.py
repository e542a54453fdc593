"""The Value for money page on both bundles: runs, follows the service, outcome, need and scope
choices, and offers its scores as CSV."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.vfm import CAVEAT

from .conftest import DATASETS, no_exception, start, widget

PAGE = "pages/value.py"
TABS = ["Spend and outcome", "Given need", "Efficiency frontier", "Scores and download"]


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["vfm_tab"] = label
    return at.run()


def chart_text(at: AppTest) -> str:
    charts = at.get("vega_lite_chart")
    assert charts, "a chart is drawn"
    return json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def metric(at: AppTest, start: str) -> str:
    """The value of the metric whose label starts with ``start`` (labels carry the unit)."""
    hits = [v for k, v in metrics(at).items() if k.startswith(start)]
    assert hits, f"no metric labelled '{start}…' in {list(metrics(at))}"
    return hits[0]


@pytest.mark.parametrize("dataset", DATASETS)
def test_value_page_runs_and_says_what_good_looks_like(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    no_exception(at)
    assert at.title[0].value == "Value for money"
    text = " ".join(m.value for m in at.markdown)
    assert "What good looks like" in text and "Given its need" in text
    labels = set(metrics(at))
    assert "Spend per head (cash, " in " ".join(labels), "money says it is cash, and when"
    assert {"Outcome (higher is better)", "Against expected given need (positive is better)"} <= (
        labels
    ), labels
    assert any(CAVEAT in c.value for c in at.caption)
    spec = chart_text(at)
    assert "brush" in spec and "Bubble area: population" in spec and "Sources:" in spec


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_tab_runs_and_the_scores_download(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    open_tab(at, "Given need")
    no_exception(at)
    spec = chart_text(at)
    assert "R²" in spec and "cannot" in spec, "n, R² and the caveat travel with the chart"
    open_tab(at, "Efficiency frontier")
    no_exception(at)
    assert "Efficiency frontier" in chart_text(at)
    assert len(at.dataframe) >= 2, "the specifications and the frontier places compared with"
    open_tab(at, "Scores and download")
    no_exception(at)
    table = at.dataframe[-1].value
    assert "dea_score_0_1" in table and table["dea_score_0_1"].dropna().between(0, 1).all()
    assert any("Download the scores" in str(b.proto.label) for b in at.get("download_button"))


@pytest.mark.parametrize("dataset", DATASETS)
def test_service_outcome_and_need_choices_change_the_page(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    at.selectbox(key="vfm_service_upper").set_value("education").run()
    no_exception(at)
    outcome = at.selectbox(key="vfm_outcome_upper_education")
    assert outcome.value == "ks2_expected_pct"
    before = metric(at, "Outcome")
    outcome.set_value("persistent_absence_pct").run()  # lower is better
    no_exception(at)
    assert metric(at, "Outcome (lower is better)") != before
    assert "lower is better" in chart_text(at)
    needs = at.multiselect(key="vfm_needs_upper_education")
    assert needs.value == ["child_poverty_pct", "imd_score"]
    open_tab(at, "Given need")
    assert "Children in relative low-income families" in chart_text(at)
    needs.set_value(["imd_score"]).run()
    no_exception(at)
    spec = chart_text(at)
    assert "regression on Index of Multiple Deprivation" in spec
    assert "Children in relative low-income families" not in spec
    at.multiselect(key="vfm_needs_upper_education").set_value([]).run()
    no_exception(at)
    assert any("Choose at least one need indicator" in c.value for c in at.caption)


@pytest.mark.parametrize("dataset", DATASETS)
def test_restricting_to_the_comparison_group(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    open_tab(at, "Scores and download")
    every = len(at.dataframe[-1].value)
    at.radio(key="vfm_scope").set_value("group").run()
    no_exception(at)
    group = len(at.dataframe[-1].value)
    assert group <= 16 < every, "the fit runs across the place and its 15 peers"
    # a small region: too few places is said plainly, not an error
    widget(at, "Compare with").set_value("custom").run()
    no_exception(at)
    assert any("Too few places" in c.value for c in at.caption)


def test_lower_tier_and_dea_outcomes() -> None:
    at = start({"dataset": "demo", "level": "lower"}, page=PAGE)
    no_exception(at)
    assert at.selectbox(key="vfm_service_lower").options
    at = start({"dataset": "demo"}, page=PAGE)
    key = "vfm_dea_outputs_upper_adult_social_care_asc_user_qol"
    at.multiselect(key=key).set_value(
        ["asc_user_qol", "asc_short_term_outcome_pct", "asc_easy_info_pct"]
    ).run()
    no_exception(at)
    open_tab(at, "Efficiency frontier")
    assert "Users who find it easy to find information" in chart_text(at)
