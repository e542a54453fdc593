"""Streamlit glue for the Scenarios page: cached engine calls, the controls and their session
state, the scenario store and share links (``?scenario=<id>``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.charts.scenario import outcome_fan_data, outcome_fan_template
from dashboard.scenario import (
    Catalogue,
    PlaceContext,
    Result,
    Scenario,
    ScenarioError,
    Simulation,
    context_from_bundle,
    load_catalogue,
    run,
    scenario_to_json,
    simulate,
)
from dashboard.scenario.incremental import (
    Part,
    combine,
    intervention_draws,
    part_keys,
    part_scenario,
)
from dashboard.scenario.optimise import Response, response_curves
from dashboard.scenario.report import (
    HeadlineFigures,
    check_override,
    headline_figures,
    outcome_trajectories,
    preset_budgets_gbp,
    scenario_from_saved,
)
from dashboard.store import SavedScenario, ScenarioStore, StoreError, database_url
from dashboard.ui.state import Context, open_place

DRAWS = 1000  # Monte Carlo draws behind every band and the chance NPV > 0
SEED = 0  # fixed, so the same scenario always shows the same figures
DEFAULT_PRESET = "prevention_first"
K = "sc_"  # session-state prefix of this page


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ScenarioStore:
    return ScenarioStore(url)


def store() -> ScenarioStore:
    """The scenario store for this server (DATABASE_URL, else the SQLite file at PVE_DB_PATH),
    opened (and migrated) once per database."""
    return _store(database_url())


def catalogue() -> Catalogue:
    return load_catalogue()


def _bundle_key(ctx: Context) -> str:
    return f"{ctx.view.dataset}:{id(ctx.bundle)}"


@st.cache_resource(show_spinner=False, max_entries=32)
def _context(key: str, place: str, _bundle: Bundle) -> PlaceContext:
    return context_from_bundle(_bundle, place, catalogue())


def place_context(ctx: Context) -> PlaceContext:
    return _context(_bundle_key(ctx), ctx.view.place, ctx.bundle)


@st.cache_resource(show_spinner=False, max_entries=256)
def _run(scenario_json: str, key: str, _scenario: Scenario, _pc: PlaceContext) -> Result:
    return run(_scenario, _pc, catalogue())


@st.cache_resource(show_spinner=False, max_entries=128)
def _simulate(scenario_json: str, key: str, _scenario: Scenario, _pc: PlaceContext) -> Simulation:
    return simulate(_scenario, _pc, catalogue(), draws=DRAWS, seed=SEED)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _part(
    part_json: str, which: str | None, key: str, _scenario: Scenario, _pc: PlaceContext
) -> Part:
    return intervention_draws(_scenario, _pc, catalogue(), which, draws=DRAWS, seed=SEED)


@st.cache_resource(show_spinner=False, max_entries=128)
def _combined(
    scenario_json: str, key: str, _parts: tuple[Part, ...], _pc: PlaceContext
) -> Simulation:
    return combine(list(_parts), catalogue(), _pc, draws=DRAWS, seed=SEED)


def results(ctx: Context, scenario: Scenario) -> tuple[Result, Simulation]:
    """Deterministic run and Monte Carlo summary (cached on the scenario and the place).

    The Monte Carlo run is assembled from one cached part per funded intervention (and one
    for a prevention cut), so moving one budget slider evaluates one intervention."""
    pc = place_context(ctx)
    text = scenario_to_json(scenario)
    key = _bundle_key(ctx)
    result = _run(text, key, scenario, pc)
    keys = part_keys(scenario)
    if not keys:
        return result, _simulate(text, key, scenario, pc)
    parts = []
    for which, _ in keys:
        sub = part_scenario(scenario, which)
        parts.append(_part(scenario_to_json(sub), which, key, sub, pc))
    return result, _combined(text, key, tuple(parts), pc)


def outcome_indicators(ctx: Context) -> dict[str, dict]:
    """Catalogue entries of the outcome indicators the scenario engine moves, in this bundle."""
    return _outcome_indicators(_bundle_key(ctx), ctx.bundle)


@st.cache_resource(show_spinner=False, max_entries=8)
def _outcome_indicators(key: str, _bundle: Bundle) -> dict[str, dict]:
    return {
        i: _bundle.indicator(i) for i in catalogue().outcome_indicators if _bundle.has_indicator(i)
    }


def trajectories(ctx: Context, scenario: Scenario, result: Result, sim: Simulation) -> pd.DataFrame:
    """Outcome trajectories with their band (cached with the results they come from)."""
    return _trajectories(scenario_to_json(scenario), _bundle_key(ctx), result, sim, ctx)


@st.cache_data(show_spinner=False, max_entries=64)
def _trajectories(
    text: str, key: str, _result: Result, _sim: Simulation, _ctx: Context
) -> pd.DataFrame:
    return outcome_trajectories(_result, _sim, outcome_indicators(_ctx))


def figures(ctx: Context, scenario: Scenario, result: Result, sim: Simulation) -> HeadlineFigures:
    """Headline figures (cached with the results they come from)."""
    return _figures(scenario_to_json(scenario), _bundle_key(ctx), result, sim)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figures(text: str, key: str, _result: Result, _sim: Simulation) -> HeadlineFigures:
    return headline_figures(_result, _sim)


@st.cache_resource(show_spinner=False, max_entries=32)
def _curves(
    key: str, settings: str, ids: tuple[str, ...], objective: str, _s: Scenario, _pc: PlaceContext
) -> list[Response]:
    return response_curves(_s, _pc, catalogue(), interventions=list(ids), objective=objective)


def curves(
    ctx: Context, scenario: Scenario, ids: tuple[str, ...], objective: str = "npv"
) -> list[Response]:
    """Each intervention's objective against its budget (independent of the budgets chosen)."""
    settings = scenario_to_json(scenario.with_budgets({}))
    return _curves(
        _bundle_key(ctx), settings, ids, objective, scenario.with_budgets({}), place_context(ctx)
    )


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
    """Slider ranges per intervention: up to about 1.5 times the budget that reaches everyone
    eligible in year 0 (central values), in sensible steps."""
    key = (_bundle_key(ctx), ctx.view.place)
    cache = st.session_state.get(f"{K}ranges")
    if cache and cache[0] == key:
        return cache[1]
    cat = catalogue()
    pc = place_context(ctx)
    base = Scenario(place_code=pc.place_code, horizon_years=1)
    out = {}
    for r in response_curves(base, pc, cat):
        cap_k = r.cap_gbp / 1000.0
        step = nice_step(cap_k * 1.5)
        top = max(step * math.ceil(cap_k * 1.5 / step), step * 10)
        out[r.intervention] = BudgetRange(top, step, cap_k)
    st.session_state[f"{K}ranges"] = (key, out)
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
    ss = st.session_state
    ids = [i for i in catalogue().intervention_ids if budgets_gbp.get(i, 0) > 0]
    ss[f"{K}ivs"] = ids
    for iid, rng in ranges.items():
        v = budgets_gbp.get(iid, 0.0) / 1000.0
        ss[f"{K}b_{iid}"] = min(_round_to(v, rng.step_k) if v else 0.0, rng.max_k)
        ss[f"{K}bx_{iid}"] = max(rng.max_k, _round_to(v, rng.step_k))
    ss[f"{K}cut"] = round(100.0 * cut)
    if horizon is not None:
        ss[f"{K}horizon"] = int(horizon)
    ss[f"{K}overrides"] = dict(overrides or {})


