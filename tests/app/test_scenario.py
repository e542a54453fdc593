"""The Scenarios page: budgets move the results the right way, saves reopen identically, share
links work, bad input is refused, and a stale saved scenario opens with a warning."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import escape_markdown
from dashboard.scenario import (
    Scenario,
    context_from_bundle,
    load_catalogue,
    response_curves,
    scenario_to_json,
)
from dashboard.store import ScenarioStore, database_url
from dashboard.ui.data import available_datasets, load_bundle

from .conftest import DATASETS, no_exception, start

PAGE = "pages/scenario.py"
SMOKING = "stop_smoking"


@pytest.fixture(autouse=True)
def scenario_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test saves into its own SQLite file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "scenarios.sqlite"))
    return database_url()


def open_page(dataset: str, query: dict[str, str] | None = None) -> AppTest:
    at = start({"dataset": dataset, **(query or {})}, page=PAGE)
    no_exception(at)
    return at


def table(at: AppTest) -> pd.DataFrame:
    """The controls table as drawn: one row per intervention (catalogue order), by id."""
    ed = at.data_editor
    assert len(ed) == 1, "one controls table"
    return ed[0].value.set_axis(list(load_catalogue().intervention_ids))


def budget_k(at: AppTest, intervention: str) -> float:
    """An intervention's budget in the controls table (£ thousand a year; 0 when not funded)."""
    row = table(at).loc[intervention]
    return float(row["budget_k"]) if row["fund"] else 0.0


def edit(at: AppTest, intervention: str, **cells: object) -> AppTest:
    """Edit cells of one row of the controls table (as the browser sends them), then rerun."""
    i = list(load_catalogue().intervention_ids).index(intervention)
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {i: cells}, "added_rows": [], "deleted_rows": []}
    at.run()
    no_exception(at)
    return at


def money(text: str) -> float:
    """'£5.6m' -> 5.6e6; '-£850k' -> -850e3."""
    m = re.fullmatch(r"(-?)£([\d,.]+)(bn|m|k)?", text)
    assert m, text
    scale = {"bn": 1e9, "m": 1e6, "k": 1e3, None: 1.0}[m.group(3)]
    return (-1 if m.group(1) else 1) * float(m.group(2).replace(",", "")) * scale


