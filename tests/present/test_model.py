"""Decks as saved: JSON round trip, and refusals that say where (limits.yaml ``deck``)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.bundle.limits import input_limit
from dashboard.present.model import Deck, DeckError, SlideRef, deck_from_json, deck_to_json

KINDS = frozenset({"title", "glance", "map"})
text = st.text(max_size=50)


#: A setting's name as slides use them (a blank name is refused, and tested below).
setting_name = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    notes=st.lists(text, min_size=1, max_size=6),
    params=st.dictionaries(setting_name, text, max_size=3),
)
def test_any_deck_within_the_limits_round_trips(notes: list[str], params: dict) -> None:
    deck = Deck(
        view={"dataset": "demo", "place": "E1"},
        slides=tuple(SlideRef("map", params, n) for n in notes),
        scenario_id="abc123",
    )
    assert deck_from_json(deck_to_json(deck), KINDS) == deck


def _raw(**changes: object) -> str:
    base = {
        "version": 1,
        "view": {"dataset": "demo"},
        "scenario_id": "",
        "slides": [{"kind": "title", "params": {}, "note": ""}],
    }
    base.update(changes)
    return json.dumps(base)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("not json", "deck", "not JSON"),
        ("[1, 2]", "deck", "not a JSON object"),
        (_raw(version=7), "deck", "version"),
        (_raw(slides=[]), "deck", "no slides"),
        (_raw(slides=[{"kind": "pie"}]), "slide 1", "not a kind of slide"),
        (_raw(slides=[{"kind": "title"}, {"kind": 3.5, "note": ""}]), "slide 2, kind", "not text"),
        (_raw(slides=[{"kind": "title", "note": ["a"]}]), "slide 1, note", "not text"),
        (_raw(slides=[{"kind": "title", "params": []}]), "slide 1, settings", "not an object"),
        (_raw(view=[]), "view", "not an object"),
    ],
)
def test_a_broken_deck_is_refused_saying_where(text: str, where: str, words: str) -> None:
    with pytest.raises(DeckError) as err:
        deck_from_json(text, KINDS)
    assert err.value.where == where
    assert words in str(err.value)


def test_limits_come_from_limits_yaml() -> None:
    most = input_limit("deck", "max_slides")
    too_many = _raw(slides=[{"kind": "title"}] * (most + 1))
    with pytest.raises(DeckError, match=f"at most {most}"):
        deck_from_json(too_many, KINDS)
    long_note = "x" * (input_limit("deck", "note_max_chars") + 1)
    with pytest.raises(DeckError) as err:
        deck_from_json(_raw(slides=[{"kind": "title", "note": long_note}]), KINDS)
    assert err.value.where == "slide 1, note"
