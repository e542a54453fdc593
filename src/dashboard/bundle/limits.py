"""The limits the bundle reader holds input to (data/catalogue/limits.yaml), read once.

File sizes (bytes), nesting depth (levels), YAML aliases and expanded nodes, GeoJSON features,
and the range of a value by its unit. Every number is a method setting with unit, range and
source in limits.yaml, read through :mod:`dashboard.catalogue`; see docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard.catalogue import param, section

FILE = "limits.yaml"
#: Settings under ``reading`` (all whole numbers).
READING_KEYS: tuple[str, ...] = (
    "yaml_max_bytes",
    "csv_max_bytes",
    "json_max_bytes",
    "parquet_max_bytes",
    "max_depth",
    "yaml_max_aliases",
    "yaml_max_nodes",
    "geojson_max_features",
    "max_decimals",
)


@dataclass(frozen=True)
class UnitRange:
    """The range of a value in one unit: below ``min`` or above ``max`` is refused; below
    ``note_below`` is accepted and noted. None means no bound."""

    min: float | None = None
    max: float | None = None
    note_below: float | None = None


@dataclass(frozen=True)
class Limits:
    """Every limit of limits.yaml (see that file for units and sources)."""

    reading: dict[str, int]
    units: dict[str, UnitRange]
    population_max: float

    def setting(self, key: str) -> int:
        """One ``reading`` limit (a whole number: bytes, levels, aliases, nodes or features)."""
        return self.reading[key]


def _optional(unit: str, bound: str, present: set[str]) -> float | None:
    return param(FILE, f"units.{unit}.{bound}").value if bound in present else None


@cache
def limits() -> Limits:
    """The limits of data/catalogue/limits.yaml, checked (a CatalogueError when it is broken)."""
    reading = {k: int(param(FILE, f"reading.{k}").value) for k in READING_KEYS}
    units = {}
    for unit, bounds in section(FILE, "units").items():
        present = set(bounds)
        units[str(unit)] = UnitRange(
            min=_optional(unit, "min", present),
            max=_optional(unit, "max", present),
            note_below=_optional(unit, "note_below", present),
        )
    return Limits(
        reading=reading,
        units=units,
        population_max=param(FILE, "population.persons_max").value,
    )


#: Sections of limits.yaml that hold input other than bundle files: the URL query string and
#: saved records (scenarios, decks, layers) and uploaded data layers (every setting a whole
#: number).
INPUT_SECTIONS: tuple[str, ...] = ("url", "saved", "deck", "upload", "serving")


@cache
def input_limit(section_name: str, key: str) -> int:
    """One limit on the URL (``url``), a saved record (``saved``, ``deck``) or an uploaded
    layer (``upload``), or what a server keeps (``serving``): characters, codes, entries,
    places, notes, bytes or rows (limits.yaml; a
    CatalogueError when it is missing or broken)."""
    if section_name not in INPUT_SECTIONS:
        raise KeyError(f"limits.yaml has no input section '{section_name}'")
    return int(param(FILE, f"{section_name}.{key}").value)
