"""The assumptions behind a scenario in words: each intervention's parameters with their
range, grade and source (after overrides), refusing an out-of-range override, presets scaled to
a place, and saved scenarios read back against today's catalogue (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.scenario.catalogue import Catalogue, Intervention, Param, UnitCost
from dashboard.scenario.context import PlaceContext, unit_cost_uplift
from dashboard.scenario.io import parse_scenario_json, scenario_from_dict
from dashboard.scenario.spec import Scenario, parameter_bounds

#: Parameter units in words.
PARAM_UNIT_TEXT: dict[str, str] = {
    "gbp_per_person": "£ per person",
    "gbp_per_success_per_year": "£ per success a year",
    "gbp_per_head": "£ per head",
    "gbp_per_gbp": "£ per £",
    "share": "share (0–1)",
    "share_per_year": "share a year (0–1)",
    "years": "years",
    "people_per_success": "people per success",
    "weight": "weight",
    "gbp_per_event": "£ per event",
    "events_per_success_per_year": "events per success a year",
}
#: Evidence grades in words (scenario.yaml defines them).
GRADE_TEXT: dict[str, str] = {
    "A": "A: systematic review or several UK trials",
    "B": "B: one good UK trial or strong quasi-experiment",
    "C": "C: comparison-group evaluation or national unit cost",
    "D": "D: before-and-after study or expert judgement",
    "E": "E: illustrative, replace with local evidence",
}


# --- assumptions ----------------------------------------------------------------------------
def intervention_params(
    iv: Intervention, unit_costs: Mapping[str, UnitCost] | None = None
) -> list[tuple[str, Param]]:
    """Every parameter of an intervention's benefit chain, labelled in words (an avoided cost
    priced by NHS events gives a row per event count and, with ``unit_costs``, per unit
    cost)."""
    bands = ", ".join(iv.cohort_bands)
    eligible = (
        f"Eligible group, each reached once (share of people aged {bands})"
        if iv.cohort_kind == "stock"
        else f"Eligible each year (share of people aged {bands})"
    )
    rows: list[tuple[str, Param]] = [
        (eligible, iv.cohort_share),
        ("Cost per participant", iv.cost_per_participant),
        ("Engagement (share who take part)", iv.engagement),
        ("Success rate", iv.success_rate),
        ("Deadweight (would have happened anyway)", iv.deadweight),
        ("Attribution (share due to this intervention)", iv.attribution),
        ("Lag before effects start", iv.lag_years),
        ("Drop-off of effects each year", iv.dropoff),
    ]
    for ac in iv.avoided_costs:
        if ac.value is not None:
            rows.append((f"Avoided: {ac.label}", ac.value))
        for ev in ac.events:
            uc = (unit_costs or {}).get(ev.unit_cost)
            what = uc.label if uc is not None else ev.unit_cost
            rows.append((f"Avoided: {ac.label}: {what}, events per success", ev.per_success))
            if uc is not None:
                rows.append((f"Avoided: {ac.label}: {what}, unit cost", uc.param))
        rows.append((f"Avoided: {ac.label}, cashable share", ac.cashable))
    for oe in iv.outcomes:
        rows.append((f"Outcome: {oe.indicator_id} change per success", oe.per_success))
        rows.append((f"Outcome: {oe.indicator_id} denominator share", oe.denominator_share))
    return rows


def unit_cost_source(uc: UnitCost, central: float, context: PlaceContext | None = None) -> str:
    """A unit cost's source with its schedule rows, price year and the uplift to the base
    year: "... £280 at 2024/25 prices × 1.000 (GDP deflator, 2024-25 = base year)"."""
    if context is None:
        uplift, note = 1.0, "no place chosen: not uplifted"
    elif context.price_uplift_note:
        uplift, note = context.price_uplift, context.price_uplift_note
    else:
        uplift, note = unit_cost_uplift(uc.price_year, context.base_year, None)
        if context.price_uplift != uplift:
            uplift, note = context.price_uplift, "the uplift given with the place"
    return (
        f"{uc.param.source}. Rows: department {uc.department_code}, {uc.codes_text}; "
        f"£{central:,.0f} at {uc.price_year} prices × {uplift:.3f} ({note})"
    )


def assumptions_table(
    catalogue: Catalogue,
    intervention_id: str,
    overrides: Mapping[str, float] | None = None,
    context: PlaceContext | None = None,
) -> pd.DataFrame:
    """One row per parameter of an intervention: low / central / high (after overrides), unit,
    allowed range, evidence grade, source, whether it is illustrative, and its path. A unit
    cost's source names its currency codes and price year, and the uplift to ``context``'s
    base-year prices (:func:`unit_cost_source`)."""
    iv = catalogue.intervention(intervention_id)
    low, central, high = parameter_bounds(catalogue, _known_overrides(catalogue, overrides))
    by_path = {u.param.path: u for u in catalogue.unit_costs.values()}
    rows = []
    for label, p in intervention_params(iv, catalogue.unit_costs):
        k = p.index
        uc = by_path.get(p.path)
        source = p.source if uc is None else unit_cost_source(uc, float(central[k]), context)
        rows.append(
            {
                "parameter": label,
                "low": float(low[k]),
                "central": float(central[k]),
                "high": float(high[k]),
                "unit": PARAM_UNIT_TEXT.get(p.unit, p.unit),
                "allowed": f"{p.min:g} to {p.max:g}",
                "grade": p.grade,
                "source": source,
                "illustrative": p.is_illustrative,
                "changed": p.path in (overrides or {}),
                "path": p.path,
            }
        )
    return pd.DataFrame(rows)


def _known_overrides(
    catalogue: Catalogue, overrides: Mapping[str, float] | None
) -> dict[str, float]:
    known = {p.path for p in catalogue.params}
    return {
        k: v for k, v in (overrides or {}).items() if k.rsplit(".", 1)[0] in known or k in known
    }


def check_override(catalogue: Catalogue, path: str, value: float) -> float:
    """``value`` if it is inside the parameter's allowed range, else a ScenarioError naming it."""
    parameter_bounds(catalogue, {path: value})
    return float(value)


