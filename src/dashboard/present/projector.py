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


def _walk(node: Any, least: int, width: int, source: int) -> None:
    if isinstance(node, dict):
        if _is_source_line(node):
            _source_line(node, width, source)
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
    source line at ``attribution_font_px``; a single view (not a concatenation or facet) is
    given ``width`` x ``height`` px (default: the slide's chart size)."""
    s = present_settings()
    width = width or s.chart_width_px
    height = height or s.chart_height_px
    out = copy.deepcopy(spec)
    _walk(out, s.min_font_px, width, s.attribution_font_px)
    out["config"] = _merge(out.get("config", {}), projector_config(s.min_font_px))
    composed = any(k in out for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if not composed:
        out["width"] = width
        out["height"] = height
    return out
