"""Take the README's screenshots: every page, in headless Chromium, on a server of its own.

    python scripts/screenshots.py                    # docs/screenshots/<page>.png: demo, 1280x720
    python scripts/screenshots.py --size 1920x1080 --dataset england --out DIR

Each picture is the whole page at the viewport's width. It is taken once the script has
finished, every visible chart has drawn, the fonts have loaded and nothing is hovered; a page
that shows an exception or "Page not found" is refused rather than pictured.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ui.pages import PAGES  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    launch,
    new_page,
    page_not_found,
    screenshot,
    wait_for_app,
)

#: True once every visible chart has drawn (an svg or canvas with a size) and no spinner shows.
CHARTS_DRAWN_JS = """
() => {
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => c.offsetParent !== null);
  return charts.every(c => [...c.querySelectorAll('svg, canvas')]
    .some(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0));
}
"""

#: The Maps page has drawn its places.
MAP_DRAWN = '[data-testid="stVegaLiteChart"] path[aria-label*="Place: "]'

IMAGES_LOADED_JS = "() => [...document.images].every(i => i.complete)"


def size(text: str) -> tuple[int, int]:
    """'1280x720' -> (1280, 720)."""
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def take(
    out: Path, dataset: str, width: int, height: int, only: list[str], query: str = ""
) -> list[Path]:
    """One PNG per page into `out` (`query`: more link parameters, e.g. "place=E10000016");
    returns the paths written."""
    from playwright.sync_api import expect, sync_playwright

    srv = launch()
    written: list[Path] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            pg = new_page(browser, width, height)
            expect.set_options(timeout=120_000)
            for info in PAGES:
                if only and info.url_path not in only:
                    continue
                path = "" if info is PAGES[0] else info.url_path
                pg.goto(f"{srv.url}/{path}?dataset={dataset}" + (f"&{query}" if query else ""))
                wait_for_app(pg)
                if page_not_found(pg):
                    raise RuntimeError(f"/{path} shows 'Page not found'")
                if pg.locator('[data-testid="stException"]').count():
                    raise RuntimeError(f"/{path} shows an exception")
                pg.wait_for_function(CHARTS_DRAWN_JS)
                if info.url_path == "maps":
                    pg.wait_for_selector(MAP_DRAWN)
                pg.wait_for_function(IMAGES_LOADED_JS)
                pg.mouse.move(0, 0)
                written.append(screenshot(pg, info.url_path, folder=out))
                print(written[-1])
            browser.close()
    finally:
        srv.stop()
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--dataset", default="demo")
    ap.add_argument("--size", type=size, default=(1280, 720), help="viewport, e.g. 1280x720")
    ap.add_argument("--pages", nargs="*", default=[], help="url paths (default: every page)")
    ap.add_argument(
        "--query", default="", help='more link parameters, e.g. "level=lower&place=E07000008"'
    )
    args = ap.parse_args(argv)
    take(args.out, args.dataset, *args.size, args.pages, args.query)


if __name__ == "__main__":
    main()
