"""Spatial helpers of the demo geography: Poisson-disc picking, k-means, allocation, and the
merging and splitting of clusters into counties (all in the kilometre plane)."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely


def dart_throw(
    candidates: np.ndarray,
    spacing: np.ndarray,
    n: int,
    d0_guess: float,
    search: tuple[float, float],
) -> np.ndarray:
    """Greedy Poisson-disc selection of exactly ``n`` candidates with spacing ``d0 * spacing``;
    ``d0`` is found by bisection between ``search`` times ``d0_guess``."""

    def pick(d0: float) -> list[int]:
        chosen: list[int] = []
        pts = np.empty((len(candidates), 2))
        rad = np.empty(len(candidates))
        for i, (p, s) in enumerate(zip(candidates, spacing, strict=True)):
            k = len(chosen)
            if k:
                d = np.hypot(pts[:k, 0] - p[0], pts[:k, 1] - p[1])
                if np.any(d < 0.5 * d0 * (s + rad[:k])):
                    continue
            pts[k], rad[k] = p, s
            chosen.append(i)
        return chosen

    lo, hi = search[0] * d0_guess, search[1] * d0_guess
    best = pick(lo)
    for _ in range(18):
        mid = 0.5 * (lo + hi)
        got = pick(mid)
        if len(got) >= n:
            lo, best = mid, got
        else:
            hi = mid
    return candidates[best[:n]]


def kmeans(xy: np.ndarray, k: int, rng: np.random.Generator, iters: int = 40) -> np.ndarray:
    """Cluster labels of a small k-means (k-means++ start); clusters are compact in space."""
    n = len(xy)
    if k <= 1:
        return np.zeros(n, dtype=int)
    centres = [xy[rng.integers(n)]]
    for _ in range(1, k):
        d2 = np.min([np.sum((xy - c) ** 2, axis=1) for c in centres], axis=0)
        centres.append(xy[rng.choice(n, p=d2 / d2.sum())])
    c = np.array(centres)
    labels = np.zeros(n, dtype=int)
    for _ in range(iters):
        labels = np.argmin(((xy[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
        new = np.array(
            [xy[labels == j].mean(axis=0) if np.any(labels == j) else c[j] for j in range(k)]
        )
        if np.allclose(new, c):
            break
        c = new
    return labels


def allocate(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), none
    above its cap (what a capped share cannot take goes to the others)."""
    w = np.asarray(weights, dtype=float)
    cap = np.full(len(w), total) if caps is None else np.asarray(caps, dtype=int)
    out = np.zeros(len(w), dtype=int)
    free = cap > 0
    while total - out.sum() > 0 and free.any():
        left = total - out.sum()
        raw = left * np.where(free, w, 0.0) / np.where(free, w, 0.0).sum()
        add = np.floor(raw).astype(int)
        for j in np.argsort(-(raw - add), kind="stable")[: left - add.sum()]:
            add[j] += 1
        out = np.minimum(out + add, cap)
        free = out < cap
    return out


def merge_small(labels: np.ndarray, xy: np.ndarray, min_size: int) -> np.ndarray:
    """Merge clusters smaller than ``min_size`` into the nearest other cluster; relabel 0..k-1."""
    labels = labels.copy()
    while True:
        ids, counts = np.unique(labels, return_counts=True)
        small = ids[counts < min_size]
        if len(small) == 0 or len(ids) == 1:
            break
        j = small[np.argmin(counts[counts < min_size])]
        cj = xy[labels == j].mean(axis=0)
        others = [i for i in ids if i != j]
        dist = [np.hypot(*(xy[labels == i].mean(axis=0) - cj)) for i in others]
        labels[labels == j] = others[int(np.argmin(dist))]
    return np.unique(labels, return_inverse=True)[1]


def split_largest(
    labels: np.ndarray, xy: np.ndarray, k: int, min_size: int, rng: np.random.Generator
) -> np.ndarray:
    """Split the largest cluster in two until there are ``k`` (both halves ``min_size``+)."""
    labels = labels.copy()
    while labels.max() + 1 < k:
        big = int(np.bincount(labels).argmax())
        members = np.flatnonzero(labels == big)
        halves = kmeans(xy[members], 2, rng)
        if min(np.sum(halves == 0), np.sum(halves == 1)) < min_size:
            break
        labels[members[halves == 1]] = labels.max() + 1
    return labels


def attach_exclaves(
    cells: list[Any], county: np.ndarray, region: np.ndarray, grid: float, min_size: int
) -> np.ndarray:
    """Give a district cut off from the rest of its county to a neighbouring county of its
    region, where one touches it and its own county keeps ``min_size`` districts (counties
    then form one piece wherever they can)."""
    county = county.copy()
    for _ in range(3):
        moved = False
        for c in range(county.max() + 1):
            members = np.flatnonzero(county == c)
            shape = shapely.union_all([cells[i] for i in members], grid_size=grid)
            if shape.geom_type == "Polygon" or len(members) < 2:
                continue
            main = max(shape.geoms, key=lambda p: p.area)
            for i in members:
                if cells[i].intersection(main).area > 0:
                    continue
                near = [
                    j
                    for j in np.flatnonzero((county >= 0) & (county != c) & (region == region[i]))
                    if cells[i].distance(cells[j]) < grid
                ]
                if near and np.sum(county == c) > min_size:
                    county[i] = county[near[0]]
                    moved = True
        if not moved:
            break
    return county
