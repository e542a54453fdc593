"""The bundle contract: a good bundle round-trips; each kind of bad input is refused with a
message naming file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dashboard.bundle import BundleError, read_bundle, validate_bundle, write_bundle
from dashboard.bundle.model import Bundle

from .conftest import make_bundle


def _refused(path: Path) -> BundleError:
    with pytest.raises(BundleError) as info:
        read_bundle(path)
    return info.value


def test_round_trip_keeps_every_table(tiny_dir: Path) -> None:
    original = make_bundle()
    back = read_bundle(tiny_dir)
    assert back.places["code"].tolist() == original.places["code"].tolist()
    assert back.places.set_index("code").loc["D1", "county_code"] == "C1"
    pd.testing.assert_series_equal(
        back.values["value"], original.values["value"], check_names=False
    )
    assert back.values.loc[2, "status"] == "suppressed" and np.isnan(back.values.loc[2, "value"])
    assert back.indicators.set_index("id").loc["need_both", "levels"] == ("upper", "lower")
    assert set(back.geo) == {"upper.geojson", "lower.geojson", "upper.hexjson", "lower.hexjson"}
    assert back.population is not None and back.population["persons"].sum() == 120
    assert back.warnings == ()


def test_levels_follow_kinds(tiny_dir: Path) -> None:
    b = read_bundle(tiny_dir)
    assert set(b.place_codes("upper")) == {"C1", "U1", "M1"}
    assert set(b.place_codes("lower")) == {"D1", "D2", "U1", "M1"}


def test_coverage_is_recorded(tiny_dir: Path) -> None:
    cov = pd.read_csv(tiny_dir / "coverage.csv")
    row = cov[(cov.indicator_id == "out_up") & (cov.level == "upper")].iloc[0]
    assert (row.places_with_value, row.places_total) == (2, 3)  # M1 is suppressed


@pytest.mark.parametrize(
    "name", ["bundle.yaml", "places.csv", "indicators.yaml", "values.parquet", "geo/lower.hexjson"]
)
def test_missing_file_is_named(tiny_dir: Path, name: str) -> None:
    (tiny_dir / name).unlink()
    err = _refused(tiny_dir)
    assert err.file == name and "missing" in str(err)


def test_missing_places_column(tiny_dir: Path) -> None:
    df = pd.read_csv(tiny_dir / "places.csv").drop(columns=["kind"])
    df.to_csv(tiny_dir / "places.csv", index=False)
    err = _refused(tiny_dir)
    assert (err.file, err.column) == ("places.csv", "kind")


def test_missing_values_column(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet").drop(columns=["period"])
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.file, err.column) == ("values.parquet", "period")


def test_duplicate_value_names_the_row(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df = pd.concat([df, df.iloc[[4]]], ignore_index=True)
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert err.file == "values.parquet" and err.row == len(df) and "duplicate" in str(err)
    assert "D1" in str(err) and "need_both" in str(err)


def test_duplicate_place_code(tiny_dir: Path) -> None:
    df = pd.read_csv(tiny_dir / "places.csv", dtype=str, keep_default_na=False)
    df.loc[2, "code"] = "D1"
    df.to_csv(tiny_dir / "places.csv", index=False)
    err = _refused(tiny_dir)
    assert (err.file, err.row, err.column) == ("places.csv", 4, "code")


def test_value_for_unknown_place(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df.loc[3, "place_code"] = "E99999999"
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.file, err.row, err.column) == ("values.parquet", 4, "place_code")
    assert "E99999999" in str(err)


def test_value_for_unknown_indicator(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df.loc[0, "indicator_id"] = "nope"
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.row, err.column) == (1, "indicator_id") and "nope" in str(err)


def test_text_where_a_number_belongs(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df["value"] = df["value"].astype(object)
    df.loc[1, "value"] = "sixty"
    df["value"] = df["value"].astype(str)
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.row, err.column) == (2, "value") and "'sixty' is not a number" in str(err)


@pytest.mark.parametrize("marker", ["x", "c", "..", ":", "[z]"])
def test_suppression_marker_gets_its_own_message(tiny_dir: Path, marker: str) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df["value"] = df["value"].astype(str)
    df.loc[5, "value"] = marker
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.row, err.column) == (6, "value")
    assert "suppression" in str(err) and "status" in str(err)


def _edit_indicator(tiny_dir: Path, field: str, value: object) -> BundleError:
    doc = yaml.safe_load((tiny_dir / "indicators.yaml").read_text())
    doc["indicators"][1][field] = value
    (tiny_dir / "indicators.yaml").write_text(yaml.safe_dump(doc))
    return _refused(tiny_dir)


def test_unit_outside_allowed_list(tiny_dir: Path) -> None:
    err = _edit_indicator(tiny_dir, "unit", "furlongs")
    assert (err.file, err.row, err.column) == ("indicators.yaml", 2, "unit") and "furlongs" in str(
        err
    )


def test_polarity_outside_allowed_list(tiny_dir: Path) -> None:
    err = _edit_indicator(tiny_dir, "polarity", "up")
    assert (err.file, err.row, err.column) == ("indicators.yaml", 2, "polarity")


def test_indicator_without_source(tiny_dir: Path) -> None:
    err = _edit_indicator(tiny_dir, "source", {"publisher": "x", "title": "y", "url": "z"})
    assert err.column == "source.licence"


def test_geometry_without_code(tiny_dir: Path) -> None:
    path = tiny_dir / "geo" / "upper.geojson"
    doc = json.loads(path.read_text())
    del doc["features"][1]["properties"]["code"]
    path.write_text(json.dumps(doc))
    err = _refused(tiny_dir)
    assert (err.file, err.row, err.column) == ("geo/upper.geojson", 2, "properties.code")


def test_hexes_on_the_same_cell(tiny_dir: Path) -> None:
    path = tiny_dir / "geo" / "lower.hexjson"
    doc = json.loads(path.read_text())
    doc["hexes"]["D2"] = dict(doc["hexes"]["D1"])
    path.write_text(json.dumps(doc))
    err = _refused(tiny_dir)
    assert err.file == "geo/lower.hexjson" and "same cell" in str(err)


def test_place_without_shape_is_a_warning_not_a_refusal(tiny_dir: Path) -> None:
    path = tiny_dir / "geo" / "lower.geojson"
    doc = json.loads(path.read_text())
    doc["features"] = doc["features"][1:]
    path.write_text(json.dumps(doc))
    b = read_bundle(tiny_dir)
    assert any("lower.geojson" in w and "D1" in w for w in b.warnings)


def test_value_at_a_level_the_indicator_does_not_cover(tiny_dir: Path) -> None:
    df = pd.read_parquet(tiny_dir / "values.parquet")
    df.loc[0, "place_code"] = "D2"  # out_up is upper tier only; D2 is a district
    df.to_parquet(tiny_dir / "values.parquet")
    err = _refused(tiny_dir)
    assert (err.row, err.column) == (1, "place_code") and "level" in str(err)


def test_bad_kind_of_place(tiny_dir: Path) -> None:
    df = pd.read_csv(tiny_dir / "places.csv", dtype=str, keep_default_na=False)
    df.loc[0, "kind"] = "parish"
    df.to_csv(tiny_dir / "places.csv", index=False)
    err = _refused(tiny_dir)
    assert (err.row, err.column) == (2, "kind") and "parish" in str(err)


def test_malformed_yaml_names_the_line(tiny_dir: Path) -> None:
    (tiny_dir / "bundle.yaml").write_text("title: [unclosed\nis_demo: true\n")
    err = _refused(tiny_dir)
    assert err.file == "bundle.yaml" and err.row is not None


def test_corrupt_parquet(tiny_dir: Path) -> None:
    (tiny_dir / "values.parquet").write_bytes(b"not parquet at all")
    err = _refused(tiny_dir)
    assert err.file == "values.parquet" and "Parquet" in str(err)


def test_validate_in_memory_rejects_reversed_interval() -> None:
    b = make_bundle()
    vals = b.values.copy()
    vals.loc[0, ["lower_ci", "upper_ci"]] = [56.0, 44.0]
    bad = Bundle(**{**b.__dict__, "values": vals})
    with pytest.raises(BundleError, match="lower_ci"):
        validate_bundle(bad)


def test_message_reads_file_row_column() -> None:
    err = BundleError("values.parquet", "bad", row=3, column="value")
    assert str(err) == "values.parquet, row 3, column 'value': bad"


def test_agency_outside_allowed_list_names_row_and_column(tiny_dir: Path) -> None:
    err = _edit_indicator(tiny_dir, "agency", "coastguard")
    assert (err.file, err.row, err.column) == ("indicators.yaml", 2, "agency")
    assert "coastguard" in str(err) and "nhs" in str(err)


def test_agency_that_is_not_text_is_refused(tiny_dir: Path) -> None:
    err = _edit_indicator(tiny_dir, "agency", 3)
    assert (err.row, err.column) == (2, "agency")


def test_agency_is_read_and_written_and_empty_when_absent(tiny_dir: Path) -> None:
    doc = yaml.safe_load((tiny_dir / "indicators.yaml").read_text())
    doc["indicators"][1]["agency"] = "nhs"
    (tiny_dir / "indicators.yaml").write_text(yaml.safe_dump(doc))
    back = read_bundle(tiny_dir)
    agency = back.indicators.set_index("id")["agency"]
    assert agency.loc[doc["indicators"][1]["id"]] == "nhs"
    assert agency.loc[doc["indicators"][0]["id"]] == ""
    out = tiny_dir.parent / "again"
    write_bundle(back, out)
    assert read_bundle(out).indicators.set_index("id")["agency"].to_dict() == agency.to_dict()
    written = yaml.safe_load((out / "indicators.yaml").read_text())["indicators"]
    assert "agency" not in written[0] and written[1]["agency"] == "nhs"


def test_bundle_built_in_memory_gets_an_agency_column() -> None:
    checked = validate_bundle(make_bundle())
    assert checked.indicators["agency"].tolist() == [""] * len(checked.indicators)
