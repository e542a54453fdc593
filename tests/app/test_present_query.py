"""Story mode's link parameters as the app reads them first (view.read_query): a deck id, a
slide number and the edit switch are kept when well formed and left out, with a note, when
not."""

from __future__ import annotations

import pytest

from dashboard.view import read_query


@pytest.mark.parametrize(
    ("key", "value"),
    [("deck", "a1B2-c_3"), ("slide", "1"), ("slide", "12"), ("edit", "1")],
)
def test_a_well_formed_page_parameter_is_kept(key: str, value: str) -> None:
    params, notes = read_query({key: [value]})
    assert params == {key: value} and notes == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("deck", "bad id!"),
        ("deck", "<script>"),
        ("slide", "0"),
        ("slide", "-2"),
        ("slide", "3.5"),
        ("slide", "abc"),
        ("slide", "1234567"),
        ("edit", "yes"),
    ],
)
def test_a_malformed_page_parameter_is_left_out_with_a_note(key: str, value: str) -> None:
    params, notes = read_query({key: [value]})
    assert key not in params
    assert len(notes) == 1 and f"**{key}**" in notes[0]
    assert "<script>" not in notes[0], "the value is quoted escaped"
