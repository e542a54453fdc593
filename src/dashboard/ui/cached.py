"""Streamlit caching of pure functions whose first argument is a Bundle.

A loaded bundle is one long-lived object (ui.data caches it until its files change), so its
path and identity are a sound cache key; DataFrames inside it need not be hashed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from dashboard.bundle import Bundle

P = ParamSpec("P")
R = TypeVar("R")


def bundle_key(bundle: Bundle) -> tuple[str, int]:
    """The one cache key for a loaded bundle in ui/: its folder and the object's identity."""
    return (str(bundle.path), id(bundle))


def per_bundle(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache ``fn(bundle, ...)`` per bundle and arguments (results are copied for each caller)."""
    return st.cache_data(show_spinner=False, max_entries=64, hash_funcs={Bundle: bundle_key})(fn)
