"""Maps: any indicator as a choropleth or a hex cartogram; click a place to select it everywhere."""

import streamlit as st

from dashboard.analysis.classify import map_settings
from dashboard.ui.context import page_context
from dashboard.ui.controls import MAPS
from dashboard.ui.maps import (
    COMPARE,
    indicator_picker,
    map_options,
    map_panel,
    period_picker,
    published,
    second_period_heading,
)

ctx = page_context()
view = ctx.view

st.title("Maps")
st.markdown(
    f"##### Where does each {view.level}-tier place stand? Click a place to select it everywhere."
)
pub = published(ctx)
opts = map_options(map_settings())
c1, c2 = st.columns([1, 3], vertical_alignment="center")
two = c1.toggle("Two maps side by side", key=MAPS.two)
what = None
if two:
    what = c2.segmented_control(
        "Second map shows",
        list(COMPARE),
        format_func=COMPARE.get,
        default="indicator",
        required=True,
        key=MAPS.compare,
        label_visibility="collapsed",
    )

slots = st.columns(2, gap="large") if two else [st.container()]
chosen: dict[str, str] = {}
for slot, col in zip("AB", slots, strict=False):
    with col:
        if slot == "B" and what == "period":
            indicator = chosen["A"]
            a, b = st.columns([2, 1], vertical_alignment="bottom")
            a.markdown(second_period_heading(ctx, indicator))
            with b:
                period = period_picker(ctx, indicator, slot, offset=1)
            st.container(height=40, border=False)  # line up with the first map's two rows
        else:
            indicator, period = indicator_picker(ctx, slot, narrow=two)
        chosen[slot] = indicator
        if period is None:
            st.info("This indicator has no values at this level.", icon=":material/info:")
            continue
        map_panel(ctx, pub, opts, slot, indicator, period, two=two)

st.caption(
    "Colours: blue ramps run from light to dark towards better; purple ramps (no better or "
    "worse) from low to high; vs England, blue is better and orange worse, or, with no better "
    "or worse, purple above and brown below; grey is no value. Class boundaries change with the method and the "
    "number of classes: a place near a boundary can change colour with a small change in value. "
    "Rankings need context: need, geography and how services are organised all matter."
)
