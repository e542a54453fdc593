"""Value for money: spend against outcome for one service, the outcome expected given need, the
efficiency frontier, and what good looks like for one place.

Spend is net current expenditure per head (£ per head) on the service; outcomes are the
catalogue's outcomes that name the service. The expected outcome is an ordinary least-squares
regression of the outcome on the chosen need indicators (with an intercept) across the places
compared (all places at the level by default, or the place and its comparison group).
"Better than expected" is the residual oriented by polarity, in the outcome's units: positive
is better than expected for a place with this need. The frontier is :mod:`dashboard.analysis.dea`.
Settings live in data/catalogue/vfm.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analysis.dea import dea_vrs_input, orient, unorient
from dashboard.analysis.summary import values_at
from dashboard.bundle.catalogue import canonical_indicators, service_label, services
from dashboard.bundle.denominators import mid_year
from dashboard.bundle.model import Bundle
from dashboard.catalogue import Param, param, section, sequence
from dashboard.formatting import format_difference, format_gbp, format_value

CAVEAT = (
    "A cross-sectional relationship between places shows association, not cause: it cannot "
    "prove that spending more (or less) would change the outcome, and the expected outcome "
    "allows only for the need indicators chosen."
)
DEA_CAVEAT = (
    "Scores depend on the variables and on the places compared: add or drop a variable or a "
    "place and they move. Leaving out need overstates inefficiency; with few places or many "
    "variables, most places reach the frontier."
)
QUADRANTS: tuple[str, ...] = (
    "Lower spend, better outcome",
    "Higher spend, better outcome",
    "Lower spend, worse outcome",
    "Higher spend, worse outcome",
)


# --- settings -------------------------------------------------------------------------------
FILE = "vfm.yaml"


@dataclass(frozen=True)
class VfmSettings:
    """The settings of data/catalogue/vfm.yaml (each a :class:`~dashboard.catalogue.Param`)."""

    min_places_regression: Param
    min_places_per_need: Param
    top_quartile: Param
    min_places_dea: Param
    dea_weight_tolerance: Param
    dea_frontier_tolerance: Param
    dea_max_outcomes: Param
    default_need_count: Param


def vfm_settings(path: Path | None = None) -> VfmSettings:
    """The validated settings of data/catalogue/vfm.yaml (or of the file at ``path``)."""
    name = path or FILE
    keys = {f.name: f"settings.{f.name}" for f in fields(VfmSettings)}
    keys["default_need_count"] = "default_need_count"
    return VfmSettings(**{k: param(name, key) for k, key in keys.items()})


def need_defaults(service: str) -> list[str]:
    """vfm.yaml's need indicators offered first for ``service`` (canonical ids; [] if none)."""
    table = section(FILE, "need_defaults")
    if service not in table:
        return []
    return [str(i) for i in sequence(table[service], FILE, f"need_defaults.{service}")]


# --- what a page can offer --------------------------------------------------------------------
def _with_values(bundle: Bundle, level: str) -> pd.DataFrame:
    """Indicators at ``level`` that have at least one value for a place at the level."""
    ind = bundle.indicators_at(level)
    vals = bundle.values
    present = vals.loc[vals["place_code"].isin(bundle.place_codes(level)), "indicator_id"].unique()
    return ind[ind["id"].isin(present)].reset_index(drop=True)


@dataclass(frozen=True)
class Options:
    """What the page offers at one level, computed once per bundle: services (services.yaml
    order), their spend per head and outcome indicators, the need indicators, and each
    indicator's label, unit and polarity."""

    services: tuple[str, ...]
    spend: dict[str, list[str]]
    outcomes: dict[str, list[str]]
    needs: tuple[str, ...]
    label: dict[str, str]
    unit: dict[str, str]
    polarity: dict[str, str]
    source: dict[str, str]
    licence: dict[str, str]


