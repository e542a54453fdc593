"""The small table a map needs for one indicator and period: class, tooltip text and role per
place. This is all that travels to the browser when the indicator or period changes; the shapes
are static files (see dashboard.geo and docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.analysis.classify import (
    METHODS,
    NO_VALUE,
    MapSettings,
    Scheme,
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
from dashboard.analysis.england import england_comparable, england_reference
from dashboard.analysis.periods import latest_period_up_to, period_end_year
from dashboard.analysis.prices import (
    CASH,
    axis_label,
    is_money,
    missing_index_text,
    price_factor,
)
from dashboard.bundle.catalogue import service_label
from dashboard.bundle.model import Bundle
from dashboard.bundle.ordinals import Scale, ordinal_scale
from dashboard.bundle.schema import INDICATOR_KINDS
from dashboard.formatting import format_difference, format_value, unit_label
from dashboard.layers.merge import marked_label

#: Roles of a place on the map: the selected place, its comparison group, everyone else.
ROLE_PLACE, ROLE_GROUP, ROLE_OTHER = 2, 1, 0


@dataclass(frozen=True)
class MapValues:
    """Everything a map draws apart from the shapes.

    ``table`` has one row per place at the level, in small types because it is what travels
    on every change: ``code``, ``c`` (class index into ``domain``, -1 for no value; int8),
    ``tv`` (the value with its unit, as text), ``rk`` (rank, 1 = best, 0 = not ranked; int16)
    and ``role`` (ROLE_PLACE, ROLE_GROUP or ROLE_OTHER; int8). ``domain`` and ``colours`` give
    the legend order and colours (NO_VALUE last, when present); ``n_ranked`` places have a
    rank and ``rank_note`` says what rank 1 means.
    """

    table: pd.DataFrame
    domain: list[str]
    colours: list[str]
    title: str
    subtitle: tuple[str, ...]  # lines under the title
    legend_title: str
    period: str
    scheme: Scheme
    breaks: list[float]
    n_missing: int
    median: float
    n_ranked: int
    rank_note: str  # e.g. "1st = best"
    #: what "vs England" is measured from: England's published value, or None (the median)
    england: float | None = None
    #: places with no value and a reason in the bundle: (name, note), by name
    gaps: tuple[tuple[str, str], ...] = ()
    #: the sidebar's period when the map shows another one (the indicator's latest), else ""
    chosen_period: str = ""
    #: the tooltip's rank text for a place without a rank
    unranked: str = "not ranked"
    #: an ordinal indicator (grades in words: one class per grade, or better / the same /
    #: worse than the middle grade in compare mode)
    ordinal: bool = False

    @property
    def reference_text(self) -> str:
        """What the difference in compare mode is from, in words."""
        if self.ordinal:
            return "England" if self.england is not None else "the middle grade of councils"
        return "England" if self.england is not None else "the median of councils"

    @property
    def period_text(self) -> str:
        """The map's period, saying when it is not the chosen one ("2022-23, latest
        available")."""
        if self.chosen_period and self.chosen_period != self.period:
            return f"{self.period}, latest available (chosen period {self.chosen_period})"
        return self.period


#: The service filter's "any service" choice.
ANY_SERVICE = "*"


@dataclass(frozen=True)
class IndicatorChoices:
    """What the map's pickers offer at one level: ``services`` (ANY_SERVICE first, then by
    label), the indicator ids of each service (ANY_SERVICE: all) grouped by kind (spend, need,
    outcome, context) then by label, and each id's label as 'label · kind'."""

    services: tuple[str, ...]
    ids: dict[str, tuple[str, ...]]
    labels: dict[str, str]


def indicator_choices(bundle: Bundle, level: str) -> IndicatorChoices:
    """The service and indicator choices of the map's pickers at ``level``."""
    inds = bundle.indicators_at(level).copy()
    kind_order = {k: i for i, k in enumerate(INDICATOR_KINDS)}
    inds["_k"] = inds["kind"].map(kind_order)
    inds = inds.sort_values(["_k", "label"])
    services = sorted(inds["service"].unique(), key=service_label)
    ids = {ANY_SERVICE: tuple(inds["id"].tolist())}
    for svc in services:
        ids[svc] = tuple(inds.loc[inds["service"] == svc, "id"].tolist())
    labels = {
        str(rec["id"]): f"{marked_label(rec)} · {rec['kind']}" for rec in inds.to_dict("records")
    }
    return IndicatorChoices((ANY_SERVICE, *services), ids, labels)


