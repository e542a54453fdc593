"""Suppression markers, unit conversion and error messages on tiny hand-made inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle import BundleError
from dashboard.sources.finance import period_from, read_outturn, service_blocks
from dashboard.sources.indicators import ElsSpec, dfe_period, els_period, read_dfe, read_els
from dashboard.sources.parsing import marker_status, parse_numbers, read_csv_text


@pytest.mark.parametrize(
    ("marker", "status"),
    [
        ("x", "missing"),
        ("[x]", "missing"),
        ("c", "suppressed"),
        ("[c]", "suppressed"),
        ("z", "not_applicable"),
        ("[z]", "not_applicable"),
        ("u", "suppressed"),
        ("k", "suppressed"),
        ("low", "suppressed"),
        ("[low]", "suppressed"),
        ("..", "missing"),
        (":", "missing"),
        ("", "missing"),
        ("  ", "missing"),
        (None, "missing"),
        (float("nan"), "missing"),
        ("[note 4]", "missing"),
        ("X", "missing"),
    ],
)
def test_marker_status(marker: object, status: str) -> None:
    assert marker_status(marker) == status


def test_marker_status_rejects_words_and_numbers() -> None:
    assert marker_status("twelve") is None
    assert marker_status("12") is None


def test_parse_numbers_markers_become_nan_never_zero() -> None:
    raw = pd.Series(["1,234", "x", "c", "z", "", "5.5%", "[low]", "-3"])
    p = parse_numbers(raw, file="t.csv", column="v")
    assert p.values.iloc[0] == 1234
    assert p.values.iloc[5] == 5.5
    assert p.values.iloc[7] == -3
    assert p.values.iloc[1:5].isna().all() and np.isnan(p.values.iloc[6])
    assert list(p.status) == [
        "",
        "missing",
        "suppressed",
        "not_applicable",
        "missing",
        "",
        "suppressed",
        "",
    ]
    assert not p.problems


def test_parse_numbers_scales_thousands_to_pounds() -> None:
    p = parse_numbers(pd.Series(["1.5", "[x]"]), file="ro.ods", column="c", scale=1000.0)
    assert p.values.iloc[0] == 1500.0
    assert np.isnan(p.values.iloc[1]) and p.status.iloc[1] == "missing"


def test_parse_numbers_unexpected_text_is_listed_with_file_row_column() -> None:
    p = parse_numbers(
        pd.Series(["1", "oops"]),
        file=Path("/some/dir/data.csv"),
        column="rate",
        rows=pd.Series([5, 6]),
    )
    assert np.isnan(p.values.iloc[1]) and p.status.iloc[1] == "missing"
    (prob,) = p.problems
    assert (prob.file, prob.row, prob.column, prob.value) == ("data.csv", 6, "rate", "oops")
    assert "data.csv, row 6, column 'rate'" in str(prob)


def test_parse_numbers_strict_raises_bundle_error() -> None:
    with pytest.raises(BundleError) as err:
        parse_numbers(pd.Series(["1", "two"]), file="f.csv", column="score", strict=True)
    assert err.value.file == "f.csv" and err.value.row == 3 and err.value.column == "score"
    assert "'two' is not a number" in str(err.value)


def test_periods() -> None:
    assert els_period("2023-01-01/P1Y") == "2023"
    assert els_period("2023-04-01/P1Y") == "2023-24"
    assert els_period("2024-09-01/P1Y") == "2024-25"
    assert els_period("2020-01-01/P3Y") == "2020-2022"
    assert els_period("2025-04-30") == "2025"
    assert dfe_period("202324") == "2023-24"
    assert dfe_period("2025") == "2025"
    assert period_from("RSX_LA_Data_202425") == "2024-25"
    assert period_from("RS LA Data 2017-18") == "2017-18"
    assert period_from("no year") is None


def test_malformed_csv_names_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('a,b\n1,2\n"3,4\n5,6,7\n', encoding="utf-8")
    with pytest.raises(BundleError) as err:
        read_csv_text(bad)
    assert err.value.file == "bad.csv"


def test_dfe_reader_missing_column_names_it(tmp_path: Path) -> None:
    f = tmp_path / "cla.csv"
    f.write_text("time_period,geographic_level,new_la_code\n2025,Local authority,E06000001\n")
    with pytest.raises(BundleError) as err:
        read_dfe(f, "x", "rate_per_10000")
    assert err.value.file == "cla.csv" and err.value.column == "rate_per_10000"


def test_dfe_reader_statuses(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "time_period,geographic_level,new_la_code,v\n"
        "2025,National,,50\n"
        "2025,Local authority,E06000001,12.5\n"
        "2025,Local authority,E06000002,c\n"
        "2025,Local authority,E06000063,z\n"
        "2025,Local authority,E06000004,banana\n"
    )
    df, problems = read_dfe(f, "ind", "v")
    assert list(df["code"]) == ["E06000001", "E06000002", "E06000063", "E06000004"]
    assert df["value"].iloc[0] == 12.5
    assert list(df["status"]) == ["", "suppressed", "not_applicable", "missing"]
    assert problems[0].row == 6 and problems[0].column == "v"


def test_els_reader_uses_status_column(tmp_path: Path) -> None:
    f = tmp_path / "emp.csv"
    f.write_text(
        "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
        "E07000223,Adur,LAD,Employment rate,2023-01-01/P1Y,,Percentage,%,,,x,\n"
        "E07000224,Arun,LAD,Employment rate,2023-01-01/P1Y,75.1,Percentage,%,70.2,80.0,,\n"
    )
    df, problems, _ = read_els(f, [ElsSpec("emp.csv", "employment_rate_pct", ("Employment rate",))])
    assert not problems
    row = df.set_index("code").loc["E07000224"]
    assert (row["value"], row["lower_ci"], row["upper_ci"], row["period"]) == (
        75.1,
        70.2,
        80.0,
        "2023",
    )
    assert np.isnan(df.set_index("code").loc["E07000223", "value"])
    assert df.set_index("code").loc["E07000223", "status"] == "missing"


def _workbook(
    tmp_path: Path, rows: list[list[object]], name: str = "RSX_2030-31_data_by_LA.xlsx"
) -> Path:
    path = tmp_path / name
    width = max(len(r) for r in rows)
    rows = [list(r) + [None] * (width - len(r)) for r in rows]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        pd.DataFrame(rows).to_excel(xw, sheet_name="RSX_LA_Data_2030-31", header=False, index=False)
    return path


BLOCKS = [
    "Education services",
    "Highways and transport services",
    "Children Social Care",
    "Adult Social Care",
    "Public Health",
    "Housing services (GFRA only)",
    "Cultural and related services",
    "Environmental and regulatory services",
    "Planning and development services",
    "Police services",
    "Fire and rescue services",
    "Central services",
    "Other services",
    "Total Service Expenditure",
]


def test_outturn_reader_finds_header_and_converts_thousands(tmp_path: Path) -> None:
    header = ["E-code", "ONS Code", "Local authority", "Class"] + [
        f"{b} - Net Current Expenditure (C7 = C3 - C6)" for b in BLOCKS
    ]
    rows = [
        ["Title row"],
        [None],
        header,
        ["E0101", "E06000001", "Hartlepool", "UA"] + [1.5] * 14,
        ["E7050", "E23000036", "Police", "O"] + [9] * 14,
        ["E0102", "E06000002", "Middlesbrough", "UA"] + ["[x]"] * 14,
    ]
    out = read_outturn(_workbook(tmp_path, rows))
    assert out.period == "2030-31"
    wide = service_blocks(out)
    assert list(wide.index) == ["E06000001", "E06000002"]  # police dropped
    assert wide.loc["E06000001", "education"] == 1500.0
    assert np.isnan(wide.loc["E06000002", "education"])
    assert wide.loc["E06000002", "education__status"] == "missing"


def test_outturn_reader_reports_text_cell_with_row_and_column(tmp_path: Path) -> None:
    header = ["E-code", "ONS Code", "Local authority", "Class"] + [
        f"{b} - Net Current Expenditure (C7 = C3 - C6)" for b in BLOCKS
    ]
    rows = [header, ["E0101", "E06000001", "Hartlepool", "UA"] + ["lots"] + [1] * 13]
    out = read_outturn(_workbook(tmp_path, rows))
    (prob,) = out.problems
    assert prob.row == 2 and prob.column.startswith("Education services") and prob.value == "lots"


def test_outturn_reader_without_header_names_file(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [["nothing", "here"], [1, 2]])
    with pytest.raises(BundleError) as err:
        read_outturn(path)
    assert err.value.file == path.name and "ONS Code" in str(err.value)
