"""The Scenarios page's controls table: one row per intervention of the catalogue (fund it or
not, budget in £ thousand a year, years of investment, and the assumptions that matter most),
its edits applied to the page's state, and the totals under it.

The values live in session state (ui.scenario_controls); the table is drawn from them each
run. Edits arrive in the editor's state before the run and are applied first; a value out of
its allowed range is refused with a message naming the assumption, and the table is drawn
afresh from what was kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.formatting import format_gbp
from dashboard.scenario import ScenarioError, parameter_bounds
from dashboard.scenario.report import check_override
from dashboard.ui import scenario as ui
from dashboard.ui.scenario_controls import (
    CONTROLS,
    SC,
    default_horizon,
    set_override,
)

#: The editable assumption columns: column -> (what it is, parameter key, table units per unit
#: of the parameter). "avoided_gbp" is each intervention's largest avoided cost.
ASSUMPTION_COLUMNS: dict[str, tuple[str, str, float]] = {
    "cost_gbp": ("Cost per participant", "cost_per_participant", 1.0),
    "success_pct": ("Success rate", "success_rate", 100.0),
    "avoided_gbp": ("Main avoided cost", "avoided", 1.0),
}
COLUMNS = ["fund", "intervention", "budget_k", "years", *ASSUMPTION_COLUMNS]


@dataclass(frozen=True)
class TableRows:
    """What the table shows: one row per intervention id (``ids``, in catalogue order), and
    the parameter path behind each assumption cell (``paths[iid][column]``)."""

    frame: pd.DataFrame
    ids: list[str]
    paths: dict[str, dict[str, str]]
    avoided_labels: dict[str, str]


def _params(iid: str) -> dict[str, Any]:
    """The parameters behind an intervention's assumption columns."""
    cat = ui.catalogue()
    iv = cat.intervention(iid)
    # the largest avoided cost stated as one £ value (NHS hospital activity is priced as
    # events x unit costs: its counts are in the full assumptions panel)
    valued = [a for a in iv.avoided_costs if a.value is not None]
    main = max(valued, key=lambda a: a.value.central, default=None)
    return {
        "cost_per_participant": iv.cost_per_participant,
        "success_rate": iv.success_rate,
        "avoided": None if main is None else main.value,
        "avoided_label": "" if main is None else f"{main.label} ({cat.agency_labels[main.agency]})",
    }


