"""The Scenarios page's session state: every key in one typed object (:class:`ScenarioKeys`),
read and written through :data:`CONTROLS`, and the actions that set the controls (presets,
budgets, overrides, saved scenarios and share links ``?scenario=<id>``).

A widget's key is also what AppTest and the browser tests find it by: change a name here and
nowhere else. Keys that belong to one intervention are methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.bundle import BundleError
from dashboard.bundle.limits import input_limit
from dashboard.bundle.schema import LEVELS
from dashboard.formatting import escape_markdown
from dashboard.scenario import Scenario, ScenarioError
from dashboard.scenario.assumptions import default_horizon as catalogue_horizon
from dashboard.scenario.io import brief, check_record, parse_scenario_json
from dashboard.scenario.report import check_override, preset_budgets_gbp, scenario_from_saved
from dashboard.store import SavedScenario
from dashboard.ui import scenario as ui
from dashboard.ui.data import available_datasets, dataset_label, load_bundle
from dashboard.ui.state import Context, open_place
from dashboard.view import scenario_id_problem, shown

DEFAULT_PRESET = "prevention_first"


@dataclass(frozen=True)
class ScenarioKeys:
    """Session-state keys of the Scenarios page (all start with ``sc_``)."""

    preset: str = "sc_preset"
    horizon: str = "sc_horizon"
    cut: str = "sc_cut"
    interventions: str = "sc_ivs"
    overrides: str = "sc_overrides"
    place_for: str = "sc_for"
    pending: str = "sc_pending"
    opened: str = "sc_opened"
    error: str = "sc_error"
    loaded: str = "sc_loaded"
    load_notes: str = "sc_load_notes"
    refused: str = "sc_refused"
    tab: str = "sc_tab"
    outcome: str = "sc_outcome"
    opt_all: str = "sc_opt_all"
    use_best: str = "sc_use_best"
    compare: str = "sc_compare"
    compare_outcome: str = "sc_compare_outcome"
    how: str = "sc_how"
    save_form: str = "sc_save_form"
    save_name: str = "sc_save_name"
    save_desc: str = "sc_save_desc"
    save_author: str = "sc_save_author"
    saved_id: str = "sc_saved_id"
    open_pick: str = "sc_open_pick"
    open: str = "sc_open"
    table_version: str = "sc_table_v"
    detail: str = "sc_detail"
    popover: str = "sc_pop"

    def budget(self, iid: str) -> str:
        """An intervention's budget (£ thousand a year; state behind the controls table)."""
        return f"sc_b_{iid}"

    def years(self, iid: str) -> str:
        """An intervention's years of investment (None: every year of the horizon)."""
        return f"sc_y_{iid}"

    def table(self, version: int) -> str:
        """The controls table (st.data_editor): a new key whenever the values behind it change
        other than by editing it (a preset, the best split, a saved scenario, a refusal)."""
        return f"sc_table_{version}"

    def override_pick(self, iid: str) -> str:
        return f"sc_op_{iid}"

    def override_value(self, iid: str) -> str:
        return f"sc_ov_{iid}"

    def override_apply(self, iid: str) -> str:
        return f"sc_oa_{iid}"

    def override_reset(self, iid: str) -> str:
        return f"sc_or_{iid}"

    def opt_budget(self, total_k: int) -> str:
        """The best-split budget box, one per total (so it follows the sliders)."""
        return f"sc_opt_budget_{total_k}"


SC = ScenarioKeys()


class ScenarioControls:
    """Typed reads and writes of the page's session state (one place for every key)."""

    keys = SC

    @property
    def _ss(self) -> Any:
        return st.session_state

    def get(self, key: str, default: Any = None) -> Any:
        return self._ss.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._ss[key] = value

    def pop(self, key: str, default: Any = None) -> Any:
        return self._ss.pop(key, default)

    def setdefault(self, key: str, value: Any) -> Any:
        return self._ss.setdefault(key, value)

    # --- typed views of the main controls ---------------------------------------------------
    @property
    def interventions(self) -> list[str]:
        return list(self.get(SC.interventions, []))

    @property
    def overrides(self) -> dict[str, float]:
        return dict(self.get(SC.overrides, {}))

    @overrides.setter
    def overrides(self, value: Mapping[str, float]) -> None:
        self.set(SC.overrides, dict(value))

    def budget_k(self, iid: str) -> float:
        """The budget of ``iid`` (£ thousand a year)."""
        return float(self.get(SC.budget(iid), 0.0))

    def years(self, iid: str) -> int | None:
        """Years of investment of ``iid`` (None: every year of the horizon)."""
        v = self.get(SC.years(iid))
        return None if v is None else int(v)

    @property
    def table_key(self) -> str:
        """The key of the controls table drawn in this run."""
        return SC.table(int(self.get(SC.table_version, 0)))

    def renew_table(self) -> None:
        """Draw the controls table afresh from the values behind it (drops its edits)."""
        self.set(SC.table_version, int(self.get(SC.table_version, 0)) + 1)

    def horizon(self, default: int) -> int:
        return int(self.get(SC.horizon, default))

    @property
    def cut_share(self) -> float:
        """The prevention cut slider as a share a year (the slider is in %)."""
        return float(self.get(SC.cut, 0)) / 100.0