def apply_preset(ctx: Context, preset: str) -> None:
    pc = place_context(ctx)
    budgets, cut = preset_budgets_gbp(catalogue(), preset, pc.total_population)
    apply_budgets(ctx, budgets, cut)


def ensure_state(ctx: Context) -> None:
    """First visit, or a new place: start from the default preset scaled to the place."""
    ss = st.session_state
    here = (ctx.view.dataset, ctx.view.place)
    if ss.get(f"{K}for") == here:
        return
    ss[f"{K}for"] = here
    ss.setdefault(f"{K}preset", DEFAULT_PRESET)
    ss.setdefault(f"{K}horizon", int(catalogue().limits["horizon_years"].default or 10))
    keep = ss.get(f"{K}overrides", {})
    apply_preset(ctx, ss[f"{K}preset"])
    ss[f"{K}overrides"] = keep


def current_scenario(ctx: Context) -> Scenario:
    """The scenario the controls describe (budgets in £ a year)."""
    ss = st.session_state
    budgets = {
        iid: float(ss.get(f"{K}b_{iid}", 0.0)) * 1000.0
        for iid in ss.get(f"{K}ivs", [])
        if float(ss.get(f"{K}b_{iid}", 0.0)) > 0
    }
    return Scenario(
        place_code=ctx.view.place,
        horizon_years=int(ss.get(f"{K}horizon", 10)),
        budgets=budgets,
        budget_basis="gbp",
        prevention_cut_per_year=float(ss.get(f"{K}cut", 0)) / 100.0,
        overrides=dict(ss.get(f"{K}overrides", {})),
    )


