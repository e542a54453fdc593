"""The readers of the official comparator lists on small files written here: first N kept,
DfE numbers joined through the crosswalk or the name, what does not join reported, 'Old SNs'
left out, and a sheet without its columns refused naming the file. No official files needed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle import BundleError
from dashboard.sources.geography import Geography
from dashboard.sources.neighbours import (
    dfe_joiner,
    name_key,
    rank_rows,
    read_dfe_neighbours,
    read_ons_neighbours,
)
from dashboard.sources.step_neighbours import neighbours_step, set_entries


def _geo() -> Geography:
    places = pd.DataFrame(
        {
            "code": ["E06000001", "E06000002", "E06000003", "E10000001", "E07000001"],
            "name": ["Alpha", "Bristol, City of", "Gamma", "Deltashire", "Eps"],
            "kind": ["unitary", "unitary", "unitary", "county", "district"],
            "region_code": ["E12000001"] * 5,
            "region_name": ["North East"] * 5,
            "county_code": ["", "", "", "", "E10000001"],
        }
    )
    upper = ["E06000001", "E06000002", "E06000003", "E10000001"]
    lower = ["E06000001", "E06000002", "E06000003", "E07000001"]
    geo = Geography(places, upper, lower, {"E07000001": "E10000001"})
    geo.recode["E06000099"] = "E06000003"  # a newer code for the same area
    return geo


def test_rank_rows_keeps_the_first_n_places_of_the_level() -> None:
    rows, skipped = rank_rows("A", ["B", None, "A", "X", "C", "D"], "upper", 2, {"A", "B", "C"})
    assert rows == [("upper", "A", "B", 1), ("upper", "A", "C", 2)]
    assert skipped == ["None", "X"]


def test_ons_table_is_read_below_its_title_rows_with_recodes(tmp_path: Path) -> None:
    grid = [
        ["Table 3: Upper tier local authority statistical nearest neighbours", None, None, None],
        ["Notes", None, None, None],
        ["There is 1 table on this tab.", None, None, None],
        [
            "Upper tier local authority code",
            "Upper tier local authority name",
            "Neighbour 1",
            "Neighbour 2",
        ],
        ["E06000001", "Alpha", "E06000099", "E10000001"],
        ["E10000001", "Deltashire", "E06000001", "E99999999"],
        ["W06000001", "Elsewhere", "E06000001", "E06000002"],
    ]
    path = tmp_path / "nn.xlsx"
    pd.DataFrame(grid).to_excel(path, sheet_name="Table 3", header=False, index=False)
    rows, notes = read_ons_neighbours(path, "Table 3", "upper", 2, _geo())
    got = {p: g["neighbour_code"].tolist() for p, g in rows.groupby("place_code")}
    assert got == {"E06000001": ["E06000003", "E10000001"], "E10000001": ["E06000001"]}
    assert any("row 6" in n and "passed over" in n for n in notes)
    assert any("'W06000001' is not a current upper-tier council" in n for n in notes)
    pd.DataFrame([["code", "name"], ["E06000001", "Alpha"]]).to_excel(
        path, sheet_name="Table 3", header=False, index=False
    )
    with pytest.raises(BundleError, match=r"nn\.xlsx.*Neighbour 1"):
        read_ons_neighbours(path, "Table 3", "upper", 2, _geo())


def test_dfe_numbers_join_through_the_crosswalk_or_the_name(tmp_path: Path) -> None:
    text = (
        "LA num,LA Name,LA number,GOInd,GOReg,SN1,SNP,SN2,SNP.1\n"
        '801.0,"Bristol, City of",801,7,South West,111,Close,999,Close\n'
        "111,Alpha,111,1,North East,801,Close,222,Close\n"
        "909,Cumbria,909,5,North West,111,Close,801,Close\n"
        ",Old SNs:,,,,,,,\n"
        "835,Dorset (Pre LG),835,7,South West,111,Close,801,Close\n"
    )
    path = tmp_path / "New_Statistical_Neighbour_Groupings_April_2021.csv"
    path.write_text(text, encoding="utf-8")
    geo = _geo()
    # 111 by the crosswalk; 801 (Bristol) by its name; 909 maps to a code that is gone
    to_code = dfe_joiner({"111": "E06000001", "909": "E10000006"}, {"222": "Deltashire"}, geo)
    rows, notes = read_dfe_neighbours(path, 10, to_code, geo)
    got = {p: g["neighbour_code"].tolist() for p, g in rows.groupby("place_code")}
    assert got == {"E06000002": ["E06000001"], "E06000001": ["E06000002", "E10000001"]}
    assert any("Cumbria (LA 909)" in n and "does not join" in n for n in notes)
    assert any("neighbour LA 999" in n for n in notes)
    assert not any("Dorset" in n for n in notes), "rows under 'Old SNs' are not read"
    assert name_key("Bristol, City of") == name_key("Bristol") == "bristol"


def test_the_step_without_files_builds_no_set_and_says_so() -> None:
    nb, r = neighbours_step({}, _geo())
    assert nb.table is None and nb.sets == []
    assert any("ons_2025" in line and "no file" in line for line in r.log)
    # a fallback set names a set listed before it
    ids = [e["id"] for e in set_entries()]
    for k, e in enumerate(set_entries()):
        assert e.get("fallback_for") in (None, *ids[:k])