def indicator_periods(bundle: Bundle, indicator_id: str, level: str) -> list[str]:
    """Periods with at least one value of ``indicator_id`` at ``level``, oldest first."""
    codes = bundle.place_codes(level)
    v = bundle.values
    rows = v[(v["indicator_id"] == indicator_id) & v["place_code"].isin(codes)]
    rows = rows[np.isfinite(pd.to_numeric(rows["value"], errors="coerce"))]
    periods = rows["period"].astype(str).unique().tolist()
    return sorted(periods, key=lambda p: (period_end_year(p) or 0, p))


def default_period(bundle: Bundle, indicator_id: str, level: str, selected: str) -> str | None:
    """The indicator's latest period ending no later than the sidebar's ``selected`` period."""
    return latest_period_up_to(indicator_periods(bundle, indicator_id, level), selected)


def roles(codes: pd.Series, place: str, group: list[str]) -> np.ndarray:
    """Each place's role on the map: ROLE_PLACE, ROLE_GROUP or ROLE_OTHER (int8)."""
    group_set = set(group)
    role = [
        ROLE_PLACE if c == place else ROLE_GROUP if c in group_set else ROLE_OTHER for c in codes
    ]
    return np.asarray(role, dtype=np.int8)


def with_roles(mv: MapValues, place: str, group: list[str]) -> MapValues:
    """``mv`` with the roles of ``place`` and its comparison ``group``: the only part of a map's
    values that depends on the place, so one computation of the classes serves every place."""
    return replace(mv, table=mv.table.assign(role=roles(mv.table["code"], place, group)))


def _points(
    codes: pd.Series,
    idx: np.ndarray,
    tv: list[str],
    rank: np.ndarray,
    place: str,
    group: list[str],
) -> pd.DataFrame:
    """One row per place for the map: code, class index ``c``, tooltip text ``tv``, rank
    ``rk`` and role (the place, its comparison group or another place)."""
    return pd.DataFrame(
        {
            "code": codes.astype(str),
            "c": idx.astype(np.int8),
            "tv": tv,
            "rk": np.asarray(rank).astype(np.int16),
            "role": roles(codes, place, group),
        }
    )


def map_values(
    bundle: Bundle,
    level: str,
    indicator_id: str,
    period: str,
    *,
    method: str,
    k: int,
    mode: str,
    place: str,
    group: list[str],
    settings: MapSettings | None = None,
    prices: str = CASH,
    chosen_period: str = "",
) -> MapValues:
    """Classes, colours and tooltips for ``indicator_id`` at ``period`` over every place at
    ``level``. ``mode`` 'values' classes the values; 'compare' classes the difference from
    England's published value (``Bundle.england_value``), or from the median of all places at
    the level where the source publishes none (with a break at zero). Money is in cash or, with
    ``prices`` "real", in real terms at the bundle's price base; the legend title says which.
    ``chosen_period``: the sidebar's period, so the map can say when it shows another one."""
    s = settings or map_settings()
    meta = bundle.indicator(indicator_id)
    unit, polarity = str(meta["unit"]), str(meta["polarity"])
    places = bundle.places_at(level)[["code"]]
    v = bundle.values_of(places["code"], [indicator_id])  # by position, not a scan of every row
    rows = v[v["period"].astype(str) == str(period)].drop_duplicates("place_code")
    cols = ["place_code", "value"] + [c for c in ("status", "note") if c in rows.columns]
    table = places.merge(rows[cols], left_on="code", right_on="place_code", how="left")
    values = pd.to_numeric(table["value"], errors="coerce").to_numpy(dtype=float)
    money = is_money(unit)
    factor = price_factor(bundle, str(period), prices) if money else 1.0
    values = values * factor
    finite = np.isfinite(values)
    median = float(np.median(values[finite])) if finite.any() else float("nan")

    england = england_reference(bundle, indicator_id, str(period), unit)
    scale = ordinal_scale(indicator_id) if unit == "ordinal" else None
    if scale is not None:
        return _ordinal_map(
            bundle,
            level,
            str(meta["label"]),
            str(period),
            polarity,
            scale,
            table,
            values,
            england,
            mode=mode,
            place=place,
            group=group,
            settings=s,
            chosen_period=str(chosen_period or ""),
        )
    ref = england if england is not None else median
    ref_words = "England" if england is not None else "the median of councils"
    scheme = scheme_for(polarity, mode, ref_words)
    shown = values - ref if mode == "compare" else values
    breaks = class_breaks(shown, method, k)
    if mode == "compare":
        breaks = with_zero_break(breaks)
    lowest = float(np.nanmin(shown)) if finite.any() else 0.0
    idx = assign_classes(shown, breaks)
    counts = [int((idx == i).sum()) for i in range(len(breaks))]
    labels = class_labels(breaks, lowest, unit, counts, signed=(mode == "compare"))
    colours = class_colours(breaks, lowest, scheme, s)
    n_missing = int((idx < 0).sum())
    domain = list(labels) + ([NO_VALUE] if n_missing else [])
    colours = list(colours) + ([s.missing_colour] if n_missing else [])

    rank = ranks(values, polarity)
    n = int(finite.sum())
    best = "highest" if polarity == "neutral" else "best"
    status = table["status"].fillna("").astype(str) if "status" in table else None
    notes = table["note"].fillna("").astype(str) if "note" in table else None
    vs = "vs England" if england is not None else "vs median of councils"
    tv = []
    gaps = []
    for i, val in enumerate(values):
        if np.isfinite(val):
            text = format_value(float(val), unit)
            if mode == "compare":
                text += f" ({format_difference(float(val - ref), unit)} {vs})"
            tv.append(text)
        elif notes is not None and notes.iloc[i]:
            tv.append(notes.iloc[i])
            gaps.append((bundle.place_name(str(table["code"].iloc[i])), notes.iloc[i]))
        else:
            why = status.iloc[i] if status is not None and status.iloc[i] else "not published"
            tv.append(f"no value ({why.replace('_', ' ')})")
    out = _points(table["code"], idx, tv, rank, place, group)
    ulabel = unit_label(unit) + (f", {axis_label(bundle, prices)}" if money else "")
    shown_period = str(period)
    if chosen_period and str(chosen_period) != str(period):
        shown_period = f"{period}, latest available"
    lines = [f"{shown_period} · {METHODS[method].lower()}, {len(breaks)} classes"]
    if mode == "compare":
        if england is not None:
            legend_title = f"Difference from England ({ulabel})"
            lines.append(f"England (published): {format_value(england, unit)}")
        else:
            legend_title = f"Difference from median of councils ({ulabel})"
            total = bundle.england_value(indicator_id, str(period))
            why = (
                f"England's total ({format_value(total * factor, unit)}) is no comparator for "
                "one council"
                if total is not None and not england_comparable(unit)
                else "No England value published"
            )
            lines.append(
                f"{why}: median of all {level}-tier councils, {format_value(median, unit)}"
            )
    else:
        legend_title = ulabel[:1].upper() + ulabel[1:]
    lines.append(scheme.note[:1].upper() + scheme.note[1:])
    if np.isnan(factor):
        lines.append(missing_index_text(str(period)).capitalize() + ".")
    subtitle = tuple(lines)
    return MapValues(
        table=out,
        domain=domain,
        colours=colours,
        title=str(meta["label"]),
        subtitle=subtitle,
        legend_title=legend_title,
        period=str(period),
        scheme=scheme,
        breaks=breaks,
        n_missing=n_missing,
        median=median,
        n_ranked=n,
        rank_note=f"1st = {best}",
        england=england,
        gaps=tuple(sorted(gaps)),
        chosen_period=str(chosen_period or ""),
    )


