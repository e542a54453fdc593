"""Monte Carlo: draw every parameter between its low and high values and summarise the spread.

Draws are one ``draws x parameters`` array (PERT or triangular on low / central / high,
independent parameters, seeded), pushed through the vectorised model in one go, so 1,000
draws cost about as much as a few numpy operations on arrays of 1,000 x interventions x years.
The same seed gives the same draws for any scenario (common random numbers), so two
scenarios can be compared draw by draw. The engine (dashboard.scenario.engine) evaluates the
draws; this module samples them and summarises the results (percentiles from scenario.yaml
monte_carlo.percentiles; money in £, outcome changes in each indicator's unit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.core import Core
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.spec import Scenario, parameter_bounds

#: Headline measures summarised by :func:`simulate` (name -> unit).
HEADLINE_MEASURES: dict[str, str] = {
    "npv_gbp": "£",
    "bcr": "ratio",
    "pv_costs_gbp": "£",
    "pv_benefits_gbp": "£",
    "pv_cashable_benefits_gbp": "£",
    "npv_prevention_change_gbp": "£",
    "payback_year": "years from the base year",
}
#: The standard PERT weight on the mode (part of the distribution's definition).
STANDARD_PERT_SHAPE = 4


def headline_arrays(core: Core) -> dict[str, np.ndarray]:
    """Each headline measure of :data:`HEADLINE_MEASURES` by place and draw (P, D)."""
    m = core.money
    return {
        "npv_gbp": core.npv,
        "bcr": m.bcr,
        "pv_costs_gbp": m.pv_cost,
        "pv_benefits_gbp": m.pv_benefit,
        "pv_cashable_benefits_gbp": m.pv_cash,
        "npv_prevention_change_gbp": core.npv_prevention,
        "payback_year": m.payback,
    }


def sample_parameters(
    low: np.ndarray,
    central: np.ndarray,
    high: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    *,
    distribution: str = "pert",
    pert_shape: float = STANDARD_PERT_SHAPE,
) -> np.ndarray:
    """Draw parameters: shape (draws, N). Parameters with low == high stay at central."""
    low, central, high = (np.asarray(v, dtype=float) for v in (low, central, high))
    theta = np.repeat(central[None, :], draws, axis=0)
    var = high > low
    if not var.any() or draws == 0:
        return theta
    a, c, b = low[var], central[var], high[var]
    width = b - a
    mode = (c - a) / width
    if distribution == "pert":
        u = rng.beta(1.0 + pert_shape * mode, 1.0 + pert_shape * (1.0 - mode), size=(draws, a.size))
    elif distribution == "triangular":
        r = rng.random((draws, a.size))
        u = np.where(r < mode, np.sqrt(r * mode), 1.0 - np.sqrt((1.0 - r) * (1.0 - mode)))
    else:
        raise ScenarioError(
            f"unknown distribution '{distribution}'", parameter="monte_carlo.distribution"
        )
    theta[:, var] = a + width * u
    return theta


def draw_theta(
    catalogue: Catalogue,
    overrides: Mapping[str, float] | None,
    draws: int,
    seed: int | None,
) -> np.ndarray:
    """Parameter draws for a scenario's overrides, from the catalogue's Monte Carlo settings."""
    lim = catalogue.limits["draws"]
    if not lim.min <= draws <= lim.max or int(draws) != draws:
        raise ScenarioError(
            f"{draws!r} is outside the allowed range [{lim.min:g}, {lim.max:g}]", parameter="draws"
        )
    low, central, high = parameter_bounds(catalogue, overrides)
    mc = catalogue.monte_carlo
    if seed is None:  # fresh randomness each time: never reuse
        return sample_parameters(
            low,
            central,
            high,
            int(draws),
            np.random.default_rng(),
            distribution=mc.distribution,
            pert_shape=mc.pert_shape,
        )
    return _cached_draws(
        low.tobytes(),
        central.tobytes(),
        high.tobytes(),
        int(draws),
        seed,
        mc.distribution,
        mc.pert_shape,
    )


@lru_cache(maxsize=8)
def _cached_draws(
    low: bytes,
    central: bytes,
    high: bytes,
    draws: int,
    seed: int,
    distribution: str,
    pert_shape: float,
) -> np.ndarray:
    """Draws for given bounds and seed, kept for reuse while only budgets change (read-only)."""
    theta = sample_parameters(
        np.frombuffer(low),
        np.frombuffer(central),
        np.frombuffer(high),
        draws,
        np.random.default_rng(seed),
        distribution=distribution,
        pert_shape=pert_shape,
    )
    theta.setflags(write=False)
    return theta


def pct_name(q: float) -> str:
    """The column name of percentile ``q`` in every Monte Carlo table: 5 -> "p5"."""
    return f"p{q:g}"


def _pct_names(percentiles: Sequence[float]) -> list[str]:
    return [pct_name(q) for q in percentiles]


def _percentiles(x: np.ndarray, percentiles: Sequence[float], axis: int) -> np.ndarray:
    """Percentiles along ``axis`` (moved to the front); NaN-aware; never-paid-back stays NaN."""
    if not np.isnan(x).any():
        return np.percentile(x, list(percentiles), axis=axis)
    with np.errstate(invalid="ignore"), _quiet():
        return np.nanpercentile(x, list(percentiles), axis=axis)


class _quiet:
    """Silence numpy's all-NaN slice warnings inside a block."""

    def __enter__(self) -> None:
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Monte Carlo summary for one place.

    ``headline``: measure, unit, mean and one column per percentile (``p5``, ``p50``, ``p95``
    by default); payback percentiles treat "never within the horizon" as later than any year
    (NaN when the percentile falls there). ``by_year``: agency (``all`` for the total), year,
    calendar_year, measure (cost_gbp, benefit_gbp, net_gbp; and cumulative_discounted_net_gbp
    for ``all``) and percentiles. ``outcomes``: indicator_id, year, calendar_year and
    percentiles of the change. ``p_npv_positive`` is the share of draws with NPV > 0;
    ``samples`` the per-draw headline values (for histograms).
    """

    draws: int
    seed: int | None
    percentiles: tuple[float, ...]
    headline: pd.DataFrame
    by_year: pd.DataFrame
    outcomes: pd.DataFrame
    p_npv_positive: float
    p_payback_within_horizon: float
    samples: Mapping[str, np.ndarray] = field(repr=False)


def headline_table(samples: Mapping[str, np.ndarray], qs: Sequence[float]) -> pd.DataFrame:
    """Mean and percentiles of each headline measure over the draws (one row per measure).

    A payback year that never comes (NaN) counts as later than any year, so its percentiles
    are NaN where more draws than that share never pay back."""
    names = _pct_names(qs)
    rows = []
    for m, unit in HEADLINE_MEASURES.items():
        x = samples[m]
        if m == "payback_year":
            x = np.where(np.isnan(x), np.inf, x)
            with _quiet():
                pct = np.percentile(x, list(qs))
            pct = np.where(np.isinf(pct), np.nan, pct)
            finite = x[np.isfinite(x)]
            mean = float(finite.mean()) if finite.size else np.nan
        else:
            pct = _percentiles(x, qs, axis=0)
            with _quiet():
                mean = float(np.nanmean(x)) if np.isfinite(x).any() else np.nan
        rows.append(
            {"measure": m, "unit": unit, "mean": mean, **dict(zip(names, pct, strict=True))}
        )
    return pd.DataFrame(rows)


def outcome_bands(
    ox: np.ndarray, percentiles: Sequence[float], catalogue: Catalogue, context: PlaceContext
) -> pd.DataFrame:
    """Percentiles over draws of each outcome indicator's change (ox: D, X, T), one row per
    indicator and year, in the indicator's unit."""
    names = _pct_names(percentiles)
    opct = _percentiles(ox, percentiles, axis=0)  # (Q, X, T)
    X, T = ox.shape[1], ox.shape[-1]
    oframe: dict[str, object] = {
        "indicator_id": np.repeat(catalogue.outcome_indicators, T),
        "year": np.tile(np.arange(T), X),
    }
    oframe.update({n: opct[k].reshape(-1) for k, n in enumerate(names)})
    outcomes = pd.DataFrame(oframe)
    outcomes["calendar_year"] = outcomes["year"] + context.base_year
    return outcomes


