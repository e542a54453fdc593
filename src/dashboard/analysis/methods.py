"""Method settings from data/catalogue/methods.yaml, loaded into frozen objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dashboard import CATALOGUE_DIR


@dataclass(frozen=True)
class Setting:
    value: float
    unit: str
    low: float
    high: float
    source: str


@dataclass(frozen=True)
class BenchmarkSettings:
    mad_threshold: Setting
    mad_scale: Setting
    confidence_level: Setting
    min_group_size: Setting


def _setting(name: str, raw: dict[str, Any]) -> Setting:
    for key in ("value", "unit", "range", "source"):
        if key not in raw:
            raise ValueError(f"methods.yaml: setting '{name}' lacks '{key}'")
    low, high = (float(x) for x in raw["range"])
    value = float(raw["value"])
    if not low <= value <= high:
        raise ValueError(f"methods.yaml: setting '{name}' = {value} is outside [{low}, {high}]")
    return Setting(
        value=value, unit=str(raw["unit"]), low=low, high=high, source=str(raw["source"])
    )


@cache
def load_methods(path: Path | None = None) -> dict[str, Any]:
    return yaml.safe_load((path or CATALOGUE_DIR / "methods.yaml").read_text(encoding="utf-8"))


def benchmark_settings() -> BenchmarkSettings:
    raw = load_methods()["benchmark"]
    return BenchmarkSettings(**{k: _setting(k, raw[k]) for k in BenchmarkSettings.__annotations__})


def home_cards(level: str) -> list[list[str]]:
    """Indicator ids for each headline-card slot on Home (first available wins)."""
    return [list(slot) for slot in load_methods()["home"]["cards"][level]]
