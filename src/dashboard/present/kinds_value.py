"""Slides from the Value for money page: what good looks like for one curated pairing of spend
and outcome (with the verdict on the strength of the evidence as the slide's caveat), and the
page's three charts (spend and outcome, given need, the efficiency frontier).

The choice is the page's first view of a pairing: the need indicators vfm.yaml offers first,
the outcome alone on the frontier, variable returns to scale, every place at the level. The
computation is the page's (analysis.vfm), without its caches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.prices import CASH, prices_label
from dashboard.analysis.vfm import (
    CAVEAT,
    DEA_CAVEAT,
    Frame,
    Frontier,
    GapRange,
    Good,
    NeedFit,
    Options,
    frame,
    frontier,
    need_fit,
    options,
    outcome_text,
    periods_text,
    pick_needs,
    several_outcomes,
    vfm_settings,
    what_good_looks_like,
)
from dashboard.analysis.vfm_range import level_fronts, place_range
from dashboard.analysis.vfm_text import money_label, range_sentences, score_text
from dashboard.charts.vfm import (
    description,
    frontier_base,
    frontier_chart,
    population_legend_values,
    residual_chart,
    scatter_base,
    tradeoff_chart,
    with_data,
    with_roles,
)
from dashboard.formatting import format_value
from dashboard.present.case import ScenarioCase
from dashboard.present.kinds_base import (
    SlideError,
    base_slide,
    box_beside_caveat,
    chart_fields,
    fitted,
    memo,
    place_name,
    plot_width,
    read_params,
    view_key,
)
from dashboard.present.model import Figure, Slide
from dashboard.view import Context

#: How a pairing is written in a slide's settings: "<spend id>:<outcome id>".
SEP = ":"
RTS = "vrs"


def value_options(ctx: Context, case: ScenarioCase | None = None) -> Options:
    """The Value page's options at the view's level (once per bundle and level)."""
    b = ctx.bundle
    return memo(b, (ctx.view.level, "vfm options"), lambda: options(b, ctx.view.level))


def pair_choices(ctx: Context) -> dict[str, str]:
    """Every curated pairing offered at the view's level: "spend:outcome" -> its label."""
    o = value_options(ctx)
    out = {}
    for svc in o.services:
        for spend in o.spend[svc]:
            for outcome in o.pair_outcomes.get(spend, []):
                out[f"{spend}{SEP}{outcome}"] = f"{o.label[spend]} → {o.label[outcome]}"
    return out


@dataclass(frozen=True)
class Value:
    """One pairing computed for the view: the options, the ids, the values, the need fit, the
    frontier, what good looks like for the place (None when it lacks a value) and the texts."""

    opts: Options
    service: str
    spend_id: str
    outcome_id: str
    need_ids: tuple[str, ...]
    frame: Frame
    fit: NeedFit
    front: Frontier
    good: Good | None
    across: str
    when: str
    money: str


def _service_of(o: Options, spend_id: str) -> str:
    return next(s for s in o.services if spend_id in o.spend[s])


def _needs(ctx: Context, spend_id: str) -> tuple[str, ...]:
    o = value_options(ctx)
    return tuple(pick_needs(o.needs, _service_of(o, spend_id), vfm_settings()))


def _fit(ctx: Context, spend_id: str, outcome_id: str) -> tuple[Frame, NeedFit]:
    """The values of every place at the level and the need fit of one pairing (cheap: the
    frontier is solved only for the pairing a slide shows)."""
    v, b = ctx.view, ctx.bundle
    o = value_options(ctx)
    needs = _needs(ctx, spend_id)

    def make() -> tuple[Frame, NeedFit]:
        ids = list(dict.fromkeys([spend_id, outcome_id, *needs]))
        fr = frame(b, v.period, b.place_codes(v.level), ids, v.prices)
        return fr, need_fit(fr, spend_id, outcome_id, list(needs), o.polarity[outcome_id])

    return memo(b, (v.level, v.period, v.prices, spend_id, outcome_id, "fit"), make)


