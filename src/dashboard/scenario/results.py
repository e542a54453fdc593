"""Typed results of a deterministic run: the :class:`Headline` figures and a :class:`Result`
whose tidy (long) frames are built on first use from the core's arrays.

Money is in £ at base-year prices (real terms); present values are discounted to year 0;
``year`` runs 0 .. H: year 0 is the base year (the last observed year), where the scenario
equals the baseline, and spending runs from year 1 (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.limits import limits
from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.core import Core, _one_hot
from dashboard.scenario.spec import PREVENTION_CHANGE, Scenario, parameter_bounds


def within_unit(values: pd.Series, units: pd.Series) -> pd.Series:
    """``values`` kept inside the range of their unit (limits.yaml ``units``: a percentage
    between 0 and 100); a unit without a range is left as it is."""
    lo, hi = unit_bounds(list(units))
    return values.clip(lower=lo, upper=hi)


def unit_bounds(units: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest value of each unit (limits.yaml ``units``), as arrays; -inf and
    inf for a unit without a range (or None): bounds for np.clip."""
    ranges = limits().units
    lo = [ranges[u].min if u in ranges and ranges[u].min is not None else -np.inf for u in units]
    hi = [ranges[u].max if u in ranges and ranges[u].max is not None else np.inf for u in units]
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


@dataclass(frozen=True)
class Headline:
    """Headline figures of a run (money in £, present values at base-year prices).
    ``investment_gbp`` is the money actually spent over the horizon, ``investment_asked_gbp``
    what the budgets asked for (more when a cohort cannot absorb its budget);
    ``payback_year`` counts years from the base year (whole years, NaN if never)."""

    npv_gbp: float
    bcr: float
    payback_year: float
    pv_costs_gbp: float
    pv_benefits_gbp: float
    pv_cashable_benefits_gbp: float
    npv_interventions_gbp: float
    npv_prevention_change_gbp: float
    investment_gbp: float
    people_reached: float
    successes: float
    investment_asked_gbp: float

    UNITS = {
        "npv_gbp": "£",
        "bcr": "ratio",
        "payback_year": "years from the base year",
        "pv_costs_gbp": "£",
        "pv_benefits_gbp": "£",
        "pv_cashable_benefits_gbp": "£",
        "npv_interventions_gbp": "£",
        "npv_prevention_change_gbp": "£",
        "investment_gbp": "£",
        "people_reached": "people",
        "successes": "people",
        "investment_asked_gbp": "£",
    }

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.UNITS}


def headline_of(core: Core, p: int = 0, d: int = 0) -> Headline:
    """The headline figures of place ``p`` and draw ``d`` of an evaluation."""
    m = core.money
    return Headline(
        npv_gbp=float(core.npv[p, d]),
        bcr=float(m.bcr[p, d]),
        payback_year=float(m.payback[p, d]),
        pv_costs_gbp=float(m.pv_cost[p, d]),
        pv_benefits_gbp=float(m.pv_benefit[p, d]),
        pv_cashable_benefits_gbp=float(m.pv_cash[p, d]),
        npv_interventions_gbp=float(m.npv_interventions[p, d]),
        npv_prevention_change_gbp=float(core.npv_prevention[p, d]),
        investment_gbp=float(m.cost_t[p, d].sum()),
        people_reached=float(core.chain.reached[p, d].sum()),
        successes=float(core.chain.new[p, d].sum()),
        investment_asked_gbp=float(core.chain.asked[p, 0].sum()),
    )


def _tidy(
    cube: np.ndarray, axes: Sequence[tuple[str, Sequence[Any]]], value: str = "value"
) -> pd.DataFrame:
    """Long frame from an array whose axes are named and labelled by ``axes``."""
    shape = cube.shape
    cols: dict[str, Any] = {}
    n = int(np.prod(shape))
    for k, (name, labels) in enumerate(axes):
        inner = int(np.prod(shape[k + 1 :]))
        outer = int(np.prod(shape[:k]))
        codes = np.tile(np.repeat(np.arange(shape[k]), inner), outer)
        if name in ("year",):
            cols[name] = codes
        else:
            cols[name] = pd.Categorical.from_codes(codes, categories=pd.Index(list(labels)))
    cols[value] = cube.reshape(n)
    return pd.DataFrame(cols, copy=False)


#: The measures of Result.by_agency (and of Result.agency_cube's first axis), in order.
AGENCY_MEASURES: tuple[str, ...] = ("cost_gbp", "benefit_cashable_gbp", "benefit_noncashable_gbp")

#: The measures of Result.cash_flow, in its order.
CASH_MEASURES: tuple[str, ...] = (
    "cost_gbp",
    "benefit_gbp",
    "net_gbp",
    "net_cashable_gbp",
    "cumulative_net_cashable_gbp",
    "cumulative_net_cashable_nominal_gbp",
    "discounted_net_gbp",
    "cumulative_discounted_net_gbp",
)


