"""Data: sources, periods, units and licences; the indicator dictionary; coverage; downloads."""

import streamlit as st

from dashboard.bundle.catalogue import service_label
from dashboard.bundle.schema import INDICATOR_KINDS
from dashboard.ui import data_view as vm
from dashboard.ui.context import page_context
from dashboard.ui.controls import DATA

ctx = page_context()
about = vm.about(ctx)

st.title("Data")
st.markdown(about.heading)
st.info(about.attribution, icon=":material/copyright:")

st.subheader("Sources")
st.dataframe(
    vm.sources_table(ctx.bundle),
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
if about.notes:
    with st.expander(f"Data notes ({len(about.notes)})"):
        st.markdown(about.notes_list)

st.subheader("Notes on this data")
st.caption(about.loader_caption)
if about.loader_notes:
    st.markdown(about.loader_notes)

st.subheader("Indicator dictionary")
c1, c2, c3 = st.columns([2, 1, 1])
search = c1.text_input("Search", placeholder="e.g. smoking, reablement, per head", key=DATA.search)
kinds = c2.multiselect("Kind", list(INDICATOR_KINDS), key=DATA.kinds)
services = c3.multiselect(
    "Service", vm.services(ctx.bundle), format_func=service_label, key=DATA.services
)
found = vm.indicator_dictionary(ctx, search, kinds, services)
st.caption(found.caption)
st.dataframe(found.table, hide_index=True, width="stretch")

st.subheader("Coverage")
cov = vm.coverage(ctx)
st.caption(cov.caption)
st.dataframe(
    cov.table,
    hide_index=True,
    width="stretch",
    column_config={
        "coverage %": st.column_config.ProgressColumn(
            "coverage %", min_value=0, max_value=100, format="%d%%"
        )
    },
)

st.subheader("Gaps and their reasons")
gaps = vm.gaps(ctx)
st.caption(gaps.caption)
if len(gaps.table):
    st.dataframe(
        gaps.table,
        hide_index=True,
        width="stretch",
        column_config={
            "reason": st.column_config.TextColumn("reason", width="large"),
            "indicators": st.column_config.NumberColumn("indicators", width="small"),
            "which": st.column_config.TextColumn("which indicators", width="medium"),
        },
    )

st.subheader("Method settings and assumptions")
settings = vm.method_settings()
st.caption(settings.caption)
st.dataframe(
    settings.table,
    hide_index=True,
    width="stretch",
    column_config={
        "setting": st.column_config.TextColumn("setting", pinned=True),
        "source": st.column_config.TextColumn("source", width="large"),
    },
)

st.subheader("Download")
dl = vm.download(ctx)
st.markdown(dl.text)
st.download_button(
    "Download tidy data (CSV)",
    data=dl.data,  # built only when clicked
    file_name=dl.file_name,
    mime="text/csv",
    icon=":material/download:",
)
