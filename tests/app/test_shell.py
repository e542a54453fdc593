"""Every page runs; the sidebar view round-trips through the URL; bad data is refused safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.ui.pages import PAGES

from .conftest import DATASETS, no_exception, start, widget


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs(info, dataset: str) -> None:
    at = start({"dataset": dataset}, page=info.path)
    no_exception(at)
    assert at.title, "every page has a title"
    demo_banner = any("Fictional data" in w.value for w in at.warning)
    if info.projector:  # story mode says it on the slide, not in a banner
        demo_banner = any("Fictional data" in m.value for m in at.main.markdown)
    assert demo_banner == (dataset == "demo"), "the fictional-data note shows exactly on the demo"


def test_sidebar_change_updates_the_query_string() -> None:
    at = start({"dataset": "demo"})
    bundle = read_bundle(DATA_DIR / "demo")
    other = [c for c in bundle.place_codes("upper") if c != widget(at, "Place").value][3]
    widget(at, "Place").set_value(other).run()
    widget(at, "Compare with").set_value("kind").run()
    widget(at, "Period").set_value(bundle.periods[0]).run()
    no_exception(at)
    q = at.query_params
    assert (q["place"], q["group"], q["period"], q["level"]) == (
        other,
        "kind",
        bundle.periods[0],
        "upper",
    )


def test_query_string_reopens_the_same_view() -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    place = bundle.place_codes("lower")[5]
    picks = bundle.place_codes("lower")[7:9]
    query = {
        "dataset": "demo",
        "level": "lower",
        "place": place,
        "group": "custom",
        "period": bundle.periods[1],
        "custom": ",".join(picks),
    }
    at = start(query)
    no_exception(at)
    assert widget(at, "Level").value == "lower"
    assert widget(at, "Place").value == place
    assert widget(at, "Compare with").value == "custom"
    assert widget(at, "Places to compare with").value == picks
    assert widget(at, "Period").value == bundle.periods[1]
    # and the URL the app writes back is the one it was opened with
    assert dict(at.query_params.items()) == query


def test_bad_link_falls_back_with_a_note() -> None:
    at = start({"dataset": "demo", "place": "E99999999", "period": "1066-67"})
    no_exception(at)
    notes = " ".join(w.value for w in at.warning)
    assert "E99999999" in notes and "1066-67" in notes
    assert widget(at, "Place").value != "E99999999"


def test_changing_level_keeps_a_valid_place() -> None:
    at = start({"dataset": "demo"})
    widget(at, "Level").set_value("lower").run()
    no_exception(at)
    bundle = read_bundle(DATA_DIR / "demo")
    assert widget(at, "Place").value in bundle.place_codes("lower")


def test_refused_bundle_keeps_the_data_it_had(tmp_path: Path, extra_bundles) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(DATA_DIR / "demo", broken)
    (broken / "places.csv").write_text("code,name\nX1,Nowhere\n")
    extra_bundles({"broken": broken})
    at = start({"dataset": "demo"})
    place = widget(at, "Place").value
    widget(at, "Dataset").set_value("broken").run()
    no_exception(at)
    assert widget(at, "Dataset").value == "demo"
    assert widget(at, "Place").value == place
    errors = " ".join(e.value for e in at.error)
    assert "places.csv" in errors and "column 'kind'" in errors


def test_home_place_picker_selects_everywhere() -> None:
    at = start({"dataset": "demo"})
    bundle = read_bundle(DATA_DIR / "demo")
    target = bundle.place_codes("upper")[10]
    widget(at, "Find your place (name or code)").set_value(target).run()
    no_exception(at)
    assert widget(at, "Place").value == target
    assert at.query_params["place"] == target
    assert bundle.place_name(target) in [h.value for h in at.subheader]


def test_home_cards_compare_with_the_group() -> None:
    at = start({"dataset": "demo"})
    assert len(at.metric) >= 4
    labels = [m.label for m in at.metric]
    assert any("expenditure per head" in lbl.lower() for lbl in labels)
    assert any(m.delta and "vs median" in m.delta for m in at.metric)
    # every card says where its figure comes from, for which period, under which licence
    for m in at.metric:
        assert "Source:" in m.help and "Period" in m.help and "MIT" in m.help


def test_data_page_dictionary_filters_and_download() -> None:
    at = start({"dataset": "demo"}, page="pages/data.py")
    no_exception(at)
    full = len(at.dataframe[1].value)
    widget(at, "Kind").set_value(["outcome"]).run()
    outcomes = at.dataframe[1].value
    assert 0 < len(outcomes) < full and set(outcomes["kind"]) == {"outcome"}
    widget(at, "Search").set_value("smok").run()
    found = at.dataframe[1].value
    assert len(found) >= 1 and found["indicator"].str.lower().str.contains("smok").all()
    assert any("Download tidy data" in str(b.proto.label) for b in at.get("download_button"))


@pytest.mark.parametrize("dataset", DATASETS[1:])
def test_missing_value_card_says_why(dataset: str) -> None:
    # Birmingham made no 2024-25 revenue outturn return: the card says so, not a number
    at = start({"dataset": dataset, "place": "E08000025", "period": "2024-25"})
    no_exception(at)
    spend = next(m for m in at.metric if "expenditure per head" in m.label.lower())
    assert spend.value == "no value"
    assert any("No 2024-25 value" in c.value and "missing" in c.value for c in at.caption)


def test_data_page_lists_every_method_setting() -> None:
    from dashboard.catalogue import params_table

    at = start({"dataset": "demo"}, page="pages/data.py")
    no_exception(at)
    assert "Method settings and assumptions" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "evidence grade" in d.value.columns)
    assert len(table) == len(params_table())
    assert {"file", "setting", "unit", "allowed range", "source", "price year"} <= set(
        table.columns
    )


def test_refused_link_values_are_noted_once_and_the_view_kept() -> None:
    """A bad value is noted (escaped) on the first run only; the view it fell back to stays
    put on later runs, and the URL carries only what was accepted (duplicates removed)."""
    from dashboard.formatting import escape_markdown

    bundle = read_bundle(DATA_DIR / "demo")
    a, b = bundle.place_codes("upper")[3:5]
    at = start({"dataset": "demo", "group": "custom", "custom": f"{a},{b},{a}", "level": "**up**"})
    no_exception(at)
    notes = " ".join(w.value for w in at.warning)
    assert "**custom**" in notes and "**level**" in notes
    assert escape_markdown("**up**") in notes
    assert at.query_params["custom"] in (f"{a},{b}", [f"{a},{b}"])
    widget(at, "Period").set_value(bundle.periods[0]).run()
    no_exception(at)
    assert not any("Link parameter" in w.value for w in at.warning)
    assert widget(at, "Places to compare with").value == [a, b]
    assert widget(at, "Level").value == "upper"
