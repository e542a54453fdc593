"""The investment scenario engine: a multi-year model of investment, demand, outcomes and money
by agency, with uncertainty and an optimiser (docs/architecture.md).

The spine: :mod:`.spec` (the scenario and its validation), :mod:`.core` (the numerical stages:
benefit chain, money, outcomes, demand), :mod:`.results` and :mod:`.uncertainty` (typed results
and their summaries), :mod:`.engine` (the only caller of the core: run, Monte Carlo, the
per-intervention assembly, many places, the optimiser).

Pure Python (numpy, pandas, scipy); every number lives in data/catalogue/interventions.yaml and
data/catalogue/scenario.yaml with low / central / high values, a unit, an allowed range, an
evidence grade and a source. Money is in £ at constant base-year prices (real terms), discounted
at the Green Book rate; ``year`` 0 is the base year (undiscounted).

The API::

    from dashboard.scenario import (
        PlaceContext, Scenario, context_from_bundle, load_catalogue, optimise, run, simulate,
    )

    catalogue = load_catalogue()                      # frozen, validated, cached
    context = context_from_bundle(bundle, "E06000001", catalogue)   # or PlaceContext.from_arrays
    scenario = Scenario(
        place_code="E06000001",
        horizon_years=10,
        budgets={"reablement": 500_000, "stop_smoking": 150_000},    # £ per year
        overrides={"interventions.reablement.success_rate": 0.6},  # parameter path -> value
    )
    result = run(scenario, context, catalogue)        # deterministic, central values
    result.headline.npv_gbp, result.headline.bcr, result.headline.payback_year
    result.by_year        # intervention, year, measure (investment_gbp, reached_people ...), value
    result.by_agency      # intervention, agency, year, measure (cost_gbp, benefit_cashable_gbp ...)
    result.cash_flow      # agency, year, measure (net_gbp, cumulative_net_cashable_gbp ...)
    result.outcomes       # indicator_id, intervention, year, change (in the indicator's unit)
    result.outcome_totals # indicator_id, year, baseline, change, projected
    result.baseline       # service, year, measure (demand_index, spend_gbp, reactive_cost_gbp ...)

    sim = simulate(scenario, context, catalogue, draws=1000, seed=0)
    sim.headline          # measure, mean, p5, p50, p95
    sim.p_npv_positive    # share of draws with NPV > 0

    best = optimise(scenario, context, catalogue, budget_gbp=2_000_000, objective="npv")
    best.allocation       # intervention -> £ per year; best.scenario(scenario) runs it
    budget_curve(scenario, context, catalogue, [0, 1e6, 2e6, 4e6])   # best objective by budget

    Scenario.from_preset("salami_slicing", "E06000001", catalogue)   # presets in scenario.yaml
    scenario_from_json(scenario_to_json(scenario), catalogue)        # round trip, validated

Bad input raises :class:`ScenarioError` (a ValueError) whose ``parameter`` names the field or
parameter path, e.g. ``budgets.reablement`` or ``interventions.reablement.cost_per_participant``.
:func:`run_places` and :func:`simulate_places` run one scenario for many places at once
(budgets given in £ per head scale to each place).
"""

from dashboard.scenario.catalogue import (
    Catalogue,
    Intervention,
    Param,
    Preset,
    load_catalogue,
    load_interventions,
)
from dashboard.scenario.context import PlaceContext, context_from_bundle
from dashboard.scenario.engine import (
    budget_curve,
    intervention_draws,
    optimise,
    response_curves,
    run,
    run_places,
    simulate,
    simulate_assembled,
    simulate_places,
)
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.finance import (
    benefit_cost_ratio,
    discount_factors,
    net_present_value,
    payback_year,
    present_value,
)
from dashboard.scenario.io import (
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
from dashboard.scenario.optimise import Allocation
from dashboard.scenario.results import Headline, Result
from dashboard.scenario.spec import (
    PREVENTION_CHANGE,
    Scenario,
    parameter_bounds,
    validate_scenario,
)
from dashboard.scenario.uncertainty import Simulation

__all__ = [
    "PREVENTION_CHANGE",
    "Allocation",
    "Catalogue",
    "Headline",
    "Intervention",
    "Param",
    "PlaceContext",
    "Preset",
    "Result",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "benefit_cost_ratio",
    "budget_curve",
    "context_from_bundle",
    "discount_factors",
    "intervention_draws",
    "load_catalogue",
    "load_interventions",
    "net_present_value",
    "optimise",
    "parameter_bounds",
    "payback_year",
    "present_value",
    "response_curves",
    "run",
    "run_places",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_to_dict",
    "scenario_to_json",
    "simulate",
    "simulate_assembled",
    "simulate_places",
    "validate_scenario",
]
