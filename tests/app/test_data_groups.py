"""The Data page: the indicator dictionary's group column (what each indicator measures, as on
the Profile page) and grades in words in the tidy download."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.analysis.dictionary import indicator_dictionary, tidy_values
from dashboard.analysis.groups import indicator_groups
from dashboard.bundle import read_bundle
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.export.tables import to_csv_bytes
from dashboard.ui.data import available_datasets

from .conftest import DATASETS, no_exception, start, widget


def _dictionary(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "definition" in d.value.columns)


@pytest.mark.parametrize("dataset", DATASETS)
def test_dictionary_has_a_group_column_from_groups_yaml(dataset: str) -> None:
    at = start({"dataset": dataset}, page="pages/data.py")
    no_exception(at)
    table = _dictionary(at)
    cols = list(table.columns)
    assert cols.index("group") == cols.index("kind") + 1
    groups = indicator_groups()
    bundle = read_bundle(available_datasets()[dataset])
    services = bundle.indicators.set_index("id")["service"]
    for ind, group in zip(table["id"], table["group"], strict=True):
        assert group == groups.label(groups.of(ind, services[ind]))
    # the employment rate measures the economy, whatever its service block
    if "employment_rate_pct" in set(table["id"]):
        row = table[table["id"] == "employment_rate_pct"].iloc[0]
        assert row["group"] == "Economy and work"
    widget(at, "Search").set_value("economy and work").run()
    found = _dictionary(at)
    assert len(found) and (found["group"] == "Economy and work").all()


@pytest.mark.parametrize("dataset", DATASETS)
def test_tidy_download_gives_grades_in_words(dataset: str) -> None:
    bundle = read_bundle(available_datasets()[dataset])
    codes = bundle.place_codes("upper")[:10]
    table = tidy_values(bundle, list(codes))
    grades = table[table["unit"] == "ordinal"]
    assert len(grades), "Ofsted grades for upper-tier councils"
    graded = grades[grades["value"].notna()]
    for ind, value, words in zip(
        graded["indicator_id"], graded["value"], graded["value_in_words"], strict=True
    ):
        assert words == ordinal_scale(ind).words(value)
    assert (table.loc[table["unit"] != "ordinal", "value_in_words"] == "").all()
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(table)), keep_default_na=False)
    assert set(csv.loc[csv["unit"] == "ordinal", "value_in_words"]) - {""} <= {
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    }


def test_dictionary_filter_is_unchanged_by_the_group_column() -> None:
    bundle = read_bundle(available_datasets()["demo"])
    full = indicator_dictionary(bundle)
    assert len(full) == len(bundle.indicators)
    assert full["group"].ne("").all()
