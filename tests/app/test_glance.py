"""Profile and Home on England read at a glance: Ofsted in words with the inspection month,
indicators grouped by what they measure, trend lines broken at gaps, district Home cards that
all have a value and name their period when it is not the chosen one."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import england_built, no_exception, start

pytestmark = pytest.mark.skipif(
    not england_built(),
    reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
)

PROFILE = "pages/profile.py"
#: Bath and North East Somerset: ILACS overall effectiveness Good, inspected 28 February 2022
#: (Ofsted, LA inspection outcomes as at 31 March 2025, sheet Inspections_as_at_31_March).
BATH = "E06000022"
CAMBRIDGE = "E07000008"


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["profile_tab"] = label
    return at.run()


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_tables(at: AppTest, k: int = 0) -> list[pd.DataFrame]:
    """The data of chart ``k`` (Streamlit sends a spec's datasets beside it, as Arrow)."""
    chart = at.get("vega_lite_chart")[k].proto
    return [
        pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pandas() for d in chart.datasets
    ]


def test_upper_tier_profile_shows_ofsted_in_words_with_its_inspection_month() -> None:
    at = start({"dataset": "england", "place": BATH}, page=PROFILE)
    no_exception(at)
    spine = pd.concat(chart_tables(at), ignore_index=True)
    row = spine[spine["indicator"] == "Ofsted ILACS overall effectiveness"].iloc[0]
    assert row["row_text"] == "Good · inspected Feb 2022"
    sentence = next(m.value for m in at.markdown if "outcome indicators" in m.value)
    assert "are similar to" in sentence and "better" in sentence and "worse" in sentence
    open_tab(at, "Table and download")
    no_exception(at)
    table = at.dataframe[0].value.set_index("indicator")
    row = table.loc["Ofsted ILACS overall effectiveness"]
    assert row["value"] == "Good" and row["period"] == "inspected February 2022"
    assert row["group median"] in ("Outstanding", "Good", "Requires improvement", "Inadequate") or (
        " to " in row["group median"]
    )
    assert "Good" in row["group range"] and "." not in row["group median"], "words, not a mean"
    assert table.loc["Employment rate (16-64)", "group"] == "Economy and work"


def test_district_profile_groups_by_what_indicators_measure() -> None:
    at = start({"dataset": "england", "level": "lower", "place": CAMBRIDGE}, page=PROFILE)
    no_exception(at)
    open_tab(at, "Table and download")
    table = at.dataframe[0].value
    groups = dict(zip(table["indicator"], table["group"], strict=True))
    assert groups["Employment rate (16-64)"] == "Economy and work"
    assert groups["Claimant count"] == "Economy and work"
    assert groups["Healthy life expectancy at birth"] == "Health"
    assert "Other services" not in set(table["group"])
    hle = table.set_index("indicator").loc["Healthy life expectancy at birth"]
    assert hle["value"] == "not published for district councils"
    employment = table.set_index("indicator").loc["Employment rate (16-64)"]
    assert employment["period"] == "2023, latest"


def test_trend_line_is_not_drawn_across_the_years_without_spend_data() -> None:
    at = start({"dataset": "england"}, page=PROFILE)
    open_tab(at, "Trends")
    no_exception(at)
    lines = next(t for t in chart_tables(at) if "series" in t.columns)
    by_run = {run: g["end_year"].astype(int).tolist() for run, g in lines.groupby("run")}
    for run, years in by_run.items():
        ys = sorted(years)
        assert all(b - a == 1 for a, b in zip(ys, ys[1:], strict=False)), (run, ys)
    assert any(2018 in ys for ys in by_run.values()) and any(2023 in ys for ys in by_run.values())
    assert "no values between 2017-18 and 2022-23" in json.dumps(specs(at)[0])


def test_district_home_cards_all_have_a_value_and_name_older_periods() -> None:
    at = start({"dataset": "england", "level": "lower", "place": CAMBRIDGE})
    no_exception(at)
    labels = [m.label for m in at.metric]
    assert len(labels) >= 4
    assert not any("Healthy life expectancy" in x for x in labels)
    assert all(m.value and "no value" not in m.value for m in at.metric)
    captions = [c.value for c in at.caption]
    assert not any(c.startswith("No ") and "value" in c for c in captions)
    assert any("2023, latest" in c for c in captions), "the employment card names its year"
    # a 2024-25 value needs no period (money cards add only their price basis)
    assert any(c.split(" · ")[0].endswith("the group") and "latest" not in c for c in captions)


def test_trend_says_why_a_period_has_no_value_and_names_englands_line() -> None:
    """Kent's whole-area total is missing for 2023-24 (Canterbury's return): the trend's caption
    says so, and the England line says which periods the median of councils stands in for
    (MHCLG's 2017-18 workbook has no England totals)."""
    at = start({"dataset": "england", "level": "upper", "place": "E10000016"}, page=PROFILE)
    at.session_state["profile_tab"] = "Trends"
    at.run()
    no_exception(at)
    text = " ".join(c.value for c in at.caption)
    assert "No value for Kent in 2023-24" in text and "return from Canterbury" in text
    series = {str(x) for t in chart_tables(at) if "series" in t for x in t["series"]}
    assert "England (2017-18: median of upper-tier councils)" in series, series
