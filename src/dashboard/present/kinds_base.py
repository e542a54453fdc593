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
from dashboard.present.projector import projector_spec
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
    """A slide of this view: the bundle's attribution, and "fictional" on demo data."""
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


def chart_fields(chart: alt.TopLevelMixin | dict[str, Any], alt_text: str = "") -> dict[str, Any]:
    """``chart`` (an Altair chart or a Vega-Lite spec) fit for the projector
    (present.projector.projector_spec), with its text description as the slide's alt text
    (``alt_text``, else the spec's own ``description``)."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    out = projector_spec(inline_frames(spec))
    return {"chart": out, "alt": alt_text or str(spec.get("description", ""))}


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


# --- work several slides reuse, once per view ---------------------------------------------------
_MEMO: OrderedDict[Hashable, Any] = OrderedDict()
#: Results kept (a deck's views: the place, its level and period).
MEMO_ENTRIES = 32


def memo(key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per ``key`` (a few recent keys kept)."""
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    value = make()
    _MEMO[key] = value
    while len(_MEMO) > MEMO_ENTRIES:
        _MEMO.popitem(last=False)
    return value


def view_key(ctx: Context, *extra: Hashable) -> tuple[Hashable, ...]:
    """A key for work on this view: the bundle (by identity and path), the view, the group."""
    return (id(ctx.bundle), str(ctx.bundle.path), ctx.view, tuple(ctx.group), *extra)


def profile(ctx: Context) -> pd.DataFrame:
    """The Profile page's table for the view (analysis.profile.profile_table), once per view."""
    v, b = ctx.view, ctx.bundle

    def make() -> pd.DataFrame:
        matrix = memo(
            (id(b), str(b.path), v.level, v.period, "matrix"),
            lambda: level_values(b, v.level, v.period),
        )
        return profile_table(
            b, v.place, v.level, ctx.group, v.period, ctx.group_text, matrix=matrix, prices=v.prices
        )

    return memo(view_key(ctx, "profile"), make)
