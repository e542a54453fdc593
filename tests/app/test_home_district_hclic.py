"""Home cards for districts: the H-CLIC homelessness prevention outcome (a district outcome of
a district service), naming its period when it is not the chosen one."""

from __future__ import annotations

import pytest

from dashboard.analysis.methods import home_cards
from dashboard.analysis.summary import card_indicators
from dashboard.bundle import read_bundle
from dashboard.ui.data import available_datasets

from .conftest import DATASETS, no_exception, start

LABEL = "Prevention duties ended with accommodation secured"
IND = "homeless_prevention_secured_pct"


def test_lower_tier_cards_have_a_homelessness_outcome_slot() -> None:
    assert any(slot[0] == IND for slot in home_cards("lower"))
    assert not any(IND in slot for slot in home_cards("upper"))


def _district_with(bundle, period: str) -> str:
    v = bundle.values
    rows = v[(v["indicator_id"] == IND) & (v["period"] == period) & v["value"].notna()]
    districts = set(bundle.places.loc[bundle.places["kind"] == "district", "code"])
    return sorted(set(rows["place_code"]) & districts)[0]


@pytest.mark.parametrize("dataset", DATASETS)
def test_district_home_shows_the_hclic_prevention_card(dataset: str) -> None:
    bundle = read_bundle(available_datasets()[dataset])
    latest = bundle.indicator_periods[IND][-1]
    place = _district_with(bundle, latest)
    assert IND in card_indicators(bundle, place, "lower")
    at = start({"dataset": dataset, "level": "lower", "place": place, "period": latest})
    no_exception(at)
    card = next(m for m in at.metric if m.label == LABEL)
    value = bundle.values.set_index(["place_code", "indicator_id", "period"]).loc[
        (place, IND, latest), "value"
    ]
    assert card.value == f"{value:.1f}%"


@pytest.mark.parametrize("dataset", DATASETS[1:])
def test_hclic_card_names_its_period_before_the_first_published_year(dataset: str) -> None:
    """England: H-CLIC starts in 2023-24 here, so on a 2022-23 view the card says 2023-24."""
    bundle = read_bundle(available_datasets()[dataset])
    first = bundle.indicator_periods[IND][0]
    assert first == "2023-24"
    place = _district_with(bundle, first)
    at = start({"dataset": dataset, "level": "lower", "place": place, "period": "2022-23"})
    no_exception(at)
    labels = [m.label for m in at.metric]
    i = labels.index(LABEL)
    # the page's line, then one caption under each card, in the cards' order
    caption = [c.value for c in at.caption][1 + i]
    assert caption.endswith("the group · 2023-24, the earliest published"), caption
    assert at.metric[i].value.endswith("%")
