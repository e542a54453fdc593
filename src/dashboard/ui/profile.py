"""The level matrix behind every place profile, cached per bundle, level and period."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.profile import LevelValues, level_values
from dashboard.bundle import Bundle
from dashboard.ui.data import _stamp


@st.cache_resource(show_spinner=False, max_entries=24)
def _matrix(path: str, stamp: float, level: str, period: str, _bundle: Bundle) -> LevelValues:
    return level_values(_bundle, level, period)


def level_matrix(bundle: Bundle, level: str, period: str) -> LevelValues:
    """Every indicator for every place at ``level`` and ``period`` (computed once per bundle)."""
    if bundle.path is None:
        return level_values(bundle, level, period)
    return _matrix(str(bundle.path), _stamp(bundle.path), level, period, bundle)
