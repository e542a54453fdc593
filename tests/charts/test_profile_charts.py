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


def _rendered(spec: dict) -> str:
    """The SVG Vega draws from ``spec`` (its rows as JSON records)."""
    import vl_convert as vlc

    from dashboard.present.kinds_base import inline_frames

    return vlc.vegalite_to_svg(inline_frames(spec))


def test_a_spine_chart_from_its_template_is_the_same_spec_for_every_place() -> None:
    """The template is built on one place's rows; filled for two other places (rows of another
    length and groups), the spec is the same, so the browser keeps its Vega view and swaps the
    rows; each place's name and group still show, in the drawn title and in the words."""
    from dashboard.charts.profile import SPINE_ROWS, spine_fill, spine_template

    b = profile_bundle()
    eng = england_label("upper")
    first = spine_rows(profile_table(b, "U0", "upper", GROUP, "2024-25", "picked (5)"), False)
    template = spine_template(first, "Made by hand")
    other = ["U0", "U2", "U3", "U4", "U5"]
    rows1 = spine_rows(profile_table(b, "U1", "upper", other, "2024-25", "its region (5)"), True)
    rows2 = spine_rows(profile_table(b, "U2", "upper", GROUP, "2024-25", "picked (5)"), False)
    name = 'A "quoted" place with a long name'
    spec1, words1 = spine_fill(template, rows1, name, "its region (5)", eng)
    spec2, words2 = spine_fill(template, rows2, "Place U2", "picked (5)", eng)
    data1, data2 = spec1.pop("datasets")[SPINE_ROWS], spec2.pop("datasets")[SPINE_ROWS]
    assert spec1 == spec2, "only the rows differ between places"
    assert len(data1) == len(rows1) > len(data2) == len(rows2)
    assert spec1["description"].startswith("Spine chart: ")
    assert words1.startswith(f"Spine chart: {name} against its region (5)")
    assert "Place U2 against picked (5)" in words2
    svg = _rendered({**spec1, "datasets": {SPINE_ROWS: data1}})
    assert "A &quot;quoted&quot; place with a long name against its region (5)" in svg
    assert eng in svg, "the tier's England marker is put in"
    # built for one place, the chart says the same things (its title in words, not from rows)
    built = json.dumps(spine_chart(rows1, name, "its region (5)", eng, "Made by hand").to_dict())
    assert f"{name} against its region (5)".replace('"', '\\"') in built
