"""Finding and loading bundles, cached once per server process."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle
from dashboard.ui.cached import file_stamp

DATASET_LABELS = {"england": "England (official data)", "demo": "Demo (fictional places)"}


def available_datasets() -> dict[str, Path]:
    """Bundles this server can offer: England when built, the demo always, and any extra
    ``name=path`` pairs in the PVE_EXTRA_BUNDLES environment variable (separated by ';')."""
    found: dict[str, Path] = {}
    england = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
    if (england / "bundle.yaml").exists():
        found["england"] = england
    found["demo"] = DATA_DIR / "demo"
    for pair in filter(None, os.environ.get("PVE_EXTRA_BUNDLES", "").split(";")):
        name, _, path = pair.partition("=")
        if name and path:
            found[name.strip()] = Path(path.strip())
    return found


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(path: str, stamp: float) -> Bundle:
    return read_bundle(path)


def load_bundle(path: Path) -> Bundle:
    """Read a bundle (cached until its files change). Raises BundleError when refused."""
    return _load(str(path), file_stamp(path))
