"""Method settings from data/catalogue/methods.yaml, read through :mod:`dashboard.catalogue`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from dashboard.catalogue import Param, join, lookup, param, read_catalogue_yaml, sequence

FILE = "methods.yaml"

#: A method setting: the catalogue's one parameter type (``.value``, ``.unit``, ``.min``,
#: ``.max``, ``.source``).
Setting = Param


@dataclass(frozen=True)
class BenchmarkSettings:
    """How a place is judged against its group (units in methods.yaml)."""

    mad_threshold: Param
    mad_scale: Param
    confidence_level: Param
    min_group_size: Param


def load_methods() -> Mapping[str, Any]:
    """The checked, frozen mapping of methods.yaml."""
    return read_catalogue_yaml(FILE)


def benchmark_settings() -> BenchmarkSettings:
    """The validated benchmark settings of methods.yaml."""
    return BenchmarkSettings(
        **{f.name: param(FILE, f"benchmark.{f.name}") for f in fields(BenchmarkSettings)}
    )


def home_cards(level: str) -> list[list[str]]:
    """Indicator ids for each headline-card slot on Home (first available wins)."""
    key = f"home.cards.{level}"
    slots = sequence(lookup(FILE, key), FILE, key)
    return [[str(i) for i in sequence(s, FILE, join(key, k))] for k, s in enumerate(slots)]
