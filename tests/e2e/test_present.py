"""Story mode in a real browser: the presenter's keys (and a clicker's PageUp / PageDown) step
through the slides with the slide number in the URL; keys typed into a text box do not; a
saved deck's link reopens the same slides and notes; every slide of the default deck fits a
1280x720 and a 1920x1080 screen without scrolling, with body text at present.yaml's size and
no sidebar or toolbar; axe finds nothing serious or critical on any slide (demo and England).

The server gets two test-only kinds of slide (tests/e2e/present_kinds: a chart and a table,
added to the default deck) so the layout is checked with a chart and a table on a slide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT
from dashboard.present.kinds import DEFAULT_SLIDES
from dashboard.present.model import Deck, SlideRef, deck_to_json
from dashboard.present.settings import present_settings
from dashboard.store import ScenarioStore
from tests.app.conftest import england_built

from .conftest import launch, new_page, wait_for_app, wait_painted

pytestmark = pytest.mark.e2e

KINDS_DIR = Path(__file__).parent / "present_kinds"
#: The default deck on the test server: the real default slides and the two test kinds.
N_SLIDES = len(DEFAULT_SLIDES) + 2
SCREENS = [(1280, 720), (1920, 1080)]
VIEWS = [
    pytest.param("dataset=demo", id="demo"),
    pytest.param(
        "dataset=england&level=upper&place=E08000010",
        id="england-wigan",
        marks=pytest.mark.skipif(not england_built(), reason="England bundle not built"),
    ),
]

#: Slide number and total in the footer line, and the slide number in the URL.
STATE_JS = """
() => {
  const f = document.querySelector('.st-key-present_footer');
  const m = f && f.innerText.match(/Slide (\\d+) \\/ (\\d+)/);
  return {shown: m ? +m[1] : 0, total: m ? +m[2] : 0,
          url: new URLSearchParams(location.search).get('slide')};
}
"""
#: The slide shown is number ``n``, its charts drawn, and the script has finished.
SLIDE_READY_JS = """
(n) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const f = document.querySelector('.st-key-present_footer');
  if (!f || !f.innerText.includes('Slide ' + n + ' /')) return false;
  if (new URLSearchParams(location.search).get('slide') !== String(n)) return false;
  return [...document.querySelectorAll('.st-key-present_chart')].every(c =>
    c.querySelector('[data-testid="stVegaLiteChart"][role] canvas, [data-testid="stVegaLiteChart"][role] svg'));
}
"""
#: How the slide sits on the screen: what scrolls, where the slide and its buttons end, the
#: body text's sizes, and whether the sidebar, header and toolbar are drawn.
MEASURE_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const bottom = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().bottom : 0; };
  const shown = s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'
                       && e.getBoundingClientRect().height > 0; };
  const body = [...document.querySelectorAll(
      '.st-key-present_slide [data-testid="stMarkdownContainer"] p, .st-key-present_slide li')]
    .map(p => parseFloat(getComputedStyle(p).fontSize));
  // each chart's drawn width over the width Vega laid it out at (its svg's own width)
  const scale = [...document.querySelectorAll('.st-key-present_chart svg.marks')]
    .map(g => g.getBoundingClientRect().width / parseFloat(g.getAttribute('width')));
  return {
    innerHeight, scale, docScroll: document.documentElement.scrollHeight,
    mainScroll: main.scrollHeight, mainClient: main.clientHeight,
    slideBottom: bottom('.st-key-present_slide'), barBottom: bottom('.st-key-present_bar'),
    body, sidebar: shown('[data-testid="stSidebar"]'), header: shown('header[data-testid="stHeader"]'),
    toolbar: shown('[data-testid="stToolbar"]'), nav: shown('[data-testid="stTopNav"]'),
  };
}
"""


