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

from dashboard.catalogue.errors import CatalogueError

#: The catalogue folder (data/catalogue at the repository root).
CATALOGUE_DIR: Path = Path(__file__).resolve().parents[3] / "data" / "catalogue"
#: Largest catalogue file read (bytes): the real ones are well under 100 kB.
MAX_BYTES = 2_000_000
#: Most nodes a document may have once every alias is expanded (the real files have a few
#: thousand); a "billion laughs" document is refused before anything is expanded.
MAX_NODES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def catalogue_path(name: str | Path) -> Path:
    """``name`` inside data/catalogue/ (a bare file name), or ``name`` itself when it is a path."""
    p = Path(name)
    return p if p.parent != Path() else CATALOGUE_DIR / p


def _expanded_size(root: yaml.Node, file: str) -> int:
    """Nodes of the document with aliases expanded, counted without expanding them (each
    distinct node is visited once); refuses recursive aliases and duplicate mapping keys."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, where: str) -> int:
        nid = id(node)
        if nid in sizes:
            return sizes[nid]
        if nid in open_nodes:
            raise CatalogueError(file, where or None, "a YAML alias refers to itself")
        open_nodes.add(nid)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                total += size(child, f"{where}.{i}" if where else str(i))
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                if isinstance(k, yaml.ScalarNode) and name != "<<":
                    if name in seen:
                        raise CatalogueError(
                            file, f"{where}.{name}" if where else name, "duplicate key"
                        )
                    seen.add(name)
                total += size(k, where) + size(v, f"{where}.{name}" if where else name)
                if total > MAX_NODES:
                    break
        open_nodes.discard(nid)
        if total > MAX_NODES:
            raise CatalogueError(
                file, where or None, f"expands to more than {MAX_NODES} nodes (YAML alias bomb?)"
            )
        sizes[nid] = total
        return total

    return size(root, "")


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
    """Parse ``text`` (the content of ``file``) safely; refuse bombs and duplicate keys."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, file)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise CatalogueError(file, None, f"is not valid YAML ({exc})".replace("\n", " ")) from None
    except RecursionError:
        raise CatalogueError(file, None, "is nested too deeply") from None
    finally:
        loader.dispose()


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
