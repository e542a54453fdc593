"""Value for money: the values of the places compared (one row per place) and the outcome
expected given need, an ordinary least-squares regression of the outcome on the chosen need
indicators (with an intercept). "Better than expected" is the residual oriented by polarity, in
the outcome's units: positive is better than expected for a place with this need."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.prices import CASH, is_money, price_factor
from dashboard.analysis.summary import values_at
from dashboard.analysis.vfm_pairs import VfmSettings, vfm_settings
from dashboard.bundle.denominators import mid_year
from dashboard.bundle.model import Bundle

QUADRANTS: tuple[str, ...] = (
    "Lower spend, better outcome",
    "Higher spend, better outcome",
    "Lower spend, worse outcome",
    "Higher spend, worse outcome",
)


# --- the frame --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """One row per place (index ``place_code``): ``place_name``, ``population_persons`` and one
    column per indicator id (in the indicator's unit); ``periods`` maps each id to the period
    used (each indicator's latest ending no later than the selected period)."""

    data: pd.DataFrame
    periods: dict[str, str]


def frame(
    bundle: Bundle, period: str, codes: list[str], indicator_ids: list[str], prices: str = CASH
) -> Frame:
    """Values of ``indicator_ids`` (and population) for ``codes`` at ``period``; money in cash,
    or with ``prices`` "real" at the bundle's price base (each indicator's own period's factor:
    one factor per column, so fits, scores and rankings are unchanged)."""
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
    if prices != CASH:
        for ind in ids:
            if bundle.has_indicator(ind) and is_money(str(bundle.indicator(ind)["unit"])):
                wide[ind] = wide[ind] * price_factor(bundle, periods.get(ind, period), prices)
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