def compute(ctx: Context, spend_id: str, outcome_id: str) -> Value:
    """The Value page's first view of one pairing for the view's place."""
    v, b = ctx.view, ctx.bundle
    o = value_options(ctx)
    service = _service_of(o, spend_id)
    needs = _needs(ctx, spend_id)

    def make() -> Value:
        fr, fit = _fit(ctx, spend_id, outcome_id)
        lower = [o.polarity[outcome_id] == "lower_is_better"]
        front = memo(
            b,
            (v.level, v.period, v.prices, spend_id, outcome_id, "front"),
            lambda: frontier(fr, spend_id, [outcome_id], lower, list(needs), rts=RTS),
        )
        good = what_good_looks_like(
            fit, front, v.place, ctx.group, outcome_id, o.polarity[outcome_id], vfm_settings()
        )
        when = periods_text(
            fr,
            {spend_id: "spend", outcome_id: "outcome", **{i: o.label.get(i, i) for i in needs}},
        )
        spend_period = fr.periods.get(spend_id, v.period)
        money = money_label(spend_period, prices_label(b, v.prices) if v.prices != CASH else "")
        across = f"Across all {v.level}-tier places"
        return Value(
            o, service, spend_id, outcome_id, needs, fr, fit, front, good, across, when, money
        )

    return memo(b, view_key(ctx, "value", spend_id, outcome_id), make)


def first_pair(ctx: Context) -> tuple[str, str]:
    """The first curated pairing (services.yaml, then vfm.yaml order) for which the place has
    what good looks like (its spend, outcome and need values)."""
    pairs = pair_choices(ctx)
    if not pairs:
        raise SlideError(
            "the dataset has no service with both spend per head and an outcome at this tier"
        )
    for key in pairs:
        spend, outcome = key.split(SEP)
        if ctx.view.place in _fit(ctx, spend, outcome)[1].table.index:  # as what_good_looks_like
            return spend, outcome
    raise SlideError(f"{place_name(ctx)} lacks the values of every curated pairing")


def chosen_pair(ctx: Context, params: Mapping[str, str], kind: str) -> Value:
    p = read_params(kind, params, {"pair": pair_choices(ctx)})
    if "pair" in p:
        spend, outcome = p["pair"].split(SEP)
    else:
        spend, outcome = first_pair(ctx)
    return compute(ctx, spend, outcome)


def gap(ctx: Context, val: Value) -> GapRange:
    """The gap under every specification of vfm.yaml, with the verdict (the Value page's)."""
    v, b, o = ctx.view, ctx.bundle, val.opts
    curated = list(o.pair_outcomes.get(val.spend_id, [val.outcome_id]))
    several = tuple(several_outcomes(val.outcome_id, curated, curated))

    def fronts() -> tuple[Frame, dict[str, Frontier]]:
        codes = b.place_codes(v.level)
        ids = list(dict.fromkeys([val.spend_id, val.outcome_id, *val.need_ids, *several]))
        fr = frame(b, v.period, codes, ids, v.prices)
        return fr, level_fronts(
            fr, codes, val.spend_id, val.outcome_id, list(val.need_ids), several, o.polarity, RTS
        )

    key = (v.level, v.period, v.prices, val.spend_id, val.outcome_id, "level fronts")
    fr, level = memo(b, key, fronts)
    return place_range(
        fr,
        level,
        (v.place, *ctx.group),
        val.spend_id,
        val.outcome_id,
        list(val.need_ids),
        several,
        o.polarity,
        RTS,
    )


def _plain(text: str) -> str:
    """A sentence written for markdown, as plain text (emphasis marks dropped)."""
    return text.replace("**", "").replace("*", "")


def _sources(val: Value, ctx: Context, *ids: str) -> str:
    o = val.opts
    srcs = "; ".join(dict.fromkeys(o.source[i] for i in ids))
    lic = ", ".join(dict.fromkeys(o.licence[i] for i in ids))
    return f"Sources: {srcs} ({lic}). {ctx.bundle.attribution}"


