"""Home: pick your place; headline cards against the comparison group; what each page answers."""

import math

import streamlit as st

from dashboard.analysis.summary import headline_cards
from dashboard.formatting import format_difference, format_value
from dashboard.ui.context import page_context
from dashboard.ui.pages import PAGES
from dashboard.ui.state import set_place

ctx = page_context()
view, bundle = ctx.view, ctx.bundle
places = bundle.places_at(view.level)
names = dict(zip(places["code"], places["name"], strict=True))
me = places.set_index("code").loc[view.place]

st.title("Place Value Explorer")
st.markdown("##### What does good look like? Outcomes per pound, given need.")

st.selectbox(
    "Find your place (name or code)",
    places["code"].tolist(),
    index=places["code"].tolist().index(view.place),
    format_func=lambda c: f"{names[c]} ({c})",
    key="home_place",
    on_change=lambda: set_place(st.session_state["home_place"]),
)

kind = me["kind"].replace("_", " ")
st.subheader(names[view.place])
st.caption(
    f"{kind.capitalize()} council · {me['region_name']} · {view.level} tier · "
    f"compared with {ctx.group_text} · {view.period}"
)

cards = headline_cards(bundle, view.place, view.level, ctx.group, view.period)
VERDICT = {
    "better": ":blue[**better than**]",
    "worse": ":orange[**worse than**]",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
}
for row in range(0, len(cards), 3):
    cols = st.columns(3)
    for col, card in zip(cols, cards[row : row + 3], strict=False):
        j = card.judgement
        with col, st.container(border=True):
            st.metric(
                card.label,
                format_value(card.value, card.unit, compact=True),
                delta=None
                if j.verdict == ""
                else f"{format_difference(card.difference, card.unit)} vs median",
                delta_color="off",
                help=f"Group median {format_value(j.benchmark, card.unit)} (n={j.n}). "
                f"Judged by {j.method}. Period {card.period}. Source: {card.source}.",
            )
            verdict = VERDICT.get(j.verdict)
            if math.isnan(card.value):
                st.caption(
                    f"No {card.period} value ({card.status or 'missing'} in the source); "
                    "an earlier period in the sidebar may have one. See the Data page's notes."
                )
            else:
                st.caption(
                    f"{verdict} the group · {card.period}" if verdict else f"not judged: {j.method}"
                )

st.caption(
    "Better and worse are judged against the median of the comparison group, by the method in "
    "each card's help. A ranking is a prompt for questions, not a verdict: need, geography and "
    "how services are organised all matter."
)

st.divider()
st.markdown("#### What each page answers")
for p in PAGES:
    st.page_link(p.path, label=f"**{p.title}** — {p.question}", icon=p.icon)
