"""Benchmark: checking a 100,000-row data layer (CSV and XLSX) against England (or the demo).

The layer is every upper-tier council x a run of catalogue indicators x periods, with about 1%
of cells wrong (text, a bad period, a duplicate) and 1% suppression markers, so the checks do
their full work. Baseline measured in the same run: reading the same CSV with pandas alone
(``pd.read_csv``, all text), so the ratio says what the checks cost beyond parsing.

Target (issue 16): report the time to check a 100,000-row layer (no fixed target).

Run: ``PYTHONPATH=src python -m benchmarks.bench_layer_check [--runs N] [--rows N]``
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools

import openpyxl
import pandas as pd

from benchmarks._common import median_seconds, report
from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle
from dashboard.bundle.datasets import available_datasets
from dashboard.layers.check import check_layer

HEADER = ["place_code", "indicator_id", "period", "value", "lower_ci", "upper_ci", "status"]


def layer_rows(bundle: Bundle, n: int) -> list[list[str]]:
    """``n`` value rows for upper-tier places, with 1% errors and 1% markers."""
    places = bundle.place_codes("upper")
    ids = [
        i for i in bundle.indicators_at("upper")["id"] if bundle.indicator(i)["unit"] == "percent"
    ]
    periods = [f"{y}-{(y + 1) % 100:02d}" for y in range(1990, 2030)]
    rows = []
    for k, (period, ind, place) in enumerate(itertools.product(periods, ids, places)):
        if k >= n:
            break
        value = f"{(k * 7919) % 1000 / 10:.1f}"
        if k % 100 == 17:
            value = "abc"
        elif k % 100 == 42:
            value = "x"
        elif k % 100 == 73:
            period = "25/26"
        rows.append([place, ind, period, value, "", "", ""])
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    found = available_datasets()
    name = "england" if "england" in found else "demo"
    bundle = read_bundle(found.get(name, DATA_DIR / "demo"))
    rows = layer_rows(bundle, args.rows)
    csv_bytes, xlsx_bytes = as_csv(rows), as_xlsx(rows)
    print(
        f"{len(rows):,} rows against {bundle.title}; CSV {len(csv_bytes) / 1e6:.1f} MB, "
        f"XLSX {len(xlsx_bytes) / 1e6:.1f} MB; medians of {args.runs} runs"
    )
    result = check_layer(csv_bytes, "layer.csv", bundle)
    print(
        f"problems found: {len(result.problems) + result.more:,} (listed {len(result.problems):,})"
    )
    base = median_seconds(
        lambda: pd.read_csv(io.BytesIO(csv_bytes), dtype=str, keep_default_na=False),
        runs=args.runs,
    )
    report("baseline: pandas read_csv of the same file", base)
    t_csv = median_seconds(lambda: check_layer(csv_bytes, "layer.csv", bundle), runs=args.runs)
    report("check a CSV layer", t_csv, extra=f"{t_csv / base:.1f}x baseline")
    t_xlsx = median_seconds(lambda: check_layer(xlsx_bytes, "layer.xlsx", bundle), runs=args.runs)
    report("check an XLSX layer", t_xlsx, extra=f"{t_xlsx / base:.1f}x baseline")


if __name__ == "__main__":
    main()
