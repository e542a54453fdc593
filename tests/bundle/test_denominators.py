"""Which year's population a period divides by, totals per year, and what a malformed population
file or population.parquet gives (no official data needed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle.denominators import (
    matching_text,
    mid_year,
    nearest_year,
    persons,
    years_with,
)
from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import AGE_BANDS
from tests.bundle.conftest import make_bundle


@pytest.fixture
def tiny_bundle():
    return make_bundle()


def _population() -> pd.DataFrame:
    """Place A: bands for 2022 (1..7 persons) and a total for 2017; place B: bands for 2022."""
    rows = [("A", 2022, b, float(i + 1)) for i, b in enumerate(AGE_BANDS)]
    rows += [("B", 2022, b, 10.0) for b in AGE_BANDS]
    rows += [("A", 2017, "all", 500.0)]
    return pd.DataFrame(rows, columns=["place_code", "year", "age_band", "persons"])


@pytest.mark.parametrize(
    ("period", "year"),
    [("2023-24", 2023), ("2024-25", 2024), ("2017-18", 2017), ("2022", 2022), ("2019/20", 2019)],
)
def test_financial_year_uses_its_first_mid_year(period: str, year: int) -> None:
    assert mid_year(period) == year


def test_period_that_is_not_a_year_has_no_mid_year() -> None:
    assert mid_year("2021-01-01/P3Y") is None
    assert mid_year("latest") is None


def test_nearest_year_prefers_the_exact_then_the_closest_then_the_earlier() -> None:
    have = [2011, 2017, 2022, 2024]
    assert nearest_year(2022, have) == 2022
    assert nearest_year(2025, have) == 2024
    assert nearest_year(2023, have) == 2022  # tie between 2022 and 2024: the earlier
    assert nearest_year(2019, have) == 2017
    assert nearest_year(2019, []) is None


def test_persons_per_group_and_year() -> None:
    pop = _population()
    total = persons(pop, 2022)
    assert total.to_dict() == {"A": 28.0, "B": 70.0}
    assert persons(pop, 2017).to_dict() == {"A": 500.0}  # the "all" row
    assert persons(pop, 2022, "children_0_17").to_dict() == {"A": 3.0, "B": 20.0}
    assert persons(pop, 2022, "residents_65_plus").to_dict() == {"A": 18.0, "B": 30.0}
    assert persons(pop, 2017, "children_0_17").empty  # totals only: no age group
    assert persons(pop, 2030).empty
    assert years_with(pop) == [2017, 2022]
    assert years_with(pop, "children_0_17") == [2022]


def test_bundle_population_total(tiny_bundle) -> None:
    from dataclasses import replace

    codes = tiny_bundle.places["code"].tolist()[:2]
    pop = _population().replace({"place_code": {"A": codes[0], "B": codes[1]}})
    b = replace(tiny_bundle, population=pop)
    assert b.population_years == [2017, 2022]
    assert b.population_total(2022).to_dict() == {codes[0]: 28.0, codes[1]: 70.0}
    assert b.population_total(2017).to_dict() == {codes[0]: 500.0}
    assert b.population_total(2023).empty


def test_matching_text_names_each_year_and_any_nearest_year() -> None:
    text = matching_text("residents", [("2023-24", 2023), ("2025-26", 2024)])
    assert text.startswith("residents of all ages, ONS mid-year estimate of the matching year")
    assert "mid-2023 for 2023-24" in text
    assert "mid-2024 for 2025-26 (no mid-2025 estimate: nearest year used)" in text
    kids = matching_text("children_0_17", [("2017-18", 2017)], {"2017-18": "as republished by DfE"})
    assert kids.startswith("children aged 0 to 17") and "(as republished by DfE)" in kids


def test_validate_population_accepts_totals_only_years_and_refuses_double_counting(
    tiny_bundle,
) -> None:
    from dashboard.bundle.checks_tables import validate_population

    codes = tiny_bundle.places["code"].tolist()[:2]
    pop = _population().replace({"place_code": {"A": codes[0], "B": codes[1]}})
    ok = validate_population(pop, set(codes))
    assert set(ok["age_band"]) == {*AGE_BANDS, "all"}
    both = pd.concat(
        [pop, pd.DataFrame([[codes[1], 2022, "all", 70.0]], columns=pop.columns)],
        ignore_index=True,
    )
    with pytest.raises(BundleError) as exc:
        validate_population(both, set(codes))
    msg = str(exc.value)
    assert "population.parquet" in msg and "age_band" in msg and codes[1] in msg
    assert "twice" in msg


def _mye_csv(path: Path, bad: str) -> Path:
    head = ["Code", "Name", "Geography", "All ages", *[str(a) for a in range(90)], "90+"]
    rows = [
        ["E92000001", "ENGLAND", "Country", "9100", *["100"] * 91],
        ["E06000001", "Hartlepool", "Unitary Authority", "910", *["10"] * 91],
        ["E07000223", "Adur", "Non-metropolitan District", "910", *["10"] * 91],
    ]
    rows[2][4 + 5] = bad  # age 5 of Adur
    path.write_text(
        "\ufeff" + "\n".join(",".join(r) for r in [head, *rows]) + "\n", encoding="utf-8"
    )
    return path


def test_mye_csv_reads_council_rows_and_its_year(tmp_path: Path) -> None:
    from dashboard.sources.population import age_bands, read_mye_csv

    ages, year, problems = read_mye_csv(_mye_csv(tmp_path / "mye24tablesew_MYE2_persons.csv", "10"))
    assert year == 2024 and not problems
    # England's own row is read too (its published values); the population step keeps it out
    # of population.parquet and the denominators (tests/sources/test_england_population_step.py)
    assert list(ages.index) == ["E92000001", "E06000001", "E07000223"]
    assert ages.loc["E06000001"].sum() == 910
    assert age_bands(ages).loc["E07000223", "5-17"] == 130


def test_malformed_population_cell_is_a_problem_naming_file_row_and_column(tmp_path: Path) -> None:
    from dashboard.sources.population import age_bands, read_mye_csv

    ages, _, problems = read_mye_csv(
        _mye_csv(tmp_path / "mye24tablesew_MYE2_persons.csv", "twelve")
    )
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.row, p.column) == ("mye24tablesew_MYE2_persons.csv", 4, "5")
    assert "twelve" in str(p)
    # the band holding the bad cell is missing, not an undercount
    assert pd.isna(age_bands(ages).loc["E07000223", "5-17"])


def test_mye_csv_without_a_year_in_its_name_is_refused(tmp_path: Path) -> None:
    from dashboard.sources.population import read_mye_csv

    with pytest.raises(BundleError) as exc:
        read_mye_csv(_mye_csv(tmp_path / "population.csv", "10"))
    assert "population.csv" in str(exc.value) and "year" in str(exc.value)
