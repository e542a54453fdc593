"""The collective picture: council lines without the total, partners' lines by agency, totals
from the matching year's residents, group medians, outcomes each line bears on, real terms, and
what is missing in words."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd
import pytest

from dashboard import DATA_DIR
from dashboard.analysis.collective import NO_OUTCOMES, collective_picture, lines_frame
from dashboard.analysis.prices import price_factor
from dashboard.bundle import Bundle, read_bundle, validate_bundle

PERIOD = "2024-25"


@cache
def demo() -> Bundle:
    return read_bundle(DATA_DIR / "demo")


def _place_and_group(b: Bundle, level: str = "upper") -> tuple[str, list[str]]:
    place = b.default_place(level)
    others = [c for c in b.place_codes(level) if c != place][:12]
    return place, [place, *others]


def _value(b: Bundle, place: str, ind: str, period: str = PERIOD) -> float:
    v = b.values
    row = v[(v.place_code == place) & (v.indicator_id == ind) & (v.period == period)]
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_council_lines_leave_out_the_total_and_partners_come_after(level: str) -> None:
    b = demo()
    place, group = _place_and_group(b, level)
    pic = collective_picture(b, place, level, PERIOD, group)
    ids = [ln.indicator_id for ln in pic.lines]
    assert "spend_total_per_head" not in ids
    agencies = [ln.agency for ln in pic.lines]
    assert agencies[0] == "council" and {"nhs", "police", "fire", "dwp", "voluntary"} <= set(
        agencies
    )
    first_partner = next(i for i, a in enumerate(agencies) if a != "council")
    assert set(agencies[:first_partner]) == {"council"}
    assert "council" not in agencies[first_partner:]
    # the council's lines add up to its total spend per head (the demo's total is their sum)
    council = pic.per_head("council")
    assert council == pytest.approx(_value(b, place, "spend_total_per_head"), abs=0.05)
    assert pic.council_share == pytest.approx(council / pic.per_head())
    assert pic.has_partners and pic.missing == ()


def test_totals_are_per_head_times_the_matching_years_residents() -> None:
    b = demo()
    place, group = _place_and_group(b)
    pic = collective_picture(b, place, "upper", PERIOD, group)
    assert pic.population_year == 2024
    residents = float(b.population_total(2024)[place])
    line = next(ln for ln in pic.lines if ln.indicator_id == "spend_nhs_mental_health_per_head")
    assert line.per_head == _value(b, place, line.indicator_id)
    assert line.total == pytest.approx(line.per_head * residents)
    assert pic.total == pytest.approx(pic.per_head() * residents)


def test_group_median_leaves_out_the_place_and_counts_places_with_a_figure() -> None:
    b = demo()
    place, group = _place_and_group(b)
    pic = collective_picture(b, place, "upper", PERIOD, group)
    line = next(ln for ln in pic.lines if ln.indicator_id == "spend_fire_rescue_per_head")
    others = [_value(b, c, line.indicator_id) for c in group[1:]]
    assert line.group_places == len(others) == pic.group_size
    assert line.group_median_per_head == pytest.approx(pd.Series(others).median())


def test_outcomes_are_those_of_the_same_service_or_none() -> None:
    b = demo()
    place, group = _place_and_group(b)
    by_id = {
        ln.indicator_id: ln for ln in collective_picture(b, place, "upper", PERIOD, group).lines
    }
    community = by_id["spend_nhs_community_health_per_head"]  # adult social care
    assert "Adult social care workforce turnover" in community.outcomes
    assert by_id["spend_voluntary_community_per_head"].outcomes_text == NO_OUTCOMES  # culture
    frame = lines_frame(collective_picture(b, place, "upper", PERIOD, group))
    assert frame.loc[frame.indicator_id == "spend_culture_per_head", "outcomes"].item() == (
        NO_OUTCOMES
    )


def test_real_terms_use_the_price_index() -> None:
    b = demo()
    place, group = _place_and_group(b)
    period = "2021-22"
    cash = collective_picture(b, place, "upper", period, group)
    real = collective_picture(b, place, "upper", period, group, prices="real")
    factor = price_factor(b, period, "real")
    assert factor > 1
    assert real.per_head() == pytest.approx(cash.per_head() * factor)
    assert real.prices.startswith("real terms") and cash.prices == "cash"


def _without(b: Bundle, drop: pd.Series) -> Bundle:
    return validate_bundle(replace(b, values=b.values[~drop].reset_index(drop=True)))


def test_missing_names_agencies_lines_and_comparison_places_without_data() -> None:
    b = demo()
    place, group = _place_and_group(b)
    v = b.values
    fire = v.indicator_id == "spend_fire_rescue_per_head"
    dwp_here = (
        (v.indicator_id == "spend_dwp_employment_support_per_head")
        & (v.place_code == place)
        & (v.period == PERIOD)
    )
    partners = v.indicator_id.isin(b.indicators.loc[b.indicators.agency != "", "id"])
    bare = partners & v.place_code.isin(group[1:4])
    pic = collective_picture(
        _without(b, (fire & (v.place_code == place)) | dwp_here | bare),
        place,
        "upper",
        PERIOD,
        group,
    )
    text = " ".join(pic.missing)
    assert "from: Fire and rescue, DWP" in text
    assert "'DWP employment support spend per head' has no figure" in text
    assert f"3 of {len(group) - 1} comparison places have no partners' spend" in text
    fire_line = next(ln for ln in pic.lines if ln.indicator_id == "spend_fire_rescue_per_head")
    assert fire_line.per_head is None and fire_line.group_places == len(group) - 4


def test_a_bundle_without_partners_says_so() -> None:
    b = demo()
    place, group = _place_and_group(b)
    council_only = b.indicators[b.indicators.agency == ""]
    bare = validate_bundle(
        replace(
            b,
            indicators=council_only.reset_index(drop=True),
            values=b.values[b.values.indicator_id.isin(council_only.id)].reset_index(drop=True),
        )
    )
    pic = collective_picture(bare, place, "upper", PERIOD, group)
    assert not pic.has_partners and pic.council_share == 1
    assert any("only the council's own spend is shown" in m for m in pic.missing)
    assert any("NHS, Police, Fire and rescue, DWP, Voluntary sector" in m for m in pic.missing)


def test_council_spend_pages_never_take_a_partners_line() -> None:
    """Profile's spend by service and the Value for money pairs list the council's spend only,
    even when a partner's line wears a council id (here public health, marked as the NHS's)."""
    from dashboard.analysis.profile import profile_table, spend_by_service
    from dashboard.analysis.vfm_pairs import offered_pairs

    b = demo()
    place, group = _place_and_group(b)
    before = spend_by_service(profile_table(b, place, "upper", group, PERIOD))["indicator_id"]
    assert "spend_public_health_per_head" in set(before)
    assert not set(before) & set(b.indicators.loc[b.indicators.agency != "", "id"])
    assert any(p.spend_id == "spend_public_health_per_head" for p in offered_pairs(b, "upper"))
    ind = b.indicators.copy()
    ind.loc[ind.id == "spend_public_health_per_head", "agency"] = "nhs"
    marked = validate_bundle(replace(b, indicators=ind))
    after = spend_by_service(profile_table(marked, place, "upper", group, PERIOD))
    assert "spend_public_health_per_head" not in set(after["indicator_id"])
    assert len(after) == len(before) - 1
    pairs = offered_pairs(marked, "upper")
    assert pairs and all(p.spend_id != "spend_public_health_per_head" for p in pairs)


@pytest.mark.skipif(
    not (DATA_DIR / "england" / "bundle.yaml").exists(), reason="England bundle not built"
)
def test_england_with_a_partner_line_for_some_places() -> None:
    """As a joined layer would bring it: an NHS line for the place and two of its comparison
    places only; the group median uses those two and the note says how many lack it."""
    b = read_bundle(DATA_DIR / "england")
    place, group = _place_and_group(b)
    alone = collective_picture(b, place, "upper", PERIOD, group)
    assert not alone.has_partners and alone.council_share == 1
    entry = b.indicators[b.indicators.id == "spend_asc_per_head"].assign(
        id="local_nhs_community_per_head",
        label="NHS community services per head",
        agency="nhs",
        levels=[("upper", "lower")],
    )
    rows = pd.DataFrame(
        {
            "place_code": group[:3],
            "indicator_id": "local_nhs_community_per_head",
            "period": PERIOD,
            "value": [250.0, 200.0, 300.0],
        }
    )
    joined = validate_bundle(
        replace(
            b,
            indicators=pd.concat([b.indicators, entry], ignore_index=True),
            values=pd.concat([b.values, rows], ignore_index=True),
        )
    )
    pic = collective_picture(joined, place, "upper", PERIOD, group)
    nhs = next(ln for ln in pic.lines if ln.agency == "nhs")
    assert nhs.per_head == 250.0 and nhs.group_places == 2
    assert nhs.group_median_per_head == pytest.approx(250.0)
    assert pic.council_share == pytest.approx(alone.per_head() / (alone.per_head() + 250.0))
    text = " ".join(pic.missing)
    assert f"{len(group) - 3} of {len(group) - 1} comparison places have no partners' spend" in text
    assert "from: Police, Fire and rescue, DWP, Voluntary sector" in text
