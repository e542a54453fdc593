"""Profile speed: peer groups for every place at both levels, the profile table, and the Profile
page's rerun latency against Streamlit's floor (a bare one-widget page).

Run: python benchmarks/bench_profile.py [--runs N]
Targets (issue 4): peers for every place at both levels under 200 ms; page rerun at most
3x the floor + 50 ms (issue 2's budget).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks._common import median_seconds, report  # noqa: E402
from benchmarks.bench_app import floor_latency  # noqa: E402
from dashboard import PROJECT_ROOT  # noqa: E402
from dashboard.analysis.peers import build_peer_model, nearest, weighted_distances  # noqa: E402
from dashboard.analysis.profile import level_values, profile_table  # noqa: E402
from dashboard.bundle import read_bundle  # noqa: E402
from dashboard.ui.data import available_datasets  # noqa: E402

PAGE = "pages/profile.py"


def bench_peers(name: str, path: Path, runs: int) -> None:
    bundle = read_bundle(path)
    period = bundle.periods[-1]
    n = {lv: len(bundle.place_codes(lv)) for lv in ("upper", "lower")}

    def both() -> None:
        for level in ("upper", "lower"):
            build_peer_model(bundle, level, period)

    t = median_seconds(both, runs)
    report(
        f"[{name}] peers, every place, both levels",
        t,
        "< 200 ms",
        f"{n['upper']} + {n['lower']} places {'OK' if t < 0.2 else 'OVER'}",
    )
    z = np.random.default_rng(0).normal(size=(n["lower"], 8))
    w = np.ones(8)
    t = median_seconds(lambda: nearest(weighted_distances(z, w), 15), runs)
    report(f"[{name}] of which distances + 15 nearest ({n['lower']} places)", t)
    lv = level_values(bundle, "upper", period)
    codes = bundle.place_codes("upper")
    t = median_seconds(lambda: level_values(bundle, "upper", period), runs)
    report(f"[{name}] level matrix (cached per bundle, level, period)", t)
    t = median_seconds(
        lambda: profile_table(bundle, codes[0], "upper", codes[1:16], period, matrix=lv), runs
    )
    report(f"[{name}] profile table for one place (matrix cached)", t)


def _rerun(at: AppTest, label: str, values: list[str], runs: int) -> float:
    times = []
    for i in range(runs + 1):
        box = next(w for w in at.selectbox if w.label == label)
        box.set_value(values[i % len(values)])
        t0 = time.perf_counter()
        at.run()
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        if i:  # the first change warms the caches
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def page_latency(dataset: str, runs: int) -> tuple[float, float, float]:
    """Median rerun after a change between two places (charts cached), to a place not seen
    before (nothing cached but the level matrix and peers), and of comparison group (seconds)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["dataset"] = dataset
    at.run()
    at.switch_page(PAGE)
    at.run()
    bundle = read_bundle(available_datasets()[dataset])
    codes = bundle.place_codes("upper")
    place = _rerun(at, "Place", [codes[3], codes[7]], runs)
    fresh = _rerun(at, "Place", codes[20 : 20 + runs + 1], runs)
    group = _rerun(at, "Compare with", ["region", "peers"], runs)
    return place, fresh, group


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    datasets = available_datasets()
    for name in ("demo", "england"):
        if name in datasets:
            bench_peers(name, datasets[name], args.runs)
    floor = floor_latency(args.runs)
    report("rerun: bare one-widget page (floor)", floor)
    budget = 3 * floor + 0.050
    for name in ("demo", "england"):
        if name not in datasets:
            continue
        place, fresh, group = page_latency(name, args.runs)
        for what, t in (
            ("place", place),
            ("new place (uncached charts)", fresh),
            ("comparison group", group),
        ):
            report(
                f"[{name}] Profile rerun after a {what} change",
                t,
                f"<= {budget * 1000:.0f} ms",
                f"ratio {t / floor:.1f}x floor {'OK' if t <= budget else 'OVER'}",
            )


if __name__ == "__main__":
    main()
