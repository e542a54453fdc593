"""Scenario engine speed: deterministic run, Monte Carlo, and every upper-tier place at once.

Run: python benchmarks/bench_scenario.py [--runs N]
Prints medians of N runs (default 7) and ratios against bare numpy operations of comparable size
measured in the same run. Targets (issue 7): one place, 10 interventions, 10 years,
deterministic under 5 ms; 1,000 draws under 150 ms; 153 places x 1,000 draws under 5 s.
Places are synthetic (the engine needs only population by age band).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import median_seconds, report  # noqa: E402
from dashboard.bundle.schema import AGE_BANDS  # noqa: E402
from dashboard.scenario import (  # noqa: E402
    PlaceContext,
    Scenario,
    load_catalogue,
    optimise,
    run,
    simulate,
    simulate_places,
)

UPPER_TIER_PLACES = 153
DRAWS = 1_000
YEARS = 10
#: People by age band of a mid-sized unitary; other places are scaled copies.
TYPICAL = np.array([14_000, 40_000, 22_000, 130_000, 26_000, 17_000, 6_500], dtype=float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = args.runs

    cat = load_catalogue()
    ids = cat.intervention_ids[:10]
    budgets = {iid: 200_000.0 for iid in ids}
    ctx = PlaceContext.from_arrays("E06000001", dict(zip(AGE_BANDS, TYPICAL, strict=True)))
    sc = Scenario("E06000001", YEARS, budgets)
    rng = np.random.default_rng(0)
    places = [
        PlaceContext.from_arrays(
            f"E{k:08d}", dict(zip(AGE_BANDS, TYPICAL * rng.uniform(0.2, 6.0), strict=True))
        )
        for k in range(UPPER_TIER_PLACES)
    ]
    print(
        f"scenario engine: {len(ids)} interventions, {YEARS} years, {len(cat.params)} parameters, "
        f"median of {runs} runs"
    )

    # floors: bare numpy work of the same array size as each case
    I, T = len(ids), YEARS  # noqa: E741
    small = np.random.default_rng(1).random((I, T))
    mc = np.random.default_rng(2).random((DRAWS, I, T))
    big = np.random.default_rng(3).random((UPPER_TIER_PLACES, DRAWS, I, T))
    floor_small = median_seconds(lambda: np.cumsum(small * 1.035, axis=-1).sum(), runs=runs * 20)
    floor_mc = median_seconds(lambda: np.cumsum(mc * 1.035, axis=-1).sum(), runs=runs * 5)
    floor_big = median_seconds(lambda: np.cumsum(big * 1.035, axis=-1).sum(), runs=runs)
    report("floor: numpy cumsum on (I, T)", floor_small)
    report("floor: numpy cumsum on (1000, I, T)", floor_mc)
    report("floor: numpy cumsum on (153, 1000, I, T)", floor_big)

    t = median_seconds(lambda: run(sc, ctx, cat), runs=runs * 20)
    report("run: one place, deterministic", t, "< 5 ms", f"x{t / floor_small:,.0f} floor")

    def run_and_frames() -> None:
        r = run(sc, ctx, cat)
        for name in ("by_year", "by_agency", "cash_flow", "outcomes", "outcome_totals", "baseline"):
            getattr(r, name)

    t = median_seconds(run_and_frames, runs=runs * 5)
    report("run + all six tidy frames", t, "", f"x{t / floor_small:,.0f} floor")

    seeds = iter(range(1, 10_000))
    t = median_seconds(lambda: simulate(sc, ctx, cat, draws=DRAWS, seed=next(seeds)), runs=runs)
    report(
        f"simulate: one place, {DRAWS:,} fresh draws", t, "< 150 ms", f"x{t / floor_mc:.1f} floor"
    )
    t = median_seconds(lambda: simulate(sc, ctx, cat, draws=DRAWS, seed=0), runs=runs)
    report(f"simulate: {DRAWS:,} draws reused (budget slider)", t, "", f"x{t / floor_mc:.1f} floor")

    sc_head = Scenario("x", YEARS, {iid: 1.0 for iid in ids}, budget_basis="gbp_per_head")
    t = median_seconds(
        lambda: simulate_places(sc_head, places, cat, draws=DRAWS, seed=0),
        runs=max(3, runs // 2),
        warmup=1,
    )
    report(
        f"simulate_places: {UPPER_TIER_PLACES} places x {DRAWS:,} draws",
        t,
        "< 5 s",
        f"x{t / floor_big:.1f} floor",
    )

    t = median_seconds(lambda: optimise(sc, ctx, cat, 1_500_000.0, interventions=ids), runs=runs)
    report("optimise: 10 interventions, one budget", t)


if __name__ == "__main__":
    main()
