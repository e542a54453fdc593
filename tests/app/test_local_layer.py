"""A joined layer in every page: a small layer (a new outcome for several places, one value
suppressed, a newer local value for a catalogue indicator) joined to the demo bundle and
registered as a dataset (ui.data.register_joined); Profile, Maps, Value for money and Data show
the new indicator marked "local data" with its source, and the local figure beside the official
one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR
from dashboard.bundle import Bundle, read_bundle
from dashboard.layers.merge import join_layer, local_id
from dashboard.ui import data as ui_data
from tests.layers.layer_fixture import (
    FILENAME,
    NEW_ID,
    NEW_LABEL,
    OFFICIAL_ID,
    TITLE,
    small_layer,
)

from .conftest import no_exception, start, widget

NAME = "layer-test0123456789ABCDEFG"
LABEL = f"Demo (fictional places) + {TITLE}"


@pytest.fixture(scope="module")
def joined() -> Bundle:
    base = read_bundle(DATA_DIR / "demo")
    return join_layer(base, small_layer(base), dataset_label="Demo (fictional places)")


@pytest.fixture
def registered(joined: Bundle) -> Iterator[Bundle]:
    ui_data.register_joined(NAME, joined, LABEL)
    yield joined
    ui_data.unregister_joined(NAME)


def _run(page: str) -> AppTest:
    at = start({"dataset": NAME, "level": "upper"}, page=page)
    no_exception(at)
    return at


def test_a_registered_layer_opens_by_its_link_and_is_listed_only_there(
    registered: Bundle,
) -> None:
    assert ui_data.load_bundle(NAME) is registered
    assert ui_data.dataset_label(NAME) == LABEL
    at = _run("pages/home.py")
    box = widget(at, "Dataset")
    assert box.value == NAME and LABEL in box.options
    # a session that did not follow the link is not offered it
    other = start({"dataset": "demo"}, page="pages/home.py")
    assert LABEL not in widget(other, "Dataset").options
    assert NAME not in ui_data.available_datasets()  # outside a session: the server's only


def test_registry_is_bounded(joined: Bundle) -> None:
    names = [f"layer-bound{i:02d}" for i in range(ui_data.MAX_JOINED + 2)]
    try:
        for n in names:
            ui_data.register_joined(n, joined)
        kept = [n for n in names if ui_data.is_layer(n) and ui_data._registered(n)]
        assert kept == names[-ui_data.MAX_JOINED :]  # the oldest dropped first
    finally:
        for n in names:
            ui_data.unregister_joined(n)


def test_profile_has_a_local_data_group_and_the_local_figure_beside_the_official(
    registered: Bundle,
) -> None:
    at = _run("pages/profile.py")
    text = "\n".join(m.value for m in at.markdown)
    assert "**Local data** from Partners' \\*survey\\* data" in text  # escaped: text, not emphasis
    official = registered.indicator(OFFICIAL_ID)["label"]
    line = next(m.value for m in at.markdown if m.value.startswith(f"- {official}"))
    assert "official " in line and "Local figure\\: 61.5" in line  # ":" escaped as text
    at.session_state["profile_tab"] = "Table and download"
    at.run()
    table = next(d.value for d in at.dataframe if "local figure" in d.value.columns)
    row = table[table["indicator"] == official].iloc[0]
    assert row["local figure"].startswith("Local figure: 61.5") and TITLE in row["local figure"]
    assert row["value"] != row["local figure"]  # the official value is kept, not replaced
    local = table[table["indicator"] == NEW_LABEL]
    assert len(local) == 1 and local["group"].iloc[0] == "Local data"


def test_maps_offers_the_new_indicator_marked_local(registered: Bundle) -> None:
    at = _run("pages/maps.py")
    box = widget(at, "Indicator")
    assert NEW_ID in box.options or any("(local data)" in o for o in box.options)
    box.set_value(NEW_ID).run()
    no_exception(at)
    assert widget(at, "Indicator").value == NEW_ID
    caption = next(c.value for c in at.caption if c.value.startswith("**Local data**"))
    assert "Partners' \\*survey\\* data" in caption and "Partners' survey team" in caption


def test_value_for_money_lets_a_user_pick_the_local_outcome(registered: Bundle) -> None:
    at = _run("pages/value.py")
    widget(at, "Service").set_value("public_health").run()
    box = widget(at, "Outcome (only those that bear on this spend)")
    assert NEW_ID in box.options or any("(local data)" in o for o in box.options)
    box.set_value(NEW_ID).run()
    no_exception(at)
    text = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "Local data" in text


def test_data_page_lists_the_layer_in_dictionary_and_coverage(registered: Bundle) -> None:
    at = _run("pages/data.py")
    text = "\n".join(m.value for m in at.markdown)
    assert "**Local data.** Includes local data\\: Partners' \\*survey\\* data" in text
    table = next(d.value for d in at.dataframe if "definition" in d.value.columns)
    row = table[table["id"] == NEW_ID].iloc[0]
    assert row["indicator"] == f"{NEW_LABEL} (local data)"
    assert row["origin"] == f"local data: {TITLE}, Residents' survey"
    assert row["group"] == "Local data"
    comp = table[table["id"] == local_id(OFFICIAL_ID)].iloc[0]
    assert FILENAME in comp["origin"] and FILENAME in comp["source"]
    assert (
        table.loc[~table["id"].isin([NEW_ID, local_id(OFFICIAL_ID)]), "origin"]
        == "official statistics"
    ).all()
    cov = next(d.value for d in at.dataframe if "coverage %" in d.value.columns)
    got = cov[cov["indicator"] == f"{NEW_LABEL} (local data)"].iloc[0]
    assert got["places with a value"] == 4  # five places, one suppressed


def test_data_page_sources_mark_the_layer_as_local_data(registered: Bundle) -> None:
    at = _run("pages/data.py")
    sources = next(d.value for d in at.dataframe if "publisher" in d.value.columns)
    local = sources[sources["publisher"].str.endswith("(local data)")]
    assert len(local) >= 1
    assert (
        not sources.loc[~sources.index.isin(local.index), "publisher"]
        .str.contains("local data")
        .any()
    )
