"""Turn the cells of official files into numbers, keeping suppression and missing markers.

Official statistics mark cells they cannot publish with short codes (``x``, ``c``, ``z``, ``u``,
``k``, ``low``, ``..``, ``:``, ``[x]`` ...). These never become zero: the value is missing (NaN)
and the ``status`` says why (see ``dashboard.bundle.schema.STATUSES``). A word where a number
belongs is an unexpected value: by default it is recorded as missing and listed as a problem
naming the file, the row and the column; in strict mode it raises :class:`BundleError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import SUPPRESSION_MARKERS

#: Marker (lower case, brackets removed) -> status of the missing value.
MARKER_STATUS: dict[str, str] = {
    "c": "suppressed",  # confidential / disclosure control
    "low": "suppressed",  # fewer than the publication threshold
    "k": "suppressed",  # rounds to zero: not published as a number
    "u": "suppressed",  # withheld as unreliable
    "*": "suppressed",
    "~": "suppressed",
    "x": "missing",  # not available / not collected
    "..": "missing",
    ":": "missing",
    "-": "missing",
    "#": "missing",
    "n/a": "not_applicable",
    "na": "not_applicable",
    "z": "not_applicable",  # the authority or measure does not apply
}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def marker_status(text: object) -> str | None:
    """Status for an official marker (``"x"``, ``"[c]"``, ``".."``, blank ...); None if not one.

    Blank cells and NaN count as ``"missing"``.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return "missing"
    s = str(text).strip().lower()
    if s in ("", "nan", "none"):
        return "missing"
    bare = s[1:-1].strip() if s.startswith("[") and s.endswith("]") else s
    if bare.startswith("note") or bare in ("…", "...", "-"):
        return "missing"  # a pointer to a footnote or an ellipsis, not a value
    if bare in MARKER_STATUS:
        return MARKER_STATUS[bare]
    if s in SUPPRESSION_MARKERS or bare in SUPPRESSION_MARKERS:
        return "suppressed"
    return None


@dataclass(frozen=True)
class Problem:
    """An unexpected value in an otherwise readable file (recorded as missing)."""

    file: str
    row: int | None
    column: str
    value: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}, column '{self.column}': '{self.value}' is not a number (kept as missing)"


@dataclass
class Parsed:
    """Numbers parsed from one column: ``values`` (float, NaN where missing) and ``status``."""

    values: pd.Series
    status: pd.Series
    problems: list[Problem] = field(default_factory=list)


def parse_numbers(
    raw: pd.Series,
    *,
    file: str | Path,
    column: str,
    rows: pd.Series | None = None,
    strict: bool = False,
    scale: float = 1.0,
) -> Parsed:
    """Parse a column of an official file into floats times ``scale`` (e.g. 1000 for £ thousand).

    ``rows`` gives the row number in the file of each cell (header is row 1 in a CSV); by default
    it is the position in ``raw`` plus 2. Markers become NaN with their status; thousands
    separators and a trailing ``%`` are accepted. Anything else is a problem (or, if ``strict``,
    a :class:`BundleError` naming the file, the row and the column).
    """
    name = Path(file).name
    raw = raw.reset_index(drop=True)
    rows = (
        pd.Series(np.arange(len(raw)) + 2)
        if rows is None
        else pd.Series(rows).reset_index(drop=True)
    )
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
        status = pd.Series(np.where(values.isna(), "missing", ""), dtype=object)
        return Parsed(values * scale, status)
    text = raw.astype(object).map(lambda v: "" if v is None else str(v).strip())
    cleaned = text.str.replace(",", "", regex=False).str.replace(r"%$", "", regex=True)
    is_num = cleaned.map(lambda s: bool(_NUMBER.match(s)))
    values = pd.to_numeric(cleaned.where(is_num), errors="coerce").astype(float)
    # plain arrays for the per-cell loop over the cells that are not numbers (Series.iloc per
    # cell costs tens of microseconds: seconds on files with many blanks)
    cells, texts, row_nos = (
        raw.to_numpy(dtype=object),
        text.to_numpy(dtype=object),
        rows.to_numpy(),
    )
    status_arr = np.full(len(raw), "", dtype=object)
    problems: list[Problem] = []
    for i in np.flatnonzero(~is_num.to_numpy()):
        st = marker_status(cells[i])
        if st is None:
            row = int(row_nos[i])
            if strict:
                raise BundleError(name, f"'{texts[i]}' is not a number", row=row, column=column)
            problems.append(Problem(name, row, column, str(texts[i])))
            st = "missing"
        status_arr[i] = st
    return Parsed(values * scale, pd.Series(status_arr, dtype=object), problems)


def require_columns(df: pd.DataFrame, columns: list[str] | tuple[str, ...], file: str) -> None:
    """Raise BundleError naming the first column of ``columns`` that ``df`` lacks."""
    for col in columns:
        if col not in df.columns:
            raise BundleError(
                Path(file).name,
                f"expected column is missing (found: {', '.join(map(str, df.columns[:12]))})",
                column=col,
            )


def read_csv_text(path: Path, **kwargs: object) -> pd.DataFrame:
    """Read a CSV as text (every cell a string; blanks stay empty), BOM-tolerant.

    Raises BundleError naming the file (and the line where pandas reports one) if it is malformed.
    """
    try:
        df = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=kwargs.pop("encoding", "utf-8-sig"),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
    except UnicodeDecodeError as exc:
        raise BundleError(path.name, f"not UTF-8 text ({exc.reason})") from exc
    except pd.errors.EmptyDataError as exc:
        raise BundleError(path.name, "file is empty") from exc
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise BundleError(
            path.name, f"malformed CSV ({exc})", row=int(m.group(1)) if m else None
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


def find_header_row(grid: pd.DataFrame, label: str, file: str, *, max_rows: int = 40) -> int:
    """0-based index of the first row of a sheet grid holding a cell equal to ``label``."""
    want = label.strip().lower()
    for i in range(min(max_rows, len(grid))):
        cells = grid.iloc[i].astype(str).str.strip().str.lower()
        if (cells == want).any():
            return i
    raise BundleError(
        Path(file).name, f"no header row with a '{label}' column in the first {max_rows} rows"
    )
