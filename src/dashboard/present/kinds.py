"""The kinds of slide story mode draws, and the deck a place starts with.

Each kind builds a :class:`~dashboard.present.model.Slide` from the data: ``build(ctx, params,
case)`` with the view's context (dashboard.view.Context), the slide's saved settings (text to
text) and the deck's scenario (present.case.ScenarioCase, built only for kinds that need one).
All text is plain (never markdown); every number a sentence states comes from the data or
from a catalogue YAML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dashboard.analysis.summary import headline_cards
from dashboard.formatting import format_difference, format_value
from dashboard.present.case import ScenarioCase
from dashboard.present.model import Deck, Figure, Slide, SlideRef
from dashboard.view import Context

Build = Callable[[Context, Mapping[str, str], "ScenarioCase | None"], Slide]
FICTIONAL = "Fictional data: every place, name and figure is invented."


@dataclass(frozen=True)
class SlideKind:
    """A kind of slide: its id, its label in the "add a slide" menu, how it is built, the
    settings it reads and whether it needs the deck's scenario."""

    id: str
    label: str
    build: Build
    params: tuple[str, ...] = ()
    needs_scenario: bool = False


def base_slide(ctx: Context, kind: str, title: str, message: str, **fields: object) -> Slide:
    """A slide of this view: the bundle's attribution, and "fictional" on demo data."""
    return Slide(
        kind=kind,
        title=title,
        message=message,
        attribution=ctx.bundle.attribution,
        fictional=ctx.bundle.is_demo,
        **fields,  # type: ignore[arg-type]
    )


def where_line(ctx: Context) -> str:
    """Place, comparison group and period, in words."""
    v = ctx.view
    return f"{ctx.bundle.place_name(v.place)}, compared with {ctx.group_text}, {v.period}"


# --- title, at a glance, sources ------------------------------------------------------------
def title_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    b, v = ctx.bundle, ctx.view
    name = b.place_name(v.place)
    bullets = [
        f"Compared with {ctx.group_text}",
        f"Data period: {v.period}",
        str(b.meta.get("title", "")),
    ]
    if b.is_demo:
        bullets.append(FICTIONAL)
    return base_slide(
        ctx,
        "title",
        f"{name}: what good looks like",
        "Spend, need and outcomes against similar places, and the case for prevention.",
        bullets=tuple(s for s in bullets if s),
    )


def glance_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    b, v = ctx.bundle, ctx.view
    cards = headline_cards(b, v.place, v.level, ctx.group, v.period)
    figures = []
    judged = {"better": 0, "worse": 0}
    for c in cards:
        j = c.judgement
        if math.isnan(c.value):
            figures.append(Figure(c.label, "no value", f"{c.period}: {c.status or 'missing'}"))
            continue
        if j.verdict in judged:
            judged[j.verdict] += 1
        verdict = (
            f"{j.verdict} than the group"
            if j.verdict in ("better", "worse")
            else ("similar to the group" if j.verdict == "similar" else f"not judged ({j.method})")
        )
        figures.append(
            Figure(
                c.label,
                format_value(c.value, c.unit, compact=True),
                f"{format_difference(c.difference, c.unit)} vs median; {verdict}; {c.period}",
            )
        )
    name = b.place_name(v.place)
    message = (
        f"{name} is better than similar places on {judged['better']} of these "
        f"{len(figures)} headline measures and worse on {judged['worse']}."
    )
    return base_slide(
        ctx,
        "glance",
        f"{name} at a glance",
        message,
        figures=tuple(figures),
        alt="; ".join(f"{f.label}: {f.value} ({f.note})" for f in figures),
        method="Each figure against the median of the comparison group; better, similar or "
        "worse by the benchmarking method of methods.yaml (see the Profile page's method).",
    )


def sources_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    b = ctx.bundle
    lines = [
        f"Data: {b.meta.get('title', '')}",
        f"Licence: {b.meta.get('licence', '')}",
        b.attribution,
        "Method settings and assumptions: data/catalogue/*.yaml, each with unit, range and source.",
        "Every figure with its source, period and unit: the app's Data page.",
    ]
    if b.is_demo:
        lines.insert(0, FICTIONAL)
    return base_slide(
        ctx,
        "sources",
        "Sources and method",
        f"Every figure here comes from the {b.meta.get('title', 'data')} and is traceable "
        "to its source.",
        bullets=tuple(s for s in lines if s.strip()),
    )


KINDS: dict[str, SlideKind] = {
    k.id: k
    for k in (
        SlideKind("title", "Title", title_slide),
        SlideKind("glance", "At a glance", glance_slide),
        SlideKind("sources", "Sources and method", sources_slide),
    )
}
#: The deck a place starts with, in order.
DEFAULT_SLIDES: tuple[str, ...] = ("title", "glance", "sources")


def kind_ids() -> frozenset[str]:
    return frozenset(KINDS)


def default_deck(ctx: Context) -> Deck:
    """The deck a place starts with: DEFAULT_SLIDES on the view, the default scenario."""
    return Deck(view=ctx.view.to_query(), slides=tuple(SlideRef(k) for k in DEFAULT_SLIDES))


def needs_scenario(deck: Deck) -> bool:
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
        slide = kind.build(ctx, ref.params, case)
    except (KeyError, ValueError, LookupError) as exc:
        return base_slide(
            ctx,
            "unavailable",
            kind.label,
            f"This slide could not be drawn for this place: {exc}",
            note=ref.note,
        )
    return Slide(**{**slide.__dict__, "note": ref.note})


def build_slides(ctx: Context, deck: Deck, case: ScenarioCase | None) -> list[Slide]:
    """Every slide of ``deck``, in order."""
    return [build_slide(ctx, ref, case) for ref in deck.slides]
