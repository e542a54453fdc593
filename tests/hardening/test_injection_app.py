"""Text from data is shown as text on every page (AppTest).

The injection bundle (tests/hardening/injection.py) puts links, images, emphasis, HTML and
``:red[...]`` into a place name, a region name, indicator labels and definitions, a source
title and the bundle's title, description, attribution, licence and notes. Every element body
Streamlit renders as markdown (markdown, captions, alerts, titles and headers, metric labels,
values, deltas and help, widget labels and help, radio and segmented-control options, button,
page-link, tab and expander labels) must carry none of it unescaped; selectbox and multiselect
options and tables are plain text in the browser and are left out. The browser test
(tests/e2e/test_injection.py) checks what Chromium draws and fetches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.bundle import read_bundle
from dashboard.ui.controls import MAPS, PROFILE, VALUE
from tests.app.conftest import navigation_mode, no_exception, start  # noqa: F401 (fixture)

from .injection import unescaped, write_injection_bundle

#: Fields of an element's proto that Streamlit renders as markdown.
MARKDOWN_FIELDS = ("body", "label", "help", "delta", "title", "captions")
#: Elements whose options are markdown (a selectbox's or multiselect's are plain text).
MARKDOWN_OPTIONS = ("radio", "button_group")
#: Elements whose text fields are not markdown (tables, charts: plain text or data).
PLAIN = ("arrow_data_frame", "dataframe", "arrow_vega_lite_chart", "vega_lite_chart", "json")

PROFILE_TABS = (
    "Spine chart",
    "Spend by service",
    "Trends",
    "Statistical neighbours",
    "Table and download",
)
#: The name an injected field starts with (tests/hardening/injection.py's ``attack``).
FIELD = re.compile(r"\b(?:place-name|region-name|source-title|(?:bundle|label|definition)-\w+)")
VALUE_TABS = ("Spend and outcome", "Given need", "Efficiency frontier", "Scores and download")


@pytest.fixture(scope="module")
def injection_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_injection_bundle(tmp_path_factory.mktemp("injection") / "inject")


@pytest.fixture
def app(injection_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    """Start the app on the injection bundle (comparison group: the region, whose name is
    rewritten too), optionally on a page."""
    monkeypatch.setenv("PVE_EXTRA_BUNDLES", f"inject={injection_dir}")

    def run(page: str | None = None) -> AppTest:
        at = start({"dataset": "inject", "group": "region"}, page=page)
        no_exception(at)
        return at

    yield run


def _texts(proto, kind: str) -> Iterator[str]:
    for name in MARKDOWN_FIELDS:
        if name in proto.DESCRIPTOR.fields_by_name:
            value = getattr(proto, name)
            if isinstance(value, str):
                yield value
            elif name == "captions":
                yield from value
    if kind in MARKDOWN_OPTIONS and "options" in proto.DESCRIPTOR.fields_by_name:
        for opt in proto.options:
            yield opt if isinstance(opt, str) else getattr(opt, "content", "")
    if proto.DESCRIPTOR.name == "Block" and (which := proto.WhichOneof("type")):
        yield from _texts(getattr(proto, which), which)


def bodies(at: AppTest, where: str = "main") -> list[tuple[str, str]]:
    """(element type, text) for every markdown-rendered text under ``where`` (main or
    sidebar)."""
    out: list[tuple[str, str]] = []

    def walk(node) -> None:  # noqa: ANN001
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind in PLAIN:
            return
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            out.extend((kind, t) for t in _texts(proto, kind) if t)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(getattr(at, where))
    return out


def assert_text_only(at: AppTest, where: str = "main") -> list[tuple[str, str]]:
    """No element under ``where`` renders injected markup; returns the texts seen."""
    seen = bodies(at, where)
    bad = [(kind, text, unescaped(text)) for kind, text in seen if unescaped(text)]
    assert not bad, bad
    return seen


def shown_data(seen: list[tuple[str, str]]) -> set[str]:
    """The injected fields that reached the page (each attack starts with its field)."""
    return {m for _, text in seen for m in FIELD.findall(text.replace("\\", ""))}


def test_home(app) -> None:
    seen = assert_text_only(app())
    fields = shown_data(seen)
    assert {"place-name", "region-name", "label-spend_total_per_head"} <= fields, fields
    assert "source-title" in fields, fields


@pytest.mark.parametrize("tab", PROFILE_TABS)
def test_profile(app, tab: str) -> None:
    at = app("pages/profile.py")
    at.session_state[PROFILE.tab] = tab
    at.run()
    no_exception(at)
    fields = shown_data(assert_text_only(at))
    assert {"place-name", "region-name"} <= fields, fields


@pytest.mark.parametrize("tab", VALUE_TABS)
def test_value_for_money(app, tab: str) -> None:
    at = app("pages/value.py")
    at.session_state[VALUE.tab] = tab
    at.run()
    no_exception(at)
    fields = shown_data(assert_text_only(at))
    assert {"place-name", "label-asc_user_qol"} <= fields, fields


def test_value_for_money_across_the_group(app) -> None:
    """The scope radio's option names the place: radio options are markdown."""
    at = app("pages/value.py")
    at.session_state[VALUE.scope] = "group"
    at.run()
    no_exception(at)
    seen = assert_text_only(at)
    assert any(kind == "radio" and "place-name" in text for kind, text in seen)


@pytest.mark.parametrize("compare", [None, "period"])
def test_maps(app, compare: str | None) -> None:
    at = app("pages/maps.py")
    if compare:  # two maps: the first indicator in another period, under its label
        at.session_state[MAPS.two] = True
        at.session_state[MAPS.compare] = compare
        at.run()
        no_exception(at)
    fields = shown_data(assert_text_only(at))
    assert {"place-name", "region-name"} <= fields, fields
    if compare:
        assert "label-spend_total_per_head" in fields, fields


def test_scenarios(app) -> None:
    assert_text_only(app("pages/scenario.py"))


def test_data(app, injection_dir: Path) -> None:
    at = app("pages/data.py")
    seen = assert_text_only(at)
    fields = shown_data(seen)
    expected = {"bundle-title", "bundle-description", "bundle-attribution", "bundle-licence"}
    assert expected | {"bundle-note", "place-name", "region-name"} <= fields, fields


def test_data_page_lists_the_loader_notes(app, injection_dir: Path) -> None:
    """Bundle.warnings (here: a spend value below zero) under "Notes on this data"."""
    (note,) = read_bundle(injection_dir).warnings
    at = app("pages/data.py")
    assert "Notes on this data" in [h.value for h in at.subheader]
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert note in shown
    assert "1 note(s)" in " ".join(c.value for c in at.caption)


def test_data_page_says_when_there_are_no_loader_notes() -> None:
    at = start({"dataset": "demo"}, page="pages/data.py")
    no_exception(at)
    assert "Notes on this data" in [h.value for h in at.subheader]
    assert any("Nothing unusual" in c.value for c in at.caption)


def test_sidebar(app) -> None:
    assert_text_only(app(), "sidebar")
