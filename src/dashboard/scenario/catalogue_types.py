"""Types of the scenario catalogue (interventions.yaml and scenario.yaml): frozen objects whose
every number is a :class:`Param` with a position in one flat parameter vector, so a Monte Carlo
draw is one row of a ``draws x parameters`` array. :class:`Layout` holds the index arrays the
vectorised model uses. Built by :mod:`dashboard.scenario.catalogue_build`; import everything
from :mod:`dashboard.scenario.catalogue`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dashboard import catalogue
from dashboard.catalogue import CatalogueError
from dashboard.scenario.errors import ScenarioError

#: Units a parameter may carry (vocabulary of the file format, not assumptions).
PARAM_UNITS: tuple[str, ...] = (
    "gbp_per_person",
    "gbp_per_success_per_year",
    "gbp_per_head",
    "gbp_per_gbp",
    "share",
    "share_per_year",
    "years",
    "people_per_success",
    "weight",
    "gbp_per_event",
    "events_per_success_per_year",
)
PARAM_FIELDS: tuple[str, ...] = ("low", "central", "high", "unit", "range", "grade", "source")
#: Indicator units an outcome effect can map onto, and the multiplier from a proportion.
INDICATOR_UNIT_SCALE: dict[str, float] = {
    "percent": 100.0,
    "rate_per_1000": 1_000.0,
    "rate_per_10k": 10_000.0,
    "rate_per_100k": 100_000.0,
}
OUTCOME_BASES: tuple[str, ...] = ("active", "new")
#: How a unit cost is computed from the rows of the NHS National Cost Collection schedule.
UNIT_COST_STATISTICS: tuple[str, ...] = ("activity_weighted_mean",)
UNIT_COST_SPREADS: tuple[str, ...] = ("activity_weighted_percentile",)
#: How an intervention's eligible people come (vocabulary of the file format): a ``flow`` of new
#: people each year (share a year of the age bands' population) or a ``stock``, a group that
#: shrinks as people are reached, each reached once (share of the age bands' population).
COHORT_KINDS: tuple[str, ...] = ("flow", "stock")
#: The unit of a cohort's share for each kind.
COHORT_SHARE_UNITS: dict[str, str] = {"flow": "share_per_year", "stock": "share"}
ILLUSTRATIVE = "illustrative — replace with local evidence"


class CatalogueScenarioError(CatalogueError, ScenarioError):
    """A refused scenario catalogue: a :class:`~dashboard.catalogue.CatalogueError` (file, key
    path, reason) that is also a :class:`ScenarioError` whose ``parameter`` is the model's
    parameter path."""

    def __init__(self, file: str, key: str | None, reason: str, parameter: str | None = None):
        super().__init__(file, key, reason)
        self.parameter = parameter if parameter is not None else key
        self.detail = reason


@dataclass(frozen=True)
class Param(catalogue.Param):
    """One uncertain number of the scenario catalogue: a :class:`dashboard.catalogue.Param`
    (``low <= central <= high`` inside ``[min, max]``, in ``unit``, with ``grade`` and
    ``source``) with its model ``path`` (e.g. ``interventions.reablement.engagement``) and its
    ``index`` in the flat parameter vector."""

    path: str = ""
    index: int = -1


@dataclass(frozen=True)
class UnitCost:
    """A cited NHS unit cost (£ per event at ``price_year`` prices): ``param`` is its central
    value (the activity-weighted mean unit cost of the schedule rows named by
    ``department_code`` and ``currency_codes``, ``("all",)`` for every row of the department)
    with low and high the activity-weighted ``spread_percentiles`` of the same rows."""

    id: str
    label: str
    param: Param
    department_code: str
    currency_codes: tuple[str, ...]
    statistic: str
    spread_percentiles: tuple[float, float]
    price_year: str

    @property
    def all_codes(self) -> bool:
        return self.currency_codes == ("all",)

    @property
    def codes_text(self) -> str:
        """The currency codes in words ("all currency codes" or "VB01Z, VB02Z, ...")."""
        return "all currency codes" if self.all_codes else ", ".join(self.currency_codes)


@dataclass(frozen=True)
class AvoidedEvent:
    """NHS events (of ``unit_cost``) avoided per active success per year."""

    unit_cost: str
    per_success: Param


@dataclass(frozen=True)
class AvoidedCost:
    """Cost avoided per active success per year (£), falling on ``agency``: either ``value``
    (£ per success a year) or ``events`` (counts of NHS events, each at its unit cost, uplifted
    to the base year's prices); exactly one of the two is given."""

    id: str
    agency: str
    label: str
    value: Param | None
    cashable: Param
    events: tuple[AvoidedEvent, ...] = ()

    def value_per_success(
        self,
        central: np.ndarray,
        unit_costs: Mapping[str, UnitCost],
        price_uplift: float = 1.0,
    ) -> float:
        """£ per active success a year at ``central`` (a parameter vector): ``value``, or the
        sum over events of count x unit cost x ``price_uplift``."""
        if self.value is not None:
            return float(central[self.value.index])
        return float(
            sum(
                central[e.per_success.index] * central[unit_costs[e.unit_cost].param.index]
                for e in self.events
            )
            * price_uplift
        )


@dataclass(frozen=True)
class OutcomeEffect:
    """People (or events) per success, over a denominator population, in the indicator's unit."""

    indicator_id: str
    indicator_unit: str
    polarity: str
    basis: str
    per_success: Param
    denominator_bands: tuple[str, ...]
    denominator_share: Param

    @property
    def unit_scale(self) -> float:
        return INDICATOR_UNIT_SCALE[self.indicator_unit]


@dataclass(frozen=True)
class Intervention:
    """An intervention of the catalogue and the parameters of its benefit chain."""

    id: str
    label: str
    service: str
    evidence_grade: str
    description: str
    references: tuple[str, ...]
    funder: str
    cohort_bands: tuple[str, ...]
    cohort_share: Param
    cost_per_participant: Param
    engagement: Param
    success_rate: Param
    deadweight: Param
    attribution: Param
    lag_years: Param
    dropoff: Param
    avoided_costs: tuple[AvoidedCost, ...]
    outcomes: tuple[OutcomeEffect, ...]
    #: ``flow`` (new people each year) or ``stock`` (a group reached once), with the reason.
    cohort_kind: str = "flow"
    cohort_reason: str = ""


@dataclass(frozen=True)
class ServiceAssumptions:
    """Baseline drivers of one service's spend and the reactive cost of cutting prevention."""

    id: str
    spend_indicator: str
    fallback_spend_per_head: Param
    prevention_share: Param
    real_unit_cost_growth: Param
    demand_weights: tuple[Param, ...]  # one per AGE_BANDS entry
    conversion: Param
    reactive_lag_years: Param
    other_agency: str
    other_share: Param


@dataclass(frozen=True)
class Preset:
    """A named starting scenario: budgets in £ per head per year and a yearly prevention cut."""

    id: str
    label: str
    description: str
    budgets_gbp_per_head: Mapping[str, float]
    prevention_cut_per_year: float


@dataclass(frozen=True)
class Limit:
    """Allowed range of a scenario field."""

    min: float
    max: float
    unit: str
    default: float | None = None


@dataclass(frozen=True)
class MonteCarloSettings:
    distribution: str
    pert_shape: float
    percentiles: tuple[float, ...]
    default_draws: int


@dataclass(frozen=True, eq=False)
class Layout:
    """Index arrays from the flat parameter vector into the model's arrays (read-only)."""

    i_cost: np.ndarray  # (I,)
    i_engagement: np.ndarray
    i_success: np.ndarray
    i_deadweight: np.ndarray
    i_attribution: np.ndarray
    i_lag: np.ndarray
    i_dropoff: np.ndarray
    i_cohort_share: np.ndarray
    i_optimism: np.ndarray  # (I,) optimism-bias parameter for each intervention's grade
    cohort_mask: np.ndarray  # (I, B) 1 where a band is in the cohort
    i_stock: np.ndarray  # (I,) True where the cohort is a stock (reached once)
    funder: np.ndarray  # (I,) agency index
    j_value: np.ndarray  # (J,) avoided-cost items (0 where the item is priced by events)
    j_fixed: np.ndarray  # (J,) 1.0 where the item has a value, 0.0 where it is events
    j_cashable: np.ndarray
    j_intervention: np.ndarray
    j_agency: np.ndarray
    e_count: np.ndarray  # (E,) avoided NHS events: count per success, unit cost, item j
    e_unit_cost: np.ndarray
    e_item: np.ndarray
    k_per_success: np.ndarray  # (K,) outcome effects
    k_share: np.ndarray
    k_intervention: np.ndarray
    k_indicator: np.ndarray  # index into Catalogue.outcome_indicators
    k_scale: np.ndarray
    k_new: np.ndarray  # True where basis == "new"
    k_mask: np.ndarray  # (K, B)
    d_from_year: np.ndarray  # (R,) discount schedule
    d_rate: np.ndarray
    a_growth: np.ndarray  # (A,)
    s_fallback: np.ndarray  # (S,)
    s_prevention: np.ndarray
    s_growth: np.ndarray
    s_weights: np.ndarray  # (S, B)
    s_conversion: np.ndarray
    s_lag: np.ndarray
    s_other_share: np.ndarray
    s_other_agency: np.ndarray  # (S,) agency index
    b_growth: np.ndarray  # (B,) fallback population growth
    b_share: np.ndarray  # (B,) fallback age structure
    inflation: int


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Interventions and global assumptions, with every number as a :class:`Param`."""

    interventions: tuple[Intervention, ...]
    agencies: tuple[str, ...]
    agency_labels: Mapping[str, str]
    grades: tuple[str, ...]
    discount_schedule: tuple[tuple[int, Param], ...]
    general_inflation: Param
    agency_growth: Mapping[str, Param]
    optimism_bias: Mapping[str, Param]
    population_growth: Mapping[str, Param]
    age_shares: Mapping[str, Param]
    services: tuple[ServiceAssumptions, ...]
    limits: Mapping[str, Limit]
    monte_carlo: MonteCarloSettings
    presets: Mapping[str, Preset]
    sanity: Mapping[str, Any]
    unit_costs: Mapping[str, UnitCost]
    params: tuple[Param, ...]
    outcome_indicators: tuple[str, ...]
    layout: Layout = field(repr=False)

    # --- look-ups ---------------------------------------------------------------------------
    @property
    def intervention_ids(self) -> tuple[str, ...]:
        return tuple(iv.id for iv in self.interventions)

    @property
    def unit_cost_price_year(self) -> str | None:
        """The price year of the NHS unit costs (one for all, e.g. "2024/25"); None without."""
        return next((u.price_year for u in self.unit_costs.values()), None)

    @property
    def service_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def intervention(self, intervention_id: str) -> Intervention:
        for iv in self.interventions:
            if iv.id == intervention_id:
                return iv
        raise ScenarioError(
            f"unknown intervention '{intervention_id}'", parameter=f"budgets.{intervention_id}"
        )

    def param(self, path: str) -> Param:
        p = self._by_path().get(path)
        if p is None:
            raise ScenarioError("unknown parameter", parameter=path)
        return p

    def _by_path(self) -> dict[str, Param]:
        cached = self.__dict__.get("_by_path_cache")
        if cached is None:
            cached = {p.path: p for p in self.params}
            object.__setattr__(self, "_by_path_cache", cached)
        return cached

    def vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``low, central, high, min, max`` of every parameter, in vector order."""
        cached = self.__dict__.get("_vectors_cache")
        if cached is None:
            arr = np.array([(p.low, p.central, p.high, p.min, p.max) for p in self.params])
            cached = tuple(np.ascontiguousarray(arr[:, c]) for c in range(5))
            for a in cached:
                a.setflags(write=False)
            object.__setattr__(self, "_vectors_cache", cached)
        return cached  # type: ignore[return-value]
