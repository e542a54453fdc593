"""The England bundle against cells read straight from the official files (after unit conversion).

Each spot check reads the publisher's file with plain pandas, independently of the builder's
readers, and compares with the built bundle.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.bundle.schema import AGE_BANDS

pytestmark = pytest.mark.england


# --- reading the official files directly -------------------------------------------------------
@cache
def _sheet(path: Path, sheet: str, label: str) -> pd.DataFrame:
    grid = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    h = next(i for i in range(40) if (grid.iloc[i].astype(str).str.strip() == label).any())
    body = grid.iloc[h + 1 :].copy()
    body.columns = [" ".join(str(c).split()) for c in grid.iloc[h]]
    return body.set_index(label)


@cache
def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _rsx(raw: Path, name: str, sheet: str, code: str, block: str) -> float:
    """Net current expenditure of one block for one council, £ (file: £ thousand)."""
    t = _sheet(raw / "mhclg_revenue_outturn" / name, sheet, "ONS Code")
    col = next(c for c in t.columns if c.startswith(block) and "Net Current Expenditure" in c)
    return float(t.loc[code, col]) * 1000


def _pop(raw: Path, code: str, year: int = 2022) -> float:
    """All-ages persons of ``code`` in mid-``year`` (2022, 2023 or 2024) from the ONS file."""
    if year == 2024:
        t = _csv(raw / "ons_mye_2023_2024" / "mye24tablesew_MYE2_persons.csv").set_index("Code")
        return float(t.loc[code, "All ages"])
    name = (
        "ons_mye_2023_2024/mye23tablesew.xlsx"
        if year == 2023
        else "ons_mye/ukpopestimatesmid2022_on2023geography_mye22final.xlsx"
    )
    t = _sheet(raw / name, "MYE2 - Persons", "Code")
    return float(t.loc[code, "All ages"])


def _ages(raw: Path, code: str) -> pd.Series:
    t = _sheet(
        raw / "ons_mye" / "ukpopestimatesmid2022_on2023geography_mye22final.xlsx",
        "MYE2 - Persons",
        "Code",
    )
    row = t.loc[code]
    return pd.Series(
        {
            (90 if c == "90+" else int(float(c))): float(row[c])
            for c in t.columns
            if c not in ("Name", "Geography", "All ages")
        }
    )


def _value(bundle, code: str, ind: str, period: str) -> pd.Series:
    v = bundle.values
    hit = v[(v.place_code == code) & (v.indicator_id == ind) & (v.period == period)]
    assert len(hit) == 1, f"{code} {ind} {period}: {len(hit)} rows"
    return hit.iloc[0]


def _close(a: float, b: float, rel: float = 1e-9) -> bool:
    return bool(np.isclose(a, b, rtol=rel, atol=1e-9))


# --- structure and coverage ---------------------------------------------------------------------
def test_place_counts_and_kinds(england) -> None:
    bundle, _ = england
    assert len(bundle.place_codes("upper")) == 153
    assert len(bundle.place_codes("lower")) == 296
    kinds = bundle.places["kind"].value_counts().to_dict()
    assert kinds == {
        "district": 164,
        "unitary": 63,
        "metropolitan": 36,
        "london_borough": 33,
        "county": 21,
        "country": 1,  # England's own row (E92000001): its published values
    }
    councils = bundle.places[bundle.places.kind != "country"]
    assert councils["region_code"].str.match(r"^E12\d{6}$").all()
    districts = bundle.places[bundle.places.kind == "district"]
    assert districts["county_code"].str.startswith("E10").all()
    for code in ("E06000053", "E09000001", "E06000063", "E06000065", "E08000016", "E08000019"):
        assert code in set(
            bundle.places["code"]
        )  # Scilly, City, Cumberland, N Yorks, Barnsley, Sheffield


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_every_place_has_geometry_and_a_unique_hex(england, level: str) -> None:
    bundle, _ = england
    codes = set(bundle.place_codes(level))
    gj = bundle.geo[f"{level}.geojson"]
    assert {f["properties"]["code"] for f in gj["features"]} == codes
    assert all(f["properties"]["name"] for f in gj["features"])
    hexes = bundle.geo[f"{level}.hexjson"]["hexes"]
    assert set(hexes) == codes
    cells = [(h["q"], h["r"]) for h in hexes.values()]
    assert len(set(cells)) == len(cells)
    lon, lat = (
        gj["features"][0]["geometry"]["coordinates"][0][0][0][:2]
        if gj["features"][0]["geometry"]["type"] == "MultiPolygon"
        else gj["features"][0]["geometry"]["coordinates"][0][0][:2]
    )
    assert -7 < lon < 2 and 49 < lat < 56  # WGS84


def test_boundary_files_are_small(england) -> None:
    bundle, _ = england
    assert len(json.dumps(bundle.geo["lower.geojson"], separators=(",", ":"))) < 400_000
    assert len(json.dumps(bundle.geo["upper.geojson"], separators=(",", ":"))) < 400_000


def test_population_bands(england, raw: Path) -> None:
    bundle, _ = england
    pop = bundle.population
    assert set(pop["age_band"]) == {*AGE_BANDS, "all"}  # "all": years with totals only
    assert set(pop[pop.year == 2022]["age_band"]) == set(AGE_BANDS)
    assert set(pop["place_code"]) == set(bundle.places["code"]) - {"E92000001"}
    pop = pop[pop.year == 2022]
    leeds = pop[pop.place_code == "E08000035"].set_index("age_band")["persons"]
    ages = _ages(raw, "E08000035")
    assert _close(leeds["85+"], ages[ages.index >= 85].sum())
    assert _close(leeds["5-17"], ages[(ages.index >= 5) & (ages.index <= 17)].sum())
    assert _close(leeds.sum(), _pop(raw, "E08000035"))


def test_meta_and_report(england) -> None:
    bundle, report = england
    assert bundle.meta["is_demo"] is False
    assert bundle.periods == ["2017-18", "2022-23", "2023-24", "2024-25"]
    assert "Open Government Licence v3.0" in bundle.attribution and "OS data" in bundle.attribution
    assert bundle.meta["sources"] and bundle.meta["notes"]
    assert "Coverage" in report and "spend_total_per_head" in report
    src = bundle.indicators.set_index("id")
    assert (src["source_licence"] != "").all() and (src["source_url"].str.startswith("http")).all()


def test_canonical_indicators_are_filled(england) -> None:
    from dashboard.bundle.catalogue import canonical_indicators

    bundle, _ = england
    missing = [e["id"] for e in canonical_indicators() if not bundle.has_indicator(e["id"])]
    assert missing == ["early_years_gld_pct"]  # not in the staged files


def test_coverage_of_core_indicators(england) -> None:
    bundle, _ = england
    cov = bundle.coverage
    latest = cov[(cov.indicator_id == "spend_asc_per_head") & (cov.period == "2024-25")]
    assert int(latest["places_with_value"].iloc[0]) >= 148
    imd = cov[(cov.indicator_id == "imd_score")].set_index("level")["places_with_value"]
    assert imd["upper"] == 153 and imd["lower"] == 296


# --- spot checks: spend -------------------------------------------------------------------------
RSX25 = ("RSX_LA_Data_2024-25_data_by_LA.ods", "RSX_LA_Data_202425")
RSX24 = ("RSX_2023-24_data_by_LA.ods", "RSX_LA_Data_2023-24")
RSX23 = ("RSX_2022-23_data_by_LA.ods", "RSX_LA_Data_2022-23")


@pytest.mark.parametrize(
    ("files", "period", "code", "block", "ind"),
    [
        (RSX25, "2024-25", "E10000016", "Adult Social Care", "spend_asc"),  # Kent, county
        (RSX25, "2024-25", "E08000003", "Children Social Care", "spend_csc"),  # Manchester, met
        (RSX25, "2024-25", "E09000007", "Education services", "spend_education"),  # Camden, LB
        (RSX25, "2024-25", "E06000052", "Public Health", "spend_public_health"),  # Cornwall, UA
        (RSX25, "2024-25", "E07000223", "Housing services (GFRA only)", "spend_housing"),  # Adur
        (RSX24, "2023-24", "E06000065", "Adult Social Care", "spend_asc"),  # North Yorkshire
        (RSX24, "2023-24", "E06000063", "Children Social Care", "spend_csc"),  # Cumberland
        (
            RSX23,
            "2022-23",
            "E08000035",
            "Highways and transport services",
            "spend_highways",
        ),  # Leeds
        (RSX25, "2024-25", "E07000178", "Cultural and related services", "spend_culture"),  # Oxford
    ],
)
def test_spend_matches_revenue_outturn(england, raw, files, period, code, block, ind) -> None:
    bundle, _ = england
    gbp = _rsx(raw, files[0], files[1], code, block)
    assert _close(_value(bundle, code, f"{ind}_gbp", period)["value"], gbp)
    persons = _pop(raw, code, int(period[:4]))  # the matching year's mid-year estimate
    assert _close(_value(bundle, code, f"{ind}_per_head", period)["value"], gbp / persons)


def test_spend_2017_18_from_rs(england, raw) -> None:
    bundle, _ = england
    t = _sheet(
        raw / "mhclg_revenue_outturn" / "RS_2017-18_data_by_LA.xlsx",
        "RS LA Data 2017-18",
        "ONS Code",
    )
    gbp = float(t.loc["E08000025", "Education services"]) * 1000  # Birmingham
    assert _close(_value(bundle, "E08000025", "spend_education_gbp", "2017-18")["value"], gbp)


def test_county_split_service_is_whole_area(england, raw) -> None:
    bundle, _ = england
    districts = bundle.places[bundle.places.county_code == "E10000016"]["code"]  # Kent
    gbp = sum(
        _rsx(raw, *RSX25, c, "Environmental and regulatory services")
        for c in ["E10000016", *districts]
    )
    assert _close(_value(bundle, "E10000016", "spend_environment_gbp", "2024-25")["value"], gbp)


def test_total_excludes_police_and_fire(england, raw) -> None:
    bundle, _ = england
    blocks = [
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
    ]
    gbp = sum(_rsx(raw, *RSX25, "E09000001", b) for b in blocks)  # City of London
    assert _close(_value(bundle, "E09000001", "spend_total_gbp", "2024-25")["value"], gbp)


def test_reorganised_council_has_no_invented_earlier_spend(england) -> None:
    bundle, _ = england
    for code in ("E06000063", "E06000065"):  # Cumberland, North Yorkshire
        row = _value(bundle, code, "spend_asc_per_head", "2022-23")
        assert np.isnan(row["value"]) and row["status"] == "not_applicable"
    assert any("reorganisation" in n for n in bundle.meta["notes"])


def test_missing_return_is_missing_not_zero(england, raw) -> None:
    bundle, _ = england
    t = _sheet(raw / "mhclg_revenue_outturn" / RSX25[0], RSX25[1], "ONS Code")
    col = next(c for c in t.columns if c.startswith("Adult Social Care") and "Net Current" in c)
    marked = [
        c
        for c in t.index
        if str(t.loc[c, col]).strip() == "[x]" and str(c).startswith(("E06", "E08", "E09", "E10"))
    ]
    assert marked
    row = _value(bundle, marked[0], "spend_asc_per_head", "2024-25")
    assert np.isnan(row["value"]) and row["status"] == "missing"


def test_ro3_early_intervention(england, raw) -> None:
    bundle, _ = england
    t = _sheet(
        raw / "mhclg_revenue_outturn" / "RO3_LA_Data_2024-25_data_by_LA.ods",
        "RO3_LA_Data_202425",
        "ONS Code",
    )
    col = next(
        c for c in t.columns if c.startswith("Information and early intervention - Net Current")
    )
    gbp = float(t.loc["E10000012", col]) * 1000  # Essex
    assert _close(
        _value(bundle, "E10000012", "spend_asc_early_intervention_per_head", "2024-25")["value"],
        gbp / _pop(raw, "E10000012", 2024),
    )


# --- spot checks: need and context ---------------------------------------------------------------
def test_population_and_age_shares(england, raw) -> None:
    bundle, _ = england
    assert _close(
        _value(bundle, "E09000033", "population", "2022")["value"], _pop(raw, "E09000033")
    )
    assert _close(
        _value(bundle, "E10000007", "population", "2022")["value"], _pop(raw, "E10000007")
    )
    ages = _ages(raw, "E07000064")  # Rother
    share = ages[ages.index >= 65].sum() / ages.sum() * 100
    assert _close(_value(bundle, "E07000064", "pct_aged_65_plus", "2022")["value"], share)


def test_density_from_mye5(england, raw) -> None:
    bundle, _ = england
    t = _sheet(
        raw / "ons_mye" / "ukpopestimatesmid2022_on2023geography_mye22final.xlsx", "MYE5", "Code"
    )
    area = float(t.loc["E06000053", "Area (sq km)"])  # Isles of Scilly
    assert _close(
        _value(bundle, "E06000053", "density_per_sq_km", "2022")["value"],
        _pop(raw, "E06000053") / area,
    )


def test_imd_lower_and_county_aggregate(england, raw) -> None:
    bundle, _ = england
    iod = _csv(raw / "mhclg_iod2025" / "imd2025_england_ltla24.csv").set_index("ltla24_code")
    assert _close(
        _value(bundle, "E06000009", "imd_score", "2025")["value"],
        float(iod.loc["E06000009", "imd_average_score"]),
    )
    ds = bundle.places[bundle.places.county_code == "E10000017"]["code"]  # Lancashire
    w = np.array([_pop(raw, d, 2024) for d in ds])  # weights: the latest estimate
    s = np.array([float(iod.loc[d, "imd_average_score"]) for d in ds])
    assert _close(
        _value(bundle, "E10000017", "imd_score", "2025")["value"], float((w * s).sum() / w.sum())
    )


def test_idaci_2019_upper(england, raw) -> None:
    bundle, _ = england
    t = _sheet(
        raw
        / "mhclg_iod2019"
        / "File_11_-_IoD2019_Local_Authority_District_Summaries__upper-tier__.xlsx",
        "IDACI",
        "Upper Tier Local Authority District code (2019)",
    )
    assert _close(
        _value(bundle, "E10000030", "idaci_score", "2019")["value"],
        float(t.loc["E10000030", "IDACI - Average score"]),
    )


def _els(raw: Path, file: str, code: str, indicator: str, period: str) -> pd.Series:
    t = _csv(raw / "ons_els_indicators" / file)
    return t[(t.areacd == code) & (t.indicator == indicator) & (t.period == period)].iloc[0]


def test_els_claimant_count_and_gdhi(england, raw) -> None:
    bundle, _ = england
    r = _els(raw, "claimant-count.csv", "E06000001", "Claimant Count", "2025-01-01/P1Y")
    assert _close(
        _value(bundle, "E06000001", "claimant_count_pct", "2025")["value"], float(r.observation)
    )
    r = _els(
        raw,
        "gross-disposable-household-income-per-head.csv",
        "E09000007",
        "Gross disposable household income",
        "2023-01-01/P1Y",
    )
    assert _close(
        _value(bundle, "E09000007", "gdhi_per_head", "2023")["value"], float(r.observation)
    )


def test_els_smoking_with_confidence_interval(england, raw) -> None:
    bundle, _ = england
    r = _els(raw, "cigarette-smokers.csv", "E07000178", "Cigarette smokers", "2020-01-01/P5Y")
    row = _value(bundle, "E07000178", "smoking_pct", "2020-2024")
    assert _close(row["value"], float(r.observation))
    assert _close(row["lower_ci"], float(r.lci_95)) and _close(row["upper_ci"], float(r.uci_95))


def test_els_healthy_life_expectancy_mean(england, raw) -> None:
    bundle, _ = england
    m = _els(
        raw,
        "healthy-life-expectancy.csv",
        "E06000023",
        "Male healthy life expectancy",
        "2022-01-01/P3Y",
    )
    f = _els(
        raw,
        "healthy-life-expectancy.csv",
        "E06000023",
        "Female healthy life expectancy",
        "2022-01-01/P3Y",
    )
    assert _close(
        _value(bundle, "E06000023", "healthy_life_expectancy_years", "2022-2024")["value"],
        (float(m.observation) + float(f.observation)) / 2,
    )


def test_els_suppressed_marker_kept_as_missing(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "ons_els_indicators" / "employment-rate.csv")
    hit = t[
        (t.indicator == "Employment rate")
        & (t.status == "x")
        & t.areacd.isin(set(bundle.places.code))
    ].iloc[0]
    period = hit.period[:4]
    row = _value(bundle, hit.areacd, "employment_rate_pct", period)
    assert np.isnan(row["value"]) and row["status"] in ("missing", "suppressed")


# --- spot checks: outcomes ----------------------------------------------------------------------
def _dfe(raw: Path, file: str, code: str, period: str, **filters: str) -> pd.Series:
    t = _csv(raw / "dfe_csc" / file)
    t = t[
        (t.geographic_level == "Local authority")
        & (t.new_la_code == code)
        & (t.time_period == period)
    ]
    for k, v in filters.items():
        t = t[t[k] == v]
    return t.iloc[0]


def test_dfe_cla_rate_reorganised_and_county(england, raw) -> None:
    bundle, _ = england
    for code in ("E06000063", "E10000020"):  # Cumberland, Norfolk
        r = _dfe(
            raw,
            "cla_number_and_rate_per_10k_children.csv",
            code,
            "2025",
            population_type="Children looked after on 31 March each year",
        )
        assert _close(
            _value(bundle, code, "cla_rate_per_10k", "2025")["value"], float(r.rate_per_10000)
        )
    row = _value(bundle, "E06000063", "cla_rate_per_10k", "2022")  # before Cumberland existed
    assert np.isnan(row["value"]) and row["status"] == "not_applicable"


def test_dfe_rereferrals_and_turnover(england, raw) -> None:
    bundle, _ = england
    r = _dfe(
        raw, "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "E08000003", "2025"
    )
    assert _close(
        _value(bundle, "E08000003", "cin_rereferral_pct", "2025")["value"],
        float(r.rereferral_percent),
    )
    r = _dfe(raw, "csww_indicators_2017_to_2025.csv", "E09000028", "2025")  # Southwark
    assert _close(
        _value(bundle, "E09000028", "social_worker_turnover_pct", "2025")["value"],
        float(r.turnover_rate_fte),
    )


def test_neet_cornwall(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "dfe_neet" / "UD_NEETNK_LA_dashboard_2023_final.csv")
    r = t[(t.new_la_code == "E06000052") & (t.geographic_level == "Local authority")].iloc[0]
    assert _close(
        _value(bundle, "E06000052", "neet_16_17_pct", "2023")["value"],
        float(r.NEET_not_known_percent),
    )


def test_oflog_user_quality_of_life(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "oflog_asc" / "ASC_data.csv")
    r = t[
        (t["Local authority code"] == "E08000035")
        & (t.Code == "ASC2")
        & (t["Financial year"] == "2022-23")
    ].iloc[0]
    assert _close(_value(bundle, "E08000035", "asc_user_qol", "2022-23")["value"], float(r.Value))


def test_oflog_published_zero_is_missing_not_zero(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "oflog_asc" / "ASC_data.csv")
    r = t[
        (t["Local authority code"] == "E10000016")
        & (t.Code == "ASC2")
        & (t["Financial year"] == "2019-20")
    ]
    assert float(r.Value.iloc[0]) == 0  # Kent's published figure
    got = _value(bundle, "E10000016", "asc_user_qol", "2019-20")
    assert np.isnan(got["value"]) and got["status"] == "missing"


def test_oflog_requests_are_a_rate_not_a_percent(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "oflog_asc" / "ASC_data.csv")
    r = t[
        (t["Local authority code"] == "E06000014")
        & (t.Code == "ASC6")
        & (t["Financial year"] == "2022-23")
    ]
    got = _value(bundle, "E06000014", "asc_requests_service_per_100k", "2022-23")
    assert _close(got["value"], float(r.Value.iloc[0]))
    assert bundle.indicator("asc_requests_service_per_100k")["unit"] == "rate_per_100k"
    pct = bundle.indicators[bundle.indicators["unit"] == "percent"]["id"]
    vals = bundle.values[bundle.values["indicator_id"].isin(pct)]["value"].dropna()
    assert vals.between(0, 100).all(), "every percent lies between 0 and 100"


def test_child_injury_admissions_with_ci(england, raw) -> None:
    bundle, _ = england
    t = _csv(raw / "ohid_fingertips" / "la_hospital_admissions_injuries_0to14_2324.csv")
    r = t[
        (t["Area Code"] == "E06000065")
        & (t.Sex == "Persons")
        & (t["Category Type"] == "")
        & (t["Time period"] == "2023/24")
    ].iloc[0]
    row = _value(bundle, "E06000065", "child_injury_admissions_per_10k", "2023-24")
    assert _close(row["value"], float(r.Value))
    assert _close(row["lower_ci"], float(r["Lower CI 95.0 limit"])) and _close(
        row["upper_ci"], float(r["Upper CI 95.0 limit"])
    )


def test_ofsted_grade(england, raw) -> None:
    bundle, _ = england
    t = _sheet(
        raw / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        "Inspections_as_at_31_March",
        "Local authority area code",
    )
    grades = {"Outstanding": 1, "Good": 2, "Requires improvement to be good": 3, "Inadequate": 4}
    for code in ("E08000025", "E10000030", "E06000065"):
        assert (
            _value(bundle, code, "ofsted_ilacs_grade", "2025")["value"]
            == grades[t.loc[code, "Overall effectiveness"]]
        )


def test_ofsted_note_gives_the_month_of_the_inspection(england, raw) -> None:
    """The period is the date the file is as at (2025); the note says when each place was
    inspected, read from the official 'Inspection date' cells (e.g. Bath and North East
    Somerset: 28 February 2022, Good), and a sub-judgement the inspection did not make (care
    leavers, introduced in 2023) says so."""
    bundle, _ = england
    t = _sheet(
        raw / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        "Inspections_as_at_31_March",
        "Local authority area code",
    )
    for code in ("E06000022", "E09000002", "E10000030", "E08000025"):
        when = pd.Timestamp(t.loc[code, "Inspection date"]).strftime("%B %Y")
        row = _value(bundle, code, "ofsted_ilacs_grade", "2025")
        assert row["note"] == f"inspected {when}"
    assert _value(bundle, "E06000022", "ofsted_ilacs_grade", "2025")["note"] == (
        "inspected February 2022"
    )
    blank = t[t["The experiences and progress of care leavers"].isna()].index
    row = _value(bundle, str(blank[0]), "ofsted_ilacs_care_leavers_grade", "2025")
    assert math.isnan(row["value"]) and row["note"].startswith("not judged at the ")


def test_barnsley_sheffield_recode(raw) -> None:
    from dashboard.sources.england import SOURCE_BY_ID, find_files
    from dashboard.sources.geography import boundary_frame, build_geography, read_geojson

    f = {
        s: find_files(raw, SOURCE_BY_ID[s])[0]
        for s in ("lad_boundaries", "ctyua_boundaries", "ltla_utla_lookup", "geo_metadata")
    }
    geo = build_geography(
        boundary_frame(read_geojson(f["lad_boundaries"]), "lad"),
        boundary_frame(read_geojson(f["ctyua_boundaries"]), "cty"),
        f["ltla_utla_lookup"],
        geo_metadata=f["geo_metadata"],
    )
    assert geo.current("E08000038") == "E08000016" and geo.current("E08000039") == "E08000019"
    assert geo.current("E10000006") is None  # Cumbria was split: no successor of the same area


def test_build_with_only_the_required_files(raw, tmp_path) -> None:
    """Optional files missing: the bundle still builds and the report says whom to ask."""
    from dashboard.bundle import read_bundle
    from dashboard.sources.england import build_england

    src = tmp_path / "raw"
    src.mkdir()
    for rel in (
        "ons_boundaries/LAD_May2024_UK_BSC.geojson",
        "ons_boundaries/CTYUA_Dec2023_UK_BSC.geojson",
        "ons_lookups/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",
        "ons_els_indicators/claimant-count.csv",
    ):
        (src / Path(rel).name).symlink_to((raw / rel).resolve())
    report = build_england(src, tmp_path / "out")
    bundle = read_bundle(tmp_path / "out")
    assert len(bundle.place_codes("upper")) == 153 and bundle.has_indicator("claimant_count_pct")
    assert (
        "Missing files" in report
        and "Ministry of Housing, Communities and Local Government" in report
    )
    assert len(bundle.geo["upper.hexjson"]["hexes"]) == 153


def test_required_file_missing_is_a_clear_error(tmp_path) -> None:
    from dashboard.bundle import BundleError
    from dashboard.sources.england import build_england

    with pytest.raises(BundleError, match="required files are missing"):
        build_england(tmp_path, tmp_path / "out")
