"""The demo bundle from its parts: ``generate_demo(seed)`` is pure (it only reads the YAML
catalogues); ``make_demo`` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.denominators import UNIT_GROUP, matching_text, mid_year, nearest_year
from dashboard.bundle.io import indicators_frame, validate_bundle, write_bundle
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import ENGLAND_CODE
from dashboard.demo.config import DEFAULT_SEED, load_config
from dashboard.demo.geography import build_geography
from dashboard.demo.geometry import geo_files
from dashboard.demo.indicators import add_modelled, add_spend
from dashboard.demo.names import build_places
from dashboard.demo.neighbours import fictional_set
from dashboard.demo.partners import add_partner_spend
from dashboard.demo.values import england_frame, population_frame, values_frame
from dashboard.demo.world import add_latent_indicators, add_population, build_world


def generate_demo(seed: int = DEFAULT_SEED, config: dict[str, Any] | None = None) -> Bundle:
    """The fictional demo bundle for ``seed`` (pure: reads the YAML catalogues, writes nothing)."""
    cfg = config or load_config()
    geo = build_geography(cfg, seed)
    places = build_places(geo, cfg, seed)
    codes = places["code"].tolist()
    world = build_world(geo, cfg, seed)
    add_population(world)
    add_latent_indicators(world)
    add_modelled(world, add_spend(world))
    partners = add_partner_spend(world, seed)
    values = values_frame(world.tables, codes, world.periods)
    source = dict(cfg["meta"]["source"])
    entries = [{**e, "source": source} for e in canonical_indicators() if e["id"] in world.tables]
    entries += [{**e, "source": source} for e in partners]
    entries = [_with_denominator(e, values, world) for e in entries]
    indicators = indicators_frame({"indicators": entries}, "demo catalogue")
    # a fictional England (population-weighted mean of the demo councils), labelled as such
    england = cfg["meta"]["england"]
    places = pd.concat(
        [
            places,
            pd.DataFrame(
                [
                    {
                        "code": ENGLAND_CODE,
                        "name": str(england["name"]),
                        "kind": "country",
                        "region_code": ENGLAND_CODE,
                        "region_name": str(england["name"]),
                        "county_code": "",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    values = pd.concat(
        [values, england_frame(values, places, indicators, ENGLAND_CODE)], ignore_index=True
    )
    meta = {
        "title": cfg["meta"]["title"],
        "description": cfg["meta"]["description"],
        "is_demo": True,
        "attribution": cfg["meta"]["attribution"],
        "licence": cfg["meta"]["licence"],
        "periods": world.periods,
        "default_place": _default_places(places, values, world.periods[-1]),
        "generator": {"seed": int(seed), "command": cfg["meta"]["command"]},
    }
    population = population_frame(world, codes)
    deflators, meta["deflator"] = _deflator(cfg, world.periods)
    nb_meta, neighbours = fictional_set(places, values, cfg["neighbour_set"])
    meta["neighbour_sets"] = [nb_meta]
    bundle = Bundle(
        meta=meta,
        places=places.sort_values("code").reset_index(drop=True),
        indicators=indicators,
        values=values,
        geo=geo_files(geo, places, cfg),
        population=population.sort_values(["place_code", "year"], kind="stable").reset_index(
            drop=True
        ),
        deflators=deflators,
        neighbours=neighbours,
    )
    return validate_bundle(bundle)


def _with_denominator(entry: dict[str, Any], values: pd.DataFrame, world: Any) -> dict[str, Any]:
    """A spend-per-person entry with its ``denominator`` in words (the demo's own population of
    the matching year for each period)."""
    group = UNIT_GROUP.get(str(entry["unit"]))
    if group is None or entry["kind"] != "spend":
        return entry
    periods = sorted(set(values.loc[values["indicator_id"] == entry["id"], "period"].astype(str)))
    first, last = (int(world.cfg["population_years"][k]) for k in ("first", "last"))
    years = range(first, last + 1)
    pairs = [(p, y) for p in periods if (y := nearest_year(mid_year(p) or first, years))]
    text = matching_text(group, pairs, estimate="the demo's fictional mid-year population")
    return {**entry, "denominator": text}


def _deflator(cfg: dict[str, Any], periods: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The demo's FICTIONAL price index by period (demo.yaml ``deflator``) and its bundle.yaml
    block; the latest period is the price base."""
    d = cfg["deflator"]
    growth = [float(g) for g in d["growth"]]
    if len(growth) != len(periods) - 1:
        raise ValueError(
            f"demo.yaml deflator.growth has {len(growth)} values for {len(periods)} periods"
        )
    index = [float(d["first_index"])]
    for g in growth:
        index.append(index[-1] * (1 + g))
    frame = pd.DataFrame({"period": periods, "index": [round(x, 4) for x in index]})
    block = {
        "series": str(d["series"]),
        "label": str(d["label"]),
        "base_period": periods[-1],
        "source": {k: str(v) for k, v in d["source"].items()},
        "note": str(d["note"]),
    }
    return frame, block


def _default_places(places: pd.DataFrame, values: pd.DataFrame, period: str) -> dict[str, str]:
    """A typical place to show first: the unitary (upper) and district (lower) of median IMD."""
    imd = values[(values["indicator_id"] == "imd_score") & (values["period"] == period)]
    imd = imd.set_index("place_code")["value"]
    out = {}
    for level, kind in (("upper", "unitary"), ("lower", "district")):
        codes = places.loc[places["kind"] == kind, "code"]
        v = imd.reindex(codes)
        out[level] = str((v - v.median()).abs().sort_values(kind="stable").index[0])
    return out


def make_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo bundle for ``seed`` and write it to ``out_dir``; return the directory."""
    return write_bundle(generate_demo(seed), out_dir)
