"""Page styles the app writes itself (fixed CSS, never text from data or users).

Streamlit draws a page with generous top padding and large metric figures. The Scenarios page
needs its headline (the whole system and the council's own cash) and its first chart on one
screen at 1280x720, so it asks for :func:`compact_page`. CSS sent by ``st.html`` with nothing
but a style tag goes to Streamlit's event container: it takes no space and leaves the page when
the page does.
"""

from __future__ import annotations

import streamlit as st

#: Less padding around the page's content, a smaller title and metric figures a size smaller
#: (rem of the body text).
COMPACT_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 4rem 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.25rem; padding-bottom: 0.25rem; }
[data-testid="stMetricValue"] { font-size: 1.4rem; }
</style>
"""


def compact_page() -> None:
    """Apply :data:`COMPACT_CSS` to the page being drawn."""
    st.html(COMPACT_CSS)
