"""England's own totals (its population, its total spend in £) are kept in the bundle but are
no comparator for one council: "vs England", the spine's England marker and the trend's
England line use the median of councils for them, and England's rates, shares and densities
where it publishes them."""

from __future__ import annotations

import pytest

from dashboard import DATA_DIR
from dashboard.analysis.england import england_comparable, england_reference
from dashboard.analysis.map_values import map_values
from dashboard.analysis.profile import ENGLAND_MEDIAN, ENGLAND_PUBLISHED, profile_table, trend_table
from dashboard.bundle import read_bundle

ENGLAND = DATA_DIR / "england"
pytestmark = [
    pytest.mark.england,
    pytest.mark.skipif(
        not (ENGLAND / "bundle.yaml").exists(),
        reason="England bundle not built (run: python -m dashboard build-england --raw DIR)",
    ),
]
KENT = "E10000016"


def test_units_of_totals_are_not_comparable() -> None:
    assert not england_comparable("persons") and not england_comparable("gbp")
    assert england_comparable("percent") and england_comparable("gbp_per_head")
    assert england_comparable("persons_per_sq_km")


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ENGLAND)


def test_england_population_is_kept_but_not_a_reference(bundle) -> None:
    assert bundle.england_value("population", "2024") == 58_620_101  # ONS mid-2024, England
    assert england_reference(bundle, "population", "2024", "persons") is None
    share = england_reference(bundle, "pct_aged_65_plus", "2024", "percent")
    assert share == bundle.england_value("pct_aged_65_plus", "2024")


def test_profile_uses_england_shares_and_the_median_for_totals(bundle) -> None:
    group = [c for c in bundle.place_codes("upper") if c != KENT][:15]
    t = profile_table(bundle, KENT, "upper", group, "2024-25").set_index("indicator_id")
    for ind in ("pct_aged_0_17", "pct_aged_65_plus", "density_per_sq_km"):
        assert t.loc[ind, "england_basis"] == ENGLAND_PUBLISHED
        assert t.loc[ind, "england"] == pytest.approx(
            bundle.england_value(ind, t.loc[ind, "period"])
        )
    for ind in ("population", "spend_total_gbp"):
        if ind in t.index:
            assert t.loc[ind, "england_basis"] == ENGLAND_MEDIAN
            assert 0 <= t.loc[ind, "pos_england"] <= 100
    trend = trend_table(bundle, KENT, "upper", group, "population")
    assert (trend["england_basis"] == ENGLAND_MEDIAN).all()
    assert trend["england"].max() < 10_000_000, "no national total on a council's trend"


def test_vs_england_map_of_a_total_says_why_it_uses_the_median(bundle) -> None:
    mv = map_values(
        bundle,
        "upper",
        "population",
        "2024",
        method="quantiles",
        k=5,
        mode="compare",
        place=KENT,
        group=[],
    )
    assert mv.england is None and "median of councils" in mv.legend_title
    assert any("no comparator for one council" in line for line in mv.subtitle)
    shares = map_values(
        bundle,
        "upper",
        "pct_aged_65_plus",
        "2024",
        method="quantiles",
        k=5,
        mode="compare",
        place=KENT,
        group=[],
    )
    assert shares.england == pytest.approx(bundle.england_value("pct_aged_65_plus", "2024"))
    assert "Difference from England" in shares.legend_title
