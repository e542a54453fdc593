"""Read one catalogue YAML safely: C parser when available, no alias expansion bombs, no
duplicate keys, a mapping at the top, and a deeply frozen result cached per path.

See docs/architecture.md ("one catalogue").
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dashboard import CATALOGUE_DIR
from dashboard.catalogue.errors import CatalogueError
from dashboard.catalogue.yamlscan import YAML_LOADER, YamlLimits, scan_yaml, syntax_error

#: Largest catalogue file read (bytes): the real ones are well under 100 kB.
MAX_BYTES = 2_000_000
#: Most nodes a document may have once every alias is expanded (the real files have a few
#: thousand); a "billion laughs" document is refused before anything is expanded.
MAX_NODES = 200_000
#: Nesting levels and aliases: the real files nest 6 deep and use under 200 aliases.
LIMITS = YamlLimits(max_depth=32, max_aliases=5_000, max_nodes=MAX_NODES)


def catalogue_path(name: str | Path) -> Path:
    """``name`` inside data/catalogue/ (a bare file name), or ``name`` itself when it is a path."""
    p = Path(name)
    return p if p.parent != Path() else CATALOGUE_DIR / p


def freeze(obj: Any) -> Any:
    """A read-only copy: mappings become ``MappingProxyType``, lists become tuples."""
    if isinstance(obj, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in obj.items()})
    if isinstance(obj, list | tuple):
        return tuple(freeze(v) for v in obj)
    return obj


def thaw(obj: Any) -> Any:
    """A plain, mutable copy of a frozen value (dicts and lists), e.g. for writing YAML."""
    if isinstance(obj, Mapping):
        return {k: thaw(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [thaw(v) for v in obj]
    return obj


def parse_yaml(text: str, file: str) -> Any:
    """Parse ``text`` (the content of ``file``) safely; refuse bombs, deep nesting and duplicate
    keys before anything is built (:func:`dashboard.catalogue.yamlscan.scan_yaml`)."""
    scan_yaml(text, file, LIMITS)
    try:
        return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise syntax_error(file, exc) from None
    except RecursionError:
        raise CatalogueError(file, None, "is nested too deeply") from None


@cache
def _read(path: Path) -> Mapping[str, Any]:
    file = path.name
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CatalogueError(file, None, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise CatalogueError(file, None, f"is larger than {MAX_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogueError(file, None, "is not UTF-8 text") from None
    doc = parse_yaml(text, file)
    if not isinstance(doc, Mapping):
        raise CatalogueError(file, None, f"must be a mapping at the top, not {_kind(doc)}")
    return freeze(doc)


def read_catalogue_yaml(name: str | Path) -> Mapping[str, Any]:
    """The parsed, checked and frozen mapping of a catalogue file (cached per path).

    ``name`` is a file name in data/catalogue/ (``"demo.yaml"``) or a path. Raises
    :class:`CatalogueError` naming the file when it cannot be read, is not YAML, is a YAML
    alias bomb, repeats a key or is not a mapping.
    """
    return _read(_resolved(name))


@cache
def _resolved(name: str | Path) -> Path:
    return catalogue_path(name).resolve()


def clear_cache() -> None:
    """Forget every file read (for tests that rewrite a file in place)."""
    _read.cache_clear()
    _resolved.cache_clear()


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text" if isinstance(value, str) else type(value).__name__