CONTROLS = ScenarioControls()


# --- controls -------------------------------------------------------------------------------
def apply_budgets(
    ctx: Context,
    budgets_gbp: dict[str, float],
    cut: float,
    horizon: int | None = None,
    overrides: dict[str, float] | None = None,
    years: Mapping[str, int | None] | None = None,
) -> None:
    """Put budgets (£ a year), a yearly prevention cut (share) and optionally the horizon,
    overrides and years of investment (per intervention id; None: every year) into the
    page's controls. The controls table is drawn afresh."""
    ids = [i for i in ui.catalogue().intervention_ids if budgets_gbp.get(i, 0) > 0]
    CONTROLS.set(SC.interventions, ids)
    for iid in ui.catalogue().intervention_ids:
        v = budgets_gbp.get(iid, 0.0) / 1000.0
        CONTROLS.set(SC.budget(iid), round(v, 3))  # £ thousand, to the pound
        CONTROLS.set(SC.years(iid), (years or {}).get(iid))
    CONTROLS.set(SC.cut, round(100.0 * cut))
    if horizon is not None:
        CONTROLS.set(SC.horizon, int(horizon))
    CONTROLS.overrides = overrides or {}
    CONTROLS.renew_table()


def apply_preset(ctx: Context, preset: str) -> None:
    """Put a preset, scaled to the place's population, into the controls."""
    pc = ui.place_context(ctx)
    budgets, cut = preset_budgets_gbp(ui.catalogue(), preset, pc.total_population)
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
    return catalogue_horizon(ui.catalogue())


def funded_ids() -> list[str]:
    """The interventions ticked to fund with a budget above zero, in catalogue order."""
    return [i for i in CONTROLS.interventions if CONTROLS.budget_k(i) > 0]


def current_scenario(ctx: Context) -> Scenario:
    """The scenario the controls describe (budgets in £ a year)."""
    ids = funded_ids()
    budgets = {iid: CONTROLS.budget_k(iid) * 1000.0 for iid in ids}
    horizon = CONTROLS.horizon(default_horizon())
    years = {iid: CONTROLS.years(iid) for iid in ids}
    return Scenario(
        place_code=ctx.view.place,
        horizon_years=horizon,
        budgets=budgets,
        budget_basis="gbp",
        prevention_cut_per_year=CONTROLS.cut_share,
        overrides=CONTROLS.overrides,
        years_of_investment={k: int(v) for k, v in years.items() if v is not None and v < horizon},
    )


def scenario_years(scenario: Scenario) -> dict[str, int | None]:
    """Years of investment per budgeted intervention of a scenario (None: every year)."""
    per = dict(scenario.years_of_investment or {})
    return {k: per.get(k, scenario.invest_years) for k in scenario.budgets}


def set_override(path: str, value: float | None) -> str | None:
    """Set (or with None clear) an assumption; return the refusal message when out of range."""
    ov = CONTROLS.overrides
    if value is None:
        ov.pop(path, None)
    else:
        try:
            check_override(ui.catalogue(), path, value)
        except ScenarioError as exc:
            return f"Refused: {exc}"
        ov[path] = float(value)
    CONTROLS.overrides = ov
    return None


# --- saved scenarios and share links ---------------------------------------------------------
def _bounded_notes(notes: list[str]) -> list[str]:
    """At most limits.yaml saved.max_notes notes (escaped), the rest counted in one line."""
    most = input_limit("saved", "max_notes")
    out = [escape_markdown(n) for n in notes[:most]]
    if len(notes) > most:
        out.append(f"… and {len(notes) - most:,} more parts of the saved scenario were left out.")
    return out