def options(bundle: Bundle, level: str) -> Options:
    """Every choice the value-for-money page offers at ``level``."""
    ind = _with_values(bundle, level)
    svcs = service_options(bundle, level, ind)
    return Options(
        services=tuple(svcs),
        spend={s: spend_options(bundle, level, s, ind) for s in svcs},
        outcomes={s: outcome_options(bundle, level, s, ind) for s in svcs},
        needs=tuple(need_options(bundle, level, ind)),
        label=dict(zip(ind["id"], ind["label"].astype(str), strict=True)),
        unit=dict(zip(ind["id"], ind["unit"].astype(str), strict=True)),
        polarity=dict(zip(ind["id"], ind["polarity"].astype(str), strict=True)),
        source={
            i: f"{p}: {t}"
            for i, p, t in zip(ind["id"], ind["source_publisher"], ind["source_title"], strict=True)
        },
        licence=dict(zip(ind["id"], ind["source_licence"].astype(str), strict=True)),
    )


def spend_options(
    bundle: Bundle, level: str, service: str, ind: pd.DataFrame | None = None
) -> list[str]:
    """Spend per head indicators of ``service`` (the service's headline line first)."""
    ind = _with_values(bundle, level) if ind is None else ind
    hits = ind[(ind["kind"] == "spend") & (ind["service"] == service)]
    hits = hits[hits["unit"] == "gbp_per_head"]["id"].tolist()
    canonical = {i["id"] for i in canonical_indicators() if i["kind"] == "spend"}
    return sorted(hits, key=lambda i: (i not in canonical, hits.index(i)))


def outcome_options(
    bundle: Bundle, level: str, service: str, ind: pd.DataFrame | None = None
) -> list[str]:
    """Outcomes naming ``service`` that have a better direction (canonical ones first)."""
    ind = _with_values(bundle, level) if ind is None else ind
    hits = ind[
        (ind["kind"] == "outcome") & (ind["service"] == service) & (ind["polarity"] != "neutral")
    ]["id"].tolist()
    canonical = [i["id"] for i in canonical_indicators()]
    return sorted(hits, key=lambda i: canonical.index(i) if i in canonical else len(canonical))


def service_options(bundle: Bundle, level: str, ind: pd.DataFrame | None = None) -> list[str]:
    """Services (services.yaml order) with a spend per head and at least one outcome."""
    ind = _with_values(bundle, level) if ind is None else ind
    return [
        s["id"]
        for s in services()
        if s["id"] != "all"
        and spend_options(bundle, level, s["id"], ind)
        and outcome_options(bundle, level, s["id"], ind)
    ]


def need_options(bundle: Bundle, level: str, ind: pd.DataFrame | None = None) -> list[str]:
    """Need indicators at ``level`` with values."""
    ind = _with_values(bundle, level) if ind is None else ind
    return ind[ind["kind"] == "need"]["id"].tolist()


def default_needs(
    bundle: Bundle, level: str, service: str, settings: VfmSettings | None = None
) -> list[str]:
    """The first few of vfm.yaml's need defaults for ``service`` that the bundle has."""
    settings = settings or vfm_settings()
    offered = need_options(bundle, level)
    return pick_needs(offered, service, settings)


def pick_needs(
    offered: list[str] | tuple[str, ...], service: str, settings: VfmSettings
) -> list[str]:
    """The first few of vfm.yaml's need defaults for ``service`` among ``offered``."""
    wanted = need_defaults(service) + need_defaults("all")
    picked = [i for i in dict.fromkeys(wanted) if i in offered]
    if not picked and offered:
        picked = [offered[0]]
    return picked[: int(settings.default_need_count.value)]


