"""Tables to CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def to_csv_bytes(df: pd.DataFrame, notes: Sequence[str] = ()) -> bytes:
    """CSV as UTF-8 with a byte-order mark (so Excel reads £ correctly), formulas neutralised.

    ``notes`` (the attribution, the licence, what the figures are) follow the table after one
    blank line, one note a line in the first column, so the table itself starts at the top."""
    text = neutralise(df).to_csv(index=False)
    if notes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([])
        for n in notes:
            s = str(n)
            w.writerow(["'" + s if s.startswith(_FORMULA_START) else s])
        text += buf.getvalue()
    return text.encode("utf-8-sig")
