"""The England builder's tables: data/catalogue/england_sources.yaml (the official files, what
each yields, the steps that read them), england_indicators.yaml (indicator metadata the files
bring) and england_bundle.yaml (bundle texts and the data notes, by id).

Read through :func:`dashboard.catalogue.read_catalogue_yaml` (one safe loader); a missing or
malformed key is a :class:`dashboard.catalogue.CatalogueError` naming the file and the key path.
See docs/architecture.md and docs/england-data.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from dashboard.catalogue import (
    fail,
    join,
    mapping,
    read_catalogue_yaml,
    require,
    sequence,
    text,
    thaw,
)

SOURCES_FILE = "england_sources.yaml"
INDICATORS_FILE = "england_indicators.yaml"
BUNDLE_FILE = "england_bundle.yaml"


@dataclass(frozen=True)
class Note:
    """One data note of the bundle: ``id`` names its kind (a key of england_bundle.yaml
    ``notes``), ``text`` is the sentence written to bundle.yaml."""

    id: str
    text: str


@cache
def _doc(name: str) -> Mapping[str, Any]:
    return read_catalogue_yaml(name)


def section(name: str, key: str) -> Any:
    """The top-level ``key`` of catalogue file ``name`` (a CatalogueError if it is missing)."""
    return require(_doc(name), key, name, "")


@cache
def source_entries() -> tuple[Mapping[str, Any], ...]:
    """The ``sources`` of england_sources.yaml, checked: id, publisher, title, url, licence and
    patterns are required; ids are unique; ``yields`` (optional) is a list of mappings."""
    raw = sequence(section(SOURCES_FILE, "sources"), SOURCES_FILE, "sources", non_empty=True)
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        key = join("sources", i)
        entry = mapping(entry, SOURCES_FILE, key)
        sid = text(entry, "id", SOURCES_FILE, key)
        if sid in seen:
            raise fail(SOURCES_FILE, join(key, "id"), f"source '{sid}' is listed twice")
        seen.add(sid)
        for name in ("publisher", "title", "url", "licence"):
            text(entry, name, SOURCES_FILE, key)
        sequence(require(entry, "patterns", SOURCES_FILE, key), SOURCES_FILE, join(key, "patterns"))
        for j, y in enumerate(sequence(entry.get("yields", ()), SOURCES_FILE, join(key, "yields"))):
            mapping(y, SOURCES_FILE, join(join(key, "yields"), j))
    return tuple(raw)


def _entry(sid: str) -> tuple[int, Mapping[str, Any]]:
    for i, entry in enumerate(source_entries()):
        if entry["id"] == sid:
            return i, entry
    raise fail(SOURCES_FILE, "sources", f"no source with id '{sid}'")


def yields(sid: str, *required: str) -> list[dict[str, Any]]:
    """What source ``sid`` yields, as plain dicts (``yields_as`` points at another source's list);
    each item must have the ``required`` fields (a CatalogueError naming the key if one is absent)."""
    i, entry = _entry(sid)
    if "yields_as" in entry:
        return yields(str(entry["yields_as"]), *required)
    key = join(join("sources", i), "yields")
    items = sequence(require(entry, "yields", SOURCES_FILE, join("sources", i)), SOURCES_FILE, key)
    for j, item in enumerate(items):
        for name in required:
            require(item, name, SOURCES_FILE, join(key, j))
    return [dict(thaw(y)) for y in items]


def field_of(sid: str, name: str) -> Any:
    """A required field ``name`` of source ``sid`` (e.g. ``via`` of the ELS entry)."""
    i, entry = _entry(sid)
    return thaw(require(entry, name, SOURCES_FILE, join("sources", i)))


def step_sources(step: str) -> list[str]:
    """Source ids a builder step reads, in reading order (england_sources.yaml ``steps``)."""
    steps = mapping(section(SOURCES_FILE, "steps"), SOURCES_FILE, "steps")
    ids = sequence(require(steps, step, SOURCES_FILE, "steps"), SOURCES_FILE, join("steps", step))
    for k, sid in enumerate(ids):
        if not any(e["id"] == sid for e in source_entries()):
            raise fail(SOURCES_FILE, join(join("steps", step), k), f"no source with id '{sid}'")
    return [str(s) for s in ids]


@cache
def canonical_sources() -> dict[str, dict[str, Any]]:
    """england_indicators.yaml ``canonical_sources``: id -> source and corrected label or
    definition (plain dicts)."""
    raw = mapping(
        section(INDICATORS_FILE, "canonical_sources"), INDICATORS_FILE, "canonical_sources"
    )
    out = {}
    for ind, entry in raw.items():
        key = join("canonical_sources", ind)
        text(mapping(entry, INDICATORS_FILE, key), "source", INDICATORS_FILE, key)
        out[str(ind)] = thaw(entry)
    return out


@cache
def extra_indicators() -> tuple[dict[str, Any], ...]:
    """england_indicators.yaml ``extra_indicators``: complete indicator entries (plain dicts)."""
    raw = sequence(
        section(INDICATORS_FILE, "extra_indicators"), INDICATORS_FILE, "extra_indicators"
    )
    fields = ("id", "label", "kind", "service", "unit", "polarity", "definition", "source")
    for i, entry in enumerate(raw):
        key = join("extra_indicators", i)
        for name in fields:
            text(mapping(entry, INDICATORS_FILE, key), name, INDICATORS_FILE, key)
        sequence(
            require(entry, "levels", INDICATORS_FILE, key), INDICATORS_FILE, join(key, "levels")
        )
    return tuple(thaw(e) for e in raw)


def bundle_text(*path: str) -> Any:
    """A value of england_bundle.yaml ``bundle`` (e.g. ``bundle_text("default_place", "upper")``)."""
    node: Any = section(BUNDLE_FILE, "bundle")
    key = "bundle"
    for part in path:
        node = require(mapping(node, BUNDLE_FILE, key), part, BUNDLE_FILE, key)
        key = join(key, part)
    return thaw(node)


def sentence(kind: str, name: str) -> str:
    """Template ``name`` of england_bundle.yaml section ``kind`` (``notes`` or ``texts``)."""
    return text(mapping(section(BUNDLE_FILE, kind), BUNDLE_FILE, kind), name, BUNDLE_FILE, kind)


def note(note_id: str, **fields: Any) -> Note:
    """The data note ``note_id`` with its ``{placeholders}`` filled from ``fields``."""
    template = sentence("notes", note_id)
    try:
        return Note(note_id, template.format(**fields))
    except (KeyError, IndexError) as exc:
        raise fail(BUNDLE_FILE, join("notes", note_id), f"unknown placeholder {exc}") from None


def note_text(notes: Sequence[Note], note_id: str) -> str:
    """The text of the first note with ``note_id`` ("" when there is none)."""
    return next((n.text for n in notes if n.id == note_id), "")
