"""The Scenarios page's downloads, as a finance team opens them: a read-me sheet first, one
sheet per view with labels (no internal ids), £ formats on money, whole people and years, the
attribution on every sheet; every CSV carries the attribution and licence; years are integers
and payback is a whole calendar year or blank."""

from __future__ import annotations

import csv
import io
import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.scenario import Scenario, context_from_bundle, load_catalogue, run, simulate
from dashboard.ui.data import available_datasets, load_bundle
from dashboard.ui.state import Context
from dashboard.view import View

GBP = '"£"#,##0;-"£"#,##0'


@pytest.fixture(scope="module")
def setup():
    warnings.simplefilter("ignore")  # Streamlit's caches warn outside a running app
    from dashboard.ui import scenario_views as views

    bundle = load_bundle(available_datasets()["demo"])
    place = bundle.default_place("upper")
    cat = load_catalogue()
    pc = context_from_bundle(bundle, place, cat)
    sc = Scenario(place, 12, {"reablement": 4e5, "stop_smoking": 1.5e5, "early_help": 3e5})
    result = run(sc, pc, cat)
    sim = simulate(sc, pc, cat, draws=200, seed=1)
    ctx = Context(View("demo", "upper", place, "peers", "2024-25"), bundle, [], "")
    return views.downloads(ctx, result, sim, "Test scenario"), bundle, result, cat


def _book(setup):
    d = setup[0]
    return load_workbook(io.BytesIO(d.workbook()))


def _table(ws) -> pd.DataFrame:
    """A sheet's table: the header in row 3 (under the attribution banner)."""
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_the_workbook_has_a_read_me_then_one_sheet_per_view(setup) -> None:
    _, bundle, _, _ = setup
    wb = _book(setup)
    assert wb.sheetnames[:4] == ["Read me", "Headline", "By partner", "The deal"]
    assert {"By year", "Cash flow", "Outcomes", "Assumptions", "Settings"} <= set(wb.sheetnames)
    readme = " ".join(str(c.value) for c in wb["Read me"]["A"] if c.value)
    assert bundle.attribution in readme and str(bundle.meta["licence"]) in readme
    for name in wb.sheetnames[1:]:
        assert bundle.attribution in str(wb[name]["A1"].value), f"{name} carries the attribution"
        assert wb[name].freeze_panes == "A4", "the header row stays in view"


def test_the_workbook_uses_labels_not_ids(setup) -> None:
    _, _, result, cat = setup
    wb = _book(setup)
    by_year = _table(wb["By year"])
    assert set(by_year["intervention"]) == {
        cat.intervention(i).label for i in ("reablement", "stop_smoking", "early_help")
    }
    partner = _table(wb["By partner"])
    assert list(partner["agency"]) == [cat.agency_labels[a] for a in cat.agencies]
    ids = set(cat.intervention_ids) | set(cat.agencies)
    for name in ("Headline", "By partner", "By year", "Cash flow", "Assumptions", "Settings"):
        t = _table(wb[name])
        cells = {str(v) for col in t.columns for v in t[col]} | {str(c) for c in t.columns}
        assert not cells & ids, (name, cells & ids)
    outcomes = _table(wb["Outcomes"])
    assert not set(outcomes["indicator"]) & set(map(str, result.outcome_totals["indicator_id"]))


def test_money_people_and_years_have_number_formats(setup) -> None:
    wb = _book(setup)
    ws = wb["By year"]
    header = {c.value: c.column for c in ws[3]}
    row = 4
    assert ws.cell(row, header["investment (£)"]).number_format == GBP
    assert ws.cell(row, header["people reached"]).number_format == "#,##0"
    assert ws.cell(row, header["year"]).number_format == "0"
    assert isinstance(ws.cell(row, header["year"]).value, int)
    partner = wb["By partner"]
    cols = {c.value: c.column for c in partner[3]}
    money = [j for name, j in cols.items() if "£" in str(name)]
    assert len(money) == 6 and all(partner.cell(4, j).number_format == GBP for j in money)
    assert partner.cell(4, cols["cash payback year"]).number_format == "0"
    deal = wb["The deal"]
    dcols = {c.value: c.column for c in deal[3]}
    assert deal.cell(4, dcols["contribution a year (£)"]).number_format == GBP
    assert deal.cell(4, dcols["share of cost"]).number_format == "0.0%"
    head = {r[0].value: r[1] for r in wb["Headline"].iter_rows(min_row=4)}
    assert head["Net present value"].number_format == GBP
    assert head["Chance NPV > 0"].number_format == "0.0%"
    assert head["Benefit-cost ratio"].number_format == "0.00"
    pay = head["Payback year"]
    assert pay.value is None or (isinstance(pay.value, int) and pay.number_format == "0")
    assert isinstance(head["Base year"].value, int)


def test_assumptions_sheet_carries_each_source_and_grade(setup) -> None:
    _, _, _, cat = setup
    t = _table(_book(setup)["Assumptions"])
    assert {"parameter", "low", "central", "high", "unit", "grade", "source"} <= set(t.columns)
    iv = cat.intervention("reablement")
    mine = t[t["intervention"] == iv.label]
    cost = mine[mine["parameter"] == "Cost per participant"].iloc[0]
    assert cost["central"] == iv.cost_per_participant.central
    assert cost["source"] == iv.cost_per_participant.source
    assert set(t["intervention"]) == {
        cat.intervention(i).label for i in ("reablement", "stop_smoking", "early_help")
    }


@pytest.mark.parametrize("which", ["headline_csv", "by_partner_csv", "by_year_csv"])
def test_every_csv_carries_the_attribution_and_whole_years(setup, which: str) -> None:
    d, bundle, _, _ = setup
    text = getattr(d, which)().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    blank = lines.index([])
    notes = [r[0] for r in lines[blank + 1 :]]
    assert f"Attribution: {bundle.attribution}" in notes
    assert f"Licence: {bundle.meta['licence']}" in notes
    table = pd.read_csv(io.StringIO(text), nrows=blank - 1)
    if "year" in table.columns:
        assert pd.api.types.is_integer_dtype(table["year"]), table["year"].dtype
    if which == "headline_csv":
        head = dict(zip(table["measure"], table["value"], strict=True))
        assert head["Base year"] == str(int(head["Base year"])), "a whole year, not 2024.0"
        pay = head["Payback year"]
        assert pd.isna(pay) or pay == str(int(pay))
    if which == "by_year_csv":
        assert pd.api.types.is_integer_dtype(table["people reached"]), "whole people"
        assert pd.api.types.is_integer_dtype(table["investment (£)"]), "money to the pound"
