"""Places, code crosswalks, simplified boundaries and hex layouts for England's councils.

Current structure (April 2023 onwards): 153 upper-tier places (E10 counties, E06 unitaries, E08
metropolitan districts, E09 London boroughs) and 296 lower-tier places (E07 districts plus the
single-tier E06/E08/E09), with the codes of the 2023/2024 boundary files.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.catalogue import param
from dashboard.sources.parsing import read_csv_text, require_columns
from dashboard.sources.tables import BUNDLE_FILE

KIND_BY_PREFIX: dict[str, str] = {
    "E10": "county",
    "E07": "district",
    "E06": "unitary",
    "E08": "metropolitan",
    "E09": "london_borough",
}
LA_CODE = r"^E(06|07|08|09|10)\d{6}$"
ENGLAND = "E92000001"


def kind_of(code: str) -> str | None:
    """Kind of council from its GSS code prefix (None for non-council codes)."""
    return KIND_BY_PREFIX.get(code[:3])


@dataclass
class Geography:
    """Places and the crosswalks that map codes found in data files onto them."""

    places: pd.DataFrame
    upper_codes: list[str]
    lower_codes: list[str]
    #: current district code -> its county code
    county_of: dict[str, str]
    #: older or newer code -> current code, where the area did not change (pure recodes)
    recode: dict[str, str] = field(default_factory=dict)
    #: former code -> its current successors (for notes; never used to copy figures)
    successors: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return set(self.places["code"])

    def current(self, code: str) -> str | None:
        """The current place code for ``code`` (itself, a pure recode, or None)."""
        code = str(code).strip()
        if code in self._codes_cache:
            return code
        return self.recode.get(code)

    def map_codes(self, codes: pd.Series) -> pd.Series:
        """Vectorised :meth:`current` (None where the code is not a current place)."""
        codes = codes.astype(str).str.strip()
        known = codes.isin(self._codes_cache)
        return codes.where(known, codes.map(self.recode))

    def __post_init__(self) -> None:
        self._codes_cache = set(self.places["code"])


def read_geojson(path: Path) -> dict[str, Any]:
    """Parse a GeoJSON file; BundleError naming the file if it is not a FeatureCollection."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise BundleError(path.name, f"not valid JSON ({exc.msg})", row=exc.lineno) from exc
    if doc.get("type") != "FeatureCollection":
        raise BundleError(path.name, "not a GeoJSON FeatureCollection", column="type")
    return doc


def _code_field(props: dict[str, Any], suffix: str) -> str | None:
    for k in props:
        if k.upper().endswith(suffix):
            return k
    return None


def boundary_frame(doc: dict[str, Any], file: str) -> pd.DataFrame:
    """Code, name and shapely geometry of each English council in a boundary FeatureCollection."""
    from shapely.geometry import shape

    feats = doc["features"]
    if not feats:
        raise BundleError(file, "has no features", column="features")
    props0 = feats[0].get("properties") or {}
    code_key, name_key = _code_field(props0, "CD"), _code_field(props0, "NM")
    if code_key is None or name_key is None:
        raise BundleError(file, "no code (..CD) or name (..NM) property", column="properties")
    rows = []
    for i, f in enumerate(feats, start=1):
        p = f.get("properties") or {}
        code = str(p.get(code_key, ""))
        if kind_of(code) is None:
            continue
        if not f.get("geometry"):
            raise BundleError(file, f"feature '{code}' has no geometry", row=i, column="geometry")
        rows.append(
            {"code": code, "name": str(p.get(name_key, code)), "geometry": shape(f["geometry"])}
        )
    return pd.DataFrame(rows)


