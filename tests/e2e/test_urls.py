"""Every page opens at its own URL, with no "Page not found": as a new server's very first
request (Streamlit then still treats pages/ as an old-style pages folder), after another page,
by the links the app draws, and from the URL the app writes (a copied link)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from dashboard.ui.pages import PAGES, PageInfo

from .conftest import launch, new_page, open_tab, page_not_found, wait_for_app

pytestmark = pytest.mark.e2e

HOME = PAGES[0]
IDS = [p.url_path for p in PAGES]
#: Each page's own URL path, and the paths it may show once open (Home is served at /).
OWN_PATHS = {p.url_path: {f"/{p.url_path}"} for p in PAGES} | {
    HOME.url_path: {"/", f"/{HOME.url_path}"}
}


TITLE_JS = (
    "() => (document.querySelector('[data-testid=\"stMainBlockContainer\"] h1') || {}).innerText"
)


def _click_to(pg, link) -> None:
    """Click a link to another page and wait until that page's title has replaced this one's."""
    old = pg.evaluate(TITLE_JS)
    link.click()
    pg.wait_for_function(
        f"(old) => {{ const t = ({TITLE_JS})(); return t && t !== old; }}", arg=old
    )


def _opened(pg, info: PageInfo, what: str, demo: bool = True) -> None:
    """The page `info` is open and whole: no dialog, its tab is the current one, its path in
    the address bar, no exception."""
    wait_for_app(pg)
    assert not page_not_found(pg), f"{what}: 'Page not found' shown"
    if info.projector:  # story mode draws no menu: its slide is the page
        expect(pg.locator(".st-key-present_slide h1")).to_be_visible()
        expect(pg.locator('[data-testid="stTopNavLink"]').filter(visible=True)).to_have_count(0)
    else:
        current = pg.locator('[data-testid="stTopNavLink"][aria-current="page"]')
        expect(current).to_have_count(1)
        expect(current).to_contain_text(info.title)
    assert urlparse(pg.url).path in OWN_PATHS[info.url_path], f"{what}: at {pg.url}"
    assert pg.locator('[data-testid="stException"]').count() == 0, what
    if demo:
        said = pg.get_by_text("Fictional data", exact=False).filter(visible=True)
        expect(said.first).to_be_visible()


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_a_new_servers_first_request_opens_the_page(browser, info: PageInfo) -> None:
    """A new server, asked first for this page's own URL (the app has not run yet)."""
    srv = launch()
    try:
        pg = new_page(browser)
        try:
            pg.goto(f"{srv.url}/{info.url_path}?dataset=demo")
            _opened(pg, info, f"/{info.url_path} as a new server's first request")
        finally:
            pg.context.close()
    finally:
        srv.stop()


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_each_page_opens_at_its_url_and_at_the_url_it_writes(server: str, page, info) -> None:
    """On a server that has served other pages: the page's own URL, then the URL the app
    wrote into the address bar (the view in the query string: a copied link)."""
    page.goto(f"{server}/{info.url_path}?dataset=demo")
    _opened(page, info, f"/{info.url_path}")
    copied = page.url
    assert "place=" in copied, copied
    page.goto(copied)
    _opened(page, info, f"copied link {copied}")
    assert page.url == copied, "the reopened link writes the same URL"


def _menu_link(pg, title: str):
    """The top menu's link to the page titled ``title`` (by its whole name: "Data" is not
    "Your data")."""
    return pg.locator('[data-testid="stTopNavLink"]').and_(
        pg.get_by_role("link", name=title, exact=True)
    )


def test_the_menu_and_the_links_the_app_draws_open_their_pages(server: str, page) -> None:
    """From / walk the top menu to every page and back to Home, then follow one of Home's
    guide links; every link into the app on the way goes to a page's own path. (Story mode
    draws no menu: it is reached by Home's guide link.)"""
    page.goto(f"{server}/?dataset=demo")
    _opened(page, HOME, "/")
    host = urlparse(server).netloc
    paths: set[str] = set()
    for info in (*[p for p in PAGES[1:] if not p.projector], HOME):
        _click_to(page, _menu_link(page, info.title))
        _opened(page, info, f"menu link to {info.title}")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        paths |= {urlparse(h).path for h in hrefs if urlparse(h).netloc == host}
    own = set().union(*OWN_PATHS.values())
    assert paths <= own, f"links to paths that are no page: {sorted(paths - own)}"
    assert paths >= {"/", *(f"/{p.url_path}" for p in PAGES[1:])}, sorted(paths)
    last = PAGES[-1]
    _click_to(page, page.locator('[data-testid="stPageLink"] a').filter(has_text=last.question))
    _opened(page, last, f"Home's link to {last.title}")


def test_a_share_link_opens_the_saved_scenario(browser, tmp_path: Path) -> None:
    """The share link the Scenarios page writes after a save (reached from /home through the
    menu, so the browser's first address was another page's) opens that scenario."""
    scenario = next(p for p in PAGES if p.url_path == "scenario")
    srv = launch({"PVE_DB_PATH": str(tmp_path / "scenarios.sqlite"), "DATABASE_URL": ""})
    pg = new_page(browser)
    try:
        pg.goto(f"{srv.url}/{HOME.url_path}?dataset=demo")
        _opened(pg, HOME, f"/{HOME.url_path}")
        _click_to(pg, _menu_link(pg, scenario.title))
        _opened(pg, scenario, "menu link to Scenarios")
        open_tab(pg, "Save and download")
        pg.get_by_label("Name", exact=True).fill("Shared from the URL test")
        pg.get_by_label("Your name").fill("URL test")
        pg.get_by_role("button", name="Save scenario").click()
        saved = pg.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Share link")
        expect(saved).to_be_visible()
        link = re.search(r"https?://\S+\?scenario=[0-9a-f]+", saved.inner_text())
        assert link, saved.inner_text()
        assert urlparse(link[0]).path == f"/{scenario.url_path}", link[0]
        other = new_page(browser)
        try:
            other.goto(link[0])
            _opened(other, scenario, f"share link {link[0]}", demo=False)
            expect(
                other.locator('[data-testid="stAlertContentSuccess"]').filter(
                    has_text="Shared from the URL test"
                )
            ).to_be_visible()
        finally:
            other.context.close()
    finally:
        pg.context.close()
        srv.stop()


def test_an_unknown_path_does_show_page_not_found(server: str, page) -> None:
    """The check above can see the dialog: a path the app does not have shows it."""
    page.goto(f"{server}/no-such-page?dataset=demo")
    wait_for_app(page)
    expect(page.locator('[role="dialog"]').filter(has_text="Page not found")).to_be_visible()
