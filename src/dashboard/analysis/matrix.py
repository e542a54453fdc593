"""Indicator-by-place matrices at a chosen period: the fast path shared by peers and profiles.

Same rule as ``summary.values_at``: for each indicator, the latest period that ends no later than
the chosen one (over all the places asked for), but built with numpy indexing instead of pivots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analysis.periods import latest_period_up_to
from dashboard.bundle.model import Bundle


def latest_matrix(
    bundle: Bundle,
    codes: list[str],
    ids: list[str],
    period: str,
    columns: tuple[str, ...] = ("value",),
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Arrays of shape (len(ids), len(codes)) for each of ``columns`` (NaN where no value),
    and the period used for each indicator ('' when it has none)."""
    out = {c: np.full((len(ids), len(codes)), np.nan) for c in columns}
    periods = [""] * len(ids)
    v = bundle.values
    v = v[v["indicator_id"].isin(ids) & v["place_code"].isin(codes)]
    if v.empty:
        return out, periods
    ind = v["indicator_id"].to_numpy(dtype=object)
    per = v["period"].to_numpy(dtype=object)
    pairs = pd.DataFrame({"i": ind, "p": per}).drop_duplicates()
    chosen = {
        i: latest_period_up_to(sorted(g["p"].tolist()), period)
        for i, g in pairs.groupby("i", sort=False)
    }
    keep = per == pd.Series(ind).map(chosen).to_numpy(dtype=object)
    rows = pd.Index(ids).get_indexer(ind[keep])
    cols = pd.Index(codes).get_indexer(v["place_code"].to_numpy(dtype=object)[keep])
    for c in columns:
        out[c][rows, cols] = v[c].to_numpy(dtype=float, na_value=np.nan)[keep]
    periods = [str(chosen.get(i) or "") for i in ids]
    return out, periods
