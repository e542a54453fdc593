"""The Scenarios page in a real browser: draws without an exception; screenshots to look at."""

from __future__ import annotations

import pytest

from .conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_scenario_page_renders(server: str, page) -> None:
    page.goto(f"{server}/scenario?dataset=demo")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
    )
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Net present value").first.is_visible()
    assert page.get_by_text("Fictional data.", exact=False).first.is_visible()
    shot = screenshot(page, "demo-scenario")
    assert shot.stat().st_size > 10_000


def test_scenario_tabs_render(server: str, page) -> None:
    page.goto(f"{server}/scenario?dataset=demo")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    for label, name in [
        ("Money by agency", "agency"),
        ("NPV waterfall", "waterfall"),
        ("Best split", "best"),
    ]:
        page.get_by_role("tab", name=label).click()
        page.wait_for_timeout(1500)
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"demo-scenario-{name}")
