"""The numerical core: the benefit chain, the money, the outcomes and the demand baseline, as
named stages vectorised over places and parameter draws.

Every array has leading axes ``(places, draws)`` (P, D) and trailing axes such as
``(interventions, years)`` (I, T); a deterministic run is one draw of the central values, a
Monte Carlo run many draws, an optimiser's budget grid many "places" that share one context.
Money is in £ at base-year prices (real terms), people in persons, outcome changes in each
indicator's unit. The year axis is ``0 .. H`` (T = H + 1): year 0 is the base year, where
nothing is spent and the scenario equals the baseline; spending runs from year 1, effects
follow each intervention's lag from the year of spending, and present values are discounted
to year 0. :func:`evaluate` chains the stages into a typed :class:`Core`; only
:mod:`dashboard.scenario.engine` calls it (docs/architecture.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.catalogue import Catalogue, Layout
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.finance import benefit_cost_ratio, discount_factors, payback_year
from dashboard.scenario.spec import Scenario


# --- place arrays ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PlaceArrays:
    """Contexts stacked for the core: ``pop`` (P, B, T) known people (the last known year
    repeated), ``extra`` (P, T) years of fallback growth to apply, ``spend_per_head`` (P, S) £
    per head (NaN = use the fallback), ``total`` (P,) people in year 0; ``price_uplift`` (P,)
    the ratio taking the NHS unit costs' prices to the base year's (1 when not given)."""

    codes: tuple[str, ...]
    pop: np.ndarray
    extra: np.ndarray
    spend_per_head: np.ndarray
    total: np.ndarray
    price_uplift: np.ndarray | None = None


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
    uplift = np.array([float(getattr(c, "price_uplift", 1.0)) for c in contexts])
    return PlaceArrays(tuple(c.place_code for c in contexts), pop, extra, spend, total, uplift)


def spending_mask(scenario: Scenario, catalogue: Catalogue, years: int) -> np.ndarray:
    """1 in the years each intervention spends, else 0: shape (I, T). Year 0 (the base year)
    never spends; intervention i spends in years 1 .. ``scenario.spending_years(i)``."""
    t = np.arange(years)
    n = np.array([scenario.spending_years(i) for i in catalogue.intervention_ids])
    return ((t[None, :] >= 1) & (t[None, :] <= n[:, None])).astype(float)


def budget_array(
    scenario: Scenario, catalogue: Catalogue, places: PlaceArrays, years: int
) -> np.ndarray:
    """Investment asked (£ per year) by place, intervention and year: shape (P, I, T), zero in
    year 0 and after each intervention's years of investment."""
    ids = catalogue.intervention_ids
    per = np.array([float(scenario.budgets.get(i, 0.0)) for i in ids])
    scale = places.total if scenario.budget_basis == "gbp_per_head" else np.ones(len(places.codes))
    active = spending_mask(scenario, catalogue, years)
    return scale[:, None, None] * per[None, :, None] * active[None, :, :]


# --- helpers --------------------------------------------------------------------------------
def _one_hot(index: np.ndarray, n: int) -> np.ndarray:
    m = np.zeros((len(index), n))
    m[np.arange(len(index)), index] = 1.0
    return m


def _growth(rates: np.ndarray, years: int) -> np.ndarray:
    """(1 + rate) ** t for t = 0 .. years-1; rates (..., X) -> (..., X, T)."""
    return np.exp(np.log1p(rates)[..., None] * np.arange(years))


#: Arrays worked out from one set of read-only draws (growth, discount and lag factors), kept
#: while the draws are: a scenario's parts share its draws (THETA_KEPT entries at most).
_FROM_THETA: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
THETA_KEPT = 16


def _of_theta(theta: np.ndarray, key: tuple, build: Callable[[], np.ndarray]) -> np.ndarray:
    """``build()``, kept for these draws when they are read-only (the Monte Carlo draws are:
    uncertainty.draw_theta), so the parts of one scenario compute it once. The same array
    either way; the caller must not change it."""
    if theta.flags.writeable:
        return build()
    k = (id(theta), *key)
    hit = _FROM_THETA.get(k)
    if hit is not None and hit[0] is theta:
        return hit[1]
    value = build()
    value.setflags(write=False)
    while len(_FROM_THETA) >= THETA_KEPT:
        _FROM_THETA.pop(next(iter(_FROM_THETA)), None)
    _FROM_THETA[k] = (theta, value)
    return value


