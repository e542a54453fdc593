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
