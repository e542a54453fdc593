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
from dashboard.scenario import Scenario, load_catalogue, scenario_to_json
from dashboard.store import ScenarioStore

from .conftest import screenshot, start_server, wait_for_app

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
        # budgets on the sliders' steps (stop smoking, a stock, steps £20k): they open unrounded
        scenario_to_json(Scenario(place, 14, {"reablement": 300_000.0, "stop_smoking": 60_000.0})),
    )
    store.close()
    cat = load_catalogue()
    reablement = cat.intervention("reablement").label
    smoking = cat.intervention("stop_smoking").label

    page.goto(f"{url}/scenario?dataset=demo&place={place}")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    horizon_before = slider_value(page, "Horizon (years)")
    reablement_before = slider_value(page, reablement)
    assert horizon_before != "14"

    open_tab(page, "Save, open and download")
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
    assert slider_value(page, reablement) == "300"
    assert slider_value(page, smoking) == "60"
    assert slider_value(page, "Horizon (years)") == "14"
    budgets = page.locator('input[type="range"][aria-label$="(£ thousand a year)"]')
    assert budgets.count() == 2, "one budget slider per funded intervention"
    screenshot(page, "demo-scenario-opened")

    # and the one saved in the browser opens back to what was saved
    pick_saved(page, "Saved in the browser")
    page.wait_for_selector(
        '[data-testid="stAlertContentSuccess"]:has-text("Opened Saved in the browser")'
    )
    settled(page)
    assert slider_value(page, "Horizon (years)") == horizon_before
    assert slider_value(page, reablement) == reablement_before


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
