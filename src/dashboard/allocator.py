"""glibc's allocator settings for a long-running server (limits.yaml serving.malloc_*).

A Streamlit server runs each script in a thread. By default glibc gives threads many heaps
(arenas) and raises its threshold for returning big blocks to the system after each big free,
so the DataFrames a run makes and drops stay resident as fragments and memory keeps creeping
after every cache is full. :func:`tune` caps the heaps and fixes the threshold, once per
process; elsewhere than glibc (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

from dashboard.bundle.limits import input_limit

#: mallopt parameters (glibc's malloc.h).
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

_lock = threading.Lock()
_done: dict[str, bool] = {}


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    return lib if hasattr(lib, "mallopt") else None


def tune() -> bool:
    """Cap glibc's heaps and fix its mmap threshold (limits.yaml), once per process. True when
    glibc took both settings (now or on an earlier call); False where there is no glibc."""
    with _lock:
        if "tuned" in _done:
            return _done["tuned"]
        lib = _libc()
        ok = lib is not None
        if lib is not None:
            arenas = input_limit("serving", "malloc_arenas")
            threshold = input_limit("serving", "malloc_mmap_threshold")
            ok = bool(lib.mallopt(M_ARENA_MAX, arenas)) and bool(
                lib.mallopt(M_MMAP_THRESHOLD, threshold)
            )
        _done["tuned"] = ok
        return ok
