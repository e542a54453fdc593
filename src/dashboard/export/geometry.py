"""Publish a bundle's map geometry as static files the browser fetches once.

Files go to ``<static>/geo/<dataset>/<level>-<kind>.<hash>.geojson``; the hash is of the file's
content, so a rebuilt bundle gets new names and a browser never draws stale shapes. Streamlit
serves the folder at ``app/static/`` (``server.enableStaticServing``). Kinds:

- ``shapes``: simplified boundaries (WGS84 longitude/latitude)
- ``shape_regions``: region outlines over the boundaries
- ``hexes``: hex cartogram polygons (planar; unit hex radius)
- ``hex_regions``: region outlines over the hexes
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from dashboard.analysis.classify import MapSettings, map_settings
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import LEVELS
from dashboard.geo import hex_polygons, missing_codes, region_outlines, web_boundaries

KINDS: tuple[str, ...] = ("shapes", "shape_regions", "hexes", "hex_regions")
#: URL prefix under which Streamlit serves the static folder (relative to the app's base URL).
STATIC_URL = "app/static/"


@dataclass(frozen=True)
class Published:
    """Where each level's geometry was published, and the collections themselves (for exports,
    which inline the shapes because vl-convert cannot fetch from the app)."""

    dataset: str
    files: dict[tuple[str, str], str]  # (level, kind) -> path relative to the static folder
    collections: dict[tuple[str, str], dict[str, Any]] = field(repr=False)
    centre_lon: dict[str, float]  # level -> central meridian of the boundaries (degrees)
    missing: dict[tuple[str, str], list[str]]  # (level, kind) -> place codes without a shape

    def url(self, level: str, kind: str) -> str:
        """URL of a geometry file, relative to the page (resolves under any base URL path)."""
        return STATIC_URL + self.files[(level, kind)]


def _places_info(bundle: Bundle, level: str) -> dict[str, dict[str, str]]:
    places = bundle.places_at(level)
    return {
        str(c): {"name": str(n), "region": str(r)}
        for c, n, r in zip(places["code"], places["name"], places["region_name"], strict=True)
    }


def web_geometry(
    bundle: Bundle, level: str, settings: MapSettings | None = None
) -> dict[str, dict[str, Any]]:
    """The four collections (see KINDS) for the places at ``level``."""
    s = settings or map_settings()
    info = _places_info(bundle, level)
    dec = s.coordinate_decimals
    shapes = web_boundaries(bundle.geo[f"{level}.geojson"], info, s.web_tolerance, dec)
    hexes = hex_polygons(bundle.geo[f"{level}.hexjson"], info)
    return {
        "shapes": shapes,
        "shape_regions": region_outlines(shapes, s.region_close_gaps, s.web_tolerance, dec),
        "hexes": hexes,
        "hex_regions": region_outlines(hexes, 0.0, 0.0, 2),
    }


def central_meridian(collection: dict[str, Any]) -> float:
    """Longitude (degrees) at the middle of the collection's bounding box."""
    geoms = [shape(f["geometry"]) for f in collection.get("features", [])]
    if not geoms:
        return 0.0
    x0, _, x1, _ = shapely.total_bounds(geoms)
    return round(float(x0 + x1) / 2, 2)


def safe_name(dataset: str) -> str:
    """A dataset name usable as a folder name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", dataset) or "dataset"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".geojson")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server may run as another user
    os.replace(tmp, path)


def publish_geometry(
    bundle: Bundle, dataset: str, static_dir: Path, settings: MapSettings | None = None
) -> Published:
    """Write every level's geometry under ``static_dir/geo/<dataset>/`` (content-hashed names;
    older versions of the same file are removed) and say where it went."""
    folder = static_dir / "geo" / safe_name(dataset)
    files: dict[tuple[str, str], str] = {}
    collections: dict[tuple[str, str], dict[str, Any]] = {}
    missing: dict[tuple[str, str], list[str]] = {}
    centre: dict[str, float] = {}
    for level in LEVELS:
        geom = web_geometry(bundle, level, settings)
        codes = bundle.place_codes(level)
        centre[level] = central_meridian(geom["shapes"])
        for kind in KINDS:
            fc = geom[kind]
            text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
            name = f"{level}-{kind}.{digest}.geojson"
            path = folder / name
            if not path.exists():
                _write_atomic(path, text)
            for old in folder.glob(f"{level}-{kind}.*.geojson"):
                if old.name != name:
                    old.unlink(missing_ok=True)
            files[(level, kind)] = f"geo/{safe_name(dataset)}/{name}"
            collections[(level, kind)] = fc
            if kind in ("shapes", "hexes"):
                missing[(level, kind)] = missing_codes(fc, codes)
    return Published(safe_name(dataset), files, collections, centre, missing)
