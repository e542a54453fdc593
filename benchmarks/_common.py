"""Shared helpers for benchmark scripts: medians of repeated runs, printed plainly."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn`` over ``runs`` calls, after ``warmup`` calls (seconds)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name: str, seconds: float, target: str = "", extra: str = "") -> None:
    line = f"{name:<52} {seconds * 1000:9.1f} ms"
    if target:
        line += f"   target {target}"
    if extra:
        line += f"   {extra}"
    print(line, flush=True)


def server_like_script_cache() -> None:
    """Make AppTest keep compiled page scripts between runs, as a running server does.

    AppTest builds a new ScriptCache on every run, so it recompiles each page's source every
    time (tens of ms for a long page); a server compiles once. Call before creating AppTests.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    # both make their own: the pages manager's (app_test) and the script runner's
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment]
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment]
