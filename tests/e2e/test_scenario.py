"""The Scenarios page in a real browser: draws without an exception; a saved scenario opens from
the list with its budgets in the controls; a refused link shows its value as text; screenshots
to look at. Every wait is for a condition, never for a fixed time."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.bundle import read_bundle
from dashboard.bundle.limits import input_limit
from dashboard.formatting import WORD_JOINER
from dashboard.scenario import Scenario, scenario_to_json
from dashboard.store import ScenarioStore

from .conftest import new_page, screenshot, start_server, wait_for_app

pytestmark = pytest.mark.e2e

MARKDOWN = "**x** [click](http://example.invalid) ![img](http://example.invalid/px.png)"


@pytest.fixture(scope="module")
def db_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server of its own, saving into a fresh SQLite file (not the checkout's)."""
    db = tmp_path_factory.mktemp("scenarios") / "scenarios.sqlite"
    proc, url = start_server({"PVE_DB_PATH": str(db), "DATABASE_URL": ""})
    yield url, db
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def settled(pg) -> None:
    """The script run is over (the status widget no longer says it is running)."""
    wait_for_app(pg)


def slider_value(pg, label: str) -> str:
    return pg.locator(f'input[type="range"][aria-label^="{label}"]').get_attribute("value")


def totals(pg) -> str:
    """The line under the controls table: how many funded, the budget asked and used."""
    return pg.get_by_text(re.compile(r"funded · asked")).first.inner_text()


def open_tab(pg, label: str) -> None:
    pg.get_by_role("tab", name=label).click()
    pg.wait_for_selector(f'[role="tab"][aria-selected="true"]:has-text("{label}")')
    settled(pg)


def pick_saved(pg, name: str) -> None:
    """Choose a saved scenario in the list and press the page's Open button (by its key: the
    list's own drop-down button is also labelled "Open")."""
    combo = pg.locator('input[role="combobox"][aria-label="Saved scenario"]')
    combo.click()
    combo.fill(name)  # the list shows the options matching what is typed
    pg.get_by_role("option", name=re.compile(re.escape(name))).click()
    pg.wait_for_selector(f'input[aria-label="Saved scenario"][value^="{name}"]')
    settled(pg)
    pg.locator(".st-key-sc_open button").click()


def test_scenario_page_renders(server: str, page) -> None:
    page.goto(f"{server}/scenario?dataset=demo")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMetricLabel"]').filter(has_text="NPV").first.is_visible()
    assert page.get_by_text("Fictional data.", exact=False).first.is_visible()
    shot = screenshot(page, "demo-scenario")
    assert shot.stat().st_size > 10_000


def test_scenario_tabs_render(server: str, page) -> None:
    page.goto(f"{server}/scenario?dataset=demo")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    for label, name in [
        ("Agencies", "agency"),
        ("Waterfall", "waterfall"),
        ("Best split", "best"),
    ]:
        open_tab(page, label)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"demo-scenario-{name}")


