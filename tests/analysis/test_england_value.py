"""England's own row in a bundle, the "vs England" map and the explained gaps (hand-made bundle)."""

from __future__ import annotations

import colorsys
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analysis.dictionary import gaps_table
from dashboard.analysis.map_values import map_values
from dashboard.analysis.profile import profile_table, trend_table
from dashboard.bundle import Bundle, BundleError, read_bundle, validate_bundle, write_bundle
from dashboard.bundle.schema import ENGLAND_CODE
from dashboard.charts.maps import map_chart, url_data
from tests.bundle.conftest import make_bundle

ENGLAND_ROW = {
    "code": ENGLAND_CODE,
    "name": "England",
    "kind": "country",
    "region_code": ENGLAND_CODE,
    "region_name": "England",
    "county_code": "",
}


def with_england(bundle: Bundle, values: dict[str, float], note: str = "") -> Bundle:
    """The tiny bundle with an England row carrying ``values`` (indicator -> 2024-25 value) and,
    optionally, a reason on the suppressed value of M1."""
    places = pd.concat([bundle.places, pd.DataFrame([ENGLAND_ROW])], ignore_index=True)
    eng = pd.DataFrame(
        {
            "place_code": ENGLAND_CODE,
            "indicator_id": list(values),
            "period": "2024-25",
            "value": list(values.values()),
        }
    )
    vals = pd.concat([bundle.values, eng], ignore_index=True)
    vals["note"] = ""
    if note:
        vals.loc[(vals.place_code == "M1") & (vals.indicator_id == "out_up"), "note"] = note
    return validate_bundle(replace(bundle, places=places, values=vals))


def _map(bundle: Bundle, ind: str = "out_up", level: str = "upper", **kw):
    args = dict(method="equal_interval", k=3, mode="compare", place="C1", group=[])
    args.update(kw)
    return map_values(bundle, level, ind, "2024-25", **args)


# --- the bundle contract ------------------------------------------------------------------------
def test_england_row_round_trips_and_is_never_compared(tmp_path: Path) -> None:
    b = with_england(make_bundle(), {"out_up": 52.0}, note="Missing: no return from M1")
    back = read_bundle(write_bundle(b, tmp_path / "b"))
    assert back.england_value("out_up", "2024-25") == 52.0
    assert back.england_value("need_both", "2024-25") is None
    assert ENGLAND_CODE not in back.place_codes("upper") + back.place_codes("lower")
    row = back.values[(back.values.place_code == "M1") & (back.values.indicator_id == "out_up")]
    assert row["note"].iloc[0] == "Missing: no return from M1"


def test_a_country_that_is_not_england_is_refused() -> None:
    b = make_bundle()
    places = pd.concat(
        [b.places, pd.DataFrame([{**ENGLAND_ROW, "code": "W92000004", "name": "Wales"}])],
        ignore_index=True,
    )
    with pytest.raises(BundleError, match="only England"):
        validate_bundle(replace(b, places=places))


def test_values_without_a_note_column_read_as_no_note() -> None:
    b = validate_bundle(make_bundle())
    assert (b.values["note"] == "").all()


# --- vs England on the map ----------------------------------------------------------------------
def test_compare_mode_measures_from_englands_value_where_published() -> None:
    b = with_england(make_bundle(), {"out_up": 52.0})
    mv = _map(b)
    assert mv.england == 52.0
    assert mv.legend_title.startswith("Difference from England")
    assert "+8.0" in mv.table.set_index("code").loc["U1", "tv"]  # 60 - 52, not 60 - 55
    assert "vs England" in mv.table.set_index("code").loc["U1", "tv"]
    assert any("England (published): 52.0" in line for line in mv.subtitle)


def test_compare_mode_says_median_of_councils_where_england_has_none() -> None:
    mv = _map(make_bundle())
    assert mv.england is None
    assert "median of councils" in mv.legend_title
    assert "vs median of councils" in mv.table.set_index("code").loc["U1", "tv"]
    assert any("No England value published" in line for line in mv.subtitle)


def _hue_saturation(colour: str) -> tuple[float, float]:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def _reddish_or_greenish(colour: str) -> bool:
    hue, sat = _hue_saturation(colour)
    return sat > 0.25 and (hue < 20 or hue > 340 or 75 < hue < 165)


def _spec_range(mv) -> list[str]:
    spec = map_chart(
        mv, url_data("app/static/a.geojson"), url_data("app/static/b.geojson"), hexes=False
    ).to_dict(validate=False)
    found: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "scale" in node and isinstance(node["scale"], dict) and "range" in node["scale"]:
                found.append(node["scale"]["range"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    colours = [c for r in found if isinstance(r, list) for c in r if str(c).startswith("#")]
    assert colours, json.dumps(spec)[:500]
    return colours


def test_neutral_vs_england_is_neither_red_nor_green_and_says_above_below() -> None:
    b = with_england(make_bundle(), {"need_both": 15.0})
    mv = _map(b, "need_both", "lower", k=5)
    assert mv.scheme.palette == "diverging_neutral"
    assert "above" in mv.scheme.note and "below England" in mv.scheme.note
    assert "better" not in mv.scheme.note.replace("no better or worse", "")
    colours = [c for c in _spec_range(mv) if c != "#bdbdbd"]
    assert colours and not any(_reddish_or_greenish(c) for c in colours), colours


def test_polar_vs_england_is_better_or_worse() -> None:
    b = with_england(make_bundle(), {"out_up": 52.0})
    mv = _map(b)
    assert mv.scheme.palette == "diverging"
    assert "better" in mv.scheme.note and "worse than England" in mv.scheme.note


def test_missing_value_shows_its_reason_in_tooltip_and_gaps() -> None:
    why = "Missing: no 2024-25 revenue outturn return from Metborough (M1)."
    b = with_england(make_bundle(), {"out_up": 52.0}, note=why)
    mv = _map(b, mode="values")
    assert mv.table.set_index("code").loc["M1", "tv"] == why
    assert mv.gaps == (("Metborough", why),)
    gaps = gaps_table(b, "upper")
    assert gaps[["place", "reason"]].values.tolist() == [["Metborough", why]]


def test_a_map_of_another_period_says_latest_available() -> None:
    mv = _map(make_bundle(), mode="values", chosen_period="2025-26")
    assert mv.subtitle[0].startswith("2024-25, latest available")
    assert "latest available" in mv.period_text
    same = _map(make_bundle(), mode="values", chosen_period="2024-25")
    assert "latest" not in same.subtitle[0]


# --- the England marker on profiles -------------------------------------------------------------
def test_profile_marker_is_englands_value_or_the_median_said_so() -> None:
    b = with_england(make_bundle(), {"out_up": 52.0})
    t = profile_table(b, "U1", "upper", ["C1", "M1"], "2024-25").set_index("indicator_id")
    assert t.loc["out_up", "england"] == 52.0 and t.loc["out_up", "england_basis"] == "England"
    assert t.loc["need_both", "england_basis"] == "median of councils"
    assert t.loc["need_both", "england"] == t.loc["need_both", "england_median"]
    tr = trend_table(b, "U1", "upper", ["C1"], "out_up")
    assert tr["england"].tolist() == [52.0]
