"""ONS subnational population projections: the reader, the 2016 -> current council mapping and
the bundle's population_projection.parquet against the staged file's own cells."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle.checks_tables import validate_projection
from dashboard.bundle.errors import BundleError
from dashboard.sources.geography import Geography
from dashboard.sources.projections import (
    covered_bands,
    projection_bands,
    read_snpp,
    successor_map,
)
from dashboard.sources.step_projections import projections_step

SNPP = "ons_snpp2016_derived_60plus/local_authority_pop_estimates.csv"

#: 2016 districts of councils formed since (the structural changes orders; codes as in the file).
FORMER = {
    # North Yorkshire (unitary from April 2023): Craven, Hambleton, Harrogate, Richmondshire,
    # Ryedale, Scarborough, Selby
    "E06000065": [f"E0700016{i}" for i in range(3, 10)],
    # Somerset (unitary from April 2023): Mendip, Sedgemoor, South Somerset, Taunton Deane and
    # West Somerset (the last two via Somerset West and Taunton, 2019-2023)
    "E06000066": ["E07000187", "E07000188", "E07000189", "E07000190", "E07000191"],
    # Cumberland (April 2023): Allerdale, Carlisle, Copeland
    "E06000063": ["E07000026", "E07000028", "E07000029"],
    # Suffolk county council: Babergh, Forest Heath, Ipswich, Mid Suffolk, St Edmundsbury,
    # Suffolk Coastal, Waveney (East and West Suffolk since 2019)
    "E10000029": [f"E07000{n}" for n in range(200, 207)],
}
BANDS = {"65-74": range(65, 75), "75-84": range(75, 85), "85+": range(85, 91)}


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "snpp.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_keeps_a_text_cell_as_a_problem_naming_file_row_and_column(tmp_path) -> None:
    path = _csv(
        tmp_path,
        "AREA_CODE,AGE_GROUP,2016,2017\n"
        "E06000001,65,100,101.5\n"
        "E06000001,90 and over,20,x\n"
        "E06000001,All ages,999,999\n"
        "E06000001,66,lots,102\n",
    )
    rows, problems = read_snpp(path)
    assert [str(p) for p in problems] == [
        "snpp.csv, row 5, column '2016': 'lots' is not a number (kept as missing)"
    ]
    got = rows.set_index(["age", "year"])["persons"]
    assert got[(65, 2017)] == 101.5 and got[(90, 2016)] == 20  # "90 and over" is age 90
    assert pd.isna(got[(90, 2017)]) and pd.isna(got[(66, 2016)])  # 'x' and the text: missing
    assert set(rows["age"]) == {65, 66, 90}  # the "All ages" row is left out


def test_reader_refuses_a_file_without_its_columns(tmp_path) -> None:
    with pytest.raises(BundleError) as err:
        read_snpp(_csv(tmp_path, "AREA_CODE,AGE,2016\nE06000001,65,1\n"))
    assert err.value.file == "snpp.csv" and err.value.column == "AGE_GROUP"
    with pytest.raises(BundleError) as err:
        read_snpp(_csv(tmp_path, "AREA_CODE,AGE_GROUP,persons\nE06000001,65,1\n"))
    assert "year columns" in str(err.value)


def test_bands_are_those_whose_every_age_the_file_has() -> None:
    assert covered_bands(pd.Series(range(60, 91))) == ["65-74", "75-84", "85+"]
    assert covered_bands(pd.Series(range(0, 91))) == [
        "0-4",
        "5-17",
        "18-24",
        "25-64",
        "65-74",
        "75-84",
        "85+",
    ]


def test_successors_follow_chains_and_leave_split_councils_out() -> None:
    register = pd.DataFrame(
        {
            "local-authority-code": ["TAU", "SWT", "SMT", "CMA", "CBD", "WAF", "NBL"],
            "gss-code": [
                "E07000190",
                "E07000246",
                "E06000066",
                "E10000006",
                "E06000063",
                "E06000064",
                "E06000057",
            ],
            "replaced-by": ["SWT", "SMT", "", "CBD,WAF", "", "", ""],
            "former-gss-codes": ["", "", "", "", "", "", "E06000048"],
        }
    )
    current = {"E06000066", "E06000063", "E06000064", "E06000057"}
    assert successor_map(register, current) == {
        "E07000190": "E06000066",  # Taunton Deane -> Somerset West and Taunton -> Somerset
        "E07000246": "E06000066",
        "E06000048": "E06000057",  # Northumberland's former code
    }  # Cumbria county council, split in two, maps to neither


def test_bundle_refuses_a_projection_row_without_a_number() -> None:
    df = pd.DataFrame(
        {
            "place_code": ["E06000001", "E06000001"],
            "age_band": ["65-74", "85+"],
            "year": [2024, 2024],
            "persons": ["1200", "many"],
            "source": ["ONS", "ONS"],
        }
    )
    with pytest.raises(BundleError) as err:
        validate_projection(df, {"E06000001"})
    e = err.value
    assert (e.file, e.row, e.column) == ("population_projection.parquet", 2, "persons")
    with pytest.raises(BundleError) as err:
        validate_projection(df.drop(columns="source"), {"E06000001"})
    assert err.value.column == "source"


# --- on the staged file and the built England bundle ---------------------------------------
@pytest.fixture(scope="module")
def staged(raw: Path) -> pd.DataFrame:
    path = raw / SNPP
    if not path.exists():
        pytest.skip(f"{SNPP} is not staged")
    return pd.read_csv(path, dtype={"AREA_CODE": str})


def _official(staged: pd.DataFrame, codes: list[str], band: str, year: int) -> float:
    rows = staged[staged["AREA_CODE"].isin(codes) & staged["AGE_GROUP"].isin(BANDS[band])]
    assert rows["AREA_CODE"].nunique() == len(codes), "every former district is in the file"
    return float(rows[str(year)].sum())


@pytest.mark.england
@pytest.mark.parametrize("code", sorted(FORMER))
def test_a_merged_council_is_the_sum_of_its_2016_districts(england, staged, code) -> None:
    bundle, _ = england
    rows = bundle.projection_for(code).set_index(["age_band", "year"])["persons"]
    for band in BANDS:
        for year in (2024, 2030, 2041):
            expected = _official(staged, FORMER[code], band, year)
            assert rows[(band, year)] == pytest.approx(expected, rel=1e-12), (band, year)


@pytest.mark.england
def test_england_65_plus_in_2030_is_the_extract_total(england, staged) -> None:
    bundle, report = england
    proj = bundle.projection
    # PROVENANCE of the staged extract: England 65+ sums to 12.90 m in 2030
    official = float(staged.loc[staged["AGE_GROUP"] >= 65, "2030"].sum())
    assert round(official / 1e6, 2) == 12.90
    for level in ("upper", "lower"):
        here = proj[proj["place_code"].isin(bundle.place_codes(level)) & (proj["year"] == 2030)]
        assert here["place_code"].nunique() == len(bundle.place_codes(level)), level
        assert here["persons"].sum() == pytest.approx(official, rel=1e-12), level
    assert set(proj["age_band"]) == set(BANDS)
    assert (proj["year"].min(), proj["year"].max()) == (2016, 2041)
    assert "snpp2016: local_authority_pop_estimates.csv" in report  # listed as a file used
    assert any("2016 districts merged into them" in n for n in bundle.meta["notes"])


def _geo() -> Geography:
    places = pd.DataFrame(
        {
            "code": ["E06000066", "E07000001", "E07000002", "E10000001"],
            "name": ["Somerset", "Alpha", "Beta", "Shire"],
            "kind": ["unitary", "district", "district", "county"],
        }
    )
    return Geography(
        places,
        upper_codes=["E06000066", "E10000001"],
        lower_codes=["E06000066", "E07000001", "E07000002"],
        county_of={"E07000001": "E10000001", "E07000002": "E10000001"},
    )


def _snpp(rows: list[tuple[str, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "age", "year", "persons"])


def test_districts_sum_into_their_successor_and_counties_need_every_district() -> None:
    cells = []
    for code, n in [("E07000187", 10.0), ("E07000188", 20.0), ("E07000001", 1.0)]:
        for year in (2024, 2025):
            cells += [(code, a, year, n) for a in range(60, 91)]
    cells += [("E07000002", a, 2024, 2.0) for a in range(60, 91)]
    cells += [("E07000002", a, 2025, float("nan") if a == 70 else 2.0) for a in range(60, 91)]
    successors = {"E07000187": "E06000066", "E07000188": "E06000066"}
    rows, gone, merged = projection_bands(_snpp(cells), _geo(), successors, "SNPP")
    got = rows.set_index(["place_code", "age_band", "year"])["persons"]
    assert got[("E06000066", "65-74", 2024)] == 10 * 10.0 + 10 * 20.0  # ten ages, two districts
    assert got[("E06000066", "85+", 2025)] == 6 * 30.0  # 85 .. 90+
    assert got[("E10000001", "75-84", 2025)] == 10 * 3.0
    # Beta lacks age 70 in 2025: neither it nor its county has 65-74 that year, not an undercount
    assert ("E07000002", "65-74", 2025) not in got.index
    assert ("E10000001", "65-74", 2025) not in got.index
    assert got[("E10000001", "65-74", 2024)] == 10 * 3.0
    assert gone == [] and merged == {"E06000066"}
    assert set(rows["source"]) == {"SNPP"}


def test_the_step_without_a_projection_file_writes_none() -> None:
    rows, result = projections_step({}, _geo())
    assert rows is None and result.values.empty and not result.notes
