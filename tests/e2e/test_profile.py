"""The Profile page in a real browser: renders without an exception, every tab draws."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_tab, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

TABS = ["Spend by service", "Trends", "Statistical neighbours", "Table and download"]


def test_profile_renders_with_spine_and_tabs(server: str, page) -> None:
    page.goto(f"{server}/profile?dataset=demo")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, .vega-embed svg, .vega-embed canvas'
    )
    expect(
        page.get_by_text("prompt for questions, not a verdict", exact=False).first
    ).to_be_visible()
    shot = screenshot(page, "demo-profile")
    assert shot.stat().st_size > 10_000
    for label in TABS:
        open_tab(page, label)
        assert page.locator('[data-testid="stException"]').count() == 0, label
    expect(page.get_by_text("Download the profile (CSV)", exact=False).first).to_be_visible()
    screenshot(page, "demo-profile-table")
