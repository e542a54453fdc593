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


def test_the_layer_templates_download_when_clicked(server: str, page) -> None:
    """The templates are deferred downloads (built when clicked, not on every run): in Chromium
    each still arrives, named, as a workbook with its sheets and a CSV with the values header."""
    import openpyxl

    from dashboard.layers.template import template_bytes
    from dashboard.ui.layers import TEMPLATES

    page.goto(f"{server}/layers?dataset=demo")
    wait_for_app(page)
    for fmt, (label, file_name, _mime) in TEMPLATES.items():
        with page.expect_download(timeout=60_000) as dl:
            page.locator("[data-testid=stDownloadButton] button", has_text=label).click()
        assert dl.value.suggested_filename == file_name
        data = Path(dl.value.path()).read_bytes()
        if fmt == "xlsx":  # the same sheets and cells as the command line writes (a workbook's
            # bytes carry the time it was written)
            got, want = (
                openpyxl.load_workbook(io.BytesIO(b), read_only=True)
                for b in (data, template_bytes(fmt))
            )
            assert got.sheetnames == want.sheetnames
            assert {"values", "definitions"} <= set(got.sheetnames)
            for name in want.sheetnames:
                cells = [list(r) for r in got[name].iter_rows(values_only=True)]
                assert cells == [list(r) for r in want[name].iter_rows(values_only=True)], name
        else:
            assert data == template_bytes(fmt), "the same file the command line writes"
            assert data.decode("utf-8-sig").splitlines()[0].count(",") >= 3
    assert page.locator('[data-testid="stException"]').count() == 0