def summarise_samples(
    samples: Mapping[str, np.ndarray],
    outcome_x: np.ndarray,
    catalogue: Catalogue,
    context: PlaceContext,
    *,
    draws: int,
    seed: int | None,
    by_year: pd.DataFrame,
) -> Simulation:
    """A :class:`Simulation` from per-draw headline values and outcome changes (D, X, T)."""
    qs = catalogue.monte_carlo.percentiles
    return Simulation(
        draws=draws,
        seed=seed,
        percentiles=tuple(qs),
        headline=headline_table(samples, qs),
        by_year=by_year,
        outcomes=outcome_bands(outcome_x, qs, catalogue, context),
        p_npv_positive=float(np.mean(samples["npv_gbp"] > 0)),
        p_payback_within_horizon=float(np.mean(np.isfinite(samples["payback_year"]))),
        samples=samples,
    )


def money_by_year(
    core: Core, scenario: Scenario, catalogue: Catalogue, context: PlaceContext
) -> pd.DataFrame:
    """Percentiles over draws of cost, benefit and net (£ a year) by agency (and ``all``), and
    of the cumulative discounted net (£) for ``all``, for the first place of ``core``."""
    qs = catalogue.monte_carlo.percentiles
    names = _pct_names(qs)
    T = scenario.years
    # by year and agency: (D, A, T) arrays, prevention change folded in
    cost = core.money.cost_a[0].copy()
    benefit = core.money.benefit_a[0].copy()
    if core.demand is not None and scenario.prevention_cut_per_year > 0:
        cost[:, 0] -= core.demand.saving_t[0]
        benefit -= core.demand.reactive_a[0]
    net = benefit - cost
    df = core.money.df  # (D, T)
    agencies = [*catalogue.agencies, "all"]
    cube = np.stack(
        [
            np.concatenate([cost, cost.sum(1, keepdims=True)], axis=1),
            np.concatenate([benefit, benefit.sum(1, keepdims=True)], axis=1),
            np.concatenate([net, net.sum(1, keepdims=True)], axis=1),
        ]
    )  # (M, D, A+1, T)
    pct = _percentiles(cube, qs, axis=1)  # (Q, M, A+1, T)
    M, A1 = cube.shape[0], cube.shape[2]
    measures = ["cost_gbp", "benefit_gbp", "net_gbp"]
    frame = {
        "agency": np.tile(np.repeat(agencies, T), M),
        "year": np.tile(np.arange(T), M * A1),
        "measure": np.repeat(measures, A1 * T),
    }
    for k, n in enumerate(names):
        frame[n] = pct[k].reshape(-1)
    by_year = pd.DataFrame(frame)
    cum = np.cumsum(net.sum(1) * df, axis=-1)  # (D, T)
    cpct = _percentiles(cum, qs, axis=0)  # (Q, T)
    extra = {
        "agency": ["all"] * T,
        "year": np.arange(T),
        "measure": ["cumulative_discounted_net_gbp"] * T,
    }
    extra.update({n: cpct[k] for k, n in enumerate(names)})
    by_year = pd.concat([by_year, pd.DataFrame(extra)], ignore_index=True)
    by_year["calendar_year"] = by_year["year"] + context.base_year
    return by_year