def build_geography(
    lad: pd.DataFrame,
    ctyua: pd.DataFrame,
    lookup_path: Path,
    *,
    geo_metadata: Path | None = None,
    la_structure: Path | None = None,
    lad_hexjson: dict[str, Any] | None = None,
    mysociety: Path | None = None,
) -> Geography:
    """Places (code, name, kind, region, county) from the boundaries and the LTLA→UTLA lookup."""
    lk = read_csv_text(lookup_path)
    require_columns(lk, ["LTLA23CD", "UTLA23CD"], lookup_path.name)
    lk = lk[lk["LTLA23CD"].str.match(LA_CODE)]
    county_of = {
        r.LTLA23CD: r.UTLA23CD
        for r in lk.itertuples()
        if r.LTLA23CD.startswith("E07") and r.UTLA23CD.startswith("E10")
    }
    names = dict(zip(ctyua["code"], ctyua["name"], strict=True))
    names.update(dict(zip(lad["code"], lad["name"], strict=True)))
    upper = sorted(c for c in ctyua["code"] if kind_of(c) != "district")
    lower = sorted(c for c in lad["code"] if kind_of(c) != "county")

    # regions: ONS area hierarchy, else the hex layout's region field, else mySociety names
    region_of: dict[str, str] = {}
    region_name: dict[str, str] = {}
    meta: dict[str, Any] = {}
    if geo_metadata is not None and geo_metadata.exists():
        meta = json.loads(geo_metadata.read_text(encoding="utf-8-sig"))
        for code, item in meta.items():
            if code.startswith("E12"):
                region_name[code] = item.get("areanm", code)
            rg = [p for p in item.get("parents", []) if str(p).startswith("E12")]
            if rg:
                region_of[code] = rg[0]
    if lad_hexjson is not None:
        for code, h in lad_hexjson.get("hexes", {}).items():
            reg = str(h.get("region", ""))
            if reg.startswith("E12"):
                region_of.setdefault(code, reg)
    for d, c in county_of.items():
        if c not in region_of and d in region_of:
            region_of[c] = region_of[d]
    rows = []
    for code in sorted(set(upper) | set(lower)):
        reg = region_of.get(code, "")
        rows.append(
            {
                "code": code,
                "name": names[code],
                "kind": kind_of(code),
                "region_code": reg or "E92000001",
                "region_name": region_name.get(reg, "England") if reg else "England",
                "county_code": county_of.get(code, ""),
            }
        )
    # England itself (kind country): the row England's published values hang on
    rows.append(
        {
            "code": ENGLAND,
            "name": "England",
            "kind": "country",
            "region_code": ENGLAND,
            "region_name": "England",
            "county_code": "",
        }
    )
    places = pd.DataFrame(rows)
    geo = Geography(places, upper, lower, county_of)
    _add_recodes(geo, meta, la_structure)
    if mysociety is not None and mysociety.exists():
        _add_successors(geo, mysociety)
    return geo


def _add_recodes(geo: Geography, meta: dict[str, Any], la_structure: Path | None) -> None:
    """Codes for the same area under another vintage: pure one-to-one recodes only."""
    current = geo.codes
    # a code that started (e.g. 2025) with the name of one of our places that ended: same area
    ended = {
        (item.get("areanm"), code)
        for code, item in meta.items()
        if code in current and item.get("end")
    }
    by_name = {name: code for name, code in ended}
    for code, item in meta.items():
        if code not in current and item.get("start") and item.get("areanm") in by_name:
            geo.recode[code] = by_name[item["areanm"]]
    if la_structure is None or not la_structure.exists():
        return
    ls = read_csv_text(la_structure, sep="\t")
    years = sorted(int(c[-4:]) for c in ls.columns if c.startswith("ons_code_"))
    if not years:
        raise BundleError(la_structure.name, "no ons_code_YYYY columns", column="ons_code_YYYY")
    last = f"ons_code_{years[-1]}"
    for y in years[:-1]:
        col = f"ons_code_{y}"
        pairs = ls[[col, last]]
        pairs = pairs[pairs[col].str.match(LA_CODE) & pairs[last].isin(current)].drop_duplicates()
        preds = pairs.groupby(last)[col].nunique()
        succ = pairs.groupby(col)[last].nunique()
        # predecessors of the same successor across *all* years (a merger seen in any year)
        for old, new in pairs.itertuples(index=False):
            if old == new or old in current:
                continue
            if preds[new] == 1 and succ[old] == 1 and _n_predecessors(ls, new, years) == 1:
                geo.recode.setdefault(old, new)


def _n_predecessors(ls: pd.DataFrame, new: str, years: list[int]) -> int:
    last = f"ons_code_{years[-1]}"
    rows = ls[ls[last] == new]
    olds: set[str] = set()
    for y in years:
        olds |= set(rows[f"ons_code_{y}"][rows[f"ons_code_{y}"].str.match(LA_CODE)])
    # a pure recode has one old code (plus the new code itself)
    return len(olds - {new}) or 1


