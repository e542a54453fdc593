"""Per head, per child and per resident 65+ figures of the England bundle divide by the ONS
population of the matching year: checked against the official cells, read here with plain pandas
(revenue outturn £ thousand × 1,000 over the MYE persons of that year)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.england

MYE22 = ("ons_mye", "ukpopestimatesmid2022_on2023geography_mye22final.xlsx")
MYE23 = ("ons_mye_2023_2024", "mye23tablesew.xlsx")
MYE24 = ("ons_mye_2023_2024", "mye24tablesew_MYE2_persons.csv")
DFE = ("ons_mye_2023_2024", "ons_mid-year_population_estimates_2012_to_2024.csv")
RSX = {
    "2023-24": ("RSX_2023-24_data_by_LA.ods", "RSX_LA_Data_2023-24"),
    "2024-25": ("RSX_LA_Data_2024-25_data_by_LA.ods", "RSX_LA_Data_202425"),
}
RO3_25 = ("RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_202425")
OLDER_LINES = (
    "Physical support - older people (65+)",
    "Sensory support - older people (65+)",
    "Support with memory and cognition - older people (65+)",
    "Learning disability support - older people (65+)",
    "Mental health support - older people (65+)",
)


@cache
def _sheet(path: Path, sheet: str, label: str) -> pd.DataFrame:
    grid = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    h = next(i for i in range(40) if (grid.iloc[i].astype(str).str.strip() == label).any())
    body = grid.iloc[h + 1 :].copy()
    body.columns = [" ".join(str(c).split()) for c in grid.iloc[h]]
    return body.set_index(label)


@cache
def _mye24(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw.joinpath(*MYE24), encoding="utf-8-sig").set_index("Code")


def _ages_of(row: pd.Series) -> pd.Series:
    return pd.Series(
        {
            (90 if str(c) == "90+" else int(float(c))): float(row[c])
            for c in row.index
            if c not in ("Name", "Geography", "All ages")
        }
    )


def _mye(raw: Path, year: int, code: str) -> pd.Series:
    """One council's MYE2 persons row of ``year`` ("All ages" and single years)."""
    if year == 2024:
        return _mye24(raw).loc[code]
    path = raw.joinpath(*(MYE23 if year == 2023 else MYE22))
    return _sheet(path, "MYE2 - Persons", "Code").loc[code]


def _rsx(raw: Path, period: str, code: str, block: str) -> float:
    name, sheet = RSX[period]
    t = _sheet(raw / "mhclg_revenue_outturn" / name, sheet, "ONS Code")
    col = next(c for c in t.columns if c.startswith(block) and "Net Current Expenditure" in c)
    return float(t.loc[code, col]) * 1000


def _value(bundle, code: str, ind: str, period: str) -> float:
    v = bundle.values
    hit = v[(v.place_code == code) & (v.indicator_id == ind) & (v.period == period)]
    assert len(hit) == 1, f"{code} {ind} {period}: {len(hit)} rows"
    return float(hit.iloc[0]["value"])


def _close(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-9, atol=1e-9))


@pytest.mark.parametrize("period", ["2023-24", "2024-25"])
@pytest.mark.parametrize(
    ("code", "block", "ind"),
    [
        ("E10000016", "Adult Social Care", "spend_asc"),  # Kent, county
        ("E07000178", "Cultural and related services", "spend_culture"),  # Oxford, district
        ("E06000023", "Public Health", "spend_public_health"),  # Bristol, unitary
        ("E08000003", "Children Social Care", "spend_csc"),  # Manchester, metropolitan
        ("E09000007", "Education services", "spend_education"),  # Camden, London borough
    ],
)
def test_per_head_divides_by_the_matching_year(england, raw, period, code, block, ind) -> None:
    bundle, _ = england
    gbp = _rsx(raw, period, code, block)
    year = int(period[:4])
    persons = float(_mye(raw, year, code)["All ages"])
    assert _close(_value(bundle, code, f"{ind}_per_head", period), gbp / persons)
    # and not by the mid-2022 estimate any more
    assert not _close(gbp / persons, gbp / float(_mye(raw, 2022, code)["All ages"]))


def test_england_totals_match_the_published_figures(england, raw) -> None:
    bundle, _ = england
    upper = bundle.place_codes("upper")
    # PROVENANCE / ONS: England mid-2023 = 57,690,323; mid-2024 = 58,620,101
    assert bundle.population_total(2023).reindex(upper).sum() == 57_690_323
    assert bundle.population_total(2024).reindex(upper).sum() == 58_620_101
    assert float(_sheet(raw.joinpath(*MYE23), "MYE4", "Code").loc["E92000001", "Mid-2023"]) == (
        57_690_323
    )
    assert float(_mye24(raw).loc["E92000001", "All ages"]) == 58_620_101


