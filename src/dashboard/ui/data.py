"""Finding and loading bundles, cached once per server process; data layers joined to them.

A data layer (dashboard.layers) is stored in the app's database and reached only by its link:
``?dataset=layer-<id>``. A session lists the layers it has opened (by uploading one, or by its
link) beside the server's bundles, and no other; the joined bundle is built once per process
(checked again from the stored file, then joined to its base bundle) and kept in a bounded
cache.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import streamlit as st

from dashboard.bundle import Bundle, BundleError, read_bundle
from dashboard.bundle.datasets import available_datasets as server_datasets
from dashboard.bundle.limits import input_limit
from dashboard.store import ScenarioStore, database_url
from dashboard.ui.cached import file_stamp

__all__ = [
    "DATASET_LABELS",
    "LAYER_PREFIX",
    "available_datasets",
    "base_dataset",
    "dataset_label",
    "forget_layer",
    "load_bundle",
    "open_layer",
    "register_joined",
    "store",
    "unregister_joined",
]

DATASET_LABELS = {"england": "England (official data)", "demo": "Demo (fictional places)"}
#: A joined layer's dataset name is this prefix and the layer's id.
LAYER_PREFIX = "layer-"
_LAYER_ID = re.compile(r"[A-Za-z0-9_-]{8,32}")
#: Session state: the layer datasets this session has opened, in order.
SESSION_LAYERS = "pve_session_layers"
#: Joined bundles this process keeps (limits.yaml upload.max_joined), for stored layers and
#: for those registered directly (``register_joined``).
MAX_JOINED = input_limit("upload", "max_joined")

_REGISTERED: OrderedDict[str, tuple[str, Bundle, str]] = OrderedDict()
_LOCK = threading.Lock()


def register_joined(
    name: str, bundle: Bundle, label: str | None = None, base: str = "demo"
) -> None:
    """Make ``bundle`` (a dataset with a layer joined) reachable as dataset ``name``
    ("layer-<id>") in this process, without the database: a session opens it by its link, as a
    stored layer. Keeps at most MAX_JOINED (the oldest dropped first)."""
    with _LOCK:
        _REGISTERED.pop(name, None)
        _REGISTERED[name] = (label or bundle.title, bundle, base)
        while len(_REGISTERED) > MAX_JOINED:
            _REGISTERED.popitem(last=False)


def unregister_joined(name: str) -> None:
    """Forget a registered dataset (nothing happens when it is not registered)."""
    with _LOCK:
        _REGISTERED.pop(name, None)


def _registered(name: str) -> tuple[str, Bundle, str] | None:
    with _LOCK:
        return _REGISTERED.get(name)


@st.cache_resource(show_spinner=False, max_entries=4)  # one per database URL
def _store(url: str) -> ScenarioStore:
    return ScenarioStore(url)


def store() -> ScenarioStore:
    """The app's database (scenarios, decks, layers): DATABASE_URL, else the SQLite file at
    PVE_DB_PATH; opened (and migrated) once per database."""
    return _store(database_url())


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(path: str, stamp: float) -> Bundle:
    return read_bundle(path)


def _layer_id(name: str) -> str | None:
    if not name.startswith(LAYER_PREFIX):
        return None
    ident = name[len(LAYER_PREFIX) :]
    return ident if _LAYER_ID.fullmatch(ident) else None


@st.cache_resource(show_spinner="Joining the data layer…", max_entries=MAX_JOINED)
def _joined(layer_id: str) -> tuple[Bundle, str]:
    """The stored layer ``layer_id`` checked again and joined to its base bundle, and the base
    dataset's name. Raises BundleError when it is gone, its base is not on this server, or it
    no longer passes the checks (the catalogue or the bundle changed since it was saved)."""
    from dashboard.layers.check import check_layer
    from dashboard.layers.merge import join_layer

    saved = store().get_layer(layer_id)
    if saved is None:
        raise BundleError(
            "data layer", "no layer has this link (it was deleted, or the link is mistyped)"
        )
    paths = server_datasets()
    if saved.dataset not in paths:
        raise BundleError(
            saved.filename, f"it joins the dataset '{saved.dataset}', which this server lacks"
        )
    base = load_bundle(paths[saved.dataset])
    result = check_layer(saved.content, saved.filename, base, title=saved.title)
    if result.layer is None:
        first = result.problems[0].line() if result.problems else "it cannot be read"
        raise BundleError(
            saved.filename,
            f"the layer no longer passes the checks ({len(result.problems)} problem(s); "
            f"first: {first})",
        )
    label = DATASET_LABELS.get(saved.dataset, saved.dataset)
    return join_layer(base, result.layer, dataset_label=label), saved.dataset


def available_datasets() -> dict[str, Path | str]:
    """The server's bundles (name -> folder) and the layers this session opened (name ->
    name)."""
    found: dict[str, Path | str] = dict(server_datasets())
    for name in st.session_state.get(SESSION_LAYERS, []):
        found[name] = name
    return found


def load_bundle(source: Path | str | Bundle) -> Bundle:
    """A server bundle by its folder (cached until its files change), or a layer dataset by its
    name. Raises BundleError when refused."""
    if isinstance(source, Bundle):
        return source
    if isinstance(source, str):
        if (hit := _registered(source)) is not None:
            return hit[1]
        ident = _layer_id(source)
        if ident is None:
            raise BundleError(str(source)[:60], "not a dataset of this server")
        return _joined(ident)[0]
    return _load(str(source), file_stamp(source))


def open_layer(name: str) -> Bundle:
    """Open the layer dataset ``name`` (``layer-<id>``) in this session: it joins the session's
    list. Raises BundleError when it cannot be opened."""
    bundle = load_bundle(name)
    opened = list(st.session_state.get(SESSION_LAYERS, []))
    if name not in opened:
        opened.append(name)
    st.session_state[SESSION_LAYERS] = opened
    return bundle


def forget_layer(name: str) -> None:
    """Take ``name`` out of this session's list and out of the process's cache (after it is
    deleted)."""
    st.session_state[SESSION_LAYERS] = [
        n for n in st.session_state.get(SESSION_LAYERS, []) if n != name
    ]
    _joined.clear()


def base_dataset(name: str) -> str:
    """The server bundle a dataset is built on (itself, for a server bundle)."""
    if (hit := _registered(name)) is not None:
        return hit[2]
    ident = _layer_id(name)
    if ident is None:
        return name
    try:
        return _joined(ident)[1]
    except BundleError:
        return "demo"


def is_layer(name: str) -> bool:
    """Whether ``name`` is a joined layer's dataset."""
    return _layer_id(name) is not None or _registered(name) is not None


def dataset_label(name: str) -> str:
    """The dataset's name on screen: "England (official data)", or for a layer its bundle's
    title ("England + Wigan partners' data")."""
    if name in DATASET_LABELS:
        return DATASET_LABELS[name]
    if (hit := _registered(name)) is not None:
        return hit[0]
    ident = _layer_id(name)
    if ident is not None:
        try:
            return _joined(ident)[0].title
        except BundleError:
            return "Data layer (unavailable)"
    return name
