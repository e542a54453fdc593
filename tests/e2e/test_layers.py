"""In Chromium: upload an Excel data layer on Your data, open it, and see its new indicator on
Profile (the Local data group, the local figure beside the official one) and Maps (picked in
the indicator box, the map captioned as local data)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.layers.conftest import xlsx_bytes
from tests.layers.test_check import _definition, _definitions

from .conftest import launch, new_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

PLACE = "X06000024"  # the demo's default upper-tier place
LABEL = "Residents who feel safe after dark"
NEW = "feel_safe_pct"


def _layer() -> bytes:
    values = [["place_code", "indicator_id", "period", "value"]]
    values += [
        [c, NEW, "2025", 50 + i] for i, c in enumerate(("X06000024", "X06000001", "X06000002"))
    ]
    values.append(["X06000003", NEW, "2025", "c"])
    values.append([PLACE, "ks2_expected_pct", "2025-26 Q2", 70.5])
    definition = _definition(
        NEW,
        label=LABEL,
        kind="outcome",
        service="all",
        unit="percent",
        polarity="higher_is_better",
        agency="",
        definition="Share of residents who say they feel safe outside after dark.",
        source_publisher="Liddenden community safety partnership",
        source_title="Residents' survey 2025",
    )
    return xlsx_bytes({"values": values, "definitions": _definitions(definition)})


@pytest.fixture(scope="module")
def layer_server(tmp_path_factory, browser):
    srv = launch({"PVE_DB_PATH": str(tmp_path_factory.mktemp("db") / "layers.sqlite")})
    yield srv.url
    srv.stop()


def test_an_uploaded_xlsx_layer_shows_on_profile_and_maps(layer_server: str, browser) -> None:
    page = new_page(browser, 1280, 720)
    try:
        page.goto(f"{layer_server}/layers?dataset=demo&level=upper&place={PLACE}")
        wait_for_app(page)
        page.get_by_label("Name of the layer").fill("Safety survey")
        page.get_by_label("Name of the layer").press("Enter")
        wait_for_app(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            {"name": "safety.xlsx", "mimeType": "application/octet-stream", "buffer": _layer()}
        )
        button = page.get_by_role("button", name="Check and add")
        expect(button).to_be_enabled()
        button.click()
        expect(page.get_by_text("rows checked, no problems")).to_be_visible()
        link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
        assert re.fullmatch(r"\?dataset=layer-[A-Za-z0-9_-]{16,32}", link), link
        screenshot(page, "your-data-uploaded-1280", full_page=False)
        dataset = link.split("=", 1)[1]

        page.goto(f"{layer_server}/profile?dataset={dataset}&level=upper&place={PLACE}")
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Local figure", exact=False).first).to_be_visible()
        expect(main.get_by_text("Safety survey", exact=False).first).to_be_visible()

        page.goto(f"{layer_server}/maps?dataset={dataset}&level=upper&place={PLACE}")
        wait_for_app(page)
        box = page.get_by_label("Indicator", exact=True).first
        box.click()
        box.fill("feel safe")
        page.get_by_role("option", name=re.compile(LABEL)).first.click()
        wait_for_app(page)
        expect(page.get_by_text("not official statistics", exact=False).first).to_be_visible()
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
        screenshot(page, "maps-layer-1280", full_page=False)
    finally:
        page.context.close()