# --- the frame --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """One row per place (index ``place_code``): ``place_name``, ``population_persons`` and one
    column per indicator id (in the indicator's unit); ``periods`` maps each id to the period
    used (each indicator's latest ending no later than the selected period)."""

    data: pd.DataFrame
    periods: dict[str, str]


def frame(bundle: Bundle, period: str, codes: list[str], indicator_ids: list[str]) -> Frame:
    """Values of ``indicator_ids`` (and population) for ``codes`` at ``period``."""
    ids = list(dict.fromkeys([*indicator_ids, "population"]))
    vals = values_at(bundle, period, codes, ids)
    wide = (
        vals.pivot_table(
            index="place_code", columns="indicator_id", values="value", aggfunc="first"
        )
        if len(vals)
        else pd.DataFrame()
    )
    wide = wide.reindex(index=codes, columns=ids).astype(float)
    wide.columns.name = None
    wide = wide.rename(columns={"population": "population_persons"})
    # residents of the period's own mid-year (2023-24: mid-2023) where population.parquet has it
    year = mid_year(period)
    matched = bundle.population_total(year) if year is not None else pd.Series(dtype=float)
    if not matched.empty:
        wide["population_persons"] = matched.reindex(codes).to_numpy(dtype=float)
    names = bundle.places.set_index("code")["name"]
    wide.insert(0, "place_name", names.reindex(codes).to_numpy())
    wide.index.name = "place_code"
    periods = (
        vals.groupby("indicator_id")["period"].first().astype(str).to_dict() if len(vals) else {}
    )
    return Frame(wide, periods)


def complete(data: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows with every one of ``columns``; and the names of the places dropped."""
    ok = data[columns].notna().all(axis=1)
    return data[ok], data.loc[~ok, "place_name"].astype(str).tolist()


# --- need-adjusted expected outcome --------------------------------------------------------------
@dataclass(frozen=True)
class Regression:
    """OLS with intercept: ``coef`` (intercept first, outcome units per need unit), ``n``
    places, ``r2`` (0-1), ``expected`` outcome and ``residual`` = actual - expected."""

    coef: np.ndarray
    n: int
    r2: float
    expected: np.ndarray
    residual: np.ndarray


def ols(y: np.ndarray, x: np.ndarray) -> Regression:
    """Least squares of ``y`` (n,) on ``x`` (n, k) with an intercept."""
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float).reshape(len(y), -1)
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    expected = design @ coef
    resid = y - expected
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid**2).sum()) / tss if tss > 0 else float("nan")
    return Regression(coef, len(y), r2, expected, resid)


def better_sign(polarity: str) -> float:
    """+1 where higher is better, -1 where lower is better (neutral: +1)."""
    return -1.0 if polarity == "lower_is_better" else 1.0


@dataclass(frozen=True)
class NeedFit:
    """Expected outcome given need. ``table`` (index place_code): ``place_name``,
    ``population_persons``, ``spend_gbp_per_head``, ``outcome``, ``expected_outcome``,
    ``better_than_expected`` (outcome units, positive = better), ``quadrant``. ``reason`` says
    why there is no fit (then ``table`` holds the complete rows, without the fit columns)."""

    table: pd.DataFrame
    regression: Regression | None
    need_ids: tuple[str, ...]
    dropped: tuple[str, ...]
    spend_median: float
    outcome_median: float
    reason: str = ""


def quadrant(
    spend: np.ndarray,
    outcome: np.ndarray,
    spend_median: float,
    outcome_median: float,
    polarity: str,
) -> np.ndarray:
    """Quadrant labels at the medians, 'better' following the outcome's polarity."""
    better = better_sign(polarity) * (np.asarray(outcome) - outcome_median) >= 0
    higher = np.asarray(spend) > spend_median
    labels = np.where(
        better,
        np.where(higher, QUADRANTS[1], QUADRANTS[0]),
        np.where(higher, QUADRANTS[3], QUADRANTS[2]),
    )
    return labels


def need_fit(
    fr: Frame,
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
    polarity: str,
    settings: VfmSettings | None = None,
) -> NeedFit:
    """Spend, outcome, quadrants and (when enough places) the need-adjusted expected outcome."""
    settings = settings or vfm_settings()
    data, dropped = complete(fr.data, [spend_id, outcome_id, *need_ids])
    table = pd.DataFrame(
        {
            "place_name": data["place_name"],
            "population_persons": data["population_persons"],
            "spend_gbp_per_head": data[spend_id],
            "outcome": data[outcome_id],
        }
    )
    s_med = float(table["spend_gbp_per_head"].median()) if len(table) else float("nan")
    o_med = float(table["outcome"].median()) if len(table) else float("nan")
    table["quadrant"] = quadrant(
        table["spend_gbp_per_head"].to_numpy(), table["outcome"].to_numpy(), s_med, o_med, polarity
    )
    need = int(
        max(
            settings.min_places_regression.value,
            settings.min_places_per_need.value * max(1, len(need_ids)),
        )
    )
    base = dict(
        need_ids=tuple(need_ids), dropped=tuple(dropped), spend_median=s_med, outcome_median=o_med
    )
    if not need_ids:
        return NeedFit(table, None, reason="Choose at least one need indicator.", **base)
    if len(table) < need:
        return NeedFit(
            table,
            None,
            reason=f"Too few places: {len(table)} have every value; the regression needs "
            f"at least {need} for {len(need_ids)} need indicator(s).",
            **base,
        )
    reg = ols(table["outcome"].to_numpy(), data[need_ids].to_numpy(dtype=float))
    table["expected_outcome"] = reg.expected
    table["better_than_expected"] = better_sign(polarity) * reg.residual
    return NeedFit(table, reg, **base)


# --- efficiency frontier --------------------------------------------------------------------------
@dataclass(frozen=True)
class Frontier:
    """DEA results. ``table`` (index place_code): ``place_name``, ``spend_gbp_per_head``,
    one column per output id (original units), ``dea_score_0_1``, ``on_frontier``,
    ``spend_target_gbp_per_head``, ``spend_gap_gbp_per_head`` (spend minus target, ≥ 0),
    ``target_<output id>`` (the frontier combination's outcome, original units), ``peers``
    (names with weights). ``lambdas`` (places x places) as a DataFrame indexed by code."""

    table: pd.DataFrame
    lambdas: pd.DataFrame
    output_ids: tuple[str, ...]
    need_ids: tuple[str, ...]
    dropped: tuple[str, ...]
    reason: str = ""


def frontier(
    fr: Frame,
    spend_id: str,
    output_ids: list[str],
    lower_is_better: list[bool],
    need_ids: list[str],
    settings: VfmSettings | None = None,
) -> Frontier:
    """Input-oriented VRS scores with spend as the input, each need as a non-discretionary
    input (reversed so a place is compared with places facing at least as much need) and the
    outputs oriented so higher is better. Places without every value, or with spend ≤ 0, are
    dropped (listed in ``dropped``)."""
    settings = settings or vfm_settings()
    data, dropped = complete(fr.data, [spend_id, *output_ids, *need_ids])
    nonpositive = data[spend_id] <= 0
    dropped += data.loc[nonpositive, "place_name"].astype(str).tolist()
    data = data[~nonpositive]
    base = dict(output_ids=tuple(output_ids), need_ids=tuple(need_ids), dropped=tuple(dropped))
    empty = pd.DataFrame(index=data.index)
    if not output_ids:
        return Frontier(empty, pd.DataFrame(), reason="Choose at least one outcome.", **base)
    if len(data) < settings.min_places_dea.value:
        return Frontier(
            empty,
            pd.DataFrame(),
            reason=f"Too few places: {len(data)} have every value and spend above zero; the "
            f"frontier needs at least {int(settings.min_places_dea.value)}.",
            **base,
        )
    x = data[[spend_id]].to_numpy(dtype=float)
    y_raw = data[output_ids].to_numpy(dtype=float)
    y = orient(y_raw, lower_is_better)
    z = orient(data[need_ids].to_numpy(dtype=float), [True] * len(need_ids)) if need_ids else None
    res = dea_vrs_input(x, y, z, weight_tol=settings.dea_weight_tolerance.value)
    codes = data.index.tolist()
    names = data["place_name"].astype(str).tolist()
    table = pd.DataFrame({"place_name": names}, index=data.index)
    table["spend_gbp_per_head"] = x[:, 0]
    for j, oid in enumerate(output_ids):
        table[oid] = y_raw[:, j]
    for nid in need_ids:
        table[nid] = data[nid].to_numpy(dtype=float)
    table["dea_score_0_1"] = res.score
    table["on_frontier"] = res.score >= 1.0 - settings.dea_frontier_tolerance.value
    table["spend_target_gbp_per_head"] = res.input_target[:, 0]
    table["spend_gap_gbp_per_head"] = x[:, 0] - res.input_target[:, 0]
    targets = unorient(res.output_target, y_raw, lower_is_better)
    for j, oid in enumerate(output_ids):
        table[f"target_{oid}"] = targets[:, j]
    table["peers"] = [
        "; ".join(f"{names[j]} ({w:.0%})" for j, w in res.peers(i)) for i in range(len(codes))
    ]
    lambdas = pd.DataFrame(res.lambdas, index=codes, columns=codes)
    return Frontier(table, lambdas, **base)


def peer_table(fr: Frontier, code: str) -> pd.DataFrame:
    """The place itself (first, no weight) and the frontier places it is compared with:
    ``place_code``, ``place_name``, ``weight_share`` (share of 1), spend (£ per head), outputs
    and need (original units), largest weight first."""
    if code not in fr.lambdas.index:
        return pd.DataFrame()
    row = fr.lambdas.loc[code]
    tol = vfm_settings().dea_weight_tolerance.value
    picked = row[row > tol].sort_values(ascending=False)
    cols = ["place_name", "spend_gbp_per_head", *fr.output_ids, *fr.need_ids]
    out = fr.table.loc[[code, *picked.index], cols].copy()
    out.insert(1, "weight_share", [float("nan"), *picked.to_numpy()])
    out.iloc[0, 0] = f"{out.iloc[0, 0]} (this place)"
    return out.reset_index()


# --- what good looks like -------------------------------------------------------------------------
@dataclass(frozen=True)
class Good:
    """What good looks like for one place, in the outcome's units and £ per head.

    ``reference_outcome``: the outcome at the group's top quartile of better-than-expected
    (None without a fit); ``reference_margin``: that quartile (outcome units, positive =
    better); ``group_used``: 'comparison group' or 'all places compared' (when the group was too
    small). Frontier fields are None without a frontier score for the place."""

    actual: float
    expected: float | None
    better_than_expected: float | None
    reference_margin: float | None
    reference_outcome: float | None
    group_used: str
    group_n: int
    dea_score: float | None
    spend: float | None
    spend_target: float | None
    outcome_target: float | None
    population: float | None


def what_good_looks_like(
    fit: NeedFit,
    fr: Frontier,
    code: str,
    group: list[str],
    outcome_id: str,
    polarity: str,
    settings: VfmSettings | None = None,
) -> Good | None:
    """Numbers for ``code``; None when the place lacks the spend or the outcome."""
    settings = settings or vfm_settings()
    if code not in fit.table.index:
        return None
    me = fit.table.loc[code]
    expected = margin = ref = bte = None
    used, group_n = "comparison group", 0
    if fit.regression is not None:
        pool = fit.table.loc[fit.table.index.isin(group), "better_than_expected"]
        if len(pool) < settings.min_places_regression.value / 2:
            pool, used = fit.table["better_than_expected"], "all places compared"
        group_n = len(pool)
        margin = float(pool.quantile(settings.top_quartile.value))
        expected = float(me["expected_outcome"])
        bte = float(me["better_than_expected"])
        ref = expected + better_sign(polarity) * margin
    score = target = otarget = None
    if not fr.reason and code in fr.table.index:
        f = fr.table.loc[code]
        score = float(f["dea_score_0_1"])
        target = float(f["spend_target_gbp_per_head"])
        col = f"target_{outcome_id}"
        otarget = float(f[col]) if col in f.index else None
    pop = me["population_persons"]
    return Good(
        actual=float(me["outcome"]),
        expected=expected,
        better_than_expected=bte,
        reference_margin=margin,
        reference_outcome=ref,
        group_used=used,
        group_n=group_n,
        dea_score=score,
        spend=float(me["spend_gbp_per_head"]),
        spend_target=target,
        outcome_target=otarget,
        population=None if pd.isna(pop) else float(pop),
    )


def outcome_text(value: float, unit: str, *, signed: bool = False) -> str:
    """An outcome (or a difference, ``signed``) in its unit, with three decimals for small
    scores and ratios (e.g. 0-1 scores) where the usual two hide the differences."""
    if unit in ("score", "ratio") and abs(value) < 1:
        return f"{value:+.3f}" if signed else f"{value:.3f}"
    return format_difference(value, unit) if signed else format_value(value, unit)


def top_share_text(settings: VfmSettings) -> str:
    """The share of places above vfm.yaml's ``top_quartile`` as a percentage, e.g. '25%'."""
    return f"{round(100 * (1 - settings.top_quartile.value), 1):g}%"


def good_sentences(good: Good, place_name: str, outcome_label: str, unit: str) -> list[str]:
    """'What good looks like' in plain words (markdown), one sentence per finding.
    ``place_name`` and ``outcome_label`` go in as given: a caller escapes text from data."""
    out: list[str] = []
    if good.expected is not None and good.reference_outcome is not None:
        gap = good.reference_outcome - good.actual
        where = "its comparison group" if good.group_used == "comparison group" else "all places"
        best = top_share_text(vfm_settings())
        line = (
            f"**Given its need**, {place_name} would be expected to have "
            f"{outcome_text(good.expected, unit)} on *{outcome_label}*; it has "
            f"{outcome_text(good.actual, unit)}. The best {best} of {where} "
            f"({good.group_n} places) do at least "
            f"{outcome_text(good.reference_margin or 0.0, unit, signed=True)} better than expected; "
        )
        if (good.better_than_expected or 0.0) >= (good.reference_margin or 0.0):
            line += f"{place_name} is already among them."
        else:
            line += (
                f"at that level {place_name} would have **{outcome_text(good.reference_outcome, unit)}** "
                f"({outcome_text(gap, unit, signed=True)} on today)."
            )
        out.append(line)
    if good.dea_score is not None and good.spend is not None and good.spend_target is not None:
        if good.dea_score >= 1.0 - vfm_settings().dea_frontier_tolerance.value:
            out.append(
                f"**On the frontier**: no combination of places facing at least as much need "
                f"matches {place_name}'s outcomes on less spend per head."
            )
        else:
            saving = good.spend - good.spend_target
            total = (
                f" (about {format_gbp(saving * good.population)} a year)" if good.population else ""
            )
            line = (
                f"**The frontier** (score {good.dea_score:.2f}) says a combination of places "
                f"facing at least as much need gets outcomes at least as good for "
                f"**{format_value(good.spend_target, 'gbp_per_head')}** against "
                f"{format_value(good.spend, 'gbp_per_head')}: "
                f"{format_value(saving, 'gbp_per_head')} less{total}."
            )
            if good.outcome_target is not None and not np.isclose(
                good.outcome_target, good.actual, rtol=0, atol=1e-9 + 1e-6 * abs(good.actual)
            ):
                line += (
                    f" That combination has {outcome_text(good.outcome_target, unit)} on "
                    f"*{outcome_label}* ({outcome_text(good.outcome_target - good.actual, unit, signed=True)}"
                    " on today)."
                )
            out.append(line)
    return out


# --- the downloadable table ------------------------------------------------------------------
def scores_table(
    bundle: Bundle,
    fit: NeedFit,
    fr: Frontier,
    fr_data: Frame,
    *,
    place: str,
    group: list[str],
    period: str,
    service: str,
    spend_id: str,
    outcome_id: str,
    fitted_across: str,
) -> pd.DataFrame:
    """One row per place compared, with every figure's period, unit, source and licence."""
    meta = {i: bundle.indicator(i) for i in {spend_id, outcome_id, *fit.need_ids, *fr.output_ids}}
    t = fit.table.copy()
    out = pd.DataFrame(index=t.index)
    out["place_name"] = t["place_name"]
    out["selected_place"] = out.index == place
    out["in_comparison_group"] = out.index.isin(group)
    out["period"] = period
    out["service"] = service_label(service)
    out["spend_indicator"] = spend_id
    out["spend_period"] = fr_data.periods.get(spend_id, "")
    out["spend_gbp_per_head"] = t["spend_gbp_per_head"]
    out["population_persons"] = t["population_persons"]
    out["outcome_indicator"] = outcome_id
    out["outcome_label"] = meta[outcome_id]["label"]
    out["outcome_unit"] = meta[outcome_id]["unit"]
    out["outcome_polarity"] = meta[outcome_id]["polarity"]
    out["outcome_period"] = fr_data.periods.get(outcome_id, "")
    out["outcome_value"] = t["outcome"]
    out["quadrant_at_medians"] = t["quadrant"]
    out["need_indicators"] = ", ".join(f"{i} ({fr_data.periods.get(i, '')})" for i in fit.need_ids)
    if fit.regression is not None:
        out["expected_outcome_value"] = t["expected_outcome"]
        out["better_than_expected_outcome_units"] = t["better_than_expected"]
        out["regression_places"] = fit.regression.n
        out["regression_r2"] = fit.regression.r2
    out["dea_outcomes"] = ", ".join(fr.output_ids)
    if len(fr.table.columns):
        f = fr.table.reindex(out.index)
        out["dea_score_0_1"] = f["dea_score_0_1"]
        out["dea_on_frontier"] = f["on_frontier"]
        out["dea_spend_target_gbp_per_head"] = f["spend_target_gbp_per_head"]
        out["dea_spend_gap_gbp_per_head"] = f["spend_gap_gbp_per_head"]
        out["dea_peers_with_weights"] = f["peers"]
    out["fitted_across"] = fitted_across
    out["source"] = "; ".join(
        dict.fromkeys(f"{m['source_publisher']}: {m['source_title']}" for m in meta.values())
    )
    out["licence"] = "; ".join(dict.fromkeys(str(m["source_licence"]) for m in meta.values()))
    return out.reset_index()


# --- selections on the trade-off chart -------------------------------------------------------
def selected_places(
    table: pd.DataFrame, brush: dict[str, list[float]] | None, picked: list[dict] | None
) -> pd.DataFrame:
    """Rows of a need-fit ``table`` inside a brushed area (``{column: [low, high]}``, as
    st.altair_chart reports it) and/or picked by click (``[{"place_code": ...}]``)."""
    mask = pd.Series(False, index=table.index)
    if brush:
        inside = pd.Series(True, index=table.index)
        for col, bounds in brush.items():
            if col in table.columns and len(bounds) == 2:
                lo, hi = sorted(float(b) for b in bounds)
                inside &= table[col].between(lo, hi)
        mask |= inside
    if picked:
        codes = {p.get("place_code") for p in picked}
        mask |= table.index.isin(codes)
    return table[mask]


def periods_text(fr: Frame, labels: dict[str, str]) -> str:
    """'spend 2024-25, outcome 2022-23, …': the period used for each named role."""
    return ", ".join(f"{role} {fr.periods.get(i, 'no data')}" for i, role in labels.items())