def set_override(path: str, value: float | None) -> str | None:
    """Set (or with None clear) an assumption; return the refusal message when out of range."""
    ov = dict(st.session_state.get(f"{K}overrides", {}))
    if value is None:
        ov.pop(path, None)
    else:
        try:
            check_override(catalogue(), path, value)
        except ScenarioError as exc:
            return f"Refused: {exc}"
        ov[path] = float(value)
    st.session_state[f"{K}overrides"] = ov
    return None


# --- saved scenarios and share links ---------------------------------------------------------
def save_current(ctx: Context, scenario: Scenario, name: str, description: str, author: str) -> str:
    """Save the scenario; return its id. Raises StoreError for a missing or too long field."""
    return store().save(
        name, description, scenario.place_code, ctx.view.dataset, author, scenario_to_json(scenario)
    )


def saved_for(ctx: Context) -> list[SavedScenario]:
    try:
        return store().list(dataset=ctx.view.dataset, place_code=ctx.view.place)
    except Exception:  # noqa: BLE001 - a database that is down must not break the page
        return []


def load_saved(ctx: Context, record: SavedScenario) -> list[str]:
    """Put a saved scenario into the controls; switch place first when it is elsewhere.

    Returns notes for anything left out (interventions no longer in the catalogue)."""
    scenario, notes = scenario_from_saved(record.scenario_json, catalogue())
    if record.dataset != ctx.view.dataset or record.place_code != ctx.view.place:
        bundle_levels = ("upper", "lower")
        level = ctx.view.level
        if record.dataset == ctx.view.dataset:
            levels = [lv for lv in bundle_levels if record.place_code in ctx.bundle.place_codes(lv)]
            level = level if level in levels else (levels[0] if levels else level)
        else:
            level = "upper" if record.place_code[:3] != "E07" else "lower"
        st.session_state[f"{K}pending"] = record.id
        open_place(record.dataset, level, record.place_code)
        st.rerun()
    pc = place_context(ctx)
    budgets = dict(scenario.budgets)
    if scenario.budget_basis == "gbp_per_head":
        budgets = {k: v * pc.total_population for k, v in budgets.items()}
    st.session_state[f"{K}for"] = (ctx.view.dataset, ctx.view.place)
    apply_budgets(
        ctx,
        budgets,
        scenario.prevention_cut_per_year,
        scenario.horizon_years,
        dict(scenario.overrides),
    )
    st.session_state[f"{K}loaded"] = record
    st.session_state[f"{K}load_notes"] = notes
    return notes


def open_from_link(ctx: Context) -> None:
    """Open ``?scenario=<id>`` once per id (a share link), or a scenario waiting for a place
    switch. Unknown ids and broken records are reported, not raised."""
    ss = st.session_state
    pending = ss.pop(f"{K}pending", None)
    wanted = pending or st.query_params.get("scenario")
    if not wanted or (ss.get(f"{K}opened") == wanted and not pending):
        return
    ss[f"{K}opened"] = wanted
    try:
        record = store().get(wanted)
    except Exception as exc:  # noqa: BLE001
        ss[f"{K}error"] = f"The scenario store cannot be read ({type(exc).__name__})."
        return
    if record is None:
        ss[f"{K}error"] = f"No saved scenario has the id '{wanted}'."
        return
    try:
        load_saved(ctx, record)
    except ScenarioError as exc:
        ss[f"{K}error"] = f"The saved scenario '{record.name}' cannot be opened: {exc}"


__all__ = [
    "DRAWS",
    "K",
    "StoreError",
    "apply_budgets",
    "apply_preset",
    "budget_ranges",
    "current_scenario",
    "curves",
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
