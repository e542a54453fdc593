"""Public spend here: the council's and partners' spend in the place, by agency and service
line, per head or in total, beside the comparison group; what each line bears on; what is
missing."""

import streamlit as st

from dashboard.formatting import escape_markdown
from dashboard.ui import collective as vm
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.context import page_context
from dashboard.ui.controls import COLLECTIVE

ctx = page_context()
pic = vm.picture(ctx)

st.title("Public spend here")
st.markdown(f"##### {escape_markdown(vm.subtitle(pic))}")
for note in vm.notes(ctx, pic):
    st.info(escape_markdown(note), icon=":material/info:")

head = vm.headline(ctx, pic)
st.markdown(escape_markdown(head.sentence))
for col, m in zip(st.columns(len(head.metrics), border=True), head.metrics, strict=True):
    col.metric(m.label, m.value, help=m.help)

measure = st.segmented_control(
    "Show spend",
    list(vm.MEASURE_LABELS),
    format_func=vm.MEASURE_LABELS.get,
    default="per_head",
    required=True,
    key=COLLECTIVE.measure,
)
if not pic.lines:
    st.info("This dataset has no spend per head by service for this place and year.")
else:
    chart = vm.chart_view(ctx, measure)
    st.vega_lite_chart(chart.spec, width="stretch")
    st.caption(chart.words)
    chart_tools(ctx, chart.spec, "Public spend by agency", key=f"collective_{measure}")
    st.caption(escape_markdown(vm.method_caption(ctx, pic)))

    st.subheader("Every spend line")
    st.dataframe(
        vm.table(ctx),
        hide_index=True,
        width="stretch",
        height=vm.TABLE_ROW_PX * (len(pic.lines) + 1) + 3,
        column_config={
            **{
                c: st.column_config.NumberColumn(format="localized", width="small")
                for c in ("£ per head", "£ total", "Group median, £ per head")
            },
            "Agency": st.column_config.TextColumn(width="small"),
            "Service": st.column_config.TextColumn(width="small"),
            "Comparison places with a figure": st.column_config.NumberColumn(
                "Places with a figure", width="small"
            ),
        },
    )

st.subheader("What is missing")
st.markdown(vm.missing_markdown(pic))