def test_save_then_open_from_the_list(db_server: tuple[str, Path], page) -> None:
    """Save the current scenario in the browser, then open another saved one from the list:
    the controls show its budgets and horizon; opening the first brings the first back."""
    url, db = db_server
    place = read_bundle(Path(__file__).parents[2] / "data" / "demo").default_place("upper")
    store = ScenarioStore(f"sqlite:///{db}")
    store.save(
        "Reablement and smoking",
        "Two budgets",
        place,
        "demo",
        "A tester",
        scenario_to_json(Scenario(place, 14, {"reablement": 300_000.0, "stop_smoking": 60_000.0})),
    )
    store.close()

    page.goto(f"{url}/scenario?dataset=demo&place={place}")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    horizon_before = slider_value(page, "Horizon (years)")
    totals_before = totals(page)
    assert horizon_before != "14"

    open_tab(page, "Save and download")
    page.get_by_label("Name", exact=True).fill("Saved in the browser")
    page.get_by_label("Your name").fill("Browser test")
    page.get_by_role("button", name="Save scenario").click()
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]:has-text("Share link")')
    settled(page)
    assert re.search(r"scenario=[0-9a-f]{12}", page.url)

    # pick the other saved scenario and open it
    page.get_by_text("(2 saved)", exact=False).wait_for()
    pick_saved(page, "Reablement and smoking")
    page.wait_for_selector(
        '[data-testid="stAlertContentSuccess"]:has-text("Opened Reablement and smoking")'
    )
    settled(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert slider_value(page, "Horizon (years)") == "14"
    # the controls table funds the two, with their budgets (£300k + £60k a year)
    assert "2 interventions funded · asked £360k a year" in totals(page)
    screenshot(page, "demo-scenario-opened")

    # and the one saved in the browser opens back to what was saved
    pick_saved(page, "Saved in the browser")
    page.wait_for_selector(
        '[data-testid="stAlertContentSuccess"]:has-text("Opened Saved in the browser")'
    )
    settled(page)
    assert slider_value(page, "Horizon (years)") == horizon_before
    assert totals(page) == totals_before


def test_refused_link_shows_its_value_as_text(server: str, page) -> None:
    """Markdown in a refused ?place= and ?scenario= is shown as the characters typed: no link,
    no image, no bold, and no backslash showing."""
    from urllib.parse import quote

    page.goto(f"{server}/scenario?dataset=demo&place={quote(MARKDOWN)}&scenario={quote(MARKDOWN)}")
    wait_for_app(page)
    alerts = page.locator('[data-testid="stAlert"]').filter(has_text="Link parameter")
    alerts.first.wait_for()
    assert alerts.count() == 2
    for i in range(alerts.count()):
        alert = alerts.nth(i)
        assert alert.locator("a, img").count() == 0
        text = alert.inner_text().replace(WORD_JOINER, "")
        shown = MARKDOWN[: input_limit("url", "shown_max_chars")]
        assert shown in text, text
        assert "\\" not in text
    assert page.locator('[data-testid="stException"]').count() == 0


#: Elements drawn wider than the viewport, or past its right edge (hidden ones left out; a
#: table's frame is checked, the grid scrolling inside it is not).
SPILL_JS = """
() => {
  const w = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  if (main && main.scrollWidth > main.clientWidth + 1) out.push('stMain scrolls sideways');
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // a table scrolls inside its own frame: the frame is checked, not the grid within it
    if (el.parentElement && el.parentElement.closest('[data-testid="stDataFrame"]')) continue;
    if (r.right > w + 1 || r.width > w) {
      out.push((el.dataset.testid || el.tagName) + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
    }
  }
  return out.slice(0, 10);
}
"""

#: Tabs whose label does not fit: the tab list scrolls, or a tab ends past the list's edge.
TABS_CUT_JS = """
() => {
  const list = document.querySelector('[role="tablist"]');
  if (!list) return ['no tab list'];
  const box = list.getBoundingClientRect();
  const out = [];
  if (list.scrollWidth > list.clientWidth + 1) out.push('the tab list scrolls');
  for (const t of list.querySelectorAll('[role="tab"]')) {
    const r = t.getBoundingClientRect();
    if (r.right > box.right + 1 || r.left < box.left - 1 || t.scrollWidth > t.clientWidth + 1)
      out.push(t.innerText.trim());
  }
  return out;
}
"""

#: Headline labels and figures cut short (an ellipsis: the text is wider than its box).
CUT_TEXT_JS = """
() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMetricValue"] div'
  )].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.trim())
"""

#: The first chart has drawn.
CHART_DRAWN = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'


def _england_built() -> bool:
    return (Path(__file__).parents[2] / "data" / "england" / "bundle.yaml").exists()


@pytest.mark.skipif(not _england_built(), reason="England bundle not built (build-england)")
def test_at_1280_by_720_the_headline_and_first_chart_show_and_nothing_spills(
    server: str, browser
) -> None:
    """England, Wigan, 1280x720: the headline cards (whole system and the council's own cash)
    and the whole first chart are in view without scrolling, no headline label or figure is cut
    short, every tab's label is whole, and nothing is wider than the viewport, on every tab."""
    pg = new_page(browser, 1280, 720)
    try:
        pg.goto(f"{server}/scenario?dataset=england&level=upper&place=E08000010")
        wait_for_app(pg)
        pg.wait_for_selector('[data-testid="stMetric"]')
        pg.wait_for_selector(CHART_DRAWN)
        assert pg.locator('[data-testid="stException"]').count() == 0
        metrics = pg.locator('[data-testid="stMetric"]')
        assert metrics.count() == 8, "the whole system's four figures and the council's four"
        for i in range(8):
            box = metrics.nth(i).bounding_box()
            assert box and box["y"] + box["height"] <= 720, ("headline card below the fold", box)
        assert pg.evaluate(CUT_TEXT_JS) == [], "every headline label and figure shown whole"
        chart = pg.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
        assert chart and chart["y"] + chart["height"] <= 720, ("the first chart is cut", chart)
        assert pg.evaluate(TABS_CUT_JS) == [], "every tab's label is shown whole"
        assert pg.evaluate(SPILL_JS) == []
        screenshot(pg, "england-wigan-scenario-1280", full_page=False)
        tabs = [t.inner_text().strip() for t in pg.locator('[role="tab"]').all()]
        for label in tabs[1:]:
            open_tab(pg, label)
            assert pg.locator('[data-testid="stException"]').count() == 0, label
            assert pg.evaluate(SPILL_JS) == [], label
    finally:
        pg.context.close()
