"""Finding and loading bundles, cached once per server process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.bundle import Bundle, read_bundle
from dashboard.bundle.datasets import available_datasets
from dashboard.ui.cached import file_stamp

__all__ = ["DATASET_LABELS", "available_datasets", "load_bundle"]

DATASET_LABELS = {"england": "England (official data)", "demo": "Demo (fictional places)"}


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(path: str, stamp: float) -> Bundle:
    return read_bundle(path)


def load_bundle(path: Path) -> Bundle:
    """Read a bundle (cached until its files change). Raises BundleError when refused."""
    return _load(str(path), file_stamp(path))
