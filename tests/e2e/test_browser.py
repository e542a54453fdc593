"""What only a browser shows: pages render without an exception, the URL holds the view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.ui.pages import PAGES

from .conftest import new_page, page_not_found, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server: str, page, info) -> None:
    page.goto(f"{server}/{info.url_path}?dataset=demo")
    wait_for_app(page)
    assert not page_not_found(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    said = page.get_by_text("Fictional data", exact=False).filter(visible=True)
    expect(said.first).to_be_visible()
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

    p2 = new_page(browser, 1280, 800)
    try:
        p2.goto(copied)
        wait_for_app(p2)
        # the Data page names the place whose data it offers for download
        expect(p2.locator('[data-testid="stMainBlockContainer"]')).to_contain_text(
            bundle.place_name(place)
        )
        expect(p2.locator("h1").first).to_have_text("Data")
        assert parse_qs(urlparse(p2.url).query) == q
    finally:
        p2.context.close()


def test_choosing_a_place_in_the_sidebar_updates_the_url(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    target = bundle.places_at("upper").iloc[12]
    label = f"{target['name']} ({target['code']})"
    box = page.locator('[data-testid="stSidebar"] input[aria-label="Place"]')
    box.click()
    box.press_sequentially(target["name"])
    page.get_by_role("option", name=label, exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]place={target['code']}(&|$)"))
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.locator("h3").first).to_have_text(target["name"])
    wait_for_app(page)
    expect(box).to_have_value(label)


def test_tidy_download_is_a_traceable_csv(server: str, page, tmp_path) -> None:
    page.goto(f"{server}/data?dataset=demo&group=region")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Download tidy data (CSV)")).to_be_visible()
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
