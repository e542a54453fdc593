"""H-CLIC homelessness: the reader on small hand-made tables (positions, '..', a moved header) and
the built bundle against cells read straight from the official quarterly files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle import BundleError
from dashboard.sources import homelessness as hclic
from dashboard.sources.tables import field_of

COUNTS = [dict(c) for c in field_of("hclic", "counts")]
FOLDER = "mhclg_hclic_homelessness"
QUARTERS_2023_24 = [
    "Detailed_LA_202306_all_dropdowns_fix.ods",
    "Detailed_LA_202309_fixed.ods",
    "Detailed_LA_202312.ods",
    "Detailed_LA_202403.xlsx",
]
QUARTERS_2024_25 = [
    "Detailed_LA_202406_fix.xlsx",
    "Detailed_LA_202409.xlsx",
    "Detailed_LA_202412.ods",
    "Detailed_LA_202503.ods",
]


# --- a hand-made workbook with the official layout ----------------------------------------------
def _sheet(headers: dict[int, str], rows: list[list[object]], width: int) -> pd.DataFrame:
    top = [["Table title"] + [None] * (width - 1)]
    head = [[None] * width for _ in range(3)]
    for col, text in headers.items():
        head[1][col] = text
    return pd.DataFrame(top + head + [r + [None] * (width - len(r)) for r in rows])


def _workbook(path: Path, a1_rows: list[list[object]], *, move_header: bool = False) -> Path:
    a1 = {
        4: "Total initial assessments1,2",
        6: "Total owed a prevention or relief duty",
        7: "Threatened with homelessness - Prevention duty owed",
        9: "Homeless - Relief duty owed",
        15: "Number of households in area5 (000s)",
    }
    if move_header:
        a1[5], a1[4] = a1.pop(4), "Something else"
    p1 = {
        4: "Total number of households where prevention duty ended1,2",
        6: "Secured accommodation",
    }
    r1 = {4: "Total number of households where relief duty ended1,2", 5: "Secured accommodation"}
    pr = [[r[0], r[1], None, None, 10, None, 6] for r in a1_rows]
    rr = [[r[0], r[1], None, None, 8, 2] for r in a1_rows]
    with pd.ExcelWriter(path) as w:
        for name, headers, rows, width in (
            ("A1", a1, a1_rows, 18),
            ("P1", p1, pr, 12),
            ("R1", r1, rr, 12),
        ):
            _sheet(headers, rows, width).to_excel(w, sheet_name=name, header=False, index=False)
    return path


def _a1(code: str, name: str, owed: object) -> list[object]:
    return [code, name, None, None, 20, None, owed, 5, None, 4, None, None, None, None, None, 2.0]


def test_quarter_and_financial_year_from_the_file_name() -> None:
    assert hclic.quarter_of(Path("Detailed_LA_202306_all_dropdowns_fix.ods")) == ("2023-24", 1)
    assert hclic.quarter_of(Path("Detailed_LA_202312.ods")) == ("2023-24", 3)
    assert hclic.quarter_of(Path("Detailed_LA_202403.xlsx")) == ("2023-24", 4)
    with pytest.raises(BundleError, match="no quarter"):
        hclic.quarter_of(Path("Detailed_LA_latest.ods"))


def test_dots_are_missing_not_zero_and_a_missing_quarter_leaves_the_year_missing(
    tmp_path: Path,
) -> None:
    quarters = []
    for stamp in ("202306", "202309", "202312", "202403"):
        owed = ".." if stamp == "202309" else 9
        path = _workbook(
            tmp_path / f"Detailed_LA_{stamp}.xlsx",
            [_a1("E07000001", "Alpha", 9), _a1("E07000002", "Beta", owed)],
        )
        q, problems = hclic.read_hclic_quarter(path, COUNTS)
        assert not problems
        quarters.append(q)
    assert np.isnan(quarters[1].counts.loc["E07000002", "owed_duty"]), "'..' is missing"
    (year,) = hclic.sum_years(quarters)
    assert year.period == "2023-24"
    assert year.counts.loc["E07000001", "owed_duty"] == 36, "four quarters summed"
    assert np.isnan(year.counts.loc["E07000002", "owed_duty"]), "not 27: the year is missing"
    assert year.gaps == {"E07000002": [2]}
    per_1000 = hclic.ratio(year.counts, "owed_duty", "households_000s", 1)
    assert per_1000["E07000001"] == pytest.approx(36 / 2.0)
    share = hclic.ratio(year.counts, "prevention_secured", "prevention_ended", 100)
    assert share["E07000001"] == pytest.approx(60.0)


def test_a_year_without_four_quarters_gives_no_values(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Detailed_LA_202406.xlsx", [_a1("E07000001", "Alpha", 9)])
    q, _ = hclic.read_hclic_quarter(path, COUNTS)
    (year,) = hclic.sum_years([q])
    assert year.quarters == (1,) and year.counts["owed_duty"].isna().all()


def test_a_moved_column_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "Detailed_LA_202306.xlsx", [_a1("E07000001", "Alpha", 9)], move_header=True
    )
    with pytest.raises(BundleError, match="Detailed_LA_202306.xlsx.*layout has changed"):
        hclic.read_hclic_quarter(path, COUNTS)


def test_counties_sum_their_districts_counts_and_are_missing_when_one_is() -> None:
    counts = pd.DataFrame(
        {"prevention_secured": [3.0, 5.0, 1.0, np.nan], "prevention_ended": [10.0, 10, 4, 4]},
        index=["E07000001", "E07000002", "E07000003", "E07000004"],
    )
    county_of = {
        "E07000001": "E10000001",
        "E07000002": "E10000001",
        "E07000003": "E10000002",
        "E07000004": "E10000002",
    }
    up = hclic.to_counties(counts, county_of)
    share = hclic.ratio(up, "prevention_secured", "prevention_ended", 100)
    assert share["E10000001"] == pytest.approx(40.0), "(3 + 5) / (10 + 10), not a mean of shares"
    assert np.isnan(share["E10000002"])


# --- the built bundle against the official cells ------------------------------------------------
def _grid(raw: Path, name: str, sheet: str) -> pd.DataFrame:
    grid = pd.read_excel(raw / FOLDER / name, sheet_name=sheet, header=None, engine="calamine")
    return grid.set_index(grid[0].astype(str).str.strip())


def _col(grid: pd.DataFrame, words: str) -> int:
    """The first data column whose header cells (below the title, above the England row)
    contain ``words``."""
    top = grid.iloc[1 : list(grid.index).index("E92000001")]
    for c in range(2, grid.shape[1]):
        text = " ".join(" ".join(str(v).split()) for v in top[c].dropna()).lower()
        if words in text:
            return c
    raise LookupError(words)


@pytest.mark.england
def test_england_initial_assessments_april_to_june_2023_is_the_published_76760(
    raw: Path,
) -> None:
    # PROVENANCE: "England total initial assessments = 76,760" (A1, April to June 2023)
    grid = _grid(raw, QUARTERS_2023_24[0], "A1")
    item = next(c for c in COUNTS if c["measure"] == "initial_assessments")
    assert int(grid.loc["E92000001", int(item["column"])]) == 76760


@pytest.mark.england
def test_a_district_and_a_county_against_the_summed_official_quarters(raw: Path, england) -> None:
    bundle, _ = england
    vals = bundle.values.set_index(["place_code", "indicator_id", "period"])

    def summed(files: list[str], sheet: str, words: str, codes: list[str]) -> float:
        total = 0.0
        for name in files:
            grid = _grid(raw, name, sheet)
            total += sum(float(grid.loc[c, _col(grid, words)]) for c in codes)
        return total

    # Wigan (a metropolitan district), 2023-24: prevention duties ended with accommodation secured
    wigan = ["E08000010"]
    secured = summed(QUARTERS_2023_24, "P1", "secured accommodation for 6+ months", wigan)
    ended = summed(QUARTERS_2023_24, "P1", "prevention duty ended", wigan)
    got = vals.loc[("E08000010", "homeless_prevention_secured_pct", "2023-24"), "value"]
    assert got == pytest.approx(100 * secured / ended)
    # ... and households owed a prevention or relief duty per 1,000 households
    owed = summed(QUARTERS_2023_24, "A1", "owed a prevention or relief duty", wigan)
    grid = _grid(raw, QUARTERS_2023_24[-1], "A1")
    households = float(grid.loc["E08000010", _col(grid, "households in area")])
    got = vals.loc[("E08000010", "homeless_duty_owed_per_1000", "2023-24"), "value"]
    assert got == pytest.approx(owed / households)

    # Cambridge sent no data for three 2023-24 quarters ('..'): missing, not zero, and named
    row = vals.loc[("E07000008", "homeless_prevention_secured_pct", "2023-24")]
    assert np.isnan(row["value"]) and row["status"] == "missing"
    assert any("Cambridge" in str(n) and "2023-24" in str(n) for n in bundle.meta["notes"])

    # a county with a 2024-25 value: its districts' counts summed, then the share
    places = bundle.places
    have = bundle.values[
        (bundle.values["indicator_id"] == "homeless_relief_secured_pct")
        & (bundle.values["period"] == "2024-25")
        & bundle.values["place_code"].str.startswith("E10")
        & bundle.values["value"].notna()
    ]
    county = str(have["place_code"].iloc[0])
    districts = places.loc[places["county_code"] == county, "code"].tolist()
    secured = summed(QUARTERS_2024_25, "R1", "secured accommodation for 6+ months", districts)
    ended = summed(QUARTERS_2024_25, "R1", "relief duty ended", districts)
    got = vals.loc[(county, "homeless_relief_secured_pct", "2024-25"), "value"]
    assert got == pytest.approx(100 * secured / ended)


@pytest.mark.england
def test_a_missing_year_says_which_council_sent_no_data(raw: Path) -> None:
    from dashboard.sources.england import find_sources
    from dashboard.sources.step_homelessness import homelessness_step
    from dashboard.sources.step_places import geography_step

    files, _ = find_sources(raw)
    places, _ = geography_step(files)
    values = homelessness_step(files, places.geo).values.set_index(
        ["place_code", "indicator_id", "period"]
    )
    key = ("homeless_prevention_secured_pct", "2023-24")
    # Cambridge has '..' in the April-June, July-September and October-December 2023 files
    cambridge = values.loc[("E07000008", *key)]
    assert np.isnan(cambridge["value"])
    assert "Cambridge (E07000008)" in cambridge["note"] and "Q1, Q2, Q3" in cambridge["note"]
    county = values.loc[("E10000003", *key)]  # Cambridgeshire
    assert np.isnan(county["value"]) and "Cambridge (E07000008)" in county["note"]
    assert values.loc[("E08000010", *key), "note"] == "", "no note where there is a value"


@pytest.mark.england
def test_england_row_is_mhclgs_published_total(england, raw: Path) -> None:
    """England's value is MHCLG's own England row (E92000001) summed over the year's quarters,
    not a sum of the councils shown (which would miss those with a '..' quarter)."""
    bundle, _ = england
    vals = bundle.values.set_index(["place_code", "indicator_id", "period"])
    total = {}
    for files, period in ((QUARTERS_2023_24, "2023-24"), (QUARTERS_2024_25, "2024-25")):
        for sheet, words, key in (
            ("P1", "secured accommodation for 6+ months", "secured"),
            ("P1", "prevention duty ended", "ended"),
        ):
            total[key] = sum(
                float(
                    _grid(raw, name, sheet).loc["E92000001", _col(_grid(raw, name, sheet), words)]
                )
                for name in files
            )
        got = vals.loc[("E92000001", "homeless_prevention_secured_pct", period), "value"]
        assert got == pytest.approx(100 * total["secured"] / total["ended"])
    assert bundle.england_value("homeless_prevention_secured_pct", "2024-25") is not None
