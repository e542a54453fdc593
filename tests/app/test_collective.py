"""The Public spend here page on both bundles: partners on the demo, the council alone on
England, the per-head / total toggle, the table and what is missing."""

from __future__ import annotations

import json

import pytest

from dashboard.ui.controls import COLLECTIVE

from .conftest import DATASETS, no_exception, start

PAGE = "pages/collective.py"


def _spec(at) -> dict:
    (chart,) = [*at.get("vega_lite_chart"), *at.get("arrow_vega_lite_chart")]
    return json.loads(chart.proto.spec)


def _table(at):
    return next(d.value for d in at.dataframe if "Spend line" in d.value.columns)


def test_demo_shows_partners_beside_the_council() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    no_exception(at)
    assert at.title[0].value == "Public spend here"
    assert not any("Add a data layer" in i.value for i in at.info)
    table = _table(at)
    assert {"Council", "NHS", "Police", "Fire and rescue", "DWP", "Voluntary sector"} <= set(
        table["Agency"]
    )
    assert {"Outcomes it bears on", "Source", "£ total", "Group median, £ per head"} <= set(
        table.columns
    )
    assert "none in this bundle" in set(table["Outcomes it bears on"])
    metrics = {m.label: m.value for m in at.metric}
    per_head = float(metrics["Public spend per head"].strip("£").replace(",", ""))
    assert per_head == pytest.approx(table["£ per head"].sum(), abs=len(table))
    share = int(metrics["The council's share"].rstrip("%"))
    council = table.loc[table["Agency"] == "Council", "£ per head"].sum()
    assert share == round(100 * council / table["£ per head"].sum())
    spec = _spec(at)
    assert spec["description"].startswith("Stacked bar chart: ")
    assert "£ per head" in spec["vconcat"][0]["encoding"]["x"]["title"]
    assert [b.label for b in at.download_button] == ["PNG", "SVG", "CSV"]


def test_the_toggle_shows_totals_in_pounds() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    at.session_state[COLLECTIVE.measure] = "total"
    at.run()
    no_exception(at)
    spec = _spec(at)
    assert "£ in total" in spec["vconcat"][0]["encoding"]["x"]["title"]
    total = next(m.value for m in at.metric if m.label == "Public spend in total")
    assert total.startswith("£") and total.endswith("m")
    words = " ".join(c.value for c in at.caption)
    assert f": {total} in all (Council £" in words, "the chart in words, under it, adds up"
    table = _table(at)
    assert float(total[1:-1]) == pytest.approx(table["£ total"].sum() / 1e6, abs=0.05)


@pytest.mark.parametrize("dataset", DATASETS)
def test_page_runs_and_says_what_is_missing(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    no_exception(at)
    assert "What is missing" in [h.value for h in at.subheader]
    if dataset == "england":
        assert any("Only the council's own spend is shown" in i.value for i in at.info)
        assert any("add a data layer" in i.value.lower() for i in at.info)
        assert set(_table(at)["Agency"]) == {"Council"}
        assert next(m.value for m in at.metric if m.label == "The council's share") == "100%"
        assert any("No spend for" in m.value and "NHS" in m.value for m in at.markdown)


def test_lower_tier_district_has_its_own_lines_and_partners() -> None:
    at = start({"dataset": "demo", "level": "lower"}, page=PAGE)
    no_exception(at)
    table = _table(at)
    council = set(table.loc[table["Agency"] == "Council", "Service"])
    assert "Adult social care" not in council  # a district runs no adult social care
    assert "NHS" in set(table["Agency"])
