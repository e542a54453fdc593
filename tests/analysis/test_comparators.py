"""Official comparator sets beside ours: the overlap of two lists, the comparison group that
follows a set (URL, members, a place the set does not list), on the demo's fictional set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard import DATA_DIR
from dashboard.analysis.comparators import overlap, overlap_by_place, overlap_summary
from dashboard.analysis.peers import build_peer_model, peer_spec
from dashboard.bundle import read_bundle
from dashboard.view import (
    GROUPS,
    View,
    group_codes,
    group_label,
    group_note,
    group_options,
    needs_peers,
    read_query,
    resolve_view,
)

SET = "demo_fictional"


@pytest.fixture(scope="module")
def demo():
    return read_bundle(DATA_DIR / "demo")


def test_overlap_counts_places_in_both_lists_in_any_order() -> None:
    ov = overlap(["A", "B", "C", "D"], ["D", "X", "B"])
    assert ov.common == ("B", "D") and ov.only_ours == ("A", "C") and ov.only_theirs == ("X",)
    assert ov.share_of_ours == 0.5
    assert overlap([], ["A"]).share_of_ours == 0.0


def test_the_demo_set_is_offered_at_both_tiers_after_ours(demo) -> None:
    for level in ("upper", "lower"):
        options = group_options(demo, level)
        ids = list(options)
        assert ids[:2] == ["peers", SET]
        assert set(GROUPS) <= set(ids)
        assert "Fictional" in options[SET]


def test_url_round_trip_and_members_follow_the_set(demo) -> None:
    params, notes = read_query({"dataset": ["demo"], "group": [SET], "level": ["lower"]})
    view, more = resolve_view(params, {"demo": demo}, "demo")
    assert notes == more == [] and view.group == SET
    again, _ = resolve_view(view.to_query(), {"demo": demo}, "demo")
    assert again == view
    members = group_codes(demo, view)
    size = demo.neighbour_set(SET)["size"]
    assert members == demo.official_neighbours(SET, "lower", view.place)
    assert len(members) == size and view.place not in members
    ours = group_codes(demo, replace(view, group="peers"))
    assert len(ours) == peer_spec("lower").n_peers and ours != members
    assert group_label(demo, view).endswith(f"({size})")
    assert "Fictional Statistics Office neighbours" in group_label(demo, view)
    assert group_note(demo, view) is None and not needs_peers(demo, view)


def test_an_unknown_set_in_the_url_falls_back_with_a_note(demo) -> None:
    view, notes = resolve_view({"group": "ons_2025"}, {"demo": demo}, "demo")
    assert view.group == "peers"
    assert len(notes) == 1 and "'ons\\_2025'" in notes[0] and "showing" in notes[0]


def test_a_set_for_one_tier_only_falls_back_at_the_other(demo) -> None:
    meta = dict(demo.meta)
    meta["neighbour_sets"] = [{**demo.neighbour_set(SET), "levels": ["upper"]}]
    upper_only = replace(
        demo, meta=meta, neighbours=demo.neighbours[demo.neighbours["level"] == "upper"]
    )
    view, notes = resolve_view({"group": SET, "level": "lower"}, {"d": upper_only}, "d")
    assert view.group == "peers" and "covers only the upper tier" in notes[0]
    assert SET not in group_options(upper_only, "lower")


def test_a_place_the_set_does_not_list_falls_back_to_our_neighbours(demo) -> None:
    view = View("demo", "upper", demo.default_place("upper"), SET, demo.periods[-1])
    nb = demo.neighbours
    missing = replace(demo, neighbours=nb[nb["place_code"] != view.place])
    assert needs_peers(missing, view)
    model = build_peer_model(missing, "upper", view.period)
    assert group_codes(missing, view) == model.peers_of(view.place)
    note = group_note(missing, view)
    assert note and "do not list" in note and "statistical nearest neighbours" in note
    assert "as the Fictional Statistics Office neighbours" in group_label(missing, view)


def test_overlap_across_places_is_counted_per_place(demo) -> None:
    model = build_peer_model(demo, "upper", demo.periods[-1])
    t = overlap_by_place(demo, SET, "upper", model)
    assert len(t) == len(demo.place_codes("upper"))
    code = t["place_code"].iloc[0]
    expected = len(set(model.peers_of(code)) & set(demo.official_neighbours(SET, "upper", code)))
    assert t["common"].iloc[0] == expected
    s = overlap_summary(demo, {"upper": model, "lower": None})
    assert s["level"].tolist() == ["upper"]
    assert s["median_common"].iloc[0] == t["common"].median()
    assert s["theirs_size"].iloc[0] == demo.neighbour_set(SET)["size"]
