"""Benchmark: a 10-slide board pack, PowerPoint and PDF, on England (Wigan) and the demo.

The deck is the place's default deck (present.kinds) made up to 10 slides with chart and
table slides drawn from the Profile page's charts (spend by service, trends), each through
present.projector as story mode shows it. Baseline: one PNG of a simple chart (vl-convert),
measured in the same run, so the ratio says how many simple charts a pack costs.

Target (issue 15): a 10-slide pack in under 10 s.

Run: ``PYTHONPATH=src python -m benchmarks.bench_board_pack [--runs N]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks._common import median_seconds, report
from dashboard import DATA_DIR
from dashboard.analysis.profile import (
    england_label,
    profile_table,
    spend_by_service,
    trend_england_label,
    trend_table,
)
from dashboard.bundle import Bundle, read_bundle
from dashboard.charts.profile import spend_chart, trend_chart
from dashboard.export.images import to_png
from dashboard.present import pack
from dashboard.present.kinds import base_slide, build_slides, default_deck
from dashboard.present.model import Slide
from dashboard.present.projector import projector_spec
from dashboard.view import View, context_for, default_group

WIGAN = "E08000010"
#: Indicators drawn as trend slides, in order (those the bundle has at the level).
TRENDS = (
    "spend_total_per_head",
    "cla_rate_per_10k",
    "child_poverty_pct",
    "healthy_life_expectancy_years",
    "gcse_eng_maths_pct",
    "claimant_count_pct",
    "spend_csc_per_child",
    "adult_obesity_pct",
)


def sample_slides(bundle: Bundle, dataset: str, place: str, n: int = 10) -> list[Slide]:
    """The place's default deck, made up to ``n`` slides with a spend chart, a table and
    trend charts (upper tier, the default comparison group, the latest period)."""
    level = "upper"
    view = View(dataset, level, place, default_group(bundle, level), bundle.periods[-1])
    ctx = context_for(bundle, view)
    slides = build_slides(ctx, default_deck(ctx), None)
    name = bundle.place_name(place)
    extra: list[Slide] = []
    table = profile_table(bundle, place, level, ctx.group, view.period, ctx.group_text)
    spend = spend_by_service(table)
    if not spend.empty:
        spec = spend_chart(
            spend, name, ctx.group_text, england_label(level), view.period, bundle.attribution
        ).to_dict(validate=False)
        extra.append(
            base_slide(
                ctx,
                "chart",
                f"Spend per head by service, {view.period}",
                f"Where {name}'s money goes, against {ctx.group_text}.",
                chart=projector_spec(spec),
                alt=f"Spend per head by service in {name} against its comparison group.",
                method="Net current expenditure per resident; the group's range and median.",
                caveat="Spend per head does not adjust for need.",
            )
        )
        cols = {"service_label": "Service", "value": name, "group_median": "Group median"}
        have = [c for c in cols if c in spend.columns]
        extra.append(
            base_slide(
                ctx,
                "table",
                "Spend per head: the figures",
                "The same spend as a table, £ per head.",
                table=spend[have].rename(columns=cols).round(1),
                alt="Table of spend per head by service.",
            )
        )
    for ind in TRENDS:
        if len(slides) + len(extra) >= n:
            break
        if ind not in set(bundle.indicators_at(level)["id"]):
            continue
        meta = bundle.indicator(ind)
        trend = trend_table(bundle, place, level, ctx.group, ind)
        if trend.empty:
            continue
        spec = trend_chart(
            trend,
            indicator=meta["label"],
            unit=meta["unit"],
            place_name=name,
            group_text=ctx.group_text,
            england_text=trend_england_label(trend, level),
            attribution=bundle.attribution,
            indicator_id=ind,
            polarity=str(meta["polarity"]),
        ).to_dict(validate=False)
        extra.append(
            base_slide(
                ctx,
                "chart",
                str(meta["label"]),
                f"{name} over time against {ctx.group_text}.",
                chart=projector_spec(spec),
                alt=f"Trend of {meta['label']} in {name}.",
                note=f"Talk through {meta['label']}.",
                method="The group's median and interquartile band each period.",
            )
        )
    # the sources slide stays last
    return (slides[:-1] + extra)[: n - 1] + slides[-1:]


def _simple() -> dict:
    return {
        "data": {"values": [{"a": 1, "b": "x"}, {"a": 3, "b": "y"}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b"}},
        "width": 400,
        "height": 200,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = median_seconds(lambda: to_png(_simple()), runs=args.runs * 3)
    report("baseline: one PNG of a simple chart", base)
    cases = [("demo", DATA_DIR / "demo", None)]
    if (DATA_DIR / "england" / "bundle.yaml").exists():
        cases.insert(0, ("england", DATA_DIR / "england", WIGAN))
    else:
        print("England bundle not built: England cases skipped")
    for name, path, place in cases:
        bundle = read_bundle(Path(path))
        place = place or bundle.default_place("upper")
        t0 = time.perf_counter()
        slides = sample_slides(bundle, name, place)
        built = time.perf_counter() - t0
        report(f"{name} {place}: build {len(slides)} slides", built)
        for fmt in ("pptx", "pdf"):
            for workers in (1, 2):
                pack.WORKERS = workers
                sec = median_seconds(lambda f=fmt, s=slides: pack.board_pack(s, f), runs=args.runs)
                report(
                    f"{name}: {len(slides)}-slide {fmt}, {workers} worker(s)",
                    sec,
                    target="< 10 s",
                    extra=f"{sec / base:.0f}x baseline",
                )
        pack.WORKERS = 1


if __name__ == "__main__":
    main()
