"""Checks of the scenario catalogue shared by :mod:`dashboard.scenario.catalogue_build`: each
refusal is a :class:`~dashboard.scenario.catalogue_types.CatalogueScenarioError` naming the file,
the key path and the reason, with the model's parameter path as ``parameter``. The generic
checks of a number are :mod:`dashboard.catalogue`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.bundle.schema import AGE_BANDS
from dashboard.catalogue import CatalogueError, join, number, parse_param
from dashboard.scenario.catalogue_types import (
    PARAM_FIELDS,
    PARAM_UNITS,
    CatalogueScenarioError,
    Limit,
    Param,
)


def refusal(message: str, *, parameter: str, file: str, key: str | None = None) -> Exception:
    """The refusal of ``parameter`` (written at ``key``, the parameter path by default)."""
    return CatalogueScenarioError(file, key or parameter, message, parameter=parameter)


def wrapped(exc: CatalogueError, parameter: str) -> Exception:
    return CatalogueScenarioError(exc.file, exc.key, exc.reason, parameter=parameter)


class ParamCollector:
    """Collects parameters into one vector while parsing."""

    def __init__(self, grades: tuple[str, ...]) -> None:
        self.grades = grades
        self.params: list[Param] = []
        self.seen: set[str] = set()

    def param(self, raw: Any, path: str, file: str, key: str | None = None) -> Param:
        """The parameter ``path`` (written at ``key`` in ``file``, ``path`` by default)."""
        try:
            p = parse_param(
                raw,
                file,
                key or path,
                fields=PARAM_FIELDS,
                central_key="central",
                units=PARAM_UNITS,
                grades=self.grades,
            )
        except CatalogueError as exc:
            raise wrapped(exc, path) from None
        if path in self.seen:
            raise refusal("duplicate parameter", parameter=path, file=file)
        self.seen.add(path)
        out = Param(**p.__dict__, path=path, index=len(self.params))
        self.params.append(out)
        return out


def number_at(value: Any, path: str, file: str, key: str) -> float:
    try:
        return number(value, file, join(path, key))
    except CatalogueError as exc:
        raise wrapped(exc, path) from None


def setting(raw: Mapping[str, Any], name: str, file: str) -> tuple[Param, ...]:
    """A method setting ``{value, unit, range, source}`` of monte_carlo (one Param per item
    when the value is a list)."""
    key = f"monte_carlo.{name}"
    item = require_key(raw, name, "monte_carlo", file)
    try:
        values = item.get("value") if isinstance(item, Mapping) else None
        if isinstance(values, Sequence) and not isinstance(values, str):
            if not values:
                raise CatalogueError(file, join(key, "value"), "must be a non-empty list")
            return tuple(
                parse_param({**item, "value": v}, file, join(key, i)) for i, v in enumerate(values)
            )
        return (parse_param(item, file, key),)
    except CatalogueError as exc:
        raise wrapped(exc, key) from None


def limit(raw: Any, path: str, file: str) -> Limit:
    """An allowed range ``{min, max, unit, source}`` of a scenario field, with its default."""
    lo = number_at(require_key(raw, "min", path, file), path, file, "min")
    hi = number_at(require_key(raw, "max", path, file), path, file, "max")
    require_key(raw, "unit", path, file)
    require_key(raw, "source", path, file)
    default = number_at(raw["default"], path, file, "default") if "default" in raw else None
    if not lo <= (lo if default is None else default) <= hi:
        raise refusal(
            f"needs min <= default <= max, got {lo:g}, {default}, {hi:g}", parameter=path, file=file
        )
    return Limit(min=lo, max=hi, unit=str(raw["unit"]), default=default)


def age_bands(raw: Any, path: str, file: str) -> tuple[str, ...]:
    if isinstance(raw, str) or not isinstance(raw, Sequence) or not raw:
        raise refusal("age_bands must be a non-empty list", parameter=path, file=file)
    out = tuple(str(b) for b in raw)
    for b in out:
        check_one_of(b, AGE_BANDS, "age band", path, file)
    return out


def check_one_of(value: Any, allowed: Sequence[str], what: str, parameter: str, file: str) -> None:
    """Refuse ``value`` unless it is one of ``allowed``, naming the parameter and the file."""
    if value not in allowed:
        raise refusal(
            f"{what} '{value}' is not one of {', '.join(allowed)}", parameter=parameter, file=file
        )


def require_key(raw: Any, key: str, path: str, file: str) -> Any:
    if not isinstance(raw, Mapping):
        raise refusal("must be a mapping", parameter=path, file=file)
    if key not in raw or raw[key] in (None, ""):
        raise refusal(f"missing key '{key}'", parameter=path, file=file, key=join(path, key))
    return raw[key]
