"""A tiny hand-made bundle for contract tests: 1 county with 2 districts, 1 unitary, 1 met."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.bundle import Bundle, write_bundle
from tests.shapes import features, hexes

SOURCE = {
    "publisher": "Test",
    "title": "Hand-made",
    "url": "https://example.invalid",
    "licence": "MIT",
}


def make_bundle() -> Bundle:
    places = pd.DataFrame(
        {
            "code": ["C1", "D1", "D2", "U1", "M1"],
            "name": ["Countyshire", "Dale", "Fen", "Uniton", "Metborough"],
            "kind": ["county", "district", "district", "unitary", "metropolitan"],
            "region_code": ["R1"] * 5,
            "region_name": ["Region One"] * 5,
            "county_code": ["", "C1", "C1", "", ""],
        }
    )
    indicators = pd.DataFrame(
        [
            {
                "id": "out_up",
                "label": "Outcome",
                "kind": "outcome",
                "service": "public_health",
                "unit": "percent",
                "polarity": "higher_is_better",
                "levels": ("upper",),
                "definition": "d",
                **{f"source_{k}": v for k, v in SOURCE.items()},
            },
            {
                "id": "need_both",
                "label": "Need",
                "kind": "need",
                "service": "all",
                "unit": "score",
                "polarity": "neutral",
                "levels": ("upper", "lower"),
                "definition": "d",
                **{f"source_{k}": v for k, v in SOURCE.items()},
            },
        ]
    )
    values = pd.DataFrame(
        {
            "place_code": ["C1", "U1", "M1", "C1", "D1", "D2", "U1", "M1"],
            "indicator_id": ["out_up"] * 3 + ["need_both"] * 5,
            "period": ["2024-25"] * 8,
            "value": [50.0, 60.0, float("nan"), 10.0, 12.0, 8.0, 20.0, 30.0],
            "lower_ci": [45.0, 55.0, float("nan")] + [float("nan")] * 5,
            "upper_ci": [55.0, 65.0, float("nan")] + [float("nan")] * 5,
            "status": ["", "", "suppressed", "", "", "", "", ""],
        }
    )
    upper, lower = ["C1", "U1", "M1"], ["D1", "D2", "U1", "M1"]
    geo = {
        "upper.geojson": features(upper),
        "lower.geojson": features(lower),
        "upper.hexjson": hexes(upper),
        "lower.hexjson": hexes(lower),
    }
    population = pd.DataFrame(
        {
            "place_code": ["C1", "C1"],
            "year": [2024, 2024],
            "age_band": ["0-4", "85+"],
            "persons": [100.0, 20.0],
        }
    )
    meta = {
        "title": "Tiny",
        "is_demo": True,
        "attribution": "Made by hand",
        "licence": "MIT",
        "periods": ["2024-25"],
        "default_place": {"upper": "U1", "lower": "D1"},
    }
    return Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=geo,
        population=population,
    )


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_bundle(make_bundle(), tmp_path / "tiny")
