"""The Data page's gaps table: every missing value the bundle explains, with its reason."""

from __future__ import annotations

import pytest

from .conftest import DATASETS, no_exception, start

PAGE = "pages/data.py"


def test_demo_says_it_has_no_explained_gaps() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    no_exception(at)
    assert "Gaps and their reasons" in [s.value for s in at.subheader]
    assert any("is missing with a stated reason" in c.value for c in at.caption)


@pytest.mark.parametrize("dataset", DATASETS[1:])
def test_england_gaps_name_the_council_and_year(dataset: str) -> None:
    at = start({"dataset": dataset, "level": "upper"}, page=PAGE)
    no_exception(at)
    table = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    latest = table[table["period"] == "2024-25"].set_index("place")
    for county, district in (("Derbyshire", "Amber Valley"), ("Surrey", "Guildford")):
        assert district in latest.loc[county, "reason"]
    assert "not received in time for publication" in latest.loc["Birmingham", "reason"]
    kent = table[(table["period"] == "2023-24") & (table["place"] == "Kent")]
    spend = kent[kent["which"].str.contains("spend")]
    assert spend["reason"].str.contains("revenue outturn return from Canterbury").all()
    assert len(spend) == 1, "one row per council, year and reason"
