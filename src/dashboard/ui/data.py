"""Finding and loading bundles, cached once per server process, and the joined bundles (a
dataset plus a data layer) registered in memory for this process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import streamlit as st

from dashboard.bundle import Bundle, read_bundle
from dashboard.bundle.datasets import available_datasets as _bundle_folders
from dashboard.ui.cached import file_stamp

__all__ = [
    "DATASET_LABELS",
    "MAX_JOINED",
    "available_datasets",
    "dataset_label",
    "load_bundle",
    "register_joined",
    "unregister_joined",
]

DATASET_LABELS = {"england": "England (official data)", "demo": "Demo (fictional places)"}
#: How many joined bundles this process keeps (the oldest registered is dropped first). A
#: structural limit on memory, not an assumption; limits.yaml has no ``upload`` section yet.
MAX_JOINED = 8

_JOINED: OrderedDict[str, tuple[str, Bundle]] = OrderedDict()
_LOCK = threading.Lock()


def register_joined(name: str, bundle: Bundle, label: str | None = None) -> None:
    """Offer ``bundle`` (a dataset with a layer joined) as dataset ``name`` ("layer-<id>") to
    every session of this process, labelled ``label`` (default: the bundle's title). Keeps at
    most MAX_JOINED; registering a name again replaces it."""
    with _LOCK:
        _JOINED.pop(name, None)
        _JOINED[name] = (label or bundle.title, bundle)
        while len(_JOINED) > MAX_JOINED:
            _JOINED.popitem(last=False)


def unregister_joined(name: str) -> None:
    """Forget dataset ``name`` (a deleted layer); nothing happens when it is not registered."""
    with _LOCK:
        _JOINED.pop(name, None)


def available_datasets() -> dict[str, Path | Bundle]:
    """Datasets this server offers: the bundle folders (bundle.datasets.available_datasets),
    then the joined bundles registered in this process (the Bundle itself). Pass a value to
    :func:`load_bundle`."""
    found: dict[str, Path | Bundle] = dict(_bundle_folders())
    with _LOCK:
        found.update({name: b for name, (_, b) in _JOINED.items()})
    return found


def dataset_label(name: str) -> str:
    """A dataset's name on screen: the registry's label for a joined one, else DATASET_LABELS
    (else the name itself)."""
    with _LOCK:
        joined = _JOINED.get(name)
    if joined is not None:
        return joined[0]
    return DATASET_LABELS.get(name, name)


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(path: str, stamp: float) -> Bundle:
    return read_bundle(path)


def load_bundle(path: Path | Bundle) -> Bundle:
    """Read a bundle folder (cached until its files change), or return a registered joined
    bundle as it is. Raises BundleError when refused."""
    if isinstance(path, Bundle):
        return path
    return _load(str(path), file_stamp(path))
