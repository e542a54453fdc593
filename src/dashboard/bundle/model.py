"""The in-memory bundle: the one object every page reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.bundle.schema import KIND_LEVELS


@dataclass(frozen=True)
class Bundle:
    """A validated data bundle.

    ``indicators`` is one row per indicator with the catalogue fields flattened (``levels`` is a
    tuple; the source becomes ``source_publisher``, ``source_title``, ``source_url``,
    ``source_licence``). ``values`` has ``place_code, indicator_id, period, value, lower_ci,
    upper_ci, status``. ``geo`` maps ``upper.geojson``, ``lower.geojson``, ``upper.hexjson`` and
    ``lower.hexjson`` to their parsed JSON.
    """

    meta: dict[str, Any]
    places: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    geo: dict[str, dict[str, Any]]
    population: pd.DataFrame | None = None
    coverage: pd.DataFrame | None = None
    path: Path | None = None
    warnings: tuple[str, ...] = field(default=())

    # --- metadata ---------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.meta.get("title", "Untitled bundle"))

    @property
    def is_demo(self) -> bool:
        return bool(self.meta.get("is_demo", False))

    @property
    def periods(self) -> list[str]:
        """Periods offered in the period picker (financial years for spend), oldest first."""
        return [str(p) for p in self.meta.get("periods", [])]

    @property
    def attribution(self) -> str:
        return str(self.meta.get("attribution", ""))

    def default_place(self, level: str) -> str:
        """The place shown first at a level (bundle.yaml ``default_place``, else the first)."""
        code = (self.meta.get("default_place") or {}).get(level)
        codes = self.place_codes(level)
        if code in codes:
            return str(code)
        return codes[0]

    # --- places -----------------------------------------------------------------------------
    def places_at(self, level: str) -> pd.DataFrame:
        """Places compared at ``level`` ("upper" or "lower"), sorted by name."""
        mask = self.places["kind"].map(lambda k: level in KIND_LEVELS.get(k, ()))
        return self.places[mask].sort_values("name").reset_index(drop=True)

    def place_codes(self, level: str) -> list[str]:
        return self.places_at(level)["code"].tolist()

    def place_name(self, code: str) -> str:
        hit = self.places.loc[self.places["code"] == code, "name"]
        return str(hit.iloc[0]) if len(hit) else code

    # --- indicators -------------------------------------------------------------------------
    def indicators_at(self, level: str) -> pd.DataFrame:
        mask = self.indicators["levels"].map(lambda lv: level in lv)
        return self.indicators[mask].reset_index(drop=True)

    def indicator(self, indicator_id: str) -> dict[str, Any]:
        hit = self.indicators[self.indicators["id"] == indicator_id]
        if hit.empty:
            raise KeyError(f"unknown indicator '{indicator_id}'")
        return hit.iloc[0].to_dict()

    @cached_property
    def indicator_periods(self) -> dict[str, list[str]]:
        """Periods with at least one row, per indicator (sorted as text), computed once."""
        pairs = self.values[["indicator_id", "period"]].drop_duplicates()
        return {
            str(ind): sorted(grp["period"].astype(str).tolist())
            for ind, grp in pairs.groupby("indicator_id", sort=False)
        }

    def has_indicator(self, indicator_id: str) -> bool:
        return bool((self.indicators["id"] == indicator_id).any())
