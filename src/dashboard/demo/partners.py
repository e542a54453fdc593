"""The demo's FICTIONAL partners' spend per head (NHS, police, fire, DWP, voluntary sector):
see data/catalogue/demo.yaml ``partner_spend``. Made per lower-tier place from need, averaged
into counties by population, from a random stream of its own (the other figures do not move)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.demo.config import random_stream
from dashboard.demo.indicators import driver_reference
from dashboard.demo.world import World


def add_partner_spend(w: World, seed: int) -> list[dict[str, Any]]:
    """Put each partner line's £ per head into ``w.tables``; return their indicator entries
    (catalogue fields and ``agency``, without ``source``), in demo.yaml order."""
    cfg = w.cfg["partner_spend"]
    rng = random_stream(seed, "partner_spend")
    n, t = w.n_cells, w.t
    capital = w.is_capital[:n]
    entries: list[dict[str, Any]] = []
    for key, spec in cfg["lines"].items():
        if key in ("unit", "note"):
            continue
        need = np.zeros((n, len(t)))
        for driver, elasticity in spec["elasticity"].items():
            value = w.tables[driver].value[:n]
            need = need + elasticity * np.log(value / driver_reference(driver, w.cfg))
        noise = rng.normal(0.0, cfg["place_sd"], (n, 1))
        noise = noise + rng.normal(0.0, cfg["year_sd"], (n, len(t)))
        growth = (1.0 + spec["growth_pct_per_year"] / 100.0) ** t
        uplift = np.where(capital, spec["capital_uplift"], 1.0)[:, None]
        cells = spec["base"] * growth[None, :] * uplift * np.exp(need + noise)
        w.put(spec["indicator"], np.round(w.with_counties(cells, "persons"), 2))
        entries.append(
            {
                "id": spec["indicator"],
                "label": spec["label"],
                "kind": "spend",
                "service": spec["service"],
                "unit": "gbp_per_head",
                "polarity": "neutral",
                "levels": ["upper", "lower"],
                "definition": spec["definition"],
                "agency": spec["agency"],
            }
        )
    return entries
