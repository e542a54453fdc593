"""Value-for-money chart builders: valid Vega-Lite, units in tooltips and axes, the place and
its group highlighted, the caveats and sources carried by the chart."""

from __future__ import annotations

import json

import pytest

from dashboard import DATA_DIR
from dashboard.analysis import vfm
from dashboard.bundle import read_bundle
from dashboard.charts import vfm as charts
from dashboard.charts.theme import HIGHLIGHT


@pytest.fixture(scope="module")
def setup():
    b = read_bundle(DATA_DIR / "demo")
    codes = b.place_codes("upper")
    ids = ["spend_asc_per_head", "asc_workforce_turnover_pct", "imd_score"]
    fr = vfm.frame(b, b.periods[-1], codes, ids)
    fit = vfm.need_fit(fr, ids[0], ids[1], ids[2:], "lower_is_better")
    front = vfm.frontier(fr, ids[0], [ids[1]], [True], ids[2:])
    return codes[0], b.place_name(codes[0]), codes[1:16], fit, front


def _spec(chart) -> str:
    return json.dumps(chart.to_dict(validate=True), ensure_ascii=False)


def test_tradeoff_chart_is_valid_and_readable(setup) -> None:
    place, name, group, fit, _ = setup
    data = charts.scatter_data(fit.table, place, name, group, "percent")
    assert data["is_place"].sum() == 1 and data["role"].iloc[-1] == name, "place drawn on top"
    assert (data["role"] == charts.GROUP_LABEL).sum() == len(group)
    assert data["outcome_text"].str.endswith("%").all()
    assert data["spend_text"].str.startswith("£").all()
    chart = charts.tradeoff_chart(
        population_legend=charts.population_legend_values(data["population_size"]),
        place_name=name,
        spend_label="Adult social care spend per head",
        outcome_label="Adult social care workforce turnover",
        outcome_unit="percent",
        polarity="lower_is_better",
        spend_median=fit.spend_median,
        outcome_median=fit.outcome_median,
        periods_text="spend 2024-25",
        across_text="Across all upper-tier places",
        attribution="Sources: test",
    )
    spec = _spec(chart)
    assert '"reverse": true' in spec, "lower is better: the axis runs so better is up"
    assert "better ↑ (lower is better)" in spec and "(£ per head)" in spec
    assert HIGHLIGHT["place"] in spec and HIGHLIGHT["group"] in spec
    assert all(q in spec for q in vfm.QUADRANTS) and "Sources: test" in spec
    assert f'"{charts.BRUSH}"' in spec and f'"{charts.PICK}"' in spec
    with_rows = charts.with_data(chart.to_dict(validate=False), data)
    assert with_rows["datasets"][charts.POINTS] is data


def test_residual_and_frontier_charts_carry_n_r2_and_caveats(setup) -> None:
    place, name, group, fit, front = setup
    data = charts.scatter_data(fit.table, place, name, group, "percent")
    assert data["bte_text"].str.endswith("pts").all()
    spec = _spec(
        charts.residual_chart(
            place_name=name,
            spend_label="Spend",
            outcome_label="Turnover",
            outcome_unit="percent",
            n=fit.regression.n,
            r2=fit.regression.r2,
            need_text="IMD",
            across_text="Across all upper-tier places",
            attribution="Sources: test",
        )
    )
    assert f"n = {fit.regression.n} places" in spec and "R² =" in spec
    assert "percentage points" in spec and "cannot" in spec
    ranked = charts.frontier_data(front.table, place, name, group)
    assert ranked["rank"].min() == 1 and ranked["is_place"].sum() == 1
    spec = _spec(
        charts.frontier_chart(
            n_places=len(ranked),
            n_frontier=int(ranked["on_frontier"].sum()),
            place_name=name,
            outputs_text="Turnover",
            need_text="IMD",
            across_text="Across all upper-tier places",
            attribution="Sources: test",
        )
    )
    assert (
        "Efficiency score (0–1; 1 = on the frontier, higher is better)" in spec
        and "Scores depend on the variables" in spec
    )
