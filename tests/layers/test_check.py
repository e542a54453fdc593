"""The layer checks: every problem at once, each at its spreadsheet row and column; markers
kept as missing with their status; limits and file types refused with a message."""

from __future__ import annotations

import math

import pytest

from dashboard.layers import read as layer_read
from dashboard.layers.check import check_layer
from dashboard.layers.format import DEFINITION_COLUMNS, VALUES_COLUMNS

from .conftest import csv_bytes, xlsx_bytes

HEADER = ["place_code", "indicator_id", "period", "value", "lower_ci", "upper_ci", "status"]
UPPER = "X06000024"  # a demo unitary (upper and lower tier)
DISTRICT = "X07000014"  # a demo district (lower tier only)


def _where(result) -> set[tuple[str, int, str]]:
    return {(p.sheet, p.row, p.column) for p in result.problems}


def _message(result, row: int, column: str) -> str:
    return next(p.message for p in result.problems if p.row == row and p.column == column)


def every_error_rows(demo) -> list[list[str]]:
    """A CSV layer with one row of each kind of problem (rows 3 to 15; row 2 is fine)."""
    name = demo.place_name(UPPER)
    return [
        HEADER,
        [UPPER, "spend_asc_per_head", "2025-26", "512.5", "", "", ""],  # 2: fine
        [UPPER, "spend_asc_per_head", "2025-26", "500", "", "", ""],  # 3: duplicate of 2
        [name, "spend_asc_per_head", "2025-26", "500", "", "", ""],  # 4: a name, not a code
        ["X06O00024", "spend_csc_per_head", "2025-26", "1", "", "", ""],  # 5: typo in code
        [DISTRICT, "spend_asc_per_head", "2025-26", "500", "", "", ""],  # 6: wrong tier
        [UPPER, "no_such_indicator", "2025-26", "1", "", "", ""],  # 7: unknown indicator
        [UPPER, "spend_csc_per_head", "2025-27", "1", "", "", ""],  # 8: bad financial year
        [UPPER, "spend_education_per_head", "25/26", "1", "", "", ""],  # 9: not a period
        [UPPER, "spend_public_health_per_head", "2025-26", "abc", "", "", ""],  # 10: text
        [UPPER, "spend_culture_per_head", "2025-26", "1", "", "", "bogus"],  # 11: status
        [UPPER, "spend_total_per_head", "2025-26", "-99999999", "", "", ""],  # 12: range
        [UPPER, "ks2_expected_pct", "2025", "64", "66", "70", ""],  # 13: CI misses value
        [UPPER, "gcse_eng_maths_pct", "2025", "12%", "", "", ""],  # 14: a percent sign
        [UPPER, "", "2025", "1", "", "", ""],  # 15: empty indicator
    ]


#: (sheet, row, column) of every problem in ``every_error_rows``.
EVERY_ERROR_AT = {
    ("", 3, "place_code, indicator_id, period"),
    ("", 4, "place_code"),
    ("", 5, "place_code"),
    ("", 6, "place_code"),
    ("", 7, "indicator_id"),
    ("", 8, "period"),
    ("", 9, "period"),
    ("", 10, "value"),
    ("", 11, "status"),
    ("", 12, "value"),
    ("", 13, "lower_ci"),
    ("", 14, "value"),
    ("", 15, "indicator_id"),
}


def test_every_error_class_is_reported_at_once_with_its_row_and_column(demo) -> None:
    name = demo.place_name(UPPER)
    rows = every_error_rows(demo)
    result = check_layer(csv_bytes(rows), "partners.csv", demo)
    assert not result.ok and result.layer is None
    expected = EVERY_ERROR_AT
    assert _where(result) == expected
    assert "first at row 2" in _message(result, 3, "place_code, indicator_id, period")
    assert f"{name}'s code is {UPPER}" in _message(result, 4, "place_code")
    assert f"did you mean {UPPER}" in _message(result, 5, "place_code")
    assert "district" in _message(result, 6, "place_code")
    assert "upper tier" in _message(result, 6, "place_code")
    assert "2025-26" in _message(result, 8, "period")
    assert "not a number" in _message(result, 10, "value")
    assert "outside the range" in _message(result, 12, "value")
    assert "write 12 alone" in _message(result, 14, "value")
    # the command line's form: FILE:ROW:COLUMN: message, in row order
    lines = result.lines()
    assert lines[0].startswith("partners.csv:3:place_code, indicator_id, period: duplicate")
    assert [int(line.split(":")[1]) for line in lines] == sorted(p.row for p in result.problems)


