"""The Your data page in AppTest: an upload checked in full (every problem as a table, nothing
changed), a clean layer stored, opened on every page and private to its link, and deleted."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layers import read as layer_read
from dashboard.store import database_url
from dashboard.ui.controls import LAYERS, SIDEBAR
from tests.layers.conftest import csv_bytes, xlsx_bytes
from tests.layers.test_check import EVERY_ERROR_AT, _definition, _definitions, every_error_rows

from .conftest import no_exception, start

PAGE = "pages/layers.py"
UPPER = "X06000024"


@pytest.fixture(autouse=True)
def layer_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test stores its layers in its own SQLite file."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PVE_DB_PATH", str(tmp_path / "layers.sqlite"))
    return database_url()


def _open(query: dict[str, str] | None = None) -> AppTest:
    at = start({"dataset": "demo", **(query or {})}, page=PAGE)
    no_exception(at)
    return at


def _upload(at: AppTest, name: str, content: bytes, title: str = "") -> AppTest:
    if title:
        at.text_input(key=LAYERS.title).input(title)
    at.file_uploader(key=LAYERS.file).set_value((name, content, "application/octet-stream"))
    at.run()
    at.button(key=LAYERS.check).click()
    at.run()
    no_exception(at)
    return at


def _good_layer() -> bytes:
    values = [
        ["place_code", "indicator_id", "period", "value"],
        [UPPER, "nhs_community_per_head", "2024-25", 210.0],
        [UPPER, "ks2_expected_pct", "2025", 71.5],
    ]
    return xlsx_bytes(
        {"values": values, "definitions": _definitions(_definition("nhs_community_per_head"))}
    )


def _options(at: AppTest) -> list[str]:
    """The sidebar's dataset choices, as shown (labels)."""
    return list(at.selectbox(key=SIDEBAR.dataset).options)


def test_a_bad_upload_lists_every_problem_and_changes_nothing() -> None:
    at = _open()
    before = _options(at)
    bad = csv_bytes(
        [
            ["place_code", "indicator_id", "period", "value"],
            [UPPER, "ks2_expected_pct", "2025", "abc"],
            ["NOPE", "ks2_expected_pct", "2025", "60"],
            [UPPER, "ks2_expected_pct", "25/26", "x"],
        ]
    )
    at = _upload(at, "bad.csv", bad)
    assert "3 problem(s) in bad.csv" in at.error[0].value
    assert "nothing was loaded" in at.error[0].value
    table = at.dataframe[0].value
    assert list(zip(table["row"], table["column"], strict=True)) == [
        (2, "value"),
        (3, "place_code"),
        (4, "period"),
    ]
    assert _options(at) == before
    assert at.selectbox(key=SIDEBAR.dataset).value == "demo"


def test_every_error_class_is_in_the_table_with_its_row_and_column() -> None:
    from dashboard.bundle import read_bundle
    from dashboard.ui.data import server_datasets

    demo = read_bundle(server_datasets()["demo"])
    at = _upload(_open(), "partners.csv", csv_bytes(every_error_rows(demo)))
    table = at.dataframe[0].value
    got = {("", int(r), c) for r, c in zip(table["row"], table["column"], strict=True)}
    assert got == EVERY_ERROR_AT
    assert set(table["sheet"]) == {"(CSV)"}
    assert f"{len(EVERY_ERROR_AT)} problem(s) in partners.csv" in at.error[0].value


def test_an_upload_over_the_size_limit_is_refused_with_a_message(monkeypatch) -> None:
    real = layer_read._limit
    monkeypatch.setattr(layer_read, "_limit", lambda k: 500 if k == "max_bytes" else real(k))
    at = _upload(_open(), "big.xlsx", _good_layer())
    assert "MB a layer may be" in at.dataframe[0].value["problem"].iloc[0]
    assert "nothing was loaded" in at.error[0].value


