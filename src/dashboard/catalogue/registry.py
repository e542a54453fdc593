"""Every parameter of every catalogue file, found once, and typed access by file and key path.

:func:`param` reads one parameter (``param("vfm.yaml", "settings.top_quartile")``);
:func:`all_params` and :func:`params_table` list every parameter of :func:`param_files`, so the
app can show each number with its unit, range and source. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.catalogue.params import (
    SETTING_FIELDS,
    Param,
    fail,
    join,
    mapping,
    parse_param,
    value_key,
)
from dashboard.catalogue.reader import CATALOGUE_DIR, catalogue_path, read_catalogue_yaml

#: Catalogue files whose numbers are parameters, in the order they are listed; any other YAML
#: file of the catalogue folder follows, by name.
PARAM_FILES: tuple[str, ...] = (
    "methods.yaml",
    "vfm.yaml",
    "peers.yaml",
    "maps.yaml",
    "scenario.yaml",
    "interventions.yaml",
)
#: Files that are not catalogues of assumptions: demo.yaml configures the fictional data
#: generator (its numbers shape invented places, not real ones).
NOT_PARAM_FILES: tuple[str, ...] = ("demo.yaml",)
#: Fields of an uncertain parameter (scenario.yaml, interventions.yaml).
UNCERTAIN_FIELDS: tuple[str, ...] = ("low", "central", "high", "unit", "range", "grade", "source")
#: Columns of :func:`params_table`, in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "file",
    "key",
    "label",
    "value",
    "low",
    "high",
    "unit",
    "min",
    "max",
    "grade",
    "source",
    "link",
    "as_of",
)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def fields_for(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a parameter mapping of this shape must have."""
    if "central" in raw:
        return UNCERTAIN_FIELDS
    if "weight" in raw and "value" not in raw:
        return ("weight", "unit", "range", "source")
    return SETTING_FIELDS


def looks_like_param(raw: Any) -> bool:
    """A mapping with a numeric (or list of numbers) central value and a unit, range or source."""
    if not isinstance(raw, Mapping):
        return False
    vk = value_key(raw)
    if vk is None or not ({"unit", "range", "source"} & set(raw)):
        return False
    v = raw[vk]
    if isinstance(v, Sequence) and not isinstance(v, str):
        return bool(v) and all(_is_number(x) for x in v)
    return _is_number(v)


def item_key(item: Any, i: int) -> str:
    """How a list item is named in a key path: its ``id`` (or ``indicator``), else its index."""
    if isinstance(item, Mapping):
        for k in ("id", "indicator"):
            if isinstance(item.get(k), str):
                return item[k]
    return str(i)


def _parse(raw: Mapping[str, Any], file: str, key: str) -> list[Param]:
    vk = value_key(raw)
    v = raw[vk] if vk else None
    label = raw.get("id") if isinstance(raw.get("id"), str) else None
    if isinstance(v, Sequence) and not isinstance(v, str):
        return [
            parse_param({**raw, vk: x}, file, join(key, i), fields=fields_for(raw), label=label)
            for i, x in enumerate(v)
        ]
    return [parse_param(raw, file, key, fields=fields_for(raw), label=label)]


def walk(node: Any, file: str, key: str = "") -> Iterator[Param]:
    """Every parameter under ``node`` (a parsed catalogue document), in document order."""
    if looks_like_param(node):
        yield from _parse(node, file, key)
    elif isinstance(node, Mapping):
        for k, v in node.items():
            yield from walk(v, file, join(key, k))
    elif isinstance(node, Sequence) and not isinstance(node, str):
        for i, v in enumerate(node):
            yield from walk(v, file, join(key, item_key(v, i)))


@cache
def _file_params(path: Path) -> tuple[Param, ...]:
    out = tuple(walk(read_catalogue_yaml(path), path.name))
    seen: set[str] = set()
    for p in out:
        if p.key in seen:
            raise fail(p.file, p.key, "two parameters share this key path")
        seen.add(p.key)
    return out


def file_params(name: str | Path) -> tuple[Param, ...]:
    """Every parameter of one catalogue file (cached per path)."""
    return _file_params(catalogue_path(name).resolve())


