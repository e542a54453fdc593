"""The scenario a deck shows: a saved one, or the Scenarios page's default preset scaled to
the place (what a new visitor to that page sees). Pure code: the engine run and its Monte
Carlo summary, at scenario.yaml's draws and seed, so a slide shows the figures the page does.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.bundle import Bundle
from dashboard.scenario import (
    Catalogue,
    PlaceContext,
    Result,
    Scenario,
    Simulation,
    context_from_bundle,
    engine,
    load_catalogue,
)
from dashboard.scenario.assumptions import default_horizon, preset_budgets_gbp

#: The preset a deck without a saved scenario shows (the Scenarios page's first view).
DEFAULT_PRESET = "prevention_first"


@dataclass(frozen=True)
class ScenarioCase:
    """A scenario with its run for one place: ``name`` says which it is, in words."""

    name: str
    scenario: Scenario
    context: PlaceContext
    catalogue: Catalogue
    result: Result
    simulation: Simulation
    saved_id: str = ""


def preset_scenario(
    bundle: Bundle, place: str, preset: str = DEFAULT_PRESET, catalogue: Catalogue | None = None
) -> Scenario:
    """``preset`` scaled to ``place``'s population, at the default horizon (as the Scenarios
    page starts)."""
    cat = catalogue or load_catalogue()
    pc = context_from_bundle(bundle, place, cat)
    budgets, cut = preset_budgets_gbp(cat, preset, pc.total_population)
    return Scenario(
        place_code=place,
        horizon_years=default_horizon(cat),
        budgets={k: v for k, v in budgets.items() if v > 0},
        budget_basis="gbp",
        prevention_cut_per_year=cut,
    )


def scenario_case(
    bundle: Bundle,
    place: str,
    scenario: Scenario | None = None,
    *,
    name: str = "",
    saved_id: str = "",
    catalogue: Catalogue | None = None,
) -> ScenarioCase:
    """Run ``scenario`` (default: the default preset) for ``place``: the deterministic result
    and the Monte Carlo summary at scenario.yaml's default draws and fixed seed."""
    cat = catalogue or load_catalogue()
    if scenario is None:
        scenario = preset_scenario(bundle, place, catalogue=cat)
        name = name or f"Preset: {cat.presets[DEFAULT_PRESET].label}"
    pc = context_from_bundle(bundle, place, cat)
    result = engine.run(scenario, pc, cat)
    sim = engine.simulate(
        scenario,
        pc,
        cat,
        draws=int(cat.monte_carlo.default_draws),
        seed=int(cat.limits["seed"].default or 0),
    )
    return ScenarioCase(name or "Saved scenario", scenario, pc, cat, result, sim, saved_id)
