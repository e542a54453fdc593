"""Charts leave the app as PNG and SVG with their text drawn in the theme's font, their
subtitle and attribution inside; their data as a table in words."""

from __future__ import annotations

import glob
import io
from pathlib import Path

import altair as alt
import numpy as np
import pytest
from PIL import Image, ImageFont

from dashboard.charts.theme import FONT, attribute
from dashboard.export.chart_data import chart_table, export_spec
from dashboard.export.images import FONT_DIRS, registered_fonts, to_png, to_svg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ATTRIBUTION = "Source: MHCLG revenue outturn (OGL v3.0)"
TITLE = "Spend per head in Elsingstead"
LIBERATION = sorted(f for d in FONT_DIRS for f in glob.glob(f"{d}/LiberationSans-Regular.ttf"))
needs_liberation = pytest.mark.skipif(
    not LIBERATION, reason="Liberation Sans not installed (Debian fonts-liberation2)"
)


def _bar(title: str | None = None, width: int = 400) -> alt.Chart:
    data = alt.Data(values=[{"service": "Adult social care", "gbp": 412.5}])
    c = alt.Chart(data).mark_bar().encode(x="gbp:Q", y="service:N").properties(width=width)
    return c.properties(title=title) if title else c


def _grey(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def test_png_is_a_png_at_twice_the_chart_size() -> None:
    one, two = to_png(_bar(TITLE), scale=1), to_png(_bar(TITLE))
    assert one[:8] == PNG_MAGIC and two[:8] == PNG_MAGIC
    w1, h1 = Image.open(io.BytesIO(one)).size
    w2, h2 = Image.open(io.BytesIO(two)).size
    assert (w2, h2) == (2 * w1, 2 * h1), "the default export is at 2x"
    assert w1 > 400, "the chart's 400 px plot plus its axis"


@needs_liberation
def test_png_draws_the_title_in_liberation_sans() -> None:
    """The title's ink is there, and as wide as Liberation Sans sets it (a fallback font such
    as DejaVu Sans is about a tenth wider)."""
    assert any(Path(d) == Path(LIBERATION[0]).parent for d in registered_fonts())
    spec = {
        "data": {"values": [{"a": 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative", "axis": None}},
        "width": 400,
        "height": 50,
        "title": {"text": TITLE, "fontSize": 20, "fontWeight": "normal"},
        "config": {"font": FONT, "background": "white"},
    }
    with_title = _grey(to_png(spec, scale=1))
    without = _grey(to_png({k: v for k, v in spec.items() if k != "title"}, scale=1))
    assert with_title.shape[0] > without.shape[0], "the title takes room"
    band = with_title[:30]
    inked = np.where((band < 128).any(axis=0))[0]
    assert inked.size, "the title's text is drawn"
    left, top, right, bottom = ImageFont.truetype(LIBERATION[0], 20).getbbox(TITLE)
    assert abs((inked.max() - inked.min()) - (right - left)) <= 0.03 * (right - left)


def test_svg_keeps_text_as_text_with_the_attribution() -> None:
    svg = to_svg(attribute(_bar(TITLE), ATTRIBUTION)).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert ATTRIBUTION in svg and TITLE in svg
    assert 'font-family="Liberation Sans' in svg


def test_export_spec_adds_the_subtitle_and_keeps_one_attribution() -> None:
    chart = attribute(_bar(TITLE), ATTRIBUTION)
    spec = export_spec(
        chart, title="ignored", subtitle=["Elsingstead, 2024-25"], attribution=ATTRIBUTION
    )
    assert "title" not in spec, "no second title over the chart's own"
    title = spec["vconcat"][0]["title"]
    assert title == {"text": TITLE, "subtitle": ["Elsingstead, 2024-25"]}
    svg = to_svg(spec).decode("utf-8")
    assert svg.count(ATTRIBUTION) == 1, "the chart already carried it"
    assert "Elsingstead, 2024-25" in svg


def test_export_spec_puts_the_attribution_in_a_chart_without_it() -> None:
    spec = export_spec(
        _bar(), title="Spend by service", subtitle=["Elsingstead, 2024-25"], attribution=ATTRIBUTION
    )
    svg = to_svg(spec).decode("utf-8")
    assert ATTRIBUTION in svg and "Spend by service" in svg and "Elsingstead, 2024-25" in svg
    png = to_png(spec)
    assert png[:8] == PNG_MAGIC


def test_chart_table_reads_like_the_chart() -> None:
    """Tooltip titles as headers, the chart's rounding, no ids; data given as a DataFrame
    (as Streamlit accepts) is read too."""
    import pandas as pd

    rows = pd.DataFrame(
        {
            "place_code": ["E1", "E2"],
            "place_name": ["Elsingstead", "Tallowshire"],
            "spend_gbp_per_head": [412.456, 390.0],
            "px": [3, 4],
        }
    )
    spec = {
        "datasets": {"points": rows},
        "layer": [
            {
                "data": {"name": "points"},
                "mark": "point",
                "encoding": {
                    "x": {"field": "px", "type": "quantitative"},
                    "tooltip": [
                        {"field": "place_code", "title": "Code"},
                        {"field": "place_name", "title": "Place"},
                        {"field": "spend_gbp_per_head", "title": "Spend (£)", "format": ",.1f"},
                    ],
                },
            },
            {"data": {"values": [{}]}, "mark": "text", "encoding": {"text": {"value": "x"}}},
        ],
    }
    t = chart_table(spec)
    assert list(t.columns) == ["Place", "Spend (£)"]
    assert t["Spend (£)"].tolist() == [412.5, 390.0]
    assert t["Place"].tolist() == ["Elsingstead", "Tallowshire"]
    png = to_png(export_spec(spec, title="t", subtitle=[], attribution=ATTRIBUTION), scale=1)
    assert png[:8] == PNG_MAGIC, "a DataFrame dataset is inlined for vl-convert"


def test_chart_table_sums_where_the_chart_sums() -> None:
    """A stacked bar of sum(amount) draws one bar per year and service: so does the table."""
    import pandas as pd

    df = pd.DataFrame(
        {
            "calendar_year": [2025, 2025, 2025, 2026],
            "service_label": ["Adults", "Adults", "Children", "Adults"],
            "amount": [1.0, 2.0, 3.0, 4.0],
        }
    )
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x="calendar_year:O",
            y=alt.Y("sum(amount):Q", title="£ million"),
            tooltip=[
                alt.Tooltip("calendar_year:O", title="year"),
                alt.Tooltip("service_label:N", title="service"),
                alt.Tooltip("sum(amount):Q", title="£ million", format=",.2f"),
            ],
        )
    )
    t = chart_table(chart)
    assert t.to_dict("records") == [
        {"year": 2025, "service": "Adults", "£ million": 3.0},
        {"year": 2025, "service": "Children", "£ million": 3.0},
        {"year": 2026, "service": "Adults", "£ million": 4.0},
    ]


LONG = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2024. Source: Office for National "
    "Statistics licensed under the Open Government Licence v3.0."
)


def test_a_wrapped_attribution_is_not_added_twice_and_an_added_one_is_wrapped() -> None:
    wrapped = attribute(_bar(TITLE, width=300), LONG)  # wrapped over several lines
    spec = export_spec(wrapped, title="t", subtitle=["York, 2024-25"], attribution=LONG)
    svg = to_svg(spec).decode("utf-8")
    assert svg.count("Contains public sector information") == 1
    added = export_spec(_bar(TITLE, width=300), title="t", subtitle=[], attribution=LONG)
    lines = added["vconcat"][1]["encoding"]["text"]["value"]
    assert len(lines) > 1 and " ".join(lines) == LONG
    assert all(len(line) <= 60 for line in lines), "wrapped to the chart's width"


def test_an_image_export_fetches_no_url() -> None:
    """The server renders charts offline: a spec that points at a URL is refused, not fetched."""
    import pytest

    from dashboard.export.images import to_svg

    spec = {
        "data": {"url": "http://127.0.0.1:9/data.csv"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    with pytest.raises(Exception, match="not allowed"):
        to_svg(spec)
