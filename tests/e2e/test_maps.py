"""In a real browser: clicking a polygon or a hex selects that place everywhere (sidebar, URL,
other pages); the geometry comes from the app itself, with every other host unreachable."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle

from .conftest import screenshot, wait_for_app, wait_painted

pytestmark = pytest.mark.e2e

#: A point well inside an SVG path, in page coordinates (a grid search with isPointInFill,
#: taking the inside point nearest the middle of the shape's box).
INSIDE_POINT_JS = """
(el) => {
  const bb = el.getBBox(), m = el.getScreenCTM();
  const cx = bb.x + bb.width / 2, cy = bb.y + bb.height / 2;
  let best = null, dist = Infinity;
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const p = new DOMPoint(bb.x + bb.width * i / 20, bb.y + bb.height * j / 20);
    if (!el.isPointInFill(p)) continue;
    const d = (p.x - cx) ** 2 + (p.y - cy) ** 2;
    if (d < dist) { dist = d; best = p; }
  }
  if (!best) return null;
  const s = best.matrixTransform(m);
  return [s.x, s.y];
}
"""


def _offline(page, server: str) -> list[str]:
    """Refuse every request to another host; return the list of URLs refused."""
    refused: list[str] = []
    host = urlparse(server).netloc

    def handle(route) -> None:
        if urlparse(route.request.url).netloc == host:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return refused


PLACES = '[data-testid="stVegaLiteChart"] path[aria-label*="Place: "]'

#: True when every place on the map is drawn the same size (a hex cartogram, not boundaries).
ALL_HEXES_JS = f"""
() => {{
  const areas = [...document.querySelectorAll('{PLACES}')].map(e => {{
    const b = e.getBoundingClientRect(); return b.width * b.height; }});
  return areas.length > 0 && Math.min(...areas) > 0.95 * Math.max(...areas);
}}
"""


def _settled(page) -> None:
    """The script has finished and the map has drawn its places."""
    wait_for_app(page)
    page.wait_for_selector(PLACES)
    wait_painted(page)


def _no_hover(page) -> None:
    """Move the pointer off the chart and wait until no tooltip shows (for the picture)."""
    page.mouse.move(5, 5)
    page.wait_for_function(
        "() => !document.querySelector('#vg-tooltip-element.visible')"
        " && !document.querySelector('[data-testid=\"stVegaLiteChart\"]:hover')"
    )


def _click_place(page, name: str) -> None:
    shape_el = page.locator(f'[data-testid="stVegaLiteChart"] path[aria-label*="Place: {name};"]')
    shape_el.first.scroll_into_view_if_needed()
    point = shape_el.first.evaluate(INSIDE_POINT_JS)
    assert point, f"no point inside the shape of {name}"
    page.mouse.click(*point)


def _selected_everywhere(page, code: str, name: str) -> None:
    """The URL, the sidebar and the map's caption all name the place (each waited for: the
    URL changes before the page has been drawn again)."""
    expect(page).to_have_url(re.compile(rf"[?&]place={code}(&|$)"))
    sidebar = page.locator('[data-testid="stSidebar"] input[aria-label="Place"]')
    expect(sidebar).to_have_value(f"{name} ({code})")
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main).to_contain_text(f"Thick black outline: {name}.")
    _settled(page)
    assert parse_qs(urlparse(page.url).query)["place"] == [code]


def _largest(bundle, level: str, skip: str) -> str:
    areas = {
        f["properties"]["code"]: shape(f["geometry"]).area
        for f in bundle.geo[f"{level}.geojson"]["features"]
        if f["properties"]["code"] != skip
    }
    return max(areas, key=areas.get)


def test_clicking_a_polygon_selects_the_place_everywhere(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    start = bundle.place_codes("upper")[0]
    refused = _offline(page, server)
    page.goto(f"{server}/?dataset=demo")  # the app's front page first (sets up navigation)
    wait_for_app(page)
    page.goto(f"{server}/maps?dataset=demo&place={start}")
    wait_for_app(page)
    _settled(page)
    target = _largest(bundle, "upper", skip=start)
    name = bundle.place_name(target)
    _click_place(page, name)
    _selected_everywhere(page, target, name)
    _no_hover(page)
    screenshot(page, "demo-maps")
    # and on another page
    page.locator('[data-testid="stTopNavLink"]').filter(has_text="Home").click()
    expect(page.locator("h1").first).to_have_text("Place Value Explorer")
    expect(page.locator('[data-testid="stMainBlockContainer"] h3').first).to_have_text(name)
    wait_for_app(page)
    assert not [u for u in refused if "/app/static/" in u], "geometry is served by the app"


def _choose_in_sidebar(page, name: str) -> None:
    combo = page.locator('[data-testid="stSidebar"] input[aria-label="Place"]')
    combo.click()
    combo.fill(name)
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()


def test_a_place_change_keeps_the_map_and_a_shape_clicked_again_selects_it(
    server: str, page
) -> None:
    """Choosing a place in the sidebar keeps the map's Vega view (its spec and key are the same
    for every place, so only its rows change); a shape clicked, then another place chosen, then
    the same shape clicked again selects it again."""
    bundle = read_bundle(DATA_DIR / "demo")
    start = bundle.place_codes("upper")[0]
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    page.goto(f"{server}/maps?dataset=demo&place={start}")
    _settled(page)
    target = _largest(bundle, "upper", skip=start)
    name = bundle.place_name(target)
    _click_place(page, name)
    _selected_everywhere(page, target, name)
    page.evaluate(
        "() => { document.querySelector('[data-testid=\"stVegaLiteChart\"] svg').dataset.pve = 1; }"
    )
    _choose_in_sidebar(page, bundle.place_name(start))
    _selected_everywhere(page, start, bundle.place_name(start))
    kept = page.evaluate(
        "() => document.querySelector('[data-testid=\"stVegaLiteChart\"] svg').dataset.pve"
    )
    assert kept == "1", "the map's view is kept: only its rows changed"
    _click_place(page, name)
    _selected_everywhere(page, target, name)


def test_clicking_a_hex_selects_the_place_everywhere(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    codes = bundle.place_codes("lower")
    start, target = codes[0], codes[len(codes) // 2]
    _offline(page, server)
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    page.goto(f"{server}/maps?dataset=demo&level=lower&place={start}")
    wait_for_app(page)
    _settled(page)
    page.get_by_role("radio", name="Hexes").click()
    page.wait_for_function(ALL_HEXES_JS)
    _settled(page)
    hexes = page.locator(PLACES)
    assert hexes.count() >= len(codes), "one hex per lower-tier place"
    name = bundle.place_name(target)
    _click_place(page, name)
    _selected_everywhere(page, target, name)
    # every hex the same size: compare the screen areas of two hexes
    boxes = [hexes.nth(i).bounding_box() for i in (0, len(codes) - 1)]
    areas = [b["width"] * b["height"] for b in boxes]
    assert areas[0] == pytest.approx(areas[1], rel=0.05)
    _no_hover(page)
    screenshot(page, "demo-maps-hex")


def test_png_and_svg_downloads_carry_the_attribution(server: str, page) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    page.goto(f"{server}/maps?dataset=demo")
    wait_for_app(page)
    _settled(page)
    with page.expect_download() as png:
        page.locator("[data-testid=stDownloadButton] button", has_text="PNG").first.click()
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    with page.expect_download() as svg:
        page.locator("[data-testid=stDownloadButton] button", has_text="SVG").first.click()
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and bundle.attribution[:40] in text


def test_region_outlines_do_not_catch_clicks(server: str, page) -> None:
    """Clicking inside a place surrounded by region outlines must reach the place."""
    page.goto(f"{server}/?dataset=demo")
    wait_for_app(page)
    page.goto(f"{server}/maps?dataset=demo")
    wait_for_app(page)
    _settled(page)
    target = page.locator(PLACES).nth(5)
    label = target.get_attribute("aria-label")
    target.scroll_into_view_if_needed()
    point = target.evaluate(INSIDE_POINT_JS)
    hit = page.evaluate(
        "([x, y]) => (document.elementFromPoint(x, y) || {}).getAttribute?.('aria-label')", point
    )
    assert hit == label, "the coloured shape, not an outline layer, is under the pointer"
