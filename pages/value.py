"""Value for money: outcome against spend for one service, better or worse than expected given
need, the efficiency frontier, and what good looks like for the selected place."""

import streamlit as st

from dashboard.bundle.catalogue import service_label
from dashboard.charts.vfm import BRUSH, PICK
from dashboard.ui import value as vm
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.context import page_context
from dashboard.ui.controls import VALUE
from dashboard.ui.state import set_place

ctx = page_context()
level = ctx.view.level
setup = vm.setup(ctx)
opts = setup.opts


def label(indicator_id: str) -> str:
    return opts.label.get(indicator_id, indicator_id)


st.title("Value for money")
st.markdown(setup.heading)

if not opts.services:
    st.info("This dataset has no service with both spend per head and an outcome at this tier.")
    st.stop()

c1, c2, c3 = st.columns([1, 1, 2])
service = c1.selectbox(
    "Service", opts.services, format_func=service_label, key=VALUE.service(level)
)
spend_id = c2.selectbox(
    "Spend per head", opts.spend[service], format_func=label, key=VALUE.spend(level, service)
)
outcomes = opts.pair_outcomes[spend_id]
line = "" if spend_id == opts.spend[service][0] else spend_id
outcome_id = c3.selectbox(
    "Outcome (only those that bear on this spend)",
    outcomes,
    format_func=label,
    key=VALUE.outcome(level, service, line),
)
c4, c5 = st.columns([2, 1])
need_ids = c4.multiselect(
    "Need indicators (for the expected outcome and the frontier)",
    opts.needs,
    default=vm.default_needs(setup, service),
    format_func=label,
    key=VALUE.needs(level, service),
    help="The expected outcome is a least-squares regression of the outcome on these; on the "
    "frontier, a place is compared only with combinations of places facing at least as much "
    "of each.",
)
scope = c5.radio(
    "Fit and compare across",
    list(setup.scope_labels),
    format_func=setup.scope_labels.get,
    key=VALUE.scope,
    help="The regression and the frontier use these places; the chart highlights the "
    "comparison group chosen in the sidebar either way.",
)

with st.expander("Efficiency frontier settings: outcomes and returns to scale", expanded=False):
    dea_outputs = st.multiselect(
        "Outcomes on the frontier (up to "
        f"{setup.max_dea_outcomes}; each turned so that higher is better)",
        outcomes,
        default=[outcome_id],
        format_func=label,
        max_selections=setup.max_dea_outcomes,
        key=VALUE.dea_outputs(level, service, outcome_id),
    )
    rts = st.radio(
        "Returns to scale",
        ["vrs", "crs"],
        format_func={"vrs": "Variable", "crs": "Constant"}.get,
        horizontal=True,
        key=VALUE.rts,
        help="Variable: a place is compared only with combinations of places of a similar "
        "scale of spending. Constant: with any scaled combination; the ratio of the two scores "
        "is the scale efficiency.",
    )
choice = vm.Choice(
    service, spend_id, outcome_id, tuple(need_ids), tuple(dea_outputs), scope, rts or "vrs"
)
vv = vm.view_for(ctx, choice)
st.caption(vm.pair_caption(vv))
st.caption(vv.caption)
if vv.dropped_caption:
    st.caption(vv.dropped_caption)

# --- what good looks like -----------------------------------------------------------------
good = vm.good_for(ctx, choice)
with st.container(border=True):
    st.markdown(good.title)
    if good.missing:
        st.info(good.missing, icon=":material/info:")
    else:
        shown = [m for m in good.metrics if m is not None]
        for row in range(0, len(shown), 2):  # two to a row: labels and units stay whole
            for col, m in zip(st.columns(2), shown[row : row + 2], strict=False):
                col.metric(m.label, m.value, help=m.help)
        for sentence in good.sentences:
            st.markdown(sentence)
        gap = vm.range_for(ctx, choice)
        for sentence in gap.lines:
            st.markdown(sentence)
        alert = st.warning if gap.level == "weak" else st.info
        alert(f"{gap.text} {gap.not_text}", icon=":material/balance:")
        st.dataframe(gap.table, hide_index=True, width="stretch")
        st.caption(gap.caption)
        for caption in good.captions:
            st.caption(caption)

tabs = st.tabs(
    ["Spend and outcome", "Given need", "Efficiency frontier", "Scores and download"],
    key=VALUE.tab,
    on_change="rerun",
)
trade_tab, need_tab, dea_tab, table_tab = tabs

if trade_tab.open is not False:
    with trade_tab:
        trade = vm.tradeoff_for(ctx, choice)
        event = st.vega_lite_chart(
            trade.spec,
            on_select="rerun",
            selection_mode=[BRUSH, PICK],
            key=VALUE.scatter,
            width="content",
        )
        st.caption(trade.words)
        chart_tools(ctx, trade.spec, "Spend and outcome")
        sel = vm.selection(ctx, vv, event.selection)
        if sel.n:
            st.markdown(f"**{sel.n} place(s) selected**")
            st.dataframe(
                sel.table,
                width="stretch",
                column_config={
                    "place_code": "Code",
                    "place_name": "Place",
                    "spend_gbp_per_head": st.column_config.NumberColumn(
                        "Spend (£ per head)", format="£%.0f"
                    ),
                    "outcome": st.column_config.NumberColumn(sel.outcome_column, format="%.2f"),
                    "quadrant": "Quadrant (at the medians)",
                },
            )
            if sel.pick:
                code, pick_name = sel.pick
                st.button(
                    f"Make {pick_name} the selected place",
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
        resid = vm.residual_for(ctx, choice)
        if resid is None:
            st.info(vv.res.fit.reason, icon=":material/info:")
        else:
            st.vega_lite_chart(resid.spec, width="content")
            st.caption(resid.words)
            chart_tools(ctx, resid.spec, "Given need")

if dea_tab.open:
    with dea_tab:
        if vv.res.frontier.reason:
            st.info(vv.res.frontier.reason, icon=":material/info:")
        else:
            fp = vm.frontier_for(ctx, choice)
            st.vega_lite_chart(fp.chart.spec, width="content")
            st.caption(fp.chart.words)
            chart_tools(ctx, fp.chart.spec, "Efficiency frontier")
            if fp.scale_text:
                st.markdown(fp.scale_text)
            if fp.dropped_caption:
                st.caption(fp.dropped_caption)
            if fp.peers_intro:
                st.markdown(fp.peers_intro)
                st.dataframe(
                    fp.peers,
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
                            i: st.column_config.NumberColumn(title, format="%.3g")
                            for i, title in fp.value_columns.items()
                        },
                    },
                )

if table_tab.open:
    with table_tab:
        scores = vm.scores(ctx, vv)
        st.dataframe(scores.shown, hide_index=True, width="stretch")
        st.download_button(
            "Download the scores (CSV)",
            data=scores.data,
            file_name=scores.file_name,
            mime="text/csv",
            icon=":material/download:",
        )
        st.caption(
            "Every row carries the period of each figure, the outcome's unit and polarity, the "
            "need indicators, the regression's n and R², the frontier's outcomes, sources and "
            "licences."
        )
