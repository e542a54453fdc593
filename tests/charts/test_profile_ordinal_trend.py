"""A trend of an ordinal indicator (Ofsted, demo bundle): grades in words on the axis and in
the tooltips, the best grade at the top; never '3' or '3.0'."""

from __future__ import annotations

import re

import vl_convert

from dashboard import DATA_DIR
from dashboard.analysis.profile import trend_table
from dashboard.bundle import read_bundle
from dashboard.charts.profile import trend_chart

IND = "ofsted_ilacs_grade"


def _svg() -> str:
    bundle = read_bundle(DATA_DIR / "demo")
    codes = bundle.place_codes("upper")
    trend = trend_table(bundle, codes[0], "upper", list(codes[1:16]), IND)
    assert len(trend) >= 2
    chart = trend_chart(
        trend,
        "Ofsted ILACS overall effectiveness",
        "ordinal",
        "Place",
        "15 places",
        "England",
        "attribution",
        indicator_id=IND,
        polarity="lower_is_better",
    )
    return vl_convert.vegalite_to_svg(chart.to_dict())


def test_trend_tooltips_and_axis_read_grades_in_words() -> None:
    svg = _svg()
    tips = re.findall(r"Value: ([^;\"]*)", svg)
    assert tips
    words = ("Outstanding", "Good", "Requires improvement", "Inadequate")
    assert all(t.startswith(words) for t in tips), tips[:5]
    ticks = re.findall(r'role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    text = " ".join(re.findall(r">([^<>]+)</text>", " ".join(ticks)))
    for w in words:
        assert w in text
    # the best grade (Outstanding) is drawn above the worst (Inadequate)
    ys = {
        w: float(m.group(1))
        for w in ("Outstanding", "Inadequate")
        if (m := re.search(rf'translate\([\d.\-]+,([\d.\-]+)\)"[^>]*>{w}</text>', svg))
    }
    assert len(ys) == 2 and ys["Outstanding"] < ys["Inadequate"]


def test_numeric_trend_is_unchanged_without_an_indicator_id() -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    codes = bundle.place_codes("upper")
    trend = trend_table(bundle, codes[0], "upper", list(codes[1:16]), "spend_total_per_head")
    chart = trend_chart(trend, "Total spend", "gbp_per_head", "Place", "g", "England", "a")
    assert "£" in vl_convert.vegalite_to_svg(chart.to_dict())
