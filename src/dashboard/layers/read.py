"""Reading an uploaded layer file into text tables, within the upload limits.

The file's type is decided from its content, never from its name: an XLSX file is a zip holding
``xl/workbook.xml``; anything else must be UTF-8 (or Windows-1252) text with no NUL byte, read as
CSV. XLSX cells are read as the values the workbook last saved (python-calamine): a formula is
never evaluated. Every cell arrives as text (a number as Excel stored it), so the checks see
exactly what the user typed, and a row number is the one a spreadsheet shows (header = row 1).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from dashboard.bundle.limits import input_limit
from dashboard.layers.format import DEFINITIONS_SHEET, VALUES_SHEET


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a layer file: where (``sheet`` "" for a CSV; ``row`` as a
    spreadsheet shows it, the header being row 1, 0 for the whole file; ``column`` "" for the
    whole row or file) and what, in words."""

    file: str
    row: int
    column: str
    message: str
    sheet: str = ""

    def line(self) -> str:
        """``FILE:ROW:COLUMN: message`` (``FILE[sheet]`` for a workbook's sheet)."""
        where = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        return f"{where}:{self.row}:{self.column}: {self.message}"


class LayerFileError(ValueError):
    """A file refused before its rows are checked (too large, not a table, unreadable)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.line())


@dataclass(frozen=True)
class RawTables:
    """A layer file's tables as text: every cell a ``str`` ("" when empty), the columns as the
    header named them (stripped, lower-case). ``definitions`` is None for a CSV file or a
    workbook with no definitions sheet. ``kind`` is "csv" or "xlsx"."""

    file: str
    kind: str
    values: pd.DataFrame
    definitions: pd.DataFrame | None = None
    notes: tuple[str, ...] = field(default=())
    #: Cells that hold a formula the workbook never calculated (no saved value): reported as
    #: problems, since a formula is never evaluated here.
    problems: tuple[Problem, ...] = field(default=())


def _limit(key: str) -> int:
    return input_limit("upload", key)


def sniff(content: bytes) -> str:
    """``"xlsx"`` for a zip holding a workbook, ``"zip"`` for any other zip, ``"binary"`` for
    bytes that are not text, else ``"csv"``."""
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return "xlsx" if "xl/workbook.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "binary"
    if b"\x00" in content[:65536]:
        return "binary"
    return "csv"


def _decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and a note when it was not UTF-8."""
    try:
        return content.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "read as Windows-1252 text (not UTF-8)"
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not text: byte {exc.start + 1} is neither UTF-8 nor Windows-1252"
        ) from None