# --- ordinal indicators (grades in words) -------------------------------------------------------
def _inspected(note: str) -> str:
    """The month of the judgement from a value's note ("inspected February 2022"), else ""."""
    return note if note.startswith("inspected") else ""


def _missing_text(table: pd.DataFrame, i: int) -> str:
    """A place without a value, in words: the bundle's note (why), else its status."""
    note = str(table["note"].iloc[i]) if "note" in table and pd.notna(table["note"].iloc[i]) else ""
    if note:
        return note
    status = table["status"].iloc[i] if "status" in table else ""
    why = str(status) if isinstance(status, str) and status else "not published"
    return f"no value ({why.replace('_', ' ')})"


def _ordinal_map(
    bundle: Bundle,
    level: str,
    title: str,
    period: str,
    polarity: str,
    scale: Scale,
    table: pd.DataFrame,
    values: np.ndarray,
    england: float | None,
    *,
    mode: str,
    place: str,
    group: list[str],
    settings: MapSettings,
    chosen_period: str,
) -> MapValues:
    """The map of an ordinal indicator (Ofsted): a grade is a category, never a number.

    Values: one class per grade of the scale, labelled in words ('Good (70)'), darker blue
    for the better grades. Compare: each place better than, the same grade as or worse than
    England's grade where one is published, else the middle grade of the level's councils
    (when the middle falls between two grades: 'Good or better' and 'Requires improvement or
    worse'). The tooltip gives the grade in words with the month of the inspection from the
    value's note. ``breaks`` holds the grades (values) or the directions -1, 0, 1 (compare),
    one per class, in legend order; grades are not ranked."""
    s = settings
    finite = np.isfinite(values)
    median = float(np.median(values[finite])) if finite.any() else float("nan")
    notes = table["note"].fillna("").astype(str).tolist() if "note" in table else [""] * len(table)
    lower_better = polarity == "lower_is_better"
    ref = england if england is not None else median
    ref_grade = scale.between(ref) if np.isfinite(ref) else None
    if england is not None:
        ref_words = f"England's grade ({ref_grade})"
    else:
        ref_words = f"the middle grade ({ref_grade or 'none'})"
    if mode == "compare":
        scheme = scheme_for(
            polarity, mode, "England" if england is not None else "the middle grade"
        )
        with np.errstate(invalid="ignore"):
            side = np.sign(values - ref)
        if lower_better:
            side = -side
        # better = +1, the same grade = 0, worse = -1 (NaN where no value)
        exact = np.isfinite(ref) and float(ref) == round(float(ref))
        lo_w = scale.words(float(np.floor(ref)), short=True) if np.isfinite(ref) else None
        hi_w = scale.words(float(np.ceil(ref)), short=True) if np.isfinite(ref) else None
        best_w, worst_w = (lo_w, hi_w) if lower_better else (hi_w, lo_w)
        palette = s.palettes.get("ordinal_compare", s.palettes["diverging"])
        same_words = "England's grade" if england is not None else "the middle grade"
        if not np.isfinite(ref):
            classes = []
        elif exact:
            classes = [
                (1.0, f"Better than {ref_grade}", ramp(palette, 1.0)),
                (0.0, f"{ref_grade}: {same_words}", ramp(palette, 0.5)),
                (-1.0, f"Worse than {ref_grade}", ramp(palette, 0.0)),
            ]
        else:
            classes = [
                (1.0, f"{best_w} or better", ramp(palette, 1.0)),
                (-1.0, f"{worst_w} or worse", ramp(palette, 0.0)),
            ]
        keys = [c[0] for c in classes]
        idx = np.array(
            [keys.index(float(v)) if np.isfinite(v) and float(v) in keys else -1 for v in side]
        )
        legend_title = f"Against {ref_words}"
        ref_short = "England" if england is not None else "the middle grade"
        verdict = {
            1.0: f"better than {ref_short}, {ref_grade}",
            0.0: same_words,
            -1.0: f"worse than {ref_short}, {ref_grade}",
        }
    else:
        scheme = scheme_for(polarity, mode)
        grades = sorted(scale.labels)
        lowest = float(grades[0])
        colours = class_colours([float(g) for g in grades], lowest, scheme, s)
        classes = [
            (float(g), scale.words(float(g), short=True) or str(g), c)
            for g, c in zip(grades, colours, strict=True)
        ]
        keys = [c[0] for c in classes]
        idx = np.array(
            [keys.index(float(v)) if np.isfinite(v) and float(v) in keys else -1 for v in values]
        )
        legend_title = scale.title
    counts = [int((idx == i).sum()) for i in range(len(classes))]
    labels = [f"{lab} ({n})" for (_, lab, _), n in zip(classes, counts, strict=True)]
    n_missing = int((idx < 0).sum())
    domain = labels + ([NO_VALUE] if n_missing else [])
    colours = [c for _, _, c in classes] + ([s.missing_colour] if n_missing else [])

    tv, gaps = [], []
    for i, val in enumerate(values):
        words = scale.words(float(val)) if np.isfinite(val) else None
        if words is None:
            text = _missing_text(table, i)
            if notes[i]:
                gaps.append((bundle.place_name(str(table["code"].iloc[i])), notes[i]))
            tv.append(text)
            continue
        text = words
        if mode == "compare" and idx[i] >= 0 and ref_grade:
            text += f" ({verdict[keys[idx[i]]]})"
        when = _inspected(notes[i])
        tv.append(f"{text} · {when}" if when else text)
    out = _points(table["code"], idx, tv, np.zeros(len(table)), place, group)
    shown_period = (
        f"{period}, latest available" if chosen_period and chosen_period != period else period
    )
    lines = [f"{shown_period} · one class per {'judgement' if mode == 'compare' else 'grade'}"]
    if any(_inspected(n) for n in notes):
        lines.append("Each place's latest judgement: the tooltip gives the month of its inspection")
    if mode == "compare":
        if england is not None:
            lines.append(f"England (published): {ref_grade}")
        else:
            lines.append(
                f"No England grade published: the middle grade of all {level}-tier councils, "
                f"{ref_grade or 'none'}"
            )
    lines.append(scheme.note[:1].upper() + scheme.note[1:])
    return MapValues(
        table=out,
        domain=domain,
        colours=colours,
        title=title,
        subtitle=tuple(lines),
        legend_title=legend_title,
        period=period,
        scheme=scheme,
        breaks=keys,
        n_missing=n_missing,
        median=median,
        n_ranked=0,
        rank_note="",
        england=england,
        gaps=tuple(sorted(gaps)),
        chosen_period=chosen_period,
        unranked="grades are not ranked",
        ordinal=True,
    )
