"""Access to the shared context from a page."""

from __future__ import annotations

import streamlit as st

from dashboard.ui.state import Context


def page_context() -> Context:
    """The context app.py built for this run."""
    return st.session_state["_ctx"]
