"""Efficiency frontier by data envelopment analysis (DEA).

Model: variable returns to scale (Banker, Charnes and Cooper 1984) or constant returns to scale
(Charnes, Cooper and Rhodes 1978: the same programme without the convexity row), input oriented, with
non-discretionary inputs after Banker and Morey (1986). For each place ``o`` we solve the
envelopment linear programme

    min  theta
    s.t. sum_j lambda_j x_ij <= theta * x_io    every discretionary input i (spend, £ per head)
         sum_j lambda_j z_kj <= z_ko            every non-discretionary input k (no theta)
         sum_j lambda_j y_rj >= y_ro            every output r (oriented: higher is better)
         sum_j lambda_j       = 1               variable returns to scale (dropped for CRS)
         lambda_j >= 0

with scipy's HiGHS solver. ``theta`` (0 to 1) is the share of its spend a place would need to
match a combination of other places that does at least as well on every output while facing
no easier circumstances; 1 means the place is on the frontier.

Orientation (documented choices, tested):

* Outputs where lower is better are reversed as ``max + min - y``. The input-oriented VRS model
  is translation invariant in outputs (Ali and Seiford 1990; Pastor 1996), so any reversal
  ``c - y`` gives the same scores; ``max + min`` keeps the values in the original range, and
  targets are turned back into the original units. (The reciprocal ``1 / y`` was not used: it
  changes the shape of the frontier and fails for zero.)
* Need enters as a non-discretionary input "in favour": higher need makes outcomes harder, so a
  need variable is reversed the same way (``max + min - need``, i.e. advantage). The constraint
  then compares a place only with combinations of places whose need is at least as high as its
  own. The same translation invariance holds for non-discretionary inputs under VRS.

Scale efficiency is CRS / VRS (0 to 1): 1 means the place operates at a scale where spending
more or less per head would not by itself change its outcomes per pound; below 1, part of its
VRS-to-CRS gap comes from its scale, not from how it turns spend into outcomes. Under CRS the
reversal of lower-is-better outputs and need is not translation invariant: CRS scores depend on
it (documented, not hidden).

Scores are first-stage radial scores: slacks are not maximised in a second stage, so a place
with score 1 can still have a composite that does better on some output. Scores depend on the
variables and on the set of places compared: add or drop either and they move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_array, eye_array, hstack, kron

#: Places whose LPs are solved together (block-diagonal); a speed setting, not a method choice.
CHUNK = 32


@dataclass(frozen=True)
class DEAResult:
    """Scores and targets for ``n`` places.

    ``score``: theta, 0 to 1 (unitless). ``lambdas``: (n, n) weights, row o = the combination
    place o is compared with (each row sums to 1 under VRS; any non-negative sum under CRS). ``input_target``: (n, m) theta * input, in the
    inputs' units. ``output_target``: (n, s) the combination's outputs, in the oriented units
    passed in (see :func:`unorient`)."""

    score: np.ndarray
    lambdas: np.ndarray
    input_target: np.ndarray
    output_target: np.ndarray
    weight_tol: float

    def peers(self, i: int) -> list[tuple[int, float]]:
        """Frontier places place ``i`` is compared with: (index, weight), largest weight first."""
        row = self.lambdas[i]
        idx = np.flatnonzero(row > self.weight_tol)
        return sorted(((int(j), float(row[j])) for j in idx), key=lambda t: -t[1])


def orient(values: np.ndarray, lower_is_better: np.ndarray | list[bool]) -> np.ndarray:
    """Columns turned so higher is better: ``max + min - v`` where lower is better.

    ``values`` is (n, s); ``lower_is_better`` has one flag per column. Units are unchanged."""
    v = np.asarray(values, dtype=float)
    flip = np.asarray(lower_is_better, dtype=bool)
    if v.ndim != 2 or flip.shape != (v.shape[1],):
        raise ValueError("values must be (places, columns) with one flag per column")
    out = v.copy()
    if flip.any():
        cols = v[:, flip]
        out[:, flip] = cols.max(axis=0) + cols.min(axis=0) - cols
    return out


def unorient(
    oriented: np.ndarray, original: np.ndarray, lower_is_better: np.ndarray | list[bool]
) -> np.ndarray:
    """Undo :func:`orient` on ``oriented`` (e.g. targets), using the ``original`` columns'
    max and min."""
    o = np.asarray(oriented, dtype=float)
    flip = np.asarray(lower_is_better, dtype=bool)
    out = o.copy()
    if flip.any():
        cols = np.asarray(original, dtype=float)[:, flip]
        out[..., flip] = cols.max(axis=0) + cols.min(axis=0) - o[..., flip]
    return out


def _as_matrix(a: np.ndarray | None, n: int, name: str) -> np.ndarray:
    if a is None:
        return np.empty((n, 0))
    m = np.asarray(a, dtype=float)
    if m.ndim == 1:
        m = m[:, None]
    if m.shape[0] != n:
        raise ValueError(f"{name} has {m.shape[0]} rows; expected {n}")
    if not np.isfinite(m).all():
        raise ValueError(f"{name} has missing or infinite values: drop those places first")
    return m


def dea_vrs_input(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray | None = None,
    *,
    weight_tol: float = 1e-6,
    only: Sequence[int] | None = None,
) -> DEAResult:
    """Input-oriented VRS DEA scores for every place (one LP each, HiGHS).

    ``x``: (n, m) discretionary inputs, all > 0 (e.g. spend in £ per head). ``y``: (n, s)
    outputs, higher is better (see :func:`orient`). ``z``: (n, k) non-discretionary inputs,
    higher = more favourable circumstances (Banker-Morey). ``weight_tol``: lambda weights above
    this count as peers. ``only``: the indices of the places to score (each still compared
    with every place); the others' scores, weights and targets are NaN."""
    return _dea_input(x, y, z, weight_tol=weight_tol, vrs=True, only=only)


