"""The England builder's tables (data/catalogue/england_*.yaml) and its steps' contract: every id
a table names exists, every note the code writes is in the table, a broken entry is refused
naming the file and the key, and a step returns its values and notes instead of changing shared
state. These tests need no official files."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle.catalogue import canonical_indicators
from dashboard.catalogue import CatalogueError
from dashboard.sources import tables
from dashboard.sources.england import assemble
from dashboard.sources.registry import ELS_FILES, SOURCE_BY_ID, SOURCES
from dashboard.sources.step import VALUE_COLUMNS, StepResult
from dashboard.sources.step_indicators import (
    education_statistics_step,
    local_statistics_step,
    other_publishers_step,
)
from dashboard.sources.step_spend import spend_step

SOURCES_DIR = Path(tables.__file__).resolve().parent


def _known_ids() -> set[str]:
    return {e["id"] for e in canonical_indicators()} | {e["id"] for e in tables.extra_indicators()}


def test_every_step_reads_known_sources_and_every_source_is_read() -> None:
    steps = tables.section(tables.SOURCES_FILE, "steps")
    read = [sid for step in steps for sid in tables.step_sources(step)]
    assert set(read) <= set(SOURCE_BY_ID)
    assert set(read) == set(SOURCE_BY_ID), "a source no step reads"


def test_every_yielded_indicator_is_described() -> None:
    known = _known_ids()
    for src in SOURCES:
        if src.id in ("rsx", "rs"):
            for block in tables.yields(src.id, "stem", "service", "tier"):
                assert block["tier"] in ("upper", "lower", "both")
                for suffix in ("gbp", "per_head"):
                    assert f"spend_{block['stem']}_{suffix}" in known
            continue
        entry = next(e for e in tables.source_entries() if e["id"] == src.id)
        for item in entry.get("yields", ()):
            if "indicator" in item:
                assert item["indicator"] in known, (src.id, item["indicator"])


def test_indicator_sources_name_registered_sources() -> None:
    canonical = {e["id"] for e in canonical_indicators()}
    entries = [
        *tables.canonical_sources().items(),
        *((e["id"], e) for e in tables.extra_indicators()),
    ]
    for ind, entry in entries:
        sid = entry["source"]
        if sid.startswith("els:"):
            assert sid[4:] in ELS_FILES, (ind, sid)
        else:
            assert sid in SOURCE_BY_ID, (ind, sid)
    assert set(tables.canonical_sources()) <= canonical
    assert not {e["id"] for e in tables.extra_indicators()} & canonical


def _note_ids_in_code() -> set[str]:
    ids: set[str] = set()
    for path in SOURCES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name == "note" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                ids.add(first.value)
            if name == "note_text" and len(node.args) > 1:
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    ids.add(arg.value)
    return ids


def test_every_note_the_builder_writes_is_in_the_table_and_every_note_is_written() -> None:
    in_code = _note_ids_in_code()
    in_table = set(tables.section(tables.BUNDLE_FILE, "notes"))
    assert in_code, "no note() calls found"
    assert in_code <= in_table, f"notes missing from england_bundle.yaml: {in_code - in_table}"
    assert in_table <= in_code, f"notes no step writes: {in_table - in_code}"


def test_note_fills_its_placeholders_and_refuses_an_unknown_one() -> None:
    n = tables.note("oflog_zeros", count=3)
    assert n.id == "oflog_zeros" and "3 published zeros" in n.text
    with pytest.raises(CatalogueError, match=r"england_bundle\.yaml: notes\.oflog_zeros"):
        tables.note("oflog_zeros")
    with pytest.raises(CatalogueError, match=r"england_bundle\.yaml: notes"):
        tables.note("no_such_note")


def test_a_missing_field_is_refused_naming_the_file_and_key() -> None:
    i = next(i for i, s in enumerate(SOURCES) if s.id == "dfe_csww")
    with pytest.raises(CatalogueError) as exc:
        tables.yields("dfe_csww", "indicator", "no_such_field")
    assert str(exc.value).startswith(f"england_sources.yaml: sources.{i}.yields.0.no_such_field")
    with pytest.raises(CatalogueError, match="no source with id 'nope'"):
        tables.yields("nope")
    with pytest.raises(CatalogueError, match=r"england_sources\.yaml: steps\.nope"):
        tables.step_sources("nope")


def _check_result(r: StepResult) -> None:
    assert isinstance(r, StepResult)
    assert list(r.values.columns) == VALUE_COLUMNS
    assert all(isinstance(n, tables.Note) for n in r.notes)


def test_steps_without_their_files_return_empty_values_and_say_what_is_missing() -> None:
    for step in (other_publishers_step, education_statistics_step):
        r = step({}, None)
        _check_result(r)
        assert r.values.empty and not r.used and not r.notes
    els = local_statistics_step({}, None)
    _check_result(els)
    assert [s.id for s in els.missing] == [f"els:{name}" for name in ELS_FILES]
    assert all(s.publisher == SOURCE_BY_ID["els"].publisher for s in els.missing)
    periods, spend = spend_step({}, None, pd.Series(dtype=float))
    _check_result(spend)
    assert periods == ["2024-25"] and [n.id for n in spend.notes] == ["no_outturn"]


def _part(code: str, value: float, status: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place_code": [code],
            "indicator_id": ["x"],
            "period": ["2024"],
            "value": [value],
            "lower_ci": [np.nan],
            "upper_ci": [np.nan],
            "status": [status],
        }
    )


def test_assemble_keeps_an_observed_value_over_a_missing_one_and_cleans_statuses() -> None:
    out = assemble([_part("E06000001", np.nan), _part("E06000001", 5.0, "missing")])
    assert len(out) == 1
    assert out["value"].iloc[0] == 5.0 and out["status"].iloc[0] == ""
    out = assemble([_part("E06000002", np.nan), _part("E06000002", np.nan, "suppressed")])
    assert out["status"].tolist() == ["missing"]
