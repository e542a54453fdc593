"""The scenario a user describes, and the one place it is validated.

:class:`Scenario` is what to model for one place; :func:`validate_scenario` refuses a value
outside its allowed range (a :class:`ScenarioError` names the field or parameter path);
:func:`parameter_bounds` applies overrides to the catalogue's low / central / high vectors.
Ranges and defaults live in data/catalogue/scenario.yaml (docs/architecture.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.errors import ScenarioError

BUDGET_BASES: tuple[str, ...] = ("gbp", "gbp_per_head")
BOUND_SUFFIXES: tuple[str, ...] = ("low", "central", "high")
#: Label of the pseudo-intervention that carries a change to prevention spend (salami slicing).
PREVENTION_CHANGE = "prevention_change"


# --- the scenario ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """What to model for one place.

    The model's years are ``0 .. horizon_years``: year 0 is the base year (the last observed
    year, ``PlaceContext.base_year``), where the scenario equals the baseline; spending runs
    from year 1. ``budgets``: investment per intervention id, in £ per year
    (``budget_basis="gbp"``) or £ per head of the base-year population per year
    (``"gbp_per_head"``), spent in years ``1 .. n`` where n is the intervention's
    ``years_of_investment`` (years), else ``invest_years``, else the whole horizon (never
    beyond it). ``prevention_cut_per_year``: share of prevention spend cut each year from
    year 1, compounding.
    ``overrides``: parameter path -> value; a bare path sets the central value (low and high
    move in proportion), ``path.low`` / ``path.high`` set a bound.
    """

    place_code: str
    horizon_years: int = 10
    budgets: Mapping[str, float] = field(default_factory=dict)
    budget_basis: str = "gbp"
    invest_years: int | None = None
    prevention_cut_per_year: float = 0.0
    overrides: Mapping[str, float] = field(default_factory=dict)
    preset: str | None = None
    years_of_investment: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_preset(
        cls,
        preset: str,
        place_code: str,
        catalogue: Catalogue,
        *,
        horizon_years: int | None = None,
    ) -> Scenario:
        """The scenario a preset of scenario.yaml describes (budgets in £ per head per year)."""
        p = catalogue.presets.get(preset)
        if p is None:
            raise ScenarioError(
                f"unknown preset '{preset}' (known: {', '.join(catalogue.presets)})",
                parameter="preset",
            )
        limit = catalogue.limits["horizon_years"]
        return cls(
            place_code=place_code,
            horizon_years=int(horizon_years or limit.default or limit.max),
            budgets=dict(p.budgets_gbp_per_head),
            budget_basis="gbp_per_head",
            prevention_cut_per_year=p.prevention_cut_per_year,
            preset=preset,
        )

    def __hash__(self) -> int:
        return hash(
            (
                self.place_code,
                self.horizon_years,
                tuple(sorted(self.budgets.items())),
                self.budget_basis,
                self.invest_years,
                self.prevention_cut_per_year,
                tuple(sorted(self.overrides.items())),
                self.preset,
                tuple(sorted(self.years_of_investment.items())),
            )
        )

    def with_budgets(self, budgets: Mapping[str, float]) -> Scenario:
        """The same scenario with other budgets (same basis)."""
        return replace(self, budgets=dict(budgets))

    @property
    def years(self) -> int:
        """Number of model years: the base year (0) and the horizon's years (1 .. H)."""
        return int(self.horizon_years) + 1

    def spending_years(self, intervention_id: str) -> int:
        """Years of spending on ``intervention_id`` from year 1 (years): its
        ``years_of_investment``, else ``invest_years``, else the horizon; never beyond it."""
        n = self.years_of_investment.get(intervention_id, self.invest_years)
        h = int(self.horizon_years)
        return h if n is None else max(0, min(int(n), h))


def _check_range(value: Any, lo: float, hi: float, parameter: str, unit: str = "") -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"must be a number, got {value!r}", parameter=parameter) from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ScenarioError(
            f"{value!r} is outside the allowed range [{lo:g}, {hi:g}]{' ' + unit if unit else ''}",
            parameter=parameter,
        )
    return v


