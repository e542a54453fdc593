"""What every kind of slide shares: the kind itself (:class:`SlideKind`), a slide of the view
(:func:`base_slide`), a chart made fit for the projector (:func:`chart_fields`), the settings a
slide reads (:func:`read_params`) and the work several slides reuse (the profile table, the
map's shapes), computed once per view.

Pure code: plain text throughout, every number from the data or a catalogue YAML.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from dashboard.analysis.profile import level_values, profile_table
from dashboard.present.case import ScenarioCase
from dashboard.present.model import Slide
from dashboard.present.projector import LEAST_PLOT, LINE, overhead_px, plot_height, projector_spec
from dashboard.present.settings import present_settings
from dashboard.view import Context

Build = Callable[[Context, Mapping[str, str], "ScenarioCase | None"], Slide]
#: The settings a kind offers for a view and the deck's scenario: setting -> {value: label}
#: (for a menu; an empty mapping when the setting takes free text, e.g. a period).
Options = Callable[[Context, "ScenarioCase | None"], dict[str, dict[str, str]]]
FICTIONAL = "Fictional data: every place, name and figure is invented."
T = TypeVar("T")


class SlideError(ValueError):
    """A slide that cannot be drawn for this view: the message says why, in plain words."""


@dataclass(frozen=True)
class SlideKind:
    """A kind of slide: its id, its label in the "add a slide" menu, how it is built, the
    settings it reads (``params``; each a text value), whether it needs the deck's scenario,
    and (``options``) the values each setting may take for a view, with their labels."""

    id: str
    label: str
    build: Build
    params: tuple[str, ...] = ()
    needs_scenario: bool = False
    options: Options | None = None


def base_slide(ctx: Context, kind: str, title: str, message: str, **fields: object) -> Slide:
    """A slide of this view: the bundle's attribution, and "fictional" on demo data; the text a
    chart could not hold (``chart_notes``, from :func:`chart_fields`) ends its method."""
    notes = str(fields.pop("chart_notes", "") or "")
    if notes:
        fields["method"] = f"{fields.get('method', '')} On the chart: {notes}".strip()
    return Slide(
        kind=kind,
        title=title,
        message=message,
        attribution=ctx.bundle.attribution,
        fictional=ctx.bundle.is_demo,
        **fields,  # type: ignore[arg-type]
    )


def place_name(ctx: Context) -> str:
    """The view's place, in words."""
    return ctx.bundle.place_name(ctx.view.place)


def read_params(
    kind: str, params: Mapping[str, str], allowed: Mapping[str, Mapping[str, str] | None]
) -> dict[str, str]:
    """The slide's settings, checked: every key one the kind reads and, where ``allowed``
    lists the values a setting may take, one of them; SlideError saying which is not."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if key not in allowed:
            known = ", ".join(allowed) or "none"
            raise SlideError(f"the setting '{key[:40]}' is not one this slide reads ({known})")
        values = allowed[key]
        if values is not None and value not in values:
            raise SlideError(f"'{value[:40]}' is not a value of the setting '{key}' here")
        out[key] = value
    return out


def chart_fields(
    chart: alt.TopLevelMixin | dict[str, Any], alt_text: str = "", *, height: int | None = None
) -> dict[str, Any]:
    """``chart`` (an Altair chart or a Vega-Lite spec) fit for the projector
    (present.projector.projector_spec) in a box ``height`` px tall (default: the slide's chart
    box), with its text description as the slide's alt text (``alt_text``, else the spec's own
    ``description``)."""
    spec = inline_frames(chart if isinstance(chart, dict) else chart.to_dict(validate=False))
    out = projector_spec(spec, height=height)
    fields: dict[str, Any] = {"alt": alt_text or str(spec.get("description", ""))}
    s = present_settings()
    if overhead_px(out, s.min_font_px) > (height or s.chart_height_px) * (1 - LEAST_PLOT):
        # too much text for the box: the subtitles go to the speaker notes
        spec, notes = without_subtitles(spec)
        out = projector_spec(spec, height=height)
        fields["chart_notes"] = notes
    return {"chart": out, **fields}


def without_subtitles(spec: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``spec`` without the subtitles of its titles (its own and its views'), and their text."""
    notes: list[str] = []

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "title" and isinstance(v, dict) and "subtitle" in v:
                    sub = v["subtitle"]
                    notes.append(" ".join(sub) if isinstance(sub, list) else str(sub))
                    v = {kk: vv for kk, vv in v.items() if kk != "subtitle"}
                out[k] = strip(v) if k not in ("datasets", "data") else v
            return out
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(spec), " ".join(n.strip() for n in notes if n.strip())


