"""A scenario to JSON and back (for saved scenarios and URLs), validated on the way in."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from dashboard.bundle.limits import input_limit
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
    "years_of_investment",
)
#: The text fields of a saved-scenario record and the limits.yaml key of each one's length.
RECORD_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("saved", "name_max_chars"),
    "author": ("saved", "author_max_chars"),
    "description": ("saved", "description_max_chars"),
    "dataset": ("saved", "dataset_max_chars"),
    "place_code": ("url", "code_max_chars"),
}


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
        "years_of_investment": {
            str(k): int(v) for k, v in sorted(scenario.years_of_investment.items())
        },
    }


def scenario_to_json(scenario: Scenario) -> str:
    """JSON text of a scenario (keys sorted, so equal scenarios give equal text)."""
    return json.dumps(scenario_to_dict(scenario), sort_keys=True, ensure_ascii=False)


def cut(text: str) -> str:
    """``text`` cut to limits.yaml url.shown_max_chars (with an ellipsis), for messages."""
    limit = input_limit("url", "shown_max_chars")
    return text if len(text) <= limit else text[:limit] + "…"


def brief(value: Any) -> str:
    """``repr`` of a refused value, cut to limits.yaml url.shown_max_chars (for messages)."""
    return cut(repr(value))


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"must be a number, got {brief(value)}", parameter=name)
    try:
        v = float(value)
    except OverflowError:  # an integer beyond any float
        raise ScenarioError("is too large", parameter=name) from None
    if not math.isfinite(v):
        raise ScenarioError(f"must be a finite number, got {brief(value)}", parameter=name)
    return v


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ScenarioError(f"must be text, got {brief(value)}", parameter=name)
    if len(value) > limit:
        raise ScenarioError(f"is longer than {limit} characters", parameter=name)
    return value


def _mapping(value: Any, name: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioError(f"must be a mapping, got {brief(value)}", parameter=name)
    most = input_limit("saved", "max_entries")
    if len(value) > most:
        raise ScenarioError(f"has {len(value)} entries (at most {most})", parameter=name)
    key_max = input_limit("saved", "key_max_chars")
    out = {}
    for k, v in value.items():
        key = _text(k, f"{name} key {brief(k)}", key_max)
        out[key] = _number(v, f"{name}.{key}")
    return out


#: Beyond this a float no longer holds every whole number (2 to the 53rd).
_EXACT_INTEGERS = 2**53


def _whole_years(value: Any, name: str) -> int:
    v = _number(value, name)
    if abs(v) >= _EXACT_INTEGERS:
        raise ScenarioError(f"is too large, got {brief(value)}", parameter=name)
    if v != int(v):
        raise ScenarioError("must be a whole number of years", parameter=name)
    return int(v)


def _years_mapping(value: Any, name: str) -> dict[str, int]:
    """A mapping of intervention id -> whole years (absent in scenarios saved before it)."""
    return {k: _whole_years(v, f"{name}.{k}") for k, v in _mapping(value, name).items()}


def check_layout(data: Any) -> dict[str, Any]:
    """``data`` if it has the layout :func:`scenario_to_dict` writes: a JSON object of known
    fields, each of the right JSON type, finite numbers, bounded text and mappings. A
    ScenarioError names the first field that does not fit (no catalogue needed)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"a scenario must be a JSON object, got {type(data).__name__}")
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise ScenarioError(
            f"schema version {brief(version)} is not supported (expected {SCHEMA_VERSION})",
            parameter="schema_version",
        )
    unknown = sorted(str(k) for k in set(data) - set(_FIELDS) - {"schema_version"})
    if unknown:
        raise ScenarioError("unknown field", parameter=cut(unknown[0]))
    if not isinstance(data.get("place_code"), str) or not data["place_code"]:
        raise ScenarioError("a place code (text) is needed", parameter="place_code")
    _text(data["place_code"], "place_code", input_limit("url", "code_max_chars"))
    _whole_years(data.get("horizon_years", 10), "horizon_years")
    if data.get("invest_years") is not None:
        _whole_years(data["invest_years"], "invest_years")
    _mapping(data.get("budgets"), "budgets")
    _mapping(data.get("overrides"), "overrides")
    _years_mapping(data.get("years_of_investment"), "years_of_investment")
    _text(data.get("budget_basis", "gbp"), "budget_basis", input_limit("saved", "key_max_chars"))
    _number(data.get("prevention_cut_per_year", 0.0), "prevention_cut_per_year")
    preset = data.get("preset")
    if preset is not None:
        _text(preset, "preset", input_limit("saved", "key_max_chars"))
    return data


def parse_scenario_json(text: Any) -> dict[str, Any]:
    """JSON text of a scenario, parsed within limits.yaml saved.json_max_chars and checked by
    :func:`check_layout`; a ScenarioError names what is wrong."""
    if not isinstance(text, str):
        raise ScenarioError(f"the saved scenario is not text, got {type(text).__name__}")
    limit = input_limit("saved", "json_max_chars")
    if len(text) > limit:
        raise ScenarioError(f"the saved scenario is longer than {limit} characters")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except RecursionError:
        raise ScenarioError("not valid JSON (nested too deeply)") from None
    return check_layout(data)


def check_record(fields: Mapping[str, Any]) -> None:
    """Refuse a saved-scenario record whose text fields (name, author, description, dataset,
    place code) are not text, empty where needed, or longer than limits.yaml allows."""
    for name, (section, key) in RECORD_FIELDS.items():
        value = fields.get(name)
        if value is None and name == "description":
            continue
        _text(value, name, input_limit(section, key))
        if name != "description" and not value.strip():
            raise ScenarioError("is empty", parameter=name)


def scenario_from_dict(data: Any, catalogue: Catalogue | None = None) -> Scenario:
    """A scenario from :func:`scenario_to_dict` output; validated against ``catalogue``."""
    check_layout(data)
    invest = data.get("invest_years")
    scenario = Scenario(
        place_code=data["place_code"],
        horizon_years=_whole_years(data.get("horizon_years", 10), "horizon_years"),
        budgets=_mapping(data.get("budgets"), "budgets"),
        budget_basis=data.get("budget_basis", "gbp"),
        invest_years=None if invest is None else _whole_years(invest, "invest_years"),
        prevention_cut_per_year=_number(
            data.get("prevention_cut_per_year", 0.0), "prevention_cut_per_year"
        ),
        overrides=_mapping(data.get("overrides"), "overrides"),
        preset=data.get("preset"),
        years_of_investment=_years_mapping(data.get("years_of_investment"), "years_of_investment"),
    )
    if catalogue is not None:
        validate_scenario(scenario, catalogue)
    return scenario


def scenario_from_json(text: str, catalogue: Catalogue | None = None) -> Scenario:
    """A scenario from JSON text; refused with a ScenarioError naming the bad field."""
    return scenario_from_dict(parse_scenario_json(text), catalogue)
