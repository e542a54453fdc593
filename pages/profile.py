"""Place profile: every indicator against the comparison group and England; spend by service;
trends; who the statistical neighbours are and why; the profile table to download."""

import streamlit as st

from dashboard.ui import comparators as cmp
from dashboard.ui import profile as vm
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.context import page_context
from dashboard.ui.controls import PROFILE

ctx = page_context()
head = vm.header(ctx)

st.title("Place profile")
st.markdown(head.heading)
st.caption(head.caption)
st.info(
    "**Use with care.** A ranking is a prompt for questions, not a verdict: need, geography, "
    "data quality and how services are organised all shape these figures.",
    icon=":material/lightbulb:",
)

summary = vm.summary(ctx)
st.markdown(summary.sentence)
for col, m in zip(st.columns(4, border=True), summary.metrics, strict=True):
    col.metric(m.label, m.value, help=m.help)
st.caption(summary.counts_caption)
st.caption(summary.method_caption)
for line in summary.local_lines:
    st.markdown(line)

tabs = st.tabs(
    ["Spine chart", "Spend by service", "Trends", "Statistical neighbours", "Table and download"],
    key=PROFILE.tab,
    on_change="rerun",
)
spine_tab, spend_tab, trend_tab, peers_tab, table_tab = tabs

if spine_tab.open is not False:
    with spine_tab:
        detailed = False
        if summary.has_detail:
            detailed = st.toggle(
                "Show every indicator (service breakdowns and extra measures)",
                key=PROFILE.detailed,
            )
        spine = vm.spine_view(ctx, detailed)
        st.vega_lite_chart(spine.spec, width="content")
        st.caption(spine.words)
        chart_tools(ctx, spine.spec, "Spine chart")

if spend_tab.open:
    with spend_tab:
        spec = vm.spend_spec(ctx, summary)
        if spec is None:
            st.info("This dataset has no spend per head by service at this tier.")
        else:
            st.vega_lite_chart(spec, width="content")
            chart_tools(ctx, spec, "Spend by service")

if trend_tab.open:
    with trend_tab:
        choices = vm.trend_choices(ctx)
        if choices is None:
            st.info("No indicator has more than one period in this dataset.")
        else:
            pick = st.selectbox(
                "Indicator",
                choices.ids,
                index=choices.index,
                format_func=choices.labels.get,
                key=PROFILE.trend_indicator,
            )
            trend = vm.trend_view(ctx, pick)
            st.vega_lite_chart(trend.spec, width="content")
            chart_tools(ctx, trend.spec, f"Trend {choices.labels.get(pick, pick)}", key="trend")
            st.caption(trend.caption)

if peers_tab.open:
    with peers_tab:
        nb = vm.neighbours(ctx)
        if nb is None:
            st.info(
                "This dataset lacks the variables for statistical nearest neighbours at this "
                "tier; compare by region, kind of council or places you pick instead."
            )
        else:
            if nb.other_group_note:
                st.caption(nb.other_group_note)
            st.markdown(nb.why_intro)
            st.dataframe(
                nb.why,
                hide_index=True,
                width="stretch",
                column_config={
                    "place": st.column_config.TextColumn("place", pinned=True),
                    **{
                        c: st.column_config.NumberColumn(c, format="localized")
                        for c in nb.value_columns
                    },
                    "similarity_0_1": st.column_config.ProgressColumn(
                        "similarity (0–1)", min_value=0.0, max_value=1.0, format="%.2f"
                    ),
                    "distance_sd": st.column_config.NumberColumn(
                        "distance (standardised units)", format="%.2f"
                    ),
                },
            )
            st.markdown(nb.variables_intro)
            st.dataframe(
                nb.variables,
                hide_index=True,
                width="stretch",
                column_order=[
                    "variable",
                    "unit",
                    "period",
                    "weight",
                    "weight_share_pct",
                    "transform",
                    "places_imputed",
                    "why",
                ],
                column_config={
                    "weight_share_pct": st.column_config.NumberColumn(
                        "weight share", format="%.0f%%"
                    ),
                    "places_imputed": st.column_config.NumberColumn("places imputed"),
                    "why": st.column_config.TextColumn("why this variable", width="large"),
                },
            )
            if nb.imputed:
                with st.expander(f"Missing values replaced by the tier median ({len(nb.imputed)})"):
                    st.markdown(nb.imputed_list)
            if nb.left_out_note:
                st.caption(nb.left_out_note)
            official = cmp.comparators(ctx)
            if official is not None:
                st.markdown(official.intro)
                if official.none_note:
                    st.caption(official.none_note)
                for ol in official.lists:
                    st.markdown(ol.heading)
                    if ol.missing:
                        st.info(ol.missing, icon=":material/info:")
                    else:
                        st.markdown(ol.overlap)
                        st.dataframe(
                            ol.table,
                            hide_index=True,
                            width="stretch",
                            column_config={
                                "also theirs": st.column_config.CheckboxColumn("also theirs"),
                                "also ours": st.column_config.CheckboxColumn("also ours"),
                            },
                        )
                        st.caption(ol.only_ours)
                        st.caption(ol.only_theirs)
                    st.caption(ol.method)
                    st.caption(ol.source)
                if official.lists:
                    st.dataframe(
                        official.sources,
                        hide_index=True,
                        width="stretch",
                        column_config={
                            "source": st.column_config.LinkColumn("source", display_text="open"),
                            "method": st.column_config.LinkColumn("method", display_text="open"),
                        },
                    )
                st.markdown(official.ours_method)
            if official is not None and not official.summary.empty:
                st.markdown("**Overlap across every place of each tier**")
                st.caption(official.summary_caption)
                st.dataframe(official.summary, hide_index=True, width="stretch")

if table_tab.open:
    with table_tab:
        dl = vm.download(ctx, summary)
        st.dataframe(
            dl.table,
            hide_index=True,
            width="stretch",
            height=520,
            column_config={
                "group": st.column_config.TextColumn("group", width="medium"),
                "indicator": st.column_config.TextColumn("indicator", pinned=True),
            },
        )
        st.download_button(
            "Download the profile (CSV)",
            data=dl.data,
            file_name=dl.file_name,
            mime="text/csv",
            icon=":material/download:",
        )
        st.caption(
            "Every row carries its period, unit, source and licence, the comparison group, the "
            "method used to judge it and the place's rank in the group (1 = best; for "
            "indicators with no better direction, 1 = highest)."
        )
