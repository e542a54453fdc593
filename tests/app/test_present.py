"""Story mode (the Present page): it opens on the view's place with its deck, the slide number
follows the URL and the buttons, bad links fall back to slide 1 with a note, and an edited
deck (a slide dropped, one added, a note written) saves and reopens by its link with the same
slides and notes, the note shown as typed."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.map_values import ANY_SERVICE, indicator_choices
from dashboard.formatting import escape_markdown
from dashboard.present.case import preset_scenario
from dashboard.present.kinds import (
    DEFAULT_SLIDES,
    KINDS,
    SlideKind,
    base_slide,
    build_slide,
    default_deck,
)
from dashboard.present.model import Deck, Slide, SlideRef, deck_from_json
from dashboard.scenario import scenario_to_json
from dashboard.store import ScenarioStore, database_url
from dashboard.ui.data import available_datasets, load_bundle
from dashboard.view import context_for, default_view

from .conftest import DATASETS, england_built, no_exception, start

PAGE = "pages/present.py"
WIGAN = "E08000010"


@pytest.fixture(autouse=True)
def deck_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test saves into its own SQLite file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "decks.sqlite"))
    return database_url()


def open_present(query: dict[str, str]) -> AppTest:
    at = start(query, page=PAGE)
    no_exception(at)
    return at


def titles_expected(dataset: str, place: str | None = None) -> list[str]:
    """The default deck's titles for the dataset's default view (or ``place``), built in pure
    code (present.kinds), not by the page."""
    bundle = load_bundle(available_datasets()[dataset])
    view = default_view(dataset, bundle)
    if place:
        view = type(view)(**{**view.__dict__, "place": place})
    ctx = context_for(bundle, view)
    return [build_slide(ctx, ref, None).title for ref in default_deck(ctx).slides]


def title(at: AppTest) -> str:
    assert len(at.title) == 1, [t.value for t in at.title]
    return at.title[0].value.replace("\\", "")


def footer(at: AppTest) -> str:
    lines = [m.value for m in at.markdown if " / " in m.value and "Slide " in m.value]
    assert len(lines) == 1, lines
    return lines[0]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def step(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    no_exception(at)
    return at


@pytest.mark.parametrize("dataset", DATASETS)
def test_opens_on_the_views_place_with_its_deck(dataset: str) -> None:
    at = open_present({"dataset": dataset})
    expected = titles_expected(dataset)
    assert title(at) == expected[0]
    assert f"Slide 1 / {len(DEFAULT_SLIDES)}" in footer(at)
    assert at.query_params["slide"] == "1"
    fictional = "Fictional data" in footer(at)
    assert fictional == (dataset == "demo")
    (exit_link,) = [el.proto for el in at.main.get("page_link") if el.proto.label == "Exit"]
    assert f"place={at.query_params['place']}" in exit_link.query_string.split("&")


@pytest.mark.parametrize("dataset", DATASETS)
def test_slide_in_the_url_and_the_buttons_step(dataset: str) -> None:
    expected = titles_expected(dataset)
    at = open_present({"dataset": dataset, "slide": "3"})
    assert title(at) == expected[2]
    step(at, "present_prev")
    assert title(at) == expected[1] and at.query_params["slide"] == "2"
    step(at, "present_next")
    assert title(at) == expected[2] and at.query_params["slide"] == "3"
    step(at, "present_first")
    assert title(at) == expected[0] and at.query_params["slide"] == "1"
    assert at.button(key="present_prev").disabled
    step(at, "present_last")
    assert at.query_params["slide"] == str(len(expected))
    assert at.button(key="present_next").disabled


@pytest.mark.skipif(
    not england_built(),
    reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
)
def test_england_wigan_opens_on_wigan() -> None:
    at = open_present({"dataset": "england", "level": "upper", "place": WIGAN})
    assert title(at) == titles_expected("england", WIGAN)[0]
    assert "Wigan" in title(at)
    assert "Fictional" not in footer(at)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"slide": "abc"}, "slide"),
        ({"slide": "0"}, "slide"),
        ({"slide": "99"}, "no slide 99"),
        ({"deck": "no-such-deck"}, "no saved deck"),
        ({"deck": "bad id!"}, "deck"),
        ({"scenario": "no-such-scenario"}, "no saved scenario"),
    ],
)
def test_a_bad_link_shows_slide_one_of_the_default_deck_with_a_note(
    query: dict[str, str], said: str
) -> None:
    at = open_present({"dataset": "demo"})
    for key, value in query.items():  # as a link opened in this session
        at.query_params[key] = value
    at.run()
    no_exception(at)
    assert title(at) == titles_expected("demo")[0]
    assert f"Slide 1 / {len(DEFAULT_SLIDES)}" in footer(at)
    assert any(said in w for w in warnings(at)), warnings(at)


def edit_table(at: AppTest, edited_rows: dict[int, dict]) -> AppTest:
    """Edit cells of the slides table as the browser sends them, then rerun."""
    (editor,) = at.data_editor
    at.session_state[editor.key] = {
        "edited_rows": edited_rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    no_exception(at)
    return at


def table_rows(at: AppTest) -> list[tuple[str, bool, str]]:
    (editor,) = at.data_editor
    df = editor.value
    return list(zip(df["slide"], df["include"], df["note"], strict=True))


NOTE = "**Not bold** <b>not html</b> [no link](http://example.com) # no heading"


def test_edit_save_and_reopen_the_deck_by_its_link(deck_db: str) -> None:
    at = open_present({"dataset": "demo", "edit": "1"})
    labels = [KINDS[k].label for k in DEFAULT_SLIDES]
    assert [r[0] for r in table_rows(at)] == labels
    # drop slide 2, write a note on slide 1 (markdown and HTML: shown as typed)
    edit_table(at, {1: {"include": False}, 0: {"note": NOTE}})
    assert [r[1] for r in table_rows(at)] == [True, False, *[True] * (len(labels) - 2)]
    assert f"Slide 1 / {len(labels) - 1}" in footer(at)
    assert NOTE in [t.value for t in at.text], "the note is shown as text, not markdown"
    # add a slide of another kind at the end; then move it first by its order number
    at.selectbox(key="present_add_kind").set_value("glance").run()
    step(at, "present_add")
    assert [r[0] for r in table_rows(at)][-1] == KINDS["glance"].label
    n = len(table_rows(at))
    edit_table(at, {n - 1: {"order": 0}})
    assert [r[0] for r in table_rows(at)][0] == KINDS["glance"].label
    # save
    at.text_input(key="present_save_name").input("Board, March")
    at.text_input(key="present_save_author").input("A. Presenter")
    at.button[[b.label for b in at.button].index("Save the deck")].click().run()
    no_exception(at)
    (saved,) = ScenarioStore(deck_db).list_decks()
    deck = deck_from_json(saved.deck_json)
    assert [s.kind for s in deck.slides] == ["glance", "title", *DEFAULT_SLIDES[2:]]
    assert deck.slides[1] == SlideRef("title", {}, NOTE)
    assert saved.name == "Board, March" and saved.dataset == "demo"
    links = [c.value for c in at.code]
    assert any(link.startswith("/present?") and f"deck={saved.id}" in link for link in links)

    # the link reopens the same slides and notes (a fresh session)
    again = open_present({"dataset": "demo", "deck": saved.id, "edit": "1"})
    assert [r[0] for r in table_rows(again)] == [KINDS[s.kind].label for s in deck.slides]
    assert [r[2] for r in table_rows(again)][1] == NOTE
    titles = titles_expected("demo")
    assert title(again) == build_title("demo", "glance")
    step(again, "present_next")
    assert title(again) == titles[0]
    assert NOTE in [t.value for t in again.text]
    assert not warnings(again)


def build_title(dataset: str, kind: str) -> str:
    bundle = load_bundle(available_datasets()[dataset])
    ctx = context_for(bundle, default_view(dataset, bundle))
    return build_slide(ctx, SlideRef(kind), None).title


def test_dropping_every_slide_is_refused_and_the_deck_kept() -> None:
    at = open_present({"dataset": "demo", "edit": "1"})
    n = len(table_rows(at))
    edit_table(at, {i: {"include": False} for i in range(n)})
    assert any("at least one slide" in e.value for e in at.error)
    assert f"Slide 1 / {n}" in footer(at)


def test_a_save_without_a_name_says_why_and_keeps_the_slides(deck_db: str) -> None:
    at = open_present({"dataset": "demo", "edit": "1"})
    edit_table(at, {0: {"note": "keep me"}})
    at.button[[b.label for b in at.button].index("Save the deck")].click().run()
    no_exception(at)
    assert any("not saved" in e.value for e in at.error)
    assert ScenarioStore(deck_db).list_decks() == []
    assert table_rows(at)[0][2] == "keep me"


@pytest.mark.parametrize(
    "page",
    [
        "pages/home.py",
        "pages/profile.py",
        "pages/value.py",
        "pages/maps.py",
        "pages/scenario.py",
        "pages/data.py",
    ],
)
def test_every_page_has_a_present_link_on_its_view(page: str) -> None:
    at = start({"dataset": "demo", "place": "X06000003"}, page=page)
    no_exception(at)
    present = [el.proto for el in at.sidebar.get("page_link") if el.proto.label == "Present"]
    assert len(present) == 1
    assert present[0].page == "present"
    query = dict(kv.split("=", 1) for kv in present[0].query_string.split("&"))
    assert query["place"] == "X06000003" and query["dataset"] == "demo"


def saved_scenario(db: str, dataset: str = "demo") -> tuple[str, str]:
    """(id, place) of the default preset saved for the dataset's default place."""
    bundle = load_bundle(available_datasets()[dataset])
    place = default_view(dataset, bundle).place
    scenario = preset_scenario(bundle, place)
    sid = ScenarioStore(db).save("Prevention", "", place, dataset, "T", scenario_to_json(scenario))
    return sid, place


