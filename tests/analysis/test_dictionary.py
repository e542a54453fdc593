"""The Data page's tables: sources, dictionary filters, coverage and the tidy export."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.analysis.dictionary import (
    count_values,
    coverage_table,
    indicator_dictionary,
    sources_table,
    tidy_values,
)
from dashboard.export.tables import to_csv_bytes
from tests.bundle.conftest import make_bundle


def test_every_exported_row_is_traceable() -> None:
    b = make_bundle()
    tidy = tidy_values(b, ["C1", "U1"])
    assert len(tidy) == count_values(b, ["C1", "U1"]) == 4
    for col in ("period", "unit", "source", "licence", "place_name", "indicator"):
        assert tidy[col].notna().all() and (tidy[col].astype(str) != "").all(), col
    assert set(tidy["place_code"]) == {"C1", "U1"}


def test_csv_export_reads_back_and_neutralises_formulas() -> None:
    b = make_bundle()
    places = b.places.copy()
    places.loc[places["code"] == "U1", "name"] = "=1+1"
    b = type(b)(**{**b.__dict__, "places": places})
    raw = to_csv_bytes(tidy_values(b, ["U1"]))
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read the pound sign
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert back["place_name"].iloc[0] == "'=1+1"
    assert back.set_index("indicator_id").loc["out_up", "value"] == 60.0


def test_dictionary_filters_by_text_kind_and_service() -> None:
    b = make_bundle()
    assert len(indicator_dictionary(b)) == 2
    assert indicator_dictionary(b, kinds=["need"])["id"].tolist() == ["need_both"]
    assert indicator_dictionary(b, services=["public_health"])["id"].tolist() == ["out_up"]
    assert indicator_dictionary(b, search="OUTCOME")["id"].tolist() == ["out_up"]
    assert indicator_dictionary(b, search="nothing like this").empty


def test_sources_and_coverage() -> None:
    b = make_bundle()
    src = sources_table(b)
    assert src.loc[0, "indicators"] == 2 and src.loc[0, "licence"] == "MIT"
    cov = coverage_table(b, "upper").set_index("indicator")
    assert cov.loc["Outcome", "places with a value"] == 2  # one of three is suppressed
    assert set(coverage_table(b, "lower")["level"]) == {"lower"}


def test_settings_table_lists_every_catalogue_parameter() -> None:
    from dashboard.analysis.dictionary import settings_table
    from dashboard.catalogue import params_table

    t = settings_table()
    assert list(t.columns) == [
        "file",
        "setting",
        "value",
        "low",
        "high",
        "unit",
        "allowed range",
        "evidence grade",
        "source",
        "price year",
    ]
    assert len(t) == len(params_table()) > 0
    top = t[(t["file"] == "vfm.yaml") & (t["setting"] == "settings.top_quartile")].iloc[0]
    assert top["unit"] and top["source"] and " to " in top["allowed range"]