def _add_successors(geo: Geography, path: Path) -> None:
    ms = read_csv_text(path)
    require_columns(ms, ["local-authority-code", "gss-code", "replaced-by"], path.name)
    gss = dict(zip(ms["local-authority-code"], ms["gss-code"], strict=True))
    for code, repl in zip(ms["gss-code"], ms["replaced-by"], strict=True):
        if code and repl and code not in geo.codes:
            succ = [gss.get(x.strip(), "") for x in str(repl).split(",")]
            succ = [s for s in succ if s in geo.codes]
            if succ:
                geo.successors[code] = succ


# --- boundaries ---------------------------------------------------------------------------------
def simplified_geojson(
    frame: pd.DataFrame,
    codes: list[str],
    *,
    tolerance: float,
    decimals: int = 4,
) -> dict[str, Any]:
    """FeatureCollection (WGS84) of ``codes`` with properties ``code`` and ``name``.

    Shapes are simplified with shapely's ``simplify(preserve_topology=True)`` (``tolerance`` in
    degrees) and coordinates rounded to ``decimals`` places (4 ≈ 10 m).
    """
    import shapely

    sub = frame.set_index("code").loc[codes]
    geoms = shapely.simplify(
        np.asarray(sub["geometry"].tolist()), tolerance, preserve_topology=True
    )
    geoms = shapely.set_precision(geoms, 10**-decimals)
    feats = []
    for code, name, g in zip(sub.index, sub["name"], geoms, strict=True):
        if g.is_empty:  # rounding can collapse a tiny shape: keep the unsimplified one
            g = sub.loc[code, "geometry"]
        gj = shapely.geometry.mapping(g)
        feats.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": _round_coords(gj, decimals),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _round_coords(gj: Any, decimals: int) -> Any:
    if isinstance(gj, dict):
        return {
            k: (_round_coords(v, decimals) if k in ("coordinates", "geometries") else v)
            for k, v in gj.items()
        }
    if isinstance(gj, list | tuple):
        if gj and isinstance(gj[0], int | float):
            return [round(float(x), decimals) for x in gj]
        return [_round_coords(v, decimals) for v in gj]
    return gj


def land_area_sq_km(frame: pd.DataFrame) -> dict[str, float]:
    """Area of each boundary in km² (equal-area projection of the generalised shapes)."""
    import geopandas as gpd

    g = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326").to_crs("EPSG:27700")
    return dict(zip(frame["code"], g.geometry.area / 1e6, strict=True))


# --- hex layouts --------------------------------------------------------------------------------
def _odd_r_neighbours(q: int, r: int) -> list[tuple[int, int]]:
    if r % 2:  # odd rows are shifted right
        d = [(1, 0), (-1, 0), (0, -1), (1, -1), (0, 1), (1, 1)]
    else:
        d = [(1, 0), (-1, 0), (-1, -1), (0, -1), (-1, 1), (0, 1)]
    return [(q + dq, r + dr) for dq, dr in d]


def nearest_free(start: tuple[int, int], taken: set[tuple[int, int]]) -> tuple[int, int]:
    """The free hex cell nearest ``start`` (breadth-first over odd-r neighbours)."""
    if start not in taken:
        return start
    seen = {start}
    frontier = [start]
    while frontier:
        nxt = []
        for cell in frontier:
            for nb in _odd_r_neighbours(*cell):
                if nb in seen:
                    continue
                if nb not in taken:
                    return nb
                seen.add(nb)
                nxt.append(nb)
        frontier = sorted(nxt)
    raise RuntimeError("no free hex cell")  # unreachable: the grid is unbounded


