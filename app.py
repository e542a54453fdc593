"""Place Value Explorer: entry point (page config, shared sidebar, navigation)."""

import streamlit as st

from dashboard import PROJECT_ROOT, allocator
from dashboard.ui import context
from dashboard.ui.pages import PAGES
from dashboard.ui.state import show_messages, sidebar
from dashboard.ui.style import accessible_page

allocator.tune()  # once per process: a long-running server's memory levels off
st.set_page_config(
    page_title="Place Value Explorer",
    page_icon=str(PROJECT_ROOT / "assets" / "icon.png"),  # local file: no font CDN offline
    layout="wide",
    initial_sidebar_state="expanded",
)

accessible_page()
context.route_default_page(PAGES[0].url_path)  # /home opens Home, as / does
pages = [
    st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
    for i, p in enumerate(PAGES)
]
nav = st.navigation(pages, position="top")
ctx = sidebar()
projector = {p.url_path for p in PAGES if p.projector}  # its slides say "Fictional data"
show_messages(ctx, banner=nav.url_path not in projector)
context.publish(ctx)
try:
    nav.run()
finally:
    context.clear()
