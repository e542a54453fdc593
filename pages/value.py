"""Value for money: outcome against spend for one service, better or worse than expected given
need, the efficiency frontier, and what good looks like for the selected place."""

import streamlit as st

from dashboard.analysis.vfm import (
    CAVEAT,
    DEA_CAVEAT,
    good_sentences,
    outcome_text,
    peer_table,
    periods_text,
    pick_needs,
    scores_table,
    selected_places,
    vfm_settings,
    what_good_looks_like,
)
from dashboard.bundle.catalogue import service_label
from dashboard.charts.vfm import BRUSH, PICK, population_legend_values, with_roles
from dashboard.export.tables import to_csv_bytes
from dashboard.formatting import format_value
from dashboard.ui.context import page_context
from dashboard.ui.state import set_place
from dashboard.ui.value import chart_spec, value_options, value_results

ctx = page_context()
view, bundle = ctx.view, ctx.bundle
name = bundle.place_name(view.place)
settings = vfm_settings()
opts = value_options(bundle, view.level)


def label(indicator_id: str) -> str:
    return opts.label.get(indicator_id, indicator_id)


def source_of(*ids: str) -> str:
    srcs = "; ".join(dict.fromkeys(opts.source[i] for i in ids))
    lic = ", ".join(dict.fromkeys(opts.licence[i] for i in ids))
    return f"Sources: {srcs} ({lic}). {bundle.attribution}"


st.title("Value for money")
st.markdown(f"##### What good looks like for {name}: outcomes per pound, given need")

services = list(opts.services)
if not services:
    st.info("This dataset has no service with both spend per head and an outcome at this tier.")
    st.stop()

c1, c2, c3 = st.columns([1, 1, 2])
service = c1.selectbox(
    "Service", services, format_func=service_label, key=f"vfm_service_{view.level}"
)
spend_id = c2.selectbox(
    "Spend per head",
    opts.spend[service],
    format_func=label,
    key=f"vfm_spend_{view.level}_{service}",
)
outcomes = opts.outcomes[service]
outcome_id = c3.selectbox(
    "Outcome", outcomes, format_func=label, key=f"vfm_outcome_{view.level}_{service}"
)
c4, c5 = st.columns([2, 1])
need_ids = c4.multiselect(
    "Need indicators (for the expected outcome and the frontier)",
    opts.needs,
    default=pick_needs(opts.needs, service, settings),
    format_func=label,
    key=f"vfm_needs_{view.level}_{service}",
    help="The expected outcome is a least-squares regression of the outcome on these; on the "
    "frontier, a place is compared only with combinations of places facing at least as much "
    "of each.",
)
scope = c5.radio(
    "Fit and compare across",
    ["level", "group"],
    format_func={
        "level": f"All {view.level}-tier places (England)",
        "group": f"{name} and its comparison group",
    }.get,
    key="vfm_scope",
    help="The regression and the frontier use these places; the chart highlights the "
    "comparison group chosen in the sidebar either way.",
)
codes = bundle.place_codes(view.level) if scope == "level" else [view.place, *ctx.group]
across = (
    f"Across all {view.level}-tier places"
    if scope == "level"
    else f"Across {name} and {ctx.group_text}"
)
unit, polarity = opts.unit[outcome_id], opts.polarity[outcome_id]

with st.expander("Efficiency frontier settings: outcomes to include", expanded=False):
    dea_outputs = st.multiselect(
        "Outcomes on the frontier (up to "
        f"{int(settings.dea_max_outcomes.value)}; each turned so that higher is better)",
        outcomes,
        default=[outcome_id],
        format_func=label,
        max_selections=int(settings.dea_max_outcomes.value),
        key=f"vfm_dea_outputs_{view.level}_{service}_{outcome_id}",
    )
