"""Streamlit glue for the Scenarios page: cached engine calls and the scenario store. The
controls and their session state (including share links) are in ui.scenario_controls.

Every cache keys a bundle on :func:`dashboard.ui.cached.bundle_key` and a scenario on its JSON;
the engine (dashboard.scenario.engine) does the work.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.charts.scenario import FAN_DATASETS, fan_with_data, outcome_fan_template
from dashboard.charts.steady import SteadyChart, set_title, steady_chart, with_title
from dashboard.scenario import (
    Catalogue,
    PlaceContext,
    Result,
    Scenario,
    Simulation,
    context_from_bundle,
    engine,
    load_catalogue,
    scenario_to_json,
)
from dashboard.scenario.budget_use import budget_use as _budget_use
from dashboard.scenario.incremental import Part
from dashboard.scenario.optimise import Response
from dashboard.scenario.report import (
    HeadlineFigures,
    headline_figures,
    outcome_trajectories,
)
from dashboard.store import SavedScenario, StoreError
from dashboard.ui.cached import PLACES, bundle_key
from dashboard.ui.data import store
from dashboard.ui.state import Context

#: How a cache hashes the engine's inputs: a bundle by its key, a scenario by its JSON.
HASH = {Bundle: bundle_key, Scenario: scenario_to_json}


def catalogue() -> Catalogue:
    return load_catalogue()


def draws() -> int:
    """Monte Carlo draws behind every band and the chance NPV > 0 (scenario.yaml)."""
    return int(catalogue().monte_carlo.default_draws)


def seed() -> int:
    """The fixed Monte Carlo seed, so the same scenario shows the same figures (scenario.yaml)."""
    return int(catalogue().limits["seed"].default or 0)


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _context(bundle: Bundle, place: str) -> PlaceContext:
    return context_from_bundle(bundle, place, catalogue())


def place_context(ctx: Context) -> PlaceContext:
    return _context(ctx.bundle, ctx.view.place)


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _run(bundle: Bundle, place: str, scenario: Scenario) -> Result:
    return engine.run(scenario, _context(bundle, place), catalogue())


@st.cache_resource(show_spinner=False, max_entries=8 * PLACES, hash_funcs=HASH)
def _part(bundle: Bundle, place: str, sub: Scenario, which: str | None, n: int, s: int) -> Part:
    return engine.intervention_draws(
        sub, _context(bundle, place), catalogue(), which, draws=n, seed=s
    )


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _simulation(bundle: Bundle, place: str, scenario: Scenario, n: int, s: int) -> Simulation:
    return engine.simulate_assembled(
        scenario,
        _context(bundle, place),
        catalogue(),
        draws=n,
        seed=s,
        part=lambda sub, which: _part(bundle, place, sub, which, n, s),
    )


def run_cached(bundle: Bundle, place: str, scenario: Scenario) -> Result:
    """The deterministic run of ``scenario`` at ``place`` (cached; the same object each time)."""
    return _run(bundle, place, scenario)


def results(ctx: Context, scenario: Scenario) -> tuple[Result, Simulation]:
    """Deterministic run and Monte Carlo summary (cached on the scenario and the place).

    The Monte Carlo run is assembled from one cached part per funded intervention (and one
    for a prevention cut), so moving one budget slider evaluates one intervention."""
    b, place = ctx.bundle, ctx.view.place
    return _run(b, place, scenario), _simulation(b, place, scenario, draws(), seed())


def budget_use(ctx: Context, scenario: Scenario) -> pd.DataFrame:
    """Per funded intervention, the budget asked and what the eligible cohort can absorb (£ a
    year), with the sentence shown at the control (cached with the run it comes from)."""
    return _budget_use_cached(ctx.bundle, ctx.view.place, scenario)


@st.cache_data(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _budget_use_cached(bundle: Bundle, place: str, scenario: Scenario) -> pd.DataFrame:
    return _budget_use(_run(bundle, place, scenario))


def outcome_indicators(ctx: Context) -> dict[str, dict]:
    """Catalogue entries of the outcome indicators the scenario engine moves, in this bundle."""
    return _outcome_indicators(ctx.bundle)


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=HASH)
def _outcome_indicators(bundle: Bundle) -> dict[str, dict]:
    return {
        i: bundle.indicator(i) for i in catalogue().outcome_indicators if bundle.has_indicator(i)
    }


def trajectories(ctx: Context, scenario: Scenario) -> pd.DataFrame:
    """Outcome trajectories with their band (cached with the results they come from)."""
    return _trajectories(ctx.bundle, ctx.view.place, scenario)


@st.cache_data(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _trajectories(bundle: Bundle, place: str, scenario: Scenario) -> pd.DataFrame:
    result = _run(bundle, place, scenario)
    sim = _simulation(bundle, place, scenario, draws(), seed())
    return outcome_trajectories(result, sim, _outcome_indicators(bundle))


def figures(ctx: Context, scenario: Scenario) -> HeadlineFigures:
    """Headline figures (cached with the results they come from)."""
    return _figures(ctx.bundle, ctx.view.place, scenario)


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _figures(bundle: Bundle, place: str, scenario: Scenario) -> HeadlineFigures:
    result = _run(bundle, place, scenario)
    return headline_figures(result, _simulation(bundle, place, scenario, draws(), seed()))


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _curves(
    bundle: Bundle, place: str, settings: Scenario, ids: tuple[str, ...], objective: str
) -> list[Response]:
    return engine.response_curves(
        settings, _context(bundle, place), catalogue(), interventions=list(ids), objective=objective
    )


def curves(
    ctx: Context, scenario: Scenario, ids: tuple[str, ...], objective: str = "npv"
) -> list[Response]:
    """Each intervention's objective against its budget (independent of the budgets chosen)."""
    return _curves(ctx.bundle, ctx.view.place, scenario.with_budgets({}), ids, objective)


