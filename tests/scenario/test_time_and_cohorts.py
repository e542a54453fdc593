"""The time axis (year 0 is the base year and equals the baseline; spending from year 1) and
cohorts that are people (a stock is never reached twice; a budget a cohort cannot absorb is
reported)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.formatting import format_gbp
from dashboard.scenario import PlaceContext, Scenario, run, simulate
from dashboard.scenario.budget_use import BUDGET_USE_COLUMNS, budget_use
from dashboard.scenario.core import budget_array, evaluate, stack_contexts
from dashboard.scenario.report import calculation_steps, headline_figures
from dashboard.scenario.uncertainty import draw_theta
from tests.scenario.conftest import POPULATION

H = 10


def _flat_context(years: int = H + 1) -> PlaceContext:
    """A place whose population is known, and the same, in every model year (no growth)."""
    pop = np.array([[v] * years for v in POPULATION.values()], dtype=float)
    return PlaceContext.from_arrays("E06000002", pop, base_year=2024)


def _by(result, iid: str):
    f = result.by_year[result.by_year.intervention == iid]
    return f.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")


# --- year 0 is the base year ------------------------------------------------------------------
@pytest.mark.parametrize("preset", ["prevention_first", "salami_slicing"])
def test_the_base_year_equals_the_baseline(catalogue, context, preset) -> None:
    sc = Scenario.from_preset(preset, context.place_code, catalogue, horizon_years=H)
    r = run(sc, context, catalogue)
    assert sorted(r.by_year["year"].unique()) == list(range(H + 1))
    assert set(r.by_year["calendar_year"]) == set(range(2024, 2024 + H + 1))
    y0 = r.by_year[(r.by_year.year == 0) & (r.by_year.measure != "cohort_people")]
    assert (y0["value"] == 0).all(), "nothing spent, reached or gained in the base year"
    assert (r.by_agency.loc[r.by_agency.year == 0, "value"] == 0).all()
    assert (r.cash_flow.loc[r.cash_flow.year == 0, "value"] == 0).all()
    assert (r.outcomes.loc[r.outcomes.year == 0, "change"] == 0).all()
    tot = r.outcome_totals[(r.outcome_totals.year == 0) & r.outcome_totals.baseline.notna()]
    assert not tot.empty
    assert (tot["projected"] == tot["baseline"]).all()
    base = r.baseline[r.baseline.year == 0].set_index(["service", "measure"])["value"]
    assert (base.xs("prevention_cut_gbp", level="measure") == 0).all()
    assert (base.xs("reactive_cost_gbp", level="measure") == 0).all()
    sim = simulate(sc, context, catalogue, draws=50, seed=1)
    assert (sim.by_year.loc[sim.by_year.year == 0, ["p5", "p50", "p95"]] == 0).all().all()
    assert (sim.outcomes.loc[sim.outcomes.year == 0, ["p5", "p50", "p95"]] == 0).all().all()
    if preset == "salami_slicing":  # the cut also starts in year 1
        cut = r.baseline[(r.baseline.measure == "prevention_cut_gbp") & (r.baseline.year == 1)]
        assert (cut["value"] > 0).all()
    else:
        spent = r.by_year[r.by_year.measure == "investment_gbp"].groupby("year")["value"].sum()
        assert spent.loc[0] == 0 and spent.loc[1] > 0


def test_spending_starts_in_year_1_and_a_lag_of_one_year_gains_from_year_2(
    catalogue, context
) -> None:
    ov = {"interventions.early_help.lag_years": 1.0}
    r = run(Scenario(context.place_code, 5, {"early_help": 3e5}, overrides=ov), context, catalogue)
    by = _by(r, "early_help")
    assert by["investment_gbp"].tolist() == pytest.approx([0] + [3e5] * 5)
    assert by["new_successes_people"].iloc[1] > 0
    assert (by["benefit_gbp"].iloc[:2] == 0).all() and by["benefit_gbp"].iloc[2] > 0
    cf = r.cash_flow[r.cash_flow.measure == "benefit_gbp"].groupby("year")["value"].sum()
    assert cf.loc[1] == 0 and cf.loc[2] > 0
    # lag 0: the same year as the spend, so year 1 at the earliest
    ov0 = {"interventions.early_help.lag_years": 0.0}
    r0 = run(
        Scenario(context.place_code, 5, {"early_help": 3e5}, overrides=ov0), context, catalogue
    )
    b0 = _by(r0, "early_help")["benefit_gbp"]
    assert b0.iloc[0] == 0 and b0.iloc[1] > 0


# --- stocks are people, reached once ---------------------------------------------------------
def _draws_chain(catalogue, ctx, scenario, draws=200, seed=4):
    T = scenario.years
    places = stack_contexts([ctx], catalogue, T)
    theta = draw_theta(catalogue, scenario.overrides, draws, seed)
    core = evaluate(
        catalogue.layout,
        theta,
        places,
        budget_array(scenario, catalogue, places, T),
        0.0,
        T,
        n_agencies=len(catalogue.agencies),
        n_indicators=len(catalogue.outcome_indicators),
    )
    lay = catalogue.layout
    pop = places.pop[:, None]  # the flat context needs no growth
    group = (lay.cohort_mask @ pop) * theta[:, lay.i_cohort_share][None, :, :, None]
    return core.chain, group


@pytest.mark.parametrize("budget", [5e4, 3e5, 5e6])
def test_a_stock_is_never_reached_twice_in_any_draw(catalogue, budget) -> None:
    ctx = _flat_context()
    stocks = [iv.id for iv in catalogue.interventions if iv.cohort_kind == "stock"]
    assert stocks, "the catalogue declares some stocks"
    sc = Scenario(ctx.place_code, H, {iid: budget for iid in catalogue.intervention_ids})
    chain, group = _draws_chain(catalogue, ctx, sc)
    cum = np.cumsum(chain.reached, axis=-1)
    for iid in stocks:
        i = catalogue.intervention_ids.index(iid)
        assert np.all(cum[0, :, i] <= group[0, :, i] * (1 + 1e-12)), iid
        # what is left for a year is the group less everyone reached before it
        before = np.concatenate([np.zeros_like(cum[0, :, i, :1]), cum[0, :, i, :-1]], axis=-1)
        np.testing.assert_allclose(
            chain.cohort[0, :, i], np.maximum(group[0, :, i] - before, 0), rtol=1e-12
        )
    # a flow has the same cohort every year (the flat place) whatever was reached before
    i = catalogue.intervention_ids.index("reablement")
    np.testing.assert_allclose(chain.cohort[0, :, i, 1:], group[0, :, i, 1:], rtol=1e-12)


def test_a_budget_above_the_stock_spends_it_in_year_1_then_only_what_is_left(catalogue) -> None:
    # IPS: 0.2% of the 152,000 people aged 18-64 = 304 people at £3,000 each. £2m a year is
    # more than the £912,000 the whole group costs: year 1 reaches all 304, then nobody.
    ctx = _flat_context()
    r = run(Scenario(ctx.place_code, H, {"ips_employment": 2e6}), ctx, catalogue)
    by = _by(r, "ips_employment")
    group = 0.002 * (POPULATION["18-24"] + POPULATION["25-64"])
    assert group == pytest.approx(304)
    assert by["reached_people"].tolist() == pytest.approx([0, group] + [0] * (H - 1))
    assert by["investment_gbp"].tolist() == pytest.approx([0, group * 3000] + [0] * (H - 1))
    # in a growing place, later years reach only the growth of the group
    grow = np.array([[v * 1.01**t for t in range(H + 1)] for v in POPULATION.values()])
    g = PlaceContext.from_arrays("E06000003", grow, base_year=2024)
    by = _by(run(Scenario("E06000003", H, {"ips_employment": 2e6}), g, catalogue), "ips_employment")
    stock = group * 1.01 ** np.arange(H + 1)
    assert by["reached_people"].iloc[1] == pytest.approx(stock[1])
    assert by["reached_people"].iloc[2:].tolist() == pytest.approx(np.diff(stock)[1:].tolist())
    assert by["reached_people"].sum() == pytest.approx(stock[-1])


# --- unused budget ---------------------------------------------------------------------------
def test_unused_budget_is_reported_with_a_message(catalogue) -> None:
    ctx = _flat_context()
    ov = {"interventions.ips_employment.cohort.share": 0.001}
    sc = Scenario(
        ctx.place_code,
        H,
        {"care_leaver_support": 9e5, "ips_employment": 9e5, "reablement": 1e5},
        overrides=ov,
    )
    r = run(sc, ctx, catalogue)
    use = budget_use(r).set_index("intervention")
    assert list(use.reset_index().columns) == list(BUDGET_USE_COLUMNS)
    assert set(use.index) == {"care_leaver_support", "ips_employment", "reablement"}
    # care leavers (a flow): 0.1% of 22,000 people aged 18-24 = 22 a year at £4,000 = £88,000
    cl = use.loc["care_leaver_support"]
    assert cl["cohort_kind"] == "flow"
    assert cl["asked_gbp_per_year"] == 9e5
    assert cl["cohort_people"] == pytest.approx(22)
    assert cl["first_year_cap_gbp"] == pytest.approx(88_000)
    assert cl["used_gbp_per_year"] == pytest.approx(88_000)
    assert cl["unused_gbp_per_year"] == pytest.approx(812_000)
    assert cl["message"] == (
        "Only £88k of £900k a year can be used: the eligible cohort is 22 people a year on average."
    )
    # IPS (a stock): 0.1% of 152,000 = 152 people at £3,000, all reached in year 1 (£456,000),
    # nobody after: £456,000 over 10 years of spending = £45,600 a year on average
    ips = use.loc["ips_employment"]
    assert ips["cohort_kind"] == "stock"
    assert ips["cohort_people"] == pytest.approx(152)
    assert ips["first_year_cap_gbp"] == pytest.approx(456_000)
    assert ips["used_gbp_per_year"] == pytest.approx(45_600)
    assert ips["unused_gbp_per_year"] == pytest.approx(854_400)
    assert ips["message"] == (
        "Only £46k of £900k a year can be used on average: the eligible group is 152 people, "
        "each reached once."
    )
    # reablement's £100k is within its cohort (1.5% of 49,500 people aged 65+ at £2,100)
    re = use.loc["reablement"]
    assert re["used_gbp_per_year"] == pytest.approx(1e5)
    assert re["unused_gbp_per_year"] == pytest.approx(0, abs=1e-6)
    assert re["message"] == ""
    # the headline reports the money spent, and what was asked
    f = headline_figures(r, simulate(sc, ctx, catalogue, draws=20, seed=1))
    assert f.investment_gbp_per_year == pytest.approx(88_000 + 45_600 + 1e5)
    assert f.investment_asked_gbp_per_year == pytest.approx(1.9e6)
    assert r.headline.investment_gbp == pytest.approx((88_000 + 45_600 + 1e5) * H)
    assert r.headline.investment_asked_gbp == pytest.approx(1.9e6 * H)


def test_budget_use_follows_years_of_investment_and_per_head_budgets(catalogue) -> None:
    ctx = _flat_context()
    sc = Scenario(
        ctx.place_code,
        H,
        {"care_leaver_support": 1.0},
        budget_basis="gbp_per_head",
        years_of_investment={"care_leaver_support": 3},
    )
    use = budget_use(run(sc, ctx, catalogue)).set_index("intervention")
    row = use.loc["care_leaver_support"]
    people = sum(POPULATION.values())
    assert row["asked_gbp_per_year"] == pytest.approx(people)  # £1 a head a year
    assert row["used_gbp_per_year"] == pytest.approx(88_000)  # mean over its 3 years
    assert "22 people a year" in row["message"]
    assert budget_use(run(Scenario(ctx.place_code, H), ctx, catalogue)).empty


def test_calculation_steps_work_through_year_1(catalogue, context) -> None:
    r = run(Scenario(context.place_code, 5, {"stop_smoking": 5e4}), context, catalogue)
    steps = calculation_steps(r, "stop_smoking").set_index("step")
    assert "People reached (year 1, 2025)" in steps.index
    reached = _by(r, "stop_smoking")["reached_people"].iloc[1]
    assert steps.loc["People reached (year 1, 2025)", "result"] == f"{reached:,.0f} people"
    assert "not yet reached" in steps.loc["People reached (year 1, 2025)", "formula"]
    assert (
        steps.loc["Payback year", "result"].endswith(f"({r.headline.payback_year + 2024:.0f})")
        or steps.loc["Payback year", "result"] == "not within the horizon"
    )


def test_the_headline_caption_says_when_less_is_spent_than_asked(catalogue) -> None:
    from dashboard.ui.scenario_views import headline_view

    ctx = _flat_context()
    full = Scenario(ctx.place_code, H, {"reablement": 1e5})
    over = Scenario(ctx.place_code, H, {"reablement": 1e5, "care_leaver_support": 9e5})
    for sc, says in ((full, False), (over, True)):
        f = headline_figures(run(sc, ctx, catalogue), simulate(sc, ctx, catalogue, draws=20))
        text = headline_view(f, H).caption
        assert f"{format_gbp(f.investment_gbp_per_year)} a year spent" in text
        assert ("of £1.0m asked" in text) is says, text


def test_no_years_of_spending_asks_for_nothing_and_one_person_is_a_person(catalogue) -> None:
    from dashboard.scenario.budget_use import unused_message

    ctx = _flat_context()
    sc = Scenario(
        ctx.place_code,
        H,
        {"reablement": 1e5, "early_help": 2e5},
        years_of_investment={"early_help": 0},
    )
    r = run(sc, ctx, catalogue)
    row = budget_use(r).set_index("intervention").loc["early_help"]
    assert (row["used_gbp_per_year"], row["unused_gbp_per_year"], row["message"]) == (0, 0, "")
    f = headline_figures(r, simulate(sc, ctx, catalogue, draws=20))
    assert f.investment_asked_gbp_per_year == pytest.approx(1e5)
    assert unused_message("flow", 9e5, 4e3, 1.0).endswith(
        "the eligible cohort is 1 person a year on average."
    )