res = value_results(bundle, opts, view.period, codes, spend_id, outcome_id, need_ids, dea_outputs)
fit, fr_data, frontier = res.fit, res.frame, res.frontier
when = periods_text(
    fr_data, {spend_id: "spend", outcome_id: "outcome", **{i: label(i) for i in need_ids}}
)
st.caption(
    f"{service_label(service)} · {across.lower()} · {view.period} (each indicator's latest "
    f"period up to then: {when}) · highlighted: {ctx.group_text}"
)

if fit.dropped:
    st.caption(
        f"{len(fit.dropped)} place(s) left out for a missing value: "
        + ", ".join(fit.dropped[:12])
        + (" …" if len(fit.dropped) > 12 else "")
    )

# --- what good looks like -----------------------------------------------------------------
good = what_good_looks_like(fit, frontier, view.place, ctx.group, outcome_id, polarity, settings)
with st.container(border=True):
    st.markdown(f"**What good looks like for {name}**")
    if good is None:
        st.info(
            f"{name} lacks a value for this spend, this outcome or a chosen need indicator "
            f"in {view.period} (or just before), so it is left out of the comparison. Try "
            "other need indicators or another outcome.",
            icon=":material/info:",
        )
    else:
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(
            "Spend per head",
            format_value(good.spend, "gbp_per_head", compact=True),
            help=f"{label(spend_id)} ({view.period})",
        )
        m2.metric(
            "Outcome",
            outcome_text(good.actual, unit),
            help=f"{label(outcome_id)} ({fr_data.periods.get(outcome_id, '')}); unit: {unit}",
        )
        if good.better_than_expected is not None:
            m3.metric(
                "Against expected given need",
                outcome_text(good.better_than_expected, unit, signed=True),
                help=f"Outcome units ({unit}); positive is better than expected given need.",
            )
        if good.dea_score is not None:
            m4.metric(
                "Frontier score (0–1)",
                f"{good.dea_score:.2f}",
                help="Share of its spend the frontier says the place's outcomes need; 1 = on "
                "the frontier.",
            )
        for line in good_sentences(good, name, label(outcome_id), unit):
            st.markdown(line)
        if fit.reason:
            st.caption(f"No expected outcome: {fit.reason}")
        if frontier.reason:
            st.caption(f"No frontier: {frontier.reason}")
        st.caption(CAVEAT + " " + DEA_CAVEAT)

tabs = st.tabs(
    ["Spend and outcome", "Given need", "Efficiency frontier", "Scores and download"],
    key="vfm_tab",
    on_change="rerun",
)
trade_tab, need_tab, dea_tab, table_tab = tabs
data = with_roles(res.points, view.place, name, ctx.group)

if trade_tab.open is not False:
    with trade_tab:
        spec = chart_spec(
            "tradeoff",
            data,
            name,
            population_legend=population_legend_values(data["population_size"]),
            spend_label=label(spend_id),
            outcome_label=label(outcome_id),
            outcome_unit=unit,
            polarity=polarity,
            spend_median=fit.spend_median,
            outcome_median=fit.outcome_median,
            periods_text=when,
            across_text=across,
            attribution=source_of(spend_id, outcome_id),
        )
        event = st.vega_lite_chart(
            spec,
            on_select="rerun",
            selection_mode=[BRUSH, PICK],
            key="vfm_scatter",
            width="content",
        )
        chosen = selected_places(fit.table, event.selection.get(BRUSH), event.selection.get(PICK))
        if len(chosen):
            st.markdown(f"**{len(chosen)} place(s) selected**")
            st.dataframe(
                chosen[["place_name", "spend_gbp_per_head", "outcome", "quadrant"]],
                width="stretch",
                column_config={
                    "place_code": "Code",
                    "place_name": "Place",
                    "spend_gbp_per_head": st.column_config.NumberColumn(
                        "Spend (£ per head)", format="£%.0f"
                    ),
                    "outcome": st.column_config.NumberColumn(
                        f"{label(outcome_id)} ({unit})", format="%.2f"
                    ),
                    "quadrant": "Quadrant (at the medians)",
                },
            )
            if len(chosen) == 1 and chosen.index[0] != view.place:
                code = chosen.index[0]
                st.button(
                    f"Make {chosen['place_name'].iloc[0]} the selected place",
                    on_click=set_place,
                    args=(code,),
                    icon=":material/my_location:",
                )
        else:
            st.caption(
                "Drag across the chart to list the places in an area; click a bubble to pick "
                "one (double-click clears)."
            )