@pytest.fixture(scope="module")
def present_server(browser, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(URL, database URL) of a server with the test kinds and a database of its own."""
    db = tmp_path_factory.mktemp("present") / "decks.sqlite"
    path = os.pathsep.join(
        [str(KINDS_DIR), str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    )
    srv = launch({"PYTHONPATH": path, "PVE_DB_PATH": str(db), "DATABASE_URL": ""})
    try:
        yield srv.url, f"sqlite:///{db}"
    finally:
        srv.stop()


def wait_slide(pg, n: int) -> None:
    pg.wait_for_function(SLIDE_READY_JS, arg=n, polling=100)


def open_slides(browser, url: str, width: int = 1280, height: int = 720, first: int = 1):
    """A new page on ``url``, once slide ``first`` is drawn."""
    pg = new_page(browser, width, height)
    pg.goto(url)
    wait_for_app(pg)
    wait_slide(pg, first)
    # the keyboard script has run (a key pressed before it would find no listener)
    pg.wait_for_function("() => document.documentElement.getAttribute('data-pve-keys') === 'on'")
    return pg


def test_keys_step_through_the_slides_and_the_url_follows(browser, present_server) -> None:
    url, _ = present_server
    pg = open_slides(browser, f"{url}/present?dataset=demo")
    try:
        assert pg.evaluate(STATE_JS)["total"] == N_SLIDES
        for key, n in [
            ("ArrowRight", 2),
            ("PageDown", 3),
            ("Space", 4),
            ("ArrowLeft", 3),
            ("PageUp", 2),
            ("End", N_SLIDES),
            ("Home", 1),
        ]:
            pg.keyboard.press(key)
            wait_slide(pg, n)
            assert pg.evaluate(STATE_JS) == {"shown": n, "total": N_SLIDES, "url": str(n)}
    finally:
        pg.context.close()


def test_keys_typed_into_a_text_box_do_not_step(browser, present_server) -> None:
    url, _ = present_server
    pg = open_slides(browser, f"{url}/present?dataset=demo&slide=2&edit=1", first=2)
    try:
        box = pg.get_by_label("Deck name")
        box.click()
        for key in ("ArrowRight", "Space", "End", "PageDown"):
            box.press(key)
        # the one press that must still step: outside the box
        box.blur()
        pg.keyboard.press("ArrowRight")
        wait_slide(pg, 3)
        assert box.input_value() == " ", "the space went into the box"
    finally:
        pg.context.close()


def test_a_saved_deck_link_reopens_the_same_slides_and_notes(browser, present_server) -> None:
    url, db = present_server
    note = "**Not bold** <b>not html</b> ask about 2019"
    deck = Deck(
        view={"dataset": "demo"},
        slides=(SlideRef("sources", {}, note), SlideRef("title"), SlideRef("test_table")),
    )
    store = ScenarioStore(db)
    deck_id = store.save_deck("Board", "X06000024", "demo", "T", deck_to_json(deck))
    store.close()
    pg = open_slides(browser, f"{url}/present?dataset=demo&deck={deck_id}&edit=1")
    try:
        notes = pg.locator('[data-testid="stText"]').all_inner_texts()
        assert note in notes, "the note of slide 1, as typed"
        titles = [pg.locator(".st-key-present_slide h1").inner_text()]
        for n in (2, 3):
            pg.keyboard.press("ArrowRight")
            wait_slide(pg, n)
            titles.append(pg.locator(".st-key-present_slide h1").inner_text())
        assert pg.evaluate(STATE_JS)["total"] == 3
        assert titles[0] == "Sources and method"
        assert titles[1].endswith(": what good looks like")
        assert titles[2] == "Who pays and who gains"
        assert pg.locator(".st-key-present_slide").get_by_text("not html").count() == 0
    finally:
        pg.context.close()


@pytest.mark.parametrize("query", VIEWS)
def test_every_slide_fits_the_screen_with_projector_type(browser, present_server, query) -> None:
    """At 1280x720 and 1920x1080: nothing scrolls, the slide and its buttons end inside the
    screen, body text is at least present.yaml's slide.body_font_px, and axe finds nothing
    serious or critical on any slide (at 1280x720); a chart is drawn larger on the larger screen,
    in step with the text."""
    from .test_accessibility import BLOCKING, axe_violations, summary

    url, _ = present_server
    least = present_settings().body_font_px
    for width, height in SCREENS:
        pg = open_slides(browser, f"{url}/present?{query}", width, height)
        charts = 0
        try:
            for n in range(1, N_SLIDES + 1):
                if n > 1:
                    pg.keyboard.press("PageDown")
                    wait_slide(pg, n)
                wait_painted(pg)
                m = pg.evaluate(MEASURE_JS)
                where = f"slide {n} at {width}x{height}: {m}"
                assert m["mainScroll"] <= m["mainClient"] == height, where
                assert m["docScroll"] <= height, where
                assert 0 < m["slideBottom"] <= m["barBottom"] <= height, where
                assert m["body"] and min(m["body"]) >= least, where
                assert not (m["sidebar"] or m["header"] or m["toolbar"] or m["nav"]), where
                # a chart grows with the screen as the text does (drawn at its 1280 px size)
                grow = width / SCREENS[0][0]
                assert all(0.8 * grow <= k <= grow + 0.01 for k in m["scale"]), where
                charts += len(m["scale"])
                if width == SCREENS[0][0]:
                    bad = [v for v in axe_violations(pg) if v["impact"] in BLOCKING]
                    assert bad == [], f"slide {n}: " + "\n".join(summary(bad))
            assert charts >= 4, f"{charts} charts measured at {width}x{height}"
        finally:
            pg.context.close()
