"""Check a YAML text against limits before anything is built: the one YAML guard of the app.

The catalogue reader and the bundle reader both call :func:`scan_yaml`. It reads parser
events (no recursion), so it is safe on any input: libyaml's composer recurses in C and would
crash the process on a document nested tens of thousands deep, and building a "billion laughs"
document through its aliases would exhaust memory. See docs/architecture.md ("The catalogue").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from dashboard.catalogue.errors import CatalogueError

#: libyaml's C parser when PyYAML was built with it (about ten times faster), else pure Python.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlLimits:
    """Most nesting levels, aliases and nodes (counted with aliases expanded) a document may have."""

    max_depth: int
    max_aliases: int
    max_nodes: int


class YamlLimitError(CatalogueError):
    """A YAML text refused by the scan: ``line`` (1-based, or None), ``key`` (dotted key path),
    ``reason`` and ``limit`` (which limit it broke: "depth", "aliases", "nodes", "duplicate",
    "recursive" or "syntax")."""

    def __init__(
        self,
        file: str,
        key: str | None,
        reason: str,
        *,
        line: int | None,
        limit: str,
        problem: str | None = None,
    ) -> None:
        super().__init__(file, key, reason)
        self.line = line
        self.limit = limit
        self.problem = problem  # the parser's own words, for a syntax error


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def syntax_error(file: str, exc: yaml.YAMLError) -> YamlLimitError:
    """A parser error as a refusal naming the line."""
    problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
    line = _line(getattr(exc, "problem_mark", None))
    where = f" at line {line}" if line else ""
    return YamlLimitError(
        file,
        None,
        f"is not valid YAML ({problem}{where})",
        line=line,
        limit="syntax",
        problem=problem,
    )


def scan_yaml(text: str, file: str, limits: YamlLimits) -> None:
    """Refuse YAML nested deeper than the limit, with too many aliases, expanding (through its
    aliases) to too many nodes, with an alias inside its own anchor, or with a key twice in one
    mapping; raises :class:`YamlLimitError` naming the line and the key path."""
    # a frame per open collection: [is_mapping, anchor, start count, keys seen, next is key, key]
    stack: list[list[Any]] = []
    anchors: dict[str, int] = {}
    nodes = 0
    aliases = 0
    line: int | None = None

    def path(frames: list[list[Any]] | None = None) -> str | None:
        parts = [str(f[5]) for f in (stack if frames is None else frames) if f[5] is not None]
        return ".".join(parts) or None

    def refuse(reason: str, limit: str, key: str | None = None) -> YamlLimitError:
        return YamlLimitError(file, key or path(), reason, line=line, limit=limit)

    def child(scalar: Any = None, is_scalar: bool = False) -> None:
        if not stack:
            return
        frame = stack[-1]
        if frame[0]:  # mapping: keys and values alternate
            if frame[4]:
                if is_scalar and scalar in frame[3]:
                    key = ".".join(filter(None, [path(stack[:-1]), str(scalar)]))
                    raise refuse(
                        f"duplicate key: '{scalar}' appears twice in one mapping", "duplicate", key
                    )
                if is_scalar:
                    frame[3].add(scalar)
                frame[5] = scalar if is_scalar else "?"
            frame[4] = not frame[4]
        else:
            frame[5] = 0 if frame[5] is None else frame[5] + 1

    try:
        for event in yaml.parse(text, Loader=YAML_LOADER):
            line = _line(getattr(event, "start_mark", None))
            if isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor:
                    anchors[event.anchor] = 1
                child(event.value, True)
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                child()
                if any(frame[1] == event.anchor for frame in stack):
                    raise refuse("a YAML alias refers to itself", "recursive")
                if aliases > limits.max_aliases:
                    raise refuse(
                        f"has more than {limits.max_aliases} YAML aliases (*{event.anchor})",
                        "aliases",
                    )
                nodes += anchors.get(event.anchor, 1)
                if nodes > limits.max_nodes:
                    raise refuse(
                        f"expands through its aliases to more than {limits.max_nodes} nodes "
                        "(a YAML alias bomb?)",
                        "nodes",
                    )
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                nodes += 1
                child()
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append([is_mapping, event.anchor, nodes, set(), True, None])
                if len(stack) > limits.max_depth:
                    raise refuse(f"is nested more than {limits.max_depth} levels deep", "depth")
                if nodes > limits.max_nodes:
                    raise refuse(f"has more than {limits.max_nodes} nodes", "nodes")
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                frame = stack.pop()
                if frame[1]:
                    anchors[frame[1]] = nodes - frame[2] + 1
    except yaml.YAMLError as exc:
        raise syntax_error(file, exc) from None
