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


#: Story mode (the Present page): a projector-first page. No sidebar (nor its collapsed
#: control), no header, toolbar or top navigation; near-black on white; body text at
#: present.yaml's ``slide.body_font_px`` (``{body}`` px at 1280 px wide, growing with the
#: screen), the slide's title twice that, headline figures larger still and the footer line
#: (attribution, "fictional data", slide number) at ``slide.attribution_font_px``
#: (``{foot}`` px). The slide's parts are found by their ``st-key-`` container classes.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stTopNav"], [data-testid="stDecoration"] {{
  display: none !important;
}}
[data-testid="stApp"], [data-testid="stMain"] {{ background: #FFFFFF; color: #111111; }}
[data-testid="stMainBlockContainer"] {{
  padding: 1rem 2.5rem 0.5rem 2.5rem; max-width: 100%;
}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{
  min-height: calc(100vh - 2.5rem);
}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > div:has(.st-key-present_bar) {{
  margin-top: auto;
}}
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has(script) {{
  display: none;
}}
.st-key-present_slide {{ gap: 0.5rem; }}
.st-key-present_slide ul {{ margin: 0 0 0 1.2em; padding-left: 0.3em; }}
.st-key-present_slide, .st-key-present_slide p, .st-key-present_slide li {{
  color: #111111; font-size: max({body}px, 1.875vw); line-height: 1.3;
}}
.st-key-present_slide h1 {{
  color: #111111; font-size: max({title}px, 3.3vw); line-height: 1.15; padding: 0 0 0.3rem 0;
}}
.st-key-present_slide li {{ margin: 0.15rem 0; }}
.st-key-present_figures [data-testid="stMarkdownContainer"] p {{ margin: 0; }}
.st-key-present_figures strong {{
  display: inline-block; font-size: max({figure}px, 3vw); line-height: 1.15; margin-bottom: 0.2rem;
}}
.st-key-present_figures em {{ font-style: normal; color: #3A3A3A; }}
.st-key-present_slide [data-testid="stTable"] th,
.st-key-present_slide [data-testid="stTable"] td {{
  font-size: max({body}px, 1.875vw); color: #111111; padding: 0.2rem 0.6rem;
}}
.st-key-present_slide [data-testid="stTable"] th {{ font-weight: 700; }}
.st-key-present_caveat {{ margin-top: 0.6rem; }}
.st-key-present_caveat p {{ color: #7A3E00; }}
/* a chart is drawn at its 1280 px size; on a wider screen it grows with the text */
@media (min-width: 1600px) {{ .st-key-present_chart {{ zoom: 1.25; }} }}
@media (min-width: 1920px) {{ .st-key-present_chart {{ zoom: 1.5; }} }}
@media (min-width: 2560px) {{ .st-key-present_chart {{ zoom: 2; }} }}
.st-key-present_bar {{ border-top: 1px solid #BBBBBB; padding-top: 0.4rem; gap: 1rem; }}
.st-key-present_bar > div:has(.st-key-present_footer) {{ flex: 1 1 0; min-width: 0; }}
.st-key-present_footer, .st-key-present_footer p {{
  color: #333333; font-size: max({foot}px, 1.1vw); line-height: 1.3; margin: 0;
}}
.st-key-present_controls button {{ min-height: 2.75rem; }}
.st-key-present_controls button p, .st-key-present_controls [data-testid="stPageLink"] p {{
  font-size: 1.2rem;
}}
</style>
"""


def present_page(body_px: int, foot_px: int) -> None:
    """Apply :data:`PRESENT_CSS` to the page being drawn: body text ``body_px`` px, the
    footer line ``foot_px`` px (present.yaml's slide.body_font_px, attribution_font_px)."""
    st.html(
        PRESENT_CSS.format(
            body=body_px, title=round(1.75 * body_px), figure=2 * body_px, foot=foot_px
        )
    )