def load_saved(ctx: Context, record: SavedScenario, *, switched: bool = False) -> list[str]:
    """Put a saved scenario into the controls; switch place first when it is elsewhere.

    Call before the page's widgets are drawn (a share link, or the Open button through
    :func:`request_open`). A record that does not fit (a field too long or of the wrong type,
    a value out of range, a dataset or place this server does not have) raises ScenarioError
    and nothing changes. The switch to another place reruns the app once: ``switched`` says it
    has happened, and a view that still does not match is refused, never rerun again.
    Returns notes for anything left out (interventions no longer in the catalogue)."""
    check_record(
        {f: getattr(record, f) for f in ("name", "author", "description", "dataset", "place_code")}
    )
    parse_scenario_json(record.scenario_json)
    scenario, notes = scenario_from_saved(record.scenario_json, ui.catalogue())
    if scenario.place_code != record.place_code:
        raise ScenarioError(
            f"its scenario is for {brief(scenario.place_code)}, the record for "
            f"{brief(record.place_code)}",
            parameter="place_code",
        )
    if record.dataset != ctx.view.dataset or record.place_code != ctx.view.place:
        if switched:
            raise ScenarioError(
                f"the view could not switch to {brief(record.place_code)} in "
                f"{brief(record.dataset)}",
                parameter="place_code",
            )
        level = place_level(ctx, record)
        CONTROLS.set(SC.pending, (record.id, True))
        open_place(record.dataset, level, record.place_code)
        st.rerun()
    pc = ui.place_context(ctx)
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
        scenario_years(scenario),
    )
    CONTROLS.set(SC.loaded, record)
    notes = _bounded_notes(notes)
    CONTROLS.set(SC.load_notes, notes)
    return notes


def place_level(ctx: Context, record: SavedScenario) -> str:
    """The level at which the saved scenario's place sits in its dataset (from that bundle's
    places table), keeping the current level when the place has both. A dataset this server
    does not have, one it refuses, or a place not in it raises ScenarioError."""
    bundle = ctx.bundle
    if record.dataset != ctx.view.dataset:
        paths = available_datasets()
        if record.dataset not in paths:
            raise ScenarioError(
                f"its dataset {brief(record.dataset)} is not available on this server",
                parameter="dataset",
            )
        try:
            bundle = load_bundle(paths[record.dataset])
        except BundleError:
            label = dataset_label(record.dataset)
            raise ScenarioError(
                f"its dataset {brief(label)} was refused", parameter="dataset"
            ) from None
    levels = [lv for lv in LEVELS if record.place_code in bundle.place_codes(lv)]
    if not levels:
        raise ScenarioError(
            f"its place {brief(record.place_code)} is not in {brief(bundle.title)}",
            parameter="place_code",
        )
    return ctx.view.level if ctx.view.level in levels else levels[0]


def request_open(scenario_id: str) -> None:
    """Ask for a saved scenario to be opened at the start of the next run (from the Open
    button: the controls it sets are already drawn in this run)."""
    CONTROLS.set(SC.pending, (scenario_id, False))
    CONTROLS.set(SC.opened, scenario_id)
    CONTROLS.pop(SC.saved_id, None)  # the share link shown is the opened one's, in the URL
    st.query_params["scenario"] = scenario_id


def _fail(message: str, wanted: object) -> None:
    """Report a share link or saved scenario that cannot be opened; take its id out of the
    URL (a copied link then reopens what is shown) and keep the view as it was."""
    CONTROLS.set(SC.error, message)
    CONTROLS.pop(SC.loaded, None)
    CONTROLS.pop(SC.load_notes, None)
    if st.query_params.get("scenario") == wanted:
        del st.query_params["scenario"]


def open_from_link(ctx: Context) -> None:
    """Open ``?scenario=<id>`` once per id (a share link), or a scenario asked for by the Open
    button or waiting for a place switch. Call before the controls are drawn. Unknown ids and
    broken records are reported (escaped), not raised; the view stays as it was."""
    pending = CONTROLS.pop(SC.pending, None)
    wanted, switched = pending if pending else (st.query_params.get("scenario"), False)
    if not wanted or (CONTROLS.get(SC.opened) == wanted and not pending):
        return
    CONTROLS.set(SC.opened, wanted)
    if why := scenario_id_problem(str(wanted)):
        _fail(f"Link parameter **scenario** {shown(wanted)} {why}.", wanted)
        return
    try:
        record = ui.store().get(wanted)
    except Exception as exc:  # noqa: BLE001
        _fail(f"The scenario store cannot be read ({type(exc).__name__}).", None)
        return
    if record is None:
        _fail(f"Link parameter **scenario**: no saved scenario has the id {shown(wanted)}.", wanted)
        return
    try:
        load_saved(ctx, record, switched=switched)
    except ScenarioError as exc:
        _fail(
            f"The saved scenario {shown(record.name)} cannot be opened: {escape_markdown(exc)}",
            wanted,
        )
