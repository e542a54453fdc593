"""Shared fixtures: the real catalogue and a synthetic place (no bundle needed)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.scenario import PlaceContext, load_catalogue

#: People by age band in a mid-sized unitary (about 255,000 residents).
POPULATION = {
    "0-4": 14_000,
    "5-17": 40_000,
    "18-24": 22_000,
    "25-64": 130_000,
    "65-74": 26_000,
    "75-84": 17_000,
    "85+": 6_500,
}


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def context():
    return PlaceContext.from_arrays(
        "E06000001",
        POPULATION,
        base_year=2024,
        spend_per_head={"adult_social_care": 400.0, "public_health": 55.0},
        outcomes={"smoking_pct": 12.5, "employment_rate_pct": 75.0},
    )


@pytest.fixture(scope="session")
def contexts():
    rng = np.random.default_rng(7)
    return [
        PlaceContext.from_arrays(
            f"E0600{k:04d}", {b: v * rng.uniform(0.3, 3.0) for b, v in POPULATION.items()}
        )
        for k in range(12)
    ]
