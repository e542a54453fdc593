"""NHS avoided costs priced as events x cited unit costs (issue 14, part 5).

The unit costs of scenario.yaml are recomputed from the staged NHS England National Cost
Collection 2024/25 national schedule (marked ``england``: they need $PVE_RAW_DIR); the rest
check, on hand-worked numbers, that an avoided cost priced by events is
sum(count x unit cost x price uplift), that the uplift is 1 at 2024-25 and the deflator ratio
otherwise, and that Monte Carlo draws the counts and the unit costs independently.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dashboard import CATALOGUE_DIR, DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.catalogue import params_table
from dashboard.scenario import (
    PlaceContext,
    Scenario,
    ScenarioError,
    context_from_bundle,
    run,
    run_places,
)
from dashboard.scenario.assumptions import assumptions_table
from dashboard.scenario.catalogue import build_catalogue
from dashboard.scenario.context import unit_cost_uplift
from dashboard.scenario.core import budget_array, evaluate, stack_contexts
from dashboard.scenario.uncertainty import draw_theta
from tests.scenario.conftest import POPULATION

SCHEDULE = "ncc_2024_25_national_schedule.csv"
F = "interventions.falls_prevention"
EV = f"{F}.avoided_costs.fall_admissions.events"


# --- the cited figures equal the staged schedule's cells ------------------------------------
@pytest.fixture(scope="module")
def schedule() -> pd.DataFrame:
    raw = os.environ.get("PVE_RAW_DIR")
    if not raw:
        pytest.skip(
            "PVE_RAW_DIR is not set: the NHS unit costs are checked against the staged file"
        )
    found = sorted(Path(raw).rglob(SCHEDULE))
    if not found:
        pytest.skip(f"{SCHEDULE} is not under PVE_RAW_DIR")
    return pd.read_csv(found[0], dtype={"department_code": str, "currency_code": str})


def _rows(schedule: pd.DataFrame, uc) -> pd.DataFrame:
    rows = schedule[schedule["department_code"] == uc.department_code]
    if not uc.all_codes:
        assert set(uc.currency_codes) <= set(rows["currency_code"]), "a code is not in the file"
        rows = rows[rows["currency_code"].isin(uc.currency_codes)]
    rows = rows[rows["activity"].notna() & rows["unit_cost"].notna() & (rows["activity"] > 0)]
    return rows.sort_values("unit_cost", kind="mergesort")


def _weighted_percentile(rows: pd.DataFrame, q: float) -> float:
    """The unit cost at which the cumulative activity (rows by unit cost) first reaches q%."""
    share = rows["activity"].cumsum() / rows["activity"].sum()
    return float(rows["unit_cost"][share >= q / 100].iloc[0])


@pytest.mark.england
def test_nhs_unit_costs_equal_the_staged_schedules_cells(schedule, catalogue) -> None:
    assert set(catalogue.unit_costs) >= {"ae_attendance", "nel_short_stay", "nel_long_stay"}
    for uc in catalogue.unit_costs.values():
        rows = _rows(schedule, uc)
        assert len(rows) > 0, uc.id
        mean = float((rows["activity"] * rows["unit_cost"]).sum() / rows["activity"].sum())
        lo_q, hi_q = uc.spread_percentiles
        p = uc.param
        # written to the penny in scenario.yaml
        assert p.central == pytest.approx(mean, abs=0.005), uc.id
        assert p.low == pytest.approx(_weighted_percentile(rows, lo_q), abs=0.005), uc.id
        assert p.high == pytest.approx(_weighted_percentile(rows, hi_q), abs=0.005), uc.id
        assert uc.statistic == "activity_weighted_mean" and uc.price_year == "2024/25"
        assert p.grade == "C" and p.as_of == "2024/25" and p.unit == "gbp_per_event"
        assert "National Cost Collection 2024/25" in p.source and uc.department_code in p.source


@pytest.mark.england
def test_the_emergency_care_codes_are_every_emergency_medicine_row(schedule, catalogue) -> None:
    ae = catalogue.unit_costs["ae_attendance"]
    ec = schedule[schedule["department_code"] == "Emergency Care"]
    assert set(ae.currency_codes) == set(ec["currency_code"])
    assert ec["currency_desc"].str.startswith("Emergency Medicine").all()


# --- an avoided cost priced by events --------------------------------------------------------
#: A falls programme that turns £100,000 into 100 successes in year 1 (the first year of
#: spending; year 0 is the base year), gone the next year.
HAND = {
    f"{F}.cost_per_participant": 1000.0,
    f"{F}.engagement": 1.0,
    f"{F}.success_rate": 1.0,
    f"{F}.deadweight": 0.0,
    f"{F}.attribution": 1.0,
    f"{F}.lag_years": 0.0,
    f"{F}.dropoff": 1.0,
    "optimism_bias.B": 0.0,
    "agency_real_cost_growth.council": 0.0,
    "agency_real_cost_growth.nhs": 0.0,
    f"{EV}.ambulance_see_convey.per_success": 1.0,
    f"{EV}.ae_attendance.per_success": 2.0,
    f"{EV}.nel_long_stay.per_success": 0.5,
    "unit_costs.ambulance_see_convey": 400.0,
    "unit_costs.ae_attendance": 300.0,
    "unit_costs.nel_long_stay": 5000.0,
    f"{F}.avoided_costs.care_after_fall.value": 1000.0,
}


def _agency_year1(result, agency: str) -> float:
    ag = result.by_agency
    rows = ag[
        (ag.agency == agency)
        & (ag.year == 1)
        & ag.measure.isin(["benefit_cashable_gbp", "benefit_noncashable_gbp"])
    ]
    return float(rows["value"].sum())


@pytest.mark.parametrize("uplift", [1.0, 1.1])
def test_an_avoided_cost_is_events_times_unit_cost_times_uplift(catalogue, uplift) -> None:
    ctx = PlaceContext.from_arrays("E06000001", POPULATION, price_uplift=uplift)
    sc = Scenario("E06000001", 2, {"falls_prevention": 100_000.0}, overrides=HAND)
    r = run(sc, ctx, catalogue)
    # 100 successes x (1 x £400 + 2 x £300 + 0.5 x £5,000) = 100 x £3,500, times the uplift
    assert _agency_year1(r, "nhs") == pytest.approx(350_000 * uplift)
    # a cost given as a value is not re-priced: 100 x £1,000
    assert _agency_year1(r, "council") == pytest.approx(100_000)
    iv = catalogue.intervention("falls_prevention")
    _, c, _ = _bounds(catalogue, HAND)
    nhs = next(ac for ac in iv.avoided_costs if ac.agency == "nhs")
    assert nhs.value is None and len(nhs.events) == 3
    assert nhs.value_per_success(c, catalogue.unit_costs, uplift) == pytest.approx(3500 * uplift)


def test_places_with_different_price_bases_are_each_uplifted_by_their_own(catalogue) -> None:
    ctxs = [
        PlaceContext.from_arrays("E06000001", POPULATION, price_uplift=1.0),
        PlaceContext.from_arrays("E06000002", POPULATION, price_uplift=1.25),
    ]
    sc = Scenario("E06000001", 1, {"falls_prevention": 100_000.0}, overrides=HAND)
    rows = run_places(sc, ctxs, catalogue).set_index("place_code")
    # one year of spending (year 1), discounted once at the Green Book rate:
    # 100 x £3,500 x uplift (NHS) + 100 x £1,000 (council)
    _, c, _ = _bounds(catalogue, HAND)
    df1 = 1.0 / (1.0 + c[catalogue.discount_schedule[0][1].index])
    got = rows["pv_benefits_gbp"]
    assert got["E06000001"] == pytest.approx((350_000 + 100_000) * df1)
    assert got["E06000002"] == pytest.approx((350_000 * 1.25 + 100_000) * df1)


def _bounds(catalogue, overrides):
    from dashboard.scenario.spec import parameter_bounds

    return parameter_bounds(catalogue, overrides)


def test_every_nhs_hospital_cost_keeps_its_value_within_30_percent(catalogue) -> None:
    """Restated as events, the central £ per success stays near the old single value (stated
    in each count's source)."""
    _, c, _ = _bounds(catalogue, {})
    priced = [(iv.id, ac) for iv in catalogue.interventions for ac in iv.avoided_costs if ac.events]
    assert len(priced) >= 5 and all(ac.agency == "nhs" for _, ac in priced)
    for iid, ac in priced:
        text = ac.events[0].per_success.source
        old = float(text.split("the NHS value was £")[1].split(" ")[0].replace(",", ""))
        assert ac.value_per_success(c, catalogue.unit_costs) == pytest.approx(old, rel=0.3), iid
        assert all(e.per_success.grade == "E" for e in ac.events)


# --- the price uplift -----------------------------------------------------------------------
def test_the_uplift_is_one_at_2024_25_and_the_deflator_ratio_otherwise() -> None:
    assert unit_cost_uplift("2024/25", 2024, None) == (1.0, "GDP deflator, 2024-25 = base year")
    index = {"2024-25": 112.375, "2025-26": 115.0}
    factor, note = unit_cost_uplift("2024/25", 2025, index, "GDP deflator, ONS")
    assert factor == pytest.approx(115.0 / 112.375)
    assert "2025-26 index 115" in note and "2024-25 index 112.375" in note and "1.023" in note
    factor, note = unit_cost_uplift("2024/25", 2026, index)
    assert factor == 1.0 and note.startswith("no uplift") and "2026-27" in note


def test_a_bundle_context_carries_the_uplift_of_its_base_year(catalogue) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    code = bundle.default_place("upper")
    ctx = context_from_bundle(bundle, code, catalogue)
    assert ctx.base_year == 2024 and ctx.price_uplift == 1.0
    assert "2024-25 = base year" in ctx.price_uplift_note

    # the same bundle one year on, with a deflator row for 2025-26
    later = bundle.__class__.__new__(bundle.__class__)
    later.__dict__.update(bundle.__dict__)
    meta = copy.deepcopy(bundle.meta)
    meta["periods"] = [*meta["periods"], "2025-26"]
    index = dict(zip(bundle.deflators["period"], bundle.deflators["index"], strict=True))
    defl = pd.concat(
        [
            bundle.deflators,
            pd.DataFrame({"period": ["2025-26"], "index": [index["2024-25"] * 1.03]}),
        ],
        ignore_index=True,
    )
    object.__setattr__(later, "meta", meta)
    object.__setattr__(later, "deflators", defl)
    ctx = context_from_bundle(later, code, catalogue)
    assert ctx.base_year == 2025
    assert ctx.price_uplift == pytest.approx(1.03)
    assert "2025-26" in ctx.price_uplift_note and "1.030" in ctx.price_uplift_note

    # and without any price index: no uplift, and the note says so
    object.__setattr__(later, "deflators", None)
    ctx = context_from_bundle(later, code, catalogue)
    assert ctx.price_uplift == 1.0 and ctx.price_uplift_note.startswith("no uplift")


# --- Monte Carlo ----------------------------------------------------------------------------
def test_monte_carlo_draws_counts_and_unit_costs_independently(catalogue) -> None:
    theta = draw_theta(catalogue, {}, 2000, 3)
    ae = catalogue.unit_costs["ae_attendance"].param
    count = catalogue.param(f"{EV}.ae_attendance.per_success")
    u, n = theta[:, ae.index], theta[:, count.index]
    assert u.std() > 0 and n.std() > 0
    assert ae.low <= u.min() and u.max() <= ae.high
    assert abs(np.corrcoef(u, n)[0, 1]) < 0.1

    # the core prices each draw with that draw's counts and unit costs
    ctx = PlaceContext.from_arrays("E06000001", POPULATION, price_uplift=1.2)
    sc = Scenario("E06000001", 1, {"falls_prevention": 100_000.0})
    places = stack_contexts([ctx], catalogue, 1)
    core = evaluate(
        catalogue.layout,
        theta[:50],
        places,
        budget_array(sc, catalogue, places, 1),
        0.0,
        1,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
    )
    iv = catalogue.intervention("falls_prevention")
    i = catalogue.intervention_ids.index("falls_prevention")
    nhs_a = catalogue.agencies.index("nhs")
    nhs = next(ac for ac in iv.avoided_costs if ac.agency == "nhs")
    per = np.array([nhs.value_per_success(t, catalogue.unit_costs, 1.2) for t in theta[:50]])
    active = core.chain.active[0, :, i, 0]
    np.testing.assert_allclose(core.money.benefit_a[0, :, nhs_a, 0], active * per)
    assert per.std() > 0


# --- the assumptions table and the Data page ------------------------------------------------
def test_the_assumptions_table_shows_counts_and_unit_costs_with_codes(catalogue) -> None:
    ctx = PlaceContext.from_arrays(
        "E06000001",
        POPULATION,
        price_uplift=1.0,
        price_uplift_note="GDP deflator, ONS, 2024-25 = base year",
    )
    t = assumptions_table(catalogue, "falls_prevention", {}, ctx).set_index("path")
    row = t.loc["unit_costs.ae_attendance"]
    assert row["unit"] == "£ per event" and row["grade"] == "C"
    assert "VB01Z" in row["source"] and "2024/25" in row["source"]
    assert (
        "£280 at 2024/25 prices × 1.000 (GDP deflator, ONS, 2024-25 = base year)" in (row["source"])
    )
    count = t.loc[f"{EV}.ae_attendance.per_success"]
    assert count["unit"] == "events per success a year" and count["grade"] == "E"
    long_stay = t.loc["unit_costs.nel_long_stay"]
    assert "all currency codes" in long_stay["source"]
    assert f"{F}.avoided_costs.fall_admissions.value" not in t.index


def test_the_data_pages_settings_table_lists_the_new_params(catalogue) -> None:
    table = params_table()
    keys = set(zip(table["file"], table["key"], strict=True))
    for uc in catalogue.unit_costs.values():
        assert ("scenario.yaml", f"unit_costs.{uc.id}") in keys
    # an event count is written at its place in the list (the second event of the item)
    assert ("interventions.yaml", f"{F}.avoided_costs.fall_admissions.events.1.per_success") in keys
    shown = table[table["key"] == "unit_costs.ae_attendance"].iloc[0]
    assert shown["as_of"] == "2024/25" and shown["grade"] == "C"


# --- refusals -------------------------------------------------------------------------------
def _raw(name: str) -> dict:
    return yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8"))


def test_an_event_with_an_unknown_unit_cost_is_refused() -> None:
    scen, ints = _raw("scenario.yaml"), copy.deepcopy(_raw("interventions.yaml"))
    falls = next(iv for iv in ints["interventions"] if iv["id"] == "falls_prevention")
    falls["avoided_costs"][0]["events"][0]["unit_cost"] = "no_such_cost"
    with pytest.raises(ScenarioError, match="no_such_cost"):
        build_catalogue(scen, ints)


def test_an_avoided_cost_with_both_a_value_and_events_is_refused() -> None:
    scen, ints = _raw("scenario.yaml"), copy.deepcopy(_raw("interventions.yaml"))
    falls = next(iv for iv in ints["interventions"] if iv["id"] == "falls_prevention")
    falls["avoided_costs"][0]["value"] = falls["avoided_costs"][1]["value"]
    with pytest.raises(ScenarioError, match="either a value or events"):
        build_catalogue(scen, ints)


def test_unit_costs_must_share_one_price_year() -> None:
    scen, ints = copy.deepcopy(_raw("scenario.yaml")), _raw("interventions.yaml")
    scen["unit_costs"]["ae_attendance"]["ncc"]["price_year"] = "2023/24"
    with pytest.raises(ScenarioError, match="same price year"):
        build_catalogue(scen, ints)