# --- stage results --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Chain:
    """The benefit chain, people by place, draw, intervention and year (P, D, I, T):
    ``cohort`` eligible that year (a flow's new people; a stock's group not yet reached),
    ``reached``, ``new`` successes, ``active`` successes still in effect; ``spend`` £ a year
    actually spent (reached x cost per participant, at most the budget asked); ``asked``
    (P, 1, I, T) £ a year the budgets ask for."""

    cohort: np.ndarray
    reached: np.ndarray
    spend: np.ndarray
    new: np.ndarray
    active: np.ndarray
    asked: np.ndarray


@dataclass(frozen=True, eq=False)
class Money:
    """The money of the interventions, £ (real). Per year: ``benefit_i`` (P, D, I, T);
    ``cost_a``, ``benefit_a``, ``cash_a`` (P, D, A, T) by agency; ``cost_t``, ``benefit_t``
    (P, D, T). Present values: ``pv_cost_i``, ``pv_benefit_i``, ``npv_i`` (P, D, I);
    ``pv_cost``, ``pv_benefit``, ``pv_cash``, ``npv_interventions``, ``bcr`` (ratio) and
    ``payback`` (years from the base year, NaN if never) (P, D). ``df`` discount factors (D, T).
    ``cost_a``, ``benefit_a``, ``cash_a``, ``bcr`` and ``payback`` are None in a run of totals
    only. ``benefit_ia`` and ``cash_ia`` (P, D, I, A, T) only in a detailed run."""

    df: np.ndarray
    benefit_i: np.ndarray
    cost_a: np.ndarray | None
    benefit_a: np.ndarray | None
    cash_a: np.ndarray | None
    cost_t: np.ndarray
    benefit_t: np.ndarray
    pv_cost_i: np.ndarray
    pv_benefit_i: np.ndarray
    npv_i: np.ndarray
    pv_cost: np.ndarray
    pv_benefit: np.ndarray
    pv_cash: np.ndarray
    npv_interventions: np.ndarray
    bcr: np.ndarray | None
    payback: np.ndarray | None
    benefit_ia: np.ndarray | None = None
    cash_ia: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Outcome changes in each indicator's unit: ``per_effect`` (P, D, K, T), one per
    intervention-indicator effect, and ``per_indicator`` (P, D, X, T) summed by indicator."""

    per_effect: np.ndarray
    per_indicator: np.ndarray


@dataclass(frozen=True, eq=False)
class Demand:
    """The demand baseline by service and the cost of cutting prevention: ``demand_s`` index
    (1 in year 0), ``spend_s``, ``prevention_s``, ``cut_s``, ``reactive_s`` £ a year
    (P, D, S, T); ``reactive_a`` (P, D, A, T) reactive cost by agency; ``saving_t`` (P, D, T)
    the council's saving; ``npv_prevention`` (P, D) £ present value of the cut."""

    demand_s: np.ndarray
    spend_s: np.ndarray
    prevention_s: np.ndarray
    cut_s: np.ndarray
    reactive_s: np.ndarray
    reactive_a: np.ndarray
    saving_t: np.ndarray
    npv_prevention: np.ndarray


@dataclass(frozen=True, eq=False)
class Core:
    """Everything one evaluation computes. ``demand`` is None when it was not needed (no
    detail and no prevention cut); ``npv_prevention`` is then zero. ``npv`` (P, D) £."""

    chain: Chain
    money: Money
    outcomes: Outcomes
    demand: Demand | None
    npv_prevention: np.ndarray
    npv: np.ndarray


# --- the stages -----------------------------------------------------------------------------
def population(lay: Layout, theta: np.ndarray, places: PlaceArrays) -> np.ndarray:
    """People by place, draw, age band and year (P, D|1, B, T), grown at the fallback rate
    beyond the last known year."""
    if places.extra.any():
        lg = np.log1p(theta[:, lay.b_growth])  # (D, B)
        return places.pop[:, None] * np.exp(lg[None, :, :, None] * places.extra[:, None, None, :])
    return places.pop[:, None]


