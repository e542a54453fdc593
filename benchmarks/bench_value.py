"""Value for money speed: DEA for every upper-tier place, and the page's rerun latency.

Run: python benchmarks/bench_value.py [--runs N] [--dataset england|demo] [--no-page]
DEA: all upper-tier places, one input (adult social care spend per head), one
non-discretionary input (need), three outputs; median of N runs; target under 2 s.
Range: the gap across vfm.yaml's specifications for one place (each specification's frontier,
VRS and CRS, and its fit), against the main specification alone measured in the same run; the
same solving only the chosen returns to scale (as the page does); and the group specifications
alone (what a place not seen before costs once the level ones are cached). No target: medians
and ratios.
Rerun: the Value for money page after a place change (AppTest) against a bare one-widget page
measured in the same run (target, as for every page: at most 3x the floor + 50 ms).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import median_seconds, report  # noqa: E402
from benchmarks.bench_app import floor_latency, page_latency  # noqa: E402
from dashboard import DATA_DIR  # noqa: E402
from dashboard.analysis.dea import dea_vrs_input, orient  # noqa: E402
from dashboard.analysis.vfm import (  # noqa: E402
    complete,
    frame,
    gap_range,
    options,
    several_outcomes,
    spec_frontier,
    spec_result,
    specifications,
    vfm_settings,
)
from dashboard.bundle import read_bundle  # noqa: E402

SPEND = "spend_asc_per_head"
NEED = "pct_aged_85_plus"
OUTPUTS = ["asc_user_qol", "asc_short_term_outcome_pct", "asc_workforce_turnover_pct"]


def dea_inputs(dataset: str):
    bundle = read_bundle(DATA_DIR / dataset)
    codes = bundle.place_codes("upper")
    fr = frame(bundle, bundle.periods[-1], codes, [SPEND, NEED, *OUTPUTS])
    data, dropped = complete(fr.data, [SPEND, NEED, *OUTPUTS])
    data = data[data[SPEND] > 0]
    lower = [bundle.indicator(i)["polarity"] == "lower_is_better" for i in OUTPUTS]
    x = data[[SPEND]].to_numpy()
    y = orient(data[OUTPUTS].to_numpy(), lower)
    z = orient(data[[NEED]].to_numpy(), [True])
    return x, y, z, len(codes), len(dropped)


def bench_range(dataset: str, runs: int) -> None:
    """Median seconds of the range across the specifications for one upper-tier place."""
    bundle = read_bundle(DATA_DIR / dataset)
    codes = bundle.place_codes("upper")
    period = bundle.periods[-1]
    opts = options(bundle, "upper")
    outcome = OUTPUTS[0]
    curated = list(opts.pair_outcomes.get(SPEND, [outcome]))
    several = several_outcomes(outcome, curated, curated)
    fr = frame(bundle, period, codes, list(dict.fromkeys([SPEND, outcome, NEED, *several])))
    need = fr.data[NEED].dropna()
    place = need.index[len(need) // 2]
    # a comparison group of 15: the places nearest the place in need
    group = [place, *(need.drop(place) - need[place]).abs().nsmallest(15).index]
    settings = vfm_settings()
    specs = specifications()

    def outs(sp) -> list[str]:
        return [outcome] if sp.outcomes == "one" else list(several)

    def solve(chosen, scale: bool = True) -> list:
        results = []
        for sp in chosen:
            o = outs(sp)
            lower = [opts.polarity[i] == "lower_is_better" for i in o]
            where = codes if sp.places == "level" else group
            extra = {} if scale else {"scale": False}  # older trees: no such argument
            front = spec_frontier(fr, sp, where, SPEND, o, lower, [NEED], settings, **extra)
            results.append(spec_result(sp, front, place, None))
        return results

    def whole(scale: bool = True) -> None:
        results = solve(specs, scale)
        gap_range(results, results[0].r2, results[0].n)

    one = median_seconds(lambda: solve(specs[:1]), runs=runs)
    report(f"[{dataset}] main specification only, 1 place ({len(codes)} compared)", one)
    t = median_seconds(whole, runs=runs)
    report(
        f"[{dataset}] range across {len(specs)} specifications, 1 place",
        t,
        extra=f"ratio {t / one:.1f}x main",
    )
    one_rts = "scale" in inspect.signature(spec_frontier).parameters
    if one_rts:
        t = median_seconds(lambda: whole(False), runs=runs)
        report(
            f"[{dataset}] the same as the page solves it (one RTS)",
            t,
            extra=f"ratio {t / one:.1f}x main",
        )
    grp = [sp for sp in specs if sp.places == "group"]
    ways = ((True, "VRS and CRS"), (False, "one RTS, as the page"))
    for scale, how in ways if one_rts else ways[:1]:
        t = median_seconds(lambda scale=scale: solve(grp, scale), runs=runs)
        report(
            f"[{dataset}] {len(grp)} group specifications ({len(group)} places; {how})",
            t,
            extra=f"ratio {t / one:.1f}x main",
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dataset", default=None)
    parser.add_argument("--no-page", action="store_true")
    args = parser.parse_args()
    dataset = args.dataset or (
        "england" if (DATA_DIR / "england" / "bundle.yaml").exists() else "demo"
    )
    x, y, z, n_all, n_dropped = dea_inputs(dataset)
    t = median_seconds(lambda: dea_vrs_input(x, y, z), runs=args.runs)
    report(
        f"DEA {len(x)} upper-tier places ({dataset}), 1+1+3",
        t,
        "< 2000 ms",
        f"{'OK' if t < 2 else 'OVER'} ({n_all} places, {n_dropped} without every value)",
    )
    bench_range(dataset, args.runs)
    if not args.no_page:
        runs = max(3, args.runs // 2)
        floor = floor_latency(runs)
        report("rerun: bare one-widget page (floor)", floor)
        page = page_latency("pages/value.py", runs, dataset=dataset)
        budget = 3 * floor + 0.050
        report(
            f"rerun after place change: Value for money ({dataset})",
            page,
            f"<= {budget * 1000:.0f} ms",
            f"ratio {page / floor:.1f}x floor {'OK' if page <= budget else 'OVER'}",
        )


if __name__ == "__main__":
    main()
