"""Peer models cached per bundle, level and period (computed once per server process)."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.peers import PeerModel, build_peer_model
from dashboard.bundle import Bundle
from dashboard.ui.cached import bundle_file_key


@st.cache_resource(show_spinner=False, max_entries=24)
def _model(
    key: tuple[str, int, float], level: str, period: str, _bundle: Bundle
) -> PeerModel | None:
    return build_peer_model(_bundle, level, period)


def peer_model(bundle: Bundle, level: str, period: str) -> PeerModel | None:
    """The bundle's peer model at ``level`` and ``period`` (None when it lacks the variables).

    Keyed on ``bundle_file_key``; a bundle without a directory (built in memory) is computed
    afresh each time."""
    if bundle.path is None:
        return build_peer_model(bundle, level, period)
    return _model(bundle_file_key(bundle), level, period, bundle)


def peers_for(bundle: Bundle, level: str, period: str, place: str) -> list[str]:
    """Codes of ``place``'s statistical nearest neighbours ([] when not available)."""
    model = peer_model(bundle, level, period)
    return model.peers_of(place) if model else []