def _tradeoff(ctx: Context, val: Value, data: pd.DataFrame, height: int | None = None) -> dict:
    name, o = place_name(ctx), val.opts
    kwargs = dict(
        population_legend=population_legend_values(data["population_size"]),
        spend_label=o.label[val.spend_id],
        money=val.money,
        outcome_label=o.label[val.outcome_id],
        outcome_unit=o.unit[val.outcome_id],
        polarity=o.polarity[val.outcome_id],
        spend_median=val.fit.spend_median,
        outcome_median=val.fit.outcome_median,
        periods_text=val.when,
        across_text=val.across,
        attribution=_sources(val, ctx, val.spend_id, val.outcome_id),
    )
    spec = fitted(
        lambda h: tradeoff_chart(
            place_name=name, width=plot_width(legend=True), height=h, **kwargs
        ),
        height=height,
    )
    return {**with_data(spec, data), "description": description("tradeoff", data, name, **kwargs)}


def value_message(name: str, val: Value) -> str:
    """What good looks like in one sentence, from the need fit or else the frontier."""
    g, o = val.good, val.opts
    assert g is not None
    unit, outcome = o.unit[val.outcome_id], o.label[val.outcome_id]
    spend = format_value(g.spend, "gbp_per_head") if g.spend is not None else "no value"
    if g.expected is not None:
        return (
            f"Given its need, {name} would be expected to have {outcome_text(g.expected, unit)} "
            f"on {outcome}; it has {outcome_text(g.actual, unit)}, spending {spend} on "
            f"{o.label[val.spend_id]}."
        )
    if g.dea_score is not None:
        return (
            f"{name} has {outcome_text(g.actual, unit)} on {outcome} for {spend}: "
            f"{score_text(g.dea_score)}."
        )
    return f"{name} has {outcome_text(g.actual, unit)} on {outcome}, spending {spend}."


def value_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    val = chosen_pair(ctx, params, "value")
    name, o = place_name(ctx), val.opts
    if val.good is None:
        raise SlideError(f"{name} lacks a value of this spend, this outcome or a need indicator")
    g = val.good
    gr = gap(ctx, val)
    unit = o.unit[val.outcome_id]
    figures = [
        Figure(
            "Spend per head",
            format_value(g.spend, "gbp_per_head", compact=True),
            f"{o.label[val.spend_id]} ({val.money})",
        ),
        Figure("Outcome", outcome_text(g.actual, unit), o.label[val.outcome_id]),
    ]
    if g.better_than_expected is not None:
        figures.append(
            Figure(
                "Against expected",
                outcome_text(g.better_than_expected, unit, signed=True),
                f"given need (+ is better); R² {g.fit_r2:.2f} across {g.fit_n} places",
            )
        )
    if g.dea_score is not None:
        figures.append(
            Figure(
                "Efficiency score", f"{g.dea_score:.2f}", "1 = on the frontier; higher is better"
            )
        )
    data = with_roles(scatter_base(val.fit.table, unit), ctx.view.place, name, list(ctx.group))
    box = box_beside_caveat(2)  # the verdict on the evidence is said under the chart
    fields = chart_fields(_tradeoff(ctx, val, data, box), height=box)
    lines = [_plain(s) for s in range_sentences(gr, name, "", val.money)]
    # The chart takes the slide's width (beside figures it shrank to half, its labels below
    # the projector's type size): the figures are said in the notes instead.
    said = "; ".join(f"{f.label}: {f.value} ({f.note})" for f in figures)
    return base_slide(
        ctx,
        "value",
        f"What good looks like for {name}: {o.label[val.outcome_id]}",
        value_message(name, val),
        caveat=gr.verdict.text,  # what the figure is not goes to the notes: the slide fits
        method=" ".join(
            [
                f"{said}.",
                gr.verdict.not_text,
                *lines,
                f"Need indicators: {', '.join(o.label.get(i, i) for i in val.need_ids) or 'none'}.",
                f"Why this pairing: {o.reasons.get((val.spend_id, val.outcome_id), '')}",
                CAVEAT,
                DEA_CAVEAT,
            ]
        ),
        **fields,
    )


