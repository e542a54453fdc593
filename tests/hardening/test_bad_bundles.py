"""The corpus of bad bundles: each breaks one thing and must be refused with a BundleError (never
another exception) that names the file, the row (or feature, or YAML key) and the column (or
property), quickly; odd-but-valid input loads with a note. See tests/hardening/corpus.py."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from dashboard.bundle import BundleError, read_bundle

from .corpus import ACCEPTED, CASES, VALUE_ROWS, Accepted, Case, write_base


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_base(tmp_path_factory.mktemp("corpus") / "base")


def _copy(base_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_dir, tmp_path / "bundle"))


def test_base_bundle_is_valid(base_dir: Path) -> None:
    b = read_bundle(base_dir)
    assert len(b.values) == len(VALUE_ROWS) and b.warnings == ()


def test_corpus_is_large_and_covers_every_file() -> None:
    assert len(CASES) >= 70
    assert len({c.id for c in CASES}) == len(CASES), "case ids are unique"
    kinds = Counter(c.kind for c in CASES)
    for kind in (
        "bundle.yaml",
        "places.csv",
        "indicators.yaml",
        "values.parquet",
        "coverage.csv",
        "population.parquet",
        "geojson",
        "hexjson",
    ):
        assert kinds[kind] >= 5, kind


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_bundle_is_refused_naming_where(case: Case, base_dir: Path, tmp_path: Path) -> None:
    root = _copy(base_dir, tmp_path)
    case.breaks(root)
    with pytest.raises(BundleError) as info:  # bounded by the timeout above: never a hang
        read_bundle(root)
    err = info.value
    assert (err.file, err.row, err.column) == (case.file, case.row, case.column), str(err)
    assert case.phrase in str(err), str(err)
    assert str(err).startswith(case.file), "the message starts with the file"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", ACCEPTED, ids=[c.id for c in ACCEPTED])
def test_odd_but_valid_input_loads_with_a_note(
    case: Accepted, base_dir: Path, tmp_path: Path
) -> None:
    root = _copy(base_dir, tmp_path)
    case.changes(root)
    b = read_bundle(root)
    if case.note is None:
        assert b.warnings == ()
    else:
        assert any(case.note in w for w in b.warnings), b.warnings
    assert b.places["code"].tolist() == ["C1", "D1", "D2", "U1", "M1"]
    assert len(b.values) == len(VALUE_ROWS)


def test_negative_spend_keeps_its_value(base_dir: Path, tmp_path: Path) -> None:
    root = _copy(base_dir, tmp_path)
    next(c for c in ACCEPTED if c.id == "negative-spend").changes(root)
    b = read_bundle(root)
    assert b.values["value"].iloc[7] == -120.5
    (note,) = b.warnings
    assert "1 values in 'gbp_per_head'" in note and "row 8" in note and "D1" in note


def test_bow_tie_is_repaired_into_valid_polygons(base_dir: Path, tmp_path: Path) -> None:
    root = _copy(base_dir, tmp_path)
    next(c for c in ACCEPTED if c.id == "bow-tie-polygon").changes(root)
    b = read_bundle(root)
    feat = b.geo["upper.geojson"]["features"][1]
    geom = shape(feat["geometry"])
    assert shapely.is_valid(geom) and geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.5)
    assert feat["properties"]["code"] == "U1"
    assert any("feature 2 ('U1')" in w for w in b.warnings)


def test_bom_places_read_as_without(base_dir: Path, tmp_path: Path) -> None:
    plain = read_bundle(base_dir)
    root = _copy(base_dir, tmp_path)
    next(c for c in ACCEPTED if c.id == "places-bom").changes(root)
    assert (root / "places.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(read_bundle(root).places, plain.places)


def test_suppressed_row_carries_no_number(base_dir: Path, tmp_path: Path) -> None:
    root = _copy(base_dir, tmp_path)
    next(c for c in ACCEPTED if c.id == "suppressed-with-number").changes(root)
    row = read_bundle(root).values.iloc[0]
    assert row["status"] == "suppressed"
    assert np.isnan(row["value"]) and np.isnan(row["lower_ci"]) and np.isnan(row["upper_ci"])
