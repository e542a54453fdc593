"""Check a bundle's boundaries (GeoJSON) and hex layouts (HexJSON) when it is read: each
feature a Polygon or MultiPolygon with a code and finite numeric coordinates in closed rings,
invalid polygons repaired (noted) or refused, hexes on integer cells of a known layout. Every
refusal is a :class:`BundleError` naming the file, the feature (or hex) and the property; see
docs/architecture.md ("The data bundle").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from dashboard.bundle.errors import BundleError
from dashboard.bundle.limits import limits
from dashboard.bundle.schema import KIND_LEVELS
from dashboard.geo import (
    GeometryError,
    check_geometry,
    check_hex_cell,
    hex_layout,
    multipolygons,
    repair,
)

GEO_FILES: tuple[str, ...] = ("upper.geojson", "lower.geojson", "upper.hexjson", "lower.hexjson")


def _lists(obj: Any) -> Any:
    """Tuples (as shapely's ``mapping`` gives coordinates) to lists, as parsed JSON has."""
    if isinstance(obj, dict):
        return {k: _lists(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_lists(v) for v in obj]
    return obj


def _geo_error(file: str, exc: GeometryError) -> BundleError:
    return BundleError(file, exc.detail, row=exc.feature, column=exc.prop, hint=exc.hint or None)


def _validate_boundaries(
    doc: dict[str, Any], file: str, notes: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """Check a GeoJSON FeatureCollection feature by feature; repair invalid polygons with
    shapely's make_valid (noted); return the (possibly repaired) document and its codes."""
    features = doc.get("features")
    if doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise BundleError(
            file,
            "must be a GeoJSON FeatureCollection",
            column="features",
            hint="{'type': 'FeatureCollection', 'features': [...]}",
        )
    max_features = limits().setting("geojson_max_features")
    if len(features) > max_features:
        raise BundleError(
            file,
            f"has {len(features)} features, above the limit of {max_features}",
            column="features",
            hint="limits.yaml reading.geojson_max_features",
        )
    codes: list[str] = []
    geoms = []
    for i, feat in enumerate(features, start=1):
        if not isinstance(feat, dict):
            raise BundleError(
                file,
                f"feature must be a JSON object, not {type(feat).__name__}",
                row=i,
                column="features",
                hint="{'type': 'Feature', 'properties': {...}, 'geometry': {...}}",
            )
        props = feat.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise BundleError(
                file,
                f"properties must be a JSON object, not {type(props).__name__}",
                row=i,
                column="properties",
                hint="{'code': ..., 'name': ...}",
            )
        code = props.get("code")
        if not code:
            raise BundleError(
                file,
                "feature has no code",
                row=i,
                column="properties.code",
                hint="give properties a 'code' from places.csv",
            )
        if isinstance(code, bool) or not isinstance(code, str | int):
            raise BundleError(
                file,
                f"code must be text, not {type(code).__name__}",
                row=i,
                column="properties.code",
                hint="quote it",
            )
        geom = feat.get("geometry")
        if geom is None or (isinstance(geom, dict) and not geom.get("coordinates")):
            raise BundleError(
                file,
                f"feature '{code}' has no geometry",
                row=i,
                column="geometry",
                hint="give the feature a Polygon or MultiPolygon",
            )
        try:
            geoms.append(check_geometry(feat.get("geometry"), i))
        except GeometryError as exc:
            raise _geo_error(file, exc) from exc
        codes.append(str(code))
    geoms = multipolygons(geoms) if geoms else np.empty(0, dtype=object)
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    if len(invalid):
        features = list(features)
        for k in invalid:
            i = int(k) + 1
            reason = shapely.is_valid_reason(geoms[k])
            fixed = repair(geoms[k])
            if fixed is None:
                raise BundleError(
                    file,
                    f"feature '{codes[k]}' is not a valid polygon ({reason}) and cannot be "
                    "repaired",
                    row=i,
                    column="geometry",
                    hint="fix the shape in a GIS tool",
                )
            features[k] = {**features[k], "geometry": _lists(mapping(fixed))}
            notes.append(
                f"{file}: feature {i} ('{codes[k]}') was not a valid polygon ({reason}); "
                "repaired with shapely make_valid"
            )
        doc = {**doc, "features": features}
    return doc, codes


def _validate_hexes(doc: dict[str, Any], file: str) -> list[str]:
    """Check a HexJSON document: a known layout, integer q and r, one hex per cell."""
    try:
        hex_layout(doc)
    except GeometryError as exc:
        raise _geo_error(file, exc) from exc
    hexes = doc.get("hexes")
    if not isinstance(hexes, dict) or not hexes:
        raise BundleError(
            file,
            "must be HexJSON with a 'hexes' mapping",
            column="hexes",
            hint="{'layout': 'odd-r', 'hexes': {code: {'q': 0, 'r': 0}}}",
        )
    codes = []
    seen: dict[tuple[int, int], str] = {}
    for i, (code, h) in enumerate(hexes.items(), start=1):
        if not code:
            raise BundleError(
                file,
                "hex has no code",
                row=i,
                column="hexes",
                hint="key each hex by its place code",
            )
        try:
            qr = check_hex_cell(code, h, i)
        except GeometryError as exc:
            raise _geo_error(file, exc) from exc
        if qr in seen:
            raise BundleError(
                file,
                f"hex '{code}' sits on the same cell as '{seen[qr]}'",
                row=i,
                column="q, r",
                hint="move one of them to a free cell",
            )
        seen[qr] = code
        codes.append(str(code))
    return codes


def validate_geo(
    geo: dict[str, dict[str, Any]], places: pd.DataFrame, notes: list[str]
) -> dict[str, dict[str, Any]]:
    """Check the four geo files against ``places``; return them with invalid polygons repaired.
    Notes (repairs, places without a shape) are appended to ``notes``."""
    out = dict(geo)
    for name in GEO_FILES:
        level = name.split(".")[0]
        file = f"geo/{name}"
        doc = geo.get(name)
        if doc is None:
            raise BundleError(
                file,
                "file is missing",
                hint="every bundle has bundle.yaml, places.csv, indicators.yaml, values.parquet and geo/",
            )
        if not isinstance(doc, dict):
            raise BundleError(file, "must be a JSON object", hint="start the file with '{'")
        expected = set(
            places.loc[places["kind"].map(lambda k, lv=level: lv in KIND_LEVELS[k]), "code"]
        )
        if name.endswith(".geojson"):
            out[name], codes = _validate_boundaries(doc, file, notes)
        else:
            codes = _validate_hexes(doc, file)
        unknown = sorted(set(codes) - expected)
        if unknown:
            raise BundleError(
                file,
                f"code '{unknown[0]}' is not a {level}-tier place in places.csv",
                row=codes.index(unknown[0]) + 1,
                column="code",
                hint="remove the feature or add the place to places.csv",
            )
        missing = sorted(expected - set(codes))
        if missing:
            notes.append(
                f"{file}: {len(missing)} {level}-tier places have no shape (first: {missing[0]})"
            )
    return out