def inline_frames(node: Any) -> Any:
    """``node`` (a spec) with every DataFrame in it (a page's named datasets) as JSON records,
    so the spec is plain JSON (missing values as null)."""
    if isinstance(node, pd.DataFrame):
        return json.loads(node.to_json(orient="records", date_format="iso"))
    if isinstance(node, dict):
        return {k: inline_frames(v) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_frames(v) for v in node]
    return node


#: Room (in type sizes) that a chart's y axis takes beside its plot: numbers, or category names.
NUMBER_AXIS_EMS = 5
NAME_AXIS_EMS = 11
#: Room (in type sizes) that a legend to the right of the plot takes.
LEGEND_EMS = 13


def plot_width(*, names: bool = False, legend: bool = False) -> int:
    """The width (px) to build a chart's plot at so that it, its y axis (``names``: category
    names, else numbers) and a legend on its right (``legend``) fit the slide's chart box."""
    s = present_settings()
    room = (NAME_AXIS_EMS if names else NUMBER_AXIS_EMS) + (LEGEND_EMS if legend else 0)
    return s.chart_width_px - room * s.min_font_px


def fitted(
    build: Callable[[int], alt.TopLevelMixin | dict[str, Any]], *, height: int | None = None
) -> dict[str, Any]:
    """A chart whose builder places marks by its own height (``build(height)``), built at the
    height the projector leaves for its plot in a box ``height`` px tall (default: the slide's
    chart box)."""
    box = height or present_settings().chart_height_px
    first = build(box)
    first = first if isinstance(first, dict) else first.to_dict(validate=False)
    again = build(plot_height(inline_frames(first), box))
    return again if isinstance(again, dict) else again.to_dict(validate=False)


# --- work several slides reuse, once per view ---------------------------------------------------
_MEMO: OrderedDict[Hashable, Any] = OrderedDict()
#: Results kept: a deck's work on a few views (the Value slide alone tries a fit per pairing).
MEMO_ENTRIES = 128


def memo(owner: object, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per ``owner`` (a bundle or a scenario case, by identity) and ``key``
    (a few recent results kept). The entry holds ``owner``, so no other object can take its
    identity while the result is kept."""
    full = (id(owner), key)
    entry = _MEMO.get(full)
    if entry is not None and entry[0] is owner:
        _MEMO.move_to_end(full)
        return entry[1]
    value = make()
    _MEMO[full] = (owner, value)
    while len(_MEMO) > MEMO_ENTRIES:
        _MEMO.popitem(last=False)
    return value


def view_key(ctx: Context, *extra: Hashable) -> tuple[Hashable, ...]:
    """A key for work on this view (with the bundle as owner): the view and the group."""
    return (ctx.view, tuple(ctx.group), *extra)


def profile(ctx: Context) -> pd.DataFrame:
    """The Profile page's table for the view (analysis.profile.profile_table), once per view."""
    v, b = ctx.view, ctx.bundle

    def make() -> pd.DataFrame:
        matrix = memo(
            b,
            (v.level, v.period, "matrix"),
            lambda: level_values(b, v.level, v.period),
        )
        return profile_table(
            b, v.place, v.level, ctx.group, v.period, ctx.group_text, matrix=matrix, prices=v.prices
        )

    return memo(b, view_key(ctx, "profile"), make)


def box_beside_caveat(lines: int) -> int:
    """The chart box's height (px) on a slide whose caveat takes ``lines`` lines of body text."""
    s = present_settings()
    return s.chart_height_px - round(lines * s.body_font_px * LINE)
