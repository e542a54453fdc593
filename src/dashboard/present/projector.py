"""A chart made readable from the back of a room: every text at least the projector's type
size (present.yaml ``slide.min_font_px``), the source line a footnote
(``slide.attribution_font_px``) rewrapped to the chart, and a single chart stretched to the
slide's size.

Pure code on Vega-Lite specs (dicts); the chart builders are not changed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from dashboard.charts.theme import _wrap
from dashboard.present.settings import present_settings

#: Keys of a spec or config that are text sizes (px).
FONT_KEYS = frozenset(
    {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "lineHeight"}
)
#: About how wide a character of the theme's font is, as a share of its size.
CHAR_WIDTH = 0.55
#: A line of text is about this many times its type size tall.
LINE = 1.35
#: An x axis (labels and title) is about this many type sizes tall.
AXIS_LINES = 3.4
#: A plot keeps at least this share of the chart box's height, however much text is around it.
LEAST_PLOT = 0.35


#: The source the slide's own footer states (the bundle's attribution) while a slide is built:
#: a chart's source line repeats it under the picture, so it is left out there (a line naming
#: the chart's own sources, or a map's outline key, stays).
FOOTER_SOURCE: ContextVar[str] = ContextVar("footer_source", default="")


@contextmanager
def footer_source(text: str) -> Iterator[None]:
    """While building a slide whose footer states ``text``: charts leave it out of their own
    source line."""
    token = FOOTER_SOURCE.set(text)
    try:
        yield
    finally:
        FOOTER_SOURCE.reset(token)


def _without_footer_source(spec: dict[str, Any], footer: str) -> dict[str, Any]:
    """``spec`` with ``footer`` taken out of its source line; a source line left empty goes,
    and a chart left alone in its column becomes the spec itself (so it is sized as one)."""
    parts = spec.get("vconcat")
    if not footer or not isinstance(parts, list) or not parts or not _is_source_line(parts[-1]):
        return spec
    line = parts[-1]
    text = " ".join(str(s) for s in line["encoding"]["text"]["value"])
    if footer not in text:
        return spec
    rest = " ".join(text.replace(footer, " ").split())
    if rest:
        line["encoding"]["text"]["value"] = [rest]
        return spec
    kept = parts[:-1]
    if len(kept) != 1:
        spec["vconcat"] = kept
        return spec
    outer = {k: v for k, v in spec.items() if k not in ("vconcat", "spacing")}
    return {**outer, **kept[0]}


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


def _wrap_lines(text: object, chars: int) -> object:
    """Each line of a title or subtitle (text or a list of lines) wrapped to ``chars``
    characters, the author's line breaks kept."""
    if isinstance(text, str):
        return text if len(text) <= chars else _wrap(text, chars)
    if isinstance(text, list):
        out: list[str] = []
        for line in text:
            line = str(line)
            out += [line] if len(line) <= chars else _wrap(line, chars)
        return out
    return text


def _wrap_title(node: dict[str, Any], width: int, least: int) -> None:
    """A view's title and subtitle wrapped to ``width`` at the projector's type sizes."""
    title = node.get("title")
    big = round(least * 1.2)
    if isinstance(title, str | list):
        node["title"] = _wrap_lines(title, int(width / (big * CHAR_WIDTH)))
    elif isinstance(title, dict):
        title["text"] = _wrap_lines(title.get("text", ""), int(width / (big * CHAR_WIDTH)))
        if "subtitle" in title:
            title["subtitle"] = _wrap_lines(title["subtitle"], int(width / (least * CHAR_WIDTH)))


def _title_height(node: dict[str, Any], least: int) -> int:
    """About how tall a view's title and subtitle are at the projector's type size (px)."""
    title = node.get("title")
    line, big = round(least * LINE), round(least * 1.2 * LINE)
    if isinstance(title, dict):
        return big * _lines(title.get("text")) + line * _lines(title.get("subtitle"))
    return big * _lines(title)


#: Encoding channels that draw a legend.
LEGEND_CHANNELS = ("color", "fill", "stroke", "size", "shape", "opacity", "strokeDash")


def _legend_rows(node: Any, default: str = "right") -> int:
    """How many rows of legends sit above or below the plot: one for each of top and bottom
    where a channel draws a legend (its own orient, else the config's ``default``)."""
    sides: set[str] = set()

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            enc = n.get("encoding")
            if isinstance(enc, dict):
                for ch in LEGEND_CHANNELS:
                    e = enc.get(ch)
                    if not isinstance(e, dict) or "field" not in e or e.get("legend", {}) is None:
                        continue
                    orient = (e.get("legend") or {}).get("orient", default)
                    if orient in ("top", "bottom"):
                        sides.add(orient)
            for k, v in n.items():
                if k not in ("config", "encoding"):
                    walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(node)
    return len(sides)


