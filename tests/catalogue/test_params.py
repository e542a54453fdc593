"""Every number of the catalogue is a Param with unit, range and source, and every Param the
app reads appears in the parameters table."""

from __future__ import annotations

from dataclasses import fields

import pytest

from dashboard.analysis.classify import map_settings
from dashboard.analysis.methods import benchmark_settings
from dashboard.analysis.peers import peer_spec
from dashboard.analysis.vfm import vfm_settings
from dashboard.bundle.catalogue import services
from dashboard.bundle.schema import SERVICES
from dashboard.catalogue import (
    NOT_PARAM_FILES,
    PARAM_FILES,
    TABLE_COLUMNS,
    all_params,
    param_files,
    params_table,
    service_ids,
)
from dashboard.scenario.catalogue import load_catalogue
from dashboard.sources.finance import COUNCIL_SERVICES

PARAMS = all_params()


def _keys() -> set[tuple[str, str]]:
    return {(p.file, p.key) for p in PARAMS}


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: f"{p.file}:{p.key}")
def test_every_param_is_fully_described(p) -> None:
    assert p.min <= p.low <= p.central <= p.high <= p.max
    assert p.unit.strip() and len(p.source.strip()) > 3


def test_the_table_lists_every_param_once() -> None:
    table = params_table()
    assert tuple(table.columns) == TABLE_COLUMNS
    assert len(table) == len(PARAMS) == len(_keys())
    assert set(zip(table["file"], table["key"], strict=True)) == _keys()
    assert {p.name for p in param_files()} >= set(PARAM_FILES)
    assert not {p.name for p in param_files()} & set(NOT_PARAM_FILES)
    assert table["value"].dtype == float


def test_every_setting_the_analysis_reads_is_in_the_table() -> None:
    keys = _keys()
    b = benchmark_settings()
    v = vfm_settings()
    for p in [*(getattr(b, f.name) for f in fields(b)), *(getattr(v, f.name) for f in fields(v))]:
        assert (p.file, p.key) in keys
    for name in ("classes", "light_end", "web_tolerance", "map_height", "export_scale"):
        assert ("maps.yaml", f"maps.{name}") in keys
    assert map_settings().classes_max == 9
    for level in ("upper", "lower"):
        for var in peer_spec(level).variables:
            assert ("peers.yaml", f"levels.{level}.{var.id}") in keys
    assert {("peers.yaml", "method.n_peers"), ("peers.yaml", "method.min_variables")} <= keys


def test_every_scenario_param_is_in_the_table() -> None:
    cat = load_catalogue()
    keys = _keys()
    missing = [p.path for p in cat.params if (p.file, p.key) not in keys]
    assert missing == []
    by_key = {(p.file, p.key): p for p in PARAMS}
    for p in cat.params:
        q = by_key[(p.file, p.key)]
        assert (q.low, q.central, q.high, q.min, q.max, q.unit, q.grade, q.source) == (
            p.low,
            p.central,
            p.high,
            p.min,
            p.max,
            p.unit,
            p.grade,
            p.source,
        )
    mc = cat.monte_carlo
    assert by_key[("scenario.yaml", "monte_carlo.pert_shape")].value == mc.pert_shape
    assert by_key[("scenario.yaml", "monte_carlo.default_draws")].value == mc.default_draws
    assert [
        by_key[("scenario.yaml", f"monte_carlo.percentiles.{i}")].value
        for i in range(len(mc.percentiles))
    ] == list(mc.percentiles)


def test_money_assumptions_say_which_year_they_refer_to() -> None:
    fallback = [p for p in load_catalogue().params if p.path.endswith("fallback_spend_per_head")]
    assert fallback and all(p.as_of for p in fallback if p.grade != "E")


def test_services_are_listed_once() -> None:
    assert SERVICES == service_ids() == tuple(s["id"] for s in services())
    assert set(COUNCIL_SERVICES) == set(service_ids()) - {"all"}
    assert COUNCIL_SERVICES[:2] == ("education", "highways_transport")  # RSX order kept
