"""In a real browser: clicking a polygon or a hex selects that place everywhere (sidebar, URL,
other pages); the geometry comes from the app itself, with every other host unreachable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from shapely.geometry import shape

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle

from .conftest import screenshot, wait_for_app

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


def _settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running|Stop/)"
    )
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg path[aria-label*="Place: "]')
    page.wait_for_timeout(500)


def _click_place(page, name: str) -> None:
    shape_el = page.locator(f'[data-testid="stVegaLiteChart"] path[aria-label*="Place: {name};"]')
    shape_el.first.scroll_into_view_if_needed()
    point = shape_el.first.evaluate(INSIDE_POINT_JS)
    assert point, f"no point inside the shape of {name}"
    page.mouse.click(*point)


def _selected_everywhere(page, server: str, code: str, name: str) -> None:
    page.wait_for_function(f"() => window.location.search.includes('place={code}')", timeout=20_000)
    _settled(page)
    assert parse_qs(urlparse(page.url).query)["place"] == [code]
    sidebar = page.locator('[data-testid="stSidebar"] input[aria-label="Place"]')
    assert code in sidebar.input_value() and name in sidebar.input_value()
    caption = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert f"Thick black outline: {name}." in caption


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
    _selected_everywhere(page, server, target, name)
    page.mouse.move(5, 5)  # no hover toolbar over the chart in the picture
    page.wait_for_timeout(300)
    screenshot(page, "demo-maps")
    # and on another page
    page.get_by_role("link", name="Home").first.click()
    page.wait_for_selector("h1")
    page.wait_for_timeout(800)
    assert name in page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert not [u for u in refused if "/app/static/" in u], "geometry is served by the app"


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
    page.wait_for_timeout(300)
    _settled(page)
    hexes = page.locator('[data-testid="stVegaLiteChart"] path[aria-label*="Place: "]')
    assert hexes.count() >= len(codes), "one hex per lower-tier place"
    name = bundle.place_name(target)
    _click_place(page, name)
    _selected_everywhere(page, server, target, name)
    # every hex the same size: compare the screen areas of two hexes
    boxes = [hexes.nth(i).bounding_box() for i in (0, len(codes) - 1)]
    areas = [b["width"] * b["height"] for b in boxes]
    assert areas[0] == pytest.approx(areas[1], rel=0.05)
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
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
    target = page.locator('[data-testid="stVegaLiteChart"] path[aria-label*="Place: "]').nth(5)
    label = target.get_attribute("aria-label")
    target.scroll_into_view_if_needed()
    point = target.evaluate(INSIDE_POINT_JS)
    hit = page.evaluate(
        "([x, y]) => (document.elementFromPoint(x, y) || {}).getAttribute?.('aria-label')", point
    )
    assert hit == label, "the coloured shape, not an outline layer, is under the pointer"
