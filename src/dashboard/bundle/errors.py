"""Errors that name the file, the row and the column of bad input, and how to fix it."""

from __future__ import annotations


class BundleError(ValueError):
    """A bundle (or an input file) that breaks the contract.

    ``row`` is the line number for text files (the header is line 1), the 1-based row for
    Parquet and the 1-based feature (or hex) for GeoJSON (HexJSON); ``column`` is the column,
    field, property or YAML key path; ``hint`` says how to fix it (appended after a dash).
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.detail = message
        self.hint = hint
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        text = f"{', '.join(where)}: {message}"
        if hint:
            text += f" — {hint}"
        super().__init__(text)
