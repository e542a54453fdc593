"""England's own values (place E92000001) and the explained spend gaps, against the official files.

Each check reads the publisher's file with plain pandas, independently of the builder's readers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle.schema import ENGLAND_CODE

pytestmark = pytest.mark.england

RSX = "mhclg_revenue_outturn"
#: The council class totals (unitary, shire district, metropolitan, London, shire county).
CLASSES = ("E06", "E07", "E08", "E09", "E10")
#: The eleven council service blocks of RSX that make the total (police and fire left out).
BLOCKS = (
    "Education services",
    "Highways and transport services",
    "Children Social Care",
    "Adult Social Care",
    "Public Health",
    "Housing services (GFRA only)",
    "Cultural and related services",
    "Environmental and regulatory services",
    "Planning and development services",
    "Central services",
    "Other services",
)


@cache
def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _england(bundle, ind: str, period: str) -> float:
    value = bundle.england_value(ind, period)
    assert value is not None, f"no England value for {ind} {period}"
    return value


def test_england_is_a_country_never_compared(england) -> None:
    bundle, _ = england
    assert bundle.place(ENGLAND_CODE)["kind"] == "country"
    for level in ("upper", "lower"):
        assert ENGLAND_CODE not in bundle.place_codes(level)
    assert bundle.has_england


def test_els_england_row(england, raw) -> None:
    """ONS Explore Local Statistics: the file's own England cell (GCSEs in English and maths)."""
    bundle, _ = england
    df = _csv(raw / "ons_els_indicators" / "gcses-in-english-and-maths.csv")
    rows = df[(df["areacd"] == ENGLAND_CODE) & (df["indicator"] == "GCSEs in English and Maths")]
    row = rows.sort_values("period").iloc[-1]
    period = row["period"]  # e.g. '2023-09-01/P1Y' -> '2023-24'
    start = int(period[:4])
    label = f"{start}-{(start + 1) % 100:02d}" if period[5:7] != "01" else str(start)
    assert _england(bundle, "gcse_eng_maths_pct", label) == pytest.approx(float(row["observation"]))


def test_dfe_england_row(england, raw) -> None:
    """DfE children looked after per 10,000: the national row (geographic_level National)."""
    bundle, _ = england
    df = _csv(raw / "dfe_csc" / "cla_number_and_rate_per_10k_children.csv")
    nat = df[
        (df["geographic_level"] == "National")
        & (df["population_type"] == "Children looked after on 31 March each year")
    ]
    for period in ("2023", "2025"):
        cell = nat.loc[nat["time_period"] == period, "rate_per_10000"].iloc[0]
        assert _england(bundle, "cla_rate_per_10k", period) == pytest.approx(float(cell))


def test_fingertips_england_row(england, raw) -> None:
    """OHID child injury admissions: Fingertips' England value for 2023/24."""
    bundle, _ = england
    df = _csv(raw / "ohid_fingertips" / "la_hospital_admissions_injuries_0to14_2324.csv")
    eng = df[
        (df["Area Code"] == ENGLAND_CODE) & (df["Sex"] == "Persons") & (df["Category Type"] == "")
    ]
    cell = eng.loc[eng["Time period"] == "2023/24", "Value"].iloc[0]
    ind = next(i for i in bundle.indicators["id"] if "injur" in i)
    assert _england(bundle, ind, "2023-24") == pytest.approx(float(cell))


def test_oflog_has_no_england_value(england) -> None:
    """Oflog's file carries only a median of councils: England's value stays absent."""
    bundle, _ = england
    assert bundle.england_value("asc_carer_qol", "2022-23") is None


def _class_totals(raw: Path, name: str) -> float:
    """The sum of the council class totals over the eleven blocks, £ (file: £ thousand)."""
    sheets = pd.read_excel(raw / RSX / name, sheet_name=None, header=None, engine="calamine")
    grid = next(g for n, g in sheets.items() if "LA_Data" in n)
    heads = [i for i in range(len(grid)) if (grid.iloc[i].astype(str) == "ONS Code").any()]
    head = [" ".join(str(c).split()) for c in grid.iloc[heads[0]]]
    code_col = head.index("ONS Code")
    total = 0.0
    for block in BLOCKS:
        j = next(
            k for k, c in enumerate(head) if c.startswith(block) and "Net Current Expenditure" in c
        )
        cells = grid[grid[code_col].astype(str).isin(CLASSES)][j]
        assert len(cells) == len(CLASSES)
        total += float(cells.astype(float).sum())
    return total * 1000


