"""Green Book money arithmetic: discount factors, present values, NPV, BCR and payback.

All functions take numpy arrays whose last axis is the year (year 0 first) and broadcast over
any leading axes (draws, places). Money is in £ at constant base-year prices.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def discount_factors(
    n_years: int, from_years: Sequence[int] | np.ndarray, rates: Sequence[float] | np.ndarray
) -> np.ndarray:
    """Discount factors for years ``0 .. n_years-1`` (year 0 is 1, undiscounted).

    ``rates`` (shape ``(..., R)``, a share per year) apply from ``from_years`` (R increasing
    years, the first 0): the factor for year t is the factor for year t-1 divided by
    ``1 + rate(t)``, so with the Green Book schedule year 40 is ``1/1.035**30/1.03**10``.
    """
    from_years = np.asarray(from_years)
    rates = np.asarray(rates, dtype=float)
    years = np.arange(n_years)
    step = np.searchsorted(from_years, years, side="right") - 1
    log_step = np.log1p(rates[..., step])
    log_step[..., 0] = 0.0
    return np.exp(-np.cumsum(log_step, axis=-1))


def present_value(flows: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Present value (£) of yearly flows (£ per year) with the given discount factors."""
    return np.sum(np.asarray(flows) * factors, axis=-1)


def net_present_value(benefits: np.ndarray, costs: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """NPV (£) = present value of benefits minus present value of costs."""
    return present_value(np.asarray(benefits) - np.asarray(costs), factors)


def benefit_cost_ratio(pv_benefits: np.ndarray, pv_costs: np.ndarray) -> np.ndarray:
    """BCR = PV benefits / PV costs; NaN where there is no cost."""
    pv_b = np.asarray(pv_benefits, dtype=float)
    pv_c = np.asarray(pv_costs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pv_c > 0, pv_b / np.where(pv_c > 0, pv_c, 1.0), np.nan)


def payback_year(benefits: np.ndarray, costs: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """First year (0-based) in which cumulative discounted net benefit reaches zero or more.

    Counted only once some cost has been incurred; NaN when it never pays back within the
    years given (or nothing was spent).
    """
    benefits = np.asarray(benefits, dtype=float)
    costs = np.asarray(costs, dtype=float)
    cum = np.cumsum((benefits - costs) * factors, axis=-1)
    spent = np.cumsum(costs, axis=-1) > 0
    scale = np.maximum(np.cumsum(np.abs(costs) * factors, axis=-1), 1.0)
    ok = spent & (cum >= -1e-9 * scale)
    first = np.argmax(ok, axis=-1).astype(float)
    return np.where(ok.any(axis=-1), first, np.nan)
