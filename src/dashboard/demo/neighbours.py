"""The demo's fictional official comparator set (demo.yaml ``neighbour_set``): a fictional
publisher's nearest neighbours on a few of the demo's own indicators, so the app's handling of
official lists can be tried on the demo. Not any real publisher's method or list."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.schema import KIND_LEVELS

COLUMNS: list[str] = ["set_id", "level", "place_code", "neighbour_code", "rank"]


def _matrix(values: pd.DataFrame, codes: list[str], ids: list[str], logged: set[str]) -> np.ndarray:
    """Latest value of each indicator per place (rows follow ``codes``), standardised."""
    cols = []
    for ind in ids:
        v = values[(values["indicator_id"] == ind) & values["value"].notna()]
        v = v.sort_values("period").groupby("place_code")["value"].last().reindex(codes)
        x = v.to_numpy(dtype=float)
        if ind in logged:
            x = np.log(np.where(x > 0, x, np.nan))
        x = np.where(np.isnan(x), np.nanmedian(x), x)
        sd = x.std()
        cols.append((x - x.mean()) / sd if sd > 0 else np.zeros_like(x))
    return np.column_stack(cols)


def fictional_set(
    places: pd.DataFrame, values: pd.DataFrame, spec: dict[str, Any]
) -> tuple[dict[str, Any], pd.DataFrame]:
    """bundle.yaml's description of the fictional set and its neighbours.csv rows."""
    size = int(spec["size"])
    rows = []
    for level in spec["levels"]:
        mask = places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k])
        codes = places.loc[mask, "code"].tolist()
        z = _matrix(values, codes, list(spec["variables"]), set(spec.get("log", ())))
        d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        order = np.argsort(d, axis=1, kind="stable")[:, : min(size, len(codes) - 1)]
        for i, code in enumerate(codes):
            for r, j in enumerate(order[i], start=1):
                rows.append((spec["id"], level, code, codes[j], r))
    meta = {
        k: spec[k]
        for k in ("id", "name", "publisher", "published", "published_label", "url", "licence")
    }
    meta.update(
        label=str(spec["label"]).format(size=size),
        levels=list(spec["levels"]),
        size=size,
        note=" ".join(str(spec["note"]).split()),
        method=" ".join(str(spec["method"]).split()),
    )
    return meta, pd.DataFrame(rows, columns=COLUMNS)
