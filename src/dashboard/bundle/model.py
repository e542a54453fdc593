"""The in-memory bundle: the one object every page reads."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from dashboard.bundle.denominators import persons, years_with
from dashboard.bundle.schema import ENGLAND_CODE, KIND_LEVELS, PROJECTION_COLUMNS


class UnknownPlaceError(KeyError):
    """A place code that is not in the bundle's places table."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown place code '{self.code}': not in this bundle's places.csv"


T = TypeVar("T")

#: The columns of a value that carries a note (Bundle.value_notes).
NOTE_COLUMNS = ("place_code", "indicator_id", "period", "value", "note")


@dataclass(frozen=True)
class Bundle:
    """A validated data bundle.

    ``indicators`` is one row per indicator with the catalogue fields flattened (``levels`` is a
    tuple; the source becomes ``source_publisher``, ``source_title``, ``source_url``,
    ``source_licence``). ``values`` has ``place_code, indicator_id, period, value, lower_ci,
    upper_ci, status, note`` (``note``: why a value is missing, or ""). Rows for England
    (``ENGLAND_CODE``, kind ``country``) hold England's published values: England is never in
    ``places_at`` (see :meth:`england_value`). ``geo`` maps ``upper.geojson``,
    ``lower.geojson``, ``upper.hexjson`` and ``lower.hexjson`` to their parsed JSON.
    ``deflators`` (optional) is the price index by period behind real terms, described by
    ``meta["deflator"]``.
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
    #: deflators.csv (``period``, ``index``) when the bundle has a valid price index.
    deflators: pd.DataFrame | None = None
    #: Why real terms are not available although the bundle tried to offer them ("" if none).
    deflator_problem: str = ""
    #: neighbours.csv (official comparator sets): set_id, level, place_code, neighbour_code, rank
    neighbours: pd.DataFrame | None = None
    #: population_projection.parquet (optional): place_code, age_band, year, persons, source;
    #: projected persons for the age bands a projection covers (see :meth:`projection_for`).
    projection: pd.DataFrame | None = None

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

    # --- places (indexed once per bundle; callers get shallow copies, safe under pandas'
    # copy-on-write) -------------------------------------------------------------------------
    @cached_property
    def _places_by_level(self) -> dict[str, pd.DataFrame]:
        out = {}
        for level in ("upper", "lower"):
            mask = self.places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS.get(k, ()))
            out[level] = self.places[mask].sort_values("name").reset_index(drop=True)
        return out

    @cached_property
    def _place_records(self) -> dict[str, dict[str, Any]]:
        return {str(r["code"]): r for r in self.places.to_dict("records")}

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(zip(self.places["code"], self.places["name"].astype(str), strict=True))

    def places_at(self, level: str) -> pd.DataFrame:
        """Places compared at ``level`` ("upper" or "lower"), sorted by name."""
        return self._places_by_level[level].copy(deep=False)

    def place_codes(self, level: str) -> list[str]:
        return self._places_by_level[level]["code"].tolist()

    def place_name(self, code: str) -> str:
        return self._names.get(code, code)

    def place(self, code: str) -> dict[str, Any]:
        """One place's row of places.csv as a dict (a copy): code, name, kind, region_code,
        region_name and the rest. Raises UnknownPlaceError (a KeyError) naming the code."""
        try:
            return dict(self._place_records[code])
        except KeyError:
            raise UnknownPlaceError(code) from None

    # --- England's own values ------------------------------------------------------------------
    @cached_property
    def _england(self) -> dict[tuple[str, str], float]:
        v = self.values[(self.values["place_code"] == ENGLAND_CODE) & self.values["value"].notna()]
        return {
            (str(i), str(p)): float(x)
            for i, p, x in zip(v["indicator_id"], v["period"], v["value"], strict=True)
        }

    @property
    def has_england(self) -> bool:
        """Whether the bundle carries any published England value."""
        return bool(self._england)

    def england_value(self, indicator_id: str, period: str) -> float | None:
        """England's published value of ``indicator_id`` in ``period`` (the indicator's unit),
        or None where the source publishes none (then say "median of councils")."""
        return self._england.get((str(indicator_id), str(period)))

    # --- indicators -------------------------------------------------------------------------
    @cached_property
    def _value_notes(self) -> dict[str, pd.DataFrame]:
        """Per place code, its values that carry a note (the bundle has a ``note`` column)."""
        v = self.values
        noted = v.loc[v["note"].fillna("") != "", list(NOTE_COLUMNS)]
        return {str(code): grp for code, grp in noted.groupby("place_code", sort=False)}

    def value_notes(self, place: str) -> pd.DataFrame | None:
        """The values of ``place`` with a note (place_code, indicator_id, period, value, note;
        None when the bundle has no ``note`` column); found once per bundle."""
        if "note" not in self.values.columns:
            return None
        return self._value_notes.get(str(place), self.values.iloc[:0][list(NOTE_COLUMNS)])

    @cached_property
    def _derived(self) -> dict[Hashable, Any]:
        return {}

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value worked out from the bundle's tables (``build()``), once per bundle: ``key``
        names it. The value is shared: do not change it."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    @cached_property
    def _value_rows(self) -> dict[str, np.ndarray]:
        """Per place code, the positions of its rows in ``values`` (in order), found once."""
        codes = self.values["place_code"].astype(str).to_numpy()
        order = np.argsort(codes, kind="stable")
        cut = np.flatnonzero(codes[order][1:] != codes[order][:-1]) + 1
        return {str(codes[part[0]]): part for part in np.split(order, cut) if len(part)}

    @cached_property
    def _value_indicators(self) -> tuple[np.ndarray, dict[str, int]]:
        """Each row's indicator as a number, and indicator id -> that number (found once)."""
        codes, ids = pd.factorize(self.values["indicator_id"].astype(str))
        return codes, {str(i): k for k, i in enumerate(ids)}

    def values_of(
        self, codes: Iterable[str], indicator_ids: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """The rows of ``values`` for the places ``codes`` (and only ``indicator_ids``, when
        given), in the file's order (a copy): found by position, not by scanning every row."""
        parts = [
            self._value_rows[c] for c in dict.fromkeys(map(str, codes)) if c in self._value_rows
        ]
        pos = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.intp)
        if indicator_ids is not None:
            row_ind, number = self._value_indicators
            wanted = [number[i] for i in dict.fromkeys(map(str, indicator_ids)) if i in number]
            pos = pos[np.isin(row_ind[pos], wanted)]
        return self.values.iloc[pos]

    @cached_property
    def _latest_values(self) -> dict[str, dict[str, float]]:
        """Per place code, each indicator's value in its latest period with a value: the
        period starting in the latest year (its first row where several do), found once."""
        v = self.values.loc[
            self.values["value"].notna(), ["place_code", "indicator_id", "period", "value"]
        ]
        start = v["period"].astype(str).str.extract(r"^\s*(\d{4})", expand=False).astype(float)
        v = v.assign(_later=-start.fillna(-1.0)).sort_values("_later", kind="stable")
        v = v.drop_duplicates(["place_code", "indicator_id"], keep="first")
        out: dict[str, dict[str, float]] = {}
        for code, ind, value in zip(
            v["place_code"].astype(str), v["indicator_id"].astype(str), v["value"], strict=True
        ):
            out.setdefault(code, {})[ind] = float(value)
        return out

    def latest_values(self, place: str) -> dict[str, float]:
        """Indicator id -> the value of ``place`` in the latest period that has one (the
        indicator's unit; indicators without any value are left out). Do not change it."""
        return self._latest_values.get(str(place), {})

    @cached_property
    def indicator_ids_with_values(self) -> frozenset[str]:
        """Ids of the indicators with at least one value that is not missing (any place)."""
        return frozenset().union(*self.indicators_with_values.values())

    @cached_property
    def _indicator_records(self) -> dict[str, dict[str, Any]]:
        return {str(r["id"]): r for r in self.indicators.to_dict("records")}

    def indicators_at(self, level: str) -> pd.DataFrame:
        mask = self.indicators["levels"].map(lambda lv: level in lv)
        return self.indicators[mask].reset_index(drop=True)

    def indicator(self, indicator_id: str) -> dict[str, Any]:
        """The catalogue entry of ``indicator_id`` (a copy); KeyError when unknown."""
        try:
            return dict(self._indicator_records[indicator_id])
        except KeyError:
            raise KeyError(f"unknown indicator '{indicator_id}'") from None

    @cached_property
    def indicator_periods(self) -> dict[str, list[str]]:
        """Periods with at least one row, per indicator (sorted as text), computed once."""
        pairs = self.values[["indicator_id", "period"]].drop_duplicates()
        return {
            str(ind): sorted(grp["period"].astype(str).tolist())
            for ind, grp in pairs.groupby("indicator_id", sort=False)
        }

    @cached_property
    def indicators_with_values(self) -> dict[str, frozenset[str]]:
        """Per place code, the indicators with at least one non-missing value in any period
        (computed once per bundle)."""
        v = self.values
        pairs = v.loc[v["value"].notna(), ["place_code", "indicator_id"]].drop_duplicates()
        return {
            str(code): frozenset(grp["indicator_id"].astype(str).tolist())
            for code, grp in pairs.groupby("place_code", sort=False)
        }

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._indicator_records

    # --- population (population.parquet) ------------------------------------------------------
    @property
    def population_years(self) -> list[int]:
        """Years of population.parquet (mid-year estimates and any projections), oldest first
        (found once per bundle)."""
        return list(self.derived("population.years", lambda: years_with(self.population)))

    def population_total(self, year: int) -> pd.Series:
        """Residents of all ages per place (index ``place_code``, persons) in mid-``year``: the
        sum of the year's age bands, or its all-ages row; empty when the year is absent (summed
        once per bundle and year)."""
        got = self.derived(("population.total", int(year)), lambda: persons(self.population, year))
        return got.copy(deep=False)

    @cached_property
    def _projection_by_place(self) -> dict[str, pd.DataFrame]:
        if self.projection is None or self.projection.empty:
            return {}
        return {str(c): g for c, g in self.projection.groupby("place_code", sort=False)}

    def projection_for(self, code: str) -> pd.DataFrame:
        """One place's rows of population_projection.parquet (persons by ``age_band`` and
        ``year``, with the projection's ``source``); empty when the bundle has none for it."""
        got = self._projection_by_place.get(code)
        if got is None:
            return pd.DataFrame(columns=list(PROJECTION_COLUMNS))
        return got.copy(deep=False)

    # --- official comparator sets (bundle.yaml neighbour_sets, neighbours.csv) ---------------
    @property
    def neighbour_sets(self) -> list[dict[str, Any]]:
        """The official comparator sets the bundle carries ([] when none), in bundle.yaml order:
        id, label, publisher, published, url, licence, levels, size, note (and method,
        method_url when given)."""
        return [dict(s) for s in self.meta.get("neighbour_sets") or []]

    def neighbour_sets_at(self, level: str) -> list[dict[str, Any]]:
        """The sets that cover ``level``."""
        return [s for s in self.neighbour_sets if level in s.get("levels", ())]

    def neighbour_set(self, set_id: str) -> dict[str, Any] | None:
        """One set's description (None when the bundle has no set ``set_id``)."""
        return next((s for s in self.neighbour_sets if s.get("id") == set_id), None)

    @cached_property
    def _official(self) -> dict[tuple[str, str, str], list[str]]:
        if self.neighbours is None or self.neighbours.empty:
            return {}
        df = self.neighbours.sort_values("rank", kind="stable")
        return {
            (str(s), str(lv), str(p)): g["neighbour_code"].astype(str).tolist()
            for (s, lv, p), g in df.groupby(["set_id", "level", "place_code"], sort=False)
        }

    def official_neighbours(self, set_id: str, level: str, code: str) -> list[str]:
        """Codes of ``code``'s neighbours in set ``set_id`` at ``level``, nearest first ([] when
        the set does not list the place)."""
        return list(self._official.get((set_id, level, code), []))

    def official_places(self, set_id: str, level: str) -> list[str]:
        """Codes of the places that set ``set_id`` lists at ``level``."""
        return [p for (s, lv, p) in self._official if s == set_id and lv == level]
