"""Data: sources, periods, units and licences; the indicator dictionary; coverage; downloads."""

import streamlit as st

from dashboard.analysis import dictionary
from dashboard.analysis.dictionary import count_values, tidy_values
from dashboard.bundle.catalogue import service_label
from dashboard.bundle.schema import INDICATOR_KINDS
from dashboard.export.tables import to_csv_bytes
from dashboard.ui.cached import per_bundle
from dashboard.ui.context import page_context

sources_table = per_bundle(dictionary.sources_table)
indicator_dictionary = per_bundle(dictionary.indicator_dictionary)
coverage_table = per_bundle(dictionary.coverage_table)

ctx = page_context()
view, bundle = ctx.view, ctx.bundle

st.title("Data")
st.markdown(f"**{bundle.title}** — {bundle.meta.get('description', '')}")
st.info(
    f"**Attribution.** {bundle.attribution}  \n**Licence.** {bundle.meta.get('licence', '')}",
    icon=":material/copyright:",
)

st.subheader("Sources")
st.dataframe(
    sources_table(bundle),
    hide_index=True,
    width="stretch",
    column_config={
        "publisher": st.column_config.TextColumn(width="medium"),
        "dataset": st.column_config.TextColumn(width="large"),
        "periods": st.column_config.TextColumn(width="small"),
        "indicators": st.column_config.NumberColumn(width="small"),
        "licence": st.column_config.TextColumn(width="medium"),
        "link": st.column_config.LinkColumn("link", display_text="open", width="small"),
    },
)
notes = bundle.meta.get("notes") or []
if notes:
    with st.expander(f"Data notes ({len(notes)})"):
        for note in notes:
            st.markdown(f"- {note}")

st.subheader("Indicator dictionary")
c1, c2, c3 = st.columns([2, 1, 1])
search = c1.text_input(
    "Search", placeholder="e.g. smoking, reablement, per head", key="dict_search"
)
kinds = c2.multiselect("Kind", list(INDICATOR_KINDS), key="dict_kinds")
services = c3.multiselect(
    "Service",
    sorted(bundle.indicators["service"].unique()),
    format_func=service_label,
    key="dict_services",
)
table = indicator_dictionary(bundle, search, kinds, services)
st.caption(f"{len(table)} of {len(bundle.indicators)} indicators")
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("Coverage")
st.caption(
    f"{view.level.capitalize()}-tier places with a value in each indicator's latest period "
    "(switch the level in the sidebar for the other tier)."
)
st.dataframe(
    coverage_table(bundle, view.level),
    hide_index=True,
    width="stretch",
    column_config={
        "coverage %": st.column_config.ProgressColumn(
            "coverage %", min_value=0, max_value=100, format="%d%%"
        )
    },
)

st.subheader("Download")
codes = [view.place, *ctx.group]
n_rows = count_values(bundle, codes)
st.markdown(
    f"Every value for **{bundle.place_name(view.place)}** and {ctx.group_text}: "
    f"{n_rows:,} rows, each with its period, unit, source and licence."
)
st.download_button(
    "Download tidy data (CSV)",
    data=lambda: to_csv_bytes(tidy_values(bundle, codes)),  # built only when clicked
    file_name=f"place-value-{bundle.meta.get('id', view.dataset)}-{view.place}-{view.group}.csv",
    mime="text/csv",
    icon=":material/download:",
)
