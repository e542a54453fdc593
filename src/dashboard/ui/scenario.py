"""Streamlit glue for the Scenarios page: cached engine calls, the controls and their session
state (ui.scenario_controls), the scenario store and share links (``?scenario=<id>``).

Every cache keys a bundle on :func:`dashboard.ui.cached.bundle_key` and a scenario on its JSON;
the engine (dashboard.scenario.engine) does the work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.bundle.schema import LEVELS
from dashboard.charts.scenario import outcome_fan_data, outcome_fan_template
from dashboard.scenario import (
    Catalogue,
    PlaceContext,
    Result,
    Scenario,
    ScenarioError,
    Simulation,
    context_from_bundle,
    engine,
    load_catalogue,
    scenario_to_json,
)
from dashboard.scenario.incremental import Part
from dashboard.scenario.optimise import Response
from dashboard.scenario.report import (
    HeadlineFigures,
    check_override,
    headline_figures,
    outcome_trajectories,
    preset_budgets_gbp,
    scenario_from_saved,
)
from dashboard.store import SavedScenario, ScenarioStore, StoreError, database_url
from dashboard.ui.cached import bundle_key
from dashboard.ui.data import available_datasets, load_bundle
from dashboard.ui.scenario_controls import CONTROLS, SC
from dashboard.ui.state import Context, open_place

DEFAULT_PRESET = "prevention_first"
#: How a cache hashes the engine's inputs: a bundle by its key, a scenario by its JSON.
HASH = {Bundle: bundle_key, Scenario: scenario_to_json}


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ScenarioStore:
    return ScenarioStore(url)


def store() -> ScenarioStore:
    """The scenario store for this server (DATABASE_URL, else the SQLite file at PVE_DB_PATH),
    opened (and migrated) once per database."""
    return _store(database_url())


def catalogue() -> Catalogue:
    return load_catalogue()


def draws() -> int:
    """Monte Carlo draws behind every band and the chance NPV > 0 (scenario.yaml)."""
    return int(catalogue().monte_carlo.default_draws)


def seed() -> int:
    """The fixed Monte Carlo seed, so the same scenario shows the same figures (scenario.yaml)."""
    return int(catalogue().limits["seed"].default or 0)


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=HASH)
def _context(bundle: Bundle, place: str) -> PlaceContext:
    return context_from_bundle(bundle, place, catalogue())


def place_context(ctx: Context) -> PlaceContext:
    return _context(ctx.bundle, ctx.view.place)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs=HASH)
def _run(bundle: Bundle, place: str, scenario: Scenario) -> Result:
    return engine.run(scenario, _context(bundle, place), catalogue())


@st.cache_resource(show_spinner=False, max_entries=1024, hash_funcs=HASH)
def _part(bundle: Bundle, place: str, sub: Scenario, which: str | None, n: int, s: int) -> Part:
    return engine.intervention_draws(
        sub, _context(bundle, place), catalogue(), which, draws=n, seed=s
    )


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=HASH)
def _simulation(bundle: Bundle, place: str, scenario: Scenario, n: int, s: int) -> Simulation:
    return engine.simulate_assembled(
        scenario,
        _context(bundle, place),
        catalogue(),
        draws=n,
        seed=s,
        part=lambda sub, which: _part(bundle, place, sub, which, n, s),
    )


def results(ctx: Context, scenario: Scenario) -> tuple[Result, Simulation]:
    """Deterministic run and Monte Carlo summary (cached on the scenario and the place).

    The Monte Carlo run is assembled from one cached part per funded intervention (and one
    for a prevention cut), so moving one budget slider evaluates one intervention."""
    b, place = ctx.bundle, ctx.view.place
    return _run(b, place, scenario), _simulation(b, place, scenario, draws(), seed())


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


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=HASH)
def _trajectories(bundle: Bundle, place: str, scenario: Scenario) -> pd.DataFrame:
    result = _run(bundle, place, scenario)
    sim = _simulation(bundle, place, scenario, draws(), seed())
    return outcome_trajectories(result, sim, _outcome_indicators(bundle))


def figures(ctx: Context, scenario: Scenario) -> HeadlineFigures:
    """Headline figures (cached with the results they come from)."""
    return _figures(ctx.bundle, ctx.view.place, scenario)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=HASH)
def _figures(bundle: Bundle, place: str, scenario: Scenario) -> HeadlineFigures:
    result = _run(bundle, place, scenario)
    return headline_figures(result, _simulation(bundle, place, scenario, draws(), seed()))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=HASH)
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


@st.cache_data(show_spinner=False, max_entries=64)
def _fan_template(label: str, unit: str, polarity: str, place_name: str, attribution: str) -> dict:
    return outcome_fan_template(label, unit, polarity, place_name, attribution)


def fan_spec(traj: pd.DataFrame, indicator_id: str, place_name: str, attribution: str) -> dict:
    """The outcome fan's spec: the chart built once per indicator and place (cached), the
    data of this run added (so moving a slider does not rebuild the chart)."""
    row = traj[traj["indicator_id"] == indicator_id].iloc[0]
    spec = _fan_template(row["label"], row["unit"], row["polarity"], place_name, attribution)
    return {**spec, "datasets": outcome_fan_data(traj, indicator_id)}


# --- controls -------------------------------------------------------------------------------
def nice_step(top_k: float) -> float:
    """A slider step (£ thousand) near a hundredth of ``top_k``: 1, 2 or 5 times a power of 10."""
    raw = max(top_k / 100.0, 1.0)
    p = 10 ** math.floor(math.log10(raw))
    return float(next(m * p for m in (1, 2, 5, 10) if m * p >= raw))


@dataclass(frozen=True)
class BudgetRange:
    """A budget slider's range and step, in £ thousand a year."""

    max_k: float
    step_k: float
    cap_k: float


