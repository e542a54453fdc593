"""One type for every number of the catalogue, and the checks that build it.

A :class:`Param` is a central value with an optional uncertainty range (``low`` and ``high``; a
point value has ``low == central == high``), its unit, the allowed range ``[min, max]``, an
optional evidence grade, the source (title and optional link), the date or price year it
refers to, and a note. In YAML it is a mapping, one of

- ``{value, unit, range: [min, max], source}`` (a method setting),
- ``{low, central, high, unit, range, grade, source}`` (an uncertain assumption),

with optional ``label``, ``link``, ``as_of`` and ``note``; ``source`` may also be a mapping
``{title, link}``. See docs/architecture.md ("one catalogue").
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.catalogue.errors import CatalogueError

#: Keys that hold a parameter's central value, in the order they are looked for.
VALUE_KEYS: tuple[str, ...] = ("central", "value", "weight")
#: Keys a method setting must have.
SETTING_FIELDS: tuple[str, ...] = ("value", "unit", "range", "source")


@dataclass(frozen=True)
class Param:
    """One number of a catalogue file: ``min <= low <= central <= high <= max``, in ``unit``.

    ``file`` and ``key`` say where it is written (``vfm.yaml``, ``settings.top_quartile``).
    """

    file: str
    key: str
    central: float
    unit: str
    min: float
    max: float
    source: str
    low: float | None = None
    high: float | None = None
    grade: str | None = None
    link: str | None = None
    as_of: str | None = None
    note: str | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        if self.low is None:
            object.__setattr__(self, "low", self.central)
        if self.high is None:
            object.__setattr__(self, "high", self.central)

    @property
    def value(self) -> float:
        """The central value (a method setting's value)."""
        return self.central

    @property
    def is_illustrative(self) -> bool:
        """True when the source says the number is illustrative (no evidence known)."""
        return self.source.startswith("illustrative")


def fail(file: str, key: str | None, reason: str) -> CatalogueError:
    """The error to raise for ``file`` at ``key``."""
    return CatalogueError(file, key, reason)


def join(key: str, part: object) -> str:
    """``key.part`` (just ``part`` at the top of a file)."""
    return f"{key}.{part}" if key else str(part)


def number(value: Any, file: str, key: str) -> float:
    """``value`` as a finite float, or a :class:`CatalogueError` at ``key``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(file, key, f"must be a number, got {_show(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise fail(file, key, "must be a finite number")
    return out


def mapping(value: Any, file: str, key: str, what: str = "a mapping") -> Mapping[str, Any]:
    """``value`` if it is a mapping, else a :class:`CatalogueError` naming ``what``."""
    if not isinstance(value, Mapping):
        raise fail(file, key, f"must be {what}, got {_show(value)}")
    return value


def sequence(value: Any, file: str, key: str, *, non_empty: bool = False) -> Sequence[Any]:
    """``value`` if it is a list, else a :class:`CatalogueError`."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise fail(file, key, f"must be a list, got {_show(value)}")
    if non_empty and not value:
        raise fail(file, key, "must be a non-empty list")
    return value


def require(raw: Mapping[str, Any], name: str, file: str, key: str) -> Any:
    """``raw[name]``, or a :class:`CatalogueError` "missing key" at ``key.name``."""
    if name not in raw or raw[name] is None or raw[name] == "":
        raise fail(file, join(key, name), f"missing key '{name}'")
    return raw[name]


def text(raw: Mapping[str, Any], name: str, file: str, key: str) -> str:
    """A required non-empty text ``raw[name]``."""
    value = require(raw, name, file, key)
    if not isinstance(value, str) or not value.strip():
        raise fail(file, join(key, name), f"must be text, got {_show(value)}")
    return value.strip()


def one_of(value: Any, allowed: Sequence[str], what: str, file: str, key: str) -> str:
    """``value`` if it is one of ``allowed``, else a :class:`CatalogueError` listing them."""
    if value not in allowed:
        raise fail(file, key, f"{what} '{value}' is not one of {', '.join(allowed)}")
    return str(value)


def bounds(raw: Any, file: str, key: str) -> tuple[float, float]:
    """An allowed range ``[min, max]`` with ``min <= max``."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or len(raw) != 2:
        raise fail(file, key, f"must be [min, max], got {_show(raw)}")
    lo, hi = (number(v, file, join(key, i)) for i, v in enumerate(raw))
    if lo > hi:
        raise fail(file, key, f"range [{lo:g}, {hi:g}] is empty")
    return lo, hi


def _source(raw: Mapping[str, Any], file: str, key: str) -> tuple[str, str | None]:
    src = require(raw, "source", file, key)
    if isinstance(src, Mapping):
        title = text(src, "title", file, join(key, "source"))
        link = src.get("link")
    else:
        if not isinstance(src, str) or not src.strip():
            raise fail(file, join(key, "source"), f"must be text, got {_show(src)}")
        title, link = src.strip(), raw.get("link")
    if link is not None and not isinstance(link, str):
        raise fail(file, join(key, "link"), f"must be text, got {_show(link)}")
    return title, link


def _optional_text(raw: Mapping[str, Any], name: str, file: str, key: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise fail(file, join(key, name), f"must be text, got {_show(value)}")
    return str(value)


def value_key(raw: Mapping[str, Any]) -> str | None:
    """Which of :data:`VALUE_KEYS` holds the central value of ``raw`` (None if none does)."""
    return next((k for k in VALUE_KEYS if k in raw), None)


def parse_param(
    raw: Any,
    file: str,
    key: str,
    *,
    fields: Sequence[str] = SETTING_FIELDS,
    central_key: str | None = None,
    units: Sequence[str] | None = None,
    grades: Sequence[str] | None = None,
    label: str | None = None,
) -> Param:
    """Check one parameter mapping and build its :class:`Param`.

    ``fields`` must all be present (in that order the first missing one is named);
    ``central_key`` is the key of the central value (found among :data:`VALUE_KEYS` when None);
    ``units`` and ``grades``, when given, are the allowed vocabularies.
    """
    raw = mapping(raw, file, key, f"a mapping {{{', '.join(fields)}}}")
    for name in fields:
        require(raw, name, file, key)
    ck = central_key or value_key(raw)
    if ck is None:
        raise fail(file, join(key, "value"), "missing key 'value'")
    central = number(require(raw, ck, file, key), file, join(key, ck))
    low = number(raw["low"], file, join(key, "low")) if raw.get("low") is not None else None
    high = number(raw["high"], file, join(key, "high")) if raw.get("high") is not None else None
    lo, hi = bounds(require(raw, "range", file, key), file, join(key, "range"))
    lo_v = central if low is None else low
    hi_v = central if high is None else high
    if not lo <= lo_v <= central <= hi_v <= hi:
        if low is None and high is None:
            reason = f"{central:g} is outside its range [{lo:g}, {hi:g}]"
            raise fail(file, join(key, ck), reason)
        raise fail(
            file,
            key,
            f"needs min <= low <= central <= high <= max, got {lo:g} <= {lo_v:g} <= "
            f"{central:g} <= {hi_v:g} <= {hi:g}",
        )
    unit = text(raw, "unit", file, key)
    if units is not None:
        one_of(unit, units, "unit", file, join(key, "unit"))
    grade = raw.get("grade")
    if grade is not None or "grade" in fields:
        grade = str(require(raw, "grade", file, key))
        if grades is not None:
            one_of(grade, grades, "evidence grade", file, join(key, "grade"))
    source, link = _source(raw, file, key)
    name = raw.get("label", label)
    return Param(
        file=file,
        key=key,
        central=central,
        unit=unit,
        min=lo,
        max=hi,
        source=source,
        low=low,
        high=high,
        grade=grade,
        link=link,
        as_of=_optional_text(raw, "as_of", file, key),
        note=_optional_text(raw, "note", file, key),
        label=str(name) if name is not None else None,
    )


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)