def band() -> tuple[float, float]:
    """The lowest and highest configured percentiles (scenario.yaml monte_carlo.percentiles)."""
    qs = catalogue().monte_carlo.percentiles
    return float(min(qs)), float(max(qs))


@st.cache_resource(show_spinner=False, max_entries=64)
def _fan_template(label: str, unit: str, polarity: str, attribution: str, shown: tuple) -> str:
    spec = outcome_fan_template(label, unit, polarity, "", attribution, band=shown)
    set_title(spec, FAN_DATASETS[1])
    return json.dumps(spec)


def fan_view(
    traj: pd.DataFrame, indicator_id: str, place_name: str, attribution: str
) -> SteadyChart:
    """The outcome fan, the chart built once per indicator (cached) and the same for every
    place (its title, which names the place, read from the rows: charts.steady), the data of
    this run added (so a slider or a new place builds no chart); and the fan in words."""
    row = traj[traj["indicator_id"] == indicator_id].iloc[0]
    text = _fan_template(row["label"], row["unit"], row["polarity"], attribution, band())
    spec = fan_with_data(json.loads(text), traj, indicator_id, place_name)
    lines = FAN_DATASETS[1]
    title = f"{row['label']}: {place_name}"
    spec["datasets"] = {**spec["datasets"], lines: with_title(spec["datasets"][lines], title)}
    return steady_chart(spec, str(spec["description"]))


def outcome_fan(ctx: Context, scenario: Scenario, indicator_id: str) -> SteadyChart:
    """:func:`fan_view` of ``scenario``'s trajectories at the view's place (cached with the
    results it comes from: a rerun that changes nothing else builds no rows and no words)."""
    return _fan(ctx.bundle, ctx.view.place, scenario, indicator_id)


@st.cache_data(show_spinner=False, max_entries=4 * PLACES, hash_funcs=HASH)
def _fan(bundle: Bundle, place: str, scenario: Scenario, indicator_id: str) -> SteadyChart:
    traj = _trajectories(bundle, place, scenario)
    return fan_view(traj, indicator_id, bundle.place_name(place), bundle.attribution)


# --- saved scenarios and share links ---------------------------------------------------------
def save_current(ctx: Context, scenario: Scenario, name: str, description: str, author: str) -> str:
    """Save the scenario; return its id. Raises StoreError for a missing or too long field."""
    return store().save(
        name, description, scenario.place_code, ctx.view.dataset, author, scenario_to_json(scenario)
    )


def saved_for(ctx: Context) -> list[SavedScenario]:
    """Saved scenarios of this place (none when the store cannot be read)."""
    try:
        return store().list(dataset=ctx.view.dataset, place_code=ctx.view.place)
    except Exception:  # noqa: BLE001 - a database that is down must not break the page
        return []


__all__ = [
    "HASH",
    "StoreError",
    "band",
    "budget_use",
    "catalogue",
    "curves",
    "draws",
    "fan_view",
    "outcome_fan",
    "figures",
    "outcome_indicators",
    "place_context",
    "results",
    "save_current",
    "saved_for",
    "seed",
    "store",
    "trajectories",
]
