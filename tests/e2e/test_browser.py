"""What only a browser shows: pages render without an exception, the URL holds the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.ui.pages import PAGES

from .conftest import screenshot, start_server, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server: str, page, info) -> None:
    page.goto(f"{server}/{info.url_path}?dataset=demo")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Fictional data.", exact=False).first.is_visible()
    shot = screenshot(page, f"demo-{info.url_path}")
    assert shot.stat().st_size > 10_000


def test_copied_link_reopens_the_same_view(server: str, browser, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    place = bundle.place_codes("lower")[4]
    page.goto(
        f"{server}/data?dataset=demo&level=lower&place={place}&group=kind&period={bundle.periods[2]}"
    )
    wait_for_app(page)
    page.wait_for_function("() => window.location.search.includes('group=kind')")
    copied = page.url
    q = parse_qs(urlparse(copied).query)
    assert q["place"] == [place] and q["level"] == ["lower"] and q["period"] == [bundle.periods[2]]
    assert urlparse(copied).path.endswith("/data")

    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        p2 = other.new_page()
        p2.goto(copied)
        wait_for_app(p2)
        # the Data page names the place whose data it offers for download
        assert (
            bundle.place_name(place)
            in p2.locator('[data-testid="stMainBlockContainer"]').inner_text()
        )
        assert p2.locator("h1").first.inner_text().strip() == "Data"
        assert parse_qs(urlparse(p2.url).query) == q
    finally:
        other.close()


def test_choosing_a_place_in_the_sidebar_updates_the_url(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    target = bundle.places_at("upper").iloc[12]
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Place"
    )
    box.click()
    page.keyboard.type(target["name"])
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.location.search.includes('place={target['code']}')")
    wait_for_app(page)
    assert target["name"] in page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def test_a_fresh_server_opens_a_page_link_directly(page) -> None:
    """The first request of a new server goes straight to /data (not Home first)."""
    proc, url = start_server()
    try:
        page.goto(f"{url}/data?dataset=demo")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == "Data"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Dataset").first.is_visible(), "the shared sidebar is drawn"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_tidy_download_is_a_traceable_csv(server: str, page, tmp_path) -> None:
    page.goto(f"{server}/data?dataset=demo&group=region")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download tidy data (CSV)").click()
    path = tmp_path / "tidy.csv"
    info.value.save_as(path)
    import pandas as pd

    df = pd.read_csv(path, encoding="utf-8-sig")
    assert len(df) > 100
    assert {"place_code", "indicator", "period", "value", "unit", "source", "licence"} <= set(
        df.columns
    )
    assert df["licence"].notna().all()
