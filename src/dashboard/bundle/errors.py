"""Errors that name the file, the row and the column of bad input."""

from __future__ import annotations


class BundleError(ValueError):
    """A bundle (or an input file) that breaks the contract.

    ``row`` is the line number for text files (the header is line 1) and the 1-based row for
    Parquet; ``column`` is the column or field name.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.detail = message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")
