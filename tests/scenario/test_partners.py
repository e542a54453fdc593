"""Who pays and who gains: the per-partner table adds up to the run's headline, cashable and
non-cashable stay apart, and each agency's payback on cash is the year its cumulative discounted
cash first turns non-negative (or none)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.scenario import Scenario, run
from dashboard.scenario.partners import PARTNER_COLUMNS, council_position, partner_table

PLACE = "E06000001"
#: Family group conferencing: most of its benefit is the council's own, cashable placements.
PAYS_BACK = Scenario(PLACE, horizon_years=30, budgets={"family_group_conferencing": 3e5})
#: Weight management: the benefit is the NHS's, so the council's cash never comes back.
NEVER = Scenario(PLACE, horizon_years=30, budgets={"weight_management": 3e5})
MIX = Scenario(PLACE, horizon_years=15, budgets={"reablement": 4e5, "early_help": 3e5})


def council_cash(result) -> tuple[np.ndarray, np.ndarray]:
    """The council's yearly cost and cashable benefit (£) from the run's by_agency frame."""
    ba = result.by_agency
    ba = ba[ba["agency"] == "council"]
    by = ba.groupby(["measure", "year"], observed=True)["value"].sum()
    return by["cost_gbp"].to_numpy(), by["benefit_cashable_gbp"].to_numpy()


def test_partner_sums_equal_the_headline(context, catalogue) -> None:
    r = run(MIX, context, catalogue)
    t = partner_table(r)
    h = r.headline
    assert list(t["agency"]) == list(catalogue.agencies) and t["agency"].iloc[0] == "council"
    assert t["pv_pays_gbp"].sum() == pytest.approx(h.pv_costs_gbp)
    assert (t["pv_cashable_gbp"] + t["pv_noncashable_gbp"]).sum() == pytest.approx(
        h.pv_benefits_gbp
    )
    assert t["pv_cashable_gbp"].sum() == pytest.approx(h.pv_cashable_benefits_gbp)
    assert t["pv_net_all_benefit_gbp"].sum() == pytest.approx(h.npv_gbp)
    assert t["pv_net_cash_gbp"].to_numpy() == pytest.approx(
        (t["pv_cashable_gbp"] - t["pv_pays_gbp"]).to_numpy()
    )
    # the labels never add cashable and non-cashable without saying so
    assert "cashable + non-cashable" in PARTNER_COLUMNS["pv_all_benefit_gbp"]
    assert "all benefit" in PARTNER_COLUMNS["pv_net_all_benefit_gbp"]


def test_a_prevention_cut_is_in_the_partners_as_in_the_run(context, catalogue) -> None:
    cut = Scenario(
        PLACE, horizon_years=15, budgets={"reablement": 4e5}, prevention_cut_per_year=0.05
    )
    r = run(cut, context, catalogue)
    t = partner_table(r)
    assert r.headline.npv_prevention_change_gbp != 0
    assert t["pv_net_all_benefit_gbp"].sum() == pytest.approx(r.headline.npv_gbp)
    # the cut's saving lowers what the council pays below the interventions' cost
    assert t["pv_pays_gbp"].iloc[0] < r.headline.pv_costs_gbp


def test_council_payback_is_where_its_cumulative_discounted_cash_turns_non_negative(
    context, catalogue
) -> None:
    r = run(PAYS_BACK, context, catalogue)
    cost, cash = council_cash(r)
    # the Green Book's 3.5% a year over these 30 years (scenario.yaml discounting)
    cum = np.cumsum((cash - cost) / 1.035 ** np.arange(len(cost)))
    # year 0 is the base year (nothing spent, nothing back): payback counts from the first
    # year of spending, year 1
    assert cost[0] == 0 and cash[0] == 0 and cost[1] > 0
    first = 1 + int(np.argmax(cum[1:] >= 0))
    assert cum[first] >= 0 and (cum[1:first] < 0).all() and first > 1
    pos = council_position(r)
    assert pos.payback_year == r.context.base_year + first
    assert pos.pays_back
    assert pos.pays_gbp == pytest.approx(r.headline.pv_costs_gbp)
    assert pos.net_cash_gbp == pytest.approx(pos.cashable_back_gbp - pos.pays_gbp)
    assert pos.net_cash_gbp == pytest.approx(cum[-1])


def test_council_that_never_gets_its_cash_back_does_not_pay_back(context, catalogue) -> None:
    r = run(NEVER, context, catalogue)
    cost, cash = council_cash(r)
    cum = np.cumsum((cash - cost) / 1.035 ** np.arange(len(cost)))
    assert cum[0] == 0 and (cum[1:] < 0).all()  # year 0, the base year, spends nothing
    pos = council_position(r)
    assert pos.payback_year is None and not pos.pays_back
    assert pos.horizon_years == 30
    assert pos.cumulative_net_cash_end_gbp == pytest.approx((cash - cost).sum())
    t = partner_table(r).set_index("agency")
    # an agency that pays nothing has no payback year (nothing to pay back)
    assert t.loc["nhs", "pv_pays_gbp"] == 0 and t["payback_year_cash"].isna()["nhs"]
    # the wrong pocket: the benefit lands on the NHS, which paid nothing
    assert t.loc["nhs", "pv_all_benefit_gbp"] > t.loc["council", "pv_all_benefit_gbp"]


def test_partner_export_uses_labels_and_integer_years(context, catalogue) -> None:
    from dashboard.scenario.partners import partner_export

    r = run(PAYS_BACK, context, catalogue)
    out = partner_export(r)
    assert list(out["agency"]) == [catalogue.agency_labels[a] for a in catalogue.agencies]
    assert out["pays (PV, £)"].sum() == pytest.approx(r.headline.pv_costs_gbp)
    assert str(out["cash payback year"].dtype) == "Int64"
    assert out["cash payback year"].iloc[0] == council_position(r).payback_year


@pytest.mark.parametrize("scenario", [PAYS_BACK, NEVER, MIX])
def test_each_agency_s_yearly_measure_is_the_cash_flow_in_agency_and_year_order(
    context, catalogue, scenario
) -> None:
    """The (agency, year) arrays the payback reads hold the run's cash flow as a pivot table
    of it does (catalogue order, every year, 0 where an agency has nothing)."""
    from dashboard.scenario.partners import _yearly

    r = run(scenario, context, catalogue)
    for measure in ("cost_gbp", "net_cashable_gbp", "cumulative_net_cashable_gbp"):
        cf = r.cash_flow[r.cash_flow["measure"] == measure]
        wide = cf.pivot_table(index="agency", columns="year", values="value", observed=True)
        expected = wide.reindex(index=list(catalogue.agencies), columns=r.years).fillna(0.0)
        got = _yearly(r, measure)
        assert got.shape == (len(catalogue.agencies), len(r.years))
        assert got == pytest.approx(expected.to_numpy(dtype=float))
        assert np.abs(got).sum() > 0, f"{measure} has money in it"


@pytest.mark.parametrize("cut", [0.0, 0.05])
def test_each_cash_measure_as_an_array_is_the_cash_flow_frame_pivoted(
    context, catalogue, cut
) -> None:
    """The (agency, year) arrays the partner figures read are the rows of the run's cash flow,
    agency by agency and year by year."""
    from dashboard.scenario.results import CASH_MEASURES

    scenario = Scenario(
        PLACE, horizon_years=12, budgets=dict(MIX.budgets), prevention_cut_per_year=cut
    )
    r = run(scenario, context, catalogue)
    cf = r.cash_flow
    assert sorted(set(cf["measure"].astype(str))) == sorted(CASH_MEASURES)
    for measure in CASH_MEASURES:
        rows = cf[cf["measure"] == measure]
        want = (
            rows.pivot(index="agency", columns="year", values="value")
            .reindex(list(catalogue.agencies))
            .to_numpy()
        )
        got = r.cash_measure(measure)
        np.testing.assert_array_equal(got, want, err_msg=measure)
        assert not got.flags.writeable
    # the frame is a copy: changing it leaves the arrays the partner figures read alone
    before = r.cash_measure("cost_gbp").copy()
    cf["value"] = 0.0
    np.testing.assert_array_equal(r.cash_measure("cost_gbp"), before)
