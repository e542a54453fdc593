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


#: Every page: captions at full opacity in a muted grey that meets WCAG AA contrast (Streamlit
#: fades them to 60 %, 4.4:1 on white, and fades coloured words inside them below 3:1), and a
#: visible keyboard focus ring on what can be focused (Streamlit's select boxes show none), and
#: formulas that do not scroll (a scrolling box must take the keyboard focus; the formulas are
#: written to fit the page at 1280 px).
ACCESSIBLE_CSS = """
<style>
[data-testid="stCaptionContainer"] { opacity: 1; color: #4A5560; }
:focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
[data-baseweb="select"]:focus-within { outline: 3px solid #0072B2; outline-offset: 2px; }
[data-testid="stMarkdownContainer"] .katex-display { overflow: visible !important; }
</style>
"""


def accessible_page() -> None:
    """Apply :data:`ACCESSIBLE_CSS` to the page being drawn (every page, from app.py)."""
    st.html(ACCESSIBLE_CSS)