def validate_scenario(scenario: Scenario, catalogue: Catalogue) -> Scenario:
    """Refuse a scenario with a value outside its allowed range (ScenarioError names it)."""
    if not isinstance(scenario.place_code, str) or not scenario.place_code:
        raise ScenarioError("a place code is needed", parameter="place_code")
    lim = catalogue.limits
    h = _check_range(
        scenario.horizon_years,
        lim["horizon_years"].min,
        lim["horizon_years"].max,
        "horizon_years",
        "years",
    )
    if h != int(h):
        raise ScenarioError("must be a whole number of years", parameter="horizon_years")
    if scenario.invest_years is not None:
        _check_range(
            scenario.invest_years,
            lim["invest_years"].min,
            lim["invest_years"].max,
            "invest_years",
            "years",
        )
    iy = lim["invest_years"]
    for iid, v in scenario.years_of_investment.items():
        if iid not in catalogue.intervention_ids:
            raise ScenarioError(
                f"unknown intervention '{iid}'", parameter=f"years_of_investment.{iid}"
            )
        n = _check_range(v, iy.min, iy.max, f"years_of_investment.{iid}", "years")
        if n != int(n):
            raise ScenarioError(
                "must be a whole number of years", parameter=f"years_of_investment.{iid}"
            )
    if scenario.budget_basis not in BUDGET_BASES:
        raise ScenarioError(
            f"'{scenario.budget_basis}' is not one of {', '.join(BUDGET_BASES)}",
            parameter="budget_basis",
        )
    blim = lim["budget_gbp" if scenario.budget_basis == "gbp" else "budget_gbp_per_head"]
    known = set(catalogue.intervention_ids)
    for iid, v in scenario.budgets.items():
        if iid not in known:
            raise ScenarioError(f"unknown intervention '{iid}'", parameter=f"budgets.{iid}")
        _check_range(v, blim.min, blim.max, f"budgets.{iid}", blim.unit)
    c = lim["prevention_cut_per_year"]
    _check_range(scenario.prevention_cut_per_year, c.min, c.max, "prevention_cut_per_year", c.unit)
    if scenario.preset is not None and scenario.preset not in catalogue.presets:
        raise ScenarioError(f"unknown preset '{scenario.preset}'", parameter="preset")
    parameter_bounds(catalogue, scenario.overrides)
    return scenario


def _split_override(path: str) -> tuple[str, str]:
    head, _, tail = path.rpartition(".")
    if tail in BOUND_SUFFIXES and head:
        return head, tail
    return path, "central"


def parameter_bounds(
    catalogue: Catalogue, overrides: Mapping[str, float] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``low, central, high`` vectors of every parameter after applying ``overrides``.

    A new central value scales low and high in proportion (shifts them when the old central
    is 0), clipped to the allowed range; explicit ``.low`` / ``.high`` overrides come after.
    """
    low, central, high, pmin, pmax = catalogue.vectors()
    if not overrides:
        return low, central, high
    low, central, high = low.copy(), central.copy(), high.copy()
    bounds: list[tuple[int, str, float, str]] = []
    for path, value in overrides.items():
        base, which = _split_override(str(path))
        p = catalogue.param(base)
        v = _check_range(value, p.min, p.max, str(path), p.unit)
        if which == "central":
            k = p.index
            old = central[k]
            if old != 0:
                low[k], high[k] = low[k] * v / old, high[k] * v / old
            else:
                low[k], high[k] = low[k] + v, high[k] + v
            if low[k] > high[k]:
                low[k], high[k] = high[k], low[k]
            central[k] = v
            low[k] = min(max(low[k], pmin[k]), v)
            high[k] = max(min(high[k], pmax[k]), v)
        else:
            bounds.append((p.index, which, v, str(path)))
    for k, which, v, path in bounds:
        (low if which == "low" else high)[k] = v
        if not low[k] <= central[k] <= high[k]:
            raise ScenarioError(
                f"needs low <= central <= high, got {low[k]:g} <= {central[k]:g} <= {high[k]:g}",
                parameter=path,
            )
    return low, central, high


def check_catalogue(catalogue: Catalogue) -> None:
    """The core assumes the council is the first agency."""
    if catalogue.agencies[0] != "council":
        raise ScenarioError("the first agency must be 'council'", parameter="agencies")


def central_theta(catalogue: Catalogue, overrides: Mapping[str, float] | None) -> np.ndarray:
    """One row of central parameter values (after overrides): shape (1, N)."""
    return parameter_bounds(catalogue, overrides)[1][None, :]