def residual_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    val = chosen_pair(ctx, params, "residual")
    name, o = place_name(ctx), val.opts
    reg = val.fit.regression
    if reg is None:
        raise SlideError(val.fit.reason or "no expected outcome could be fitted")
    unit = o.unit[val.outcome_id]
    data = with_roles(scatter_base(val.fit.table, unit), ctx.view.place, name, list(ctx.group))
    kwargs = dict(
        spend_label=o.label[val.spend_id],
        money=val.money,
        outcome_label=o.label[val.outcome_id],
        outcome_unit=unit,
        n=reg.n,
        r2=reg.r2,
        need_text=", ".join(o.label.get(i, i) for i in val.need_ids),
        across_text=val.across,
        attribution=_sources(val, ctx, val.spend_id, val.outcome_id, *val.need_ids),
    )
    spec = fitted(
        lambda h: residual_chart(place_name=name, width=plot_width(legend=True), height=h, **kwargs)
    )
    spec = {**with_data(spec, data), "description": description("residual", data, name, **kwargs)}
    g = val.good
    if g is not None and g.better_than_expected is not None:
        bte = g.better_than_expected
        message = (
            f"Given its need, {name} does {outcome_text(abs(bte), unit)} "
            f"{'better' if bte >= 0 else 'worse'} than expected on {o.label[val.outcome_id]}."
        )
    else:
        message = f"{name} lacks a value this fit needs."
    return base_slide(
        ctx,
        "residual",
        f"{o.label[val.outcome_id]} given need",
        message,
        **chart_fields(spec),
        method=f"Least squares of the outcome on the need indicators across {reg.n} places "
        f"(R² {reg.r2:.2f}). " + CAVEAT,
    )


def frontier_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    val = chosen_pair(ctx, params, "frontier")
    name, o = place_name(ctx), val.opts
    front = val.front
    if front.reason:
        raise SlideError(front.reason)
    ranked = with_roles(frontier_base(front.table), ctx.view.place, name, list(ctx.group))
    kwargs = dict(
        n_places=len(ranked),
        n_frontier=int(ranked["on_frontier"].sum()),
        outputs_text=o.label[val.outcome_id],
        need_text=", ".join(o.label.get(i, i) for i in val.need_ids) or "none",
        across_text=val.across,
        attribution=_sources(val, ctx, val.spend_id, val.outcome_id, *val.need_ids),
    )
    spec = fitted(
        lambda h: frontier_chart(place_name=name, width=plot_width(legend=True), height=h, **kwargs)
    )
    spec = {**with_data(spec, ranked), "description": description("frontier", ranked, name)}
    g = val.good
    message = (
        f"On the frontier of {o.label[val.spend_id]} and {o.label[val.outcome_id]}, {name} has "
        f"an {score_text(g.dea_score)}, among {len(ranked)} places."
        if g is not None and g.dea_score is not None
        else f"{name} has no efficiency score on this frontier."
    )
    return base_slide(
        ctx,
        "frontier",
        f"Efficiency frontier: {o.label[val.spend_id]}",
        message,
        **chart_fields(spec),
        method="Data envelopment analysis, variable returns to scale, need as non-discretionary "
        "inputs. " + DEA_CAVEAT,
    )


def tradeoff_slide(ctx: Context, params: Mapping[str, str], case: ScenarioCase | None) -> Slide:
    val = chosen_pair(ctx, params, "tradeoff")
    name, o = place_name(ctx), val.opts
    unit = o.unit[val.outcome_id]
    data = with_roles(scatter_base(val.fit.table, unit), ctx.view.place, name, list(ctx.group))
    me = data[data["is_place"]]
    if me.empty:
        message = f"{name} lacks a value of this spend or this outcome."
    else:
        r = me.iloc[0]
        message = (
            f"{name} spends {r['spend_text']} on {o.label[val.spend_id]} and has "
            f"{r['outcome_text']} on {o.label[val.outcome_id]}; the medians are "
            f"{format_value(val.fit.spend_median, 'gbp_per_head')} and "
            f"{format_value(val.fit.outcome_median, unit)}."
        )
    return base_slide(
        ctx,
        "tradeoff",
        f"Spend and outcome: {o.label[val.outcome_id]}",
        message,
        **chart_fields(_tradeoff(ctx, val, data)),
        method=CAVEAT,
    )


def pair_options(ctx: Context, case: ScenarioCase | None = None) -> dict[str, dict[str, str]]:
    return {"pair": pair_choices(ctx)}
