"""The Value for money page's view models: options, results and chart specs cached per bundle
and choice (a place change reuses them when the places compared stay the same), and what each
panel shows, as ready text, tables and specs. Text from the bundle (place names, labels,
periods) is escaped where it goes into markdown (headings, captions, metric help, radio labels,
button labels); chart specs, pickers and tables take it as plain text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.analysis.prices import CASH, prices_label
from dashboard.analysis.vfm import (
    CAVEAT,
    DEA_CAVEAT,
    Frame,
    Frontier,
    GapRange,
    NeedFit,
    Options,
    frame,
    frontier,
    good_sentences,
    need_fit,
    options,
    outcome_text,
    peer_table,
    periods_text,
    pick_needs,
    scores_table,
    selected_places,
    several_outcomes,
    vfm_settings,
    what_good_looks_like,
)
from dashboard.analysis.vfm_range import level_fronts, place_range
from dashboard.analysis.vfm_text import (
    direction_text,
    missing_reasons,
    money_label,
    range_sentences,
    score_text,
    unit_word,
)
from dashboard.bundle import Bundle
from dashboard.bundle.catalogue import service_label
from dashboard.charts.steady import SteadyChart, steady_chart
from dashboard.charts.vfm import (
    BRUSH,
    PICK,
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
from dashboard.export.tables import to_csv_bytes
from dashboard.formatting import escape_markdown, format_value
from dashboard.ui.cached import PLACES, bundle_file_key, per_view
from dashboard.ui.metric import Metric
from dashboard.ui.state import Context

_BUILDERS = {"tradeoff": tradeoff_chart, "residual": residual_chart, "frontier": frontier_chart}
#: The selected place's role in the page's charts (its name is on its bubble and in the title
#: above), so the chart's spec is the same for every place (charts.steady).
PLACE_ROLE = "The selected place"


@dataclass(frozen=True)
class Results:
    """Everything computed for one choice: the values, the need fit and the frontier, and the
    chart rows that do not depend on the place (``points``: scatter; ``ranked``: frontier)."""

    frame: Frame
    fit: NeedFit
    frontier: Frontier
    points: pd.DataFrame
    ranked: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=16)
def _options(key: tuple[str, int, float], level: str, _b: Bundle) -> Options:
    return options(_b, level)


def value_options(bundle: Bundle, level: str) -> Options:
    """Services, indicators and labels the page offers at ``level`` (once per bundle)."""
    return _options(bundle_file_key(bundle), level, bundle)


@st.cache_resource(show_spinner="Solving the efficiency frontier…", max_entries=64)
def _results(
    key: tuple[str, int, float],
    period: str,
    codes_hash: str,
    spend_id: str,
    outcome_id: str,
    need_ids: tuple[str, ...],
    output_ids: tuple[str, ...],
    rts: str,
    prices: str,
    _opts: Options,
    _codes: tuple[str, ...],
    _b: Bundle,
) -> Results:
    ids = list(dict.fromkeys([spend_id, outcome_id, *need_ids, *output_ids]))
    fr = frame(_b, period, list(_codes), ids, prices)
    fit = need_fit(fr, spend_id, outcome_id, list(need_ids), _opts.polarity[outcome_id])
    lower = [_opts.polarity[i] == "lower_is_better" for i in output_ids]
    front = frontier(fr, spend_id, list(output_ids), lower, list(need_ids), rts=rts)
    ranked = frontier_base(front.table) if not front.reason else pd.DataFrame()
    return Results(fr, fit, front, scatter_base(fit.table, _opts.unit[outcome_id]), ranked)


def value_results(
    bundle: Bundle,
    opts: Options,
    period: str,
    codes: list[str],
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
    output_ids: list[str],
    rts: str = "vrs",
    prices: str = CASH,
) -> Results:
    """Need fit and frontier across ``codes`` (cached on the choice, not the place); money in
    cash or (``prices`` "real") at the bundle's price base."""
    codes_hash = hashlib.blake2b("\n".join(codes).encode(), digest_size=16).hexdigest()
    return _results(
        bundle_file_key(bundle),
        period,
        codes_hash,
        spend_id,
        outcome_id,
        tuple(need_ids),
        tuple(output_ids),
        rts,
        prices,
        opts,
        tuple(codes),
        bundle,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _template(kind: str, kwargs_json: str) -> str:
    kwargs = json.loads(kwargs_json)
    if "population_legend" in kwargs:
        kwargs["population_legend"] = tuple(kwargs["population_legend"])
    spec = _BUILDERS[kind](place_name=PLACE_ROLE, **kwargs).to_dict(validate=False)
    return json.dumps(spec)


def chart_spec(kind: str, data: pd.DataFrame, place_name: str, **kwargs: Any) -> SteadyChart:
    """A value-for-money chart (``kind``: tradeoff, residual or frontier) as a Vega-Lite spec
    the same for every place (``data``'s roles name the place PLACE_ROLE; its name is on its
    bubble), built once per choice with this run's rows attached, and the chart in words.
    Schema validation is skipped here; tests/charts validates the builders."""
    spec = with_data(json.loads(_template(kind, json.dumps(kwargs, sort_keys=True))), data)
    return steady_chart(spec, description(kind, data, place_name, **kwargs))


# --- view models --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setup:
    """What the page offers before any choice: the options and the settings' limits."""

    name: str  # plain text
    heading: str  # markdown (escaped)
    opts: Options
    max_dea_outcomes: int
    scope_labels: dict[str, str]


def setup(ctx: Context) -> Setup:
    """The page's options at the view's level (vfm.yaml's limit on frontier outcomes)."""
    view, bundle = ctx.view, ctx.bundle
    name = bundle.place_name(view.place)
    shown = escape_markdown(name)
    return Setup(
        name=name,
        heading=f"##### What good looks like for {shown}: outcomes per pound, given need",
        opts=value_options(bundle, view.level),
        max_dea_outcomes=int(vfm_settings().dea_max_outcomes.value),
        scope_labels={  # radio options: markdown
            "level": f"All {view.level}-tier places (England)",
            "group": f"{shown} and its comparison group",
        },
    )


def default_needs(s: Setup, service: str) -> list[str]:
    """vfm.yaml's need defaults for ``service`` among those offered."""
    return pick_needs(s.opts.needs, service, vfm_settings())


@dataclass(frozen=True)
class Choice:
    """The widgets' choice: service, spend, outcome, need indicators, frontier outcomes and
    scope ('level': every place at the level; 'group': the place and its group)."""

    service: str
    spend_id: str
    outcome_id: str
    need_ids: tuple[str, ...]
    dea_outputs: tuple[str, ...]
    scope: str
    rts: str = "vrs"


@dataclass(frozen=True)
class ValueView:
    """One choice computed: results, the chart rows with roles, and the texts shared by the
    panels."""

    choice: Choice
    name: str  # plain text (``shown``: escaped for markdown)
    opts: Options
    res: Results
    data: pd.DataFrame  # scatter rows with the place's and group's roles
    across: str
    when: str
    unit: str
    polarity: str
    caption: str
    dropped_caption: str | None
    attribution: str
    spend_period: str = ""
    money: str = ""  # plain text: the price basis of every £ on the page ("cash, 2024-25")
    reason: str = ""  # plain text: why this outcome bears on this spend (vfm.yaml pairs)

    @property
    def shown(self) -> str:
        """The place's name escaped for markdown."""
        return escape_markdown(self.name)

    def label(self, indicator_id: str) -> str:
        return self.opts.label.get(indicator_id, indicator_id)

    def shown_label(self, indicator_id: str) -> str:
        """An indicator's label escaped for markdown."""
        return escape_markdown(self.label(indicator_id))

    def labels(self, ids: tuple[str, ...] | list[str]) -> str:
        return ", ".join(self.label(i) for i in ids)

    def sources(self, *ids: str) -> str:
        """The chart's attribution: each indicator's source and licence, then the bundle's."""
        srcs = "; ".join(dict.fromkeys(self.opts.source[i] for i in ids))
        lic = ", ".join(dict.fromkeys(self.opts.licence[i] for i in ids))
        return f"Sources: {srcs} ({lic}). {self.attribution}"


#: Places named in the 'left out' caption before it ends with an ellipsis.
DROPPED_SHOWN = 12


def value_view(ctx: Context, s: Setup, c: Choice) -> ValueView:
    """Need fit and frontier for the choice across the chosen places, with the shared texts."""
    view, bundle, opts = ctx.view, ctx.bundle, s.opts
    if c.scope == "level":
        codes = bundle.place_codes(view.level)
        across = f"Across all {view.level}-tier places"
    else:
        codes = [view.place, *ctx.group]
        across = f"Across {s.name} and {ctx.group_text}"
    res = value_results(
        bundle,
        opts,
        view.period,
        codes,
        c.spend_id,
        c.outcome_id,
        list(c.need_ids),
        list(c.dea_outputs),
        c.rts,
        view.prices,
    )
    label = opts.label.get
    when = periods_text(
        res.frame,
        {
            c.spend_id: "spend",
            c.outcome_id: "outcome",
            **{i: label(i, i) for i in c.need_ids},
        },
    )
    dropped = res.fit.dropped
    return ValueView(
        choice=c,
        name=s.name,
        opts=opts,
        res=res,
        data=with_roles(res.points, view.place, PLACE_ROLE, ctx.group),
        across=across,
        when=when,
        unit=opts.unit[c.outcome_id],
        polarity=opts.polarity[c.outcome_id],
        caption=f"{service_label(c.service)} · {escape_markdown(across.lower())} · "
        f"{escape_markdown(view.period)} (each indicator's latest period up to then: "
        f"{escape_markdown(when)}) · highlighted: {escape_markdown(ctx.group_text)}",
        dropped_caption=f"{len(dropped)} place(s) left out for a missing value: "
        + escape_markdown(", ".join(dropped[:DROPPED_SHOWN]))
        + (" …" if len(dropped) > DROPPED_SHOWN else "")
        if dropped
        else None,
        attribution=bundle.attribution,
        spend_period=(spend_period := res.frame.periods.get(c.spend_id, view.period)),
        money=money_label(
            spend_period, prices_label(bundle, view.prices) if view.prices != CASH else ""
        ),
        reason=opts.reasons.get((c.spend_id, c.outcome_id), ""),
    )


def pair_caption(vv: ValueView) -> str:
    """Why the outcome bears on the spend (markdown, escaped), from vfm.yaml's pairs."""
    if not vv.reason:
        return ""
    return (
        f"Why this pairing: {escape_markdown(vv.reason)} Only the pairings of spend and outcome "
        "listed in the catalogue, each with its reason, are offered."
    )


# --- the gap as a range across specifications ----------------------------------------------------
@dataclass(frozen=True)
class LevelSpecs:
    """The specifications fitted across every place at the level (cached per choice): the
    values, each level specification's frontier (the chosen returns to scale only: the range
    reads no scale efficiency) and the outcomes used for 'several'."""

    frame: Frame
    fronts: dict[str, Frontier]
    several: tuple[str, ...]


@st.cache_resource(show_spinner="Solving the frontier under each specification…", max_entries=32)
def _level_specs(
    key: tuple[str, int, float],
    level: str,
    period: str,
    spend_id: str,
    outcome_id: str,
    need_ids: tuple[str, ...],
    several: tuple[str, ...],
    rts: str,
    prices: str,
    _opts: Options,
    _b: Bundle,
) -> LevelSpecs:
    codes = _b.place_codes(level)
    ids = list(dict.fromkeys([spend_id, outcome_id, *need_ids, *several]))
    fr = frame(_b, period, codes, ids, prices)
    fronts = level_fronts(
        fr, codes, spend_id, outcome_id, list(need_ids), several, _opts.polarity, rts
    )
    return LevelSpecs(fr, fronts, several)


@st.cache_resource(
    show_spinner="Solving the frontier under each specification…", max_entries=PLACES
)
def _range(
    key: tuple[str, int, float],
    level: str,
    period: str,
    spend_id: str,
    outcome_id: str,
    need_ids: tuple[str, ...],
    several: tuple[str, ...],
    rts: str,
    prices: str,
    group: tuple[str, ...],
    _opts: Options,
    _b: Bundle,
) -> GapRange:
    """The range for ``group[0]`` (the place) against ``group`` (it and its comparison group):
    cached on the choice and the group, so a place seen before solves nothing again."""
    ls = _level_specs(
        key, level, period, spend_id, outcome_id, need_ids, several, rts, prices, _opts, _b
    )
    return place_range(
        ls.frame,
        ls.fronts,
        group,
        spend_id,
        outcome_id,
        list(need_ids),
        several,
        _opts.polarity,
        rts,
    )


def value_range(ctx: Context, vv: ValueView) -> GapRange:
    """The gap for the selected place under every specification of vfm.yaml, with the verdict
    (level specifications cached per choice; group ones solved once per place and group)."""
    view, bundle, c = ctx.view, ctx.bundle, vv.choice
    curated = list(vv.opts.pair_outcomes.get(c.spend_id, [c.outcome_id]))
    several = tuple(several_outcomes(c.outcome_id, curated, curated))
    return _range(
        bundle_file_key(bundle),
        view.level,
        view.period,
        c.spend_id,
        c.outcome_id,
        tuple(c.need_ids),
        several,
        c.rts,
        view.prices,
        (view.place, *ctx.group),
        vv.opts,
        bundle,
    )


@dataclass(frozen=True)
class RangePanel:
    """The range in words (markdown), the verdict (``level``: weak, moderate, strong; ``text``
    and ``not_text`` plain sentences for an alert) and the table of specifications (plain
    cells)."""

    lines: tuple[str, ...]
    level: str
    text: str
    not_text: str
    table: pd.DataFrame
    caption: str


def _cell(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def range_panel(ctx: Context, vv: ValueView) -> RangePanel:
    """The gap as a range across the specifications, each one's fit and the verdict."""
    gr = value_range(ctx, vv)
    money = vv.money
    rows = []
    for r in gr.results:
        rows.append(
            {
                "Specification": r.spec.label,
                "Places (n)": r.n,
                "R² (need, spend)": _cell(r.r2, ".2f") if r.need_ids else "need left out",
                "Score (1 = frontier)": _cell(r.score, ".2f"),
                "Gap, £ per head": "–"
                if r.gap_per_head is None
                else format_value(r.gap_per_head, "gbp_per_head", compact=True),
                "Outcomes": vv.labels(r.outcome_ids) if r.outcome_ids else "–",
                "Note": r.reason,
            }
        )
    v = gr.verdict
    return RangePanel(
        lines=tuple(range_sentences(gr, vv.shown, vv.spend_period, escape_markdown(money))),
        level=v.level,
        text=v.text,
        not_text=v.not_text,
        table=pd.DataFrame(rows),
        caption="Each specification solves the efficiency frontier again "
        f"({'constant' if vv.choice.rts == 'crs' else 'variable'} returns to scale). R² (need, "
        "spend): share of the variation in spend per head across the places compared that the "
        "specification's need indicators account for (least squares, 0 to 1); the verdict "
        "reads the first row. "
        "Gap: spend per head minus the frontier's target (the range above gives it a year: "
        "times the place's population), "
        + escape_markdown(money)
        + ". Score: efficiency, 1 = on the frontier, higher is better.",
    )


# --- what good looks like -----------------------------------------------------------------------
@dataclass(frozen=True)
class GoodPanel:
    """'What good looks like': a note when the place is left out, else four metric slots
    (None leaves the slot empty), sentences and captions."""

    title: str
    missing: str | None
    metrics: tuple[Metric | None, ...]
    sentences: tuple[str, ...]
    captions: tuple[str, ...]


def good_panel(ctx: Context, vv: ValueView) -> GoodPanel:
    """The selected place's spend, outcome, score against expected and on the frontier."""
    view, c, res = ctx.view, vv.choice, vv.res
    title = f"**What good looks like for {vv.shown}**"
    period = escape_markdown(view.period)
    good = what_good_looks_like(
        res.fit, res.frontier, view.place, ctx.group, c.outcome_id, vv.polarity, vfm_settings()
    )
    if good is None:
        return GoodPanel(
            title,
            f"{vv.shown} lacks a value for this spend, this outcome or a chosen need indicator "
            f"in {period} (or just before), so it is left out of the comparison. "
            + "".join(
                f"{escape_markdown(r.rstrip('.'))}. "
                for r in missing_reasons(
                    ctx.bundle, view.place, [c.spend_id, c.outcome_id, *c.need_ids], view.period
                )
            )
            + "Try other need indicators, another outcome or another period.",
            (),
            (),
            (),
        )
    unit = vv.unit
    money = escape_markdown(vv.money)
    direction = direction_text(vv.polarity)
    metrics = (
        Metric(
            f"Spend per head ({money})" if len(money) < 30 else "Spend per head",
            format_value(good.spend, "gbp_per_head", compact=True),
            f"{vv.shown_label(c.spend_id)}, £ per head ({money}).",
        ),
        Metric(
            f"Outcome{', ' + unit_word(unit) if unit_word(unit) else ''} ({direction})",
            outcome_text(good.actual, unit, bare=True),
            f"{vv.shown_label(c.outcome_id)} "
            f"({escape_markdown(res.frame.periods.get(c.outcome_id, ''))}); unit: {unit}; "
            f"{direction}.",
        ),
        None
        if good.better_than_expected is None
        else Metric(
            f"Against expected{', ' + unit_word(unit) if unit_word(unit) else ''} (+ is better)",
            outcome_text(good.better_than_expected, unit, signed=True, bare=True),
            f"Outcome units ({unit}); positive is better than expected given need. "
            f"Fit: R² {good.fit_r2:.2f} across {good.fit_n} places.",
        ),
        None
        if good.dea_score is None
        else Metric(
            "Efficiency score (1 = on the frontier)",
            f"{good.dea_score:.2f}",
            "On the choices above (places compared, frontier outcomes, returns to scale): "
            + score_text(good.dea_score)
            + ". The share of its spend the frontier says the place's outcomes need.",
        ),
    )
    captions = []
    if res.fit.reason:
        captions.append(f"No expected outcome: {res.fit.reason}")
    if res.frontier.reason:
        captions.append(f"No frontier: {res.frontier.reason}")
    captions.append(CAVEAT + " " + DEA_CAVEAT)
    return GoodPanel(
        title,
        None,
        metrics,
        tuple(good_sentences(good, vv.shown, vv.shown_label(c.outcome_id), unit)),
        tuple(captions),
    )


# --- the tabs -----------------------------------------------------------------------------------
def tradeoff_view(vv: ValueView) -> SteadyChart:
    """The spend-and-outcome scatter with its medians (brush and click select)."""
    c, fit = vv.choice, vv.res.fit
    return chart_spec(
        "tradeoff",
        vv.data,
        vv.name,
        population_legend=population_legend_values(vv.data["population_size"]),
        spend_label=vv.label(c.spend_id),
        money=vv.money,
        outcome_label=vv.label(c.outcome_id),
        outcome_unit=vv.unit,
        polarity=vv.polarity,
        spend_median=fit.spend_median,
        outcome_median=fit.outcome_median,
        periods_text=vv.when,
        across_text=vv.across,
        attribution=vv.sources(c.spend_id, c.outcome_id),
    )


@dataclass(frozen=True)
class Selection:
    """Places brushed or clicked on the scatter: the rows to list, the outcome column's title
    and, when one other place is picked, its code and name (escaped for the button's label, to
    offer selecting it)."""

    n: int
    table: pd.DataFrame
    outcome_column: str
    pick: tuple[str, str] | None


SELECTION_COLUMNS = ["place_name", "spend_gbp_per_head", "outcome", "quadrant"]


def selection(ctx: Context, vv: ValueView, state: dict[str, Any]) -> Selection:
    """The chart's selection state (``event.selection``) as rows of the need-fit table."""
    chosen = selected_places(vv.res.fit.table, state.get(BRUSH), state.get(PICK))
    pick = None
    if len(chosen) == 1 and chosen.index[0] != ctx.view.place:
        pick = (str(chosen.index[0]), escape_markdown(chosen["place_name"].iloc[0]))
    return Selection(
        len(chosen),
        chosen[SELECTION_COLUMNS],
        f"{vv.label(vv.choice.outcome_id)} ({vv.unit})",
        pick,
    )


def residual_view(vv: ValueView) -> SteadyChart | None:
    """Outcome against expected given need (None without a regression: see fit.reason)."""
    c, fit = vv.choice, vv.res.fit
    if fit.regression is None:
        return None
    return chart_spec(
        "residual",
        vv.data,
        vv.name,
        spend_label=vv.label(c.spend_id),
        money=vv.money,
        outcome_label=vv.label(c.outcome_id),
        outcome_unit=vv.unit,
        n=fit.regression.n,
        r2=fit.regression.r2,
        need_text=vv.labels(c.need_ids),
        across_text=vv.across,
        attribution=vv.sources(c.spend_id, c.outcome_id, *c.need_ids),
    )


@dataclass(frozen=True)
class FrontierPanel:
    """The efficiency frontier tab: the chart, the 'left out' note and the place's frontier
    peers with their weights (``value_columns``: id -> column title)."""

    chart: SteadyChart
    dropped_caption: str | None
    peers_intro: str | None
    peers: pd.DataFrame
    value_columns: dict[str, str]
    scale_text: str | None = None


def scale_sentence(front: Frontier, code: str, name: str) -> str | None:
    """The place's VRS and CRS scores and scale efficiency in words (markdown; ``name``
    escaped by the caller); None when the place has no score."""
    if front.reason or code not in front.table.index:
        return None
    row = front.table.loc[code]
    used = "constant" if front.rts == "crs" else "variable"
    return (
        f"Returns to scale: **{used}**. {name}: efficiency score "
        f"{row['dea_vrs_score_0_1']:.2f} under variable and {row['dea_crs_score_0_1']:.2f} under "
        f"constant returns to scale (1 = on the frontier; higher is better); **scale efficiency "
        f"{row['scale_efficiency_0_1']:.2f}** (constant / variable; 1 = no loss from scale). Below "
        "1, part of the distance to the constant-returns frontier comes from the place's scale "
        "of spending, not from how it turns spend into outcomes."
    )


def frontier_panel(ctx: Context, vv: ValueView) -> FrontierPanel:
    """The frontier chart and peers (call only when ``vv.res.frontier.reason`` is empty)."""
    view, c, front = ctx.view, vv.choice, vv.res.frontier
    ranked = with_roles(vv.res.ranked, view.place, PLACE_ROLE, ctx.group)
    chart = chart_spec(
        "frontier",
        ranked,
        vv.name,
        n_places=len(ranked),
        n_frontier=int(ranked["on_frontier"].sum()),
        outputs_text=vv.labels(c.dea_outputs),
        need_text=vv.labels(c.need_ids) or "none",
        across_text=vv.across,
        attribution=vv.sources(c.spend_id, *c.dea_outputs, *c.need_ids),
    )
    peers = peer_table(front, view.place)
    return FrontierPanel(
        chart=chart,
        dropped_caption=f"{len(front.dropped)} place(s) left out (a missing value, or spend at "
        "or below zero)."
        if front.dropped
        else None,
        peers_intro=f"**{vv.shown} and the frontier places it is compared with.** Their weighted "
        "combination (weights sum to 1) does at least as well on every outcome, "
        "faces at least as much need, and spends the frontier's target."
        if len(peers)
        else None,
        peers=peers,
        value_columns={
            i: f"{vv.label(i)} ({vv.opts.unit.get(i, '')})" for i in [*c.dea_outputs, *c.need_ids]
        },
        scale_text=scale_sentence(front, view.place, vv.shown),
    )


@dataclass(frozen=True)
class Scores:
    """The scores table as shown, and its download (every column)."""

    shown: pd.DataFrame
    data: bytes
    file_name: str


SCORE_COLUMNS = (
    "place_name",
    "spend_gbp_per_head",
    "outcome_value",
    "expected_outcome_value",
    "better_than_expected_outcome_units",
    "dea_score_0_1",
    "dea_crs_score_0_1",
    "scale_efficiency_0_1",
    "dea_spend_target_gbp_per_head",
    "dea_peers_with_weights",
)


def scores(ctx: Context, vv: ValueView) -> Scores:
    """One row per place compared, with every figure's period, unit, source and licence."""
    view, bundle, c, res = ctx.view, ctx.bundle, vv.choice, vv.res
    out = scores_table(
        bundle,
        res.fit,
        res.frontier,
        res.frame,
        place=view.place,
        group=ctx.group,
        period=view.period,
        service=c.service,
        spend_id=c.spend_id,
        outcome_id=c.outcome_id,
        fitted_across=vv.across,
    )
    return Scores(
        out[[col for col in SCORE_COLUMNS if col in out.columns]],
        to_csv_bytes(out),
        f"value-for-money-{bundle.meta.get('id', view.dataset)}-{view.level}-"
        f"{c.service}-{c.outcome_id}-{view.period}.csv",
    )


# --- the page's views, cached per view and choice -----------------------------------------------
# Built once per context and choice and shared by every session (per_view: nobody changes them),
# so a rerun that changes neither (a tab opened, a point brushed) and a return to a place seen
# before build no rows, no chart and no words.
@per_view
def view_for(ctx: Context, c: Choice) -> ValueView:
    """:func:`value_view` of ``c`` (cached)."""
    return value_view(ctx, setup(ctx), c)


@per_view
def good_for(ctx: Context, c: Choice) -> GoodPanel:
    """:func:`good_panel` of ``c`` (cached)."""
    return good_panel(ctx, view_for(ctx, c))


@per_view
def range_for(ctx: Context, c: Choice) -> RangePanel:
    """:func:`range_panel` of ``c`` (cached)."""
    return range_panel(ctx, view_for(ctx, c))


@per_view
def tradeoff_for(ctx: Context, c: Choice) -> SteadyChart:
    """:func:`tradeoff_view` of ``c`` (cached)."""
    return tradeoff_view(view_for(ctx, c))


@per_view
def residual_for(ctx: Context, c: Choice) -> SteadyChart | None:
    """:func:`residual_view` of ``c`` (cached)."""
    return residual_view(view_for(ctx, c))


@per_view
def frontier_for(ctx: Context, c: Choice) -> FrontierPanel:
    """:func:`frontier_panel` of ``c`` (cached)."""
    return frontier_panel(ctx, view_for(ctx, c))
