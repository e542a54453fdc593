"""Value for money in words and tables: what good looks like for one place, outcomes in their
units, the downloadable scores table and the chart's selections."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.profile import place_notes
from dashboard.analysis.vfm_fit import Frame, NeedFit, better_sign
from dashboard.analysis.vfm_frontier import Frontier
from dashboard.analysis.vfm_pairs import VfmSettings, vfm_settings
from dashboard.analysis.vfm_range import GapRange
from dashboard.bundle.catalogue import service_label
from dashboard.bundle.model import Bundle
from dashboard.formatting import format_difference, format_gbp, format_value, unit_label

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
    fit_r2: float | None = None
    fit_n: int = 0


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
        fit_r2=None if fit.regression is None else float(fit.regression.r2),
        fit_n=0 if fit.regression is None else int(fit.regression.n),
    )


def outcome_text(value: float, unit: str, *, signed: bool = False, bare: bool = False) -> str:
    """An outcome (or a difference, ``signed``) in its unit, with three decimals for small
    scores and ratios (e.g. 0-1 scores) where the usual two hide the differences; a score,
    ratio or grade carries its unit word ("0.409 (score)") so no headline is a bare number,
    unless ``bare`` (the caller puts the unit word in the label: see :func:`unit_word`)."""
    if unit in ("score", "ratio") and abs(value) < 1:
        body = f"{value:+.3f}" if signed else f"{value:.3f}"
    else:
        body = format_difference(value, unit) if signed else format_value(value, unit)
    if unit_word(unit) and not bare:
        body = f"{body} ({unit_word(unit)})"
    return body


def unit_word(unit: str) -> str:
    """The unit word a number in ``unit`` needs beside it ("score", "ratio", "grade", "rank"),
    or "" when the formatted number already shows its unit (%, £, per 1,000)."""
    return unit_label(unit) if unit in ("score", "ratio", "ordinal", "rank") else ""


def direction_text(polarity: str) -> str:
    """What a higher value means: 'higher is better', 'lower is better' or 'no better
    direction'."""
    return {
        "higher_is_better": "higher is better",
        "lower_is_better": "lower is better",
    }.get(polarity, "no better direction")


def score_text(score: float) -> str:
    """An efficiency score with its scale and direction, e.g. 'efficiency score 0.41 (1 = on the
    frontier; higher is better)'."""
    return f"efficiency score {score:.2f} (1 = on the frontier; higher is better)"


def money_label(spend_period: str, real: str = "") -> str:
    """How money on the page is priced: 'cash, 2024-25', or ``real`` (the price basis in words,
    e.g. 'real terms, 2024-25 prices (GDP deflator, ONS)') when the page shows real terms."""
    if real:
        return real
    return f"cash, {spend_period}" if spend_period else "cash"


def top_share_text(settings: VfmSettings) -> str:
    """The share of places above vfm.yaml's ``top_quartile`` as a percentage, e.g. '25%'."""
    return f"{round(100 * (1 - settings.top_quartile.value), 1):g}%"


def good_sentences(good: Good, place_name: str, outcome_label: str, unit: str) -> list[str]:
    """'What good looks like' in plain words (markdown), one sentence per finding, with the fit
    of the expected outcome (R², n) beside it and no money figure (money is the range of
    :func:`range_sentences`). ``place_name`` and ``outcome_label`` go in as given: a caller
    escapes text from data."""
    out: list[str] = []
    if good.expected is not None and good.reference_outcome is not None:
        gap = good.reference_outcome - good.actual
        where = "its comparison group" if good.group_used == "comparison group" else "all places"
        best = top_share_text(vfm_settings())
        fit = (
            f" (least squares across {good.fit_n} places: need explains "
            f"{100 * good.fit_r2:.0f}% of the variation in this outcome, R² {good.fit_r2:.2f})"
            if good.fit_r2 is not None
            else ""
        )
        line = (
            f"**Given its need**, {place_name} would be expected to have "
            f"{outcome_text(good.expected, unit)} on *{outcome_label}*{fit}; it has "
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
                f"**On the frontier** ({score_text(good.dea_score)}): no combination of places "
                f"facing at least as much need matches {place_name}'s outcomes on less spend per "
                "head, on the choices above (places compared and frontier outcomes)."
            )
        else:
            line = (
                f"**The frontier**, on the choices above: {score_text(good.dea_score)}. A "
                "combination of places facing at least as much need gets outcomes at least as "
                "good on less spend per head; how much less depends on the specification (below)."
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


def range_sentences(
    gr: GapRange, place_name: str, spend_period: str, money: str | None = None
) -> list[str]:
    """The gap as a range in words (markdown): £ per head and £ a year, lowest to highest across
    the specifications with a result, priced as :func:`money_label`. ``place_name`` goes in as
    given (a caller escapes it); ``money`` overrides the price basis shown."""
    done = [r for r in gr.results if r.gap_per_head is not None]
    if gr.low_per_head is None or gr.high_per_head is None:
        return [f"No specification gives {place_name} a frontier gap (see the table)."]
    money = money or money_label(spend_period)
    if gr.high_per_head <= 0:
        return [
            f"**On the frontier in all {len(done)} specifications** with a result: no "
            f"combination of other places matches {place_name}'s outcomes on less spend per head."
        ]
    per_head = (
        f"{format_value(gr.low_per_head, 'gbp_per_head', compact=True)} to "
        f"{format_value(gr.high_per_head, 'gbp_per_head')}"
    )
    year = (
        f", {format_gbp(gr.low_a_year)} to {format_gbp(gr.high_a_year)} a year"
        if gr.low_a_year is not None and gr.high_a_year is not None
        else ""
    )
    if gr.verdict.level == "weak":  # not a headline: the verdict below says why
        return [
            f"Gap to the frontier, on weak evidence: {per_head}{year} ({money}), lowest to "
            f"highest across {len(done)} specifications of what to compare {place_name} with."
        ]
    return [
        f"**Gap to the frontier: {per_head}{year}** ({money}), lowest to highest across "
        f"{len(done)} specifications of what to compare {place_name} with."
    ]


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
    out["spend_prices"] = "cash"
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
        out["dea_returns_to_scale"] = fr.rts
        for col in ("dea_vrs_score_0_1", "dea_crs_score_0_1", "scale_efficiency_0_1"):
            if col in f.columns:
                out[col] = f[col]
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


def missing_reasons(bundle: Bundle, place: str, indicator_ids: list[str], period: str) -> list[str]:
    """The bundle's notes on why ``place`` has no value of ``indicator_ids`` at ``period``
    (plain text, one per indicator with a note; none when the values carry no notes)."""
    notes = place_notes(bundle, place, missing_only=True)
    found = (notes.get((i, str(period))) for i in indicator_ids)
    return list(dict.fromkeys(str(n) for n in found if n))