@dataclass(frozen=True, eq=False)
class Result:
    """A deterministic run for one place. Frames are built on first use.

    ``headline`` holds the figures of :class:`Headline`; ``by_year``, ``by_agency``,
    ``cash_flow``, ``outcomes``, ``outcome_totals`` and ``baseline`` are tidy (long) frames with
    ``year`` (0 = base year .. H) and ``calendar_year`` (base_year .. base_year + H) columns.
    """

    scenario: Scenario
    context: PlaceContext
    catalogue: Catalogue
    core: Core
    headline: Headline

    @property
    def years(self) -> np.ndarray:
        """The model years 0 .. H (0 is the base year)."""
        return np.arange(self.scenario.years)

    def _with_calendar(self, df: pd.DataFrame) -> pd.DataFrame:
        df["calendar_year"] = df["year"].astype(int) + self.context.base_year
        return df

    @cached_property
    def by_year(self) -> pd.DataFrame:
        """Per intervention and year: investment £ (spent), cohort (people eligible that
        year: a flow's new people, a stock's group not yet reached), people reached, new and
        active successes (people), benefits £ (all agencies), discounted net £."""
        c, m = self.core.chain, self.core.money
        df = m.df[0]
        net = (m.benefit_i[0, 0] - c.spend[0, 0]) * df
        cube = np.stack(
            [
                c.spend[0, 0],
                c.cohort[0, 0] * np.ones_like(c.spend[0, 0]),
                c.reached[0, 0],
                c.new[0, 0],
                c.active[0, 0],
                m.benefit_i[0, 0],
                net,
            ]
        )  # (M, I, T)
        measures = [
            "investment_gbp",
            "cohort_people",
            "reached_people",
            "new_successes_people",
            "active_successes_people",
            "benefit_gbp",
            "discounted_net_gbp",
        ]
        out = _tidy(
            cube,
            [
                ("measure", measures),
                ("intervention", self.catalogue.intervention_ids),
                ("year", self.years),
            ],
        )
        return self._with_calendar(out[["intervention", "year", "measure", "value"]])

    @cached_property
    def by_agency(self) -> pd.DataFrame:
        """Per intervention, agency and year: cost_gbp (paid by the funder),
        benefit_cashable_gbp and benefit_noncashable_gbp (£ a year avoided by each agency).
        A prevention cut appears as intervention ``prevention_change`` with a negative cost
        (the council's saving) and negative benefits (the reactive demand it causes)."""
        ids, cube = self.agency_cube
        cat = self.catalogue
        out = _tidy(
            cube,
            [
                ("measure", list(AGENCY_MEASURES)),
                ("intervention", ids),
                ("agency", cat.agencies),
                ("year", self.years),
            ],
        )
        return self._with_calendar(out[["intervention", "agency", "year", "measure", "value"]])

    @cached_property
    def agency_cube(self) -> tuple[tuple[str, ...], np.ndarray]:
        """What :attr:`by_agency` holds as one array (measure, intervention, agency, year),
        £ a year, with the interventions' ids (``prevention_change`` last when there is a
        cut) and the measures of :data:`AGENCY_MEASURES`: read it where sums are wanted."""
        m, dem = self.core.money, self.core.demand
        cat = self.catalogue
        spend = self.core.chain.spend[0, 0]  # (I, T)
        funder = _one_hot(cat.layout.funder, len(cat.agencies))  # (I, A)
        cost_ia = spend[:, None, :] * funder[:, :, None]
        cash = m.cash_ia[0, 0]
        noncash = m.benefit_ia[0, 0] - cash
        cube = np.stack([cost_ia, cash, noncash])  # (3, I, A, T)
        ids = list(cat.intervention_ids)
        if dem is not None and self.scenario.prevention_cut_per_year > 0:
            A, T = len(cat.agencies), self.scenario.years
            prev_cost = np.zeros((A, T))
            prev_cost[0] = -dem.saving_t[0, 0]
            prev = np.stack([prev_cost, -dem.reactive_a[0, 0], np.zeros((A, T))])[:, None]
            cube = np.concatenate([cube, prev], axis=1)
            ids.append(PREVENTION_CHANGE)
        cube.setflags(write=False)
        return tuple(ids), cube

    @cached_property
    def cash_cube(self) -> tuple[tuple[str, ...], np.ndarray]:
        """The measures of :attr:`cash_flow` and their values as one array (measure, agency,
        year), agencies in catalogue order: read it where a measure is wanted as an array."""
        m, dem = self.core.money, self.core.demand
        cat = self.catalogue
        cost = m.cost_a[0, 0].copy()  # (A, T)
        benefit = m.benefit_a[0, 0].copy()
        cash = m.cash_a[0, 0].copy()
        if dem is not None and self.scenario.prevention_cut_per_year > 0:
            cost[0] -= dem.saving_t[0, 0]
            benefit -= dem.reactive_a[0, 0]
            cash -= dem.reactive_a[0, 0]
        df = m.df[0]
        infl = cat.general_inflation.central
        if self.scenario.overrides:
            infl = parameter_bounds(cat, self.scenario.overrides)[1][cat.layout.inflation]
        nominal = (1.0 + infl) ** self.years
        net = benefit - cost
        net_cash = cash - cost
        cube = np.stack(
            [
                cost,
                benefit,
                net,
                net_cash,
                np.cumsum(net_cash, axis=-1),
                np.cumsum(net_cash * nominal, axis=-1),
                net * df,
                np.cumsum(net * df, axis=-1),
            ]
        )
        cube.setflags(write=False)
        return CASH_MEASURES, cube

    def cash_measure(self, measure: str) -> np.ndarray:
        """One measure of :attr:`cash_flow` as an (agency, year) array, £ (read-only)."""
        measures, cube = self.cash_cube
        return cube[measures.index(measure)]

    @cached_property
    def cash_flow(self) -> pd.DataFrame:
        """Per agency and year (all interventions and any prevention change): cost_gbp,
        benefit_gbp, net_gbp, net_cashable_gbp, cumulative_net_cashable_gbp (real),
        cumulative_net_cashable_nominal_gbp (at general inflation), discounted_net_gbp and
        cumulative_discounted_net_gbp. Who invests, who benefits."""
        measures, cube = self.cash_cube
        axes = [("measure", measures), ("agency", self.catalogue.agencies), ("year", self.years)]
        out = _tidy(cube.copy(), axes)
        return self._with_calendar(out[["agency", "year", "measure", "value"]])

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Change in each outcome indicator (in its own unit) by intervention and year."""
        cat = self.catalogue
        effects = [(iv.id, oe) for iv in cat.interventions for oe in iv.outcomes]
        eff = self.core.outcomes.per_effect[0, 0]  # (K, T)
        T = self.scenario.years
        K = len(effects)
        out = pd.DataFrame(
            {
                "indicator_id": np.repeat([oe.indicator_id for _, oe in effects], T),
                "intervention": np.repeat([i for i, _ in effects], T),
                "unit": np.repeat([oe.indicator_unit for _, oe in effects], T),
                "year": np.tile(self.years, K),
                "change": eff.reshape(-1),
            }
        )
        return self._with_calendar(out)

    @cached_property
    def outcome_units(self) -> dict[str, str]:
        """The unit of each outcome indicator the catalogue's interventions move."""
        return {
            oe.indicator_id: oe.indicator_unit
            for iv in self.catalogue.interventions
            for oe in iv.outcomes
        }

    @cached_property
    def outcome_totals(self) -> pd.DataFrame:
        """Per outcome indicator and year: baseline (the place's latest value, NaN if the
        bundle has none), change (all interventions) and projected value, in its unit; the
        projected value is kept inside the unit's range (limits.yaml: a percentage between 0
        and 100), so ``projected - baseline`` can be less than ``change`` near a bound."""
        cat = self.catalogue
        ch = self.core.outcomes.per_indicator[0, 0]  # (X, T)
        out = _tidy(ch, [("indicator_id", cat.outcome_indicators), ("year", self.years)], "change")
        base = out["indicator_id"].map(lambda i: self.context.outcomes.get(i, np.nan)).astype(float)
        out.insert(2, "baseline", base)
        unit = out["indicator_id"].astype(str).map(self.outcome_units)
        out["projected"] = within_unit(out["baseline"] + out["change"], unit)
        return self._with_calendar(out)

    @cached_property
    def baseline(self) -> pd.DataFrame:
        """Per service and year: demand_index (1 in year 0), spend_gbp, prevention_spend_gbp,
        prevention_cut_gbp and reactive_cost_gbp (all agencies) under the scenario's cut."""
        d = self.core.demand
        if d is None:
            raise ValueError("the baseline needs a detailed run (engine.run)")
        cube = np.stack(
            [
                d.demand_s[0, 0],
                d.spend_s[0, 0],
                d.prevention_s[0, 0],
                d.cut_s[0, 0],
                d.reactive_s[0, 0],
            ]
        )
        measures = [
            "demand_index",
            "spend_gbp",
            "prevention_spend_gbp",
            "prevention_cut_gbp",
            "reactive_cost_gbp",
        ]
        out = _tidy(
            cube,
            [("measure", measures), ("service", self.catalogue.service_ids), ("year", self.years)],
        )
        return self._with_calendar(out[["service", "year", "measure", "value"]])

    @cached_property
    def headline_frame(self) -> pd.DataFrame:
        """The headline as rows of measure, value, unit."""
        d = self.headline.as_dict()
        return pd.DataFrame(
            {"measure": list(d), "value": list(d.values()), "unit": list(Headline.UNITS.values())}
        )
