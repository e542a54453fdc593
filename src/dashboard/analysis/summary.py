"""Values at a chosen period and the headline cards of the Home page."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.benchmark import Judgement, judge
from dashboard.analysis.methods import benchmark_settings, home_cards
from dashboard.analysis.periods import latest_period_up_to
from dashboard.bundle.model import Bundle


def values_at(
    bundle: Bundle, period: str, codes: list[str], indicator_ids: list[str] | None = None
) -> pd.DataFrame:
    """One row per (place, indicator): the value at the latest period of each indicator that
    ends no later than ``period``. Columns as values.parquet."""
    vals = bundle.values_of(codes, indicator_ids)  # found by position, not by a scan
    if vals.empty:
        return vals.copy()
    ids = vals["indicator_id"].to_numpy(dtype=object)
    periods = vals["period"].to_numpy(dtype=object)
    seen: dict[str, set[str]] = {}
    for ind, per in zip(ids, periods, strict=True):
        seen.setdefault(ind, set()).add(per)
    chosen = {ind: latest_period_up_to(sorted(ps), period) for ind, ps in seen.items()}
    keep = np.fromiter((per == chosen[ind] for ind, per in zip(ids, periods, strict=True)), bool)
    return vals[keep].reset_index(drop=True)


@dataclass(frozen=True)
class Card:
    indicator_id: str
    label: str
    unit: str
    polarity: str
    period: str
    value: float
    judgement: Judgement
    status: str = ""
    source: str = ""  # "publisher: title (licence)"

    @property
    def difference(self) -> float:
        return self.value - self.judgement.benchmark


def headline_cards(
    bundle: Bundle, place: str, level: str, group: list[str], period: str
) -> list[Card]:
    """Headline cards for ``place`` against ``group`` (codes), using methods.yaml's slots.

    In each slot the first indicator the place has a value for wins; failing that, the first
    that councils of the place's kind at this level have (so the card explains the place's own
    gap); a slot none of whose indicators exist for that kind of council is left out, never
    shown as a card with no value."""
    wanted = card_indicators(bundle, place, level)
    vals = values_at(bundle, period, [place, *group], wanted)
    settings = benchmark_settings()
    cards = []
    # plain arrays once: selecting rows of a frame of Arrow strings per card cost more than
    # the judgements
    col = {c: vals[c].to_numpy(dtype=object) for c in ("indicator_id", "place_code", "period")}
    extra = {c: vals[c].to_numpy(dtype=object) for c in ("lower_ci", "upper_ci", "status")}
    value_of = pd.to_numeric(vals["value"], errors="coerce").to_numpy(dtype=float)
    is_place = col["place_code"] == place
    for ind in wanted:
        meta = bundle.indicator(ind)
        rows = col["indicator_id"] == ind
        mine = np.flatnonzero(rows & is_place)
        if not mine.size:
            value, lo, hi = math.nan, None, None
            per = max(col["period"][rows]) if rows.any() else ""
            status = "not published for this place"
        else:
            i = mine[0]
            value, lo, hi = float(value_of[i]), extra["lower_ci"][i], extra["upper_ci"][i]
            per = col["period"][i]
            status = str(extra["status"][i]).replace("_", " ")
        others = value_of[rows & ~is_place]
        j = judge(value, others, meta["polarity"], settings, _f(lo), _f(hi))
        cards.append(
            Card(
                ind,
                meta["label"],
                meta["unit"],
                meta["polarity"],
                str(per),
                value,
                j,
                status,
                f"{meta['source_publisher']}: {meta['source_title']} ({meta['source_licence']})",
            )
        )
    return cards


def card_indicators(bundle: Bundle, place: str, level: str) -> list[str]:
    """The indicator of each headline-card slot for ``place`` (see :func:`headline_cards`)."""
    available = set(bundle.indicators_at(level)["id"])
    kind = bundle.place(place)["kind"]
    places = bundle.places_at(level)
    same_kind = set(places.loc[places["kind"] == kind, "code"])
    valued = bundle.indicators_with_values  # once per bundle, not a scan of every value
    for_kind = available & set().union(*(valued.get(c, frozenset()) for c in same_kind))
    for_place = available & valued.get(place, frozenset())
    wanted = []
    for slot in home_cards(level):
        options = [i for i in slot if i in for_kind]
        hit = next((i for i in options if i in for_place), options[0] if options else None)
        if hit and hit not in wanted:
            wanted.append(hit)
    return wanted


def _f(x: object) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v