def budget_ranges(ctx: Context) -> dict[str, BudgetRange]:
    """Slider ranges per intervention: up to the headroom (scenario.yaml
    limits.budget_slider_headroom) times the budget that reaches everyone eligible in year 0
    (central values), in sensible steps."""
    key = (bundle_key(ctx.bundle), ctx.view.place)
    cache = CONTROLS.get(SC.ranges)
    if cache and cache[0] == key:
        return cache[1]
    cat = catalogue()
    headroom = float(cat.limits["budget_slider_headroom"].default or 1.0)
    pc = place_context(ctx)
    base = Scenario(place_code=pc.place_code, horizon_years=1)
    out = {}
    for r in engine.response_curves(base, pc, cat):
        cap_k = r.cap_gbp / 1000.0
        step = nice_step(cap_k * headroom)
        top = max(step * math.ceil(cap_k * headroom / step), step * 10)
        out[r.intervention] = BudgetRange(top, step, cap_k)
    CONTROLS.set(SC.ranges, (key, out))
    return out


def _round_to(value: float, step: float) -> float:
    return float(round(value / step) * step)


def apply_budgets(
    ctx: Context,
    budgets_gbp: dict[str, float],
    cut: float,
    horizon: int | None = None,
    overrides: dict[str, float] | None = None,
) -> None:
    """Put budgets (£ a year), a yearly prevention cut (share) and optionally the horizon and
    overrides into the page's widgets."""
    ranges = budget_ranges(ctx)
    ids = [i for i in catalogue().intervention_ids if budgets_gbp.get(i, 0) > 0]
    CONTROLS.set(SC.interventions, ids)
    for iid, rng in ranges.items():
        v = budgets_gbp.get(iid, 0.0) / 1000.0
        CONTROLS.set(SC.budget(iid), min(_round_to(v, rng.step_k) if v else 0.0, rng.max_k))
        CONTROLS.set(SC.budget_top(iid), max(rng.max_k, _round_to(v, rng.step_k)))
    CONTROLS.set(SC.cut, round(100.0 * cut))
    if horizon is not None:
        CONTROLS.set(SC.horizon, int(horizon))
    CONTROLS.overrides = overrides or {}


def apply_preset(ctx: Context, preset: str) -> None:
    """Put a preset, scaled to the place's population, into the controls."""
    pc = place_context(ctx)
    budgets, cut = preset_budgets_gbp(catalogue(), preset, pc.total_population)
    apply_budgets(ctx, budgets, cut)


def ensure_state(ctx: Context) -> None:
    """First visit, or a new place: start from the default preset scaled to the place."""
    here = (ctx.view.dataset, ctx.view.place)
    if CONTROLS.get(SC.place_for) == here:
        return
    CONTROLS.set(SC.place_for, here)
    CONTROLS.setdefault(SC.preset, DEFAULT_PRESET)
    CONTROLS.setdefault(SC.horizon, default_horizon())
    keep = CONTROLS.overrides
    apply_preset(ctx, CONTROLS.get(SC.preset))
    CONTROLS.overrides = keep


