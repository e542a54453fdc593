"""The layer template: an empty layer to fill in, as CSV (the values table) or XLSX (a values
sheet, a definitions sheet and a read-me sheet), written from the column specs of format.py
so the template, the checks and the read-me cannot disagree."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.bundle.limits import input_limit
from dashboard.bundle.schema import LEVELS
from dashboard.layers.format import (
    DEFINITION_COLUMNS,
    DEFINITIONS_SHEET,
    README_SHEET,
    VALUES_COLUMNS,
    VALUES_SHEET,
    ColumnSpec,
)

#: Template formats, by file extension.
FORMATS: tuple[str, ...] = ("csv", "xlsx")
#: Columns of the read-me sheet's table of columns.
README_HEADER: tuple[str, ...] = ("sheet", "column", "required", "meaning", "allowed values")
#: Longest inline list Excel accepts in a list validation (characters).
EXCEL_LIST_MAX_CHARS = 255
#: Column widths (characters): a column is as wide as its name plus a margin, at least
#: NARROWEST; free-text columns are WIDE.
NARROWEST = 12
MARGIN = 4
WIDE = 40
WIDE_COLUMNS = frozenset({"label", "definition", "source_title", "source_url", "source_licence"})
README_WIDTHS = (14, 18, 10, 70, 70)

README_TEXT: tuple[str, ...] = (
    "A data layer adds your own figures to the dashboard: newer local values for indicators it "
    "already has, or new indicators such as what the NHS, police, fire, DWP or the voluntary "
    "sector spend in each place.",
    f"Fill the '{VALUES_SHEET}' sheet with one row per place, indicator and period. An "
    "indicator_id is either an id of the dashboard's catalogue (the Data page lists them) or "
    f"an id you define on the '{DEFINITIONS_SHEET}' sheet, one row per new indicator.",
    "Leave a value empty, or write the official marker (the value row below lists them), "
    "when there is no figure: it stays missing, never zero. Keep the header rows and the sheet names as "
    "they are; a CSV layer is the values sheet alone.",
    "Upload the file on the app's data layer page, or check it first with "
    "python -m dashboard check-layer FILE: every problem is listed at once, with its row and "
    "column. The table below says what each column means and which values it allows.",
)


def dropdown_choices(spec: ColumnSpec) -> tuple[str, ...]:
    """The values a column's dropdown offers (empty when the column is free): its choices, and
    for ``levels`` both tiers together too."""
    if spec.name == "levels":
        return (*spec.choices, ";".join(LEVELS))
    return spec.choices


def template_bytes(fmt: str) -> bytes:
    """The empty template as a file's bytes: ``csv`` (the values header, UTF-8) or ``xlsx``."""
    if fmt == "csv":
        return _csv()
    if fmt == "xlsx":
        return _xlsx()
    raise ValueError(f"unknown template format '{fmt[:20]}' (one of: {', '.join(FORMATS)})")


def write_template(path: Path) -> Path:
    """Write the template to ``path``, in the format its extension names (.csv or .xlsx)."""
    path = Path(path)
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        allowed = ", ".join(f".{f}" for f in FORMATS)
        raise ValueError(f"{path.name}: a template is {allowed}, not '{path.suffix or 'none'}'")
    path.write_bytes(template_bytes(fmt))
    return path


def _csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([c.name for c in VALUES_COLUMNS])
    return out.getvalue().encode("utf-8")


def _table_sheet(ws: Worksheet, specs: tuple[ColumnSpec, ...], rows: int) -> None:
    """Header (bold, frozen), widths, and a dropdown on every column with choices, for
    ``rows`` rows under the header."""
    bold = Font(bold=True)
    for i, spec in enumerate(specs, start=1):
        cell = ws.cell(row=1, column=i, value=spec.name)
        cell.font = bold
        letter = get_column_letter(i)
        width = WIDE if spec.name in WIDE_COLUMNS else max(NARROWEST, len(spec.name) + MARGIN)
        ws.column_dimensions[letter].width = width
        choices = dropdown_choices(spec)
        if not choices:
            continue
        formula = '"' + ",".join(choices) + '"'
        if len(formula) > EXCEL_LIST_MAX_CHARS:
            raise ValueError(f"{spec.name}: too many choices for an Excel dropdown")
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,  # a missing required cell is the checker's to report
            showErrorMessage=True,
            errorTitle=spec.name,
            error=f"{spec.name}: {spec.allowed}"[:EXCEL_LIST_MAX_CHARS],
        )
        dv.add(f"{letter}2:{letter}{rows + 1}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _readme(ws: Worksheet) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=1, column=1, value="What a data layer is, and how to fill it").font = bold
    for r, text in enumerate(README_TEXT, start=2):
        cell = ws.cell(row=r, column=1, value=text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(README_HEADER))
        cell.alignment = wrap
        ws.row_dimensions[r].height = 45
    top = len(README_TEXT) + 3
    for i, name in enumerate(README_HEADER, start=1):
        ws.cell(row=top, column=i, value=name).font = bold
        ws.column_dimensions[get_column_letter(i)].width = README_WIDTHS[i - 1]
    rows = [(VALUES_SHEET, s) for s in VALUES_COLUMNS]
    rows += [(DEFINITIONS_SHEET, s) for s in DEFINITION_COLUMNS]
    for r, (sheet, spec) in enumerate(rows, start=top + 1):
        cells = (sheet, spec.name, "yes" if spec.required else "no", spec.meaning, spec.allowed)
        for i, value in enumerate(cells, start=1):
            ws.cell(row=r, column=i, value=value).alignment = wrap
    ws.freeze_panes = f"A{top + 1}"


def _xlsx() -> bytes:
    rows = input_limit("upload", "max_rows")
    wb = Workbook()
    values = wb.active
    values.title = VALUES_SHEET
    _table_sheet(values, VALUES_COLUMNS, rows)
    _table_sheet(wb.create_sheet(DEFINITIONS_SHEET), DEFINITION_COLUMNS, rows)
    _readme(wb.create_sheet(README_SHEET))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
