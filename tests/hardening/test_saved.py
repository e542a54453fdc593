"""The corpus of bad saved scenarios: records in the store whose scenario JSON or text fields are
broken (NaN, Infinity, negative, huge or text numbers; unknown dataset, place, intervention,
assumption or preset; over-long or markdown/HTML name and author; missing fields; wrong JSON
types). Each is opened through a share link in AppTest and must be refused, or opened with a
note, naming the field and quoting the value as text (escaped), with the view still open on a
valid bundle and place, within the AppTest timeout. The Open button is tested here too.

Records are written straight into the database (as another version of the app, or a hand edit,
could have left them), so the store's own checks on saving do not hide a case."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.bundle.limits import input_limit
from dashboard.bundle.schema import LEVELS
from dashboard.formatting import escape_markdown
from dashboard.scenario import Scenario, scenario_to_json
from dashboard.store import ScenarioStore, database_url
from dashboard.store.scenarios import scenarios as table
from dashboard.ui.data import available_datasets, load_bundle
from dashboard.ui.scenario_controls import default_horizon
from tests.app.conftest import APP, navigation_mode  # noqa: F401 - autouse fixture

#: Seconds one run may take: a rerun loop (a place that never matches) fails, never hangs.
RUN_TIMEOUT_S = 30
PAGE = "pages/scenario.py"
MARKDOWN = "**x** [click](http://example.invalid) ![img](http://example.invalid/px.png)"
HTML = '<img src="http://example.invalid/px.png" onerror="alert(1)">'

DEMO = load_bundle(available_datasets()["demo"])
HOME = DEMO.default_place("upper")
OTHER = DEMO.place_codes("upper")[6]
BASE = json.loads(scenario_to_json(Scenario(HOME, 12, {"reablement": 200_000.0})))


@dataclass(frozen=True)
class SavedCase:
    """A saved record: its scenario JSON (``text``, else ``BASE`` with ``patch`` applied; a
    value of ``DROP`` removes the key), record fields that differ, and what must happen:
    ``refused`` (an error naming ``field``) or ``opened`` (a note naming ``field``)."""

    id: str
    patch: dict = field(default_factory=dict)
    text: str | None = None
    record: dict = field(default_factory=dict)
    outcome: str = "refused"
    field: str = ""
    quoted: tuple[str, ...] = ()


DROP = object()


def _nested(depth: int) -> str:
    return '{"place_code": "X", "budgets": ' + "[" * depth + "]" * depth + "}"


CASES: list[SavedCase] = [
    # horizon
    SavedCase(
        "horizon-nan",
        text=json.dumps({**BASE, "horizon_years": float("nan")}),
        field="horizon_years",
        quoted=("nan",),
    ),
    SavedCase(
        "horizon-inf",
        text=json.dumps({**BASE, "horizon_years": float("inf")}),
        field="horizon_years",
        quoted=("inf",),
    ),
    SavedCase(
        "horizon-minus-inf",
        text=json.dumps({**BASE, "horizon_years": float("-inf")}),
        field="horizon_years",
        quoted=("-inf",),
    ),
    SavedCase("horizon-negative", {"horizon_years": -5}, field="horizon_years", quoted=("-5",)),
    SavedCase("horizon-zero", {"horizon_years": 0}, field="horizon_years", quoted=("0",)),
    SavedCase("horizon-huge", {"horizon_years": 1e308}, field="horizon_years", quoted=("1e+308",)),
    SavedCase(
        "horizon-huge-integer",
        text=json.dumps(BASE).replace('"horizon_years": 12', '"horizon_years": 1' + "0" * 400),
        field="horizon_years",
    ),
    SavedCase("horizon-text", {"horizon_years": "ten"}, field="horizon_years", quoted=("'ten'",)),
    SavedCase("horizon-fraction", {"horizon_years": 2.5}, field="horizon_years"),
    SavedCase("horizon-bool", {"horizon_years": True}, field="horizon_years", quoted=("True",)),
    SavedCase("horizon-list", {"horizon_years": [10]}, field="horizon_years", quoted=("[10]",)),
    # investment years
    SavedCase(
        "invest-nan",
        text=json.dumps({**BASE, "invest_years": float("nan")}),
        field="invest_years",
        quoted=("nan",),
    ),
    SavedCase(
        "invest-inf",
        text=json.dumps({**BASE, "invest_years": float("inf")}),
        field="invest_years",
        quoted=("inf",),
    ),
    SavedCase("invest-negative", {"invest_years": -3}, field="invest_years", quoted=("-3",)),
    SavedCase("invest-text", {"invest_years": "5"}, field="invest_years", quoted=("'5'",)),
    # budgets
    SavedCase(
        "budget-nan",
        text=json.dumps({**BASE, "budgets": {"reablement": float("nan")}}),
        field="budgets.reablement",
        quoted=("nan",),
    ),
    SavedCase(
        "budget-inf",
        text=json.dumps({**BASE, "budgets": {"reablement": float("inf")}}),
        field="budgets.reablement",
        quoted=("inf",),
    ),
    SavedCase(
        "budget-negative",
        {"budgets": {"reablement": -5}},
        field="budgets.reablement",
        quoted=("-5",),
    ),
    SavedCase(
        "budget-huge",
        {"budgets": {"reablement": 1e300}},
        field="budgets.reablement",
        quoted=("1e+300",),
    ),
    SavedCase(
        "budget-text",
        {"budgets": {"reablement": "lots"}},
        field="budgets.reablement",
        quoted=("'lots'",),
    ),
    SavedCase("budgets-list", {"budgets": [1, 2]}, field="budgets", quoted=("[1, 2]",)),
    SavedCase("budgets-too-many", {"budgets": {f"x{i}": 1 for i in range(5000)}}, field="budgets"),
    SavedCase(
        "budget-basis-list", {"budget_basis": ["gbp"]}, field="budget_basis", quoted=("['gbp']",)
    ),
    SavedCase(
        "budget-basis-unknown", {"budget_basis": "usd"}, field="budget_basis", quoted=("usd",)
    ),
    # overrides
    SavedCase(
        "override-nan",
        text=json.dumps(
            {**BASE, "overrides": {"interventions.reablement.success_rate": float("nan")}}
        ),
        field="overrides.interventions.reablement.success_rate",
        quoted=("nan",),
    ),
    SavedCase(
        "override-out-of-range",
        {"overrides": {"interventions.reablement.deadweight": 2}},
        field="interventions.reablement.deadweight",
        quoted=("2",),
    ),
    SavedCase(
        "override-text",
        {"overrides": {"interventions.reablement.deadweight": "x"}},
        field="overrides.interventions.reablement.deadweight",
        quoted=("'x'",),
    ),
    SavedCase("overrides-string", {"overrides": "all"}, field="overrides", quoted=("'all'",)),
    # the prevention cut and the preset
    SavedCase(
        "cut-nan",
        text=json.dumps({**BASE, "prevention_cut_per_year": float("nan")}),
        field="prevention_cut_per_year",
        quoted=("nan",),
    ),
    SavedCase(
        "cut-text",
        {"prevention_cut_per_year": "5%"},
        field="prevention_cut_per_year",
        quoted=("'5%'",),
    ),
    SavedCase(
        "cut-too-big",
        {"prevention_cut_per_year": 7},
        field="prevention_cut_per_year",
        quoted=("7",),
    ),
    SavedCase("preset-list", {"preset": ["x"]}, field="preset", quoted=("['x']",)),
    # unknown dataset and place (these used to rerun for ever)
    SavedCase(
        "dataset-unknown", record={"dataset": "nowhere"}, field="dataset", quoted=("'nowhere'",)
    ),
    SavedCase("dataset-markdown", record={"dataset": MARKDOWN[:60]}, field="dataset"),
    SavedCase(
        "place-unknown",
        {"place_code": "E99999999"},
        record={"place_code": "E99999999"},
        field="place_code",
        quoted=("'E99999999'",),
    ),
    SavedCase(
        "place-markdown",
        {"place_code": "**E1**"},
        record={"place_code": "**E1**"},
        field="place_code",
        quoted=("'**E1**'",),
    ),
    SavedCase("place-mismatch", {"place_code": OTHER}, field="place_code", quoted=(OTHER,)),
    SavedCase("place-number", {"place_code": 5}, field="place_code"),
    SavedCase(
        "place-too-long",
        {"place_code": "E" * 500},
        record={"place_code": "E" * 500},
        field="place_code",
    ),
    # the record's text fields
    SavedCase("name-too-long", record={"name": "n" * 5000}, field="name"),
    SavedCase("author-too-long", record={"author": "a" * 5000}, field="author"),
    SavedCase("description-too-long", record={"description": "d" * 50_000}, field="description"),
    SavedCase("name-empty", record={"name": "  "}, field="name"),
    # missing fields, wrong JSON types, broken JSON
    SavedCase("missing-place", {"place_code": DROP}, field="place_code"),
    SavedCase("empty-object", text="{}", field="place_code"),
    SavedCase("json-array", text="[1, 2, 3]", quoted=("list",)),
    SavedCase("json-null", text="null", quoted=("NoneType",)),
    SavedCase("json-broken", text="{not json", quoted=("not valid JSON",)),
    SavedCase("json-deep", text=_nested(50_000), quoted=("nested too deeply",)),
    SavedCase("json-too-long", {"preset": "p" * 300_000}, quoted=("longer than",)),
    SavedCase("schema-version", {"schema_version": 99}, field="schema_version", quoted=("99",)),
    SavedCase(
        "schema-version-text", {"schema_version": "1"}, field="schema_version", quoted=("'1'",)
    ),
    SavedCase("unknown-field", {"colour": "red"}, field="colour"),
    SavedCase("unknown-field-markdown", {MARKDOWN: 1}, field=MARKDOWN),
    # accepted with a note (never silently)
    SavedCase(
        "intervention-unknown",
        {"budgets": {"reablement": 200_000, "retired_scheme": 5}},
        outcome="opened",
        field="retired_scheme",
    ),
    SavedCase(
        "intervention-markdown",
        {"budgets": {"reablement": 200_000, MARKDOWN: 5}},
        outcome="opened",
        field=MARKDOWN,
    ),
    SavedCase(
        "interventions-many-unknown",
        {"budgets": {"reablement": 200_000, **{f"gone{i}": 1 for i in range(900)}}},
        outcome="opened",
        field="gone0",
        quoted=("more parts",),
    ),
    SavedCase(
        "override-unknown",
        {"overrides": {"interventions.gone.cost": 1}},
        outcome="opened",
        field="interventions.gone.cost",
    ),
    SavedCase("preset-unknown", {"preset": "old_preset"}, outcome="opened", field="old_preset"),
    SavedCase(
        "name-markdown", record={"name": MARKDOWN[:120]}, outcome="opened", field=MARKDOWN[:120]
    ),
    SavedCase("author-html", record={"author": HTML}, outcome="opened", field=HTML),
    SavedCase(
        "description-markdown",
        record={"description": MARKDOWN + " :red[x] $y$"},
        outcome="opened",
        field=MARKDOWN + " :red[x] $y$",
    ),
]

_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_TAG = re.compile(r"(?<!\\)<[A-Za-z/!]")
_DIRECTIVE = re.compile(r"(?<!\\):[a-z]+(?<!\\)\[")


@pytest.fixture(autouse=True)
def scenario_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test saves into its own SQLite file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "scenarios.sqlite"))
    return database_url()


def scenario_text(case: SavedCase) -> str:
    if case.text is not None:
        return case.text
    data = dict(BASE)
    for k, v in case.patch.items():
        if v is DROP:
            data.pop(k, None)
        else:
            data[k] = v
    return json.dumps(data)


def insert(url: str, case: SavedCase) -> str:
    """Write the record straight into the database (no checks on the way in)."""
    store = ScenarioStore(url)
    sid = secrets.token_hex(6)
    row = {
        "id": sid,
        "name": "Broken record",
        "description": "",
        "place_code": HOME,
        "dataset": "demo",
        "author": "A tester",
        "scenario_json": scenario_text(case),
        "created_at": datetime.now(UTC),
        **case.record,
    }
    with store.engine.begin() as conn:
        conn.execute(table.insert().values(**row))
    store.close()
    return sid


def open_link(sid: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params["dataset"] = "demo"
    at.query_params["scenario"] = sid
    at.switch_page(PAGE)
    at.run()
    return at


def assert_safe(text: str) -> None:
    assert not _LINK.search(text), text
    assert not _TAG.search(text), text
    assert not _DIRECTIVE.search(text), text


def assert_valid_view(at: AppTest, place: str = HOME) -> None:
    ss = at.session_state
    assert ss["w_dataset"] == "demo" and ss["w_level"] in LEVELS
    assert ss["w_place"] == place, "the view stays where it was"
    assert at.title and at.title[0].value == "Scenarios"
    assert any(m.label == "NPV" for m in at.metric), "the page still works"


def test_corpus_size() -> None:
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_saved_scenario(case: SavedCase, scenario_db: str) -> None:
    sid = insert(scenario_db, case)
    at = open_link(sid)
    assert not at.exception, [e.value for e in at.exception]
    assert_valid_view(at)
    errors = [e.value for e in at.error]
    warnings = [w.value for w in at.warning]
    successes = [s.value for s in at.success]
    for text in errors + warnings + successes:
        assert_safe(text)
    if case.outcome == "refused":
        assert len(errors) == 1, errors
        note = errors[0]
        assert "cannot be opened" in note, note
        assert "sc_loaded" not in at.session_state, "nothing from the record was taken"
        assert at.session_state["sc_ivs"] != ["reablement"]
        assert at.session_state["sc_horizon"] == default_horizon() != BASE["horizon_years"]
        assert "scenario" not in at.query_params, "the refused id is taken out of the URL"
        shown_in = [note]
    else:
        assert not errors, errors
        assert at.session_state["sc_loaded"].id == sid
        assert at.session_state["sc_horizon"] == BASE["horizon_years"]
        shown_in = warnings + successes
    text = " ".join(shown_in)
    if case.field:
        # a refusal quotes the field cut to its limit; an opened record's text is shown whole
        limit = input_limit("url", "shown_max_chars") if case.outcome == "refused" else None
        cut = case.field[:limit]
        assert escape_markdown(cut) in text, (escape_markdown(cut), text)
    for value in case.quoted:
        assert escape_markdown(value) in text, (escape_markdown(value), text)
    assert len(text) < 4 * input_limit("saved", "description_max_chars"), "notes are bounded"


def test_many_left_out_parts_are_counted_not_listed(scenario_db: str) -> None:
    case = next(c for c in CASES if c.id == "interventions-many-unknown")
    at = open_link(insert(scenario_db, case))
    notes = [w.value for w in at.warning if "left out" in w.value]
    assert len(notes) == input_limit("saved", "max_notes") + 1
    assert str(900 - input_limit("saved", "max_notes")) in notes[-1].replace(",", "")


def test_open_button_opens_a_saved_scenario(scenario_db: str) -> None:
    """Save two scenarios, then open the first from the list: the controls show its budgets
    (this used to fail with StreamlitWidgetAlreadyInstantiatedError on sc_ivs)."""
    store = ScenarioStore(scenario_db)
    first = store.save(
        "Reablement only",
        "",
        HOME,
        "demo",
        "A tester",
        scenario_to_json(Scenario(HOME, 14, {"reablement": 300_000.0, "stop_smoking": 60_000.0})),
    )
    store.close()
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params["dataset"] = "demo"
    at.switch_page(PAGE)
    at.run()
    at.session_state["sc_tab"] = "Save and download"
    at.run()
    assert at.session_state["sc_horizon"] != 14
    at.selectbox(key="sc_open_pick").set_value(first)
    at.button(key="sc_open").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["sc_ivs"] == ["reablement", "stop_smoking"]
    assert at.session_state["sc_b_reablement"] == 300
    assert at.session_state["sc_b_stop_smoking"] == 60
    assert at.session_state["sc_horizon"] == 14
    assert any("Reablement only" in s.value for s in at.success)
    assert at.query_params["scenario"] in (first, [first])
    assert_valid_view(at)


def test_open_button_refuses_a_broken_record_and_keeps_the_controls(scenario_db: str) -> None:
    case = SavedCase("nan", text=json.dumps({**BASE, "horizon_years": float("nan")}))
    sid = insert(scenario_db, case)
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params["dataset"] = "demo"
    at.switch_page(PAGE)
    at.run()
    at.session_state["sc_tab"] = "Save and download"
    at.run()
    before = (at.session_state["sc_ivs"], at.session_state["sc_horizon"])
    at.selectbox(key="sc_open_pick").set_value(sid)
    at.button(key="sc_open").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("cannot be opened" in e.value and "horizon" in e.value for e in at.error)
    assert (at.session_state["sc_ivs"], at.session_state["sc_horizon"]) == before
    assert_valid_view(at)


def test_a_broken_record_in_compare_is_left_out_with_a_note(scenario_db: str) -> None:
    case = SavedCase("cmp", text=json.dumps({**BASE, "horizon_years": float("inf")}))
    sid = insert(scenario_db, case)
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params["dataset"] = "demo"
    at.switch_page(PAGE)
    at.run()
    at.session_state["sc_tab"] = "Compare"
    at.session_state["sc_compare"] = ["current", f"saved:{sid}"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [w.value for w in at.warning if "cannot be compared" in w.value]
    assert len(notes) == 1 and escape_markdown("horizon_years") in notes[0], notes
    assert_safe(notes[0])
    assert_valid_view(at)
