"""Invented names and codes of the demo places (places.csv rows)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from dashboard.demo.config import random_stream
from dashboard.demo.geography import Geography

_ROLE_KIND = {
    "capital": "london_borough",
    "metropolitan": "metropolitan",
    "city_unitary": "unitary",
    "shire_unitary": "unitary",
    "district": "district",
}


class _Namer:
    """Unique invented names from stems and endings (never a name in the ``avoid`` list)."""

    def __init__(self, cfg: dict[str, Any], rng: np.random.Generator) -> None:
        self.cfg = cfg
        self.rng = rng
        self.used: set[str] = {a.lower() for a in cfg["avoid"]}

    def _take(self, make: Any) -> str:
        for _ in range(10_000):
            name = make()
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name
        raise RuntimeError("ran out of invented names; add stems to demo.yaml")

    def _word(self) -> str:
        while True:  # no doubled letter at the join ("Tallowwick")
            stem = str(self.rng.choice(self.cfg["stems"]))
            ending = str(self.rng.choice(self.cfg["endings"]))
            if stem[-1] != ending[0]:
                return stem + ending

    def town(self) -> str:
        return self._take(self._word)

    def district(self) -> str:
        u = self.rng.uniform()
        if u < self.cfg["compass_prefix_share"]:
            return self._take(
                lambda: f"{self.rng.choice(self.cfg['compass_prefixes'])} {self._word()}"
            )
        if u < self.cfg["compass_prefix_share"] + self.cfg["joined_share"]:
            return self._take(lambda: f"{self._word()} and {self._word()}")
        return self.town()

    def county(self) -> str:
        return self._take(
            lambda: str(self.rng.choice(self.cfg["stems"])) + self.cfg["county_ending"]
        )


def _compass(dx: float, dy: float, mid_radius: float) -> str:
    if math.hypot(dx, dy) < mid_radius:
        return "Mid"
    points = [
        "East",
        "North East",
        "North",
        "North West",
        "West",
        "South West",
        "South",
        "South East",
    ]
    step = 360 / len(points)  # degrees between compass points
    return points[round(math.degrees(math.atan2(dy, dx)) / step) % len(points)]


def build_places(geo: Geography, cfg: dict[str, Any], seed: int) -> pd.DataFrame:
    """places.csv rows for the lower-tier cells (first, in cell order) then the counties."""
    rng = random_stream(seed, "names")
    names = cfg["names"]
    codes = cfg["codes"]
    namer = _Namer(names, rng)
    # regions: the capital's is "Greater <capital>"; others by compass and an invented landscape
    n_reg = len(geo.region_xy)
    landscapes = list(names["region_landscapes"])
    rng.shuffle(landscapes)
    region_names = [f"Greater {names['capital_city']}"]
    mid = names["mid_region_radius"] * cfg["geography"]["coast"]["semi_axis_y_km"]
    for r in range(1, n_reg):
        region_names.append(f"{_compass(*geo.region_xy[r], mid)} {landscapes[r - 1]}")
    namer.used |= {n.lower() for n in [*region_names, names["capital_city"], *landscapes]}
    reg_order = np.lexsort((geo.region_xy[:, 0], -geo.region_xy[:, 1]))
    region_code = {int(r): f"{codes['region']}{i + 1:06d}" for i, r in enumerate(reg_order)}

    n = len(geo.cells)
    kinds = [_ROLE_KIND[r] for r in geo.role]
    cell_names = [namer.district() if k == "district" else namer.town() for k in kinds]
    county_names = [namer.county() for _ in geo.counties]
    all_kinds = kinds + ["county"] * len(geo.counties)
    all_xy = np.concatenate([geo.xy, geo.county_xy]) if len(geo.counties) else geo.xy
    all_codes = [""] * len(all_kinds)
    for kind in sorted(set(all_kinds)):
        idx = [i for i, k in enumerate(all_kinds) if k == kind]
        order = sorted(idx, key=lambda i: (-round(all_xy[i, 1], 3), round(all_xy[i, 0], 3)))
        for j, i in enumerate(order):
            all_codes[i] = f"{codes[kind]}{j + 1:06d}"
    regions = [*geo.region.tolist(), *geo.county_region.tolist()]
    county_code = [all_codes[n + int(c)] if c >= 0 else "" for c in geo.county] + [""] * len(
        geo.counties
    )
    return pd.DataFrame(
        {
            "code": all_codes,
            "name": cell_names + county_names,
            "kind": all_kinds,
            "region_code": [region_code[r] for r in regions],
            "region_name": [region_names[r] for r in regions],
            "county_code": county_code,
        }
    )
