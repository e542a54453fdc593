"""Maps: geometry file sizes, websocket bytes when switching indicator, click to map redrawn.

Run: python benchmarks/bench_maps.py [--runs N] [--dataset demo|england ...]
Prints, for each dataset:
- the size of every static geometry file (raw and gzip), target: lower-tier shapes < 400 KB;
- bytes received over the websocket by the browser when the indicator changes (median and
  largest of N switches), target < 50 KB;
- milliseconds from a click on a place to the map redrawn with that place outlined (median of N
  clicks), measured in the page with performance.now().
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.analysis.map_values import indicator_periods  # noqa: E402
from dashboard.bundle import read_bundle  # noqa: E402
from dashboard.export.geometry import publish_geometry  # noqa: E402
from dashboard.ui.data import available_datasets  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from tests.e2e.test_maps import INSIDE_POINT_JS  # noqa: E402

IDLE_JS = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running|Stop/)"
)


def geometry_sizes(dataset: str, path: Path) -> None:
    bundle = read_bundle(path)
    with tempfile.TemporaryDirectory() as d:
        pub = publish_geometry(bundle, dataset, Path(d))
        print(f"\n[{dataset}] static geometry files")
        for (level, kind), rel in sorted(pub.files.items()):
            raw = (Path(d) / rel).read_bytes()
            gz = len(gzip.compress(raw, 6))
            flag = ""
            if (level, kind) == ("lower", "shapes"):
                flag = f"   target < 400 KB {'OK' if len(raw) < 400_000 else 'OVER'}"
            print(
                f"  {level:<6}{kind:<14}{len(raw) / 1000:8.1f} KB raw {gz / 1000:7.1f} KB gzip{flag}"
            )


def _settle(page) -> None:
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE_JS)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg path[aria-label*="Place: "]')


def browser_figures(dataset: str, path: Path, runs: int, level: str) -> None:
    from playwright.sync_api import sync_playwright

    bundle = read_bundle(path)
    ids = [i for i in bundle.indicators_at(level)["id"] if indicator_periods(bundle, i, level)][
        : runs + 1
    ]
    proc, url = start_server()
    received = {"bytes": 0}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1300})

            def on_ws(ws) -> None:
                ws.on(
                    "framereceived",
                    lambda payload: received.__setitem__(
                        "bytes",
                        received["bytes"]
                        + (len(payload) if isinstance(payload, bytes) else len(payload.encode())),
                    ),
                )

            page.on("websocket", on_ws)
            page.goto(f"{url}/?dataset={dataset}")
            page.wait_for_selector("h1", timeout=60_000)
            page.wait_for_function(IDLE_JS)
            page.goto(f"{url}/maps?dataset={dataset}&level={level}")
            page.wait_for_selector("h1", timeout=60_000)
            _settle(page)
            page.wait_for_timeout(1000)

            # 1. bytes over the websocket per indicator switch
            sizes = []
            box = page.locator('input[aria-label="Indicator"]')
            for ind in ids[1:]:
                label = bundle.indicator(ind)["label"]
                page.wait_for_timeout(300)
                received["bytes"] = 0
                box.click()
                box.fill(label)
                page.keyboard.press("Enter")
                page.wait_for_function(
                    "(t) => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg text')]"
                    ".some(e => e.textContent === t)",
                    arg=label,
                    timeout=30_000,
                )
                _settle(page)
                page.wait_for_timeout(300)
                sizes.append(received["bytes"])
            med = statistics.median(sizes)
            print(
                f"\n[{dataset}, {level} tier] websocket bytes per indicator switch: median {med / 1000:.1f} KB, "
                f"largest {max(sizes) / 1000:.1f} KB over {len(sizes)} switches   "
                f"target < 50 KB {'OK' if max(sizes) < 50_000 else 'OVER'}"
            )

            # 2. click to map redrawn
            times = []
            codes = [c for c in bundle.place_codes(level)]
            picks = codes[3 : 3 + runs * 7 : 7][:runs]
            for code in picks:
                name = bundle.place_name(code)
                shape_el = page.locator(
                    f'[data-testid="stVegaLiteChart"] path[aria-label*="Place: {name};"]'
                ).first
                shape_el.scroll_into_view_if_needed()
                point = shape_el.evaluate(INSIDE_POINT_JS)
                if not point:
                    continue
                page.evaluate("() => { window.__t0 = performance.now(); }")
                page.mouse.click(*point)
                page.wait_for_function(
                    "(n) => document.body.innerText.includes('Thick black outline: ' + n + '.')",
                    arg=name,
                    polling="raf",
                    timeout=30_000,
                )
                page.wait_for_selector(
                    '[data-testid="stVegaLiteChart"] svg path[aria-label*="Place: "]'
                )
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                times.append(page.evaluate("() => performance.now() - window.__t0"))
                _settle(page)
                page.wait_for_timeout(300)
            print(
                f"[{dataset}, {level} tier] click to map redrawn (new place outlined): median "
                f"{statistics.median(times):.0f} ms over {len(times)} clicks "
                f"(range {min(times):.0f}–{max(times):.0f} ms)"
            )
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dataset", action="append", help="default: every available dataset")
    parser.add_argument("--level", action="append", help="default: upper and lower")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    paths = available_datasets()
    for name in args.dataset or list(paths):
        geometry_sizes(name, paths[name])
        if not args.no_browser:
            for level in args.level or ["upper", "lower"]:
                browser_figures(name, paths[name], args.runs, level)


if __name__ == "__main__":
    main()
