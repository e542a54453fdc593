"""The Scenarios page shows the council's own position beside the whole-system headline, and the
"Who pays, who gains" tab a row per agency and a co-funding deal with its board sentence, under
the rule the user picks."""

from __future__ import annotations

import re

import pytest

from dashboard.scenario import load_catalogue
from dashboard.scenario.deal import RULES, deal_rules
from dashboard.ui.scenario_partners import DEAL_RULE, TAB

from .conftest import DATASETS, no_exception, start

PAGE = "pages/scenario.py"


def money(text: str) -> float:
    """'£5.6m' -> 5.6e6; '-£850k' -> -850e3."""
    m = re.fullmatch(r"(-?)£([\d,.]+)(bn|m|k)?", text)
    assert m, text
    scale = {"bn": 1e9, "m": 1e6, "k": 1e3, None: 1.0}[m.group(3)]
    return (-1 if m.group(1) else 1) * float(m.group(2).replace(",", "")) * scale


def open_tab(at, label: str):
    at.session_state["sc_tab"] = label
    return at.run()


@pytest.mark.parametrize("dataset", DATASETS)
def test_page_shows_the_council_position_and_the_deal_sentence(dataset: str) -> None:
    at = start({"dataset": dataset}, page=PAGE)
    no_exception(at)
    cards = {m.label: m.value for m in at.metric}
    council = load_catalogue().agency_labels["council"]
    pays = money(cards["Pays"])
    back = money(cards["Cash back"])
    net = money(cards["Net cash"])
    assert pays > 0 and back >= 0
    # net cash is cashable back minus pays, to the shown digits
    assert net == pytest.approx(back - pays, abs=0.1e6 + 0.06 * abs(net))
    payback = cards["Cash payback"]
    assert re.fullmatch(r"\d{4}|none", payback), payback
    # every intervention of the catalogue is paid by the council: it pays the PV of all costs
    assert {iv.funder for iv in load_catalogue().interventions} == {"council"}
    costs = next(c.value for c in at.caption if "PV of costs" in c.value)
    shown = re.search(r"PV of costs (\S+),", costs).group(1)
    assert cards["Pays"] == shown

    at = open_tab(at, TAB)
    no_exception(at)
    tab = next(t for t in at.tabs if t.label == TAB)
    # the council's position in words: what lands on other agencies (the wrong pocket)
    assert any("lands on other agencies" in c.value for c in tab.caption)
    frames = [d.value for d in tab.dataframe]
    assert len(frames) == 2, "the table per agency and the deal table"
    per_agency, deal_table = frames
    assert per_agency["partner"].iloc[0] == council
    assert list(per_agency.columns) == [
        "partner",
        "pays",
        "cashable",
        "non-cashable",
        "net cash",
        "net",
    ]
    assert any("net = all benefit (cashable + non-cashable) − pays" in c.value for c in tab.caption)
    assert list(deal_table.columns[:3]) == ["partner", "contribution a year", "share of cost"]
    sentences = [s.value for s in tab.success]
    assert len(sentences) == 1
    first = sentences[0]
    assert first.startswith("If ") and "every partner would gain" in first
    assert re.search(r"council's share of the cost falls from 100% to \d+%", first), first
    # the shares in the table add up to the whole cost
    shares = deal_table["share of cost"].str.rstrip("%").astype(float)
    assert shares.sum() == pytest.approx(100, abs=len(shares) * 0.5)

    # the other rule gives another split, and says which rule it is
    other = next(r for r in RULES if r != at.session_state[DEAL_RULE])
    at.session_state[DEAL_RULE] = other
    at.run()
    no_exception(at)
    tab = next(t for t in at.tabs if t.label == TAB)
    assert any(deal_rules()[other].explanation in c.value for c in tab.caption)
    assert tab.success[0].value != first


def test_a_scenario_that_loses_money_gets_no_deal() -> None:
    at = start({"dataset": "demo"}, page=PAGE)
    at.session_state["sc_horizon"] = 1  # a year of spending, before any benefit has come
    at.run()
    at = open_tab(at, TAB)
    no_exception(at)
    npv = money(next(m.value for m in at.metric if m.label == "NPV"))
    tab = next(t for t in at.tabs if t.label == TAB)
    assert [w.value for w in tab.warning] and not tab.success
    said = tab.warning[0].value
    if npv < 0:
        assert said.startswith("No deal makes every partner better off"), said
    else:  # nothing spent within the horizon (spending starts after the base year)
        assert npv == 0 and "no cost to share" in said, said
    assert len(tab.dataframe) == 1, "the table per agency, no deal table"
    assert next(m.value for m in at.metric if m.label == "Cash payback") == "none"


def test_view_models_without_a_deal_say_why() -> None:
    from dashboard.scenario import PlaceContext, Scenario, run
    from dashboard.ui.scenario_partners import deal_view, partners_view

    from ..scenario.conftest import POPULATION

    ctx = PlaceContext.from_arrays("E06000001", POPULATION, base_year=2024)
    sc = Scenario("E06000001", budgets={"weight_management": 3e5})
    r = run(sc, ctx, load_catalogue())
    assert r.headline.npv_gbp < 0
    for rule in RULES:
        d = deal_view(r, rule)
        assert not d.feasible and d.table.columns.tolist() == ["partner"] and d.table.empty
        assert "falls short of their cost" in d.sentence
    p = partners_view(r)
    assert p.council[-1].value == "none"
    assert "does not pay back within 10 years" in p.council_caption
