"""Place profile: every indicator against the comparison group and England; spend by service;
trends; who the statistical neighbours are and why; the profile table to download."""

import streamlit as st

from dashboard.analysis.peers import imputed_places, variables_table, why_similar
from dashboard.analysis.profile import (
    display_table,
    england_label,
    export_table,
    has_detail,
    method_text,
    profile_table,
    spend_by_service,
    spine_rows,
    trend_indicators,
    trend_table,
    verdict_counts,
)
from dashboard.export.tables import to_csv_bytes
from dashboard.ui.context import page_context
from dashboard.ui.peers import peer_model
from dashboard.ui.profile import chart_spec, level_matrix

ctx = page_context()
view, bundle = ctx.view, ctx.bundle
name = bundle.place_name(view.place)
me = bundle.places.set_index("code").loc[view.place]
england = england_label(view.level)

st.title("Place profile")
st.markdown(f"##### How {name} compares with {ctx.group_text}")
st.caption(
    f"{me['kind'].replace('_', ' ').capitalize()} council · {me['region_name']} · "
    f"{view.level} tier · period {view.period} (other indicators: their latest period up to "
    f"then) · England marker: {england}"
)
st.info(
    "**Use with care.** A ranking is a prompt for questions, not a verdict: need, geography, "
    "data quality and how services are organised all shape these figures.",
    icon=":material/lightbulb:",
)

table = profile_table(
    bundle,
    view.place,
    view.level,
    ctx.group,
    view.period,
    ctx.group_text,
    matrix=level_matrix(bundle, view.level, view.period),
)
counts = verdict_counts(table)
judged = sum(counts.values())
c1, c2, c3, c4 = st.columns(4, border=True)
c1.metric("Better than the group", f"{counts['better']} of {judged}")
c2.metric("Similar", f"{counts['similar']} of {judged}")
c3.metric("Worse than the group", f"{counts['worse']} of {judged}")
c4.metric("Not judged", f"{counts['not judged']} of {judged}", help="No value, or group too small")
st.caption(
    f"Counts cover the {judged} indicators with a better direction (outcomes). "
    "Spend, need and context indicators show quintiles instead."
)
st.caption(method_text())

tabs = st.tabs(
    ["Spine chart", "Spend by service", "Trends", "Statistical neighbours", "Table and download"],
    key="profile_tab",
    on_change="rerun",
)
spine_tab, spend_tab, trend_tab, peers_tab, table_tab = tabs

if spine_tab.open is not False:
    with spine_tab:
        detailed = False
        if has_detail(table):
            detailed = st.toggle(
                "Show every indicator (service breakdowns and extra measures)",
                key="profile_detailed",
            )
        rows = spine_rows(table, detailed)
        st.vega_lite_chart(
            chart_spec(
                "spine",
                rows,
                place_name=name,
                group_text=ctx.group_text,
                england_text=england,
                attribution=bundle.attribution,
            ),
            width="content",
        )

if spend_tab.open:
    with spend_tab:
        spend = spend_by_service(table)
        if spend.empty:
            st.info("This dataset has no spend per head by service at this tier.")
        else:
            st.vega_lite_chart(
                chart_spec(
                    "spend",
                    spend,
                    place_name=name,
                    group_text=ctx.group_text,
                    england_text=england,
                    period=view.period,
                    attribution=bundle.attribution,
                ),
                width="content",
            )

if trend_tab.open:
    with trend_tab:
        options = trend_indicators(bundle, view.level)
        if options.empty:
            st.info("No indicator has more than one period in this dataset.")
        else:
            labels = dict(zip(options["id"], options["label"], strict=True))
            ids = options["id"].tolist()
            pick = st.selectbox(
                "Indicator",
                ids,
                index=ids.index("spend_total_per_head") if "spend_total_per_head" in ids else 0,
                format_func=labels.get,
                key="profile_trend_indicator",
            )
            meta = bundle.indicator(pick)
            trend = trend_table(bundle, view.place, view.level, ctx.group, pick)
            st.vega_lite_chart(
                chart_spec(
                    "trend",
                    trend,
                    indicator=meta["label"],
                    unit=meta["unit"],
                    place_name=name,
                    group_text=ctx.group_text,
                    england_text=england,
                    attribution=f"{meta['source_publisher']}: {meta['source_title']} "
                    f"({meta['source_licence']}). {bundle.attribution}",
                ),
                width="content",
            )
            st.caption(
                "Each period compares the places with a value in that period; the group is "
                "today's group throughout."
            )

if peers_tab.open:
    with peers_tab:
        model = peer_model(bundle, view.level, view.period)
        if model is None:
            st.info(
                "This dataset lacks the variables for statistical nearest neighbours at this "
                "tier; compare by region, kind of council or places you pick instead."
            )
        else:
            if view.group != "peers":
                st.caption(
                    "You are comparing with another group; these are the statistical "
                    "neighbours you would get by choosing *Statistical nearest neighbours*."
                )
            st.markdown(
                f"**Why these places are similar to {name}.** Each place's values beside yours. "
                "Similarity runs from 1 (identical on these variables) to 0 (the least alike "
                f"pair of {view.level}-tier councils)."
            )
            why = why_similar(model, bundle, view.place)
            st.dataframe(
                why,
                hide_index=True,
                width="stretch",
                column_config={
                    "place": st.column_config.TextColumn("place", pinned=True),
                    **{
                        c: st.column_config.NumberColumn(c, format="localized")
                        for c in why.columns[4:]
                    },
                    "similarity_0_1": st.column_config.ProgressColumn(
                        "similarity (0–1)", min_value=0.0, max_value=1.0, format="%.2f"
                    ),
                    "distance_sd": st.column_config.NumberColumn(
                        "distance (standardised units)", format="%.2f"
                    ),
                },
            )
            st.markdown(
                "**Variables and weights** (data/catalogue/peers.yaml). Each variable is "
                "standardised to mean 0 and sd 1 across the tier (after a log where shown); "
                "distance is the weighted Euclidean distance; the 15 nearest are the peers."
            )
            st.dataframe(
                variables_table(model, bundle),
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
            missing = imputed_places(model, bundle)
            if missing:
                with st.expander(f"Missing values replaced by the tier median ({len(missing)})"):
                    st.markdown("\n".join(f"- {m}" for m in missing))
            if model.left_out:
                st.caption(
                    "Not in this dataset, so left out of the distance: " + ", ".join(model.left_out)
                )

if table_tab.open:
    with table_tab:
        st.dataframe(
            display_table(table),
            hide_index=True,
            width="stretch",
            height=520,
            column_config={
                "service": st.column_config.TextColumn("service", width="medium"),
                "indicator": st.column_config.TextColumn("indicator", pinned=True),
            },
        )
        st.download_button(
            "Download the profile (CSV)",
            data=to_csv_bytes(export_table(table)),
            file_name=f"place-profile-{bundle.meta.get('id', view.dataset)}-{view.place}-"
            f"{view.group}-{view.period}.csv",
            mime="text/csv",
            icon=":material/download:",
        )
        st.caption(
            "Every row carries its period, unit, source and licence, the comparison group, the "
            "method used to judge it and the place's rank in the group (1 = best; for "
            "indicators with no better direction, 1 = highest)."
        )
