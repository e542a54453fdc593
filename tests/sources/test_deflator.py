"""The GDP deflator by financial year: the builder's means against the ONS quarters read straight
from the official file, the HM Treasury edition kept to a cross-check note, and the readers on
hand-made files (a bad cell is a problem naming the file, the line and the column)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.sources.deflator import (
    cross_check,
    financial_year_means,
    prices_step,
    read_hmt_financial_years,
    read_ons_quarters,
)
from dashboard.sources.registry import SOURCE_BY_ID, find_files

ONS = "hmt_ons_gdp_deflators/ons_ybgb_gdp_implied_deflator_2025-06-30.csv"
HMT = "hmt_ons_gdp_deflators/GDP_Deflators_Qtrly_National_Accounts_December_2023_update.csv"


def _ons_quarters(path: Path) -> dict[str, float]:
    """The quarterly cells of the ONS download, read with the csv module alone."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r[0]: float(r[1]) for r in csv.reader(fh) if len(r) > 1 and " Q" in r[0]}


def _fy_mean(q: dict[str, float], start: int) -> float:
    """Financial year start..start+1: the mean of Q2, Q3, Q4 of ``start`` and Q1 of the next."""
    cells = [f"{start} Q2", f"{start} Q3", f"{start} Q4", f"{start + 1} Q1"]
    return sum(q[c] for c in cells) / 4


@pytest.mark.england
def test_deflators_are_the_financial_year_means_of_the_official_ons_quarters(england, raw) -> None:
    bundle, _ = england
    q = _ons_quarters(raw / ONS)
    got = dict(zip(bundle.deflators["period"], bundle.deflators["index"], strict=True))
    for start in (2017, 2020, 2022, 2023, 2024):
        period = f"{start}-{(start + 1) % 100:02d}"
        assert got[period] == pytest.approx(_fy_mean(q, start), abs=1e-4), period
    # the financial-year means PROVENANCE.md states for this file (2 decimals)
    assert round(got["2017-18"], 2) == 87.00 and round(got["2024-25"], 2) == 112.38
    # every period of the bundle is covered and the price base is the latest one
    assert set(bundle.periods) <= set(got)
    block = bundle.meta["deflator"]
    assert block["base_period"] == bundle.periods[-1] == "2024-25"
    assert block["source"]["publisher"] == "Office for National Statistics"
    assert "YBGB" in block["series"]


@pytest.mark.england
def test_the_hmt_edition_is_a_cross_check_note_only(england, raw) -> None:
    bundle, report = england
    notes = " ".join(bundle.meta["notes"])
    assert "Cross-check (not used in any figure)" in notes
    assert "December 2023" in notes
    # its index (2022-23 = 100) is not what deflators.csv holds (2022 = 100 ONS means)
    hmt = read_hmt_financial_years(raw / HMT)
    assert hmt["2022-23"] == 100.0 and hmt["2017-18"] == pytest.approx(85.656)
    got = dict(zip(bundle.deflators["period"], bundle.deflators["index"], strict=True))
    assert got["2022-23"] != pytest.approx(100.0)
    assert "hmt_gdp_deflators" in report


def test_financial_year_means_need_all_four_quarters() -> None:
    q = pd.Series({"2023 Q1": 9.0, "2023 Q2": 1.0, "2023 Q3": 2.0, "2023 Q4": 3.0, "2024 Q1": 6.0})
    q["2024 Q2"] = 7.0  # 2024-25 lacks three quarters
    means = financial_year_means(q)
    assert means.to_dict() == {"2023-24": 3.0}


def test_a_bad_quarter_is_a_problem_naming_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ybgb.csv"
    path.write_text(
        '"Title","GDP deflator"\n"2023 Q2","1.0"\n"2023 Q3","[x]"\n"2023 Q4","oops"\n'
        '"2024 Q1","4.0"\n',
        encoding="utf-8",
    )
    quarters, problems = read_ons_quarters(path)
    assert [str(p) for p in problems] == [
        "ybgb.csv, row 4, column 'value': 'oops' is not a number (kept as missing)"
    ]
    assert financial_year_means(quarters).empty, "a year with a missing quarter is left out"


def test_cross_check_rebases_both_to_the_latest_common_year() -> None:
    ons = pd.Series({"2021-22": 95.0, "2022-23": 100.0, "2023-24": 108.0})
    hmt = pd.Series({"2021-22": 94.0, "2022-23": 100.0})
    n, worst, year = cross_check(ons, hmt)
    assert (n, year) == (2, "2021-22") and worst == pytest.approx(1.0)


def test_without_the_ons_file_there_is_no_deflator_and_a_note_says_so() -> None:
    deflator, r = prices_step({}, ["2024-25"])
    assert deflator is None and [n.id for n in r.notes] == ["no_deflator"]


def test_the_ons_file_is_found_by_its_name(tmp_path: Path) -> None:
    (tmp_path / "ons_ybgb_gdp_implied_deflator_2025-06-30.csv").write_text("x", encoding="utf-8")
    assert find_files(tmp_path, SOURCE_BY_ID["ons_gdp_deflator"])