def test_the_present_link_carries_the_open_saved_scenario(deck_db: str) -> None:
    sid, _ = saved_scenario(deck_db)
    at = start({"dataset": "demo", "scenario": sid}, page="pages/scenario.py")
    no_exception(at)
    present = [el.proto for el in at.sidebar.get("page_link") if el.proto.label == "Present"]
    assert f"scenario={sid}" in present[0].query_string.split("&")


def pack_buttons(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_editor_offers_the_deck_as_a_board_pack_of_the_same_slides() -> None:
    """ "Download board pack" as PowerPoint and PDF in the editor; the file is the deck's slides
    in order with their notes (built from what the page shows)."""
    from pptx import Presentation

    from dashboard.present.kinds import build_slides, default_deck
    from dashboard.ui.present_edit import pack_file

    at = open_present({"dataset": "demo", "edit": "1"})
    labels = [b for b in pack_buttons(at) if "board pack" in b]
    assert len(labels) == 2 and any("PowerPoint" in b for b in labels)
    assert any("PDF" in b for b in labels)

    bundle = load_bundle(available_datasets()["demo"])
    ctx = context_for(bundle, default_view("demo", bundle))
    deck = default_deck(ctx)
    slides = build_slides(ctx, Deck(deck.view, deck.slides[:3]), None)
    slides[1] = Slide(**{**slides[1].__dict__, "note": "Ask about 2019"})
    pack = Presentation(io.BytesIO(pack_file(lambda: slides, "pptx")))
    titles = [s.shapes.title.text for s in pack.slides]
    assert titles == [s.title for s in slides]
    assert "Ask about 2019" in pack.slides[1].notes_slide.notes_text_frame.text


# --- any kind of slide, from the Slide model alone ---------------------------------------------
def _scenario_slide(ctx, params, case):  # noqa: ANN001, ANN202
    return base_slide(ctx, "fake_case", case.name, f"Scenario for {case.scenario.place_code}.")


def _indicator_slide(ctx, params, case):  # noqa: ANN001, ANN202
    table = pd.DataFrame({"Indicator": [params.get("indicator", "")], "Note": ["**not bold**"]})
    return base_slide(ctx, "fake_indicator", "An indicator", "One row.", table=table)


@pytest.fixture
def fake_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two kinds only these tests draw: one that reads the deck's scenario, one that reads an
    indicator and shows a table."""
    monkeypatch.setitem(
        KINDS, "fake_case", SlideKind("fake_case", "Fake: scenario", _scenario_slide, (), True)
    )
    monkeypatch.setitem(
        KINDS,
        "fake_indicator",
        SlideKind("fake_indicator", "Fake: indicator", _indicator_slide, ("indicator",)),
    )


def test_a_kind_with_an_indicator_is_added_with_the_maps_picker(fake_kinds) -> None:
    at = open_present({"dataset": "demo", "edit": "1"})
    at.selectbox(key="present_add_kind").set_value("fake_indicator").run()
    picker = at.selectbox(key="present_add_indicator")
    bundle = load_bundle(available_datasets()["demo"])
    choices = indicator_choices(bundle, "upper")
    assert list(picker.options) == [choices.labels[i] for i in choices.ids[ANY_SERVICE]]
    wanted = choices.ids[ANY_SERVICE][2]
    picker.set_value(wanted).run()
    step(at, "present_add")
    n = len(table_rows(at))
    at.query_params["slide"] = str(n)
    at.run()
    no_exception(at)
    assert title(at) == "An indicator"
    (shown,) = at.table
    assert shown.value.iloc[0, 0] == escape_markdown(wanted)
    assert shown.value.iloc[0, 1] == escape_markdown("**not bold**"), "table text is escaped"


def test_the_deck_shows_a_saved_scenario_and_keeps_it_when_saved(deck_db: str, fake_kinds) -> None:
    sid, place = saved_scenario(deck_db)
    at = open_present({"dataset": "demo", "scenario": sid, "edit": "1"})
    at.selectbox(key="present_add_kind").set_value("fake_case").run()
    step(at, "present_add")
    at.query_params["slide"] = str(len(table_rows(at)))
    at.run()
    assert title(at) == "Saved scenario: Prevention"
    at.text_input(key="present_save_name").input("With scenario")
    at.text_input(key="present_save_author").input("T")
    at.button[[b.label for b in at.button].index("Save the deck")].click().run()
    (saved,) = ScenarioStore(deck_db).list_decks()
    assert deck_from_json(saved.deck_json).scenario_id == sid
    # reopened without ?scenario=: the deck's own scenario
    again = open_present({"dataset": "demo", "deck": saved.id, "slide": str(len(table_rows(at)))})
    assert title(again) == "Saved scenario: Prevention"
    # without any saved scenario: the default preset
    plain = open_present({"dataset": "demo", "edit": "1"})
    plain.selectbox(key="present_add_kind").set_value("fake_case").run()
    step(plain, "present_add")
    plain.query_params["slide"] = str(len(table_rows(plain)))
    plain.run()
    assert title(plain).startswith("Preset: ")
