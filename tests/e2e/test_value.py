"""Value for money in a real browser: the page draws its chart, and brushing the scatter lists
the places selected."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, wait_for_app, wait_painted

pytestmark = pytest.mark.e2e

CHART = '[data-testid="stVegaLiteChart"]'


#: The scatter's plot area (the brush is dragged across it) is drawn and wide.
PLOT = f"{CHART} g.mark-group.role-scope path.background"


def wait_for_chart(page) -> None:
    """The script has finished and the scatter's plot area is drawn at full size."""
    wait_for_app(page)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{PLOT}')]"
        ".some(e => e.getBoundingClientRect().width > 300)"
    )
    wait_painted(page)


def test_value_page_draws_and_brushing_lists_places(server: str, page) -> None:
    page.goto(f"{server}/value?dataset=demo")
    wait_for_app(page)
    wait_for_chart(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.get_by_text("What good looks like for", exact=False).first).to_be_visible()
    shot = screenshot(page, "demo-value")
    assert shot.stat().st_size > 10_000

    # drag across the middle of the plot: the page lists the places inside the brush
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    plot = chart.locator("g.mark-group.role-scope path.background").first
    wait_painted(page)
    box = plot.bounding_box()
    assert box and box["width"] > 300
    x0, y0 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    x1, y1 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.7
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    expect(page.get_by_text("place(s) selected", exact=False).first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "demo-value-brush")
