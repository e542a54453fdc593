"""The Value for money page on both bundles: runs, follows the service, outcome, need and scope
choices, and offers its scores as CSV."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import vfm
from dashboard.analysis.vfm import CAVEAT

from .conftest import DATASETS, england_built, no_exception, start, widget

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
    assert any(re.fullmatch(r"Outcome(, \w+)? \((higher|lower) is better\)", x) for x in labels)
    assert any(re.fullmatch(r"Against expected(, \w+)? \(\+ is better\)", x) for x in labels)
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
    needs = at.multiselect(key="vfm_needs_upper_education")  # this run's widget, not the last
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


# --- the gap as a range, its fit and the verdict -------------------------------------------------
CASES = [
    ("demo", "upper", None),
    ("demo", "lower", None),
    pytest.param("england", "upper", "E10000016", marks=DATASETS[1].marks),  # Kent
    pytest.param("england", "lower", "E07000008", marks=DATASETS[1].marks),  # Cambridge
]


def _page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for a in [*at.warning, *at.info]]
    parts += [f"{m.label} {m.value} {m.help}" for m in at.metric]
    return "\n".join(parts)


@pytest.mark.parametrize(("dataset", "level", "place"), CASES)
def test_the_gap_is_a_range_with_its_fit_verdict_and_units(
    dataset: str, level: str, place: str | None
) -> None:
    query = {"dataset": dataset, "level": level, **({"place": place} if place else {})}
    at = start(query, page=PAGE)
    no_exception(at)
    text = _page_text(at)
    # the range, in £ per head and £ a year, priced as cash of a named year
    gap = r"Gap to the frontier(, on weak evidence)?: (£[\d,]+ to £[\d,]+ per head|.*all \d)"
    assert re.search(gap, text) or ("On the frontier in all" in text), text
    assert "(cash, 20" in text
    # each specification's fit beside it
    table = at.dataframe[0].value
    assert {"Specification", "Places (n)", "R² (need, spend)"} <= set(table.columns)
    assert len(table) == len(vfm.specifications())
    assert table["Places (n)"].max() >= 10
    # a plain verdict on the strength of the evidence, and what a weak figure is not
    verdict = " ".join(a.value for a in [*at.warning, *at.info])
    assert re.search(
        r"(Weak|Moderate|Strong) evidence: need explains \d+% of the variation", verdict
    )
    if "Weak evidence" in verdict:
        assert "not a saving that could be made" in verdict
    # headline numbers carry their unit and what a higher value means
    labels = " ".join(m.label for m in at.metric)
    assert "higher is better" in labels or "lower is better" in labels
    assert "Efficiency score (1 = on the frontier)" in labels
    # no single money claim: every '£…m' is one end of a 'from … to …' range
    millions = re.findall(r"£[\d.]+(?:m|bn)", text)
    ranged = re.findall(r"£[\d.]+(?:m|bn|k)? to £[\d.]+(?:m|bn)", text)
    assert len(millions) <= 2 * len(ranged), text
    assert "about £" not in text


def test_outcomes_offered_are_only_the_curated_pairs() -> None:
    from dashboard import DATA_DIR
    from dashboard.bundle import read_bundle

    demo = read_bundle(DATA_DIR / "demo")
    at = start({"dataset": "demo", "level": "lower"}, page=PAGE)
    no_exception(at)
    assert at.selectbox(key="vfm_service_lower").value == "housing"
    outcome = at.selectbox(key="vfm_outcome_lower_housing")
    allowed = {p.outcome_id for p in vfm.pairs() if p.spend_id == "spend_housing_per_head"}
    labels = {demo.indicator(i)["label"] for i in allowed if i in set(demo.indicators["id"])}
    assert outcome.options and set(outcome.options) <= labels
    assert demo.indicator("housing_affordability_ratio")["label"] not in outcome.options
    assert any("Why this pairing" in c.value for c in at.caption)


def test_constant_returns_to_scale_and_scale_efficiency() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    at.radio(key="vfm_rts").set_value("crs").run()
    no_exception(at)
    open_tab(at, "Efficiency frontier")
    no_exception(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Returns to scale: **constant**" in text and "scale efficiency" in text
    assert "(constant returns to scale)" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("dataset", DATASETS)
def test_real_terms_reprice_every_pound_and_say_so(dataset: str) -> None:
    """With real terms chosen, an older year's spend and gap are at the price base (a factor
    above 1 on a rising index), the basis is named, and the scores are unchanged."""
    older = {"demo": "2021-22", "england": "2022-23"}[dataset]
    cash = start({"dataset": dataset, "period": older}, page=PAGE)
    real = start({"dataset": dataset, "period": older, "prices": "real"}, page=PAGE)
    no_exception(cash)
    no_exception(real)
    spend_c, spend_r = metric(cash, "Spend per head"), metric(real, "Spend per head")
    assert float(spend_r.strip("£").replace(",", "")) > float(spend_c.strip("£").replace(",", ""))
    assert metric(cash, "Efficiency score") == metric(real, "Efficiency score")
    text = " ".join(m.value for m in real.markdown)
    assert "real terms" in text and "(cash, " not in text
    assert "(cash, " in " ".join(m.value for m in cash.markdown)


@pytest.mark.skipif(not england_built(), reason="England bundle not built (build-england)")
def test_a_score_outcome_puts_its_unit_in_the_label_not_the_cut_off_value() -> None:
    at = start({"dataset": "england", "level": "upper", "place": "E10000016"}, page=PAGE)
    no_exception(at)
    out = {k: v for k, v in metrics(at).items() if k.startswith("Outcome")}
    (label, value) = next(iter(out.items()))
    assert label == "Outcome, score (higher is better)", label
    assert re.fullmatch(r"0\.\d{3}", value), value


@pytest.mark.skipif(not england_built(), reason="England bundle not built (build-england)")
def test_a_place_left_out_is_told_why_from_the_data() -> None:
    """Cambridge sent no H-CLIC data for three quarters of 2023-24: the page says so, in the
    words of the build's note, rather than only 'lacks a value'."""
    at = start(
        {"dataset": "england", "level": "lower", "place": "E07000008", "period": "2023-24"},
        page=PAGE,
    )
    no_exception(at)
    text = " ".join(i.value for i in at.info)
    assert "Cambridge lacks a value" in text
    assert "no H-CLIC data for 2023-24 Q1, Q2, Q3 from Cambridge" in text