def hex_layout(
    codes: list[str],
    names: dict[str, str],
    source: dict[str, Any] | None,
    *,
    successors: dict[str, list[str]] | None = None,
    recode: dict[str, str] | None = None,
    centroids: dict[str, tuple[float, float]] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """HexJSON for ``codes`` from a published layout, patched for councils it lacks.

    A code missing from ``source`` takes the cell of its predecessor (via ``successors``, e.g. a
    county replaced by unitaries) or, if that cell is taken, the nearest free cell; without any
    predecessor it is placed from its centroid. Returns the layout and notes on what was patched.
    """
    notes: list[str] = []
    hexes: dict[str, dict[str, Any]] = {}
    taken: set[tuple[int, int]] = set()
    src = (source or {}).get("hexes", {})
    layout = (source or {}).get("layout", "odd-r")
    wanted = set(codes)
    inverse = {}
    for old, new in (recode or {}).items():
        inverse.setdefault(new, old)
    for code in codes:
        h = src.get(code) or src.get(inverse.get(code, ""))
        if h is None:
            continue
        cell = (int(h["q"]), int(h["r"]))
        if cell in taken:
            continue
        hexes[code] = {"q": cell[0], "r": cell[1], "n": names.get(code, code)}
        taken.add(cell)
    pred_cells: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for old, succ in (successors or {}).items():
        if old in src and old not in wanted:
            for s in succ:
                pred_cells[s].append((int(src[old]["q"]), int(src[old]["r"])))
    missing = [c for c in codes if c not in hexes]
    for code in sorted(missing, key=lambda c: (not pred_cells.get(c), c)):
        if pred_cells.get(code):
            start = min(pred_cells[code])
            how = "its predecessor's cell or the nearest free one"
        elif centroids and code in centroids and len(hexes) >= 3:
            start = _cell_from_centroid(code, centroids, hexes)
            how = "the cell nearest its centroid"
        elif centroids and code in centroids:
            start = _grid_cell(code, centroids, len(codes))
            how = "a grid cell from its centroid"
        else:
            start = (0, 0)
            how = "a free cell"
        cell = nearest_free(start, taken)
        taken.add(cell)
        hexes[code] = {"q": cell[0], "r": cell[1], "n": names.get(code, code)}
        notes.append(f"{code} {names.get(code, code)}: hex placed at {how}")
    return {"layout": layout, "hexes": {c: hexes[c] for c in codes}}, notes


def _cell_from_centroid(
    code: str, centroids: dict[str, tuple[float, float]], hexes: dict[str, dict[str, Any]]
) -> tuple[int, int]:
    """Fit q ≈ a·lon + b, r ≈ c·lat + d on already placed hexes and apply it to ``code``."""
    placed = [c for c in hexes if c in centroids]
    if len(placed) < 3:
        return (0, 0)
    lon = np.array([centroids[c][0] for c in placed])
    lat = np.array([centroids[c][1] for c in placed])
    q = np.array([hexes[c]["q"] for c in placed])
    r = np.array([hexes[c]["r"] for c in placed])
    a, b = np.polyfit(lon, q, 1)
    c, d = np.polyfit(lat, r, 1)
    x, y = centroids[code]
    return (int(round(a * x + b)), int(round(c * y + d)))


def _grid_cell(code: str, centroids: dict[str, tuple[float, float]], n: int) -> tuple[int, int]:
    """Cell on a plain grid spanning England's extent, about sqrt(n) hexes across."""
    lons = [c[0] for c in centroids.values()]
    lats = [c[1] for c in centroids.values()]
    widen = param(BUNDLE_FILE, "settings.hex_fallback_columns").central
    stretch = param(BUNDLE_FILE, "settings.hex_fallback_row_stretch").central
    cols = max(int(math.sqrt(n) * widen), 1)
    x, y = centroids[code]
    q = (x - min(lons)) / ((max(lons) - min(lons)) or 1) * cols
    r = (max(lats) - y) / ((max(lats) - min(lats)) or 1) * cols * stretch
    return (int(round(q)), int(round(r)))


def centroid_lonlat(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Representative point (lon, lat) of each boundary."""
    out = {}
    for code, g in zip(frame["code"], frame["geometry"], strict=True):
        p = g.representative_point()
        out[code] = (float(p.x), float(p.y))
    return out


def read_hexjson(path: Path) -> dict[str, Any]:
    """Parse a HexJSON file (``{"layout": ..., "hexes": {code: {q, r, ...}}}``)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise BundleError(path.name, f"not valid JSON ({exc.msg})", row=exc.lineno) from exc
    if not isinstance(doc.get("hexes"), dict):
        raise BundleError(path.name, "not HexJSON (no 'hexes' mapping)", column="hexes")
    for i, (code, h) in enumerate(doc["hexes"].items(), start=1):
        try:
            int(h["q"]), int(h["r"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BundleError(
                path.name, f"hex '{code}' needs integer q and r", row=i, column="q, r"
            ) from exc
    return doc
