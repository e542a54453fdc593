"""A chart made readable from the back of a room: every text at least the projector's type
size (present.yaml ``slide.min_font_px``), the source line a footnote
(``slide.attribution_font_px``) rewrapped to the chart, and a single chart stretched to the
slide's size.

Pure code on Vega-Lite specs (dicts); the chart builders are not changed.
"""

from __future__ import annotations

import copy
from typing import Any

from dashboard.charts.theme import _wrap
from dashboard.present.settings import present_settings

#: Keys of a spec or config that are text sizes (px).
FONT_KEYS = frozenset(
    {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "lineHeight"}
)
#: About how wide a character of the theme's font is, as a share of its size.
CHAR_WIDTH = 0.55


def _is_source_line(node: dict[str, Any]) -> bool:
    """The text row that charts.theme.attribute adds under a chart (lines of text, width 1)."""
    mark = node.get("mark")
    text = node.get("encoding", {}).get("text", {})
    return (
        isinstance(mark, dict)
        and mark.get("type") == "text"
        and node.get("width") == 1
        and isinstance(text.get("value"), list)
    )


def _source_line(node: dict[str, Any], width: int, size: int) -> None:
    lines = " ".join(str(s) for s in node["encoding"]["text"]["value"])
    chars = max(40, int(width / (size * CHAR_WIDTH)))
    wrapped = [lines] if len(lines) <= chars else _wrap(lines, chars)
    node["encoding"]["text"]["value"] = wrapped
    node["mark"]["fontSize"] = size
    node["mark"]["lineHeight"] = round(size * 1.3)
    node["height"] = round(size * 1.3) * len(wrapped)


def _lines(text: object) -> int:
    if isinstance(text, list):
        return len(text)
    return 1 if text else 0


def _title_height(node: dict[str, Any], least: int) -> int:
    """About how tall a view's title and subtitle are at the projector's type size (px)."""
    title = node.get("title")
    if isinstance(title, dict):
        return round(least * 1.2 * 1.25) * _lines(title.get("text")) + round(least * 1.25) * _lines(
            title.get("subtitle")
        )
    return round(least * 1.2 * 1.25) * _lines(title)


def _is_single(node: dict[str, Any]) -> bool:
    return not any(k in node for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))


def _fit_attributed(node: dict[str, Any], least: int, width: int, height: int, source: int) -> None:
    """A chart with its source line under it (charts.theme.attribute): the source wrapped to
    the chart's own width (not the slide's), and a single chart's plot given the height the
    slide's chart box leaves under its title and above its axis and source line."""
    parts = node["vconcat"]
    chart, line = parts[0], parts[-1]
    own = chart.get("width") if isinstance(chart.get("width"), int | float) else width
    _source_line(line, int(min(own, width)), source)
    if len(parts) == 2 and _is_single(chart):
        spacing = int(node.get("spacing", 0) or 0)
        axis = round(least * 2.5)
        left = height - line["height"] - spacing - axis - _title_height(chart, least)
        chart["height"] = max(round(height / 3), left)
        if not isinstance(chart.get("width"), int | float) or chart["width"] > width:
            chart["width"] = width


def _walk(node: Any, least: int, width: int, source: int, height: int = 0) -> None:
    if isinstance(node, dict):
        if _is_source_line(node):
            _source_line(node, width, source)
            return
        parts = node.get("vconcat")
        if height and isinstance(parts, list) and parts and _is_source_line(parts[-1]):
            _fit_attributed(node, least, width, height, source)
            for part in parts[:-1]:
                _walk(part, least, width, source)
            for key, value in node.items():
                if key != "vconcat":
                    _walk({key: value}, least, width, source)
            return
        for key, value in node.items():
            if key in FONT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
                floor = round(least * 1.2) if key == "lineHeight" else least
                node[key] = max(value, floor)
            else:
                _walk(value, least, width, source)
    elif isinstance(node, list):
        for item in node:
            _walk(item, least, width, source)


def projector_config(least: int) -> dict[str, Any]:
    """Vega-Lite config: axes, legends, headers, titles and text marks at ``least`` px or more."""
    return {
        "axis": {"labelFontSize": least, "titleFontSize": least},
        "legend": {"labelFontSize": least, "titleFontSize": least, "symbolSize": 200},
        "header": {"labelFontSize": least, "titleFontSize": least},
        "title": {"fontSize": round(least * 1.2), "subtitleFontSize": least},
        "text": {"fontSize": least},
        "mark": {"fontSize": least},
    }


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(out.get(key), int | float) and isinstance(value, int | float):
            out[key] = max(out[key], value)
        else:
            out[key] = value
    return out


def projector_spec(
    spec: dict[str, Any], *, width: int | None = None, height: int | None = None
) -> dict[str, Any]:
    """A copy of ``spec`` for a slide: text at least present.yaml's ``min_font_px``, the
    source line at ``attribution_font_px``, wrapped to the chart's width; a single view (not a
    concatenation or facet) is given ``width`` x ``height`` px (default: the slide's chart
    size), and a single view above its source line the height left for its plot."""
    s = present_settings()
    width = width or s.chart_width_px
    height = height or s.chart_height_px
    out = copy.deepcopy(spec)
    _walk(out, s.min_font_px, width, s.attribution_font_px, height)
    out["config"] = _merge(out.get("config", {}), projector_config(s.min_font_px))
    composed = any(k in out for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if not composed:
        out["width"] = width
        out["height"] = height
    return out
