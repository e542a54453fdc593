"""Every number in the scenario catalogues has low/central/high, unit, range, grade, source."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboard import CATALOGUE_DIR
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.scenario import ScenarioError
from dashboard.scenario.catalogue import PARAM_FIELDS, PARAM_UNITS, build_catalogue

#: Keys under which a bare number is structure or a scenario setting, not an assumption.
STRUCTURAL = {"from_year", "limits", "monte_carlo", "sanity", "presets"}


def _raw(name: str) -> dict[str, Any]:
    return yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8"))


def _walk(node: Any, path: tuple[str, ...] = ()):
    """Yield (path, param dict) for every parameter and (path, number) for stray numbers."""
    if isinstance(node, dict):
        if {"low", "central", "high"} & set(node):
            yield path, node
            return
        for k, v in node.items():
            if str(k) in STRUCTURAL:
                continue
            yield from _walk(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = v.get("id") or v.get("indicator") if isinstance(v, dict) else None
            yield from _walk(v, (*path, str(key if key is not None else i)))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node


@pytest.mark.parametrize("name", ["scenario.yaml", "interventions.yaml"])
def test_every_number_is_a_complete_parameter(name: str) -> None:
    doc = _raw(name)
    grades = set(_raw("scenario.yaml")["grades"])
    n = 0
    for path, item in _walk(doc):
        where = ".".join(path)
        assert isinstance(item, dict), f"{name}: bare number at {where} (make it a parameter)"
        n += 1
        for key in PARAM_FIELDS:
            assert key in item and item[key] not in (None, ""), f"{name}: {where} lacks {key}"
        lo, hi = (float(v) for v in item["range"])
        low, central, high = (float(item[k]) for k in ("low", "central", "high"))
        assert lo <= low <= central <= high <= hi, f"{name}: {where} breaks low<=central<=high"
        assert item["unit"] in PARAM_UNITS, f"{name}: {where} unit {item['unit']}"
        assert item["grade"] in grades, f"{name}: {where} grade {item['grade']}"
        assert isinstance(item["source"], str) and len(item["source"]) > 10, where
        if item["grade"] == "E":
            assert item["source"].startswith("illustrative — replace with local evidence"), where
    assert n > 50


def test_catalogue_loads_with_enough_interventions(catalogue) -> None:
    assert len(catalogue.interventions) >= 10
    services = {iv.service for iv in catalogue.interventions}
    assert {"adult_social_care", "childrens_social_care", "public_health", "housing"} <= services
    assert "ips_employment" in catalogue.intervention_ids
    assert len(catalogue.params) == len({p.path for p in catalogue.params})
    for iv in catalogue.interventions:
        assert iv.avoided_costs and iv.cohort_bands
        assert iv.evidence_grade in catalogue.grades


def test_outcome_effects_map_onto_canonical_outcome_indicators(catalogue) -> None:
    known = {e["id"]: e for e in canonical_indicators()}
    for ind in catalogue.outcome_indicators:
        assert known[ind]["kind"] == "outcome"
    for expected in ("asc_short_term_outcome_pct", "smoking_pct", "employment_rate_pct"):
        assert expected in catalogue.outcome_indicators


def test_discount_rate_is_the_green_book_rate(catalogue) -> None:
    (y0, r0), (y1, r1) = catalogue.discount_schedule
    assert (y0, r0.central, y1, r1.central) == (0, 0.035, 31, 0.03)
    assert "Green Book" in r0.source


def test_presets_are_defined(catalogue) -> None:
    assert {"status_quo", "prevention_first", "salami_slicing"} <= set(catalogue.presets)
    assert catalogue.presets["salami_slicing"].prevention_cut_per_year > 0


@pytest.mark.parametrize("missing", PARAM_FIELDS)
def test_a_parameter_missing_a_field_is_refused(missing: str) -> None:
    scen, ints = _raw("scenario.yaml"), copy.deepcopy(_raw("interventions.yaml"))
    del ints["interventions"][0]["engagement"][missing]
    with pytest.raises(ScenarioError) as err:
        build_catalogue(scen, ints)
    assert err.value.parameter == "interventions.reablement.engagement"
    assert missing in str(err.value)


def test_out_of_order_bounds_are_refused() -> None:
    scen, ints = copy.deepcopy(_raw("scenario.yaml")), _raw("interventions.yaml")
    scen["optimism_bias"]["C"]["low"] = 0.5
    with pytest.raises(ScenarioError) as err:
        build_catalogue(scen, ints)
    assert err.value.parameter == "optimism_bias.C"


def test_every_cohort_is_a_flow_or_a_stock_with_a_reason_and_the_right_unit(catalogue) -> None:
    kinds = {iv.id: iv.cohort_kind for iv in catalogue.interventions}
    assert set(kinds.values()) == {"flow", "stock"}
    assert kinds["family_group_conferencing"] == "stock"  # families at the edge of care
    assert kinds["reablement"] == kinds["care_leaver_support"] == "flow"
    for iv in catalogue.interventions:
        assert len(iv.cohort_reason) > 10, iv.id
        want = "share" if iv.cohort_kind == "stock" else "share_per_year"
        assert iv.cohort_share.unit == want, iv.id


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        ({"kind": "trickle"}, "cohort kind 'trickle' is not one of flow, stock"),
        ({"kind": None}, "missing key 'kind'"),
        ({"reason": None}, "missing key 'reason'"),
        ({"kind": "stock"}, "a stock cohort's share is in share, got share_per_year"),
    ],
)
def test_a_bad_cohort_is_refused_naming_file_and_key(patch, reason) -> None:
    scen, ints = _raw("scenario.yaml"), copy.deepcopy(_raw("interventions.yaml"))
    cohort = ints["interventions"][0]["cohort"]  # reablement, a flow
    for k, v in patch.items():
        if v is None:
            del cohort[k]
        else:
            cohort[k] = v
    with pytest.raises(ScenarioError) as err:
        build_catalogue(scen, ints)
    assert "interventions.yaml" in str(err.value)
    assert "interventions.reablement.cohort" in str(err.value)
    assert reason in str(err.value)


def test_unknown_outcome_indicator_is_refused() -> None:
    scen, ints = _raw("scenario.yaml"), copy.deepcopy(_raw("interventions.yaml"))
    ints["interventions"][0]["outcomes"][0]["indicator"] = "no_such_indicator"
    with pytest.raises(ScenarioError, match="no_such_indicator"):
        build_catalogue(scen, ints)


def test_catalogue_files_live_in_the_catalogue_dir() -> None:
    assert Path(CATALOGUE_DIR, "interventions.yaml").is_file()


@pytest.mark.england
def test_the_smokers_stock_is_the_official_prevalence(catalogue) -> None:
    """stop_smoking's group is the adults who smoke: the central share is England's value in
    ONS's Cigarette smokers file (Annual Population Survey, 2020-2024 pooled), low and high
    the 5th and 95th percentiles of upper-tier councils (codes E06, E08, E09, E10)."""
    import os

    import numpy as np
    import pandas as pd

    from tests.sources.conftest import raw_dir

    if not os.environ.get("PVE_RAW_DIR"):
        pytest.skip("PVE_RAW_DIR is not set (the official raw data directory)")
    path = next(raw_dir().rglob("cigarette-smokers.csv"))
    d = pd.read_csv(path, encoding="utf-8-sig")
    d = d[d["period"] == "2020-01-01/P5Y"]
    england = float(d.loc[d["areacd"] == "E92000001", "observation"].iloc[0])
    upper = d[d["areacd"].str[:3].isin(["E06", "E08", "E09", "E10"])].drop_duplicates("areacd")
    p5, p95 = np.percentile(upper["observation"].astype(float), [5, 95])
    share = catalogue.param("interventions.stop_smoking.cohort.share")
    assert catalogue.intervention("stop_smoking").cohort_kind == "stock"
    assert share.central == pytest.approx(england / 100)
    assert (share.low, share.high) == pytest.approx((p5 / 100, p95 / 100), abs=5e-5)