def _frame(rows: list[list[str]], file: str, sheet: str) -> pd.DataFrame:
    """A header row and data rows as a text frame; blank trailing rows dropped."""
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows or not any(c.strip() for c in rows[0]):
        raise LayerFileError(
            Problem(file, 1, "", "no header row: the first row must name the columns", sheet)
        )
    header = [c.strip().lower() for c in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    extra = [i + 2 for i, r in enumerate(rows[1:]) if any(c.strip() for c in r[width:])]
    if extra:
        raise LayerFileError(
            Problem(
                file,
                extra[0],
                "",
                f"{len(extra)} row(s) have more cells than the header has columns "
                f"(first at row {extra[0]}): name every column in the header",
                sheet,
            )
        )
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name and name in seen:
            raise LayerFileError(
                Problem(file, 1, name, f"column '{name}' is named twice in the header", sheet)
            )
        seen.add(name)
        if not name:
            header[i] = f"(column {i + 1})"
    df = pd.DataFrame(body, columns=header, dtype=object)
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    return df


def _check_rows(n: int, file: str, sheet: str) -> None:
    top = _limit("max_rows")
    if n > top:
        raise LayerFileError(
            Problem(
                file,
                0,
                "",
                f"{n:,} rows is more than the {top:,} a layer may have: split it into "
                "several layers, or build a bundle",
                sheet,
            )
        )


def _check_cells(df: pd.DataFrame, file: str, sheet: str) -> None:
    top = _limit("max_cell_chars")
    for col in df.columns:
        lengths = df[col].str.len()
        over = lengths.gt(top).to_numpy().nonzero()[0]
        if len(over):
            r = int(over[0])
            raise LayerFileError(
                Problem(
                    file,
                    r + 2,
                    str(col),
                    f"a cell of {int(lengths.iat[r]):,} characters is longer than the "
                    f"{top:,} allowed",
                    sheet,
                )
            )


def _read_csv(text: str, file: str) -> pd.DataFrame:
    sample = text[:8192]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > _limit("max_rows") + 1:
                _check_rows(len(rows) - 1, file, "")
    except csv.Error as exc:
        raise LayerFileError(
            Problem(file, reader.line_num, "", f"not a readable CSV table: {exc}")
        ) from None
    return _frame(rows, file, "")


def _cell_text(v: object) -> str:
    """A workbook cell as text: a whole float without its ``.0``, a date as ISO."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        # a whole number as Excel shows it (12, not 12.0); floats hold integers exactly below 2**53
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_REV = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_SAVED = re.compile(rb"<v>[^<]|<is>")
_CELL = re.compile(rb'<c\b[^>]*?r="([A-Z]+)(\d+)"[^>]*?>(.*?)</c>', re.S)


def _formulas(z: zipfile.ZipFile) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """Per sheet name (lower-case): how many cells hold a formula, and where (column letters,
    row) those without a saved value are."""
    try:
        book = z.read("xl/workbook.xml")
        rels_xml = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    rels = {i: t for i, t in _REL.findall(rels_xml)} | {i: t for t, i in _REL_REV.findall(rels_xml)}
    out: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    for name, rid in _SHEET.findall(book):
        target = rels.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = z.read(part)
        except KeyError:
            continue
        if b"<f" not in xml:
            continue
        count, empty = 0, []
        for col, row, inner in _CELL.findall(xml):
            if b"<f" in inner:
                count += 1
                if not _SAVED.search(inner):
                    empty.append((col.decode(), int(row)))
        out[name.decode("utf-8", "replace").strip().lower()] = (count, empty)
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _read_xlsx(
    content: bytes, file: str
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], list[Problem]]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        unzipped = sum(i.file_size for i in z.infolist())
    if unzipped > _limit("max_unzipped_bytes"):
        raise LayerFileError(
            Problem(
                file,
                0,
                "",
                f"the workbook unpacks to {unzipped:,} bytes, more than the "
                f"{_limit('max_unzipped_bytes'):,} allowed",
            )
        )
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        formulas = _formulas(z)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for broken workbooks
        raise LayerFileError(Problem(file, 0, "", f"not a readable workbook: {exc}")) from None
    names = {n.strip().lower(): n for n in book.sheet_names}
    first = book.sheet_names[0] if book.sheet_names else ""
    values_name = names.get(VALUES_SHEET, first)
    if not values_name:
        raise LayerFileError(Problem(file, 0, "", "the workbook has no sheets"))
    frames = []
    notes: list[str] = []
    problems: list[Problem] = []
    pairs = ((VALUES_SHEET, values_name), (DEFINITIONS_SHEET, names.get(DEFINITIONS_SHEET)))
    for want, name in pairs:
        if name is None:
            frames.append(None)
            continue
        sheet = book.get_sheet_by_name(name)
        _check_rows(max(sheet.height - 1, 0), file, want)
        rows = [[_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        frame = _frame(rows, file, want)
        frames.append(frame)
        count, empty = formulas.get(name.strip().lower(), (0, []))
        if count:
            notes.append(
                f"sheet '{want}': {count:,} cell(s) hold a formula; each is read as the value "
                "the workbook saved, never calculated here"
            )
        for col, row in empty:
            i = _column_index(col)
            column = str(frame.columns[i]) if i < len(frame.columns) else col
            problems.append(
                Problem(
                    file,
                    row,
                    column,
                    "a formula with no saved value (the workbook was never calculated): "
                    "open and save it in a spreadsheet program, or paste the values",
                    want,
                )
            )
    return frames[0], frames[1], notes, problems


def read_tables(content: bytes, filename: str) -> RawTables:
    """The tables of an uploaded layer file, as text. Raises LayerFileError (naming the file)
    when it is too large, not a CSV or XLSX file by its content, or unreadable."""
    file = filename or "upload"
    top = _limit("max_bytes")
    if len(content) > top:
        raise LayerFileError(
            Problem(
                file,
                0,
                "",
                f"the file is {len(content) / 1e6:.1f} MB, more than the {top / 1e6:.0f} MB "
                "a layer may be",
            )
        )
    if not content.strip():
        raise LayerFileError(Problem(file, 0, "", "the file is empty"))
    kind = sniff(content)
    if kind == "zip":
        raise LayerFileError(
            Problem(file, 0, "", "a zip file that is not an Excel workbook (.xlsx)")
        )
    if kind == "binary":
        raise LayerFileError(
            Problem(
                file,
                0,
                "",
                "not a CSV or XLSX file (its content is binary): save it as CSV UTF-8 or as an "
                "Excel workbook (.xlsx)",
            )
        )
    notes: list[str] = []
    problems: list[Problem] = []
    if kind == "xlsx":
        values, definitions, notes, problems = _read_xlsx(content, file)
        if not file.lower().endswith((".xlsx", ".xlsm")):
            notes.append("read as an Excel workbook (its content), whatever its name says")
    else:
        try:
            text, note = _decode(content)
        except ValueError as exc:
            raise LayerFileError(Problem(file, 0, "", str(exc))) from None
        if note:
            notes.append(note)
        values, definitions = _read_csv(text, file), None
    for df, sheet in ((values, VALUES_SHEET), (definitions, DEFINITIONS_SHEET)):
        if df is not None:
            _check_rows(len(df), file, sheet if kind == "xlsx" else "")
            _check_cells(df, file, sheet if kind == "xlsx" else "")
    return RawTables(
        file=file,
        kind=kind,
        values=values,
        definitions=definitions,
        notes=tuple(notes),
        problems=tuple(problems),
    )
