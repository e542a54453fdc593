"""Tables to an XLSX workbook, safe to open in a spreadsheet (formulas neutralised), with a
notes sheet first that carries the attribution and what the figures are. A table may say what
each column holds (money, people, years...), and the workbook formats it so: £ with thousands
separators, whole people, years without separators."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.export.tables import neutralise

_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})
MAX_COLUMN_WIDTH = 60  # characters
#: Excel number formats by kind of value (see dashboard.scenario.exports.EXPORT_KINDS).
KIND_FORMATS: dict[str, str] = {
    "gbp": '"£"#,##0;-"£"#,##0',
    "people": "#,##0",
    "year": "0",
    "count": "#,##0",
    "ratio": "0.00",
    "share": "0.0%",
    "decimal": "#,##0.00",
    "number": "General",
}


@dataclass(frozen=True)
class Sheet:
    """A table for the workbook: ``kinds`` (column -> kind of value) sets each column's
    number format; ``row_kinds`` sets the ``value`` column's format row by row."""

    frame: pd.DataFrame
    kinds: Mapping[str, str] = field(default_factory=dict)
    row_kinds: Sequence[str] = ()


def sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, at most 31 characters."""
    clean = str(name).translate(_BAD_SHEET_CHARS).strip() or "Sheet"
    return clean[:31]


def _text_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as text (so neutralising sees them), then formulas neutralised."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return neutralise(out)


def _as_sheet(table: pd.DataFrame | Sheet) -> Sheet:
    return table if isinstance(table, Sheet) else Sheet(table)


def to_xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame | Sheet],
    notes: Sequence[str],
    *,
    title: str = "Notes",
    banner: str = "",
) -> bytes:
    """An XLSX workbook: a notes sheet first (one line a row), then one sheet per table.

    ``banner`` (e.g. the attribution) goes in the first row of every table's sheet, the table
    under it after a blank row. Text that a spreadsheet would run as a formula (starting =, +,
    -, @, tab or return) is prefixed with a single quote, in the notes and in every table."""
    buf = io.BytesIO()
    top = 2 if banner else 0  # rows above the table's header
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        notes_df = _text_cells(pd.DataFrame({title: [str(n) for n in notes]}))
        notes_df.to_excel(xl, sheet_name=sheet_name(title), index=False)
        ws = xl.sheets[sheet_name(title)]
        ws.column_dimensions["A"].width = 110
        ws.cell(row=1, column=1).font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        used = {sheet_name(title)}
        for name, raw in sheets.items():
            sheet = _as_sheet(raw)
            base = sheet_name(name)
            sname, k = base, 2
            while sname in used:
                sname = f"{base[:28]} {k}"
                k += 1
            used.add(sname)
            table = _text_cells(sheet.frame)
            table.to_excel(xl, sheet_name=sname, index=False, startrow=top)
            ws = xl.sheets[sname]
            if banner:
                cell = ws.cell(row=1, column=1, value=neutralise_text(banner))
                cell.font = Font(italic=True, color="4A5560")
            ws.freeze_panes = f"A{top + 2}"
            _format(ws, table, sheet, top)
    return buf.getvalue()


def neutralise_text(text: str) -> str:
    """One line of text as a spreadsheet shows it, never run as a formula."""
    return str(neutralise(pd.DataFrame({"t": [str(text)]}))["t"].iloc[0])


def _format(ws, table: pd.DataFrame, sheet: Sheet, top: int) -> None:  # noqa: ANN001
    """Column widths, a bold header and each column's number format."""
    first, last = top + 2, top + 1 + len(table)
    for j, col in enumerate(table.columns, start=1):
        sample = [str(col), *(str(v) for v in table[col].head(200))]
        width = min(max(len(s) for s in sample) + 2, MAX_COLUMN_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = width
        ws.cell(row=top + 1, column=j).font = Font(bold=True)
        fmt = KIND_FORMATS.get(sheet.kinds.get(col, ""))
        kinds = list(sheet.row_kinds) if col == "value" and sheet.row_kinds else None
        for i, r in enumerate(range(first, last + 1)):
            f = KIND_FORMATS.get(kinds[i]) if kinds else fmt
            if f:
                ws.cell(row=r, column=j).number_format = f