def test_england_spend_is_mhclg_class_totals(england, raw) -> None:
    """England's total spend: MHCLG's class totals of councils (2022-23), and per head over
    England's mid-2022 population (ONS MYE2: the England row)."""
    bundle, _ = england
    gbp = _class_totals(raw, "RSX_2022-23_data_by_LA.ods")
    assert _england(bundle, "spend_total_gbp", "2022-23") == pytest.approx(gbp, rel=1e-9)
    grid = pd.read_excel(
        raw / "ons_mye" / "ukpopestimatesmid2022_on2023geography_mye22final.xlsx",
        sheet_name="MYE2 - Persons",
        header=None,
        engine="calamine",
    )
    h = next(i for i in range(40) if (grid.iloc[i].astype(str) == "Code").any())
    head = [str(c).strip() for c in grid.iloc[h]]
    body = grid.iloc[h + 1 :]
    body.columns = head
    pop = float(body.set_index("Code").loc[ENGLAND_CODE, "All ages"])
    assert _england(bundle, "spend_total_per_head", "2022-23") == pytest.approx(gbp / pop, rel=1e-6)
    assert bundle.england_value("spend_total_gbp", "2017-18") is None  # RS has no class totals


def _note(bundle, code: str, ind: str, period: str) -> str:
    v = bundle.values
    row = v[(v.place_code == code) & (v.indicator_id == ind) & (v.period == period)]
    assert len(row) == 1 and pd.isna(row["value"].iloc[0])
    return str(row["note"].iloc[0])


def _flagged(raw: Path, name: str) -> dict[str, str]:
    """Councils the workbook marks 'M' (return not received in time) -> their names."""
    sheets = pd.read_excel(raw / RSX / name, sheet_name=None, header=None, engine="calamine")
    grid = next(g for n, g in sheets.items() if "LA_Data" in n)
    h = next(i for i in range(40) if (grid.iloc[i].astype(str) == "ONS Code").any())
    head = [str(c).strip() for c in grid.iloc[h]]
    body = grid.iloc[h + 1 :]
    body.columns = head
    m = body[body["Notes"].astype(str).str.strip() == "M"]
    return dict(zip(m["ONS Code"], m["Local authority"], strict=True))


@pytest.mark.parametrize(
    ("county", "districts"),
    [
        ("E10000007", ["E07000032"]),  # Derbyshire: Amber Valley
        ("E10000018", ["E07000134"]),  # Leicestershire: North West Leicestershire
        ("E10000024", ["E07000170"]),  # Nottinghamshire: Ashfield
        ("E10000030", ["E07000209"]),  # Surrey: Guildford
        ("E10000031", ["E07000218", "E07000222"]),  # Warwickshire: North Warwickshire, Warwick
    ],
)
def test_county_gap_names_the_missing_district(england, raw, county, districts) -> None:
    bundle, _ = england
    flagged = _flagged(raw, "RSX_LA_Data_2024-25_data_by_LA.ods")
    note = _note(bundle, county, "spend_total_per_head", "2024-25")
    for d in districts:
        assert d in flagged  # the official file marks the district's return as missing
        assert f"{bundle.place_name(d)} ({d})" in note
    assert "2024-25" in note and bundle.place_name(county) in note
    # the county council's own total is offered and has a value
    own = bundle.values[
        (bundle.values.place_code == county)
        & (bundle.values.indicator_id == "spend_total_council_per_head")
        & (bundle.values.period == "2024-25")
    ]
    assert own["value"].notna().all() and len(own) == 1


@pytest.mark.parametrize(
    "code", ["E06000063", "E08000025", "E06000039"]
)  # Cumberland, B'ham, Slough
def test_single_tier_gap_has_its_reason(england, raw, code) -> None:
    bundle, _ = england
    assert code in _flagged(raw, "RSX_LA_Data_2024-25_data_by_LA.ods")
    note = _note(bundle, code, "spend_total_per_head", "2024-25")
    assert f"no 2024-25 revenue outturn return from {bundle.place_name(code)} ({code})" in note
    assert "not received in time for publication" in note


def test_kent_2023_24_total_gap_is_canterbury(england, raw) -> None:
    """Kent's own 2023-24 return is complete; Canterbury's (a Kent district) is missing."""
    bundle, _ = england
    assert "E07000106" in _flagged(raw, "RSX_2023-24_data_by_LA.ods")
    note = _note(bundle, "E10000016", "spend_total_per_head", "2023-24")
    assert "Canterbury (E07000106)" in note
    v = bundle.values
    asc = v[
        (v.place_code == "E10000016")
        & (v.indicator_id == "spend_asc_per_head")
        & (v.period == "2023-24")
    ]
    assert asc["value"].notna().all()


@pytest.mark.england
def test_england_per_child_is_class_totals_over_englands_children(england, raw) -> None:
    """England's children's social care per child, 2024-25: MHCLG's class totals of councils
    (£) over England's residents aged 0-17 at mid-2024 (ONS MYE2 persons, the England row)."""
    bundle, _ = england
    gbp = _england(bundle, "spend_csc_gbp", "2024-25")
    mye = pd.read_csv(
        raw / "ons_mye_2023_2024" / "mye24tablesew_MYE2_persons.csv", encoding="utf-8-sig"
    ).set_index("Code")
    kids = float(sum(float(str(mye.loc[ENGLAND_CODE, str(a)]).replace(",", "")) for a in range(18)))
    got = _england(bundle, "spend_csc_per_child", "2024-25")
    assert got == pytest.approx(gbp / kids, rel=1e-6)
