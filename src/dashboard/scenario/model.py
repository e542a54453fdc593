"""The benefit chain, the baseline and the money, vectorised over places and parameter draws.

:func:`evaluate` is the one numerical core: every array has leading axes ``(places, draws)``
and trailing axes such as ``(interventions, years)``; a deterministic run is one draw of the
central values, a Monte Carlo run many draws, an optimiser's budget grid many "places" that
share one context. :func:`run` wraps it for one place and returns a :class:`Result` with tidy
frames.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.catalogue import Catalogue, Layout
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.finance import benefit_cost_ratio, discount_factors, payback_year

BUDGET_BASES: tuple[str, ...] = ("gbp", "gbp_per_head")
BOUND_SUFFIXES: tuple[str, ...] = ("low", "central", "high")
#: Label of the pseudo-intervention that carries a change to prevention spend (salami slicing).
PREVENTION_CHANGE = "prevention_change"


# --- the scenario ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """What to model for one place.

    ``budgets``: investment per intervention id, in £ per year (``budget_basis="gbp"``) or £
    per head of the base-year population per year (``"gbp_per_head"``), spent in years
    ``0 .. invest_years-1`` (all years of the horizon when ``invest_years`` is None).
    ``prevention_cut_per_year``: share of prevention spend cut each year, compounding.
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
            )
        )

    def with_budgets(self, budgets: Mapping[str, float]) -> Scenario:
        """The same scenario with other budgets (same basis)."""
        return replace(self, budgets=dict(budgets))

    @property
    def years(self) -> int:
        return int(self.horizon_years)


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


# --- place arrays ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PlaceArrays:
    """Contexts stacked for the core: ``pop`` (P, B, T) known people (the last known year
    repeated), ``extra`` (P, T) years of fallback growth to apply, ``spend_per_head`` (P, S) £
    per head (NaN = use the fallback), ``total`` (P,) people in year 0."""

    codes: tuple[str, ...]
    pop: np.ndarray
    extra: np.ndarray
    spend_per_head: np.ndarray
    total: np.ndarray


def stack_contexts(
    contexts: Sequence[PlaceContext], catalogue: Catalogue, years: int
) -> PlaceArrays:
    """Stack place contexts into the arrays the core reads, for ``years`` years."""
    P, B = len(contexts), len(AGE_BANDS)
    pop = np.empty((P, B, years))
    extra = np.zeros((P, years))
    spend = np.full((P, len(catalogue.services)), np.nan)
    t = np.arange(years)
    for p, ctx in enumerate(contexts):
        known = ctx.population
        n = min(known.shape[1], years)
        pop[p, :, :n] = known[:, :n]
        pop[p, :, n:] = known[:, n - 1 : n]
        extra[p] = np.maximum(t - (known.shape[1] - 1), 0)
        for s, svc in enumerate(catalogue.services):
            v = ctx.spend_per_head.get(svc.id)
            if v is not None and math.isfinite(v):
                spend[p, s] = v
    total = pop[:, :, 0].sum(axis=1)
    return PlaceArrays(tuple(c.place_code for c in contexts), pop, extra, spend, total)


def budget_array(
    scenario: Scenario, catalogue: Catalogue, places: PlaceArrays, years: int
) -> np.ndarray:
    """Investment (£ per year) by place, intervention and year: shape (P, I, T)."""
    ids = catalogue.intervention_ids
    per = np.array([float(scenario.budgets.get(i, 0.0)) for i in ids])
    scale = places.total if scenario.budget_basis == "gbp_per_head" else np.ones(len(places.codes))
    invest = years if scenario.invest_years is None else min(int(scenario.invest_years), years)
    active = (np.arange(years) < invest).astype(float)
    return scale[:, None, None] * per[None, :, None] * active[None, None, :]


# --- the core -------------------------------------------------------------------------------
def _one_hot(index: np.ndarray, n: int) -> np.ndarray:
    m = np.zeros((len(index), n))
    m[np.arange(len(index)), index] = 1.0
    return m


def _growth(rates: np.ndarray, years: int) -> np.ndarray:
    """(1 + rate) ** t for t = 0 .. years-1; rates (..., X) -> (..., X, T)."""
    return np.exp(np.log1p(rates)[..., None] * np.arange(years))