def test_a_clean_layer_is_stored_opened_and_private_to_its_link() -> None:
    at = _upload(_open(), "partners.xlsx", _good_layer(), title="Liddenden partners")
    assert "no problems" in at.success[0].value
    link = at.code[0].value
    assert link.startswith("?dataset=layer-")
    dataset = link.split("=", 1)[1]
    label = "Demo (fictional places) + Liddenden partners"
    at.run()
    assert label in _options(at)  # this session holds it
    # open it on every page
    next(b for b in at.button if b.label == "Show this layer on every page").click()
    at.run()
    no_exception(at)
    assert at.selectbox(key=SIDEBAR.dataset).value == dataset
    # a new session without the link does not see it; with the link it does
    other = _open()
    assert label not in _options(other)
    shared = _open({"dataset": dataset})
    assert shared.selectbox(key=SIDEBAR.dataset).value == dataset
    assert not shared.error


def test_a_deleted_layer_no_longer_opens_by_its_link() -> None:
    at = _upload(_open(), "partners.xlsx", _good_layer(), title="To delete")
    dataset = at.code[0].value.split("=", 1)[1]
    next(b for b in at.button if b.label == "Delete this layer").click()
    at.run()
    no_exception(at)
    assert not any("To delete" in o for o in _options(at))
    gone = start({"dataset": dataset})  # the note shows on the first run
    assert gone.selectbox(key=SIDEBAR.dataset).value in ("england", "demo")  # the default
    assert any("cannot be opened" in e.value for e in gone.error)


WIGAN = "E08000010"


def _england_partners(codes: list[str]) -> bytes:
    values = [["place_code", "indicator_id", "period", "value"]]
    for i, code in enumerate(codes):
        values.append([code, "nhs_community_per_head", "2024-25", 250 + 7 * i])
        values.append([code, "police_neighbourhood_per_head", "2024-25", 60 + 3 * i])
    definitions = _definitions(
        _definition("nhs_community_per_head", source_publisher="NHS Greater Manchester ICB"),
        _definition(
            "police_neighbourhood_per_head",
            label="Neighbourhood policing spend per head",
            agency="police",
            service="other",
            source_publisher="Greater Manchester Police",
        ),
    )
    return xlsx_bytes({"values": values, "definitions": definitions})


def test_england_with_an_uploaded_partners_layer_shows_them_on_public_spend_here() -> None:
    from tests.app.conftest import england_built

    if not england_built():
        pytest.skip("England bundle not built (python -m dashboard build-england)")
    at = start({"dataset": "england", "level": "upper", "place": WIGAN}, page=PAGE)
    no_exception(at)
    from dashboard.bundle import read_bundle
    from dashboard.ui.data import server_datasets
    from dashboard.view import View, context_for, default_group

    england = read_bundle(server_datasets()["england"])
    group = context_for(
        england, View("england", "upper", WIGAN, default_group(england, "upper"), "2024-25")
    ).group
    at = _upload(
        at, "wigan_partners.xlsx", _england_partners([WIGAN, *group[:9]]), "Wigan partners"
    )
    assert "no problems" in at.success[0].value, [e.value for e in at.error]
    dataset = at.code[0].value.split("=", 1)[1]
    spend = start(
        {"dataset": dataset, "level": "upper", "place": WIGAN}, page="pages/collective.py"
    )
    no_exception(spend)
    table = next(d.value for d in spend.dataframe if "Spend line" in d.value.columns)
    assert {"Council", "NHS", "Police"} <= set(table["Agency"])
    nhs = table[table["Agency"] == "NHS"].iloc[0]
    assert nhs["£ per head"] == pytest.approx(250)
    assert not any("Add a data layer" in i.value for i in spend.info)
    # the Profile shows the layer's indicators as local data, the official figures unchanged
    profile = start({"dataset": dataset, "level": "upper", "place": WIGAN}, page="pages/profile.py")
    no_exception(profile)
    text = "\n".join(m.value for m in profile.markdown)
    assert "**Local data** from Wigan partners" in text


def test_a_layer_title_and_file_name_are_shown_as_text_not_markdown() -> None:
    title = "**Bold** [link](http://example.org) <b>x</b>"
    at = _upload(_open(), "*star*.xlsx", _good_layer(), title=title)
    message = at.success[0].value
    assert "\\*\\*Bold\\*\\*" in message and "\\[link\\]" in message
    assert "\\*star\\*.xlsx" in message