def test_years_before_2022_use_the_mye4_totals(england, raw) -> None:
    bundle, _ = england
    mye4 = _sheet(raw.joinpath(*MYE23), "MYE4", "Code")
    code = "E08000025"  # Birmingham
    persons = float(mye4.loc[code, "Mid-2017"])
    rs = _sheet(
        raw / "mhclg_revenue_outturn" / "RS_2017-18_data_by_LA.xlsx",
        "RS LA Data 2017-18",
        "ONS Code",
    )
    gbp = float(rs.loc[code, "Education services"]) * 1000
    assert _close(_value(bundle, code, "spend_education_per_head", "2017-18"), gbp / persons)
    assert _close(_value(bundle, code, "population", "2017"), persons)
    assert _close(bundle.population_total(2011)[code], float(mye4.loc[code, "Mid-2011"]))
    pop = bundle.population
    old = pop[pop["year"] == 2017]
    assert set(old["age_band"]) == {"all"}
    assert bundle.population_years == list(range(2011, 2025))


def test_per_child_and_per_resident_65_plus(england, raw) -> None:
    bundle, _ = england
    code = "E10000016"  # Kent
    ages = _ages_of(_mye(raw, 2024, code))
    csc = _rsx(raw, "2024-25", code, "Children Social Care")
    kids = ages[ages.index <= 17].sum()
    assert _close(_value(bundle, code, "spend_csc_per_child", "2024-25"), csc / kids)
    assert _close(_value(bundle, code, "spend_csc_per_head", "2024-25"), csc / ages.sum())
    t = _sheet(raw / "mhclg_revenue_outturn" / RO3_25[0], RO3_25[1], "ONS Code")
    gbp = 0.0
    for line in OLDER_LINES:
        col = next(c for c in t.columns if c.startswith(f"{line} - Net Current Expenditure"))
        gbp += float(t.loc[code, col]) * 1000
    old = ages[ages.index >= 65].sum()
    assert _close(
        _value(bundle, code, "spend_asc_older_people_per_resident_65_plus", "2024-25"), gbp / old
    )
    assert _close(
        _value(bundle, code, "spend_asc_older_people_per_head", "2024-25"), gbp / ages.sum()
    )


def test_per_child_2017_18_uses_the_dfe_republished_estimate(england, raw) -> None:
    bundle, _ = england
    code = "E08000025"  # Birmingham
    d = pd.read_csv(raw.joinpath(*DFE), dtype=str)
    d = d[(d.time_period == "2017") & (d.new_la_code == code)]
    kids = float(d["population_estimate"].iloc[0])
    rs = _sheet(
        raw / "mhclg_revenue_outturn" / "RS_2017-18_data_by_LA.xlsx",
        "RS LA Data 2017-18",
        "ONS Code",
    )
    col = next(c for c in rs.columns if c.startswith("Children Social Care"))
    gbp = float(rs.loc[code, col]) * 1000
    assert _close(_value(bundle, code, "spend_csc_per_child", "2017-18"), gbp / kids)
    den = bundle.indicator("spend_csc_per_child")["denominator"]
    assert "mid-2017 for 2017-18 (as republished by DfE)" in den
    assert any("DfE republishes" in n for n in bundle.meta["notes"])


def test_denominators_are_stated(england) -> None:
    from dashboard.analysis.dictionary import indicator_dictionary

    bundle, _ = england
    ind = bundle.indicators.set_index("id")
    per_person = ind[ind["unit"].isin(["gbp_per_head", "gbp_per_child", "gbp_per_person_65_plus"])]
    assert len(per_person) >= 30
    assert per_person["denominator"].map(lambda v: isinstance(v, str) and v != "").all()
    total = ind.loc["spend_total_per_head", "denominator"]
    assert total.startswith("residents of all ages, ONS mid-year estimate of the matching year")
    assert "mid-2023 for 2023-24" in total and "mid-2024 for 2024-25" in total
    assert "mid-2017 for 2017-18" in total
    assert (
        "residents aged 65 and over"
        in ind.loc["spend_asc_older_people_per_resident_65_plus", "denominator"]
    )
    table = indicator_dictionary(bundle, search="per child").set_index("id")
    assert table.loc["spend_csc_per_child", "denominator"].startswith("children aged 0 to 17")
    assert any("mid-2024 for 2024-25" in n for n in bundle.meta["notes"])


def test_scenario_context_uses_the_latest_year_with_ages(england) -> None:
    from dashboard.scenario.catalogue import load_catalogue
    from dashboard.scenario.context import context_from_bundle

    bundle, _ = england
    ctx = context_from_bundle(bundle, "E10000016", load_catalogue())
    assert ctx.base_year == 2024
    assert ctx.population_source.startswith("ONS mid-2024 estimate; 65+ grown by the ONS")
    assert _close(ctx.total_population, float(bundle.population_total(2024)["E10000016"]))


@pytest.mark.parametrize("period", ["2023-24", "2024-25"])
def test_value_for_money_a_year_uses_the_matching_year(england, raw, period) -> None:
    from dashboard.analysis.vfm import frame

    bundle, _ = england
    code = "E10000016"  # Kent
    fr = frame(bundle, period, [code], ["spend_asc_per_head"])
    persons = float(_mye(raw, int(period[:4]), code)["All ages"])
    assert _close(fr.data.loc[code, "population_persons"], persons)
