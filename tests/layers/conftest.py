"""Layers are checked against the demo bundle (always there) and England (when built)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest

from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle


@pytest.fixture(scope="session")
def demo() -> Bundle:
    return read_bundle(DATA_DIR / "demo")


@pytest.fixture(scope="session")
def england() -> Bundle:
    path = Path(os.environ.get("PVE_ENGLAND_DIR", DATA_DIR / "england"))
    if not (path / "bundle.yaml").exists():
        pytest.skip("England bundle not built (python -m dashboard build-england)")
    return read_bundle(path)


def csv_bytes(rows: list[list[object]]) -> bytes:
    """A CSV file of ``rows`` (the first is the header)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with one sheet per entry (rows as given; the first row is the header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r in rows:
            sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
