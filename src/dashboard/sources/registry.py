"""The official files the England builder reads: publisher, dataset title, address, licence.

The table is data/catalogue/england_sources.yaml (read by :mod:`dashboard.sources.tables`).
Files are found by name anywhere under the raw folder (case-insensitive glob patterns), so a
user can download them from the publishers into one folder, keeping the publishers' names.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.sources.tables import source_entries, yields


@dataclass(frozen=True)
class Source:
    """One official dataset: ``patterns`` match its file names; ``required`` stops the build."""

    id: str
    publisher: str
    title: str
    url: str
    licence: str
    patterns: tuple[str, ...]
    required: bool = False
    many: bool = False  # several files (e.g. one per year)


def _sources() -> tuple[Source, ...]:
    return tuple(
        Source(
            id=str(e["id"]),
            publisher=str(e["publisher"]),
            title=str(e["title"]),
            url=str(e["url"]),
            licence=str(e["licence"]),
            patterns=tuple(str(p) for p in e["patterns"]),
            required=bool(e.get("required", False)),
            many=bool(e.get("many", False)),
        )
        for e in source_entries()
    )


#: Every official dataset of data/catalogue/england_sources.yaml, in its order.
SOURCES: tuple[Source, ...] = _sources()
SOURCE_BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}

#: ONS Explore Local Statistics files (one per indicator, with a .json metadata file alongside),
#: in the order of their ``yields`` in england_sources.yaml.
ELS_FILES: tuple[str, ...] = tuple(dict.fromkeys(str(y["file"]) for y in yields("els", "file")))


def find_files(raw: Path, source: Source) -> list[Path]:
    """Files under ``raw`` (any depth) matching the source's patterns, sorted by name."""
    if source.id == "els":
        return [p for name in ELS_FILES for p in _glob(raw, name)[:1]]
    hits: dict[Path, None] = {}
    for pat in source.patterns:
        for p in _glob(raw, pat):
            hits[p] = None
    files = sorted(hits, key=lambda p: p.name)
    return files if source.many else files[:1]


def _glob(raw: Path, pattern: str) -> list[Path]:
    low = pattern.lower()
    return sorted(p for p in _listing(raw.resolve()) if fnmatch.fnmatch(p.name.lower(), low))


@lru_cache(maxsize=8)
def _listing(raw: Path) -> tuple[Path, ...]:
    return tuple(p for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else ()
