"""The place profile: every indicator at a level against the comparison group and England.

Better / similar / worse is judged against the group median by ``benchmark.judge`` (confidence
intervals where the value has them, scaled median absolute deviations otherwise); neutral
indicators get the place's quintile within the group instead. The England marker is England's
published value (the bundle's England row, ``Bundle.england_value``) where the source has one,
and the median of all councils at the level where it does not; every row says which
(``england_basis``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.benchmark import (
    GroupRows,
    Judgement,
    judge_rows,
    quintile_rows,
    rank_rows,
)
from dashboard.analysis.england import england_reference
from dashboard.analysis.groups import indicator_groups
from dashboard.analysis.matrix import latest_matrix
from dashboard.analysis.methods import BenchmarkSettings, benchmark_settings
from dashboard.analysis.periods import period_end_year, period_note
from dashboard.analysis.prices import CASH, basis_column, convert_frame
from dashboard.bundle.catalogue import canonical_indicators, service_label, services
from dashboard.bundle.model import Bundle
from dashboard.bundle.ordinals import Scale, ordinal_scale
from dashboard.bundle.schema import MONEY_UNITS
from dashboard.formatting import format_value
from dashboard.layers.merge import ORIGIN_LOCAL, ORIGIN_OFFICIAL, local_figures, local_source

QUINTILE_LABELS: dict[int, str] = {
    1: "quintile 1 (lowest)",
    2: "quintile 2",
    3: "quintile 3",
    4: "quintile 4",
    5: "quintile 5 (highest)",
}
NOT_JUDGED = "not judged"
#: Minimum, quartiles and maximum as quantile points (0, 1/4, 1/2, 3/4, 1): structural, not a
#: setting.
QUARTILE_POINTS: tuple[float, ...] = tuple(np.linspace(0, 1, 5).tolist())
#: Order of indicator kinds within a service: what is spent, the need, then what it achieves.
KIND_ORDER: dict[str, int] = {"spend": 0, "need": 1, "context": 2, "outcome": 3}
#: Columns of the downloadable profile table (every row with period, unit, source, licence).
EXPORT_COLUMNS: tuple[str, ...] = (
    "place_code",
    "place_name",
    "group_label",
    "service",
    "indicator_id",
    "indicator",
    "kind",
    "unit",
    "polarity",
    "period",
    "period_text",
    "value",
    "value_text",
    "lower_ci",
    "upper_ci",
    "note",
    "comparison_group",
    "group_places",
    "group_min",
    "group_q1",
    "group_median",
    "group_q3",
    "group_max",
    "england_median",
    "england_value",
    "england_basis",
    "judgement",
    "rank_in_group",
    "places_ranked",
    "method",
    "source",
    "licence",
    "price_basis",
)


#: What the England marker shows where England has a published value, and where it has none.
ENGLAND_PUBLISHED = "England"
ENGLAND_MEDIAN = "median of councils"


def england_label(level: str) -> str:
    """What the England marker is, in plain words."""
    return f"England (published value; where there is none, the median of {level}-tier councils)"


def trend_england_label(trend: pd.DataFrame, level: str) -> str:
    """The England line's name for one trend: 'England' when every period has England's
    published value, the median of councils when none has, else England with the periods
    where the median stands in ('England (2017-18: median of upper-tier councils)')."""
    if "england_basis" not in trend.columns or "england" not in trend.columns:
        return england_label(level)
    shown = trend[trend["england"].notna()]
    basis = set(shown["england_basis"].astype(str))
    if basis == {ENGLAND_PUBLISHED}:
        return "England"
    if basis == {ENGLAND_MEDIAN}:
        return f"Median of {level}-tier councils (no England figure published)"
    median = shown.loc[shown["england_basis"] == ENGLAND_MEDIAN, "period"].astype(str)
    return f"England ({', '.join(median)}: median of {level}-tier councils)"


def trend_notes(bundle: Bundle, place: str, indicator_id: str, trend: pd.DataFrame) -> list[str]:
    """Why the place has no value in a period of its trend (plain text, one per period with
    a note in the bundle, e.g. a county whose district sent no return)."""
    notes = place_notes(bundle, place)
    missing = trend.loc[trend["place_value"].isna(), "period"].astype(str)
    return [f"{p}: {notes[(indicator_id, p)]}" for p in missing if (indicator_id, p) in notes]


def method_text(settings: BenchmarkSettings | None = None) -> str:
    """The judgement method in one paragraph, with the thresholds from methods.yaml."""
    s = settings or benchmark_settings()
    return (
        f"**Method.** Better or worse than the median of the comparison group: where a value "
        f"has a {s.confidence_level.value:.0%} confidence interval, when the interval excludes "
        f"the median; otherwise when it lies more than {s.mad_threshold.value:g} scaled median "
        f"absolute deviation(s) from it (after Fingertips and Oflog). Polarity decides which "
        f"way is better. Spend, need and context indicators have no better direction: they "
        f"show the place's quintile within the group, not a judgement. Groups of fewer than "
        f"{s.min_group_size.value:.0f} places are not judged."
    )


def _service_order() -> dict[str, int]:
    return {s["id"]: i for i, s in enumerate(services())}


def ordinal_judgement(
    value: float, others: np.ndarray, polarity: str, scale: Scale, settings: BenchmarkSettings
) -> Judgement:
    """A grade against the middle grade of the group: better, similar (the same grade) or
    worse, never by distance from a mean or median in grade points."""
    n = int(others.size)
    if math.isnan(value) or n == 0:
        return Judgement("", "no value to compare", math.nan, n)
    middle = float(np.median(others))
    if n < settings.min_group_size.value:
        return Judgement("", f"group too small to judge (n={n})", middle, n)
    if value == middle:
        verdict = "similar"
    else:
        better = value < middle if polarity == "lower_is_better" else value > middle
        verdict = "better" if better else "worse"
    return Judgement(verdict, f"{scale.title} against the middle grade of the group", middle, n)


def grade_counts(values: np.ndarray, scale: Scale) -> str:
    """How many places hold each grade, best first: '2 Outstanding, 9 Good, 1 Inadequate'."""
    vals = values[~np.isnan(values)]
    parts = [
        f"{int(np.sum(vals == g))} {scale.words(float(g), short=True)}"
        for g in sorted(scale.labels)
        if np.any(vals == g)
    ]
    return ", ".join(parts) if parts else "no grades"


def value_text(value: float, unit: str, indicator_id: str = "") -> str:
    """A value as read on screen: a grade in words for an ordinal indicator, else the number
    with its unit ('no value' when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    scale = ordinal_scale(indicator_id) if unit == "ordinal" else None
    if scale is not None:
        return scale.between(float(value)) or format_value(value, unit)
    return format_value(value, unit)


def _position(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, flip: np.ndarray) -> np.ndarray:
    """Percent of the span lo..hi (0-100), flipped where lower is better (so right = better)."""
    span = hi - lo
    with np.errstate(all="ignore"):
        pos = np.where(span > 0, 100.0 * (x - lo) / np.where(span > 0, span, 1.0), 100.0 / 2)
    return np.where(flip, 100.0 - pos, pos)


@dataclass(frozen=True)
class LevelValues:
    """Every indicator at a level for every place, at the latest period of each indicator
    ending no later than ``period``: arrays of shape (indicators, places)."""

    level: str
    period: str
    codes: tuple[str, ...]
    indicators: pd.DataFrame
    periods: tuple[str, ...]
    value: np.ndarray
    lower_ci: np.ndarray
    upper_ci: np.ndarray
    england_median: np.ndarray
    #: England's published value per indicator at its period (NaN where none is published)
    england_value: np.ndarray | None = None

    def column(self, code: str) -> int | None:
        try:
            return self.codes.index(code)
        except ValueError:
            return None


def level_values(bundle: Bundle, level: str, period: str) -> LevelValues:
    """The matrix behind every profile at ``level`` and ``period`` (compute once, reuse)."""
    ind = bundle.indicators_at(level)
    ids = ind["id"].tolist()
    codes = bundle.place_codes(level)
    mats, periods = latest_matrix(bundle, codes, ids, period, ("value", "lower_ci", "upper_ci"))
    value = mats["value"]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        eng = np.nanmedian(value, axis=1) if value.size else np.full(len(ids), np.nan)
    published = [
        england_reference(bundle, i, p, u) if p else None
        for i, p, u in zip(ids, periods, ind["unit"], strict=True)
    ]
    return LevelValues(
        level=level,
        period=period,
        codes=tuple(codes),
        indicators=ind,
        periods=tuple(periods),
        value=value,
        lower_ci=mats["lower_ci"],
        upper_ci=mats["upper_ci"],
        england_median=eng,
        england_value=np.array([np.nan if x is None else x for x in published], dtype=float),
    )


@dataclass(frozen=True)
class _IndicatorRows:
    """The columns of a profile that are the same for every place at a level and period (one
    entry per indicator, in the matrix's order)."""

    ids: list[str]
    units: list[str]
    polarities: list[str]
    scales: list[Scale | None]
    group: list[str]
    group_label: list[str]
    group_order: list[int]
    origin: list[str]
    local_source: list[str]
    service_order: list[int]
    service: list[str]
    service_label: list[str]
    label: list[str]
    kind: list[str]
    agency: list[str]
    england_value: np.ndarray
    england: np.ndarray
    england_basis: list[str]
    source: list[str]
    licence: list[str]


def _indicator_rows(bundle: Bundle, lv: LevelValues) -> _IndicatorRows:
    groups = indicator_groups()
    order = _service_order()
    ind = lv.indicators
    recs = list(ind.itertuples(index=False))
    published = (
        lv.england_value
        if lv.england_value is not None
        else np.full(len(lv.england_median), np.nan)
    )
    origins = [str(getattr(r, "origin", ORIGIN_OFFICIAL) or ORIGIN_OFFICIAL) for r in recs]
    gids = [groups.of_row(r.id, r.service, o) for r, o in zip(recs, origins, strict=True)]
    return _IndicatorRows(
        ids=[str(r.id) for r in recs],
        units=[str(r.unit) for r in recs],
        polarities=[str(r.polarity) for r in recs],
        scales=[ordinal_scale(r.id) if r.unit == "ordinal" else None for r in recs],
        group=gids,
        group_label=[groups.label(g) for g in gids],
        group_order=[groups.rank(g) for g in gids],
        origin=origins,
        local_source=[local_source(bundle.indicator(r.id)) for r in recs],
        service_order=[order.get(r.service, len(order)) for r in recs],
        service=[r.service for r in recs],
        service_label=[service_label(r.service) for r in recs],
        label=[r.label for r in recs],
        kind=[r.kind for r in recs],
        agency=[str(getattr(r, "agency", "") or "") for r in recs],
        england_value=np.asarray(published, dtype=float),
        england=np.where(np.isnan(published), lv.england_median, published),
        england_basis=[ENGLAND_MEDIAN if np.isnan(x) else ENGLAND_PUBLISHED for x in published],
        source=[f"{r.source_publisher}: {r.source_title}" for r in recs],
        licence=[r.source_licence for r in recs],
    )


def profile_table(
    bundle: Bundle,
    place: str,
    level: str,
    group: list[str],
    period: str,
    group_text: str = "",
    settings: BenchmarkSettings | None = None,
    matrix: LevelValues | None = None,
    prices: str = CASH,
) -> pd.DataFrame:
    """One row per indicator at ``level``: the place's value at the latest period ending no
    later than ``period``, the group's spread (min, quartiles, max), England's median, the
    judgement, the place's rank in the group (1 = best; highest for neutral) and positions
    ``pos_*`` on a 0-100 scale spanning group, place and England (right = better).

    Pass ``matrix`` (from ``level_values``) to reuse the level's values across places. Money
    is in cash, or with ``prices`` "real" in real terms at the bundle's price base (column
    ``price_basis`` says which; positions and judgements are the same either way)."""
    settings = settings or benchmark_settings()
    lv = matrix if matrix is not None else level_values(bundle, level, period)
    me = lv.column(place)
    cols = [c for c in (lv.column(g) for g in dict.fromkeys(group)) if c is not None and c != me]
    base = bundle.derived(
        ("profile.rows", lv.level, lv.period), lambda: _indicator_rows(bundle, lv)
    )
    local = local_figures(bundle, place)
    min_n = settings.min_group_size.value
    notes = place_notes(bundle, place)
    kind = str(bundle.place(place).get("kind", "")) if me is not None else ""
    places = bundle.places_at(level)
    kind_cols = [
        c
        for c in (lv.column(x) for x in places.loc[places["kind"] == kind, "code"])
        if c is not None
    ]
    kind_has = (
        ~np.all(np.isnan(lv.value[:, kind_cols]), axis=1)
        if kind_cols and lv.value.size
        else np.ones(len(lv.indicators), dtype=bool)
    )
    rows_n = len(base.ids)
    if rows_n == 0:
        return pd.DataFrame()
    missing = np.full(rows_n, np.nan)
    value = lv.value[:, me] if me is not None else missing
    lo = lv.lower_ci[:, me] if me is not None else missing
    hi = lv.upper_ci[:, me] if me is not None else missing
    grp = GroupRows.of(lv.value[:, cols])
    judged, _ = judge_rows(value, grp, base.polarities, settings, lo, hi)
    ranks, ranked = rank_rows(value, grp, base.polarities)
    quints = quintile_rows(value, grp)
    qs = grp.quantiles(QUARTILE_POINTS)
    value_list = value.tolist()
    note_list = [notes.get((i, p), "") for i, p in zip(base.ids, lv.periods, strict=True)]
    not_published = f"not published for {kind.replace('_', ' ')} councils"
    verdicts, labels, methods, quintiles, values_text, grades, periods_text = ([] for _ in range(7))
    for k, (ident, unit, polarity, scale) in enumerate(
        zip(base.ids, base.units, base.polarities, base.scales, strict=True)
    ):
        j = judged[k]
        if scale is not None:
            others = grp.sorted[k, : grp.n[k]]
            j = ordinal_judgement(value_list[k], others, polarity, scale, settings)
            grades.append(grade_counts(others, scale))
        else:
            grades.append("")
        q = quints[k] if grp.n[k] + 1 >= min_n else None
        if polarity == "neutral":
            labels.append(QUINTILE_LABELS[q] if q else NOT_JUDGED)
            methods.append(_QUINTILE_METHOD if q else j.method)
        else:
            labels.append(j.verdict or NOT_JUDGED)
            methods.append(j.method)
        verdicts.append(j.verdict)
        quintiles.append(q)
        values_text.append(value_text(value_list[k], unit, ident) if kind_has[k] else not_published)
        periods_text.append(_period_text(lv.periods[k], period, note_list[k], scale))
    columns = {
        "place_code": place,
        "place_name": bundle.place_name(place),
        "group": base.group,
        "group_label": base.group_label,
        "group_order": base.group_order,
        "origin": base.origin,
        "local_source": base.local_source,
        "local_figure": [
            _local_text(local.get(i), u, i) for i, u in zip(base.ids, base.units, strict=True)
        ],
        "service_order": base.service_order,
        "service": base.service,
        "service_label": base.service_label,
        "indicator_id": base.ids,
        "indicator": base.label,
        "kind": base.kind,
        "agency": base.agency,
        "unit": base.units,
        "polarity": base.polarities,
        "period": list(lv.periods),
        "period_text": periods_text,
        "value": value,
        "value_text": values_text,
        "lower_ci": lo,
        "upper_ci": hi,
        "note": note_list,
        "grades_text": grades,
        "comparison_group": group_text,
        "group_places": grp.n,
        "group_min": qs[:, 0],
        "group_q1": qs[:, 1],
        "group_median": qs[:, 2],
        "group_q3": qs[:, 3],
        "group_max": qs[:, 4],
        "england_median": lv.england_median,
        "england_value": base.england_value,
        "england": base.england,
        "england_basis": base.england_basis,
        "verdict": verdicts,
        "quintile": quintiles,
        "judgement": labels,
        "rank_in_group": ranks,
        "places_ranked": ranked,
        "method": methods,
        "source": base.source,
        "licence": base.licence,
    }
    out = pd.DataFrame(columns)
    out["quintile"] = out["quintile"].astype("Int64")
    out["rank_in_group"] = out["rank_in_group"].astype("Int64")
    span = out[["value", "group_min", "group_max", "england"]].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo_all, hi_all = np.nanmin(span, axis=1), np.nanmax(span, axis=1)
    flip = (out["polarity"] == "lower_is_better").to_numpy()
    for c in ("value", "group_min", "group_q1", "group_median", "group_q3", "group_max"):
        out[f"pos_{c.removeprefix('group_')}"] = _position(
            out[c].to_numpy(float), lo_all, hi_all, flip
        )
    out["pos_england"] = _position(out["england"].to_numpy(float), lo_all, hi_all, flip)
    out["kind_order"] = out["kind"].map(KIND_ORDER).fillna(len(KIND_ORDER))
    out = convert_frame(out, bundle, prices, PROFILE_MONEY)
    out["price_basis"] = basis_column(bundle, out["unit"], prices, out["period"])
    if prices != CASH:  # the printed value follows the price basis
        money = out["unit"].isin(MONEY_UNITS) & ~out["value_text"].str.startswith("not published")
        out.loc[money, "value_text"] = [
            value_text(v, u, i)
            for v, u, i in zip(
                out.loc[money, "value"],
                out.loc[money, "unit"],
                out.loc[money, "indicator_id"],
                strict=True,
            )
        ]
    return out.sort_values(["group_order", "kind_order"], kind="stable").reset_index(drop=True)


def place_notes(
    bundle: Bundle, place: str, *, missing_only: bool = False
) -> dict[tuple[str, str], str]:
    """The bundle's notes on the values of ``place``: (indicator, period) -> text (none when
    the bundle has no ``note`` column); ``missing_only``: only notes on values that are missing
    (why they are)."""
    mine = bundle.value_notes(place)
    if mine is None:
        return {}
    if missing_only:
        mine = mine[mine["value"].isna()]
    return dict(
        zip(zip(mine["indicator_id"], mine["period"], strict=True), mine["note"], strict=True)
    )


def _period_text(value_period: str, chosen: str, note: str, scale: Scale | None) -> str:
    """The period as shown beside a value: when an ordinal judgement was made ('inspected
    March 2022') where the bundle says so, else the period, marked when it is not the chosen
    one ('2022-23, latest')."""
    if scale is not None and note.startswith("inspected"):
        return note
    return period_note(value_period, chosen) or value_period


_QUINTILE_METHOD = "quintile of the place within the group (no better or worse direction)"


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many indicators with a better direction are better, similar, worse or not judged."""
    judged = table[table["polarity"] != "neutral"]
    counts = judged["judgement"].value_counts()
    return {k: int(counts.get(k, 0)) for k in ("better", "similar", "worse", NOT_JUDGED)}


def spend_by_service(table: pd.DataFrame) -> pd.DataFrame:
    """Spend per head rows of the profile, one per service (the council's canonical
    service-level indicators: no total, no sub-service breakdowns, no totals in pounds, no
    partner's spend), in service order."""
    canonical = {i["id"] for i in canonical_indicators()}
    own = (
        table["agency"].fillna("").isin(["", "council"])
        if "agency" in table.columns
        else pd.Series(True, index=table.index)
    )
    spend = table[
        own
        & (table["kind"] == "spend")
        & (table["service"] != "all")
        & (table["unit"] == "gbp_per_head")
        & table["indicator_id"].isin(canonical)
    ]
    return spend[spend["value"].notna() | spend["group_median"].notna()].reset_index(drop=True)


def export_table(table: pd.DataFrame) -> pd.DataFrame:
    """The profile in the columns of the download (units, periods, sources and licences)."""
    out = table.rename(columns={"england_median": "england_median_all_places_at_level"})
    cols = [
        "england_median_all_places_at_level" if c == "england_median" else c for c in EXPORT_COLUMNS
    ]
    return out[cols]


def trend_table(
    bundle: Bundle,
    place: str,
    level: str,
    group: list[str],
    indicator_id: str,
    prices: str = CASH,
) -> pd.DataFrame:
    """One row per period of ``indicator_id``: the place's value, the group's median and
    interquartile range, the number of group places with a value, England's median (all places
    at the level), and ``england``: England's published value where there is one, else that
    median (``england_basis`` says which). Periods oldest first. Money is in cash, or with
    ``prices`` "real" in real terms at the bundle's price base (``analysis.prices``)."""
    v = bundle.values
    codes = set(bundle.place_codes(level))
    v = v[(v["indicator_id"] == indicator_id) & v["place_code"].isin(codes) & v["value"].notna()]
    if v.empty:
        return pd.DataFrame(
            columns=[
                "period",
                "place_value",
                "group_q1",
                "group_median",
                "group_q3",
                "group_places",
                "england_median",
                "england",
                "england_basis",
                "end_year",
                "segment",
            ]
        )
    grp = v[v["place_code"].isin(set(group) - {place})]
    stat_cols = ["group_q1", "group_median", "group_q3"]
    if grp.empty:  # no comparison places (e.g. "Places I pick" with none picked yet)
        stats = pd.DataFrame(columns=stat_cols, dtype=float)
    else:
        stats = grp.groupby("period")["value"].quantile(list(QUARTILE_POINTS[1:4])).unstack()
        stats.columns = stat_cols
    out = pd.DataFrame(
        index=sorted(v["period"].unique(), key=lambda p: (period_end_year(p) or 0, p))
    )
    out["place_value"] = v[v["place_code"] == place].groupby("period")["value"].first()
    out = out.join(stats)
    out["group_places"] = grp.groupby("period")["value"].count()
    out["group_places"] = out["group_places"].fillna(0).astype(int)
    out["england_median"] = v.groupby("period")["value"].median()
    published = pd.Series(
        [
            england_reference(
                bundle, indicator_id, str(p), str(bundle.indicator(indicator_id)["unit"])
            )
            for p in out.index
        ],
        index=out.index,
        dtype=float,
    )
    out["england"] = published.fillna(out["england_median"])
    out["england_basis"] = np.where(published.notna(), ENGLAND_PUBLISHED, ENGLAND_MEDIAN)
    out["end_year"] = [period_end_year(p) for p in out.index]
    out["segment"] = time_segments(out["end_year"].tolist())
    out = out.rename_axis("period").reset_index()
    return convert_frame(
        out, bundle, prices, TREND_MONEY, unit=str(bundle.indicator(indicator_id)["unit"])
    )


#: Columns of the trend table that carry the indicator's unit.
TREND_MONEY: tuple[str, ...] = (
    "place_value",
    "group_q1",
    "group_median",
    "group_q3",
    "england_median",
    "england",
)
#: Columns of the profile table that carry the indicator's unit (converted for real terms).
PROFILE_MONEY: tuple[str, ...] = (
    "value",
    "lower_ci",
    "upper_ci",
    "group_min",
    "group_q1",
    "group_median",
    "group_q3",
    "group_max",
    "england_median",
    "england_value",
    "england",
)


def time_segments(end_years: list[int | None]) -> list[int]:
    """Runs of periods without a gap in time, numbered from 0: a new run starts where the next
    period ends more than one step after the last (the step is the smallest difference between
    consecutive periods, one year for annual data). '2017-18', '2022-23', '2023-24' -> 0, 1, 1."""
    years = [y if y is not None else 0 for y in end_years]
    steps = [b - a for a, b in zip(years, years[1:], strict=False) if b > a]
    step = min(steps) if steps else 1
    out, run = [], 0
    for k, y in enumerate(years):
        if k and y - years[k - 1] > step:
            run += 1
        out.append(run)
    return out


def gap_text(trend: pd.DataFrame) -> str:
    """The gaps in time of a trend table in words ('no values between 2017-18 and 2022-23'),
    '' when it has none."""
    if trend.empty or "segment" not in trend.columns:
        return ""
    seg, per = trend["segment"].tolist(), trend["period"].tolist()
    gaps = [f"{per[k - 1]} and {per[k]}" for k in range(1, len(seg)) if seg[k] != seg[k - 1]]
    return ("no values between " + "; between ".join(gaps)) if gaps else ""


def trend_indicators(bundle: Bundle, level: str) -> pd.DataFrame:
    """Indicators at ``level`` with values in at least two periods (id, label, service)."""
    ind = bundle.indicators_at(level)
    n = bundle.values.groupby("indicator_id")["period"].nunique()
    keep = ind["id"].map(n).fillna(0) >= 2
    return ind.loc[keep, ["id", "label", "service", "kind"]].reset_index(drop=True)


def _local_text(figure: tuple[float, str, str] | None, unit: str, indicator_id: str) -> str:
    """'Local figure: <value> (<period>, <layer title>)', or "" when there is none."""
    if figure is None:
        return ""
    value, period, title = figure
    return f"Local figure: {value_text(value, unit, indicator_id)} ({period}, {title})"


def spine_rows(table: pd.DataFrame, detailed: bool = False) -> pd.DataFrame:
    """Rows for the spine chart: the canonical indicators (data/catalogue/indicators.yaml), or
    every indicator when ``detailed``; spend totals in pounds are left out (per head is shown)."""
    return table[_spine_mask(table, detailed)].reset_index(drop=True)


def _spine_mask(table: pd.DataFrame, detailed: bool) -> pd.Series:
    """Which rows of the profile table the spine chart shows (spine_rows)."""
    keep = ~((table["kind"] == "spend") & table["unit"].isin(["gbp", "gbp_thousands"]))
    if not detailed:
        canonical = table["indicator_id"].isin({i["id"] for i in canonical_indicators()})
        keep &= canonical | (table["origin"] == ORIGIN_LOCAL)
    return keep


def has_detail(table: pd.DataFrame) -> bool:
    """Whether the table has indicators beyond the canonical catalogue."""
    return int(_spine_mask(table, True).sum()) > int(_spine_mask(table, False).sum())


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The profile as readable text: values with their units, the rank as 'n of m'."""
    units, ids = table["unit"], table["indicator_id"]

    def fmt(col: str) -> list[str]:
        return [value_text(v, u, i) for v, u, i in zip(table[col], units, ids, strict=True)]

    out = pd.DataFrame(
        {
            "group": table["group_label"],
            "indicator": table["indicator"],
            "period": table["period_text"],
            "value": table["value_text"],
            "group median": fmt("group_median"),
            "group range": [
                g or (f"{a} to {b}" if a != "no value" else "no value")
                for a, b, g in zip(
                    fmt("group_min"), fmt("group_max"), table["grades_text"], strict=True
                )
            ],
            "England": [
                f"{a} ({b})" if b == ENGLAND_MEDIAN and a != "no value" else a
                for a, b in zip(fmt("england"), table["england_basis"], strict=True)
            ],
            "judgement": table["judgement"],
            "rank in group": [
                f"{int(r)} of {int(n)}" if not pd.isna(r) else "not ranked"
                for r, n in zip(table["rank_in_group"], table["places_ranked"], strict=True)
            ],
        }
    )
    if "local_figure" in table.columns and (table["local_figure"] != "").any():
        out.insert(out.columns.get_loc("value") + 1, "local figure", table["local_figure"])
    return out
