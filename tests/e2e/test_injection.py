"""Text from data is shown as text in a real browser: every page on the injection bundle
(tests/hardening/injection.py), with every request the page makes intercepted.

No request may leave the loopback address (an image in a name would be fetched from
example.invalid), no link or image whose address comes from the data may be drawn, no
emphasis, ``:red[...]`` span or ``onerror`` attribute may come from it, and the escaped text
must read as the same characters as the data, without backslashes."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from dashboard import PROJECT_ROOT
from dashboard.formatting import WORD_JOINER
from tests.hardening.injection import HOST, attack, write_injection_bundle

from .conftest import start_server, wait_for_app, wait_painted

pytestmark = pytest.mark.e2e

#: The dataset name the server offers the injection bundle under.
DATASET = "inject"
#: (URL path, the page's title) of every page.
PAGES = [
    ("", "Place Value Explorer"),
    ("profile", "Place profile"),
    ("value", "Value for money"),
    ("maps", "Maps"),
    ("scenario", "Scenarios"),
    ("data", "Data"),
]
#: Hosts a request may go to.
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Limit on any one wait (ms): a page's first run on a busy machine included.
TIMEOUT_MS = 120_000

#: Markup under ``root`` that came from the data: links and images to the injected host or to
#: ``x``, ``onerror`` attributes, emphasis of the injected ``**x**`` and ``_under_``, and the
#: ``:red[boo]`` span.
FROM_DATA_JS = """
([root, host]) => {
  const scope = document.querySelector(root);
  if (!scope) return ['no ' + root];
  const out = [];
  for (const e of scope.querySelectorAll('a[href], img[src], image, [onerror]')) {
    const url = e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('xlink:href') || '';
    if (e.hasAttribute('onerror') || url.includes(host) || url === 'x')
      out.push(e.tagName + ' ' + url);
  }
  for (const e of scope.querySelectorAll('strong, b, em, i, span')) {
    const t = e.textContent.trim();
    if (e.children.length === 0 && ['x', 'under', 'boo'].includes(t))
      out.push(e.tagName + ' ' + t);
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def inject_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that offers the injection bundle as the dataset ``inject`` (through
    PVE_EXTRA_BUNDLES, which ui.data reads)."""
    bundle = write_injection_bundle(tmp_path_factory.mktemp("injection") / DATASET)
    proc, url = start_server({"PVE_EXTRA_BUNDLES": f"{DATASET}={bundle}"})
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(PROJECT_ROOT / "static" / "geo" / DATASET, ignore_errors=True)


@pytest.fixture
def watched(browser) -> Iterator[tuple[object, list[str]]]:
    """A page whose requests to anywhere but the loopback address are recorded and aborted."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def guard(route) -> None:  # noqa: ANN001
        url = route.request.url
        if urlparse(url).hostname in LOOPBACK:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    yield pg, outside
    context.close()


def open_page(pg, server: str, path: str) -> None:  # noqa: ANN001
    pg.goto(f"{server}/{path}?dataset={DATASET}&group=region")
    wait_for_app(pg)
    assert pg.locator('[data-testid="stException"]').count() == 0


def main_text(pg) -> str:  # noqa: ANN001
    """What the main area reads as (the invisible word joiners that break autolinks left out)."""
    text = pg.locator('[data-testid="stMain"]').inner_text()
    return text.replace(WORD_JOINER, "")


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_page_draws_data_text_as_text(inject_server: str, watched, path: str, title: str) -> None:
    pg, _ = watched
    open_page(pg, inject_server, path)
    assert pg.locator('[data-testid="stMain"] h1').first.inner_text().strip() == title
    found = pg.evaluate(FROM_DATA_JS, ['[data-testid="stMain"]', HOST])
    assert found == [], found
    text = main_text(pg)
    assert "\\" not in text, "a backslash of the escaping shows"
    assert attack("place-name") in text  # the name reads as typed, every character
    if path == "data":
        for field in ("bundle-title", "bundle-attribution", "bundle-licence"):
            assert attack(field) in text
        assert "Notes on this data" in text
        assert "below 0" in text  # the loader's note on the negative spend value


def test_home_card_help_is_text(inject_server: str, watched) -> None:
    """A card's help tooltip (the indicator's source, from the data) is markdown too."""
    pg, _ = watched
    open_page(pg, inject_server, "")
    wait_painted(pg)  # the cards are where they will stay before the pointer goes to one
    target = pg.locator('[data-testid="stMetric"] [data-testid="stTooltipHoverTarget"]').first
    tip = pg.locator('[data-testid="stTooltipContent"]')
    # a late layout change can leave the pointer over another card's help: point again
    for _ in range(3):
        target.hover()
        tip.wait_for(state="visible")
        text = tip.inner_text().replace(WORD_JOINER, "")
        fetched = pg.evaluate(FROM_DATA_JS, ['[data-testid="stTooltipContent"]', HOST])
        if "Source:" in text and "demo generator" not in text:
            break
        pg.mouse.move(0, 0)
        tip.wait_for(state="hidden")
    assert attack("source-title") in text
    assert fetched == []


def test_no_request_leaves_the_machine(inject_server: str, watched) -> None:
    """Every page, sidebar included: nothing drawn from the data fetches anything."""
    pg, outside = watched
    for path, _ in PAGES:
        open_page(pg, inject_server, path)
        pg.wait_for_function("() => [...document.images].every(i => i.complete)")
        found = pg.evaluate(FROM_DATA_JS, ["body", HOST])
        assert found == [], (path, found)
    assert outside == []
