"""A chart's data as a readable table, and a chart ready to leave the app as a file.

The table is the accessible twin of a chart: the rows the chart draws, with the titles its axes
and tooltips give each field as headers, numbers rounded as the chart's tooltips round them,
and no internal ids (place codes, indicator ids). The export spec is the chart with its
subtitle (place, period, comparison, method) and the attribution inside the image.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

import altair as alt
import pandas as pd

#: Encoding channels in the order their fields become columns (tooltips first: they are
#: written for a reader).
_CHANNELS = (
    "tooltip",
    "y",
    "x",
    "row",
    "facet",
    "column",
    "color",
    "fill",
    "shape",
    "size",
    "text",
    "detail",
    "x2",
    "y2",
    "theta",
)
#: A field that names a thing by code, not by words (never a column of the table).
_ID_FIELD = re.compile(r"(^|_)(code|codes|id|ids|key|slot|order|idx|index)$", re.IGNORECASE)
_D3_FIXED = re.compile(r"\.(\d+)[f%]")
_COMPOSITE = ("layer", "vconcat", "hconcat", "concat")
_AGGREGATES = ("sum", "mean", "median", "min", "max", "count")
#: Words of a text that tell whether a chart carries it already.
ATTRIBUTION_WORDS = 6
#: Characters a line of an added attribution is wrapped to (about 6 px a character).
WRAP_CHARS = 120


def _records_of(df: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", date_format="iso"))


def _inline(node: Any) -> Any:
    """A spec with every DataFrame (Streamlit accepts them as datasets) as JSON records."""
    if isinstance(node, pd.DataFrame):
        return _records_of(node)
    if isinstance(node, dict):
        return {k: _inline(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v) for v in node]
    return node


def chart_spec(chart: alt.TopLevelMixin | dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite spec of an Altair chart or a spec dict, data as JSON records (a copy:
    safe to change)."""
    return copy.deepcopy(_inline(chart)) if isinstance(chart, dict) else chart.to_dict()