def table_rows() -> TableRows:
    """The controls table from the page's state (central values after the user's changes)."""
    cat = ui.catalogue()
    central = parameter_bounds(cat, CONTROLS.overrides)[1]
    horizon = CONTROLS.horizon(default_horizon())
    funded = set(CONTROLS.interventions)
    rows, paths, labels = [], {}, {}
    for iid in cat.intervention_ids:
        p = _params(iid)
        years = CONTROLS.years(iid)
        row: dict[str, Any] = {
            "fund": iid in funded,
            "intervention": cat.intervention(iid).label,
            "budget_k": CONTROLS.budget_k(iid),
            "years": horizon if years is None else min(int(years), horizon),
        }
        paths[iid] = {}
        for col, (_, key, scale) in ASSUMPTION_COLUMNS.items():
            param = p[key]
            row[col] = None if param is None else round(float(central[param.index]) * scale, 9)
            if param is not None:
                paths[iid][col] = param.path
        labels[iid] = p["avoided_label"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return TableRows(frame, list(cat.intervention_ids), paths, labels)


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _refusal(iid: str, col: str, path: str, value: float) -> str:
    label, _, scale = ASSUMPTION_COLUMNS[col]
    param = next(p for p in ui.catalogue().params if p.path == path)
    unit = "%" if scale != 1.0 else ""
    lo, hi = param.min * scale, param.max * scale
    return (
        f"Refused: {label.lower()} of {ui.catalogue().intervention(iid).label} "
        f"{value:,.4g}{unit} is outside the allowed range {lo:,.4g}{unit} to {hi:,.4g}{unit} "
        f"({path}); the value in use is kept."
    )


def apply_edits() -> list[str]:
    """Apply the edits waiting in the controls table's state to the page's state; return the
    refusals (each naming the assumption, the value and its allowed range). The table is
    drawn afresh when a value was refused or changed more than the cell edited."""
    edits = CONTROLS.get(CONTROLS.table_key)
    if not isinstance(edits, dict) or not edits.get("edited_rows"):
        return []
    t = table_rows()
    before = t.frame
    limit = ui.catalogue().limits["budget_gbp"]
    refusals: list[str] = []
    renew = False
    funded = list(CONTROLS.interventions)
    for pos, change in edits["edited_rows"].items():
        i = int(pos)
        if not 0 <= i < len(t.ids) or not isinstance(change, dict):
            continue
        iid = t.ids[i]
        row = before.iloc[i]
        for col, value in change.items():
            if col == "fund":
                on = bool(value)
                if on != bool(row["fund"]):
                    funded = [x for x in funded if x != iid] + ([iid] if on else [])
            elif col == "budget_k":
                v = _number(value) or 0.0
                if v == float(row["budget_k"]):
                    continue
                if not limit.min <= v * 1000.0 <= limit.max:
                    refusals.append(
                        f"Refused: a budget of £{v:,.0f}k a year for "
                        f"{ui.catalogue().intervention(iid).label} is outside the allowed "
                        f"range {format_gbp(limit.min)} to {format_gbp(limit.max)} a year."
                    )
                    renew = True
                    continue
                CONTROLS.set(SC.budget(iid), v)
                if v > 0 and iid not in funded:  # a budget typed in funds the row
                    funded.append(iid)
                    renew = True
            elif col == "years":
                v = _number(value)
                if v is not None and int(v) == int(row["years"]):
                    continue
                renew |= _set_years(iid, v)
            elif col in ASSUMPTION_COLUMNS and col in t.paths[iid]:
                v = _number(value)
                old = _number(row[col])
                if v is not None and old is not None and math.isclose(v, old, rel_tol=1e-9):
                    continue
                path = t.paths[iid][col]
                scale = ASSUMPTION_COLUMNS[col][2]
                if v is None:
                    set_override(path, None)
                    renew = True
                    continue
                try:
                    check_override(ui.catalogue(), path, v / scale)
                except ScenarioError:
                    refusals.append(_refusal(iid, col, path, v))
                    renew = True
                    continue
                set_override(path, v / scale)
    order = ui.catalogue().intervention_ids
    CONTROLS.set(SC.interventions, [i for i in order if i in set(funded)])
    if refusals:
        CONTROLS.set(SC.refused, " ".join(refusals))
    else:
        CONTROLS.pop(SC.refused, None)
    if renew:
        CONTROLS.renew_table()
    return refusals


def _set_years(iid: str, value: float | None) -> bool:
    """Set an intervention's years of investment; return True when the value was clamped to
    the allowed range (the table then shows what was kept)."""
    horizon = CONTROLS.horizon(default_horizon())
    lim = ui.catalogue().limits["invest_years"]
    v = None if value is None else int(max(lim.min, min(int(value), horizon)))
    v = None if v is not None and v >= horizon else v
    CONTROLS.set(SC.years(iid), v)
    return value is None or int(value) != (horizon if v is None else v)


# --- totals and messages --------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    """The line under the table and the unused-budget sentences (one per intervention)."""

    text: str
    unused: list[str]


def totals(use: pd.DataFrame) -> Totals:
    """Budgets asked and used (£ a year, first year) and the number funded, from
    :func:`dashboard.scenario.budget_use.budget_use`'s table."""
    asked = float(use["asked_gbp_per_year"].sum()) if len(use) else 0.0
    used = float(use["used_gbp_per_year"].sum()) if len(use) else 0.0
    n = len(use)
    text = (
        f"**{n}** intervention{'s' if n != 1 else ''} funded · asked "
        f"**{format_gbp(asked)}** a year · used **{format_gbp(used)}** a year"
    )
    unused = (
        [f"{lab}: {m}" for lab, m in zip(use["label"], use["message"], strict=True) if m]
        if len(use)
        else []
    )
    return Totals(text, unused)


#: Pixels a row of the table takes (Streamlit's default row height), and the header's.
ROW_PX = 35


def table_height(rows: int) -> int:
    """The table's height in px: every row shown, no inner scroll."""
    return ROW_PX * (rows + 1) + 3


def column_config() -> dict[str, Any]:
    """The table's columns: labels, units, formats and help."""
    lim = ui.catalogue().limits
    return {
        "fund": st.column_config.CheckboxColumn("fund", width=64, help="Fund it or not"),
        "intervention": st.column_config.TextColumn(
            "intervention", disabled=True, pinned=True, width=272
        ),
        "budget_k": st.column_config.NumberColumn(
            "£k a year",
            help="Budget, £ thousand a year",
            min_value=0.0,
            format="£%,.0fk",
            width=90,
        ),
        "years": st.column_config.NumberColumn(
            "years",
            help="Years of investment of each intervention, from the first year after the base year.",
            min_value=int(lim["invest_years"].min),
            max_value=int(lim["horizon_years"].max),
            step=1,
            format="%d",
            width=64,
        ),
        "cost_gbp": st.column_config.NumberColumn(
            "£ a person",
            help="Cost per participant (£, central value)",
            format="£%,.0f",
            width=90,
        ),
        "success_pct": st.column_config.NumberColumn(
            "success %",
            help="Success rate (% of participants, central value)",
            format="%.1f%%",
            width=94,
        ),
        "avoided_gbp": st.column_config.NumberColumn(
            "avoided £",
            width=98,
            help="The largest cost each success avoids (£ a year, central value); the others "
            "are in the intervention's full list of assumptions.",
            format="£%,.0f",
        ),
    }