def evaluate(
    lay: Layout,
    theta: np.ndarray,
    places: PlaceArrays,
    budgets: np.ndarray,
    prevention_cut: float,
    years: int,
    *,
    detail: bool = False,
    n_agencies: int,
    n_indicators: int,
) -> dict[str, np.ndarray]:
    """Run the model for every place and draw.

    ``theta`` (D, N) parameter values; ``budgets`` (P, I, T) £ per year. Returns arrays with
    leading axes (P, D): money in £ (real, base-year prices), people in persons, outcome
    changes in each indicator's unit. With ``detail`` it also returns per intervention and
    agency arrays (memory grows with P x D x I x A x T: use for a few places and draws).
    """
    T = years
    t = np.arange(T)
    D = theta.shape[0]
    I = budgets.shape[1]  # noqa: E741
    A = n_agencies

    # population: (P, D|1, B, T)
    if places.extra.any():
        lg = np.log1p(theta[:, lay.b_growth])  # (D, B)
        pop = places.pop[:, None] * np.exp(lg[None, :, :, None] * places.extra[:, None, None, :])
    else:
        pop = places.pop[:, None]

    # the benefit chain
    cohort = (lay.cohort_mask @ pop) * theta[:, lay.i_cohort_share][None, :, :, None]
    cost = theta[:, lay.i_cost][None, :, :, None]  # (1, D, I, 1)
    reached = np.minimum(budgets[:, None] / cost, cohort)  # (P, D, I, T)
    spend = reached * cost
    yld = (
        theta[:, lay.i_engagement]
        * theta[:, lay.i_success]
        * (1.0 - theta[:, lay.i_deadweight])
        * theta[:, lay.i_attribution]
        * (1.0 - theta[:, lay.i_optimism])
    )  # (D, I)
    new = reached * yld[None, :, :, None]
    lag = theta[:, lay.i_lag][..., None]  # (D, I, 1)
    keep = 1.0 - theta[:, lay.i_dropoff][..., None]
    ramp = np.clip(t + 1.0 - lag, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        kern = ramp * np.where(t >= lag, keep ** np.maximum(t - lag, 0.0), 1.0)  # (D, I, T)
    active = new * kern[None, :, :, :1]
    for a in range(1, T):
        active[..., a:] += new[..., : T - a] * kern[None, :, :, a : a + 1]

    # avoided costs: value per active success per year by intervention and agency (D, I, A)
    onehot_ia = _one_hot(lay.j_intervention * A + lay.j_agency, I * A)  # (J, I*A)
    val = theta[:, lay.j_value]
    value_ia = (val @ onehot_ia).reshape(D, I, A)
    cash_ia = ((val * theta[:, lay.j_cashable]) @ onehot_ia).reshape(D, I, A)
    gf_a = _growth(theta[:, lay.a_growth], T)  # (D, A, T)
    value_it = np.einsum("dia,dat->dit", value_ia, gf_a)  # £ per active success
    benefit_i = active * value_it[None]  # (P, D, I, T)
    df = discount_factors(T, lay.d_from_year, theta[:, lay.d_rate])  # (D, T)

    funder = _one_hot(lay.funder, A)  # (I, A)
    act_t = np.swapaxes(active, -1, -2)  # (P, D, T, I)
    benefit_a = np.swapaxes(act_t @ value_ia[None], -1, -2) * gf_a[None]  # (P, D, A, T)
    cash_a = np.swapaxes(act_t @ cash_ia[None], -1, -2) * gf_a[None]
    cost_a = np.swapaxes(np.swapaxes(spend, -1, -2) @ funder, -1, -2)  # (P, D, A, T)

    cost_t = spend.sum(axis=2)  # (P, D, T)
    benefit_t = benefit_i.sum(axis=2)
    pv_cost_i = (spend * df[None, :, None, :]).sum(-1)  # (P, D, I)
    pv_benefit_i = (benefit_i * df[None, :, None, :]).sum(-1)
    pv_cost = pv_cost_i.sum(-1)
    pv_benefit = pv_benefit_i.sum(-1)
    pv_cash = (cash_a.sum(axis=2) * df[None]).sum(-1)

    out: dict[str, np.ndarray] = {
        "df": df,
        "cohort": cohort,
        "reached": reached,
        "spend": spend,
        "new": new,
        "active": active,
        "benefit_i": benefit_i,
        "cost_a": cost_a,
        "benefit_a": benefit_a,
        "cash_a": cash_a,
        "cost_t": cost_t,
        "benefit_t": benefit_t,
        "pv_cost_i": pv_cost_i,
        "pv_benefit_i": pv_benefit_i,
        "npv_i": pv_benefit_i - pv_cost_i,
        "pv_cost": pv_cost,
        "pv_benefit": pv_benefit,
        "pv_cash": pv_cash,
        "npv_interventions": pv_benefit - pv_cost,
        "bcr": benefit_cost_ratio(pv_benefit, pv_cost),
        "payback": payback_year(benefit_t, cost_t, df[None]),
    }

    # outcomes: (P, D, K, T) per effect and (P, D, X, T) per indicator
    if len(lay.k_intervention):
        basis = np.where(
            lay.k_new[:, None], new[:, :, lay.k_intervention], active[:, :, lay.k_intervention]
        )
        denom = (lay.k_mask @ pop) * theta[:, lay.k_share][None, :, :, None]
        coef = (theta[:, lay.k_per_success] * lay.k_scale)[None, :, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            effect = np.where(denom > 0, basis * coef / np.where(denom > 0, denom, 1.0), 0.0)
        out["outcome_k"] = effect
        out["outcome_x"] = np.swapaxes(
            np.swapaxes(effect, -1, -2) @ _one_hot(lay.k_indicator, n_indicators), -1, -2
        )
    else:
        P = budgets.shape[0]
        out["outcome_k"] = np.zeros((P, D, 0, T))
        out["outcome_x"] = np.zeros((P, D, n_indicators, T))

    # baseline by service, and the cost of cutting prevention
    if detail or prevention_cut > 0:
        w = theta[:, lay.s_weights]  # (D, S, B)
        wsum = w.sum(axis=-1, keepdims=True)
        w = np.where(wsum > 0, w / np.where(wsum > 0, wsum, 1.0), 1.0 / w.shape[-1])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(pop[..., :1] > 0, pop / pop[..., :1], 1.0)  # (P, D|1, B, T)
        demand = w[None] @ ratio  # (P, D, S, T)
        sph = np.where(
            np.isnan(places.spend_per_head)[:, None, :],
            theta[:, lay.s_fallback][None],
            places.spend_per_head[:, None, :],
        )  # (P, D, S)
        gf_s = _growth(theta[:, lay.s_growth], T)  # (D, S, T)
        spend_s = (sph * places.total[:, None, None])[..., None] * demand * gf_s[None]
        prevention_s = spend_s * theta[:, lay.s_prevention][None, :, :, None]
        cut_s = prevention_s * (1.0 - (1.0 - prevention_cut) ** t)
        lag_s = theta[:, lay.s_lag][..., None]  # (D, S, 1)
        wlag = np.maximum(0.0, 1.0 - np.abs(t - lag_s))  # (D, S, T) weight of a lag of t years
        reactive_s = cut_s * wlag[None, :, :, :1]
        for a in range(1, T):
            reactive_s[..., a:] += cut_s[..., : T - a] * wlag[None, :, :, a : a + 1]
        reactive_s = reactive_s * theta[:, lay.s_conversion][None, :, :, None]
        other = theta[:, lay.s_other_share][None, :, :, None]
        S = len(lay.s_other_agency)
        to_other = _one_hot(lay.s_other_agency, A)  # (S, A)
        to_council = np.zeros((S, A))
        to_council[:, 0] = 1.0  # agency 0 is the council (checked in run)
        reactive_a = np.swapaxes(
            np.swapaxes(reactive_s * other, -1, -2) @ to_other
            + np.swapaxes(reactive_s * (1.0 - other), -1, -2) @ to_council,
            -1,
            -2,
        )  # (P, D, A, T)
        saving_t = cut_s.sum(axis=2)  # (P, D, T)
        npv_prev = ((saving_t - reactive_a.sum(axis=2)) * df[None]).sum(-1)
        out.update(
            demand_s=demand,
            spend_s=spend_s,
            prevention_s=prevention_s,
            cut_s=cut_s,
            reactive_s=reactive_s,
            reactive_a=reactive_a,
            saving_t=saving_t,
            npv_prevention=npv_prev,
        )
    else:
        out["npv_prevention"] = np.zeros_like(pv_cost)
    out["npv"] = out["npv_interventions"] + out["npv_prevention"]

    if detail:
        out["benefit_ia"] = (
            active[:, :, :, None, :] * value_ia[None, :, :, :, None] * gf_a[None, :, None]
        )
        out["cash_ia"] = (
            active[:, :, :, None, :] * cash_ia[None, :, :, :, None] * gf_a[None, :, None]
        )
    return out


def check_catalogue(catalogue: Catalogue) -> None:
    """The core assumes the council is the first agency."""
    if catalogue.agencies[0] != "council":
        raise ScenarioError("the first agency must be 'council'", parameter="agencies")


# --- one place, deterministic ---------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """Headline figures of a run (money in £, present values at base-year prices)."""

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

    UNITS = {
        "npv_gbp": "£",
        "bcr": "ratio",
        "payback_year": "years from start",
        "pv_costs_gbp": "£",
        "pv_benefits_gbp": "£",
        "pv_cashable_benefits_gbp": "£",
        "npv_interventions_gbp": "£",
        "npv_prevention_change_gbp": "£",
        "investment_gbp": "£",
        "people_reached": "people",
        "successes": "people",
    }

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.UNITS}


def _headline(arr: dict[str, np.ndarray], p: int = 0, d: int = 0) -> Headline:
    return Headline(
        npv_gbp=float(arr["npv"][p, d]),
        bcr=float(arr["bcr"][p, d]),
        payback_year=float(arr["payback"][p, d]),
        pv_costs_gbp=float(arr["pv_cost"][p, d]),
        pv_benefits_gbp=float(arr["pv_benefit"][p, d]),
        pv_cashable_benefits_gbp=float(arr["pv_cash"][p, d]),
        npv_interventions_gbp=float(arr["npv_interventions"][p, d]),
        npv_prevention_change_gbp=float(arr["npv_prevention"][p, d]),
        investment_gbp=float(arr["cost_t"][p, d].sum()),
        people_reached=float(arr["reached"][p, d].sum()),
        successes=float(arr["new"][p, d].sum()),
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


@dataclass(frozen=True, eq=False)
class Result:
    """A deterministic run for one place. Frames are built on first use.

    ``headline`` holds the figures of :class:`Headline`; ``by_year``, ``by_agency``,
    ``cash_flow``, ``outcomes``, ``outcome_totals`` and ``baseline`` are tidy (long) frames with
    ``year`` (0 = base year) and ``calendar_year`` columns.
    """

    scenario: Scenario
    context: PlaceContext
    catalogue: Catalogue
    arrays: Mapping[str, np.ndarray]
    headline: Headline

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.scenario.years)

    def _with_calendar(self, df: pd.DataFrame) -> pd.DataFrame:
        df["calendar_year"] = df["year"].astype(int) + self.context.base_year
        return df

    @cached_property
    def by_year(self) -> pd.DataFrame:
        """Per intervention and year: investment £, cohort, people reached, new and active
        successes (people), benefits £ (all agencies), discounted net £."""
        a = self.arrays
        df = a["df"][0]
        net = (a["benefit_i"][0, 0] - a["spend"][0, 0]) * df
        cube = np.stack(
            [
                a["spend"][0, 0],
                a["cohort"][0, 0] * np.ones_like(a["spend"][0, 0]),
                a["reached"][0, 0],
                a["new"][0, 0],
                a["active"][0, 0],
                a["benefit_i"][0, 0],
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
        a = self.arrays
        cat = self.catalogue
        spend = a["spend"][0, 0]  # (I, T)
        funder = _one_hot(cat.layout.funder, len(cat.agencies))  # (I, A)
        cost_ia = spend[:, None, :] * funder[:, :, None]
        cash = a["cash_ia"][0, 0]
        noncash = a["benefit_ia"][0, 0] - cash
        cube = np.stack([cost_ia, cash, noncash])  # (3, I, A, T)
        ids = list(cat.intervention_ids)
        if self.scenario.prevention_cut_per_year > 0:
            A, T = len(cat.agencies), self.scenario.years
            prev_cost = np.zeros((A, T))
            prev_cost[0] = -a["saving_t"][0, 0]
            prev = np.stack([prev_cost, -a["reactive_a"][0, 0], np.zeros((A, T))])[:, None]
            cube = np.concatenate([cube, prev], axis=1)
            ids.append(PREVENTION_CHANGE)
        out = _tidy(
            cube,
            [
                ("measure", ["cost_gbp", "benefit_cashable_gbp", "benefit_noncashable_gbp"]),
                ("intervention", ids),
                ("agency", cat.agencies),
                ("year", self.years),
            ],
        )
        return self._with_calendar(out[["intervention", "agency", "year", "measure", "value"]])

    @cached_property
    def cash_flow(self) -> pd.DataFrame:
        """Per agency and year (all interventions and any prevention change): cost_gbp,
        benefit_gbp, net_gbp, net_cashable_gbp, cumulative_net_cashable_gbp (real),
        cumulative_net_cashable_nominal_gbp (at general inflation), discounted_net_gbp and
        cumulative_discounted_net_gbp. Who invests, who benefits."""
        a = self.arrays
        cat = self.catalogue
        cost = a["cost_a"][0, 0].copy()  # (A, T)
        benefit = a["benefit_a"][0, 0].copy()
        cash = a["cash_a"][0, 0].copy()
        if "reactive_a" in a and self.scenario.prevention_cut_per_year > 0:
            cost[0] -= a["saving_t"][0, 0]
            benefit -= a["reactive_a"][0, 0]
            cash -= a["reactive_a"][0, 0]
        df = a["df"][0]
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
        measures = [
            "cost_gbp",
            "benefit_gbp",
            "net_gbp",
            "net_cashable_gbp",
            "cumulative_net_cashable_gbp",
            "cumulative_net_cashable_nominal_gbp",
            "discounted_net_gbp",
            "cumulative_discounted_net_gbp",
        ]
        out = _tidy(cube, [("measure", measures), ("agency", cat.agencies), ("year", self.years)])
        return self._with_calendar(out[["agency", "year", "measure", "value"]])

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Change in each outcome indicator (in its own unit) by intervention and year."""
        cat = self.catalogue
        effects = [(iv.id, oe) for iv in cat.interventions for oe in iv.outcomes]
        eff = self.arrays["outcome_k"][0, 0]  # (K, T)
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
    def outcome_totals(self) -> pd.DataFrame:
        """Per outcome indicator and year: baseline (the place's latest value, NaN if the
        bundle has none), change (all interventions) and projected value, in its unit."""
        cat = self.catalogue
        ch = self.arrays["outcome_x"][0, 0]  # (X, T)
        out = _tidy(ch, [("indicator_id", cat.outcome_indicators), ("year", self.years)], "change")
        base = out["indicator_id"].map(lambda i: self.context.outcomes.get(i, np.nan)).astype(float)
        out.insert(2, "baseline", base)
        out["projected"] = out["baseline"] + out["change"]
        return self._with_calendar(out)

    @cached_property
    def baseline(self) -> pd.DataFrame:
        """Per service and year: demand_index (1 in year 0), spend_gbp, prevention_spend_gbp,
        prevention_cut_gbp and reactive_cost_gbp (all agencies) under the scenario's cut."""
        a = self.arrays
        cube = np.stack(
            [
                a["demand_s"][0, 0],
                a["spend_s"][0, 0],
                a["prevention_s"][0, 0],
                a["cut_s"][0, 0],
                a["reactive_s"][0, 0],
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


def central_theta(catalogue: Catalogue, overrides: Mapping[str, float] | None) -> np.ndarray:
    """One row of central parameter values (after overrides): shape (1, N)."""
    return parameter_bounds(catalogue, overrides)[1][None, :]


def run(scenario: Scenario, context: PlaceContext, catalogue: Catalogue) -> Result:
    """Run a scenario deterministically (central values) for one place."""
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    if context.place_code != scenario.place_code:
        raise ScenarioError(
            f"the context is for '{context.place_code}', the scenario for '{scenario.place_code}'",
            parameter="place_code",
        )
    T = scenario.years
    places = stack_contexts([context], catalogue, T)
    arrays = evaluate(
        catalogue.layout,
        central_theta(catalogue, scenario.overrides),
        places,
        budget_array(scenario, catalogue, places, T),
        float(scenario.prevention_cut_per_year),
        T,
        detail=True,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
    )
    return Result(scenario, context, catalogue, arrays, _headline(arrays))


def run_places(
    scenario: Scenario, contexts: Sequence[PlaceContext], catalogue: Catalogue
) -> pd.DataFrame:
    """Headline figures (central values) for the same scenario in many places.

    Budgets in £ per head scale to each place; budgets in £ apply as they are. One row per
    place with the :class:`Headline` fields as columns.
    """
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    T = scenario.years
    places = stack_contexts(contexts, catalogue, T)
    arrays = evaluate(
        catalogue.layout,
        central_theta(catalogue, scenario.overrides),
        places,
        budget_array(scenario, catalogue, places, T),
        float(scenario.prevention_cut_per_year),
        T,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
    )
    rows = [{"place_code": c, **_headline(arrays, p).as_dict()} for p, c in enumerate(places.codes)]
    return pd.DataFrame(rows)
