"""Statistical nearest neighbours within a level, after CIPFA's Nearest Neighbours Model.

Each variable of data/catalogue/peers.yaml is log transformed where the catalogue says so,
standardised to mean 0 and sd 1 across the places at the level, and the weighted Euclidean
distance between every pair of places gives each place its ``n_peers`` nearest places (never
itself). Similarity is ``1 - distance / largest distance at the level`` (unitless, 0 to 1).
Missing values are replaced by the level's median, and the model records which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analysis.matrix import latest_matrix
from dashboard.bundle.model import Bundle
from dashboard.catalogue import lookup, one_of, param, sequence
from dashboard.catalogue.registry import item_key
from dashboard.formatting import unit_label

TRANSFORMS: tuple[str, ...] = ("none", "log")


@dataclass(frozen=True)
class PeerVariable:
    """One variable of the peer model: a canonical indicator id and its relative weight."""

    id: str
    weight: float
    transform: str
    unit: str
    low: float
    high: float
    source: str


@dataclass(frozen=True)
class PeerSpec:
    """The peer model for one level: how many peers, and the weighted variables."""

    level: str
    n_peers: int
    min_variables: int
    variables: tuple[PeerVariable, ...]


FILE = "peers.yaml"


@cache
def peer_spec(level: str, path: Path | None = None) -> PeerSpec:
    """The validated peer model for ``level`` ("upper" or "lower") from peers.yaml (cached)."""
    name = path or FILE
    key = f"levels.{level}"
    items = sequence(lookup(name, key), FILE, key, non_empty=True)
    variables = []
    for i, raw in enumerate(items):
        vkey = f"{key}.{item_key(raw, i)}"
        p = param(name, vkey, fields=("id", "weight", "transform", "unit", "range", "source"))
        transform = one_of(raw["transform"], TRANSFORMS, "transform", FILE, f"{vkey}.transform")
        variables.append(
            PeerVariable(str(raw["id"]), p.value, transform, p.unit, p.min, p.max, p.source)
        )
    return PeerSpec(
        level=level,
        n_peers=int(param(name, "method.n_peers").value),
        min_variables=int(param(name, "method.min_variables").value),
        variables=tuple(variables),
    )


def n_peers(level: str = "upper") -> int:
    """Size of a peer group (places), from peers.yaml."""
    return peer_spec(level).n_peers


# --- numerics (pure numpy) ---------------------------------------------------------------------
def impute_median(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Replace NaN by the column median; return the filled matrix and the mask of filled cells.
    A column with no values at all becomes 0 (it then carries no information)."""
    out = np.array(matrix, dtype=float, copy=True)
    mask = np.isnan(out)
    if mask.any():
        with np.errstate(all="ignore"):
            med = np.nanmedian(np.where(mask.all(axis=0), 0.0, out), axis=0)
        med = np.where(mask.all(axis=0), 0.0, med)
        out[mask] = np.take(med, np.nonzero(mask)[1])
    return out, mask


def standardise(matrix: np.ndarray) -> np.ndarray:
    """Columns to mean 0, sd 1 (population sd); a constant column becomes all zeros."""
    mean = matrix.mean(axis=0)
    sd = matrix.std(axis=0)
    safe = np.where(sd > 0, sd, 1.0)
    return np.where(sd > 0, (matrix - mean) / safe, 0.0)


