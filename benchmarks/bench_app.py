"""App speed: cold start in Chromium, and rerun latency per page against Streamlit's floor.

Run: python benchmarks/bench_app.py [--runs N] [--dataset demo|england] [--server-cache-only]
Prints medians of N runs (default 5) and ratios against a bare one-widget page measured in the
same run. Targets (issue 2): rerun at most 3x the floor + 50 ms; cold start under 5 s.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks._common import report, server_like_script_cache  # noqa: E402
from dashboard import PROJECT_ROOT  # noqa: E402
from dashboard.ui.pages import PAGES  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402

_UNSEEN = itertools.count(10)  # places 10, 11, ... (3 and 7 are the alternating pair)

FLOOR_APP = """
import streamlit as st
st.selectbox("Pick", ["a", "b"], key="pick")
st.write("Hello")
"""


def rerun_latency(at: AppTest, label: str, values: list[str], runs: int) -> float:
    """Median seconds for one rerun after changing the sidebar widget ``label``."""
    box = next(w for w in at.selectbox if w.label == label)
    times = []
    for i in range(runs + 1):
        box = next(w for w in at.selectbox if w.label == label)
        box.set_value(values[i % len(values)])
        t0 = time.perf_counter()
        at.run()
        dt = time.perf_counter() - t0
        if i:  # first change warms caches
            times.append(dt)
    return statistics.median(times)


def floor_latency(runs: int) -> float:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "floor.py"
        path.write_text(FLOOR_APP)
        at = AppTest.from_file(str(path), default_timeout=60)
        at.run()
        return rerun_latency(at, "Pick", ["a", "b"], runs)


def page_latency(page: str, runs: int, fresh: bool = False, dataset: str = "demo") -> float:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["dataset"] = dataset
    at.run()
    at.switch_page(page)
    at.run()
    places = [w for w in at.selectbox if w.label == "Place"][0].options
    # fresh: places no earlier measurement in this process has shown (caches outlive an AppTest)
    codes = [places[next(_UNSEEN)] for _ in range(runs + 1)] if fresh else [places[3], places[7]]
    # options are labels; set_value wants codes: read them from the widget's format
    codes = [o.rsplit("(", 1)[-1].rstrip(")") for o in codes]
    return rerun_latency(at, "Place", codes, runs)


def cold_start(runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            t0 = time.perf_counter()
            proc, url = start_server()
            try:
                page = browser.new_page()
                page.goto(f"{url}/?dataset=demo")
                page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
                out.append(time.perf_counter() - t0)
                page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--dataset", default="demo", help="bundle the pages show (default demo)")
    parser.add_argument(
        "--server-cache-only",
        action="store_true",
        help="skip the pass with AppTest as shipped; measure only with compiled scripts kept",
    )
    args = parser.parse_args()
    if not args.server_cache_only:
        measure_reruns(
            args.runs, "AppTest as shipped (recompiles page scripts every run)", args.dataset
        )
    server_like_script_cache()
    measure_reruns(args.runs, "compiled scripts kept between runs, as a server does", args.dataset)
    if not args.no_browser:
        times = cold_start(args.runs)
        med = statistics.median(times)
        report(
            "cold start: server start to Home drawn in Chromium",
            med,
            "< 5000 ms",
            f"{'OK' if med < 5 else 'OVER'} (runs: {', '.join(f'{t:.2f}s' for t in times)})",
        )


def measure_reruns(runs: int, how: str, dataset: str = "demo") -> None:
    print(f"--- rerun latency on {dataset}, {how}")
    floor = floor_latency(runs)
    report("rerun: bare one-widget page (floor)", floor)
    for info in PAGES:
        t = page_latency(info.path, runs, dataset=dataset)
        budget = 3 * floor + 0.050
        new = page_latency(info.path, runs, fresh=True, dataset=dataset)
        report(
            f"rerun after place change: {info.title}",
            t,
            f"<= {budget * 1000:.0f} ms",
            f"ratio {t / floor:.1f}x floor {'OK' if t <= budget else 'OVER'}; "
            f"a place not seen before: {new * 1000:.0f} ms",
        )


if __name__ == "__main__":
    main()