def test_suppression_markers_become_missing_with_their_status_never_zero(demo) -> None:
    markers = {
        "x": "suppressed",
        "c": "suppressed",
        "..": "missing",
        ":": "missing",
        "z": "not_applicable",
        "u": "low_reliability",
        "low": "low_reliability",
    }
    ids = [
        "ks2_expected_pct",
        "gcse_eng_maths_pct",
        "early_years_gld_pct",
        "persistent_absence_pct",
        "asc_easy_info_pct",
        "care_leavers_eet_pct",
        "cin_rereferral_pct",
    ]
    rows = [["place_code", "indicator_id", "period", "value"]]
    rows += [[UPPER, i, "2025", m] for i, m in zip(ids, markers, strict=True)]
    rows.append([UPPER, "ks2_expected_pct", "2024", "0"])
    result = check_layer(csv_bytes(rows), "markers.csv", demo)
    assert result.ok, result.lines()
    v = result.layer.values.set_index(["indicator_id", "period"])
    for ind, (marker, status) in zip(ids, markers.items(), strict=True):
        row = v.loc[(ind, "2025")]
        assert math.isnan(row["value"]), marker
        assert row["status"] == status, marker
    # a real zero stays a zero, with no status
    assert v.loc[("ks2_expected_pct", "2024"), "value"] == 0.0
    assert v.loc[("ks2_expected_pct", "2024"), "status"] == ""


def test_a_clean_layer_is_read_with_numbers_in_the_unit(demo) -> None:
    rows = [HEADER, [UPPER, "ks2_expected_pct", "2025", "64.5", "", "", "provisional"]]
    rows.append([UPPER, "spend_asc_per_head", "2025-26", "1,234.5", "", "", ""])
    result = check_layer(csv_bytes(rows), "ok.csv", demo, title="Local figures")
    assert result.ok and result.problems == ()
    layer = result.layer
    assert layer.title == "Local figures" and layer.filename == "ok.csv"
    assert layer.values["value"].tolist() == [64.5, 1234.5]
    assert layer.values["status"].tolist() == ["provisional", ""]
    assert layer.new_indicators == []


def _definitions(*rows: list[str]) -> list[list[str]]:
    return [[c.name for c in DEFINITION_COLUMNS], *rows]


def _definition(ident: str, **over: str) -> list[str]:
    base = {
        "id": ident,
        "label": "NHS community health spend per head",
        "kind": "spend",
        "service": "public_health",
        "unit": "gbp_per_head",
        "polarity": "neutral",
        "levels": "upper;lower",
        "definition": "What the integrated care board spends on community health services.",
        "source_publisher": "NHS Greater Merrowmoor ICB",
        "source_title": "Place-based spend 2025-26",
        "source_url": "https://example.org/spend",
        "source_licence": "Open Government Licence v3.0",
        "agency": "nhs",
    } | over
    return [base[c.name] for c in DEFINITION_COLUMNS]


def test_workbook_definitions_are_checked_and_new_indicators_loaded(demo) -> None:
    values = [
        ["place_code", "indicator_id", "period", "value"],
        [UPPER, "nhs_community_per_head", "2025-26", 210.0],
        [DISTRICT, "nhs_community_per_head", "2025-26", 180],
        [UPPER, "nhs_community_per_head", "2024-25", "x"],
    ]
    book = xlsx_bytes(
        {"values": values, "definitions": _definitions(_definition("nhs_community_per_head"))}
    )
    result = check_layer(book, "partners.xlsx", demo)
    assert result.ok, result.lines()
    assert result.layer.new_indicators == ["nhs_community_per_head"]
    d = result.layer.definitions.iloc[0]
    assert d["levels"] == ("upper", "lower") and d["agency"] == "nhs"
    assert result.layer.values["value"].iloc[:2].tolist() == [210.0, 180.0]


def test_workbook_definition_errors_name_sheet_row_and_column(demo) -> None:
    values = [["place_code", "indicator_id", "period", "value"]] + [
        [UPPER, i, "2025-26", 1] for i in ("a_ok", "b_unit", "c_pol", "d_spend", "ks2_expected_pct")
    ]
    defs = _definitions(
        _definition("a_ok"),
        _definition("b_unit", unit="pounds"),  # row 3
        _definition("c_pol", polarity="up", kind="outcome", agency=""),  # row 4
        _definition("d_spend", agency=""),  # row 5: spend with no agency
        _definition("ks2_expected_pct", kind="outcome", agency=""),  # row 6: catalogue id
        _definition("a_ok"),  # row 7: defined twice
        _definition("Bad Id", levels="middle", source_url="ftp://x"),  # row 8
    )
    result = check_layer(xlsx_bytes({"values": values, "definitions": defs}), "p.xlsx", demo)
    where = _where(result)
    for expected in [
        ("definitions", 3, "unit"),
        ("definitions", 4, "polarity"),
        ("definitions", 5, "agency"),
        ("definitions", 6, "id"),
        ("definitions", 7, "id"),
        ("definitions", 8, "id"),
        ("definitions", 8, "levels"),
        ("definitions", 8, "source_url"),
    ]:
        assert expected in where, (expected, result.lines())
    assert "gbp_per_head" in _message(result, 3, "unit")
    assert "already an indicator of the catalogue" in _message(result, 6, "id")
    assert result.lines()[0].startswith("p.xlsx[definitions]:")


def test_a_formula_is_read_as_its_saved_value_or_reported_never_calculated(demo) -> None:
    values = [
        ["place_code", "indicator_id", "period", "value"],
        [UPPER, "ks2_expected_pct", "2025", "=60+5"],
    ]
    result = check_layer(xlsx_bytes({"values": values}), "f.xlsx", demo)
    assert _where(result) == {("values", 2, "value")}
    assert "formula with no saved value" in result.problems[0].message