def weighted_distances(z: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """All pairwise weighted Euclidean distances (n x n, in standardised units)."""
    zw = z * np.sqrt(np.asarray(weights, dtype=float))
    sq = (zw * zw).sum(axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (zw @ zw.T)
    np.maximum(d2, 0.0, out=d2)
    np.fill_diagonal(d2, 0.0)
    return np.sqrt(d2)


def nearest(distances: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and distances of each row's ``k`` nearest other rows, nearest first (a row is
    never its own neighbour; ties keep the lower index first)."""
    n = distances.shape[0]
    k = max(0, min(k, n - 1))
    d = distances.copy()
    np.fill_diagonal(d, np.inf)
    if k == 0:
        return np.empty((n, 0), dtype=int), np.empty((n, 0))
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(d, order, axis=1)


# --- the model -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeerModel:
    """Peers of every place at one level. Rows of the arrays follow ``codes``; columns of
    ``values`` and ``imputed`` follow ``variables``."""

    level: str
    period: str
    codes: tuple[str, ...]
    variables: tuple[PeerVariable, ...]
    left_out: tuple[str, ...]
    periods: tuple[str, ...]
    values: np.ndarray
    imputed: np.ndarray
    neighbours: np.ndarray
    distances: np.ndarray
    similarity: np.ndarray
    max_distance: float

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def peers_of(self, code: str) -> list[str]:
        """Codes of ``code``'s peers, nearest first ([] for a place not at this level)."""
        if code not in self.codes:
            return []
        return [self.codes[j] for j in self.neighbours[self.index(code)]]


def available_variables(bundle: Bundle, level: str, spec: PeerSpec) -> list[PeerVariable]:
    """The spec's variables that the bundle has at ``level``."""
    have = set(bundle.indicators_at(level)["id"])
    return [v for v in spec.variables if v.id in have]


def has_peer_variables(bundle: Bundle, level: str, spec: PeerSpec | None = None) -> bool:
    """Whether the bundle has enough of the peer variables at ``level`` to offer peers."""
    spec = spec or peer_spec(level)
    return len(available_variables(bundle, level, spec)) >= spec.min_variables


def build_peer_model(
    bundle: Bundle, level: str, period: str, spec: PeerSpec | None = None
) -> PeerModel | None:
    """Peers of every place at ``level``, from each variable's latest value ending no later
    than ``period``. None when the bundle lacks enough variables (see ``has_peer_variables``)."""
    spec = spec or peer_spec(level)
    variables = available_variables(bundle, level, spec)
    codes = bundle.place_codes(level)
    mats, pers = latest_matrix(bundle, codes, [v.id for v in variables], period)
    have = ~np.isnan(mats["value"]).all(axis=1)
    # a variable with no value for any place at this level carries nothing: leave it out
    variables = [v for v, h in zip(variables, have, strict=True) if h]
    if len(variables) < spec.min_variables or len(codes) < 2:
        return None
    ids = [v.id for v in variables]
    raw = mats["value"][have].T.copy()
    periods = pd.Series([p for p, h in zip(pers, have, strict=True) if h])
    logged = np.array([v.transform == "log" for v in variables])
    with np.errstate(all="ignore"):
        work = np.where(logged, np.log(np.where(raw > 0, raw, np.nan)), raw)
    filled, imputed = impute_median(work)
    z = standardise(filled)
    weights = np.array([v.weight for v in variables])
    dist = weighted_distances(z, weights)
    max_d = float(dist.max()) if dist.size else 0.0
    idx, d = nearest(dist, spec.n_peers)
    sim = 1.0 - d / max_d if max_d > 0 else np.ones_like(d)
    return PeerModel(
        level=level,
        period=period,
        codes=tuple(codes),
        variables=tuple(variables),
        left_out=tuple(v.id for v in spec.variables if v.id not in ids),
        periods=tuple(periods.tolist()),
        values=raw,
        imputed=imputed,
        neighbours=idx,
        distances=d,
        similarity=sim,
        max_distance=max_d,
    )


# --- tables for the page -------------------------------------------------------------------------
def variables_table(model: PeerModel, bundle: Bundle) -> pd.DataFrame:
    """The variables and weights in use: one row each, with unit, period, transform, source
    and how many places had a missing value replaced by the level median."""
    ind = bundle.indicators.set_index("id")
    return pd.DataFrame(
        {
            "variable": [ind.loc[v.id, "label"] for v in model.variables],
            "id": [v.id for v in model.variables],
            "unit": [unit_label(str(ind.loc[v.id, "unit"])) for v in model.variables],
            "period": list(model.periods),
            "weight": [v.weight for v in model.variables],
            "weight_share_pct": [
                100 * v.weight / sum(w.weight for w in model.variables) for v in model.variables
            ],
            "transform": [
                "log, then standardised" if v.transform == "log" else "standardised"
                for v in model.variables
            ],
            "places_imputed": model.imputed.sum(axis=0).astype(int),
            "why": [v.source for v in model.variables],
        }
    )


def why_similar(model: PeerModel, bundle: Bundle, code: str) -> pd.DataFrame:
    """The place and its peers side by side: similarity (0-1), distance (standardised units)
    and each variable's value, with its unit in the column name. Imputed values are NaN."""
    if code not in model.codes:
        return pd.DataFrame()
    i = model.index(code)
    rows = [i, *model.neighbours[i].tolist()]
    ind = bundle.indicators.set_index("id")
    names = bundle.places.set_index("code")["name"]
    out = pd.DataFrame(
        {
            "place": [names.get(model.codes[r], model.codes[r]) for r in rows],
            "code": [model.codes[r] for r in rows],
            "similarity_0_1": [1.0, *model.similarity[i].tolist()],
            "distance_sd": [0.0, *model.distances[i].tolist()],
        }
    )
    for k, v in enumerate(model.variables):
        col = f"{ind.loc[v.id, 'label']} ({unit_label(str(ind.loc[v.id, 'unit']))})"
        vals = model.values[rows, k].astype(float)
        vals[model.imputed[rows, k]] = math.nan
        out[col] = _readable(vals)
    return out


def _readable(vals: np.ndarray) -> np.ndarray:
    """Round for reading: whole numbers from 1,000, one decimal from 10, else three."""
    big = np.nanmax(np.abs(vals)) if np.isfinite(vals).any() else 0.0
    return np.round(vals, 0 if big >= 1000 else 1 if big >= 10 else 3)


def imputed_places(model: PeerModel, bundle: Bundle) -> list[str]:
    """Plain sentences naming each place whose missing value was replaced by the level median."""
    ind = bundle.indicators.set_index("id")
    names = bundle.places.set_index("code")["name"]
    out = []
    for r, c in zip(*np.nonzero(model.imputed), strict=True):
        label = ind.loc[model.variables[c].id, "label"]
        out.append(f"{names.get(model.codes[r], model.codes[r])}: {label}")
    return out
