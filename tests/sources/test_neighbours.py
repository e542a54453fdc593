"""Spot checks of the official comparator sets against the published files: the ONS nearest
neighbours workbook (October 2025) and DfE's statistical neighbours (May 2025), each read
straight from the file here, and the comparison group that follows them in the URL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.view import group_codes, resolve_view

pytestmark = pytest.mark.england

ONS = "localauthoritynearestneighboursengland.xlsx"
KENT, WIGAN, CAMBRIDGE = "E10000016", "E08000010", "E07000008"


def _file(raw: Path, name: str) -> Path:
    hits = sorted(raw.rglob(name))
    if not hits:
        pytest.skip(f"{name} not in the raw folder")
    return hits[0]


def _ons_row(raw: Path, sheet: str, code: str, n: int) -> list[str]:
    """The first ``n`` neighbours of ``code`` in a table of the ONS workbook (header row 4)."""
    t = pd.read_excel(_file(raw, ONS), sheet_name=sheet, header=3, engine="openpyxl", dtype=str)
    row = t[t.iloc[:, 0] == code].iloc[0]
    return [row[f"Neighbour {k}"] for k in range(1, n + 1)]


@pytest.mark.parametrize(
    ("sheet", "level", "code"),
    [
        ("Table 3", "upper", KENT),
        ("Table 3", "upper", WIGAN),
        ("Table 1", "lower", CAMBRIDGE),
        ("Table 1", "lower", WIGAN),
    ],
)
def test_ons_lists_are_the_workbooks_first_15(england, raw, sheet, level, code) -> None:
    bundle, _ = england
    s = bundle.neighbour_set("ons_2025")
    assert s["size"] == 15 and s["publisher"] == "Office for National Statistics"
    assert s["published"] == "2025-10-01" and "Oct 2025" in s["label"]
    assert bundle.official_neighbours("ons_2025", level, code) == _ons_row(raw, sheet, code, 15)


def test_ons_covers_every_council_of_both_tiers(england) -> None:
    bundle, _ = england
    for level in ("upper", "lower"):
        assert set(bundle.official_places("ons_2025", level)) == set(bundle.place_codes(level))


def test_dfe_neighbours_of_kent_are_the_files_ten(england, raw) -> None:
    bundle, report = england
    sn = pd.read_excel(_file(raw, "sn_may_2025.xlsx"), header=2, engine="openpyxl", dtype=str)
    kent = sn[sn["LA Name"].str.strip() == "Kent"].iloc[0]
    assert kent["LA num"] == "886"
    numbers = [kent[f"SN{k}"] for k in range(1, 11)]
    # DfE's own files map its LA numbers to ONS codes (old_la_code -> new_la_code)
    cla = pd.read_csv(_file(raw, "cla_number_and_rate_per_10k_children.csv"), dtype=str)
    to_ons = dict(zip(cla["old_la_code"], cla["new_la_code"], strict=True))
    assert bundle.official_neighbours("dfe_2025", "upper", KENT) == [to_ons[n] for n in numbers]
    s = bundle.neighbour_set("dfe_2025")
    assert s["levels"] == ["upper"] and s["size"] == 10
    assert s["publisher"] == "Department for Education"
    # every current LA of the May 2025 file joins a council (only the 'Old SNs' rows are left)
    assert set(bundle.official_places("dfe_2025", "upper")) == set(bundle.place_codes("upper"))
    assert "does not join" not in report


def test_the_group_follows_the_set_in_the_url(england) -> None:
    bundle, _ = england
    params = {"dataset": "england", "place": KENT, "group": "ons_2025"}
    view, notes = resolve_view(params, {"england": bundle}, "england")
    assert notes == [] and view.group == "ons_2025"
    assert resolve_view(view.to_query(), {"england": bundle}, "england")[0] == view
    assert group_codes(bundle, view) == bundle.official_neighbours("ons_2025", "upper", KENT)
    lower, notes = resolve_view(
        {"level": "lower", "place": CAMBRIDGE, "group": "dfe_2025"}, {"e": bundle}, "e"
    )
    assert lower.group == "peers" and "covers only the upper tier" in notes[0]


def test_without_the_2025_file_the_2021_groupings_are_used_and_gaps_named(raw) -> None:
    from dashboard.sources.england import find_sources
    from dashboard.sources.step_neighbours import neighbours_step
    from dashboard.sources.step_places import geography_step

    files, _ = find_sources(raw)
    places, _ = geography_step(files)
    old = pd.read_csv(_file(raw, "New_Statistical_Neighbour_Groupings_April_2021.csv"), dtype=str)
    nb, r = neighbours_step({**files, "dfe_sn_2025": []}, places.geo)
    assert [s["id"] for s in nb.sets] == ["ons_2025", "dfe_2021"]
    assert "Apr 2021" in nb.sets[1]["label"]
    # Cumbria (909) was split in 2023: its list has no current council and the report says so
    assert "909" in old["LA num"].str.replace(".0", "", regex=False).tolist()
    assert any("Cumbria (LA 909)" in line and "does not join" in line for line in r.log)
    rows = nb.rows[nb.rows["set_id"] == "dfe_2021"]
    kent = old[old["LA Name"].str.strip() == "Kent"].iloc[0]
    cla = pd.read_csv(_file(raw, "cla_number_and_rate_per_10k_children.csv"), dtype=str)
    to_ons = dict(zip(cla["old_la_code"], cla["new_la_code"], strict=True))
    want = [to_ons[kent[f"SN{k}"].replace(".0", "")] for k in range(1, 11)]
    got = rows[rows["place_code"] == KENT].sort_values("rank")["neighbour_code"].tolist()
    assert got == want
