"""Colour is never the only carrier of meaning: the spine keys its quintile shades in words, and
the maps' "vs England" scale for indicators with no better direction uses no green or red."""

from __future__ import annotations

import colorsys
import json

from dashboard.analysis.classify import class_colours, map_settings, scheme_for
from dashboard.analysis.map_values import map_values
from dashboard.analysis.profile import profile_table, spine_rows
from dashboard.charts.profile import QUINTILE_KEY, spine_chart
from dashboard.charts.theme import QUINTILES
from tests.analysis.test_profile import profile_bundle
from tests.bundle.conftest import make_bundle

GROUP = ["U1", "U2", "U3", "U4", "U5"]


def _walk(node: object):  # noqa: ANN202
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def hue_family(colour: str) -> str:
    """'green', 'red' or 'other' for a #rrggbb colour (greys and near-whites are 'other')."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    deg = h * 360
    if sat < 0.2 or light > 0.93:  # a grey or almost white: no hue to read
        return "other"
    if 65 <= deg <= 190:  # yellow-green to blue-green (teal reads as green)
        return "green"
    if deg <= 15 or deg >= 340:
        return "red"
    return "other"


def test_hue_family_tells_green_and_red_from_blue_orange_brown_and_purple() -> None:
    # the teal arm of ColorBrewer BrBG (the scale this test replaced) reads as green
    assert hue_family("#01665e") == "green" and hue_family("#35978f") == "green"
    assert hue_family("#1a9850") == "green" and hue_family("#4dac26") == "green"
    assert hue_family("#d73027") == "red" and hue_family("#b2182b") == "red"
    for c in ("#0072B2", "#E69F00", "#8c510a", "#54278f", "#f5f5f5"):
        assert hue_family(c) == "other", c


def test_spine_has_no_legend_of_quintile_shades_and_keys_them_in_words() -> None:
    t = profile_table(profile_bundle(), "U0", "upper", GROUP, "2024-25", "picked (5)")
    spec = spine_chart(spine_rows(t, True), "Place U0", "picked (5)", "England", "a").to_dict()
    shaded = [
        enc[ch]
        for node in _walk(spec)
        if isinstance(enc := node.get("encoding"), dict)
        for ch in ("fill", "color")
        if isinstance(enc.get(ch), dict) and enc[ch].get("field") == "shade"
    ]
    assert shaded, "the quintile squares are still shaded"
    assert all(e.get("legend") is None for e in shaded), "no legend of five purples"
    legends = [n for n in _walk(spec) if "legend" in n and isinstance(n["legend"], dict)]
    for enc in legends:
        rng = enc.get("scale", {}).get("range", [])
        assert not set(QUINTILES) & set(rng), "no legend lists the quintile shades"
    subtitle = json.dumps(spec["title"]["subtitle"])
    assert QUINTILE_KEY in json.loads(f"[{subtitle}]")[0] and "quintile" in QUINTILE_KEY


def test_vs_england_scale_for_neutral_indicators_has_no_green_or_red() -> None:
    s = map_settings()
    scheme = scheme_for("neutral", "compare")
    ramp = s.palettes[scheme.palette]
    assert [c for c in ramp if hue_family(c) != "other"] == [], ramp
    assert "green" not in scheme.note and "red" not in scheme.note
    # the classes a real map draws, either side of zero
    colours = class_colours([-2.0, 0.0, 2.0, 4.0], -4.0, scheme)
    assert all(hue_family(c) == "other" for c in colours), colours


def test_vs_england_map_of_a_bundle_uses_the_neutral_scale() -> None:
    bundle = make_bundle()
    neutral = bundle.indicators[bundle.indicators["polarity"] == "neutral"]["id"].iloc[0]
    period = str(bundle.values[bundle.values["indicator_id"] == neutral]["period"].iloc[0])
    mv = map_values(
        bundle,
        "upper",
        neutral,
        period,
        method="quantiles",
        k=5,
        mode="compare",
        place="C1",
        group=[],
    )
    assert mv.scheme.palette == "diverging_neutral"
    assert all(hue_family(c) == "other" for c in mv.colours), mv.colours