def eligible(
    lay: Layout, theta: np.ndarray, pop: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """People eligible and people reached (P, D, I, T) when ``wanted`` people (P, D, I, T)
    could be paid for. A flow's cohort is new each year (share a year x the age bands'
    people); a stock (share x the age bands' people) loses everyone reached in earlier years,
    so nobody is reached twice: eligible_t = max(stock_t - reached before t, 0)."""
    group = (lay.cohort_mask @ pop) * theta[:, lay.i_cohort_share][None, :, :, None]
    group = np.broadcast_to(group, wanted.shape)
    stocks = np.flatnonzero(lay.i_stock)
    if not stocks.size:
        return group, np.minimum(wanted, group)
    cohort = group.copy()
    done = np.zeros(wanted.shape[:2] + (stocks.size,))
    for t in range(wanted.shape[-1]):
        left = np.maximum(group[:, :, stocks, t] - done, 0.0)
        cohort[:, :, stocks, t] = left
        done = done + np.minimum(wanted[:, :, stocks, t], left)
    return cohort, np.minimum(wanted, cohort)


def _kernel(lay: Layout, theta: np.ndarray, years: int) -> np.ndarray:
    """Share of a year's successes still in effect t years on (D, I, T): none before the lag,
    then falling by the drop-off each year."""
    t = np.arange(years)
    lag = theta[:, lay.i_lag][..., None]  # (D, I, 1)
    keep = 1.0 - theta[:, lay.i_dropoff][..., None]
    ramp = np.clip(t + 1.0 - lag, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ramp * np.where(t >= lag, keep ** np.maximum(t - lag, 0.0), 1.0)


def _spread(kern: np.ndarray) -> np.ndarray:
    """The kernel (D, I, T) as a matrix per draw and intervention (D, I, T, T): row s, column
    t holds the share of year s's successes still in effect in year t (``kern[t - s]``, 0
    before s), so successes active = successes new @ this matrix."""
    T = kern.shape[-1]
    out = np.zeros(kern.shape + (T,))
    for s in range(T):
        out[..., s, s:] = kern[..., : T - s]
    return out


def benefit_chain(
    lay: Layout, theta: np.ndarray, pop: np.ndarray, budgets: np.ndarray, years: int
) -> Chain:
    """Budget -> people reached (capped by the eligible cohort, :func:`eligible`) ->
    successes -> successes still active, per year. A success takes effect ``lag`` years after
    the year of spending (0 = that year) and then falls by the drop-off each year."""
    T = years
    cost = theta[:, lay.i_cost][None, :, :, None]  # (1, D, I, 1)
    wanted = budgets[:, None] / cost  # people the budget could pay for (P, D, I, T)
    cohort, reached = eligible(lay, theta, pop, wanted)  # (P, D, I, T)
    spend = reached * cost
    yld = (
        theta[:, lay.i_engagement]
        * theta[:, lay.i_success]
        * (1.0 - theta[:, lay.i_deadweight])
        * theta[:, lay.i_attribution]
        * (1.0 - theta[:, lay.i_optimism])
    )  # (D, I)
    new = reached * yld[None, :, :, None]
    spread = _of_theta(  # (D, I, T, T)
        theta,
        ("kernel", T, lay.i_lag.tobytes(), lay.i_dropoff.tobytes()),
        lambda: _spread(_kernel(lay, theta, T)),
    )
    active = (new[..., None, :] @ spread[None])[..., 0, :]  # (P, D, I, T)
    return Chain(
        cohort=cohort, reached=reached, spend=spend, new=new, active=active, asked=budgets[:, None]
    )


def money(
    lay: Layout,
    theta: np.ndarray,
    chain: Chain,
    years: int,
    n_agencies: int,
    *,
    detail: bool,
    price_uplift: np.ndarray | None = None,
    totals: bool = False,
) -> Money:
    """Avoided costs by agency, costs by funder, present values, BCR and payback; with
    ``totals`` only the totals a Monte Carlo part adds up (``cost_a``, ``benefit_a``,
    ``cash_a``, ``bcr`` and ``payback`` are None).

    An avoided cost is £ per active success a year: its value, or the sum over its NHS events
    of count x unit cost (both drawn from ``theta``) x ``price_uplift`` (P,), the ratio from
    the unit costs' price year to the base year (1 when None)."""
    T, A = years, n_agencies
    D = theta.shape[0]
    I = chain.spend.shape[2]  # noqa: E741
    active, spend = chain.active, chain.spend
    # value per active success per year by place|1, draw, intervention and agency (P|1, D, I, A)
    onehot_ia = _one_hot(lay.j_intervention * A + lay.j_agency, I * A)  # (J, I*A)
    J = len(lay.j_value)
    events = (theta[:, lay.e_count] * theta[:, lay.e_unit_cost]) @ _one_hot(lay.e_item, J)
    up = np.ones(1) if price_uplift is None else np.asarray(price_uplift, dtype=float)
    if up.size and np.all(up == up[0]):
        up = up[:1]  # one price basis for every place: keep the place axis at 1
    val = (theta[:, lay.j_value] * lay.j_fixed)[None] + up[:, None, None] * events[None]
    value_ia = (val @ onehot_ia).reshape(len(up), D, I, A)
    cash_ia = ((val * theta[:, lay.j_cashable][None]) @ onehot_ia).reshape(len(up), D, I, A)
    gf_a = _of_theta(  # (D, A, T)
        theta, ("growth", T, lay.a_growth.tobytes()), lambda: _growth(theta[:, lay.a_growth], T)
    )
    value_it = np.einsum("pdia,dat->pdit", value_ia, gf_a)  # £ per active success
    benefit_i = active * value_it  # (P, D, I, T)
    df = _of_theta(  # (D, T)
        theta,
        ("discount", T, np.asarray(lay.d_from_year).tobytes(), np.asarray(lay.d_rate).tobytes()),
        lambda: discount_factors(T, lay.d_from_year, theta[:, lay.d_rate]),
    )

    funder = _one_hot(lay.funder, A)  # (I, A)
    act_t = np.swapaxes(active, -1, -2)  # (P, D, T, I)
    # cashable £ per active success by intervention and year, then its present value: the
    # (P, D, A, T) split by agency is built only when asked for (a part needs the total)
    cash_it = cash_ia @ gf_a[None]  # (P, D, I, T)
    benefit_a = cost_a = cash_a = None
    if not totals:
        cash_a = np.swapaxes(act_t @ cash_ia, -1, -2) * gf_a[None]  # (P, D, A, T)
        benefit_a = np.swapaxes(act_t @ value_ia, -1, -2) * gf_a[None]  # (P, D, A, T)
        cost_a = np.swapaxes(np.swapaxes(spend, -1, -2) @ funder, -1, -2)  # (P, D, A, T)

    cost_t = spend.sum(axis=2)  # (P, D, T)
    benefit_t = benefit_i.sum(axis=2)
    pv_cost_i = (spend * df[None, :, None, :]).sum(-1)  # (P, D, I)
    pv_benefit_i = (benefit_i * df[None, :, None, :]).sum(-1)
    pv_cost = pv_cost_i.sum(-1)
    pv_benefit = pv_benefit_i.sum(-1)
    pv_cash = ((active * cash_it).sum(axis=2) * df[None]).sum(-1)
    detail_ia = detail_cash = None
    if detail:
        detail_ia = active[:, :, :, None, :] * value_ia[..., None] * gf_a[None, :, None]
        detail_cash = active[:, :, :, None, :] * cash_ia[..., None] * gf_a[None, :, None]
    return Money(
        df=df,
        benefit_i=benefit_i,
        cost_a=cost_a,
        benefit_a=benefit_a,
        cash_a=cash_a,
        cost_t=cost_t,
        benefit_t=benefit_t,
        pv_cost_i=pv_cost_i,
        pv_benefit_i=pv_benefit_i,
        npv_i=pv_benefit_i - pv_cost_i,
        pv_cost=pv_cost,
        pv_benefit=pv_benefit,
        pv_cash=pv_cash,
        npv_interventions=pv_benefit - pv_cost,
        bcr=None if totals else benefit_cost_ratio(pv_benefit, pv_cost),
        payback=None if totals else payback_year(benefit_t, cost_t, df[None]),
        benefit_ia=detail_ia,
        cash_ia=detail_cash,
    )


def outcomes(
    lay: Layout,
    theta: np.ndarray,
    pop: np.ndarray,
    chain: Chain,
    years: int,
    n_indicators: int,
) -> Outcomes:
    """Change in each outcome indicator: successes per effect over the indicator's
    denominator, times the change per success."""
    T, D = years, theta.shape[0]
    if not len(lay.k_intervention):
        P = chain.spend.shape[0]
        return Outcomes(np.zeros((P, D, 0, T)), np.zeros((P, D, n_indicators, T)))
    new, active = chain.new, chain.active
    basis = np.where(
        lay.k_new[:, None], new[:, :, lay.k_intervention], active[:, :, lay.k_intervention]
    )
    denom = (lay.k_mask @ pop) * theta[:, lay.k_share][None, :, :, None]
    coef = (theta[:, lay.k_per_success] * lay.k_scale)[None, :, :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        effect = np.where(denom > 0, basis * coef / np.where(denom > 0, denom, 1.0), 0.0)
    per_indicator = np.zeros(effect.shape[:2] + (n_indicators, T))
    for k, x in enumerate(lay.k_indicator):  # each effect added to its indicator, in order
        per_indicator[:, :, x] += effect[:, :, k]
    return Outcomes(effect, per_indicator)


def demand(
    lay: Layout,
    theta: np.ndarray,
    places: PlaceArrays,
    pop: np.ndarray,
    df: np.ndarray,
    prevention_cut: float,
    years: int,
    n_agencies: int,
) -> Demand:
    """Demand and spend by service, and what a yearly cut to prevention costs later as
    reactive demand (partly on other agencies; agency 0 is the council)."""
    T, A = years, n_agencies
    t = np.arange(T)
    w = theta[:, lay.s_weights]  # (D, S, B)
    wsum = w.sum(axis=-1, keepdims=True)
    w = np.where(wsum > 0, w / np.where(wsum > 0, wsum, 1.0), 1.0 / w.shape[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(pop[..., :1] > 0, pop / pop[..., :1], 1.0)  # (P, D|1, B, T)
    demand_s = w[None] @ ratio  # (P, D, S, T)
    sph = np.where(
        np.isnan(places.spend_per_head)[:, None, :],
        theta[:, lay.s_fallback][None],
        places.spend_per_head[:, None, :],
    )  # (P, D, S)
    gf_s = _growth(theta[:, lay.s_growth], T)  # (D, S, T)
    spend_s = (sph * places.total[:, None, None])[..., None] * demand_s * gf_s[None]
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
    to_council[:, 0] = 1.0  # agency 0 is the council (spec.check_catalogue)
    reactive_a = np.swapaxes(
        np.swapaxes(reactive_s * other, -1, -2) @ to_other
        + np.swapaxes(reactive_s * (1.0 - other), -1, -2) @ to_council,
        -1,
        -2,
    )  # (P, D, A, T)
    saving_t = cut_s.sum(axis=2)  # (P, D, T)
    npv_prev = ((saving_t - reactive_a.sum(axis=2)) * df[None]).sum(-1)
    return Demand(
        demand_s=demand_s,
        spend_s=spend_s,
        prevention_s=prevention_s,
        cut_s=cut_s,
        reactive_s=reactive_s,
        reactive_a=reactive_a,
        saving_t=saving_t,
        npv_prevention=npv_prev,
    )


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
    totals: bool = False,
) -> Core:
    """Run the model for every place and draw.

    ``theta`` (D, N) parameter values; ``budgets`` (P, I, T) £ per year. With ``detail`` it
    also keeps per intervention and agency arrays and the demand baseline (memory grows with
    P x D x I x A x T: use for a few places and draws). With ``totals`` the money keeps only
    the totals a Monte Carlo part adds up (:func:`money`).
    """
    pop = population(lay, theta, places)
    chain = benefit_chain(lay, theta, pop, budgets, years)
    cash = money(
        lay,
        theta,
        chain,
        years,
        n_agencies,
        detail=detail,
        price_uplift=places.price_uplift,
        totals=totals,
    )
    moved = outcomes(lay, theta, pop, chain, years, n_indicators)
    base = None
    if detail or prevention_cut > 0:
        base = demand(lay, theta, places, pop, cash.df, prevention_cut, years, n_agencies)
        npv_prevention = base.npv_prevention
    else:
        npv_prevention = np.zeros_like(cash.pv_cost)
    return Core(
        chain=chain,
        money=cash,
        outcomes=moved,
        demand=base,
        npv_prevention=npv_prevention,
        npv=cash.npv_interventions + npv_prevention,
    )
