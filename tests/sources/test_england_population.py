"""England's own population, age shares and density (place E92000001) against the ONS cells.

Each check reads the ONS file with plain pandas, independently of the builder's readers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.bundle.schema import ENGLAND_CODE

pytestmark = pytest.mark.england

MYE = "ons_mye_2023_2024"


def _england_row(grid: pd.DataFrame) -> pd.Series:
    """England's row of an ONS sheet read without a header, with the sheet's own header."""
    head = next(i for i in range(20) if "Code" in grid.iloc[i].astype(str).tolist())
    body = grid.iloc[head + 1 :]
    body.columns = [str(c).strip() for c in grid.iloc[head]]
    return body[body["Code"].astype(str).str.strip() == ENGLAND_CODE].iloc[0]


def test_england_population_mid_2023_and_mid_2024(england, raw) -> None:
    """ONS: England mid-2023 57,690,323 and mid-2024 58,620,101 (PROVENANCE, ons_mye_2023_2024),
    read from the files' own England cells."""
    bundle, _ = england
    book = pd.read_excel(
        raw / MYE / "mye23tablesew.xlsx",
        sheet_name="MYE2 - Persons",
        header=None,
        engine="calamine",
    )
    cell_2023 = float(_england_row(book)["All ages"])
    csv = pd.read_csv(raw / MYE / "mye24tablesew_MYE2_persons.csv", encoding="utf-8-sig")
    cell_2024 = float(csv.loc[csv["Code"] == ENGLAND_CODE, "All ages"].iloc[0])
    assert cell_2023 == 57_690_323 and cell_2024 == 58_620_101
    assert bundle.england_value("population", "2023") == cell_2023
    assert bundle.england_value("population", "2024") == cell_2024


def test_england_population_earlier_years_from_mye4(england, raw) -> None:
    """The MYE4 totals give England's population back to mid-2011 (the mid-2023 workbook)."""
    bundle, _ = england
    row = _england_row(
        pd.read_excel(
            raw / MYE / "mye23tablesew.xlsx", sheet_name="MYE4", header=None, engine="calamine"
        )
    )
    for year in (2011, 2017, 2021):
        assert bundle.england_value("population", str(year)) == float(row[f"Mid-{year}"])


def test_england_age_shares_and_density(england, raw) -> None:
    """The age shares are England's persons of those ages over all ages (mid-2024 CSV); the
    density matches ONS's own MYE5 figure for mid-2023 (443 people per sq. km, rounded)."""
    bundle, _ = england
    csv = pd.read_csv(raw / MYE / "mye24tablesew_MYE2_persons.csv", encoding="utf-8-sig")
    row = csv[csv["Code"] == ENGLAND_CODE].iloc[0]
    older = sum(float(row[str(a)]) for a in range(65, 90)) + float(row["90+"])
    children = sum(float(row[str(a)]) for a in range(18))
    total = float(row["All ages"])
    assert bundle.england_value("pct_aged_65_plus", "2024") == pytest.approx(100 * older / total)
    assert bundle.england_value("pct_aged_0_17", "2024") == pytest.approx(100 * children / total)
    mye5 = _england_row(
        pd.read_excel(
            raw / MYE / "mye23tablesew.xlsx", sheet_name="MYE5", header=None, engine="calamine"
        )
    )
    published = float(mye5["2023 people per sq. km"])
    assert round(bundle.england_value("density_per_sq_km", "2023")) == published


def test_england_is_no_denominator(england) -> None:
    """England's row is a published value only: population.parquet and every per-head
    denominator stay councils only, so no national total is counted as a place."""
    bundle, _ = england
    assert ENGLAND_CODE not in set(bundle.population["place_code"])
    assert ENGLAND_CODE not in bundle.population_total(2024).index