if need_tab.open:
    with need_tab:
        if fit.regression is None:
            st.info(fit.reason, icon=":material/info:")
        else:
            st.vega_lite_chart(
                chart_spec(
                    "residual",
                    data,
                    name,
                    spend_label=label(spend_id),
                    outcome_label=label(outcome_id),
                    outcome_unit=unit,
                    n=fit.regression.n,
                    r2=fit.regression.r2,
                    need_text=", ".join(label(i) for i in need_ids),
                    across_text=across,
                    attribution=source_of(spend_id, outcome_id, *need_ids),
                ),
                width="content",
            )

if dea_tab.open:
    with dea_tab:
        if frontier.reason:
            st.info(frontier.reason, icon=":material/info:")
        else:
            ranked = with_roles(res.ranked, view.place, name, ctx.group)
            st.vega_lite_chart(
                chart_spec(
                    "frontier",
                    ranked,
                    name,
                    n_places=len(ranked),
                    n_frontier=int(ranked["on_frontier"].sum()),
                    outputs_text=", ".join(label(i) for i in dea_outputs),
                    need_text=", ".join(label(i) for i in need_ids) or "none",
                    across_text=across,
                    attribution=source_of(spend_id, *dea_outputs, *need_ids),
                ),
                width="content",
            )
            if frontier.dropped:
                st.caption(
                    f"{len(frontier.dropped)} place(s) left out (a missing value, or spend at "
                    "or below zero)."
                )
            peers = peer_table(frontier, view.place)
            if len(peers):
                st.markdown(
                    f"**{name} and the frontier places it is compared with.** Their weighted "
                    "combination (weights sum to 1) does at least as well on every outcome, "
                    "faces at least as much need, and spends the frontier's target."
                )
                st.dataframe(
                    peers,
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "place_code": "Code",
                        "place_name": "Place",
                        "weight_share": st.column_config.ProgressColumn(
                            "Weight (share of 1)", min_value=0.0, max_value=1.0, format="%.2f"
                        ),
                        "spend_gbp_per_head": st.column_config.NumberColumn(
                            "Spend (£ per head)", format="£%.0f"
                        ),
                        **{
                            i: st.column_config.NumberColumn(
                                f"{label(i)} ({opts.unit.get(i, '')})", format="%.3g"
                            )
                            for i in [*dea_outputs, *need_ids]
                        },
                    },
                )

if table_tab.open:
    with table_tab:
        out = scores_table(
            bundle,
            fit,
            frontier,
            fr_data,
            place=view.place,
            group=ctx.group,
            period=view.period,
            service=service,
            spend_id=spend_id,
            outcome_id=outcome_id,
            fitted_across=across,
        )
        shown = [
            c
            for c in (
                "place_name",
                "spend_gbp_per_head",
                "outcome_value",
                "expected_outcome_value",
                "better_than_expected_outcome_units",
                "dea_score_0_1",
                "dea_spend_target_gbp_per_head",
                "dea_peers_with_weights",
            )
            if c in out.columns
        ]
        st.dataframe(out[shown], hide_index=True, width="stretch")
        st.download_button(
            "Download the scores (CSV)",
            data=to_csv_bytes(out),
            file_name=f"value-for-money-{bundle.meta.get('id', view.dataset)}-{view.level}-"
            f"{service}-{outcome_id}-{view.period}.csv",
            mime="text/csv",
            icon=":material/download:",
        )
        st.caption(
            "Every row carries the period of each figure, the outcome's unit and polarity, the "
            "need indicators, the regression's n and R², the frontier's outcomes, sources and "
            "licences."
        )
