"""The collective picture's stacked bar chart: stacks by agency, the place beside the group's
medians, per head or in total, its description and categorical agency colours."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts.collective import collective_chart, stack_data
from dashboard.charts.theme import AGENCY_COLOURS, JUDGEMENT

LINES = pd.DataFrame(
    {
        "agency": ["council", "council", "nhs", "voluntary"],
        "agency_label": ["Council", "Council", "NHS", "Voluntary sector"],
        "indicator_id": ["a", "b", "c", "d"],
        "line": ["Adult care", "Roads", "Mental health", "Grants"],
        "service_label": ["Adult social care", "Highways", "Public health", "Culture"],
        "per_head": [400.0, 60.0, 300.0, None],
        "total": [40e6, 6e6, 30e6, None],
        "group_median_per_head": [380.0, 70.0, 310.0, 12.0],
        "group_median_total": [39e6, 7e6, 31e6, 1.2e6],
        "group_places": [10, 10, 10, 4],
        "outcomes": ["x", "none in this bundle", "y", "none in this bundle"],
        "source": ["s"] * 4,
    }
)


def test_stack_has_the_place_and_the_group_and_skips_lines_without_a_figure() -> None:
    data = stack_data(LINES, "Here")
    own = data[data["bar"] == "Here"]
    assert own["line"].tolist() == ["Adult care", "Roads", "Mental health"]
    assert data[data["bar"] != "Here"]["value"].sum() == pytest.approx(772.0)
    assert own["order"].is_monotonic_increasing  # council first, then partners


@pytest.mark.parametrize(
    ("measure", "words", "total"),
    [("per_head", "£ per head", "£760 per head"), ("total", "£ in total", "£76.0m")],
)
def test_chart_title_axis_and_description(measure: str, words: str, total: str) -> None:
    spec = collective_chart(
        LINES, "Here", "10 similar councils", "2024-25", "Fictional", measure
    ).to_dict()
    assert spec["description"].startswith("Stacked bar chart: ")
    assert f"{total} in all (Council " in spec["description"]
    assert "10 similar councils" in spec["description"]
    enc = spec["vconcat"][0]["encoding"]
    assert words in enc["x"]["title"] and enc["x"]["stack"] == "zero"
    scale = enc["color"]["scale"]
    assert scale["domain"] == ["Council", "NHS", "Voluntary sector"]
    assert scale["range"] == [AGENCY_COLOURS[a] for a in ("council", "nhs", "voluntary")]
    assert not set(scale["range"]) & {JUDGEMENT["better"], JUDGEMENT["worse"]}
    assert "Fictional" in str(spec["vconcat"][1])  # the attribution under the chart


def test_every_agency_has_its_own_colour() -> None:
    from dashboard.bundle.schema import AGENCIES

    colours = [AGENCY_COLOURS[a] for a in AGENCIES]
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize("measure", ["per_head", "total"])
def test_a_template_filled_per_place_is_the_same_spec_for_every_place(measure: str) -> None:
    """The chart is built once and filled for each place: the spec is the same for two places
    with the same group words (the browser swaps the rows), the place's bar on top; each
    place's words (quotes too) are in its rows, in the drawn title and in the chart in words."""
    import html
    import json

    import vl_convert as vlc

    from dashboard.charts.collective import (
        COLLECTIVE_ROWS,
        GROUP_MARK,
        collective_agencies,
        collective_fill,
        collective_template,
    )
    from dashboard.present.kinds_base import inline_frames

    template = collective_template(LINES, "2024-25", "Fictional", measure, "cash")
    other = LINES.assign(per_head=LINES["per_head"] * 2, total=LINES["total"] / 3)
    specs = []
    for lines, place in ((LINES, "Here"), (other, 'St "Q" & Co')):
        data = stack_data(lines, place, measure)
        assert collective_agencies(data) == ("council", "nhs", "voluntary")
        spec, words = collective_fill(template, data, place, "10 similar", "2024-25", measure)
        assert words.startswith(f"Stacked bar chart: public spend in {place} by agency")
        text = json.dumps(inline_frames(spec))
        assert "10 similar" in text and GROUP_MARK not in text
        svg = vlc.vegalite_to_svg(inline_frames(spec))
        assert html.escape(f"Public spend in {place} by agency") in svg
        rows = spec.pop("datasets")[COLLECTIVE_ROWS]
        assert rows.loc[rows["bar"] == place, "bar_order"].eq(0).all(), "the place's bar first"
        specs.append(spec)
    assert specs[0] == specs[1]
    built = collective_chart(LINES, "Here", "10 similar", "2024-25", "Fictional", measure)
    assert "Public spend in Here by agency" in json.dumps(built.to_dict())
