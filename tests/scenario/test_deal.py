"""The co-funding deal: contributions cover the cost exactly, nobody is left worse off, the gain
is split by the rule the user picks, and a scenario that loses money gets no deal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.scenario import Scenario, run
from dashboard.scenario.deal import (
    RULES,
    Basis,
    deal,
    deal_from_values,
    deal_rules,
    default_rule,
    share_surplus,
)

# The hand-worked case: the council pays C = 100 (PV); benefits (cashable + non-cashable)
# B = council 40, NHS 80, DWP 30 (sum 150); cashable K = council 30, NHS 10, DWP 0 (sum 40).
# The surplus S = 150 - 100 = 50.
C = 100.0
B = [40.0, 80.0, 30.0]
K = [30.0, 10.0, 0.0]


def values(benefit=B, cashable=K, pays=(C, 0.0, 0.0)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agency": ["council", "nhs", "dwp"],
            "agency_label": ["Council", "NHS", "DWP (benefits)"],
            "pv_pays_gbp": list(pays),
            "pv_cashable_gbp": list(cashable),
            "pv_benefit_gbp": list(benefit),
        }
    )


#: The interventions' mean spend a year (£) over their spending years.
MEAN = 150.0
BASIS = Basis(base_year=2024, horizon_years=10, mean_spend_gbp=MEAN, spend_years=10)


def check_invariants(cost: float, benefit, shares) -> None:
    x = shares.x
    scale = max(cost, float(np.sum(benefit)))
    assert x.sum() == pytest.approx(cost, rel=1e-9, abs=1e-9 * scale), "they cover the cost"
    assert (x >= 0).all(), "nobody is paid to join"
    assert (np.asarray(benefit) - x >= -1e-9 * max(cost, 1.0)).all(), "nobody is worse off"


def test_benefit_rule_hand_case() -> None:
    # x_a = C * B_a / sum B = 100 * (40, 80, 30) / 150 = (26.67, 53.33, 20);
    # net_a = B_a - x_a = (13.33, 26.67, 10): a third of each partner's benefit, S = 50 in all.
    s = share_surplus(C, B, K, "benefit")
    assert s.x == pytest.approx([100 * 40 / 150, 100 * 80 / 150, 100 * 30 / 150])
    assert s.net == pytest.approx([40 / 3, 80 / 3, 10.0])
    assert s.net / np.array(B) == pytest.approx([1 / 3] * 3), "net proportional to benefit"
    check_invariants(C, B, s)


def test_cashable_rule_hand_case() -> None:
    # Net proportional to cashable benefit: net_a = S * K_a / sum K = 50 * (30, 10, 0) / 40
    # = (37.5, 12.5, 0). Nobody's share exceeds its benefit (37.5 <= 40), so nobody is capped:
    # x = B - net = (2.5, 67.5, 30). DWP, with no cashable benefit, pays its whole benefit.
    s = share_surplus(C, B, K, "cashable")
    assert s.x == pytest.approx([2.5, 67.5, 30.0])
    assert s.net == pytest.approx([37.5, 12.5, 0.0])
    assert not s.capped.any() and not s.fallback
    check_invariants(C, B, s)


def test_cashable_rule_caps_a_partner_and_shares_the_rest_water_filling() -> None:
    # K = (36, 4, 0): first pass net = 50 * (36, 4, 0) / 40 = (45, 5, 0); the council's 45
    # exceeds its whole benefit 40 (x would be -5), so it pays nothing and keeps 40. The rest of
    # the surplus, 50 - 40 = 10 (= NHS + DWP benefit 110 minus C), goes by K among NHS and DWP:
    # NHS net 10 * 4 / 4 = 10, DWP 0; x = (0, 80 - 10, 30 - 0) = (0, 70, 30).
    s = share_surplus(C, B, [36.0, 4.0, 0.0], "cashable")
    assert s.x == pytest.approx([0.0, 70.0, 30.0])
    assert s.net == pytest.approx([40.0, 10.0, 0.0])
    assert s.capped.tolist() == [True, False, False]
    check_invariants(C, B, s)


def test_no_cashable_benefit_falls_back_to_the_benefit_rule_and_says_so() -> None:
    s = share_surplus(C, B, [0.0, 0.0, 0.0], "cashable")
    assert s.fallback
    assert s.x == pytest.approx(share_surplus(C, B, K, "benefit").x)
    d = deal_from_values(values(cashable=[0.0, 0.0, 0.0]), "cashable", BASIS)
    assert any("No partner gets cashable benefit back" in n for n in d.notes)


def test_negative_surplus_gives_no_deal() -> None:
    assert share_surplus(C, [30.0, 40.0, 20.0], K, "benefit") is None
    d = deal_from_values(values(benefit=[30.0, 40.0, 20.0]), "benefit", BASIS)
    assert not d.feasible and d.table.empty and d.council_share_deal is None
    assert d.surplus_gbp == pytest.approx(-10.0)
    assert d.sentence.startswith("No deal makes every partner better off")


def test_the_deal_table_and_board_sentence_hand_case() -> None:
    d = deal_from_values(values(), "benefit", BASIS)
    t = d.table.set_index("agency")
    assert t["pv_contribution_gbp"].sum() == pytest.approx(C)
    assert t["share_of_cost"].to_dict() == pytest.approx(
        {"council": 40 / 150, "nhs": 80 / 150, "dwp": 30 / 150}
    )
    # a share of the mean spend a year (150): council 40, NHS 80, DWP 30
    assert t["contribution_per_year_gbp"].to_dict() == pytest.approx(
        {"council": 40.0, "nhs": 80.0, "dwp": 30.0}
    )
    # net cash = cashable - contribution: NHS 10 - 53.3 < 0 although its net gain is 26.7
    assert t.loc["nhs", "pv_net_cash_gbp"] == pytest.approx(10 - 100 * 80 / 150)
    assert any("Net cash under the deal is negative for NHS" in n for n in d.notes)
    assert d.council_share_now == 1.0 and d.council_share_deal == pytest.approx(40 / 150)
    assert d.sentence == (
        "If the NHS put in £80 a year and DWP £30, every partner would gain; "
        "the council's share of the cost falls from 100% to 27%."
    )


def test_sentence_names_only_contributing_partners_and_says_when_one_only_breaks_even() -> None:
    # cashable rule with K = (36, 4, 0): the council pays nothing, NHS 70%, DWP 30% (net 0)
    d = deal_from_values(values(cashable=[36.0, 4.0, 0.0]), "cashable", BASIS)
    assert d.capped == ("council",)
    assert d.sentence == (
        "If the NHS put in £105 a year and DWP £45, no partner would be worse off; "
        "the council's share of the cost falls from 100% to 0%."
    )
    # only the council benefits: nobody else is named, the council keeps the cost
    alone = deal_from_values(
        values(benefit=[150.0, 0.0, 0.0], cashable=[30.0, 0, 0]), "benefit", BASIS
    )
    assert alone.sentence.startswith("No other partner gains")
    assert "NHS" not in alone.sentence and "DWP" not in alone.sentence
    # others gain but, capped under the cashable rule, put nothing in: the sentence says so
    free_ride = deal_from_values(
        values(benefit=[150.0, 20.0, 0.0], cashable=[0.0, 20.0, 0.0]), "cashable", BASIS
    )
    assert free_ride.capped == ("nhs",)
    assert free_ride.sentence.startswith("Under this rule no other partner would put anything in")
    assert free_ride.sentence.endswith("the council keeps 100% of the cost.")


@settings(max_examples=300, deadline=None)
@given(
    cost=st.floats(0.01, 1e9),
    parts=st.lists(st.tuples(st.floats(0, 1e9), st.floats(0, 1)), min_size=1, max_size=6),
    rule=st.sampled_from(RULES),
)
def test_invariants_on_random_cases(cost: float, parts, rule: str) -> None:
    benefit = [b for b, _ in parts]
    cashable = [b * f for b, f in parts]
    s = share_surplus(cost, benefit, cashable, rule)
    if sum(benefit) < cost * (1 - 1e-9):
        assert s is None
        return
    assert s is not None
    check_invariants(cost, benefit, s)
    b, net = np.array(benefit), s.net
    scale = max(cost, b.sum())
    if rule == "benefit":  # every partner keeps the same share of its benefit
        some = b > 1e-9 * scale
        keep = net[some] / b[some]
        assert keep == pytest.approx(np.full(len(keep), keep[0]), abs=1e-6)
    elif not s.fallback:  # uncapped partners' nets are proportional to cashable benefit
        k = np.array(cashable)
        free = ~s.capped & (k > 1e-6 * scale)
        if free.sum() > 1:
            ratio = net[free] / k[free]
            assert ratio == pytest.approx(np.full(len(ratio), ratio[0]), rel=1e-6, abs=1e-6)
        # a capped partner would have got more than its benefit at the uncapped partners' rate
        if free.any() and s.capped.any():
            rate = net[free][0] / k[free][0]
            assert (rate * k[s.capped] >= b[s.capped] * (1 - 1e-6)).all()


def test_rules_come_from_the_catalogue() -> None:
    rules = deal_rules()
    assert list(rules) == list(RULES) and default_rule() in RULES
    assert "cashable + non-cashable" in rules["benefit"].label
    with pytest.raises(ValueError, match="unknown deal rule"):
        share_surplus(C, B, K, "equal")


def test_deal_of_a_run_covers_the_interventions_cost_and_leaves_out_a_prevention_cut(
    context, catalogue
) -> None:
    sc = Scenario(
        "E06000001",
        budgets={"reablement": 4e5, "early_help": 3e5},
        prevention_cut_per_year=0.05,
    )
    r = run(sc, context, catalogue)
    for rule in RULES:
        d = deal(r, rule)
        assert d.cost_gbp == pytest.approx(r.headline.pv_costs_gbp)
        assert d.surplus_gbp == pytest.approx(r.headline.npv_interventions_gbp)
        assert d.feasible
        assert d.table["pv_contribution_gbp"].sum() == pytest.approx(r.headline.pv_costs_gbp)
        assert (d.table["pv_net_gain_gbp"] >= -1e-6).all()
        assert any("cut to prevention" in n for n in d.notes)
        # contribution a year: the share of the mean spend over the spending years
        spend = r.by_year[r.by_year["measure"] == "investment_gbp"].groupby("year")["value"].sum()
        mean = spend[spend > 0].mean()
        assert d.table["contribution_per_year_gbp"].sum() == pytest.approx(mean)


def test_a_scenario_that_funds_nothing_has_no_cost_to_share(context, catalogue) -> None:
    d = deal(run(Scenario("E06000001"), context, catalogue), "benefit")
    assert not d.feasible and "no cost to share" in d.sentence


def test_deal_export_has_every_rule_with_labels_and_the_sentence(context, catalogue) -> None:
    from dashboard.scenario.deal import deal_export

    r = run(
        Scenario("E06000001", budgets={"reablement": 4e5, "early_help": 3e5}), context, catalogue
    )
    out = deal_export(r)
    labels = {rule.label for rule in deal_rules().values()}
    assert set(out["rule"]) == labels
    assert "council" not in set(out["agency"]), "labels, not ids"
    for _, g in out.groupby("rule"):
        assert g["contribution (PV, £)"].sum() == pytest.approx(r.headline.pv_costs_gbp)
        assert g["note"].nunique() == 1 and g["note"].iloc[0].startswith("If ")
    # a scenario that loses money: one row per rule saying so
    lose = deal_export(
        run(Scenario("E06000001", budgets={"weight_management": 3e5}), context, catalogue)
    )
    assert len(lose) == len(RULES) and lose["note"].str.startswith("No deal").all()
