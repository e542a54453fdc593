"""The control under a chart in a real browser: the PNG download under the Profile spine chart
gives a PNG file named for the place, chart and period; "Show as table" draws a table."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle

from .conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_spine_chart_png_download_is_a_png(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    page.goto(f"{server}/profile?dataset=demo")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, .vega-embed svg')
    with page.expect_download(timeout=60_000) as dl:
        page.locator("[data-testid=stDownloadButton] button", has_text="PNG").first.click()
    name = dl.value.suggested_filename
    data = Path(dl.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = Image.open(io.BytesIO(data)).size
    assert width > 1000 and height > 1000, "drawn at twice the chart's size"
    place = bundle.place_name(bundle.meta["default_place"]["upper"]).lower()
    assert name.startswith(place.replace(" ", "-")) and "spine-chart" in name
    assert name.endswith(".png")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_text("Show as table", exact=True).first.click()
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
