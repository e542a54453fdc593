"""The layer template: the CSV header, the XLSX's three sheets (headers, dropdowns, the read-me
table of every column), and the layer-template command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from dashboard.cli import main
from dashboard.layers.format import (
    DEFINITION_COLUMNS,
    DEFINITIONS_SHEET,
    README_SHEET,
    VALUES_COLUMNS,
    VALUES_SHEET,
)
from dashboard.layers.template import (
    README_HEADER,
    dropdown_choices,
    template_bytes,
    write_template,
)

SPECS = {VALUES_SHEET: VALUES_COLUMNS, DEFINITIONS_SHEET: DEFINITION_COLUMNS}


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(io.BytesIO(template_bytes("xlsx")))


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def _readme_table(ws) -> dict[tuple[str, str], tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    top = rows.index(README_HEADER)
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows[top + 1 :] if r[0]}


def test_csv_is_the_values_header_alone() -> None:
    data = template_bytes("csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows == [[c.name for c in VALUES_COLUMNS]]


def test_xlsx_has_the_three_sheets_in_order_with_the_specs_headers(workbook: Workbook) -> None:
    assert workbook.sheetnames == [VALUES_SHEET, DEFINITIONS_SHEET, README_SHEET]
    for sheet, specs in SPECS.items():
        ws = workbook[sheet]
        assert _header(ws) == [c.name for c in specs]
        assert ws.max_row == 1, "no rows under the header"
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(w >= len(c.value) for w, c in zip(widths, ws[1], strict=True))


def test_the_read_me_lists_every_column_with_meaning_and_allowed_values(
    workbook: Workbook,
) -> None:
    table = _readme_table(workbook[README_SHEET])
    expected = {
        (sheet, s.name): ("yes" if s.required else "no", s.meaning, s.allowed)
        for sheet, specs in SPECS.items()
        for s in specs
    }
    assert table == expected
    text = " ".join(str(v) for r in workbook[README_SHEET].iter_rows(values_only=True) for v in r)
    assert "check-layer" in text and "never zero" in text


def test_every_column_with_choices_has_its_dropdown(workbook: Workbook) -> None:
    for sheet, specs in SPECS.items():
        ws = workbook[sheet]
        found = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list" and dv.showErrorMessage
            assert len(dv.formula1) <= 255, "Excel's longest inline list"
            for rng in dv.sqref.ranges:
                found[ws.cell(row=1, column=rng.min_col).value] = (dv.formula1, rng)
        with_choices = {s.name: dropdown_choices(s) for s in specs if s.choices}
        assert set(found) == set(with_choices), sheet
        for name, choices in with_choices.items():
            formula, rng = found[name]
            assert formula.strip('"').split(",") == list(choices)
            assert rng.min_row == 2 and rng.max_row > 1000, "the dropdown covers the rows"
    assert {"status"} == {s.name for s in VALUES_COLUMNS if s.choices}, (
        "the values sheet's dropdown is on status"
    )
    assert {"kind", "service", "unit", "polarity", "agency"} <= {
        s.name for s in DEFINITION_COLUMNS if s.choices
    }
    levels = next(s for s in DEFINITION_COLUMNS if s.name == "levels")
    assert "upper;lower" in dropdown_choices(levels), "both tiers can be picked"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="csv, xlsx"):
        template_bytes("ods")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_template_by_extension(tmp_path: Path, suffix: str) -> None:
    path = write_template(tmp_path / f"layer{suffix}")
    if suffix == ".csv":
        assert path.read_bytes() == template_bytes("csv")
        return
    # a workbook records the time it was saved: compare what it holds, not its bytes
    written, made = load_workbook(path), load_workbook(io.BytesIO(template_bytes("xlsx")))
    assert written.sheetnames == made.sheetnames
    for name in made.sheetnames:
        cells = [[c.value for c in row] for row in made[name].iter_rows()]
        assert [[c.value for c in row] for row in written[name].iter_rows()] == cells


def test_cli_writes_both_and_refuses_txt(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    csv_path, xlsx_path, txt_path = (tmp_path / f"t.{x}" for x in ("csv", "xlsx", "txt"))
    assert main(["layer-template", "--out", str(csv_path)]) == 0
    assert main(["layer-template", "--out", str(xlsx_path)]) == 0
    assert csv_path.read_bytes().decode("utf-8").strip() == ",".join(c.name for c in VALUES_COLUMNS)
    wb = load_workbook(xlsx_path)  # the written file opens and round-trips
    assert wb.sheetnames == [VALUES_SHEET, DEFINITIONS_SHEET, README_SHEET]
    again = tmp_path / "again.xlsx"
    wb.save(again)
    assert load_workbook(again).sheetnames == wb.sheetnames
    assert _header(load_workbook(again)[DEFINITIONS_SHEET]) == [c.name for c in DEFINITION_COLUMNS]
    capsys.readouterr()
    assert main(["layer-template", "--out", str(txt_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ".csv" in err[0] and ".xlsx" in err[0] and ".txt" in err[0]
    assert not txt_path.exists()