def headline(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def npv_band(at: AppTest) -> tuple[float, float, float]:
    """NPV and its 5th-95th percentile from the caption under the headline (precise to the
    shown digits)."""
    m = next(m for m in at.metric if m.label == "NPV")
    band = next(c.value for c in at.caption if c.value.startswith("NPV "))
    lo, hi = re.search(r"percentile: \*\*(\S+) to (\S+)\*\*", band).groups()
    return money(m.value), money(lo), money(hi)


def fan(at: AppTest) -> dict[str, dict[int, float]]:
    """The outcome fan's lines by year, read from the chart's data."""
    chart = at.get("vega_lite_chart")[0].proto
    tables = {
        d.name: pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pandas()
        for d in chart.datasets
    }
    lines = tables["fan_lines"]
    return {
        name: dict(zip(g["calendar_year"].astype(int), g["value"], strict=True))
        for name, g in lines.groupby("line")
    }


def choose_outcome(at: AppTest, indicator: str) -> AppTest:
    at.session_state["sc_outcome"] = indicator
    return at.run()


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["sc_tab"] = label
    return at.run()


@pytest.mark.parametrize("dataset", DATASETS)
def test_page_runs_with_headline_band_and_every_tab(dataset: str) -> None:
    at = open_page(dataset)
    assert at.title[0].value == "Scenarios"
    assert set(headline(at)) == {
        "NPV",
        "Benefit–cost",
        "Payback",
        "Chance NPV > 0",
        "Pays",
        "Cash back",
        "Net cash",
        "Cash payback",
    }
    npv, lo, hi = npv_band(at)
    assert lo < npv < hi, "the central NPV sits inside its Monte Carlo band"
    assert any(
        "a model, not a forecast" in c.value and "illustrative" in c.value for c in at.caption
    )
    assert at.metric[2].value.isdigit() or at.metric[2].value == "none", "payback: a whole year"
    for label in [
        "Who pays, who gains",
        "Spend",
        "Agencies",
        "Waterfall",
        "Best split",
        "Compare",
        "Method",
        "Save and download",
    ]:
        open_tab(at, label)
        no_exception(at)
        tab = next(t for t in at.tabs if t.label == label)
        assert tab.children, f"tab '{label}' shows something"
    labels = [str(b.proto.label) for b in at.get("download_button")]
    assert any("XLSX" in x for x in labels) and any("CSV" in x for x in labels)


@pytest.mark.parametrize("dataset", DATASETS)
def test_raising_a_prevention_budget_moves_npv_and_outcome_the_expected_way(dataset: str) -> None:
    at = open_page(dataset)
    at = choose_outcome(at, "smoking_pct")
    before_npv = npv_band(at)[0]
    before = fan(at)
    now_k = budget_k(at, SMOKING)
    assert now_k > 0, "the default preset funds stop smoking"

    # the engine's own response curve says which way NPV should go
    paths = available_datasets()
    bundle = load_bundle(paths[dataset])
    place = (
        at.query_params["place"][0]
        if isinstance(at.query_params["place"], list)
        else at.query_params["place"]
    )
    cat = load_catalogue()
    pc = context_from_bundle(bundle, place, cat)
    curve = next(
        r
        for r in response_curves(Scenario(place, horizon_years=10), pc, cat)
        if r.intervention == SMOKING
    )
    new_k = float(round(min(now_k * 3, curve.cap_gbp / 1000)))
    assert new_k > now_k * 1.5
    expected = float(curve(new_k * 1000) - curve(now_k * 1000))

    edit(at, SMOKING, budget_k=new_k)
    assert budget_k(at, SMOKING) == new_k, "the table shows the budget typed"
    after_npv = npv_band(at)[0]
    after = fan(at)
    assert abs(expected) > 1e5, "a change big enough to show in the headline"
    assert (after_npv - before_npv) * expected > 0, (before_npv, after_npv, expected)
    assert after_npv - before_npv == pytest.approx(expected, rel=0.2, abs=1.5e5)
    last = max(after["Scenario (central)"])
    # smoking: lower is better, so more stop-smoking support lowers the projection
    assert after["Scenario (central)"][last] < before["Scenario (central)"][last]
    assert after["Baseline (no change)"] == before["Baseline (no change)"], "baseline unmoved"


def save(at: AppTest, name: str, author: str = "Test author") -> str:
    at = open_tab(at, "Save and download")
    at.text_input(key="sc_save_name").set_value(name)
    at.text_area(key="sc_save_desc").set_value("Made by a test")
    at.text_input(key="sc_save_author").set_value(author)
    next(b for b in at.button if b.label == "Save scenario").click()
    at.run()
    no_exception(at)
    sid = at.session_state["sc_saved_id"]
    assert at.query_params["scenario"] in (sid, [sid])
    assert any(sid in s.value for s in at.success), "the share link is shown"
    return sid


@pytest.mark.parametrize("dataset", DATASETS)
def test_save_and_reopen_gives_identical_results(dataset: str, scenario_db: str) -> None:
    at = open_page(dataset)
    edit(at, "reablement", budget_k=3 * budget_k(at, "reablement"))
    at.session_state["sc_horizon"] = 14
    at.run()
    shown = headline(at)
    band = npv_band(at)
    sid = save(at, "More reablement")

    record = ScenarioStore(scenario_db).get(sid)
    assert record is not None and record.name == "More reablement"
    assert record.author == "Test author" and record.dataset == dataset

    # a share link in a new session (only the id in the URL) reopens it
    again = AppTest.from_file(at._script_path, default_timeout=60)
    again.query_params["scenario"] = sid
    again.run()
    again.switch_page(PAGE)
    again.query_params["scenario"] = sid
    again.run()
    no_exception(again)
    assert headline(again) == shown
    assert npv_band(again) == band
    assert again.session_state["sc_horizon"] == 14
    assert budget_k(again, "reablement") == budget_k(at, "reablement")
    pd.testing.assert_frame_equal(table(again), table(at))
    assert any("More reablement" in s.value for s in again.success)


def test_share_link_switches_to_the_saved_place(scenario_db: str) -> None:
    at = open_page("demo")
    places = [o for o in next(s for s in at.selectbox if s.label == "Place").options]
    other = places[5].rsplit("(", 1)[-1].rstrip(")")
    at.selectbox(key="w_place").set_value(other)
    at.run()
    sid = save(at, "Elsewhere")
    shown = headline(at)

    link = start({"scenario": sid}, page=PAGE)
    link.query_params["scenario"] = sid
    link.run()
    no_exception(link)
    assert link.session_state["w_place"] == other
    assert link.session_state["w_dataset"] == "demo"
    assert headline(link) == shown


def test_out_of_range_assumption_is_refused_with_a_message() -> None:
    at = open_page("demo")
    shown = headline(at)
    at.session_state["sc_detail"] = "reablement"
    at.session_state["sc_pop"] = True
    at.run()
    no_exception(at)
    panel = " ".join(m.value for m in at.markdown)
    assert "Evidence grade C" in panel, "the grade badge is in the assumptions panel"
    assert any("source" in df.value.columns for df in at.dataframe)
    path = "interventions.reablement.success_rate"
    at.selectbox(key="sc_op_reablement").set_value(path)
    at.run()
    at.number_input(key="sc_ov_reablement").set_value(1.7)
    at.button(key="sc_oa_reablement").click()
    at.run()
    no_exception(at)
    errors = [e.value for e in at.error]
    assert any("Refused" in e and path in e and "1.7" in e for e in errors), errors
    assert at.session_state["sc_overrides"] == {}
    assert headline(at) == shown, "nothing changed"

    # a value inside the range is taken, moves the results and shows in the table
    at.number_input(key="sc_ov_reablement").set_value(0.7)
    at.button(key="sc_oa_reablement").click()
    at.run()
    no_exception(at)
    assert at.session_state["sc_overrides"] == {path: 0.7}
    assert money(headline(at)["NPV"]) > money(shown["NPV"])
    assert table(at).loc["reablement", "success_pct"] == pytest.approx(70.0)


def test_an_assumption_out_of_range_in_the_table_is_refused_naming_it() -> None:
    at = open_page("demo")
    shown = headline(at)
    cat = load_catalogue()
    edit(at, "reablement", success_pct=170.0)
    errors = " ".join(e.value for e in at.error)
    assert "Refused" in errors and "success rate" in errors, errors
    assert cat.intervention("reablement").label in errors and "170%" in errors
    assert "0% to 100%" in errors, "the allowed range is stated"
    assert at.session_state["sc_overrides"] == {}
    assert headline(at) == shown, "nothing changed"
    central = cat.intervention("reablement").success_rate.central
    assert table(at).loc["reablement", "success_pct"] == pytest.approx(100 * central), (
        "the table shows the value in use again"
    )
    # inside the range: taken as an override of the central value, and the headline moves
    edit(at, "reablement", success_pct=70.0)
    assert not at.error
    assert at.session_state["sc_overrides"] == {
        "interventions.reablement.success_rate": pytest.approx(0.7)
    }
    assert money(headline(at)["NPV"]) > money(shown["NPV"])


def test_unfunding_a_row_takes_its_budget_out() -> None:
    at = open_page("demo")
    before = money(headline(at)["NPV"])
    edit(at, "reablement", fund=False)
    assert "reablement" not in at.session_state["sc_ivs"]
    assert money(headline(at)["NPV"]) != before
    n = len(at.session_state["sc_ivs"])
    assert any(f"**{n}** interventions funded" in c.value for c in at.caption)


def test_presets_fill_the_table() -> None:
    at = open_page("demo")
    cat = load_catalogue()
    at.selectbox(key="sc_preset").set_value("status_quo")
    at.run()
    no_exception(at)
    assert not table(at)["fund"].any(), "the status quo funds nothing"
    assert money(headline(at)["NPV"]) == 0
    at.selectbox(key="sc_preset").set_value("prevention_first")
    at.run()
    no_exception(at)
    t = table(at)
    preset = cat.presets["prevention_first"].budgets_gbp_per_head
    assert set(t.index[t["fund"]]) == set(preset)
    # the preset's £ a head times the place's population, in £ thousand (to the pound)
    bundle = load_bundle(available_datasets()["demo"])
    pc = context_from_bundle(bundle, bundle.default_place("upper"), cat)
    for iid, per_head in preset.items():
        assert t.loc[iid, "budget_k"] == pytest.approx(
            per_head * pc.total_population / 1e3, abs=1e-3
        )


def test_a_budget_above_what_the_cohort_can_absorb_is_said_at_the_control() -> None:
    at = open_page("demo")
    label = load_catalogue().intervention("reablement").label

    def said_for_reablement() -> list[str]:
        return [w.value for w in at.warning if "can be used" in w.value and label in w.value]

    assert not said_for_reablement()
    edit(at, "reablement", budget_k=50 * budget_k(at, "reablement"))
    said = said_for_reablement()
    assert len(said) == 1, said
    m = re.search(
        r"Only (\S+) of (\S+) a year can be used: the eligible cohort is ([\d,]+)", said[0]
    )
    assert m, said[0]
    used, asked = money(m.group(1)), money(m.group(2))
    assert asked == pytest.approx(50_000 * budget_k(at, "reablement") / 50, rel=0.01)
    assert 0 < used < asked
    iv = load_catalogue().intervention("reablement")
    cohort = float(m.group(3).replace(",", ""))
    # what the cohort absorbs: its people times the cost per participant (shown to £0.1m)
    assert used == pytest.approx(cohort * iv.cost_per_participant.central, abs=0.05e6)


def test_saved_scenario_with_an_unknown_intervention_opens_with_a_warning(scenario_db: str) -> None:
    bundle = load_bundle(available_datasets()["demo"])
    place = bundle.default_place("upper")
    text = scenario_to_json(Scenario(place, budgets={"reablement": 200_000.0}))
    data = json.loads(text)
    data["budgets"]["retired_scheme"] = 50_000.0
    sid = ScenarioStore(scenario_db).save(
        "Old scenario", "", place, "demo", "Someone", json.dumps(data)
    )
    at = open_page("demo", {"scenario": sid})
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert escape_markdown("retired_scheme") in warnings, warnings
    assert "no longer in the catalogue" in warnings
    assert budget_k(at, "reablement") == 200
    assert at.session_state["sc_ivs"] == ["reablement"]


def test_unknown_share_id_is_reported() -> None:
    at = open_page("demo", {"scenario": "nosuchid0000"})
    assert any("nosuchid0000" in e.value for e in at.error)


def test_use_the_best_split_sets_the_table() -> None:
    """The button sets the controls table through a callback (setting widgets after they
    are drawn raised StreamlitWidgetAlreadyInstantiatedError)."""
    at = open_page("demo")
    at = open_tab(at, "Best split")
    best = next(d.value for d in at.dataframe if "best split (£k a year)" in d.value.columns)
    at.button(key="sc_use_best").click()
    at.run()
    no_exception(at)
    funded = {r["intervention"] for r in best.to_dict("records") if r["best split (£k a year)"] > 0}
    assert funded, "the best split funds something"
    cat = load_catalogue()
    assert {cat.intervention(i).label for i in at.session_state["sc_ivs"]} == funded
    best_k = dict(zip(best["intervention"], best["best split (£k a year)"], strict=True))
    for iid in at.session_state["sc_ivs"]:
        assert budget_k(at, iid) == pytest.approx(best_k[cat.intervention(iid).label], abs=10)


def test_open_button_opens_the_picked_scenario(scenario_db: str) -> None:
    """Open from the list (it raised StreamlitWidgetAlreadyInstantiatedError on sc_ivs)."""
    bundle = load_bundle(available_datasets()["demo"])
    place = bundle.default_place("upper")
    sid = ScenarioStore(scenario_db).save(
        "Two budgets",
        "",
        place,
        "demo",
        "Someone",
        scenario_to_json(Scenario(place, 7, {"reablement": 100_000.0, SMOKING: 60_000.0})),
    )
    at = open_tab(open_page("demo"), "Save and download")
    at.selectbox(key="sc_open_pick").set_value(sid)
    at.button(key="sc_open").click()
    at.run()
    no_exception(at)
    assert at.session_state["sc_ivs"] == ["reablement", SMOKING]
    assert (budget_k(at, "reablement"), budget_k(at, SMOKING)) == (100, 60)
    assert set(table(at).index[table(at)["fund"]]) == {"reablement", SMOKING}
    assert at.session_state["sc_horizon"] == 7
    assert any("Two budgets" in s.value for s in at.success)


def test_years_of_investment_from_the_table_shorten_the_spending() -> None:
    at = open_page("demo")
    shown = headline(at)
    horizon = at.session_state["sc_horizon"]
    assert (table(at)["years"] == horizon).all(), "every year of the horizon by default"
    edit(at, "reablement", years=3)
    t = table(at)
    assert t.loc["reablement", "years"] == 3
    assert (t.drop(index="reablement")["years"] == horizon).all(), "the other rows keep theirs"
    assert headline(at) != shown, "spending fewer years changes the results"
    edit(at, "reablement", years=horizon + 5)
    assert table(at).loc["reablement", "years"] == horizon, "no more years than the horizon"


def test_compare_table_writes_money_as_the_headline_does() -> None:
    """The comparison's money reads as the headline's ("-£1.2m", never "£-1,234,567"): the
    current scenario's NPV there is the NPV card's text; salami slicing loses money."""
    at = open_tab(open_page("demo"), "Compare")
    no_exception(at)
    tab = next(t for t in at.tabs if t.label == "Compare")
    table = tab.dataframe[0].value.set_index("scenario")
    current = next(i for i in table.index if i.startswith("This scenario"))
    assert table.loc[current, "npv_gbp"] == headline(at)["NPV"]
    salami = next(i for i in table.index if "salami" in i.lower() or "cut" in i.lower())
    assert re.fullmatch(r"-£[\d.,]+[km]?", table.loc[salami, "npv_gbp"]), table.loc[salami]
