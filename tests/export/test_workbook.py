"""Downloads: formulas neutralised in CSV and XLSX; the workbook carries its notes."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.export.tables import to_csv_bytes
from dashboard.export.workbook import sheet_name, to_xlsx_bytes

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", '=HYPERLINK("http://x","y")']


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [*DANGEROUS, "plain"],
            "group": pd.Categorical(["=cat"] * len(DANGEROUS) + ["ok"]),
            "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )


def test_xlsx_neutralises_formulas_and_keeps_numbers() -> None:
    data = to_xlsx_bytes({"Results": frame()}, ["=evil note", "Source: demo"])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Notes", "Results"]
    ws = wb["Results"]
    names = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(DANGEROUS) + 1)]
    assert names[:-1] == ["'" + s for s in DANGEROUS]
    assert names[-1] == "plain"
    assert ws.cell(row=2, column=2).value == "'=cat", "categorical text is neutralised too"
    for r in range(2, 2 + len(DANGEROUS) + 1):
        assert ws.cell(row=r, column=1).data_type != "f"
        assert isinstance(ws.cell(row=r, column=3).value, int | float), "numbers stay numbers"
    assert ws.cell(row=2, column=3).value == -1.5, "negative numbers are not touched"
    notes = wb["Notes"]
    assert notes.cell(row=2, column=1).value == "'=evil note"
    assert notes.cell(row=3, column=1).value == "Source: demo"


def test_csv_neutralises_formulas() -> None:
    text = to_csv_bytes(frame()).decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert all(v.startswith("'") for v in df["name"][: len(DANGEROUS)])
    assert df["name"].iloc[-1] == "plain"
    assert df["value"].iloc[0] == -1.5


def test_sheet_names_are_valid_and_unique() -> None:
    assert sheet_name("a/b:c*?[x]") == "a b c   x"
    assert len(sheet_name("x" * 40)) == 31
    data = to_xlsx_bytes({"x" * 40: frame(), "x" * 41: frame()}, [])
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.sheetnames) == 3 and len(set(wb.sheetnames)) == 3