def param_files(directory: str | Path | None = None) -> tuple[Path, ...]:
    """The catalogue files whose parameters are listed: :data:`PARAM_FILES` first, then every
    other ``*.yaml`` of the folder by name, never :data:`NOT_PARAM_FILES`."""
    root = Path(directory) if directory is not None else CATALOGUE_DIR
    names = {p.name for p in root.glob("*.yaml")} - set(NOT_PARAM_FILES)
    order = {n: i for i, n in enumerate(PARAM_FILES)}
    return tuple(root / n for n in sorted(names, key=lambda n: (order.get(n, len(order)), n)))


def all_params(directory: str | Path | None = None) -> list[Param]:
    """Every parameter of every file of :func:`param_files` (of ``directory`` when given)."""
    return [p for f in param_files(directory) for p in file_params(f)]


def params_table(directory: str | Path | None = None) -> pd.DataFrame:
    """:func:`all_params` as one row per parameter, columns :data:`TABLE_COLUMNS`."""
    rows = [
        {
            "file": p.file,
            "key": p.key,
            "label": p.label or p.note or "",
            "value": p.central,
            "low": p.low,
            "high": p.high,
            "unit": p.unit,
            "min": p.min,
            "max": p.max,
            "grade": p.grade or "",
            "source": p.source,
            "link": p.link or "",
            "as_of": p.as_of or "",
        }
        for p in all_params(directory)
    ]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


# --- typed access -------------------------------------------------------------------------------
def lookup(name: str | Path, key: str) -> Any:
    """The raw (frozen) value at dotted ``key`` of a catalogue file; list items are named as in
    :func:`item_key`. Refuses a missing key or a non-mapping on the way, naming both."""
    doc: Any = read_catalogue_yaml(name)
    file = catalogue_path(name).name
    where = ""
    for part in key.split(".") if key else ():
        if isinstance(doc, Mapping):
            if part not in doc:
                raise fail(file, join(where, part), f"missing key '{part}'")
            doc = doc[part]
        elif isinstance(doc, Sequence) and not isinstance(doc, str):
            hits = [v for i, v in enumerate(doc) if item_key(v, i) == part]
            if not hits:
                named = part.isdigit() or any(item_key(v, i) != str(i) for i, v in enumerate(doc))
                if not named:
                    raise fail(file, where or None, "must be a mapping, got a list")
                raise fail(file, join(where, part), f"missing item '{part}'")
            doc = hits[0]
        else:
            raise fail(file, where or None, f"must be a mapping, got {doc!r}")
        where = join(where, part)
    return doc


def section(name: str | Path, key: str) -> Mapping[str, Any]:
    """The mapping at ``key`` of a catalogue file (refused when it is not a mapping)."""
    return mapping(lookup(name, key), catalogue_path(name).name, key)


def param(name: str | Path, key: str, **checks: Any) -> Param:
    """The parameter at ``key`` of a catalogue file, fully checked (``checks`` go to
    :func:`~dashboard.catalogue.params.parse_param`, e.g. ``units``); cached."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in checks.items()))
    return _param(name, key, frozen)


@cache
def _param(name: str | Path, key: str, checks: tuple[tuple[str, Any], ...]) -> Param:
    raw = lookup(name, key)
    file = catalogue_path(name).name
    opts = dict(checks)
    fields = opts.pop("fields", fields_for(raw) if isinstance(raw, Mapping) else SETTING_FIELDS)
    return parse_param(raw, file, key, fields=fields, **opts)


def param_list(name: str | Path, key: str) -> tuple[Param, ...]:
    """A parameter whose value is a list of numbers: one :class:`Param` per item."""
    raw = lookup(name, key)
    file = catalogue_path(name).name
    raw = mapping(raw, file, key, f"a mapping {{{', '.join(SETTING_FIELDS)}}}")
    values = raw.get("value")
    if isinstance(values, str) or not isinstance(values, Sequence) or not values:
        raise fail(file, join(key, "value"), "must be a non-empty list of numbers")
    return tuple(parse_param({**raw, "value": v}, file, join(key, i)) for i, v in enumerate(values))


def clear_caches() -> None:
    """Forget every file read and every parameter found (for tests)."""
    from dashboard.catalogue import reader

    reader.clear_cache()
    _file_params.cache_clear()
    _param.cache_clear()
