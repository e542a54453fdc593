"""Ordinal indicators (Ofsted) on the map: grades in words, a categorical legend, the month of
the inspection in the tooltip, better / the same / worse than the middle grade in compare mode."""

from __future__ import annotations

import colorsys
import json
import re

import numpy as np
import pandas as pd
import pytest
import vl_convert

from dashboard import DATA_DIR
from dashboard.analysis.classify import NO_VALUE, map_settings
from dashboard.analysis.map_values import map_values
from dashboard.bundle import read_bundle
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.charts.maps import inline_data, map_chart
from dashboard.export.geometry import web_geometry

IND = "ofsted_ilacs_grade"
WORDS = {"Outstanding", "Good", "Requires improvement", "Inadequate"}


def _demo():
    return read_bundle(DATA_DIR / "demo")


def _map(bundle, mode: str, period: str, ind: str = IND):
    place = bundle.places_at("upper")["code"].iloc[0]
    return map_values(
        bundle, "upper", ind, period, method="quantiles", k=5, mode=mode, place=place, group=[]
    )


def _grades(bundle, period: str, ind: str = IND) -> pd.Series:
    v = bundle.values
    codes = bundle.place_codes("upper")
    rows = v[(v["indicator_id"] == ind) & (v["period"] == period) & v["place_code"].isin(codes)]
    return rows.set_index("place_code")["value"].astype(float)


def _lightness(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[1]


def test_values_legend_is_one_class_per_grade_in_words() -> None:
    bundle = _demo()
    mv = _map(bundle, "values", "2024-25")
    grades = _grades(bundle, "2024-25").dropna()
    labels = [re.sub(r" \(\d+\)$", "", d) for d in mv.domain if d != NO_VALUE]
    assert labels == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    counts = [int(re.search(r"\((\d+)\)$", d).group(1)) for d in mv.domain if d != NO_VALUE]
    assert counts == [int((grades == g).sum()) for g in (1, 2, 3, 4)]
    assert not any(re.search(r"\d\.\d", d) for d in mv.domain), "no numeric class like 2.0-3.0"
    assert mv.legend_title == ordinal_scale(IND).title
    # lower grade = better: Outstanding darkest, Inadequate lightest
    light = [_lightness(c) for c in mv.colours[:4]]
    assert light == sorted(light)
    t = mv.table.set_index("code")
    for code, grade in grades.items():
        words = ordinal_scale(IND).words(grade)
        assert t.loc[code, "tv"].startswith(words)
        assert t.loc[code, "c"] == int(grade) - 1
    assert (t["rk"] == 0).all() and mv.unranked == "grades are not ranked"


def test_tooltip_gives_the_inspection_month_from_the_note() -> None:
    bundle = _demo()
    mv = _map(bundle, "values", "2024-25")
    v = bundle.values
    notes = v[(v["indicator_id"] == IND) & (v["period"] == "2024-25")].set_index("place_code")
    t = mv.table.set_index("code")
    code = next(c for c in t.index if str(notes.loc[c, "note"]).startswith("inspected"))
    assert t.loc[code, "tv"].endswith(f" · {notes.loc[code, 'note']}")
    assert not re.search(r"\d\.\d", t.loc[code, "tv"])
    assert any("month of its inspection" in line for line in mv.subtitle)


def test_compare_classes_places_against_the_middle_grade() -> None:
    bundle = _demo()
    mv = _map(bundle, "compare", "2024-25")
    grades = _grades(bundle, "2024-25").dropna()
    middle = float(np.median(grades))
    assert middle == round(middle), "the demo's middle grade is one grade"
    word = ordinal_scale(IND).words(middle, short=True)
    assert [re.sub(r" \(\d+\)$", "", d) for d in mv.domain if d != NO_VALUE] == [
        f"Better than {word}",
        f"{word}: the middle grade",
        f"Worse than {word}",
    ]
    t = mv.table.set_index("code")
    for code, grade in grades.items():  # lower is better for Ofsted
        want = 0 if grade < middle else 1 if grade == middle else 2
        assert t.loc[code, "c"] == want
    assert mv.legend_title == f"Against the middle grade ({word})"
    assert any("middle grade of all upper-tier councils" in line for line in mv.subtitle)
    assert mv.colours[1] != map_settings().missing_colour
    # blue better, grey the same, orange worse
    better, same, worse = mv.colours[:3]
    assert int(better[5:7], 16) > int(better[1:3], 16)
    assert int(worse[1:3], 16) > int(worse[5:7], 16)
    assert _lightness(same) > max(_lightness(better), _lightness(worse))


def test_middle_between_two_grades_reads_or_better_or_worse() -> None:
    bundle = _demo()
    v = bundle.values.copy()
    codes = bundle.place_codes("upper")
    rows = v.index[(v["indicator_id"] == IND) & (v["period"] == "2024-25")]
    rows = [r for r in rows if v.at[r, "place_code"] in codes]
    half = len(rows) // 2
    v.loc[rows[:half], "value"] = 2.0
    v.loc[rows[half : 2 * half], "value"] = 3.0
    if len(rows) % 2:
        v.loc[rows[-1], "value"] = np.nan
    from dataclasses import replace

    mv = _map(replace(bundle, values=v), "compare", "2024-25")
    labels = [re.sub(r" \(\d+\)$", "", d) for d in mv.domain if d != NO_VALUE]
    assert labels == ["Good or better", "Requires improvement or worse"]


def test_rendered_tooltip_and_legend_say_the_grade_in_words() -> None:
    """Rendered by Vega itself: legend entries and tooltips are words, never '3.0'."""
    bundle = _demo()
    mv = _map(bundle, "values", "2024-25")
    geom = web_geometry(bundle, "upper")
    chart = map_chart(
        mv,
        inline_data(geom["hexes"]),
        inline_data(geom["hex_regions"]),
        hexes=True,
        width=300,
        height=200,
        unit_label="grade",
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    labels = re.findall(r'aria-label="([^"]*Place: [^"]*)"', svg)
    assert labels and all("Rank: grades are not ranked" in lab for lab in labels)
    values = [re.search(r"Value: ([^;]*);", lab).group(1) for lab in labels]
    assert all(any(val.startswith(w) for w in WORDS) for val in values), values[:3]
    assert "Outstanding (" in svg and not re.search(r">\d\.\d – \d\.\d", svg)


ENGLAND = DATA_DIR / "england"


@pytest.mark.england
@pytest.mark.skipif(
    not (ENGLAND / "bundle.yaml").exists(),
    reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
)
def test_england_ofsted_map_in_words_with_inspection_dates() -> None:
    bundle = read_bundle(ENGLAND)
    period = bundle.indicator_periods[IND][-1]
    mv = _map(bundle, "values", period)
    assert [re.sub(r" \(\d+\)$", "", d) for d in mv.domain if d != NO_VALUE] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    tips = mv.table["tv"]
    dated = tips[tips.str.contains(r" · inspected [A-Z][a-z]+ 20\d\d$")]
    assert len(dated) > 100, "most councils show the month of their inspection"
    assert not tips.str.contains(r"\d\.\d").any()
    compare = _map(bundle, "compare", period)
    assert "middle grade" in compare.legend_title and json.dumps(compare.domain).count("(") >= 3
