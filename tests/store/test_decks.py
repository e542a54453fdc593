"""Saved decks (story mode): save, get, list and refusals, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from dashboard.present.model import Deck, SlideRef, deck_from_json, deck_to_json
from dashboard.store import ScenarioStore, StoreError


def _deck(note: str = "") -> str:
    return deck_to_json(
        Deck(
            view={"dataset": "demo", "place": "P1", "level": "upper"},
            slides=(SlideRef("title"), SlideRef("glance", note=note)),
        )
    )


def test_a_saved_deck_reopens_with_its_slides_and_notes(store: ScenarioStore) -> None:
    text = _deck("Say: *this* is <b>not</b> markup")
    did = store.save_deck("Board, March", "P1", "demo", "Ana", text)
    got = store.get_deck(did)
    assert got is not None and (got.name, got.place_code, got.dataset, got.author) == (
        "Board, March",
        "P1",
        "demo",
        "Ana",
    )
    deck = deck_from_json(got.deck_json)
    assert [s.kind for s in deck.slides] == ["title", "glance"]
    assert deck.slides[1].note == "Say: *this* is <b>not</b> markup"
    assert store.get(did) is None, "a deck id is not a scenario id"


def test_decks_list_by_place_newest_first(store: ScenarioStore) -> None:
    a = store.save_deck("A", "P1", "demo", "x", _deck())
    b = store.save_deck("B", "P2", "demo", "x", _deck())
    c = store.save_deck("C", "P1", "demo", "x", _deck())
    assert [d.id for d in store.list_decks(dataset="demo", place_code="P1")] == [c, a]
    assert {d.id for d in store.list_decks()} == {a, b, c}
    assert store.get_deck("nope") is None and store.get_deck("") is None


@pytest.mark.parametrize(
    ("field", "args"),
    [
        ("name", ("", "P1", "demo", "x", "{}")),
        ("author", ("A", "P1", "demo", " ", "{}")),
        ("deck_json", ("A", "P1", "demo", "x", "  ")),
        ("name", ("A" * 500, "P1", "demo", "x", "{}")),
    ],
)
def test_a_deck_with_a_missing_or_long_field_is_refused(
    store: ScenarioStore, field: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(StoreError) as err:
        store.save_deck(*args)
    assert err.value.field == field
    assert store.list_decks() == []
