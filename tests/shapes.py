"""Tiny geometry for hand-made test bundles: unit squares in a row and a matching hex layout."""

from __future__ import annotations

from typing import Any


def square(x: float, y: float) -> dict[str, Any]:
    """A unit square polygon with its lower-left corner at (x, y), in degrees."""
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def features(codes: list[str]) -> dict[str, Any]:
    """A FeatureCollection of one square per code, side by side."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": c, "name": c}, "geometry": square(i, 0)}
            for i, c in enumerate(codes)
        ],
    }


def hexes(codes: list[str]) -> dict[str, Any]:
    """An odd-r HexJSON layout of one hex per code, in a row."""
    return {"layout": "odd-r", "hexes": {c: {"q": i, "r": 0, "n": c} for i, c in enumerate(codes)}}
