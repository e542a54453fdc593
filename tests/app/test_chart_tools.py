"""Every chart the app draws has the one control under it: PNG, SVG and CSV downloads and
"Show as table", whose table has the chart's rows with readable headers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.ui.chart_tools import TABLE_LABEL, ChartExport, chart_files
from dashboard.ui.data import available_datasets
from dashboard.ui.state import Context
from dashboard.view import View

from .conftest import DATASETS, no_exception, start

#: page, session key of its tabs, the tabs that draw charts (None: the page has no tabs).
PAGES = [
    ("pages/profile.py", "profile_tab", ["Spine chart", "Spend by service", "Trends"]),
    ("pages/value.py", "vfm_tab", ["Spend and outcome", "Given need", "Efficiency frontier"]),
    ("pages/maps.py", None, [None]),
    ("pages/collective.py", None, [None]),
    (
        "pages/scenario.py",
        "sc_tab",
        [
            "Outcomes",
            "Who pays, who gains",
            "Spend",
            "Agencies",
            "Waterfall",
            "Best split",
            "Compare",
        ],
    ),
]
CASES = [(p, k, t) for p, k, tabs in PAGES for t in tabs]


def _charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))


def _toggles(at: AppTest) -> list:
    return [t for t in at.toggle if t.label == TABLE_LABEL]


def _open(dataset: str, page: str, key: str | None, tab: str | None) -> AppTest:
    at = start({"dataset": dataset}, page=page)
    if key:
        at.session_state[key] = tab
        at.run()
    no_exception(at)
    return at


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("page", "key", "tab"), CASES, ids=[f"{p}:{t}" for p, _, t in CASES])
def test_every_chart_has_its_control_and_table(
    dataset: str, page: str, key: str | None, tab: str | None
) -> None:
    at = _open(dataset, page, key, tab)
    n = _charts(at)
    assert n >= 1, "the tab draws a chart"
    labels = [b.label for b in at.download_button]
    for kind in ("PNG", "SVG", "CSV"):
        assert labels.count(kind) == n, f"one {kind} download per chart: {labels}"
    toggles = _toggles(at)
    assert len(toggles) == n, "one 'Show as table' per chart"
    before = [tuple(d.value.columns) for d in at.dataframe]
    toggles[0].set_value(True).run()
    no_exception(at)
    after = [tuple(d.value.columns) for d in at.dataframe]
    assert len(after) == len(before) + 1, "the toggle shows a table"
    new = [c for c in after if after.count(c) > before.count(c)]
    assert new, "a table that was not there"
    table = next(d.value for d in at.dataframe if tuple(d.value.columns) == new[0])
    assert len(table) >= 1 and all(isinstance(c, str) and c for c in table.columns)
    assert not any(c in ("place_code", "indicator_id", "code", "id") for c in table.columns), (
        "no internal ids in the table"
    )


def _context(dataset_dir, place: str | None = None) -> Context:  # noqa: ANN001
    b = read_bundle(dataset_dir)
    code = place or b.places_at("upper")["code"].iloc[0]
    period = b.meta["periods"][-1] if b.meta.get("periods") else "2024-25"
    view = View("demo", "upper", code, "region", str(period))
    return Context(view=view, bundle=b, group=[], group_text="other councils in its region")


def _drawn(chart) -> pd.DataFrame:  # noqa: ANN001
    """The rows a drawn chart carries (its first dataset, as Streamlit sends it)."""
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_spine_table_has_the_rows_the_chart_draws(dataset: str) -> None:
    """One row per indicator drawn, in the chart's order, with its words, not its id."""
    at = start({"dataset": dataset}, page="pages/profile.py")
    drawn = _drawn(at.get("vega_lite_chart")[0])
    _toggles(at)[0].set_value(True).run()
    no_exception(at)
    table = at.dataframe[-1].value
    assert len(table) == len(drawn)
    for full, short in zip(table["Indicator"], drawn["label"], strict=True):
        assert full.startswith(short.removesuffix("…")), "the table gives the label in full"
    assert "indicator" not in table.columns, "the indicator id is left out"
    assert table.columns[0] == "Indicator"


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_map_table_has_a_row_per_place_and_names_not_codes(dataset: str) -> None:
    at = start({"dataset": dataset}, page="pages/maps.py")
    _toggles(at)[0].set_value(True).run()
    no_exception(at)
    table = at.dataframe[-1].value
    bundle = read_bundle(available_datasets()[dataset])
    names = sorted(bundle.places_at("upper")["name"])
    assert sorted(table["place"]) == names
    assert (table["role"] == "selected place").sum() == 1
    assert not table["value"].str.match(r"^[EWX]\d{8}$").any()


def test_csv_ends_with_subtitle_licence_and_attribution() -> None:
    ctx = _context(DATA_DIR / "demo")
    files = chart_files(ctx, "Spend by service", method="quintile within the group")
    place = ctx.bundle.place_name(ctx.view.place)
    chart = {
        "data": {"values": [{"place_code": "X1", "place_name": place, "v": 1.234567}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "place_name", "type": "nominal", "title": "Place"},
            "x": {"field": "v", "type": "quantitative", "title": "Spend (£ per head)"},
            "tooltip": [
                {"field": "place_name", "title": "Place"},
                {"field": "v", "title": "Spend (£ per head)", "format": ",.1f"},
            ],
        },
    }
    ex = ChartExport(chart, files, ctx.bundle.attribution)
    text = ex.csv().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Place", "Spend (£ per head)"]
    assert rows[1] == [place, "1.2"], "numbers rounded as the chart's tooltip rounds them"
    tail = [r[0] for r in rows[3:]]
    assert tail[-1] == ctx.bundle.attribution, "the attribution is the last line"
    assert f"Licence: {ctx.bundle.meta['licence']}" in tail
    assert any(place in line and ctx.view.period in line for line in tail), "place and period"
    assert "compared with other councils in its region" in " ".join(tail)
    assert "quintile within the group" in tail
    assert files.stem.startswith(place.lower().replace(" ", "-"))
    assert "spend-by-service" in files.stem and files.stem.endswith(ctx.view.period)