# --- saved scenarios that no longer fit the catalogue ---------------------------------------
def scenario_from_saved(text: str, catalogue: Catalogue) -> tuple[Scenario, list[str]]:
    """A saved scenario, leaving out interventions and parameters the catalogue no longer has.

    Returns the scenario and a note for each thing left out; anything else wrong (a value out
    of range, a broken file) raises ScenarioError."""
    data = parse_scenario_json(text)  # bounded, and every field of the right JSON type
    notes: list[str] = []
    known = set(catalogue.intervention_ids)
    budgets = data.get("budgets") or {}
    if isinstance(budgets, dict):
        gone = sorted(k for k in budgets if k not in known)
        for k in gone:
            notes.append(
                f"Intervention '{k}' is no longer in the catalogue: its budget was left out."
            )
        data["budgets"] = {k: v for k, v in budgets.items() if k in known}
    years = data.get("years_of_investment") or {}
    if isinstance(years, dict):
        for k in sorted(k for k in years if k not in known):
            notes.append(
                f"Intervention '{k}' is no longer in the catalogue: its years of investment "
                "were left out."
            )
        data["years_of_investment"] = {k: v for k, v in years.items() if k in known}
    overrides = data.get("overrides") or {}
    if isinstance(overrides, dict):
        params = {p.path for p in catalogue.params}
        keep = {}
        for k, v in overrides.items():
            base = k.rsplit(".", 1)[0] if k.endswith((".low", ".high")) else k
            if base in params:
                keep[k] = v
            else:
                notes.append(f"Assumption '{k}' is no longer in the catalogue: left out.")
        data["overrides"] = keep
    preset = data.get("preset")
    if preset is not None and preset not in catalogue.presets:
        notes.append(f"Preset '{preset}' is no longer defined: the scenario is kept as saved.")
        data["preset"] = None
    return scenario_from_dict(data, catalogue), notes


def interventions_by_service(catalogue: Catalogue) -> list[tuple[str, list[Intervention]]]:
    """Interventions grouped by service, in catalogue order."""
    groups: dict[str, list[Intervention]] = {}
    for iv in catalogue.interventions:
        groups.setdefault(iv.service, []).append(iv)
    return list(groups.items())


def default_horizon(catalogue: Catalogue) -> int:
    """The horizon a new scenario starts with (scenario.yaml limits.horizon_years, years)."""
    lim = catalogue.limits["horizon_years"]
    return int(lim.default or lim.max)


def preset_budgets_gbp(
    catalogue: Catalogue, preset: str, population: float
) -> tuple[dict[str, float], float]:
    """A preset's budgets in £ a year for a place of ``population`` people, and its yearly
    prevention cut (share)."""
    p = catalogue.presets[preset]
    return (
        {k: v * population for k, v in p.budgets_gbp_per_head.items()},
        p.prevention_cut_per_year,
    )
