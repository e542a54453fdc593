"""Profile chart builders give valid Vega-Lite with the attribution and real values in tooltips."""

from __future__ import annotations

import json

from dashboard.analysis.profile import (
    england_label,
    profile_table,
    spend_by_service,
    spine_rows,
    trend_table,
)
from dashboard.charts.profile import spend_chart, spine_chart, trend_chart
from tests.analysis.test_profile import profile_bundle

GROUP = ["U1", "U2", "U3", "U4", "U5"]


def test_builders_give_valid_specs_with_attribution() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", GROUP, "2024-25", "picked (5)")
    eng = england_label("upper")
    specs = [
        spine_chart(spine_rows(t, detailed=True), "Place U0", "picked (5)", eng, "Made by hand"),
        spend_chart(spend_by_service(t), "Place U0", "picked (5)", eng, "2024-25", "Made by hand"),
        trend_chart(
            trend_table(b, "U0", "upper", GROUP, "good_up"),
            "good up",
            "percent",
            "Place U0",
            "picked (5)",
            eng,
            "Made by hand",
        ),
    ]
    for chart in specs:
        text = json.dumps(chart.to_dict(validate=True))  # raises on an invalid spec
        assert "Made by hand" in text and eng in text


def test_spine_tooltips_carry_units_and_judgements() -> None:
    b = profile_bundle()
    t = profile_table(b, "U0", "upper", GROUP, "2024-25", "picked (5)")
    text = json.dumps(spine_chart(spine_rows(t, True), "Place U0", "g", "E", "a").to_dict())
    assert "90.0%" in text, "the place's value is shown with its unit"
    assert "better" in text and "quintile 1 (lowest)" in text


def test_spine_attribution_is_wrapped_to_the_bars_and_their_value_text() -> None:
    """The spine is faceted (it states no width of its own), so its attribution is wrapped to
    the bars and the value text beside them: at 1280 px it ran 120 characters past the page."""
    from dashboard.analysis.profile import profile_table, spine_rows
    from dashboard.charts.profile import VALUE_TEXT_PX, spine_chart
    from tests.analysis.test_profile import profile_bundle

    t = profile_table(profile_bundle(), "U0", "upper", ["U1", "U2"], "2024-25", "picked (2)")
    long = (
        "Contains public sector information licensed under the Open Government Licence v3.0. " * 3
    )
    spec = spine_chart(spine_rows(t, True), "Place U0", "picked (2)", "England", long).to_dict()
    texts = [line for part in spec["vconcat"][1:] for line in part["encoding"]["text"]["value"]]
    assert len(texts) > 1, "a long attribution is wrapped"
    assert max(len(x) for x in texts) <= (300 + VALUE_TEXT_PX) // 6


def _without_rows(spec: dict) -> tuple[dict, list[dict]]:
    """A spine spec's rows (as Vega-Lite receives them) and the rest of it, the rows' name
    left out."""
    import copy

    from altair.utils.data import to_values

    spec = copy.deepcopy(spec)
    part = next(p for p in [spec, *spec.get("vconcat", [])] if "facet" in p)
    rows = spec.pop("datasets")[part.pop("data")["name"]]
    if not isinstance(rows, list):
        rows = to_values(rows)["values"]
    return spec, rows


def test_a_spine_chart_filled_from_its_template_is_the_chart_built_for_that_place() -> None:
    """The template is built on one place's rows; filled with another place's rows and words,
    it is the spec built for that place (rows, group order, words and description), so the
    page need not build the chart for each place."""
    from dashboard.charts.profile import spine_fill, spine_template

    b = profile_bundle()
    eng = england_label("upper")
    first = spine_rows(profile_table(b, "U0", "upper", GROUP, "2024-25", "picked (5)"), False)
    other = ["U0", "U2", "U3", "U4", "U5"]
    rows = spine_rows(profile_table(b, "U1", "upper", other, "2024-25", "its region (5)"), True)
    name = 'A "quoted" place with a very long name indeed, for the legend'
    filled = spine_fill(spine_template(first, "Made by hand"), rows, name, "its region (5)", eng)
    built = spine_chart(rows, name, "its region (5)", eng, "Made by hand").to_dict(validate=False)
    assert _without_rows(filled) == _without_rows(built)
    assert len(_without_rows(filled)[1]) == len(rows) > len(first)