def dea_crs_input(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray | None = None,
    *,
    weight_tol: float = 1e-6,
    only: Sequence[int] | None = None,
) -> DEAResult:
    """Input-oriented CRS DEA scores (as :func:`dea_vrs_input` without the convexity row: the
    weights need not sum to 1). A CRS score is never above the VRS score."""
    return _dea_input(x, y, z, weight_tol=weight_tol, vrs=False, only=only)


def scale_efficiency(crs: np.ndarray, vrs: np.ndarray) -> np.ndarray:
    """CRS score / VRS score, each place (0 to 1; 1 = no loss from scale)."""
    return np.minimum(1.0, np.asarray(crs, dtype=float) / np.asarray(vrs, dtype=float))


def _dea_input(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray | None,
    *,
    weight_tol: float,
    vrs: bool,
    only: Sequence[int] | None = None,
) -> DEAResult:
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    x = _as_matrix(x, n, "inputs")
    y = _as_matrix(y, n, "outputs")
    z = _as_matrix(z, n, "non-discretionary inputs")
    if n == 0:
        raise ValueError("no places to compare")
    if (x <= 0).any():
        raise ValueError("discretionary inputs must be positive")
    if y.shape[1] == 0:
        raise ValueError("at least one output is needed")
    m, k, s = x.shape[1], z.shape[1], y.shape[1]
    rows = m + k + s

    # Variables of one place's LP: [theta, lambda_1..lambda_n]; only theta's column (-x_o) and
    # the right-hand side change from place to place. The LPs are independent, so CHUNK of them
    # are stacked block-diagonally and solved as one LP (the optimum of the sum is each one's
    # optimum): far fewer solver calls, same scores.
    block = csc_array(np.vstack([x.T, z.T, -y.T]))  # (rows, n): lambda coefficients
    ones = csc_array(np.ones((1, n)))
    scored = np.arange(n) if only is None else np.unique(np.asarray(only, dtype=int))
    score = np.full(n, np.nan)
    lambdas = np.full((n, n), np.nan)
    for start in range(0, len(scored), CHUNK):
        idx = scored[start : start + CHUNK]
        q = len(idx)
        theta = np.zeros((q, rows, q))
        theta[np.arange(q), :m, np.arange(q)] = -x[idx]
        a_ub = hstack(
            [csc_array(theta.reshape(q * rows, q)), kron(eye_array(q, format="csc"), block)],
            format="csc",
        )
        b_ub = np.hstack([np.zeros((q, m)), z[idx], -y[idx]]).ravel()
        c = np.concatenate([np.ones(q), np.zeros(q * n)])
        eq = {}
        if vrs:
            eq = {
                "A_eq": hstack(
                    [csc_array((q, q)), kron(eye_array(q, format="csc"), ones)], format="csc"
                ),
                "b_eq": np.ones(q),
            }
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=(0.0, None), method="highs", **eq)
        if res.status != 0:  # each place is feasible on its own (theta = 1, lambda_o = 1)
            raise RuntimeError(f"DEA LPs for places {idx.tolist()} failed: {res.message}")
        score[idx] = np.minimum(1.0, res.x[:q])
        lam = np.clip(res.x[q:].reshape(q, n), 0.0, None)
        lambdas[idx] = lam / lam.sum(axis=1, keepdims=True) if vrs else lam
    return DEAResult(
        score=score,
        lambdas=lambdas,
        input_target=score[:, None] * x,
        output_target=lambdas @ y,
        weight_tol=weight_tol,
    )
