"""Streamlit caching of pure functions whose first argument is a Bundle.

A loaded bundle is one long-lived object (ui.data caches it until its files change), so its
path and identity are a sound cache key; DataFrames inside it need not be hashed.
``bundle_key`` is the one key for a bundle in ui/; ``bundle_file_key`` adds the time its files
last changed, for caches that must also move on when the bundle is rebuilt on disk.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import streamlit as st

from dashboard.bundle import Bundle
from dashboard.bundle.limits import input_limit
from dashboard.view import Context, group_options

#: Places a cache of per-place work keeps (limits.yaml serving.place_cache_entries); caches
#: of finer work (per scenario, per intervention) keep a multiple of it.
PLACES = input_limit("serving", "place_cache_entries")

P = ParamSpec("P")
R = TypeVar("R")


def bundle_key(bundle: Bundle) -> tuple[str, int]:
    """The one cache key for a loaded bundle in ui/: its folder and the object's identity."""
    return (str(bundle.path), id(bundle))


#: How long a folder's stamp is reused before its files are looked at again (s): every page
#: run asks several times, and walking a bundle's files each time cost more than the page.
STAMP_REUSE_S = 2.0
_stamps: dict[Path, tuple[float, float]] = {}


def file_stamp(path: Path) -> float:
    """Latest modification time of the files under ``path`` (seconds since the epoch; 0 when
    there are none), so a rebuilt bundle is read again (within STAMP_REUSE_S seconds)."""
    now = time.monotonic()
    seen = _stamps.get(path)
    if seen is not None and now - seen[0] < STAMP_REUSE_S:
        return seen[1]
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
    stamp = max((p.stat().st_mtime for p in files), default=0.0)
    _stamps[path] = (now, stamp)
    return stamp


def bundle_file_key(bundle: Bundle) -> tuple[str, int, float]:
    """``bundle_key`` plus the time the bundle's files last changed (0 for a bundle built in
    memory)."""
    stamp = file_stamp(bundle.path) if bundle.path is not None else 0.0
    return (*bundle_key(bundle), stamp)


def per_bundle(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache ``fn(bundle, ...)`` per bundle and arguments (results are copied for each caller)."""
    return st.cache_data(show_spinner=False, max_entries=64, hash_funcs={Bundle: bundle_key})(fn)


def context_key(ctx: Context) -> tuple[tuple[str, int], str, tuple[str, ...], str]:
    """The cache key of a page's context: its bundle, view, comparison group and its words."""
    return (bundle_key(ctx.bundle), repr(ctx.view), tuple(ctx.group), ctx.group_text)


def per_view(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache ``fn(ctx, ...)`` per context (and any further arguments), shared by every session
    (not copied): for view models nobody changes. A new visitor on a place someone has seen
    gets it without work; at most PLACES are kept."""
    return st.cache_resource(
        show_spinner=False, max_entries=PLACES, hash_funcs={Context: context_key}
    )(fn)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Bundle: bundle_key})
def level_lists(
    bundle: Bundle, level: str
) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    """The places at ``level`` (codes in order, code -> name) and the comparison groups offered
    there (id -> label), once per bundle and level: the sidebar asks on every run."""
    places = bundle.places_at(level)
    names = dict(zip(places["code"], places["name"], strict=True))
    return tuple(places["code"]), names, group_options(bundle, level)
