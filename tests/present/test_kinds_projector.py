"""The projector's fitting of a chart with its source line (charts.theme.attribute): text at
the projector's sizes, the source wrapped to the chart, the plot given the height its text
leaves in the slide's chart box, and text that cannot fit moved to the speaker notes."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts.theme import attribute
from dashboard.present.kinds_base import chart_fields, without_subtitles
from dashboard.present.projector import CHAR_WIDTH, overhead_px, plot_height, projector_spec
from dashboard.present.settings import present_settings

SOURCE = " ".join(["Contains public sector information licensed under the OGL v3.0."] * 6)


def _chart(width: int, subtitle: list[str] | None = None) -> dict:
    data = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
    c = alt.Chart(data).mark_line().encode(x="x:Q", y=alt.Y("y:Q", title="A long y axis " * 6))
    title = alt.Title("A chart", subtitle=subtitle) if subtitle else "A chart"
    return attribute(c.properties(width=width, height=300, title=title), SOURCE).to_dict()


def test_the_source_line_wraps_to_a_narrow_chart_not_to_the_slide() -> None:
    s = present_settings()
    narrow = projector_spec(_chart(300))
    line = narrow["vconcat"][-1]["encoding"]["text"]["value"]
    longest = max(len(x) for x in line)
    assert longest * s.attribution_font_px * CHAR_WIDTH <= 300 + 5 * s.min_font_px
    wide = projector_spec(_chart(s.chart_width_px))
    assert len(wide["vconcat"][-1]["encoding"]["text"]["value"]) < len(line)


def test_the_plot_gets_the_height_its_text_leaves_in_the_box() -> None:
    s = present_settings()
    spec = projector_spec(_chart(600))
    plot = spec["vconcat"][0]["height"]
    assert plot + overhead_px(spec, s.min_font_px) <= s.chart_height_px
    assert plot == plot_height(_chart(600))
    taller = projector_spec(_chart(600), height=s.chart_height_px * 2)
    assert taller["vconcat"][0]["height"] > plot


def test_a_rotated_y_title_is_wrapped_to_the_plot_height() -> None:
    s = present_settings()
    spec = projector_spec(_chart(600))
    plot = spec["vconcat"][0]
    title = plot["encoding"]["y"]["title"]
    assert isinstance(title, list) and len(title) > 1
    assert all(
        len(t) * s.min_font_px * CHAR_WIDTH <= max(plot["height"], 12 * s.min_font_px)
        for t in title
    )


def test_subtitles_that_cannot_fit_go_to_the_notes() -> None:
    many = [f"Line {i} of what the chart shows and how to read it." for i in range(12)]
    fields = chart_fields(_chart(600, many))
    assert "subtitle" not in str(fields["chart"]["vconcat"][0].get("title", ""))
    assert "Line 11 of what the chart shows" in fields["chart_notes"]
    few = chart_fields(_chart(600, ["One line."]))
    assert "chart_notes" not in few
    spec, notes = without_subtitles(_chart(600, ["Kept in the notes."]))
    assert notes == "Kept in the notes." and "subtitle" not in str(spec["vconcat"][0]["title"])


def test_work_is_kept_per_owner_by_identity_not_shared_across_objects() -> None:
    """A slide's cached work (profile, scenario figures) belongs to one bundle or case: another
    object with the same key gets its own, the same object its kept result."""
    from dashboard.present.kinds_base import memo

    class Owner:
        pass

    a, b = Owner(), Owner()
    calls: list[str] = []
    assert memo(a, ("k",), lambda: calls.append("a") or "from a") == "from a"
    assert memo(b, ("k",), lambda: calls.append("b") or "from b") == "from b"
    assert memo(a, ("k",), lambda: calls.append("again") or "recomputed") == "from a"
    assert calls == ["a", "b"]


def test_a_chart_leaves_out_the_source_its_slide_footer_states_and_keeps_its_own() -> None:
    from dashboard.present.projector import footer_source

    s = present_settings()
    with footer_source(SOURCE):
        alone = projector_spec(_chart(600))
        keyed = projector_spec(
            attribute(
                alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"),
                f"Thick outline: the place. {SOURCE}",
            ).to_dict()
        )
    # the chart alone is sized as one view, its source line gone (the footer states it)
    assert "vconcat" not in alone and alone["height"] <= s.chart_height_px
    assert SOURCE not in str(alone)
    # a line with more than the footer's words keeps them
    assert keyed["vconcat"][-1]["encoding"]["text"]["value"] == ["Thick outline: the place."]
    # without a footer, the source stays under the chart
    assert SOURCE.split(".")[0] in str(projector_spec(_chart(600)))
