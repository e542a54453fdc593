"""The canonical indicator and service catalogues in data/catalogue/ (read by
:mod:`dashboard.catalogue`; kept here so bundle code and pages import them from one place)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from dashboard.catalogue import indicator_entries, service_entries, thaw


@cache
def canonical_indicators(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Indicator entries of data/catalogue/indicators.yaml (no ``source``: a bundle adds it)."""
    return tuple(thaw(e) for e in indicator_entries(path or "indicators.yaml"))


@cache
def services(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Service blocks: ``id``, ``label``, ``level`` (upper, lower or both)."""
    return tuple(thaw(s) for s in service_entries(path or "services.yaml"))


def service_label(service_id: str) -> str:
    """The label of a service id (a readable form of the id when it is not in services.yaml)."""
    for s in services():
        if s["id"] == service_id:
            return str(s["label"])
    return service_id.replace("_", " ").capitalize()
