"""Value for money: the efficiency frontier (:mod:`dashboard.analysis.dea`) on the values of
the places compared, spend per head the input, need non-discretionary, outcomes oriented so
higher is better; variable or constant returns to scale, and scale efficiency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.dea import (
    dea_crs_input,
    dea_vrs_input,
    orient,
    scale_efficiency,
    unorient,
)
from dashboard.analysis.vfm_fit import Frame, complete
from dashboard.analysis.vfm_pairs import VfmSettings, vfm_settings


# --- efficiency frontier --------------------------------------------------------------------------
@dataclass(frozen=True)
class Frontier:
    """DEA results. ``table`` (index place_code): ``place_name``, ``spend_gbp_per_head``,
    one column per output id (original units), ``dea_score_0_1`` (the chosen returns to scale),
    ``dea_vrs_score_0_1``, ``dea_crs_score_0_1``, ``scale_efficiency_0_1`` (CRS / VRS), ``on_frontier``,
    ``spend_target_gbp_per_head``, ``spend_gap_gbp_per_head`` (spend minus target, ≥ 0),
    ``target_<output id>`` (the frontier combination's outcome, original units), ``peers``
    (names with weights). ``lambdas`` (places x places) as a DataFrame indexed by code.
    ``rts``: 'vrs' (variable returns to scale) or 'crs' (constant)."""

    table: pd.DataFrame
    lambdas: pd.DataFrame
    output_ids: tuple[str, ...]
    need_ids: tuple[str, ...]
    dropped: tuple[str, ...]
    reason: str = ""
    rts: str = "vrs"


def frontier(
    fr: Frame,
    spend_id: str,
    output_ids: list[str],
    lower_is_better: list[bool],
    need_ids: list[str],
    settings: VfmSettings | None = None,
    rts: str = "vrs",
    scale: bool = True,
    only: Sequence[str] | None = None,
) -> Frontier:
    """Input-oriented scores (``rts`` 'vrs' or 'crs'; both are in the table) with spend as the input, each need as a non-discretionary
    input (reversed so a place is compared with places facing at least as much need) and the
    outputs oriented so higher is better. Places without every value, or with spend ≤ 0, are
    dropped (listed in ``dropped``). ``scale`` False solves only the chosen returns to scale
    (the other score and ``scale_efficiency_0_1`` are then NaN): half the work for callers that
    read only the chosen score, target and gap. ``only``: the codes of the places to score
    (each compared with every place); the others keep their values but no score, target or
    peers (NaN, empty): one LP instead of one per place, for callers that read one row."""
    settings = settings or vfm_settings()
    data, dropped = complete(fr.data, [spend_id, *output_ids, *need_ids])
    nonpositive = data[spend_id] <= 0
    dropped += data.loc[nonpositive, "place_name"].astype(str).tolist()
    data = data[~nonpositive]
    base = dict(
        output_ids=tuple(output_ids), need_ids=tuple(need_ids), dropped=tuple(dropped), rts=rts
    )
    empty = pd.DataFrame(index=data.index)
    if not output_ids:
        return Frontier(empty, pd.DataFrame(), reason="Choose at least one outcome.", **base)
    if len(data) < settings.min_places_dea.value:
        return Frontier(
            empty,
            pd.DataFrame(),
            reason=f"Too few places: {len(data)} have every value and spend above zero; the "
            f"frontier needs at least {int(settings.min_places_dea.value)}.",
            **base,
        )
    x = data[[spend_id]].to_numpy(dtype=float)
    y_raw = data[output_ids].to_numpy(dtype=float)
    y = orient(y_raw, lower_is_better)
    z = orient(data[need_ids].to_numpy(dtype=float), [True] * len(need_ids)) if need_ids else None
    tol = settings.dea_weight_tolerance.value
    pick = None if only is None else [data.index.get_loc(c) for c in only if c in data.index]
    vrs = dea_vrs_input(x, y, z, weight_tol=tol, only=pick) if scale or rts != "crs" else None
    crs = dea_crs_input(x, y, z, weight_tol=tol, only=pick) if scale or rts == "crs" else None
    res = crs if rts == "crs" else vrs
    assert res is not None
    nan = np.full(len(x), np.nan)
    codes = data.index.tolist()
    names = data["place_name"].astype(str).tolist()
    # every column at once (one frame, not one insertion per column); order as documented
    cols: dict[str, object] = {"place_name": names, "spend_gbp_per_head": x[:, 0]}
    for j, oid in enumerate(output_ids):
        cols[oid] = y_raw[:, j]
    for nid in need_ids:
        cols[nid] = data[nid].to_numpy(dtype=float)
    cols["dea_score_0_1"] = res.score
    cols["dea_vrs_score_0_1"] = vrs.score if vrs is not None else nan
    cols["dea_crs_score_0_1"] = crs.score if crs is not None else nan
    cols["scale_efficiency_0_1"] = (
        scale_efficiency(crs.score, vrs.score) if crs is not None and vrs is not None else nan
    )
    cols["on_frontier"] = res.score >= 1.0 - settings.dea_frontier_tolerance.value
    cols["spend_target_gbp_per_head"] = res.input_target[:, 0]
    cols["spend_gap_gbp_per_head"] = x[:, 0] - res.input_target[:, 0]
    targets = unorient(res.output_target, y_raw, lower_is_better)
    for j, oid in enumerate(output_ids):
        cols[f"target_{oid}"] = targets[:, j]
    shares = res.lambdas / res.lambdas.sum(axis=1, keepdims=True)  # CRS weights need not sum to 1
    cols["peers"] = [
        "; ".join(f"{names[j]} ({shares[i, j]:.0%})" for j, _ in res.peers(i))
        for i in range(len(codes))
    ]
    table = pd.DataFrame(cols, index=data.index)
    lambdas = pd.DataFrame(shares, index=codes, columns=codes)
    return Frontier(table, lambdas, **base)


def peer_table(fr: Frontier, code: str) -> pd.DataFrame:
    """The place itself (first, no weight) and the frontier places it is compared with:
    ``place_code``, ``place_name``, ``weight_share`` (share of 1), spend (£ per head), outputs
    and need (original units), largest weight first."""
    if code not in fr.lambdas.index:
        return pd.DataFrame()
    row = fr.lambdas.loc[code]
    tol = vfm_settings().dea_weight_tolerance.value
    picked = row[row > tol].sort_values(ascending=False)
    cols = ["place_name", "spend_gbp_per_head", *fr.output_ids, *fr.need_ids]
    out = fr.table.loc[[code, *picked.index], cols].copy()
    out.insert(1, "weight_share", [float("nan"), *picked.to_numpy()])
    out.iloc[0, 0] = f"{out.iloc[0, 0]} (this place)"
    return out.reset_index()