def test_missing_and_unknown_columns_are_named(demo) -> None:
    rows = [
        ["place_code", "indicator", "period", "value", "upperci"],
        [UPPER, "x", "2025", "1", ""],
    ]
    result = check_layer(csv_bytes(rows), "cols.csv", demo)
    where = _where(result)
    assert ("", 1, "indicator_id") in where
    assert ("", 1, "upperci") in where
    assert "did you mean 'upper_ci'" in _message(result, 1, "upperci")


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"\x00\x01\x02binary", "layer.csv", "binary"),
        (b"", "empty.csv", "empty"),
        (b"PK\x03\x04not a zip at all", "bad.xlsx", "binary"),
    ],
)
def test_files_that_are_not_tables_are_refused_by_content(demo, content, name, words) -> None:
    result = check_layer(content, name, demo)
    assert not result.ok and result.problems[0].row == 0
    assert words in result.problems[0].message


def test_type_comes_from_content_not_name(demo) -> None:
    values = [
        ["place_code", "indicator_id", "period", "value"],
        [UPPER, "ks2_expected_pct", "2025", 61],
    ]
    result = check_layer(xlsx_bytes({"values": values}), "looks-like.csv", demo)
    assert result.ok, result.lines()
    assert any("Excel workbook" in n for n in result.notes)


def test_over_the_size_and_row_limits_is_refused_with_a_message(demo, monkeypatch) -> None:
    real = layer_read._limit
    monkeypatch.setattr(layer_read, "_limit", lambda k: 1000 if k == "max_bytes" else real(k))
    big = csv_bytes(
        [["place_code", "indicator_id", "period", "value"]]
        + [[UPPER, "ks2_expected_pct", "2025", 1]] * 100
    )
    result = check_layer(big, "big.csv", demo)
    assert not result.ok and "MB a layer may be" in result.problems[0].message
    monkeypatch.setattr(layer_read, "_limit", lambda k: 50 if k == "max_rows" else real(k))
    result = check_layer(big, "long.csv", demo)
    assert not result.ok and "more than the 50 a layer may have" in result.problems[0].message


def test_the_england_checks_suggest_real_councils(england) -> None:
    rows = [
        ["place_code", "indicator_id", "period", "value"],
        ["Wigan", "spend_asc_per_head", "2025-26", 500],
        ["E07000111", "spend_asc_per_head", "2025-26", 500],
        ["E08000010", "spend_asc_per_head", "2025-26", 500],
    ]
    result = check_layer(csv_bytes(rows), "e.csv", england)
    assert "Wigan's code is E08000010" in _message(result, 2, "place_code")
    assert "Sevenoaks" in _message(result, 3, "place_code")
    assert _where(result) == {("", 2, "place_code"), ("", 3, "place_code")}


def test_every_column_of_the_format_is_checked() -> None:
    # the format and the checks cannot drift apart: both sheets' columns are the ColumnSpecs
    assert [c.name for c in VALUES_COLUMNS] == HEADER
    assert "agency" in [c.name for c in DEFINITION_COLUMNS]


def test_a_formula_with_a_saved_value_is_read_as_that_value(demo) -> None:
    import io
    import zipfile

    values = [
        ["place_code", "indicator_id", "period", "value"],
        [UPPER, "ks2_expected_pct", "2025", "=60+5"],
    ]
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"values": values})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v></v>", b"<v>65</v>")
            dst.writestr(item, data)
    result = check_layer(out.getvalue(), "saved.xlsx", demo)
    assert result.ok, result.lines()
    assert result.layer.values["value"].tolist() == [65.0]
    assert any("formula" in n and "never calculated" in n for n in result.notes)


def test_the_template_round_trips_fill_check_load(demo) -> None:
    """template -> fill -> check -> load, for both the XLSX and the CSV template."""
    import io

    import openpyxl

    from dashboard.layers.template import template_bytes

    book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx")))
    book["values"].append([UPPER, "nhs_community_per_head", "2025-26", 210.5, None, None, None])
    book["values"].append([UPPER, "ks2_expected_pct", "2025", "c", None, None, None])
    book["definitions"].append(_definition("nhs_community_per_head"))
    out = io.BytesIO()
    book.save(out)
    result = check_layer(out.getvalue(), "filled.xlsx", demo, title="Partners")
    assert result.ok, result.lines()
    layer = result.layer
    assert layer.new_indicators == ["nhs_community_per_head"]
    assert layer.values["value"].iloc[0] == 210.5
    assert math.isnan(layer.values["value"].iloc[1])
    assert layer.values["status"].iloc[1] == "suppressed"

    text = template_bytes("csv").decode("utf-8") + f"{UPPER},ks2_expected_pct,2025,66.1,,,\n"
    result = check_layer(text.encode("utf-8"), "filled.csv", demo)
    assert result.ok, result.lines()
    assert result.layer.values["value"].tolist() == [66.1]