def summarise(
    core: Core,
    scenario: Scenario,
    catalogue: Catalogue,
    context: PlaceContext,
    *,
    draws: int,
    seed: int | None,
) -> Simulation:
    """The Monte Carlo summary of one place's evaluation over ``draws`` draws."""
    samples = {m: np.asarray(a[0], dtype=float) for m, a in headline_arrays(core).items()}
    return summarise_samples(
        samples,
        core.outcomes.per_indicator[0],
        catalogue,
        context,
        draws=draws,
        seed=seed,
        by_year=money_by_year(core, scenario, catalogue, context),
    )


#: Measures :func:`summarise_places` reports per place.
PLACE_MEASURES: tuple[str, ...] = ("npv_gbp", "bcr", "pv_costs_gbp", "pv_benefits_gbp")


def summarise_places(
    core: Core, codes: Sequence[str], percentiles: Sequence[float]
) -> pd.DataFrame:
    """Mean and percentiles over draws of :data:`PLACE_MEASURES` for each place of ``core``,
    with the place's share of draws with NPV > 0."""
    names = _pct_names(percentiles)
    measures = list(PLACE_MEASURES)
    arrays = headline_arrays(core)
    cube = np.stack([arrays[m] for m in measures], axis=1)  # (P, M, D)
    pct = _percentiles(cube, percentiles, axis=2)  # (Q, P, M)
    with _quiet():
        mean = np.nanmean(cube, axis=2)
    P = len(codes)
    frame = {
        "place_code": np.repeat(list(codes), len(measures)),
        "measure": np.tile(measures, P),
        "mean": mean.reshape(-1),
    }
    frame.update({n: pct[k].reshape(-1) for k, n in enumerate(names)})
    frame["p_npv_positive"] = np.repeat(np.mean(core.npv > 0, axis=1), len(measures))
    return pd.DataFrame(frame)
