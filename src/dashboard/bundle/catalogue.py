"""The canonical indicator and service catalogues in data/catalogue/."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dashboard import CATALOGUE_DIR


@cache
def canonical_indicators(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Indicator entries of data/catalogue/indicators.yaml (no ``source``: a bundle adds it)."""
    doc = yaml.safe_load((path or CATALOGUE_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    return tuple(doc["indicators"])


@cache
def services(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Service blocks: ``id``, ``label``, ``level`` (upper, lower or both)."""
    doc = yaml.safe_load((path or CATALOGUE_DIR / "services.yaml").read_text(encoding="utf-8"))
    return tuple(doc["services"])


def service_label(service_id: str) -> str:
    for s in services():
        if s["id"] == service_id:
            return str(s["label"])
    return service_id.replace("_", " ").capitalize()