def _is_map(node: Any) -> bool:
    """True when a chart draws shapes (a geoshape mark): it has no axes."""
    if isinstance(node, dict):
        mark = node.get("mark")
        if mark == "geoshape" or (isinstance(mark, dict) and mark.get("type") == "geoshape"):
            return True
        return any(_is_map(v) for k, v in node.items() if k in ("layer", "spec", "hconcat"))
    if isinstance(node, list):
        return any(_is_map(v) for v in node)
    return False


def _is_single(node: dict[str, Any]) -> bool:
    return not any(k in node for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))


def overhead_px(spec: dict[str, Any], least: int) -> int:
    """About how much of a chart's height is not its plot, at the projector's type sizes: the
    titles (the spec's and its first view's), legends above or below, an x axis, and the
    source line under it with the spacing (px)."""
    parts = spec.get("vconcat") or [spec]
    chart = parts[0]
    used = _title_height(spec, least) + (_title_height(chart, least) if chart is not spec else 0)
    default = spec.get("config", {}).get("legend", {}).get("orient", "right")
    used += _legend_rows(chart, default) * round(least * LINE * 2)
    if not _is_map(chart):  # a map has no x axis under it
        used += round(least * AXIS_LINES)
    if len(parts) > 1 and _is_source_line(parts[-1]):
        used += int(parts[-1].get("height", 0)) + int(spec.get("spacing", 0) or 0)
    return used


def _wrap_y_titles(node: Any, height: int, least: int) -> None:
    """Every y axis title of a view (its layers too) wrapped to lines no longer than the plot
    is tall: a rotated title longer than its plot makes the chart taller than the plot."""
    if isinstance(node, dict):
        enc = node.get("encoding")
        y = enc.get("y") if isinstance(enc, dict) else None
        if isinstance(y, dict):
            chars = max(12, int(height / (least * CHAR_WIDTH)))
            if isinstance(y.get("title"), str):
                y["title"] = _wrap_lines(y["title"], chars)
            axis = y.get("axis")
            if isinstance(axis, dict) and isinstance(axis.get("title"), str):
                axis["title"] = _wrap_lines(axis["title"], chars)
        for key in ("layer", "spec"):
            for part in node.get(key, []) if key == "layer" else [node.get(key)]:
                _wrap_y_titles(part, height, least)


def _fit_attributed(node: dict[str, Any], least: int, width: int, height: int, source: int) -> None:
    """A chart with its source line under it (charts.theme.attribute): the source wrapped to
    the chart's own width (not the slide's), and a single chart's plot given the height the
    slide's chart box leaves under its titles and above its axis and source line."""
    parts = node["vconcat"]
    chart, line = parts[0], parts[-1]
    own = chart.get("width") if isinstance(chart.get("width"), int | float) else width
    # as wide as the chart with its y axis (about five type sizes); a chart wider than half the
    # box has its legend or labels beside it too, so its source runs to the box's edge (it
    # starts where the plot does, after the y axis)
    axis = 5 * least
    wide = own + axis
    _source_line(line, int(width - axis if wide > width / 2 else wide), source)
    _wrap_title(node, width, least)
    _wrap_title(chart, width, least)
    if len(parts) == 2 and _is_single(chart):
        chart["height"] = max(round(height * LEAST_PLOT), height - overhead_px(node, least))
        _wrap_y_titles(chart, chart["height"], least)
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
            height = 0
        for key, value in node.items():
            if key in FONT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
                floor = round(least * 1.2) if key == "lineHeight" else least
                node[key] = max(value, floor)
            elif (
                key == "vconcat"
                and isinstance(value, list)
                and value
                and _is_source_line(value[-1])
            ):
                for part in value[:-1]:
                    _walk(part, least, width, source)
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
    out = _without_footer_source(copy.deepcopy(spec), FOOTER_SOURCE.get())
    _walk(out, s.min_font_px, width, s.attribution_font_px, height)
    out["config"] = _merge(out.get("config", {}), projector_config(s.min_font_px))
    # the plot is width x height and its titles, axes and legends come on top, in the browser
    # as in vl-convert (Streamlit otherwise fits a single view's whole chart into that size)
    out["autosize"] = {"type": "pad"}
    composed = any(k in out for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if not composed:
        _wrap_title(out, width, s.min_font_px)
        own = out.get("width")
        # a plot built to leave room for its axis and legend keeps its width; others fill the box
        if not isinstance(own, int | float) or isinstance(own, bool) or own > width:
            out["width"] = width
        out["height"] = max(round(height * LEAST_PLOT), height - overhead_px(out, s.min_font_px))
    return out


def plot_height(spec: dict[str, Any], height: int | None = None) -> int:
    """The plot height (px) :func:`projector_spec` gives ``spec``'s chart in a box ``height``
    px tall (default: the slide's): for a builder that places marks by its own height, to
    build the chart again at that height."""
    s = present_settings()
    height = height or s.chart_height_px
    fitted = projector_spec(spec, height=height)
    parts = fitted.get("vconcat") or [fitted]
    h = parts[0].get("height")
    return int(h) if isinstance(h, int | float) else height
