"""Caches for the Value for money page: options, results and chart specs per bundle and choice
(a place change reuses them when the places compared stay the same)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.analysis.vfm import (
    Frame,
    Frontier,
    NeedFit,
    Options,
    frame,
    frontier,
    need_fit,
    options,
)
from dashboard.bundle import Bundle
from dashboard.charts.vfm import (
    frontier_base,
    frontier_chart,
    residual_chart,
    scatter_base,
    tradeoff_chart,
    with_data,
)
from dashboard.ui.data import _stamp

_BUILDERS = {"tradeoff": tradeoff_chart, "residual": residual_chart, "frontier": frontier_chart}
#: Stands for the place's name in a cached chart, so a place change reuses the chart.
_PLACE = "__pve_selected_place__"


@dataclass(frozen=True)
class Results:
    """Everything computed for one choice: the values, the need fit and the frontier, and the
    chart rows that do not depend on the place (``points``: scatter; ``ranked``: frontier)."""

    frame: Frame
    fit: NeedFit
    frontier: Frontier
    points: pd.DataFrame
    ranked: pd.DataFrame


def _key(bundle: Bundle) -> tuple[str, float]:
    return (str(bundle.path), _stamp(bundle.path)) if bundle.path else ("", 0.0)


@st.cache_resource(show_spinner=False, max_entries=16)
def _options(key: tuple[str, float], level: str, _b: Bundle) -> Options:
    return options(_b, level)


def value_options(bundle: Bundle, level: str) -> Options:
    """Services, indicators and labels the page offers at ``level`` (once per bundle)."""
    return _options(_key(bundle), level, bundle)


@st.cache_resource(show_spinner="Solving the efficiency frontier…", max_entries=64)
def _results(
    key: tuple[str, float],
    period: str,
    codes_hash: str,
    spend_id: str,
    outcome_id: str,
    need_ids: tuple[str, ...],
    output_ids: tuple[str, ...],
    _opts: Options,
    _codes: tuple[str, ...],
    _b: Bundle,
) -> Results:
    ids = list(dict.fromkeys([spend_id, outcome_id, *need_ids, *output_ids]))
    fr = frame(_b, period, list(_codes), ids)
    fit = need_fit(fr, spend_id, outcome_id, list(need_ids), _opts.polarity[outcome_id])
    lower = [_opts.polarity[i] == "lower_is_better" for i in output_ids]
    front = frontier(fr, spend_id, list(output_ids), lower, list(need_ids))
    ranked = frontier_base(front.table) if not front.reason else pd.DataFrame()
    return Results(fr, fit, front, scatter_base(fit.table, _opts.unit[outcome_id]), ranked)


def value_results(
    bundle: Bundle,
    opts: Options,
    period: str,
    codes: list[str],
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
    output_ids: list[str],
) -> Results:
    """Need fit and frontier across ``codes`` (cached on the choice, not the place)."""
    codes_hash = hashlib.blake2b("\n".join(codes).encode(), digest_size=16).hexdigest()
    return _results(
        _key(bundle),
        period,
        codes_hash,
        spend_id,
        outcome_id,
        tuple(need_ids),
        tuple(output_ids),
        opts,
        tuple(codes),
        bundle,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def _template(kind: str, kwargs_json: str) -> str:
    kwargs = json.loads(kwargs_json)
    if "population_legend" in kwargs:
        kwargs["population_legend"] = tuple(kwargs["population_legend"])
    return json.dumps(_BUILDERS[kind](place_name=_PLACE, **kwargs).to_dict(validate=False))


def chart_spec(kind: str, data: pd.DataFrame, place_name: str, **kwargs: Any) -> dict:
    """A value-for-money chart (``kind``: tradeoff, residual or frontier) as a Vega-Lite spec:
    built once per choice and reused for every place (the place's name is filled in), with
    this run's rows attached. Schema validation is skipped here; tests/charts validates the
    builders."""
    text = _template(kind, json.dumps(kwargs, sort_keys=True))
    name = json.dumps(place_name)[1:-1]
    return with_data(json.loads(text.replace(_PLACE, name)), data)
