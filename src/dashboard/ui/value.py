"""Value-for-money results cached per bundle and choice (a place change reuses them)."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.vfm import Frame, Frontier, NeedFit, frame, frontier, need_fit
from dashboard.bundle import Bundle
from dashboard.ui.data import _stamp


def _key(bundle: Bundle) -> tuple[str, float]:
    return (str(bundle.path), _stamp(bundle.path)) if bundle.path else ("", 0.0)


@st.cache_resource(show_spinner=False, max_entries=64)
def _frame(
    key: tuple[str, float], period: str, codes: tuple[str, ...], ids: tuple[str, ...], _b: Bundle
) -> Frame:
    return frame(_b, period, list(codes), list(ids))


@st.cache_resource(show_spinner=False, max_entries=64)
def _fit(
    key: tuple[str, float],
    period: str,
    codes: tuple[str, ...],
    spend_id: str,
    outcome_id: str,
    need_ids: tuple[str, ...],
    polarity: str,
    _b: Bundle,
) -> NeedFit:
    fr = _frame(key, period, codes, (spend_id, outcome_id, *need_ids), _b)
    return need_fit(fr, spend_id, outcome_id, list(need_ids), polarity)


@st.cache_resource(show_spinner="Solving the efficiency frontier…", max_entries=64)
def _frontier(
    key: tuple[str, float],
    period: str,
    codes: tuple[str, ...],
    spend_id: str,
    output_ids: tuple[str, ...],
    lower_is_better: tuple[bool, ...],
    need_ids: tuple[str, ...],
    _b: Bundle,
) -> Frontier:
    fr = _frame(key, period, codes, (spend_id, *output_ids, *need_ids), _b)
    return frontier(fr, spend_id, list(output_ids), list(lower_is_better), list(need_ids))


def value_frame(bundle: Bundle, period: str, codes: list[str], ids: list[str]) -> Frame:
    """Values of ``ids`` and population for ``codes`` at ``period`` (cached)."""
    return _frame(_key(bundle), period, tuple(codes), tuple(ids), bundle)


def value_fit(
    bundle: Bundle,
    period: str,
    codes: list[str],
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
) -> NeedFit:
    """Quadrants and the need-adjusted expected outcome across ``codes`` (cached)."""
    polarity = str(bundle.indicator(outcome_id)["polarity"])
    return _fit(
        _key(bundle), period, tuple(codes), spend_id, outcome_id, tuple(need_ids), polarity, bundle
    )


def value_frontier(
    bundle: Bundle,
    period: str,
    codes: list[str],
    spend_id: str,
    output_ids: list[str],
    need_ids: list[str],
) -> Frontier:
    """DEA scores across ``codes`` (cached)."""
    lower = tuple(bundle.indicator(i)["polarity"] == "lower_is_better" for i in output_ids)
    return _frontier(
        _key(bundle),
        period,
        tuple(codes),
        spend_id,
        tuple(output_ids),
        lower,
        tuple(need_ids),
        bundle,
    )
