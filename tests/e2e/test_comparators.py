"""Official comparator sets in a real browser: the Profile's neighbours tab with a set chosen
in the link draws our list beside the set's, with the overlap sentence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.conftest import england_built

from .conftest import open_tab, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("query", "text", "shot"),
    [
        (
            "dataset=demo&group=demo_fictional",
            "are also in the Fictional Statistics Office",
            "demo-profile-official-sets",
        ),
        pytest.param(
            "dataset=england&place=E10000016&group=ons_2025",
            "statistical neighbours of Kent are also in the ONS nearest neighbours",
            "england-kent-official-sets",
            marks=pytest.mark.skipif(not england_built(), reason="England bundle not built"),
        ),
    ],
)
def test_neighbours_tab_sets_the_official_lists_beside_ours(
    server: str, page, query: str, text: str, shot: str
) -> None:
    page.goto(f"{server}/profile?{query}")
    wait_for_app(page)
    open_tab(page, "Statistical neighbours")
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.get_by_text(text, exact=False).first).to_be_visible()
    expect(page.get_by_text("Why ours differs", exact=False).first).to_be_visible()
    screenshot(page, shot)
