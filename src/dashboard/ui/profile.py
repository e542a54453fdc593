"""Caches for the Profile page: the level matrix (per bundle, level and period) and chart specs."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.analysis.profile import LevelValues, level_values
from dashboard.bundle import Bundle
from dashboard.charts.profile import spend_chart, spine_chart, trend_chart
from dashboard.ui.data import _stamp


@st.cache_resource(show_spinner=False, max_entries=24)
def _matrix(path: str, stamp: float, level: str, period: str, _bundle: Bundle) -> LevelValues:
    return level_values(_bundle, level, period)


def level_matrix(bundle: Bundle, level: str, period: str) -> LevelValues:
    """Every indicator for every place at ``level`` and ``period`` (computed once per bundle)."""
    if bundle.path is None:
        return level_values(bundle, level, period)
    return _matrix(str(bundle.path), _stamp(bundle.path), level, period, bundle)


_BUILDERS = {"spine": spine_chart, "spend": spend_chart, "trend": trend_chart}


@st.cache_data(show_spinner=False, max_entries=128)
def chart_spec(kind: str, data: pd.DataFrame, **kwargs: Any) -> dict[str, Any]:
    """The Vega-Lite spec of a profile chart (``kind``: spine, spend or trend), built once per
    distinct input; a page draws it with st.vega_lite_chart. Schema validation is skipped here
    (it costs more than building): tests/charts validates every builder's output."""
    return _BUILDERS[kind](data, **kwargs).to_dict(validate=False)
