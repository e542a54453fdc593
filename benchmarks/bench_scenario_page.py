"""Scenarios page: rerun latency after moving one budget slider (1,000 Monte Carlo draws).

Run: python benchmarks/bench_scenario_page.py [--runs N] [--dataset demo|england]
Prints the median of N reruns (default 7) after moving the first intervention's budget slider
one step, against a bare one-widget page measured in the same run (Streamlit's floor).
Target (issue 8): median under 250 ms. The engine's results are cached on the scenario, draws
are reused while only budgets change, and the tabs that are not open draw nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks._common import report  # noqa: E402
from benchmarks.bench_app import floor_latency  # noqa: E402
from dashboard import PROJECT_ROOT  # noqa: E402
from dashboard.ui.scenario import draws  # noqa: E402

TARGET_S = 0.250


def slider_latency(dataset: str, runs: int, revisit: bool) -> float:
    """Median seconds of a rerun after moving one budget slider by a step.

    ``revisit``: alternate between two values (the second visit finds the results cached);
    otherwise every move is to a new value (nothing cached for it)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["dataset"] = dataset
    at.run()
    at.switch_page("pages/scenario.py")
    at.run()
    label = next(s.label for s in at.slider if s.label.endswith("(£ thousand a year)"))
    times = []
    for i in range(runs + 2):
        sl = next(s for s in at.slider if s.label == label)
        step = sl.step or 1
        new = sl.value + (step if (not revisit or i % 2 == 0) else -step)
        if new > sl.max:
            new = sl.min
        sl.set_value(new)
        t0 = time.perf_counter()
        at.run()
        dt = time.perf_counter() - t0
        assert not at.exception, [e.value for e in at.exception]
        if i >= 2:  # the first moves warm the caches
            times.append(dt)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dataset", default="demo")
    args = parser.parse_args()
    floor = floor_latency(args.runs)
    report("rerun: bare one-widget page (floor)", floor)
    t = slider_latency(args.dataset, args.runs, revisit=False)
    report(
        f"rerun after a budget slider moves ({draws():,} draws, new value)",
        t,
        f"< {TARGET_S * 1000:.0f} ms",
        f"{'OK' if t < TARGET_S else 'OVER'}; {t / floor:.1f}x floor; {args.dataset}",
    )
    t2 = slider_latency(args.dataset, args.runs, revisit=True)
    report(
        "rerun after a budget slider moves back (cached)",
        t2,
        f"< {TARGET_S * 1000:.0f} ms",
        f"{'OK' if t2 < TARGET_S else 'OVER'}; {t2 / floor:.1f}x floor; {args.dataset}",
    )


if __name__ == "__main__":
    main()
