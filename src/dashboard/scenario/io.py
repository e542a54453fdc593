"""A scenario to JSON and back (for saved scenarios and URLs), validated on the way in."""

from __future__ import annotations

import json
from typing import Any

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.spec import Scenario, validate_scenario

#: Version of the JSON layout written by :func:`scenario_to_dict`.
SCHEMA_VERSION = 1
_FIELDS = (
    "place_code",
    "horizon_years",
    "budgets",
    "budget_basis",
    "invest_years",
    "prevention_cut_per_year",
    "overrides",
    "preset",
)


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain, JSON-ready mapping of a scenario (with a ``schema_version``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "place_code": scenario.place_code,
        "horizon_years": int(scenario.horizon_years),
        "budgets": {str(k): float(v) for k, v in sorted(scenario.budgets.items())},
        "budget_basis": scenario.budget_basis,
        "invest_years": None if scenario.invest_years is None else int(scenario.invest_years),
        "prevention_cut_per_year": float(scenario.prevention_cut_per_year),
        "overrides": {str(k): float(v) for k, v in sorted(scenario.overrides.items())},
        "preset": scenario.preset,
    }


def scenario_to_json(scenario: Scenario) -> str:
    """JSON text of a scenario (keys sorted, so equal scenarios give equal text)."""
    return json.dumps(scenario_to_dict(scenario), sort_keys=True, ensure_ascii=False)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"must be a number, got {value!r}", parameter=name)
    return float(value)


def _mapping(value: Any, name: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioError("must be a mapping", parameter=name)
    return {str(k): _number(v, f"{name}.{k}") for k, v in value.items()}


def scenario_from_dict(data: Any, catalogue: Catalogue | None = None) -> Scenario:
    """A scenario from :func:`scenario_to_dict` output; validated against ``catalogue``."""
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a JSON object")
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ScenarioError(
            f"schema version {version!r} is not supported (expected {SCHEMA_VERSION})",
            parameter="schema_version",
        )
    unknown = sorted(set(data) - set(_FIELDS) - {"schema_version"})
    if unknown:
        raise ScenarioError("unknown field", parameter=unknown[0])
    if not isinstance(data.get("place_code"), str):
        raise ScenarioError("a place code (text) is needed", parameter="place_code")
    horizon = _number(data.get("horizon_years", 10), "horizon_years")
    if horizon != int(horizon):
        raise ScenarioError("must be a whole number of years", parameter="horizon_years")
    invest = data.get("invest_years")
    if invest is not None:
        invest = _number(invest, "invest_years")
        if invest != int(invest):
            raise ScenarioError("must be a whole number of years", parameter="invest_years")
        invest = int(invest)
    preset = data.get("preset")
    if preset is not None and not isinstance(preset, str):
        raise ScenarioError("must be text or null", parameter="preset")
    scenario = Scenario(
        place_code=data["place_code"],
        horizon_years=int(horizon),
        budgets=_mapping(data.get("budgets"), "budgets"),
        budget_basis=str(data.get("budget_basis", "gbp")),
        invest_years=invest,
        prevention_cut_per_year=_number(
            data.get("prevention_cut_per_year", 0.0), "prevention_cut_per_year"
        ),
        overrides=_mapping(data.get("overrides"), "overrides"),
        preset=preset,
    )
    if catalogue is not None:
        validate_scenario(scenario, catalogue)
    return scenario


def scenario_from_json(text: str, catalogue: Catalogue | None = None) -> Scenario:
    """A scenario from JSON text; refused with a ScenarioError naming the bad field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    return scenario_from_dict(data, catalogue)
