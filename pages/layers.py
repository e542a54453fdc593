"""Your data: the layer template, an upload checked in full, and the layers this session holds."""

from functools import partial

import streamlit as st

from dashboard.ui import layers as vm
from dashboard.ui.context import page_context
from dashboard.ui.controls import LAYERS

ctx = page_context()

st.title("Your data")
st.markdown(vm.intro(ctx))

st.subheader("1. Download the template")
c1, c2 = st.columns(2)
for col, fmt in zip((c1, c2), vm.TEMPLATES, strict=True):
    label, name, mime = vm.TEMPLATES[fmt]
    col.download_button(
        label,
        partial(vm.template, fmt),  # built when clicked, once per process
        file_name=name,
        mime=mime,
        icon=":material/download:",
        on_click="ignore",
    )
st.caption(
    "The Excel template's read-me sheet explains every column and the values it allows. "
    "Check a file on the command line with `python -m dashboard check-layer FILE`."
)

st.subheader("2. Upload your layer")
title = st.text_input(
    "Name of the layer", key=LAYERS.title, placeholder="e.g. Wigan partners' data", max_chars=120
)
uploaded = st.file_uploader("Layer file", type=["csv", "xlsx"], key=LAYERS.file)
st.caption(vm.limits_caption())
if st.button("Check and add", key=LAYERS.check, type="primary", disabled=uploaded is None):
    with st.spinner("Checking every row…"):
        st.session_state[LAYERS.result] = vm.upload(ctx, uploaded.name, uploaded.getvalue(), title)

outcome = st.session_state.get(LAYERS.result)
if outcome is not None:
    for note in outcome.notes:
        st.caption(note)
    if outcome.ok:
        st.success(outcome.message, icon=":material/check_circle:")
        st.markdown("**Link to this layer** (anyone with it can open the layer; keep it private):")
        st.code(outcome.link, language=None)
        st.markdown("**Delete key** (shown once: keep it to delete the layer later):")
        st.code(outcome.delete_key, language=None)
        if st.button("Show this layer on every page", icon=":material/visibility:"):
            vm.switch_to(ctx, outcome.dataset)
            st.rerun()
    else:
        st.error(outcome.message, icon=":material/error:")
        if outcome.problems is not None:
            st.dataframe(
                outcome.problems,
                hide_index=True,
                width="stretch",
                column_config={
                    "sheet": st.column_config.TextColumn(width="small"),
                    "row": st.column_config.NumberColumn(width="small", format="%d"),
                    "column": st.column_config.TextColumn(width="small"),
                    "problem": st.column_config.TextColumn(width="large"),
                },
            )

st.subheader("3. Layers open in this session")
held = vm.session_layers()
if not held:
    st.caption("None yet. A layer opens here when you upload it or follow its link.")
for name, label in held:
    with st.container(border=True):
        st.text(label)
        st.code(f"?dataset={name}", language=None)
        key = vm.held_key(name) or st.text_input(
            "Delete key", key=LAYERS.delete_key_input + name, type="password"
        )
        if st.button("Delete this layer", key=LAYERS.delete(name), icon=":material/delete:"):
            ok, message = vm.delete(ctx, name, key)
            (st.success if ok else st.error)(message)
            if ok:
                st.rerun()
