"""The lists of the catalogue: indicators (indicators.yaml) and services (services.yaml).

services.yaml is the one list of service ids; :data:`dashboard.bundle.schema.SERVICES` and the
finance reader derive theirs from :func:`service_ids`. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dashboard.catalogue.params import fail, join, mapping, one_of, sequence, text
from dashboard.catalogue.reader import catalogue_path, read_catalogue_yaml

#: Which tier runs a service in two-tier areas.
SERVICE_LEVELS: tuple[str, ...] = ("upper", "lower", "both")


def _entries(name: str | Path, top: str, fields: tuple[str, ...]) -> tuple[Mapping[str, Any], ...]:
    file = catalogue_path(name).name
    doc = read_catalogue_yaml(name)
    if top not in doc:
        raise fail(file, top, f"missing key '{top}'")
    items = sequence(doc[top], file, top, non_empty=True)
    seen: set[str] = set()
    for i, raw in enumerate(items):
        key = join(top, i)
        mapping(raw, file, key)
        for f in fields:
            text(raw, f, file, key)
        if raw["id"] in seen:
            raise fail(file, join(key, "id"), f"duplicate id '{raw['id']}'")
        seen.add(raw["id"])
    return tuple(items)


def indicator_entries(name: str | Path = "indicators.yaml") -> tuple[Mapping[str, Any], ...]:
    """The canonical indicator entries (frozen mappings), each with at least ``id``, ``label``,
    ``kind``, ``service`` and ``unit``; ids are unique."""
    return _entries(name, "indicators", ("id", "label", "kind", "service", "unit"))


def service_entries(name: str | Path = "services.yaml") -> tuple[Mapping[str, Any], ...]:
    """The service blocks (frozen mappings ``id``, ``label``, ``level``), in file order."""
    items = _entries(name, "services", ("id", "label", "level"))
    file = catalogue_path(name).name
    for i, raw in enumerate(items):
        one_of(raw["level"], SERVICE_LEVELS, "level", file, join(join("services", i), "level"))
    return items


def service_ids(name: str | Path = "services.yaml") -> tuple[str, ...]:
    """Service ids in services.yaml order (``all`` first)."""
    return tuple(str(s["id"]) for s in service_entries(name))
