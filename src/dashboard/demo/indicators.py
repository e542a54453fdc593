"""Demo spend per head (need raises it) and modelled outcomes (need worsens them, spend improves
them with diminishing returns), see data/catalogue/demo.yaml ``services`` and ``modelled``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dashboard.bundle.catalogue import canonical_indicators
from dashboard.demo.values import add_ci, withhold
from dashboard.demo.world import Table, World


def add_spend(w: World) -> dict[str, np.ndarray]:
    """Spend per head by service; returns log(spend / reference spend) per spend indicator
    (NaN where a place does not run the service), the part of spend outcomes respond to."""
    sc, rng, t, n_p = w.cfg["spend_common"], w.rng, w.t, w.n_places
    council = rng.normal(0.0, sc["council_sd"], n_p)
    total = np.zeros((n_p, len(t)))
    log_ratio: dict[str, np.ndarray] = {}
    for spec in w.cfg["services"].values():
        base = np.array([spec["base"].get(r, np.nan) for r in w.role])
        runs = ~np.isnan(base)
        reference = base[:, None] * (1.0 + spec["growth_pct_per_year"] / 100.0) ** t
        need = np.zeros((n_p, len(t)))
        for driver, elasticity in spec["elasticity"].items():
            need = need + elasticity * np.log(
                w.tables[driver].value / driver_reference(driver, w.cfg)
            )
        policy = council[:, None] + rng.normal(0.0, sc["service_sd"], (n_p, 1))
        policy = policy + rng.normal(0.0, sc["year_sd"], (n_p, len(t)))
        outlier = rng.uniform(size=n_p) < sc["outlier_share"]
        policy = policy + (outlier * rng.choice([-1.0, 1.0], n_p) * sc["outlier_log"])[:, None]
        uplift = np.where(w.is_capital, spec["capital_uplift"], 1.0)[:, None]
        spend = np.round(reference * uplift * np.exp(need + policy), 2)
        present = np.broadcast_to(runs[:, None], spend.shape).copy()
        w.put(spec["indicator"], np.where(present, spend, np.nan), present)
        total = total + np.where(present, spend, 0.0)
        log_ratio[spec["indicator"]] = np.log(spend / reference)
    w.put("spend_total_per_head", np.round(total, 2))
    return log_ratio


def add_modelled(w: World, log_ratio: dict[str, np.ndarray]) -> None:
    """Outcomes (and the children's social care context rates): see demo.yaml ``modelled``."""
    rng, t, n = w.rng, w.t, w.n_cells
    upper = np.flatnonzero(w.role != "district")
    quality = rng.normal(0.0, 1.0, w.n_places)  # council-wide, shared across outcomes
    rho = w.cfg["latent"]["quality"]["shared_share"]
    catalogue = {c["id"]: c for c in canonical_indicators()}
    pop = w.tables["population"].value
    for ind, spec in w.cfg["modelled"].items():
        entry = catalogue[ind]
        both = "lower" in entry["levels"]  # modelled per cell, averaged into counties
        rows = np.arange(n) if both else upper
        v = np.full((len(rows), len(t)), float(spec["base"]))
        for driver, effect in spec.get("drivers", {}).items():
            v = v + effect * _driver_z(driver, rows, w)
        if "spend" in spec:
            lr = log_ratio[spec["spend"]["indicator"]]
            own = lr[rows]
            v = v + spec["spend"]["effect"] * np.where(np.isnan(own), lr[w.parent[rows]], own)
        v = v + spec.get("trend_per_year", 0.0) * t
        v = v + np.asarray(spec.get("period_offsets", np.zeros(len(t))))
        sign = -1.0 if entry["polarity"] == "lower_is_better" else 1.0
        own_effect = rng.normal(0.0, 1.0, len(rows))
        place = math.sqrt(rho) * quality[rows] + math.sqrt(1.0 - rho) * own_effect
        v = v + sign * spec["place_sd"] * place[:, None]
        v = v + rng.normal(0.0, spec["noise_sd"], v.shape)
        v = np.clip(v, spec["min"], spec["max"])
        note = None
        if "inspection_cycle_years" in spec:
            v, last = _inspected(v, int(spec["inspection_cycle_years"]), rng)
            note = np.full((w.n_places, len(t)), "", dtype=object)
            named = np.char.add("inspected in ", np.array(w.periods, dtype=str)[last])
            note[rows] = np.where(last >= 0, named, "")
        full = np.full((w.n_places, len(t)), np.nan)
        full[rows] = v
        if both:
            full[n:] = w.county_mean(v, "persons")
        present = ~np.isnan(full)
        if spec.get("periods_published"):
            present &= np.isin(np.array(w.periods), spec["periods_published"])[None, :]
        table = Table(value=np.round(full, int(spec["decimals"])), present=present, note=note)
        add_ci(table, full, pop, spec, tuple(w.cfg["ci_quantiles"]))
        withhold(table, pop, spec, rng)
        w.tables[ind] = table


def driver_reference(driver: str, cfg: dict[str, Any]) -> float:
    """Value of a spend driver at which a council pays the base spend per head."""
    if driver in cfg["latent_indicators"]:
        return float(cfg["latent_indicators"][driver]["mean"])
    if driver in cfg["age_reference"]:
        return float(cfg["age_reference"][driver]["mean"])
    return float(cfg["spend_common"]["reference"][driver])


def _driver_z(driver: str, rows: np.ndarray, w: World) -> np.ndarray:
    """A driver of an outcome as a z-score against the generator's reference mean and sd
    (latents as they are; money deflated by its growth)."""
    if driver in w.latents:
        return np.broadcast_to(w.latents[driver][rows][:, None], (len(rows), len(w.t)))
    value = w.tables[driver].value[rows]
    if driver in w.cfg["latent_indicators"]:
        spec = w.cfg["latent_indicators"][driver]
        deflate = (1.0 + spec.get("growth_pct_per_year", 0.0) / 100.0) ** w.t
        return (value / deflate - spec["mean"]) / spec["sd"]
    ref = w.cfg["age_reference"][driver]
    return (value - ref["mean"]) / ref["sd"]


def _inspected(
    latent: np.ndarray, cycle: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Grades that change only in a place's inspection years (every ``cycle`` years), and the
    index of the period of the inspection behind each grade (-1 before a place's first
    inspection in the window); the latent has already been clipped to the grade range."""
    offset = rng.integers(0, cycle, len(latent))
    out = np.empty_like(latent)
    when = np.empty(latent.shape, dtype=int)
    for j in range(latent.shape[1]):
        last = np.where(j >= offset, j - (j - offset) % cycle, j)
        out[:, j] = latent[np.arange(len(latent)), last]
        when[:, j] = np.where(j >= offset, last, -1)  # before the first: not known
    return np.round(out), when
