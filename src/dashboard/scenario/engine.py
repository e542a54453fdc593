"""The scenario engine: the one caller of the numerical core (docs/architecture.md).

Every entry point validates the scenario once (:func:`_checked`), stacks the places and
budgets and evaluates the core (:func:`_evaluate`), then hands the typed arrays to a pure
summariser: :class:`~dashboard.scenario.results.Result` for a deterministic run,
:mod:`~dashboard.scenario.uncertainty` for Monte Carlo, :mod:`~dashboard.scenario.incremental`
for the per-intervention assembly, :mod:`~dashboard.scenario.optimise` for the optimiser.
Money is in £ at base-year prices (real terms); budgets in £ per year (or £ per head per year).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from dashboard.scenario.catalogue import Catalogue, Layout
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.core import Core, budget_array, evaluate, spending_mask, stack_contexts
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.incremental import Part, combine, part_keys, part_of, part_scenario
from dashboard.scenario.incremental import sub_layout as _sub_layout
from dashboard.scenario.optimise import (
    Allocation,
    Response,
    allocate,
    check_interventions,
    curve_table,
    kink_grid,
    kinks,
    objective_sign,
    read_responses,
)
from dashboard.scenario.results import Result, headline_of
from dashboard.scenario.spec import Scenario, central_theta, check_catalogue, validate_scenario
from dashboard.scenario.uncertainty import (
    Simulation,
    draw_theta,
    summarise,
    summarise_places,
)

#: ``part(sub_scenario, intervention)`` -> that part's per-draw contribution (a caller's cache).
PartFn = Callable[[Scenario, "str | None"], Part]


def _checked(scenario: Scenario, catalogue: Catalogue) -> int:
    """Validate ``scenario`` against the catalogue (the one place); return its years."""
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    return scenario.years


def _evaluate(
    scenario: Scenario,
    contexts: Sequence[PlaceContext],
    catalogue: Catalogue,
    theta: np.ndarray,
    *,
    detail: bool = False,
    budgets: np.ndarray | None = None,
    layout: Layout | None = None,
    prevention_cut: float | None = None,
    totals: bool = False,
) -> Core:
    """Stack ``contexts`` and evaluate the core for ``scenario`` (already checked).

    ``budgets`` (P, I, T) £ a year replaces the scenario's; ``layout`` a slice of the
    catalogue's; ``prevention_cut`` the scenario's yearly cut (share); ``totals``: only the
    money a Monte Carlo part adds up (core.money)."""
    T = scenario.years
    places = stack_contexts(contexts, catalogue, T)
    if budgets is None:
        budgets = budget_array(scenario, catalogue, places, T)
    cut = scenario.prevention_cut_per_year if prevention_cut is None else prevention_cut
    return evaluate(
        layout if layout is not None else catalogue.layout,
        theta,
        places,
        budgets,
        float(cut),
        T,
        detail=detail,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
        totals=totals,
    )


def _draws(catalogue: Catalogue, draws: int | None) -> int:
    return int(draws if draws is not None else catalogue.monte_carlo.default_draws)


# --- deterministic --------------------------------------------------------------------------
def run(scenario: Scenario, context: PlaceContext, catalogue: Catalogue) -> Result:
    """Run a scenario deterministically (central values) for one place."""
    _checked(scenario, catalogue)
    if context.place_code != scenario.place_code:
        raise ScenarioError(
            f"the context is for '{context.place_code}', the scenario for '{scenario.place_code}'",
            parameter="place_code",
        )
    theta = central_theta(catalogue, scenario.overrides)
    core = _evaluate(scenario, [context], catalogue, theta, detail=True)
    return Result(scenario, context, catalogue, core, headline_of(core))


def run_places(
    scenario: Scenario, contexts: Sequence[PlaceContext], catalogue: Catalogue
) -> pd.DataFrame:
    """Headline figures (central values) for the same scenario in many places.

    Budgets in £ per head scale to each place; budgets in £ apply as they are. One row per
    place with the :class:`~dashboard.scenario.results.Headline` fields as columns.
    """
    _checked(scenario, catalogue)
    core = _evaluate(scenario, contexts, catalogue, central_theta(catalogue, scenario.overrides))
    codes = [c.place_code for c in contexts]
    rows = [{"place_code": c, **headline_of(core, p).as_dict()} for p, c in enumerate(codes)]
    return pd.DataFrame(rows)


# --- Monte Carlo ----------------------------------------------------------------------------
def simulate(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    *,
    draws: int | None = None,
    seed: int | None = 0,
) -> Simulation:
    """Monte Carlo run of ``scenario`` for one place: percentiles of every output."""
    _checked(scenario, catalogue)
    n = _draws(catalogue, draws)
    theta = draw_theta(catalogue, scenario.overrides, n, seed)
    core = _evaluate(scenario, [context], catalogue, theta)
    return summarise(core, scenario, catalogue, context, draws=n, seed=seed)


def simulate_places(
    scenario: Scenario,
    contexts: Sequence[PlaceContext],
    catalogue: Catalogue,
    *,
    draws: int | None = None,
    seed: int | None = 0,
    max_cells: int = 4_000_000,
) -> pd.DataFrame:
    """Monte Carlo headline for the same scenario in many places (same draws everywhere).

    Budgets in £ per head scale to each place. Places are processed in blocks so that
    places x draws x interventions x years stays under ``max_cells``. One row per place and
    measure (npv_gbp, bcr, pv_costs_gbp, pv_benefits_gbp) with mean, percentiles and the
    place's ``p_npv_positive``.
    """
    T = _checked(scenario, catalogue)
    n = _draws(catalogue, draws)
    theta = draw_theta(catalogue, scenario.overrides, n, seed)
    I = len(catalogue.interventions)  # noqa: E741
    block = max(1, int(max_cells // max(1, n * I * T)))
    qs = catalogue.monte_carlo.percentiles
    parts = []
    for start in range(0, len(contexts), block):
        chunk = contexts[start : start + block]
        core = _evaluate(scenario, chunk, catalogue, theta)
        parts.append(summarise_places(core, [c.place_code for c in chunk], qs))
    return pd.concat(parts, ignore_index=True)


def intervention_draws(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    intervention: str | None,
    *,
    draws: int,
    seed: int,
) -> Part:
    """Per-draw contribution of ``intervention`` at its budget in ``scenario``; with
    ``intervention=None``, of the scenario's prevention cut (no investment)."""
    T = _checked(scenario, catalogue)
    theta = draw_theta(catalogue, scenario.overrides, draws, seed)
    if intervention is None:
        zero = np.zeros((1, len(catalogue.interventions), T))
        return part_of(_evaluate(scenario, [context], catalogue, theta, budgets=zero, totals=True))
    i = catalogue.intervention_ids.index(intervention)
    places = stack_contexts([context], catalogue, T)
    budgets = budget_array(scenario, catalogue, places, T)[:, [i], :]
    core = _evaluate(
        scenario,
        [context],
        catalogue,
        theta,
        budgets=budgets,
        layout=_sub_layout(catalogue.layout, i),
        prevention_cut=0.0,
        totals=True,
    )
    return part_of(core)