def _views(spec: dict[str, Any], data: Any = None) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every view of a spec with the data it draws (its own, else its parent's)."""
    data = spec.get("data", data)
    yield spec, data
    for key in _COMPOSITE:
        for sub in spec.get(key, []) or []:
            if isinstance(sub, dict):
                yield from _views(sub, data)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"], data)


def _records(spec: dict[str, Any], data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("values"), list):
        return [r for r in data["values"] if isinstance(r, dict)]
    name = data.get("name")
    rows = (spec.get("datasets") or {}).get(name) if name else None
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _defs(encoding: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for ch in _CHANNELS:
        d = encoding.get(ch)
        for item in d if isinstance(d, list) else [d]:
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                yield {**item, "_channel": ch}
            elif isinstance(item, dict) and isinstance(item.get("condition"), dict):
                cond = item["condition"]
                if isinstance(cond.get("field"), str):
                    yield {**cond, "_channel": ch}


def _title(d: dict[str, Any]) -> str:
    t = d.get("title")
    if isinstance(t, list):
        t = " ".join(str(x) for x in t)
    return str(t) if t else str(d["field"]).replace("_", " ")


def _digits(d: dict[str, Any]) -> int | None:
    fmt = d.get("format")
    m = _D3_FIXED.search(fmt) if isinstance(fmt, str) else None
    if not m:
        return None
    return int(m.group(1)) + (2 if "%" in str(fmt) else 0)


def chart_table(chart: alt.TopLevelMixin | dict[str, Any]) -> pd.DataFrame:
    """The rows a chart draws as a table: one column per field the chart encodes, headed by the
    title the chart gives it (axis or tooltip title, else the field name in words), ids left
    out, numbers rounded as its tooltips round them, summed (or averaged...) where the chart
    aggregates. Where the chart has tooltips their fields are the columns (they are written for
    a reader; the others are often drawing positions). The largest data source of the chart is
    the one tabled (the attribution's one-row text is never data)."""
    spec = chart_spec(chart)
    best: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for view, source in _views(spec):
        rows = _records(spec, source)
        enc = view.get("encoding") or {}
        defs = list(_defs(enc)) if isinstance(enc, dict) else []
        if rows and defs and len(rows) >= len(best[0]):
            same = best[0] is rows or rows == best[0]
            best = (rows, [*best[1], *defs] if same else defs)
    rows, defs = best
    if not rows:
        return pd.DataFrame()
    named = {d["field"]: d["title"] for d in defs if d.get("title")}  # a title given anywhere
    if any(d.get("_channel") == "tooltip" for d in defs):  # written for a reader: they say it
        defs = [d for d in defs if d.get("_channel") == "tooltip"]
    df = pd.DataFrame(rows)
    columns: dict[str, str] = {}
    digits: dict[str, int] = {}
    summed: dict[str, str] = {}
    for d in defs:
        field = d["field"].split(".")[0]
        if field not in df.columns or field in columns or _ID_FIELD.search(field):
            continue
        title = _title({**d, "title": d.get("title") or named.get(d["field"])})
        if title in columns.values():
            continue
        columns[field] = title
        if (n := _digits(d)) is not None:
            digits[field] = n
        if d.get("aggregate") in _AGGREGATES:
            summed[field] = str(d["aggregate"])
    out = df[list(columns)].copy()
    keys = [c for c in out.columns if c not in summed]
    if summed and keys:  # the chart draws one mark per group: so does the table
        out = out.groupby(keys, sort=False, dropna=False, as_index=False).agg(summed)
    for field, n in digits.items():
        if pd.api.types.is_numeric_dtype(out[field]):
            out[field] = out[field].round(n)
    return out.drop_duplicates().rename(columns=columns).reset_index(drop=True)


def _has_text(spec: dict[str, Any], text: str) -> bool:
    """Whether the spec already says ``text``: its opening words, so a text the chart wraps
    over several lines (charts.theme.attribute, the map's key) counts."""
    head = " ".join(text.split()[:ATTRIBUTION_WORDS])
    return bool(text) and head in json.dumps(spec, ensure_ascii=False)


def _title_holder(spec: dict[str, Any]) -> dict[str, Any] | None:
    """The view whose title is the chart's: the top one, else the first of a concatenation
    (charts.theme.attribute puts the chart first, its attribution under it)."""
    if spec.get("title"):
        return spec
    for key in ("vconcat", "hconcat", "concat"):
        subs = spec.get(key) or []
        if subs and isinstance(subs[0], dict):
            return _title_holder(subs[0])
    return None


def export_spec(
    chart: alt.TopLevelMixin | dict[str, Any],
    *,
    title: str,
    subtitle: Sequence[str],
    attribution: str,
) -> dict[str, Any]:
    """The chart as it leaves the app: ``subtitle`` lines (place, period, comparison, method)
    under its title (``title`` when it has none), the attribution under it when the chart does
    not already carry it (see charts.theme.attribute)."""
    spec = chart_spec(chart)
    lines = [s for s in subtitle if s and not _has_text(spec, s)]
    holder = _title_holder(spec) or spec
    t = holder.get("title")
    if isinstance(t, dict):
        old = t.get("subtitle") or []
        old = [old] if isinstance(old, str) else list(old)
        holder["title"] = {**t, "subtitle": [*old, *lines]}
    else:
        holder["title"] = {"text": t or title, "subtitle": lines} if lines else (t or title)
    if not _has_text(spec, attribution):
        top = {k: spec.pop(k) for k in ("$schema", "config", "datasets", "title") if k in spec}
        spec.pop("autosize", None)
        width = spec.get("width") if isinstance(spec.get("width"), int) else None
        lines = textwrap.wrap(
            attribution, max(WRAP_CHARS // 2, width // 6) if width else WRAP_CHARS
        )
        spec = {
            **top,
            "vconcat": [
                spec,
                {
                    "data": {"values": [{}]},
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "top",
                        "fontSize": 11,
                        "color": "#5A6570",
                        "lineHeight": 14,
                    },
                    "encoding": {"text": {"value": lines}, "x": {"value": 0}, "y": {"value": 0}},
                    "height": 14 * len(lines),
                },
            ],
            "spacing": 6,
        }
    return spec
