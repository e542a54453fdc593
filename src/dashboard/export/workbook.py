"""Tables to an XLSX workbook, safe to open in a spreadsheet (formulas neutralised), with a
notes sheet that carries the attribution and what the figures are."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.export.tables import neutralise

_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})
MAX_COLUMN_WIDTH = 60  # characters


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


def to_xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame], notes: Sequence[str], *, title: str = "Notes"
) -> bytes:
    """An XLSX workbook: a notes sheet first (one line a row), then one sheet per table.

    Text that a spreadsheet would run as a formula (starting =, +, -, @, tab or return) is
    prefixed with a single quote, in the notes and in every table."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        notes_df = _text_cells(pd.DataFrame({title: [str(n) for n in notes]}))
        notes_df.to_excel(xl, sheet_name=sheet_name(title), index=False)
        ws = xl.sheets[sheet_name(title)]
        ws.column_dimensions["A"].width = 110
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        used = {sheet_name(title)}
        for name, df in sheets.items():
            base = sheet_name(name)
            sname, k = base, 2
            while sname in used:
                sname = f"{base[:28]} {k}"
                k += 1
            used.add(sname)
            table = _text_cells(df)
            table.to_excel(xl, sheet_name=sname, index=False)
            ws = xl.sheets[sname]
            ws.freeze_panes = "A2"
            for j, col in enumerate(table.columns, start=1):
                sample = [str(col), *(str(v) for v in table[col].head(200))]
                width = min(max(len(s) for s in sample) + 2, MAX_COLUMN_WIDTH)
                ws.column_dimensions[get_column_letter(j)].width = width
                ws.cell(row=1, column=j).font = Font(bold=True)
    return buf.getvalue()
