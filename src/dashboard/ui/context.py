"""Hand the context that app.py builds to the page it runs, within one script run.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
``st.navigation`` has run once in the process. Until then a request for ``/data`` runs
``pages/data.py`` on its own, without app.py (and so without the sidebar). A page that finds no
context from this run switches that legacy mode off and reruns, so app.py runs first.

``st.navigation`` serves its default page (Home) at ``/`` only: a request for ``/home`` finds no
page of that name, shows "Page not found" and runs the default page anyway.
``route_default_page`` makes a request by the default page's own name a request for ``/``.
"""

from __future__ import annotations

import threading

import streamlit as st

from dashboard.ui.state import Context

_run = threading.local()  # one script run executes on one thread


def route_default_page(url_path: str) -> None:
    """Before ``st.navigation``: a request for ``/<url_path>`` of the default page opens it
    as ``/`` does (no "Page not found"). A request naming a page by its hash (a click on a
    link in the app) is left alone."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    manager = getattr(run, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return
    if (manager.intended_page_name or "").strip("/") == url_path:
        manager.set_script_intent("", "")


def publish(ctx: Context) -> None:
    """Called by app.py before running the page."""
    _run.ctx = ctx


def clear() -> None:
    """Called by app.py after the page has run."""
    _run.ctx = None


def page_context() -> Context:
    """The context app.py built in this run (reruns through app.py when there is none)."""
    ctx = getattr(_run, "ctx", None)
    if ctx is None:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return ctx
