"""axe-core on every page, on the demo and (when built) on England: no serious or critical
violation of the WCAG 2.0, 2.1 and 2.2 level A and AA rules.

axe-core is the copy bundled with axe-playwright-python, injected into the page: no network.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT
from dashboard.ui.pages import PAGES
from tests.app.conftest import england_built

from .conftest import open_tab, wait_for_app, wait_painted

pytestmark = pytest.mark.e2e

axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)

#: The WCAG 2.0, 2.1 and 2.2 rules at levels A and AA (axe's tags for them).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: Impacts that fail the test.
BLOCKING = {"serious", "critical"}
#: Rules broken by Streamlit's own markup that the app cannot change, each with the element and
#: why. Keep this empty unless a rule is proven to come from Streamlit, and report it.
EXCLUDED_RULES: dict[str, str] = {}
#: Elements left out of the check, each with why. Vega-Lite draws an interval selection (the
#: brush of the Value for money scatter) as two rectangle marks, ``brush_brush_bg`` and
#: ``brush_brush``, with no ARIA label and no way in the spec to give them one or hide them
#: (BrushConfig has no ``aria``): svg-img-alt flags them. They are the drag rectangle, not data.
EXCLUDED_ELEMENTS: dict[str, str] = {
    ".brush_brush_bg": "Vega-Lite interval-selection background rectangle (no aria setting)",
    ".brush_brush": "Vega-Lite interval-selection rectangle (no aria setting)",
}
#: Where each run's full list of violations is written (for the record of counts).
REPORTS = Path(os.environ.get("PVE_AXE_REPORTS", PROJECT_ROOT / "artifacts" / "axe"))

#: The app's page style is applied: captions are drawn at full opacity.
STYLED_JS = """
() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
  .every(c => getComputedStyle(c).opacity === '1')
"""

DATASETS = [
    pytest.param("demo", id="demo"),
    pytest.param(
        "england",
        id="england",
        marks=pytest.mark.skipif(
            not england_built(), reason="England bundle not built (build-england)"
        ),
    ),
]


def axe_violations(pg) -> list[dict]:
    """axe-core's violations on the page as drawn, for the WCAG A/AA tags."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in EXCLUDED_RULES},
    }
    context = {"exclude": [[selector] for selector in EXCLUDED_ELEMENTS]}
    return axe_module.Axe().run(pg, context=context, options=options).response["violations"]


def summary(violations: list[dict]) -> list[str]:
    """One line per violation: impact, rule, how many elements, the first element's selector."""
    return [
        f"{v['impact']}: {v['id']} ({len(v['nodes'])} elements, e.g. {v['nodes'][0]['target']}) "
        f"- {v['help']}"
        for v in violations
    ]


def check_page(page, name: str) -> None:
    """Wait for the charts, run axe, record its violations as ``name``, and assert none is
    serious or critical and every chart has its description as accessible name."""
    # charts are drawn by Vega after the script has finished: wait until every one is there
    # and its view is set up (Vega gives the container its role then, and the description)
    page.wait_for_function(CHARTS_DRAWN_JS, polling=100)
    # the app's page style (ui.style.accessible_page) is sent with every script run: a rerun
    # that starts just after the page looked idle (the URL is written back) replaces it
    page.wait_for_function(STYLED_JS)
    wait_painted(page)
    violations = axe_violations(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(
        json.dumps(
            [
                {k: v[k] for k in ("id", "impact", "help")}
                | {"n": len(v["nodes"])}
                | {"nodes": [(n["target"], n["html"][:300]) for n in v["nodes"][:8]]}
                for v in violations
            ],
            indent=1,
        ),
        encoding="utf-8",
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(summary(blocking))
    # each chart's accessible name is its description, written from its data. Streamlit may
    # mount a chart again after it was first drawn (the map, once its width is known): wait
    # for every chart to be drawn again before reading the names
    wait_for_app(page)
    # drawn and named are read in one evaluation: between two calls, a chart mounted again
    # reads as unnamed (one CI run saw that)
    names = page.wait_for_function(CHART_NAMES_JS, polling=100).json_value()
    assert all(role == "graphics-document" and CHART_KIND.match(name) for role, name in names), (
        names
    )


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_no_serious_or_critical_axe_violations(server: str, page, info, dataset: str) -> None:
    page.goto(f"{server}/{info.url_path}?dataset={dataset}")
    wait_for_app(page)
    check_page(page, f"{dataset}-{info.url_path}")


#: The tabs after the first, by page (the first is checked above). Scenarios draws a tab only
#: when it is opened.
TABS = {
    "profile": ["Spend by service", "Trends", "Statistical neighbours", "Table and download"],
    "value": ["Given need", "Efficiency frontier", "Scores and download"],
    "scenario": [
        "Who pays, who gains",
        "Spend",
        "Agencies",
        "Waterfall",
        "Best split",
        "Compare",
        "Method",
        "Save and download",
    ],
}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("path", list(TABS))
def test_every_tab_has_no_serious_or_critical_axe_violations(
    server: str, page, path: str, dataset: str
) -> None:
    page.goto(f"{server}/{path}?dataset={dataset}")
    wait_for_app(page)
    for label in TABS[path]:
        open_tab(page, label)
        check_page(page, f"{dataset}-{path}-{label.lower().replace(' ', '-').replace(',', '')}")


#: Every chart on the page is drawn: Vega has made its canvas or SVG and given the container
#: its role and accessible name.
CHARTS_DRAWN_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .every(c => c.querySelector('canvas, svg') && c.getAttribute('role')
              && c.getAttribute('aria-label'))
"""
#: (role, accessible name) of every chart on the page, once every one is drawn (else null).
CHART_NAMES_JS = """
() => {
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  if (!charts.every(c => c.querySelector('canvas, svg') && c.getAttribute('role')
                         && c.getAttribute('aria-label'))) return null;
  return charts.map(c => [c.getAttribute('role'), c.getAttribute('aria-label')]);
}
"""
#: A description starts with the kind of chart (charts.describe).
CHART_KIND = re.compile(r"^(Spine|Range|Line|Scatter|Bar|Stacked bar|Waterfall) chart: |^Map: ")
#: The focused element's (or its select box's) outline: style and width in px.
FOCUS_JS = """
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return ['none', 0, ''];
  const box = e.closest('[data-baseweb="select"]') || e;
  const s = getComputedStyle(box);
  return [s.outlineStyle, parseFloat(s.outlineWidth), (e.innerText || e.getAttribute('aria-label') || e.tagName).slice(0, 40)];
}
"""
#: How many Tab presses the focus check walks through.
TAB_STOPS = 12


def test_keyboard_focus_is_visible(server: str, page) -> None:
    """Tabbing from the top of the Profile page, every element that takes the focus shows an
    outline at least 2 px wide (the app's page style; Streamlit's select boxes show none)."""
    page.goto(f"{server}/profile?dataset=demo")
    wait_for_app(page)
    page.wait_for_function(STYLED_JS)
    unseen = []
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
        style, width, what = page.evaluate(FOCUS_JS)
        if style == "none" or width < 2:
            unseen.append(what)
    assert unseen == [], f"focus not visible on: {unseen}"
