"""Monte Carlo: draw every parameter between its low and high values and summarise the spread.

Draws are one ``draws x parameters`` array (PERT or triangular on low / central / high,
independent parameters, seeded), pushed through the vectorised model in one go, so 1,000
draws cost about as much as a few numpy operations on arrays of 1,000 x interventions x years.
The same seed gives the same draws for any scenario (common random numbers), so two
scenarios can be compared draw by draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.context import PlaceContext
from dashboard.scenario.errors import ScenarioError
from dashboard.scenario.model import (
    Scenario,
    budget_array,
    check_catalogue,
    evaluate,
    parameter_bounds,
    stack_contexts,
    validate_scenario,
)

#: Headline measures summarised by :func:`simulate` (name -> unit).
HEADLINE_MEASURES: dict[str, str] = {
    "npv_gbp": "£",
    "bcr": "ratio",
    "pv_costs_gbp": "£",
    "pv_benefits_gbp": "£",
    "pv_cashable_benefits_gbp": "£",
    "npv_prevention_change_gbp": "£",
    "payback_year": "years from start",
}
_HEADLINE_ARRAYS = {
    "npv_gbp": "npv",
    "bcr": "bcr",
    "pv_costs_gbp": "pv_cost",
    "pv_benefits_gbp": "pv_benefit",
    "pv_cashable_benefits_gbp": "pv_cash",
    "npv_prevention_change_gbp": "npv_prevention",
    "payback_year": "payback",
}


def sample_parameters(
    low: np.ndarray,
    central: np.ndarray,
    high: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    *,
    distribution: str = "pert",
    pert_shape: float = 4.0,
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


def _pct_names(percentiles: Sequence[float]) -> list[str]:
    return [f"p{q:g}" for q in percentiles]


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


def simulate(
    scenario: Scenario,
    context: PlaceContext,
    catalogue: Catalogue,
    *,
    draws: int | None = None,
    seed: int | None = 0,
) -> Simulation:
    """Monte Carlo run of ``scenario`` for one place: percentiles of every output."""
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    draws = int(draws if draws is not None else catalogue.monte_carlo.default_draws)
    theta = draw_theta(catalogue, scenario.overrides, draws, seed)
    T = scenario.years
    places = stack_contexts([context], catalogue, T)
    arr = evaluate(
        catalogue.layout,
        theta,
        places,
        budget_array(scenario, catalogue, places, T),
        float(scenario.prevention_cut_per_year),
        T,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
    )
    qs = catalogue.monte_carlo.percentiles
    names = _pct_names(qs)

    samples = {m: np.asarray(arr[key][0], dtype=float) for m, key in _HEADLINE_ARRAYS.items()}
    headline = headline_table(samples, qs)

    # by year and agency: (D, A, T) arrays, prevention change folded in
    cost = arr["cost_a"][0].copy()
    benefit = arr["benefit_a"][0].copy()
    if scenario.prevention_cut_per_year > 0:
        cost[:, 0] -= arr["saving_t"][0]
        benefit -= arr["reactive_a"][0]
    net = benefit - cost
    df = arr["df"]  # (D, T)
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

    ox = arr["outcome_x"][0]  # (D, X, T)
    opct = _percentiles(ox, qs, axis=0)  # (Q, X, T)
    X = ox.shape[1]
    oframe = {
        "indicator_id": np.repeat(catalogue.outcome_indicators, T),
        "year": np.tile(np.arange(T), X),
    }
    oframe.update({n: opct[k].reshape(-1) for k, n in enumerate(names)})
    outcomes = pd.DataFrame(oframe)
    outcomes["calendar_year"] = outcomes["year"] + context.base_year

    npv = samples["npv_gbp"]
    return Simulation(
        draws=draws,
        seed=seed,
        percentiles=tuple(qs),
        headline=headline,
        by_year=by_year,
        outcomes=outcomes,
        p_npv_positive=float(np.mean(npv > 0)),
        p_payback_within_horizon=float(np.mean(np.isfinite(samples["payback_year"]))),
        samples=samples,
    )


def simulate_places(
    scenario: Scenario,
    contexts: Sequence[PlaceContext],
    catalogue: Catalogue,
    *,
    draws: int | None = None,
    seed: int | None = 0,
    max_cells: int = 4_000_000,
) -> pd.DataFrame:
    """Monte Carlo headline for the same scenario in many places (same draws everywhere).

    Budgets in £ per head scale to each place. Places are processed in blocks so that
    places x draws x interventions x years stays under ``max_cells``. One row per place and
    measure (npv_gbp, bcr, pv_costs_gbp, pv_benefits_gbp) with mean, percentiles and the
    place's ``p_npv_positive``.
    """
    validate_scenario(scenario, catalogue)
    check_catalogue(catalogue)
    draws = int(draws if draws is not None else catalogue.monte_carlo.default_draws)
    theta = draw_theta(catalogue, scenario.overrides, draws, seed)
    T = scenario.years
    I = len(catalogue.interventions)  # noqa: E741
    block = max(1, int(max_cells // max(1, draws * I * T)))
    qs = catalogue.monte_carlo.percentiles
    names = _pct_names(qs)
    measures = ["npv_gbp", "bcr", "pv_costs_gbp", "pv_benefits_gbp"]
    keys = [_HEADLINE_ARRAYS[m] for m in measures]
    parts = []
    for start in range(0, len(contexts), block):
        chunk = contexts[start : start + block]
        places = stack_contexts(chunk, catalogue, T)
        arr = evaluate(
            catalogue.layout,
            theta,
            places,
            budget_array(scenario, catalogue, places, T),
            float(scenario.prevention_cut_per_year),
            T,
            n_agencies=len(catalogue.agencies),
            n_indicators=len(catalogue.outcome_indicators),
        )
        cube = np.stack([arr[k] for k in keys], axis=1)  # (P, M, D)
        pct = _percentiles(cube, qs, axis=2)  # (Q, P, M)
        with _quiet():
            mean = np.nanmean(cube, axis=2)
        P = len(chunk)
        frame = {
            "place_code": np.repeat([c.place_code for c in chunk], len(measures)),
            "measure": np.tile(measures, P),
            "mean": mean.reshape(-1),
        }
        frame.update({n: pct[k].reshape(-1) for k, n in enumerate(names)})
        frame["p_npv_positive"] = np.repeat(np.mean(arr["npv"] > 0, axis=1), len(measures))
        parts.append(pd.DataFrame(frame))
    return pd.concat(parts, ignore_index=True)
