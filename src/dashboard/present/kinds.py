"""The kinds of slide story mode draws, and the deck a place starts with.

Each kind builds a :class:`~dashboard.present.model.Slide` from the data: ``build(ctx, params,
case)`` with the view's context (dashboard.view.Context), the slide's saved settings (text to
text) and the deck's scenario (present.case.ScenarioCase, built only for kinds that need one).
All text is plain (never markdown); every number a sentence states comes from the data or
from a catalogue YAML. A setting a kind does not read, or a value it cannot take, gives an
"unavailable" slide that says why (as does a kind this app does not draw); the values a
setting may take for a view are :func:`kind_options` (for the "add a slide" menu).

The slides of each page live beside this module: kinds_profile (differences, spine, spend,
trend, map), kinds_value (value for money) and kinds_scenario (the prevention case).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from dashboard.analysis.prices import is_money, price_factor, prices_label
from dashboard.analysis.summary import headline_cards
from dashboard.formatting import format_difference, format_value
from dashboard.present import kinds_profile as prof
from dashboard.present import kinds_scenario as scen
from dashboard.present import kinds_value as val
from dashboard.present.case import ScenarioCase
from dashboard.present.kinds_base import (
    FICTIONAL,
    Build,
    SlideError,
    SlideKind,
    base_slide,
    place_name,
    read_params,
)
from dashboard.present.model import Deck, Figure, Slide, SlideRef
from dashboard.present.projector import footer_source
from dashboard.view import LEVEL_LABELS, Context

__all__ = [
    "DEFAULT_SLIDES",
    "FICTIONAL",
    "KINDS",
    "Build",
    "SlideError",
    "SlideKind",
    "base_slide",
    "build_slide",
    "build_slides",
    "default_deck",
    "kind_ids",
    "kind_options",
    "needs_scenario",
]

#: How each verdict of a headline card reads before "the group" (ui/home.py VERDICT, in plain
#: text): better/worse only where an indicator has a better direction, higher/lower otherwise.
VERDICT = {
    "better": "better than",
    "worse": "worse than",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
}


def where_line(ctx: Context) -> str:
    """Place, comparison group and period, in words."""
    v = ctx.view
    return f"{ctx.bundle.place_name(v.place)}, compared with {ctx.group_text}, {v.period}"


# --- title, at a glance, sources ------------------------------------------------------------
def title_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("title", params, {})
    b, v = ctx.bundle, ctx.view
    name = b.place_name(v.place)
    kind = str(b.place(v.place)["kind"]).replace("_", " ")
    bullets = [
        f"{kind.capitalize()} council, {LEVEL_LABELS.get(v.level, v.level).lower()}",
        f"Compared with {ctx.group_text}",
        f"Data period: {v.period}; money: {prices_label(b, v.prices)}",
        f"Data: {b.meta.get('title', '')}; licence: {b.meta.get('licence', '')}",
    ]
    if b.is_demo:
        bullets.append(FICTIONAL)
    return base_slide(
        ctx,
        "title",
        f"{name}: what good looks like",
        f"How {name} compares with {ctx.group_text} on spend, need and outcomes in "
        f"{v.period}, and the case for prevention.",
        bullets=tuple(s for s in bullets if s),
    )


def glance_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("glance", params, {})
    b, v = ctx.bundle, ctx.view
    cards = headline_cards(b, v.place, v.level, ctx.group, v.period)
    figures = []
    counts = dict.fromkeys(VERDICT, 0)
    for c in cards:
        j = c.judgement
        if math.isnan(c.value):
            figures.append(Figure(c.label, "no value", f"{c.period}: {c.status or 'missing'}"))
            continue
        factor = price_factor(b, c.period, v.prices) if is_money(c.unit) else 1.0
        if math.isnan(factor):
            factor = 1.0
        if j.verdict in counts:
            counts[j.verdict] += 1
        verdict = (
            f"{VERDICT[j.verdict]} the group"
            if j.verdict in VERDICT
            else f"not judged ({j.method})"
        )
        figures.append(
            Figure(
                c.label,
                format_value(c.value * factor, c.unit, compact=True),
                f"{format_difference(c.difference * factor, c.unit)} vs median; {verdict}; "
                f"{c.period}",
            )
        )
    name = place_name(ctx)
    judged = counts["better"] + counts["worse"] + counts["similar"]
    message = (
        f"Of {judged} judged headline measures, {name} is better than {ctx.group_text} on "
        f"{counts['better']}, similar on {counts['similar']} and worse on {counts['worse']}"
    )
    money = [c for c in cards if c.judgement.verdict in ("higher", "lower") and is_money(c.unit)]
    if money:
        c = money[0]
        factor = price_factor(b, c.period, v.prices)
        factor = 1.0 if math.isnan(factor) else factor
        message += (
            f"; {c.label.lower()} is {format_value(abs(c.difference) * factor, c.unit)} "
            f"{c.judgement.verdict} than the group's median"
        )
    message += "."
    return base_slide(
        ctx,
        "glance",
        f"{name} at a glance",
        message,
        figures=tuple(figures),
        alt="; ".join(f"{f.label}: {f.value} ({f.note})" for f in figures),
        method="Each figure against the median of the comparison group; better, similar or "
        "worse by the benchmarking method of methods.yaml where a measure has a better "
        "direction, higher or lower (never better or worse) for spend and need. "
        + prof.plain_method(),
    )


def sources_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    read_params("sources", params, {})
    b = ctx.bundle
    lines = [
        f"Data: {b.meta.get('title', '')}",
        f"Licence: {b.meta.get('licence', '')}",
        b.attribution,
        "Method settings and assumptions: data/catalogue/*.yaml, each with unit, range and source.",
        "Every figure with its source, period and unit: the app's Data page.",
    ]
    if case is not None:
        lines.append(f"Scenario: {case.name}. Modelled, not a forecast: see its assumptions.")
    if b.is_demo:
        lines.insert(0, FICTIONAL)
    return base_slide(
        ctx,
        "sources",
        "Sources and method",
        f"Every figure about {place_name(ctx)} here comes from the dataset "
        f"'{b.meta.get('title', '')}' and is traceable to its source.",
        bullets=tuple(s for s in lines if s.strip()),
    )


def _kinds() -> tuple[SlideKind, ...]:
    return (
        SlideKind("title", "Title", title_slide),
        SlideKind("glance", "At a glance: headline measures", glance_slide),
        SlideKind("differences", "Where we differ from similar places", prof.differences_slide),
        SlideKind(
            "value",
            "What good looks like (value for money)",
            val.value_slide,
            ("pair",),
            options=val.pair_options,
        ),
        SlideKind(
            "map",
            "Map of an indicator",
            prof.map_slide,
            ("indicator", "period", "mode", "hex"),
            options=prof.map_options,
        ),
        SlideKind("prevention", "The prevention case: headline", scen.prevention_slide, (), True),
        SlideKind("partners", "Who pays, who gains", scen.partners_slide, (), True),
        SlideKind(
            "deal", "The co-funding deal", scen.deal_slide, ("rule",), True, scen.deal_options
        ),
        SlideKind(
            "outcomes",
            "An outcome over time (scenario)",
            scen.outcomes_slide,
            ("indicator",),
            True,
            scen.outcome_options,
        ),
        SlideKind("sources", "Sources and method", sources_slide),
        # more of the app's charts, for the "add a slide" menu
        SlideKind(
            "spine",
            "Profile: the spine chart of one section",
            prof.spine_slide,
            ("group",),
            options=prof.spine_options,
        ),
        SlideKind("spend", "Profile: spend per head by service", prof.spend_slide),
        SlideKind(
            "trend",
            "Profile: an indicator over time",
            prof.trend_slide,
            ("indicator",),
            options=prof.trend_options,
        ),
        SlideKind(
            "tradeoff",
            "Value for money: spend and outcome",
            val.tradeoff_slide,
            ("pair",),
            options=val.pair_options,
        ),
        SlideKind(
            "residual",
            "Value for money: outcome given need",
            val.residual_slide,
            ("pair",),
            options=val.pair_options,
        ),
        SlideKind(
            "frontier",
            "Value for money: the efficiency frontier",
            val.frontier_slide,
            ("pair",),
            options=val.pair_options,
        ),
        SlideKind("waterfall", "Scenario: from cost to NPV", scen.waterfall_slide, (), True),
        SlideKind("agencies", "Scenario: money by agency", scen.agencies_slide, (), True),
        SlideKind("cash_flow", "Scenario: cash flow by agency", scen.cash_flow_slide, (), True),
        SlideKind("investment", "Scenario: spend by service", scen.investment_slide, (), True),
        SlideKind("budget", "Scenario: best NPV for each budget", scen.budget_slide, (), True),
        SlideKind("compare", "Scenario: beside the presets", scen.compare_slide, (), True),
    )


KINDS: dict[str, SlideKind] = {k.id: k for k in _kinds()}
#: The deck a place starts with, in order.
DEFAULT_SLIDES: tuple[str, ...] = (
    "title",
    "glance",
    "differences",
    "value",
    "map",
    "prevention",
    "partners",
    "deal",
    "outcomes",
    "sources",
)


def kind_ids() -> frozenset[str]:
    """Every kind of slide this app draws."""
    return frozenset(KINDS)


def kind_options(
    kind: str, ctx: Context, case: ScenarioCase | None = None
) -> dict[str, dict[str, str]]:
    """The values each setting of ``kind`` may take for this view: setting -> {value: label}
    (empty for a setting of free text, or a kind with none)."""
    k = KINDS[kind]
    offered = k.options(ctx, case) if k.options else {}
    return {p: offered.get(p, {}) for p in k.params}


def default_deck(ctx: Context) -> Deck:
    """The deck a place starts with: DEFAULT_SLIDES on the view, the default scenario."""
    return Deck(view=ctx.view.to_query(), slides=tuple(SlideRef(k) for k in DEFAULT_SLIDES))


def needs_scenario(deck: Deck) -> bool:
    """Whether any slide of ``deck`` shows the scenario (so the caller runs one)."""
    return any(KINDS[s.kind].needs_scenario for s in deck.slides if s.kind in KINDS)


def build_slide(ctx: Context, ref: SlideRef, case: ScenarioCase | None) -> Slide:
    """One slide, with the presenter's note; a slide that cannot be drawn (unknown kind, no
    data, no scenario) says why instead, so the rest of the deck still shows."""
    kind = KINDS.get(ref.kind)
    if kind is None:
        return base_slide(
            ctx,
            "unavailable",
            "Slide not available",
            f"This app does not draw slides of the kind '{ref.kind[:40]}'.",
            note=ref.note,
        )
    if kind.needs_scenario and case is None:
        return base_slide(
            ctx,
            "unavailable",
            kind.label,
            "This slide needs a scenario, and none could be run for this place.",
            note=ref.note,
        )
    try:
        with footer_source(ctx.bundle.attribution):  # the footer states it: not the charts too
            slide = kind.build(ctx, ref.params, case)
    except (KeyError, ValueError, LookupError) as exc:
        why = str(exc) if isinstance(exc, SlideError) else f"{type(exc).__name__}: {exc}"
        return base_slide(
            ctx,
            "unavailable",
            kind.label,
            f"This slide could not be drawn for {place_name(ctx)}: {why}.",
            note=ref.note,
        )
    return Slide(**{**slide.__dict__, "note": ref.note})


def build_slides(ctx: Context, deck: Deck, case: ScenarioCase | None) -> list[Slide]:
    """Every slide of ``deck``, in order."""
    return [build_slide(ctx, ref, case) for ref in deck.slides]
