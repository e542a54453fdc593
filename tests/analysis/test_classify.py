"""Class breaks on hand-made data, colour schemes by polarity, labels and ranks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.analysis.classify import (
    METHODS,
    assign_classes,
    class_breaks,
    class_colours,
    class_labels,
    map_settings,
    ramp,
    ranks,
    scheme_for,
    with_zero_break,
)

ONE_TO_TWELVE = [float(v) for v in range(1, 13)]


def test_quantiles_split_into_equal_counts() -> None:
    breaks = class_breaks(ONE_TO_TWELVE, "quantiles", 4)
    assert breaks == pytest.approx([3.75, 6.5, 9.25, 12.0])
    counts = np.bincount(assign_classes(ONE_TO_TWELVE, breaks))
    assert counts.tolist() == [3, 3, 3, 3]


def test_equal_intervals_have_equal_widths() -> None:
    values = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0]
    breaks = class_breaks(values, "equal_interval", 5)
    assert breaks == pytest.approx([2.0, 4.0, 6.0, 8.0, 10.0])
    assert assign_classes(values, breaks).tolist() == [0, 0, 0, 1, 1, 2, 4]


def test_natural_breaks_find_the_obvious_clusters() -> None:
    values = [1.0, 1.2, 1.1, 0.9, 10.0, 10.5, 9.8, 30.0, 31.0, 29.5]
    breaks = class_breaks(values, "natural_breaks", 3)
    assert breaks == pytest.approx([1.2, 10.5, 31.0])
    assert assign_classes(values, breaks).tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]


@pytest.mark.parametrize("method", list(METHODS))
def test_every_value_in_one_class_and_missing_kept_apart(method: str) -> None:
    rng = np.random.default_rng(7)
    values = np.append(rng.lognormal(3, 1, 200), [np.nan, np.inf])
    breaks = class_breaks(values, method, 6)
    assert len(breaks) == 6 and breaks == sorted(breaks)
    assert breaks[-1] == pytest.approx(np.nanmax(values[np.isfinite(values)]))
    idx = assign_classes(values, breaks)
    assert idx[-2:].tolist() == [-1, -1], "missing and infinite values are in no class"
    assert (idx[:-2] >= 0).all()
    # each value is at most its class's upper bound and above the previous one
    for v, i in zip(values[:-2], idx[:-2], strict=True):
        assert v <= breaks[i] and (i == 0 or v > breaks[i - 1])


def test_few_distinct_values_give_fewer_classes() -> None:
    assert class_breaks([5.0, 5.0, 7.0, 7.0, 7.0], "quantiles", 5) == [5.0, 7.0]
    assert class_breaks([np.nan, np.nan], "quantiles", 5) == []
    with pytest.raises(ValueError, match="unknown classification"):
        class_breaks([1.0], "jenks-ish", 3)


def test_zero_break_added_only_inside_a_class() -> None:
    assert with_zero_break([-3.0, 2.0, 5.0]) == [-3.0, 0.0, 2.0, 5.0]
    assert with_zero_break([-3.0, 0.0, 5.0]) == [-3.0, 0.0, 5.0]
    assert with_zero_break([-3.0, -1.0]) == [-3.0, -1.0]


def test_polarity_picks_the_scheme() -> None:
    up = scheme_for("higher_is_better")
    assert (up.palette, up.reverse, up.diverging) == ("better", False, False)
    assert scheme_for("lower_is_better").palette == "better"
    assert scheme_for("lower_is_better").reverse is True
    assert scheme_for("neutral").palette == "neutral"
    assert scheme_for("higher_is_better", "compare").diverging
    assert scheme_for("higher_is_better", "compare").palette == "diverging"
    assert scheme_for("lower_is_better", "compare").reverse is True
    assert scheme_for("neutral", "compare").palette == "diverging_neutral"
    with pytest.raises(ValueError):
        scheme_for("sideways")


def _lightness(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_sequential_colours_darken_towards_better() -> None:
    breaks = [1.0, 2.0, 3.0, 4.0, 5.0]
    up = class_colours(breaks, 0.0, scheme_for("higher_is_better"))
    down = class_colours(breaks, 0.0, scheme_for("lower_is_better"))
    assert [_lightness(c) for c in up] == sorted((_lightness(c) for c in up), reverse=True)
    assert down == up[::-1], "lower is better: the darkest class is the lowest values"
    missing = map_settings().missing_colour
    assert missing not in up


def test_diverging_colours_centre_on_zero() -> None:
    s = map_settings()
    breaks = [-5.0, 0.0, 5.0, 10.0]  # two classes below zero, two above
    colours = class_colours(breaks, -10.0, scheme_for("higher_is_better", "compare"))
    better_end, worse_end = s.palettes["diverging"][-1], s.palettes["diverging"][0]
    assert colours[-1] == better_end, "highest class, higher is better: the blue end"
    assert colours[0] == worse_end
    flipped = class_colours(breaks, -10.0, scheme_for("lower_is_better", "compare"))
    assert flipped[0] == better_end and flipped[-1] == worse_end
    assert colours[1] == ramp(s.palettes["diverging"], 0.25)
    assert colours[2] == ramp(s.palettes["diverging"], 0.75), "first step either side: equal"


def test_an_outlier_class_does_not_wash_out_the_others() -> None:
    s = map_settings()
    breaks = [-2.0, 0.0, 2.0, 5000.0]
    colours = class_colours(breaks, -4.0, scheme_for("neutral", "compare"))
    ramp_ = s.palettes["diverging_neutral"]
    assert colours == [ramp(ramp_, t) for t in (0.0, 0.25, 0.75, 1.0)]


def test_ramp_ends_and_middle() -> None:
    assert ramp(["#000000", "#ffffff"], 0) == "#000000"
    assert ramp(["#000000", "#ffffff"], 1) == "#ffffff"
    assert ramp(["#000000", "#ffffff"], 0.5) == "#808080"


def test_labels_carry_ranges_and_counts() -> None:
    labels = class_labels([10.0, 20.0], 5.0, "percent", [3, 4])
    assert labels == ["5.0 – 10.0 (3)", "10.0 – 20.0 (4)"]
    signed = class_labels([0.0, 2.5], -1.5, "percent", [1, 2], signed=True)
    assert signed == ["−1.5 – 0.0 (1)", "0.0 – +2.5 (2)"]
    narrow = class_labels([0.4, 0.8, 1.6], 0.1, "gbp_per_head", [1, 1, 1])
    assert narrow == ["0.1 – 0.4 (1)", "0.4 – 0.8 (1)", "0.8 – 1.6 (1)"], (
        "more decimals when needed"
    )
    assert class_labels([1500.0, 2500.0], 900.0, "gbp_per_head", [1, 1])[0] == "900 – 1,500 (1)"


def test_ranks_follow_polarity_and_share_ties() -> None:
    values = [3.0, 1.0, math.nan, 3.0, 2.0]
    assert ranks(values, "higher_is_better").tolist() == [1, 4, 0, 1, 3]
    assert ranks(values, "lower_is_better").tolist() == [3, 1, 0, 3, 2]


def test_settings_are_in_range() -> None:
    s = map_settings()
    assert s.classes_min <= s.classes <= s.classes_max
    assert s.default_method in METHODS
    assert {"better", "neutral", "diverging", "diverging_neutral"} <= set(s.palettes)