def simulate_assembled(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    *,
    draws: int | None = None,
    seed: int = 0,
    part: PartFn | None = None,
) -> Simulation:
    """Monte Carlo of ``scenario`` assembled from one part per funded intervention (and one
    for a prevention cut): the same headline, outcomes and probabilities as :func:`simulate`
    (``by_year`` empty). ``part(sub_scenario, intervention)`` computes one part; pass a cached
    one so that changing one budget evaluates one intervention. With nothing funded and no
    cut, this is :func:`simulate` itself."""
    _checked(scenario, catalogue)
    n = _draws(catalogue, draws)
    keys = part_keys(scenario)
    if not keys:
        return simulate(scenario, context, catalogue, draws=n, seed=seed)

    def compute(sub: Scenario, which: str | None) -> Part:
        return intervention_draws(sub, context, catalogue, which, draws=n, seed=seed)

    make = part or compute
    parts = [make(part_scenario(scenario, which), which) for which, _ in keys]
    return combine(parts, catalogue, context, draws=n, seed=seed)


# --- the optimiser --------------------------------------------------------------------------
def response_curves(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> list[Response]:
    """Each chosen intervention's objective against its annual budget (spent in each of its
    years of investment), at its kinks (exact for flow and stock cohorts, see
    :mod:`~dashboard.scenario.optimise`).

    ``objective``: ``"npv"`` (£, whole horizon) or an outcome indicator id (its change in the
    final year of the horizon, signed so that an improvement is positive).
    """
    T = _checked(scenario, catalogue)
    objective_sign(catalogue, objective)
    ids = check_interventions(catalogue, interventions)
    rows = [catalogue.intervention_ids.index(iid) for iid in ids]
    active = spending_mask(scenario, catalogue, T)  # (I, T)
    theta = central_theta(catalogue, scenario.overrides)
    I = len(catalogue.interventions)  # noqa: E741
    zero = _evaluate(
        scenario, [context], catalogue, theta, budgets=np.zeros((1, I, T)), prevention_cut=0.0
    )
    cost = theta[0, catalogue.layout.i_cost]
    cohort = zero.chain.cohort[0, 0]  # (I, T) people eligible with nothing spent
    points = kinks(cohort, cost, catalogue.layout.i_stock, active, rows)
    grid = kink_grid(points, rows, active)
    core = _evaluate(
        scenario, [context] * len(grid), catalogue, theta, budgets=grid, prevention_cut=0.0
    )
    return read_responses(core, catalogue, ids, points, objective, T)


def optimise(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    budget_gbp: float,
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> Allocation:
    """Split ``budget_gbp`` (£ per year) across ``interventions`` to maximise ``objective``.

    ``objective`` is ``"npv"`` (£ over the horizon) or an outcome indicator id (improvement in
    the final year, in the indicator's unit). Uses the scenario's horizon, invest_years,
    years_of_investment and overrides; its own budgets are ignored.
    """
    curves = response_curves(
        scenario, context, catalogue, interventions=interventions, objective=objective
    )
    return allocate(curves, budget_gbp, objective)


def budget_curve(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    budgets_gbp: Sequence[float],
    *,
    interventions: Sequence[str] | None = None,
    objective: str = "npv",
) -> pd.DataFrame:
    """The best objective against total annual budget (see
    :func:`~dashboard.scenario.optimise.curve_table`)."""
    curves = response_curves(
        scenario, context, catalogue, interventions=interventions, objective=objective
    )
    return curve_table(curves, budgets_gbp, objective)
