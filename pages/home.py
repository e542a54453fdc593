"""Home: pick your place; headline cards against the comparison group; what each page answers."""

import streamlit as st

from dashboard.ui.context import page_context
from dashboard.ui.controls import HOME
from dashboard.ui.home import CARDS_PER_ROW, home_view
from dashboard.ui.pages import PAGES
from dashboard.ui.state import set_place

ctx = page_context()
home = home_view(ctx)

st.title("Place Value Explorer")
st.markdown("##### What does good look like? Outcomes per pound, given need.")

st.selectbox(
    "Find your place (name or code)",
    home.codes,
    index=home.index,
    format_func=home.labels.get,
    key=HOME.place,
    on_change=lambda: set_place(st.session_state[HOME.place]),
)

st.subheader(home.name)
st.caption(home.caption)

for row in home.rows:
    for col, card in zip(st.columns(CARDS_PER_ROW), row, strict=False):
        with col, st.container(border=True):
            st.metric(card.label, card.value, delta=card.delta, delta_color="off", help=card.help)
            st.caption(card.caption)

st.caption(
    "Better and worse are judged against the median of the comparison group, by the method in "
    "each card's help. A ranking is a prompt for questions, not a verdict: need, geography and "
    "how services are organised all matter."
)

st.divider()
st.markdown("#### What each page answers")
for p in PAGES:
    st.page_link(p.path, label=f"**{p.title}** — {p.question}", icon=p.icon)
