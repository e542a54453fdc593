"""Demo confidence intervals, suppression, and the long values and population frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from dashboard.bundle.schema import AGE_BANDS
from dashboard.demo.world import Table, World


def add_ci(
    table: Table,
    value: np.ndarray,
    pop: np.ndarray,
    spec: dict[str, Any],
    quantiles: tuple[float, float],
) -> None:
    """Confidence intervals from the sample or event counts the population implies, between the
    lower and upper ``quantiles`` (probabilities; demo.yaml ``ci_quantiles``, a 95% interval)."""
    ci = spec.get("ci")
    if not ci:
        return
    q_lo, q_hi = quantiles
    z = float(norm.ppf(q_hi))  # two-sided normal quantile
    dec = max(int(spec["decimals"]), 1)
    if ci["method"] == "normal":
        se = ci["se_at_100k"] / np.sqrt(pop / 100_000.0)
        lo, hi = value - z * se, value + z * se
    elif ci["method"] == "wilson":
        n = pop * ci["sample_per_person"]
        p = value / 100.0
        z2 = z**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2)) / (1 + z2 / n)
        lo, hi = 100.0 * (centre - half), 100.0 * (centre + half)
    elif ci["method"] == "poisson":  # exact (chi-squared) interval on the implied event count
        exposure = pop * ci["population_share"] * ci["years_pooled"] / ci["per"]
        events = value * exposure
        lo = chi2.ppf(q_lo, 2.0 * events) / 2.0 / exposure
        hi = chi2.ppf(q_hi, 2.0 * events + 2.0) / 2.0 / exposure
    else:
        raise ValueError(f"unknown ci method '{ci['method']}' in demo.yaml")
    table.lower = np.round(np.minimum(lo, table.value), dec)
    table.upper = np.round(np.maximum(hi, table.value), dec)


def withhold(table: Table, pop: np.ndarray, spec: dict[str, Any], rng: np.random.Generator) -> None:
    """Suppress some values (mostly in small places) and mark a few as missing."""
    status = np.full(table.value.shape, "", dtype=object)
    share = spec.get("suppress_share", 0.0)
    if share:
        p = np.clip(share * np.nanmedian(pop) / pop, 0.0, 1.0)
        status[(rng.uniform(size=pop.shape) < p) & table.present] = "suppressed"
    miss = spec.get("missing_share", 0.0)
    if miss:
        status[(rng.uniform(size=pop.shape) < miss) & table.present & (status == "")] = "missing"
    gone = status != ""
    table.value = np.where(gone, np.nan, table.value)
    for attr in ("lower", "upper"):
        arr = getattr(table, attr)
        if arr is not None:
            setattr(table, attr, np.where(gone, np.nan, arr))
    table.status = status


def values_frame(tables: dict[str, Table], codes: list[str], periods: list[str]) -> pd.DataFrame:
    frames = []
    code_arr = np.array(codes, dtype=object)
    per_arr = np.array(periods, dtype=object)
    for ind, tb in tables.items():
        i, j = np.nonzero(tb.present)
        nan = np.full(len(i), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "place_code": code_arr[i],
                    "indicator_id": ind,
                    "period": per_arr[j],
                    "value": tb.value[i, j].astype(float),
                    "lower_ci": nan if tb.lower is None else tb.lower[i, j],
                    "upper_ci": nan if tb.upper is None else tb.upper[i, j],
                    "status": "" if tb.status is None else tb.status[i, j],
                    "note": "" if tb.note is None else tb.note[i, j],
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["indicator_id", "place_code", "period"], kind="stable").reset_index(
        drop=True
    )
    # a note belongs to a published value, not to one withheld
    df.loc[df["status"].astype(str) != "", "note"] = ""
    for col in ("place_code", "indicator_id", "period", "status", "note"):
        df[col] = df[col].astype(str)
    return df


def population_frame(w: World, codes: list[str]) -> pd.DataFrame:
    assert w.band is not None and w.years is not None
    n_p, n_y, n_b = w.band.shape
    return pd.DataFrame(
        {
            "place_code": np.repeat(np.array(codes, dtype=object), n_y * n_b).astype(str),
            "year": np.tile(np.repeat(w.years, n_b), n_p).astype("int64"),
            "age_band": np.tile(np.array(AGE_BANDS, dtype=object), n_p * n_y).astype(str),
            "persons": w.band.reshape(-1).astype(float),
        }
    )


#: Units whose England figure is the sum over places, not a population-weighted mean.
SUMMED_UNITS: frozenset[str] = frozenset({"gbp", "gbp_thousands", "count", "persons"})


def england_frame(
    values: pd.DataFrame, places: pd.DataFrame, indicators: pd.DataFrame, england: str
) -> pd.DataFrame:
    """A fictional England row per indicator and period: the population-weighted mean of the
    places of one level that tiles the country (upper tier where the indicator has it, since a
    county's figure covers its whole area; else lower), or their sum for totals (£, counts,
    persons). Weights are each place's ``population`` value
    of the latest period. Ordinal and rank indicators get no England row."""
    from dashboard.bundle.schema import KIND_LEVELS

    pop = values[values["indicator_id"] == "population"]
    pop = pop[pop["period"] == pop["period"].max()].set_index("place_code")["value"]
    rows = []
    for rec in indicators.itertuples(index=False):
        if rec.unit in ("ordinal", "rank"):
            continue
        level = "upper" if "upper" in rec.levels else "lower"
        codes = places.loc[places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k]), "code"]
        sub = values[(values["indicator_id"] == rec.id) & values["place_code"].isin(set(codes))]
        sub = sub[sub["value"].notna()]
        for period, g in sub.groupby("period"):
            w = pop.reindex(g["place_code"]).to_numpy(dtype=float)
            x = g["value"].to_numpy(dtype=float)
            ok = np.isfinite(w) & np.isfinite(x)
            if not ok.any():
                continue
            if rec.unit in SUMMED_UNITS:
                v = float(x[ok].sum())
            else:
                v = float(np.sum(x[ok] * w[ok]) / np.sum(w[ok]))
            rows.append((england, rec.id, str(period), v))
    out = pd.DataFrame(rows, columns=["place_code", "indicator_id", "period", "value"])
    return out.assign(lower_ci=np.nan, upper_ci=np.nan, status="")
