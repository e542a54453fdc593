"""Value for money in a real browser: the page draws its chart, and brushing the scatter lists
the places selected."""

from __future__ import annotations

import pytest

from .conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

CHART = '[data-testid="stVegaLiteChart"]'


def wait_for_chart(page) -> None:
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{CHART}')]"
        ".some(e => e.getBoundingClientRect().height > 200)",
        timeout=60_000,
    )
    page.wait_for_timeout(500)


def test_value_page_draws_and_brushing_lists_places(server: str, page) -> None:
    page.goto(f"{server}/value?dataset=demo")
    wait_for_app(page)
    wait_for_chart(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("What good looks like for", exact=False).first.is_visible()
    shot = screenshot(page, "demo-value")
    assert shot.stat().st_size > 10_000

    # drag across the middle of the plot: the page lists the places inside the brush
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    plot = chart.locator("g.mark-group.role-scope path.background").first
    box = plot.bounding_box()
    assert box and box["width"] > 300
    x0, y0 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    x1, y1 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.7
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    page.get_by_text("place(s) selected", exact=False).wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    screenshot(page, "demo-value-brush")