def default_horizon() -> int:
    """The horizon a new visit starts with (scenario.yaml limits.horizon_years, years)."""
    lim = catalogue().limits["horizon_years"]
    return int(lim.default or lim.max)


def current_scenario(ctx: Context) -> Scenario:
    """The scenario the controls describe (budgets in £ a year)."""
    budgets = {
        iid: CONTROLS.budget_k(iid) * 1000.0
        for iid in CONTROLS.interventions
        if CONTROLS.budget_k(iid) > 0
    }
    return Scenario(
        place_code=ctx.view.place,
        horizon_years=CONTROLS.horizon(default_horizon()),
        budgets=budgets,
        budget_basis="gbp",
        prevention_cut_per_year=CONTROLS.cut_share,
        overrides=CONTROLS.overrides,
    )


def set_override(path: str, value: float | None) -> str | None:
    """Set (or with None clear) an assumption; return the refusal message when out of range."""
    ov = CONTROLS.overrides
    if value is None:
        ov.pop(path, None)
    else:
        try:
            check_override(catalogue(), path, value)
        except ScenarioError as exc:
            return f"Refused: {exc}"
        ov[path] = float(value)
    CONTROLS.overrides = ov
    return None


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


def load_saved(ctx: Context, record: SavedScenario) -> list[str]:
    """Put a saved scenario into the controls; switch place first when it is elsewhere.

    Returns notes for anything left out (interventions no longer in the catalogue)."""
    scenario, notes = scenario_from_saved(record.scenario_json, catalogue())
    if record.dataset != ctx.view.dataset or record.place_code != ctx.view.place:
        CONTROLS.set(SC.pending, record.id)
        open_place(record.dataset, place_level(ctx, record), record.place_code)
        st.rerun()
    pc = place_context(ctx)
    budgets = dict(scenario.budgets)
    if scenario.budget_basis == "gbp_per_head":
        budgets = {k: v * pc.total_population for k, v in budgets.items()}
    CONTROLS.set(SC.place_for, (ctx.view.dataset, ctx.view.place))
    apply_budgets(
        ctx,
        budgets,
        scenario.prevention_cut_per_year,
        scenario.horizon_years,
        dict(scenario.overrides),
    )
    CONTROLS.set(SC.loaded, record)
    CONTROLS.set(SC.load_notes, notes)
    return notes


def place_level(ctx: Context, record: SavedScenario) -> str:
    """The level at which the saved scenario's place sits in its dataset (from that bundle's
    places table), keeping the current level when the place has both."""
    bundle = ctx.bundle
    if record.dataset != ctx.view.dataset:
        paths = available_datasets()
        if record.dataset not in paths:
            return ctx.view.level
        bundle = load_bundle(paths[record.dataset])
    levels = [lv for lv in LEVELS if record.place_code in bundle.place_codes(lv)]
    return ctx.view.level if ctx.view.level in levels or not levels else levels[0]


def open_from_link(ctx: Context) -> None:
    """Open ``?scenario=<id>`` once per id (a share link), or a scenario waiting for a place
    switch. Unknown ids and broken records are reported, not raised."""
    pending = CONTROLS.pop(SC.pending, None)
    wanted = pending or st.query_params.get("scenario")
    if not wanted or (CONTROLS.get(SC.opened) == wanted and not pending):
        return
    CONTROLS.set(SC.opened, wanted)
    try:
        record = store().get(wanted)
    except Exception as exc:  # noqa: BLE001
        CONTROLS.set(SC.error, f"The scenario store cannot be read ({type(exc).__name__}).")
        return
    if record is None:
        CONTROLS.set(SC.error, f"No saved scenario has the id '{wanted}'.")
        return
    try:
        load_saved(ctx, record)
    except ScenarioError as exc:
        CONTROLS.set(SC.error, f"The saved scenario '{record.name}' cannot be opened: {exc}")


__all__ = [
    "SC",
    "StoreError",
    "apply_budgets",
    "apply_preset",
    "budget_ranges",
    "current_scenario",
    "curves",
    "draws",
    "ensure_state",
    "fan_spec",
    "load_saved",
    "open_from_link",
    "place_context",
    "results",
    "save_current",
    "saved_for",
    "set_override",
    "store",
]
