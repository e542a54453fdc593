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
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import PROJECT_ROOT
from dashboard.analysis.classify import map_settings
from dashboard.analysis.map_values import map_values
from dashboard.bundle import Bundle, read_bundle
from dashboard.charts.maps import map_for_export, outline_key
from dashboard.charts.vfm import PICK
from dashboard.export.geometry import central_meridian, web_geometry
from dashboard.export.images import to_svg
from dashboard.formatting import escape_markdown
from dashboard.ui import data_view as data_vm
from dashboard.ui import profile as profile_vm
from dashboard.ui import value as value_vm
from dashboard.ui.controls import MAPS, PROFILE, VALUE
from dashboard.ui.state import Context
from dashboard.view import default_view, group_codes, group_label
from tests.app.conftest import navigation_mode, no_exception, start  # noqa: F401 (fixture)

from .injection import HOST, INDICATORS, PLACE, attack, unescaped, write_injection_bundle

#: The dataset name the injection bundle is offered under.
DATASET = "inject"

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
def injection_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield write_injection_bundle(tmp_path_factory.mktemp("injection") / DATASET)
    # the Maps page published the bundle's geometry for the browser: take it away again
    shutil.rmtree(PROJECT_ROOT / "static" / "geo" / DATASET, ignore_errors=True)


@pytest.fixture
def app(injection_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    """Start the app on the injection bundle (comparison group: the region, whose name is
    rewritten too), optionally on a page."""
    monkeypatch.setenv("PVE_EXTRA_BUNDLES", f"{DATASET}={injection_dir}")

    def run(page: str | None = None) -> AppTest:
        at = start({"dataset": DATASET, "group": "region"}, page=page)
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


# --- exports and view models outside a page run -------------------------------------------------
def _context(bundle: Bundle, **changes: str) -> Context:
    view = replace(default_view(DATASET, bundle), group="region", **changes)
    return Context(view, bundle, group_codes(bundle, view), group_label(bundle, view))


def test_map_export_draws_data_text_as_text(injection_dir: Path) -> None:
    """The SVG export's title (the indicator's label) and key (the place's name) are text."""
    bundle = read_bundle(injection_dir)
    settings = map_settings()
    mv = map_values(
        bundle,
        "upper",
        INDICATORS[0],
        bundle.periods[-1],
        method=settings.default_method,
        k=settings.classes,
        mode="values",
        place=PLACE,
        group=[],
    )
    geom = web_geometry(bundle, "upper")
    chart = map_for_export(
        mv,
        geom["shapes"],
        geom["shape_regions"],
        hexes=False,
        centre_lon=central_meridian(geom["shapes"]),
        width=settings.export_width,
        height=settings.map_height,
        attribution=bundle.attribution,
        key_text=outline_key(bundle.place_name(PLACE), "its region"),
    )
    svg = to_svg(chart).decode("utf-8")
    assert "<img" not in svg
    assert "<a " not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert f"[click](http://{HOST}/label-{INDICATORS[0]})" in svg  # as typed, no backslash
    assert "\\" not in svg


def test_csv_downloads_keep_the_data_text_as_typed(injection_dir: Path) -> None:
    """Escaping is for markdown only: a download carries the name exactly as in the data."""
    bundle = read_bundle(injection_dir)
    ctx = _context(bundle)
    csv = profile_vm.download(ctx, profile_vm.summary(ctx)).data.decode("utf-8")
    assert attack("place-name") in csv and "\\" not in csv
    tidy = data_vm.download(ctx).data().decode("utf-8")
    assert attack("place-name") in tidy and "\\" not in tidy


def test_value_pick_button_names_the_place_escaped(injection_dir: Path) -> None:
    """Clicking the injected place's bubble offers "Make <name> the selected place": a button
    label is markdown, so the name comes escaped."""
    bundle = read_bundle(injection_dir)
    other = next(c for c in bundle.place_codes("upper") if c != PLACE)
    ctx = _context(bundle, place=other)
    s = value_vm.setup(ctx)
    service = s.opts.services[0]
    outcome = s.opts.outcomes[service][0]
    choice = value_vm.Choice(
        service,
        s.opts.spend[service][0],
        outcome,
        tuple(value_vm.default_needs(s, service)),
        (outcome,),
        "level",
    )
    vv = value_vm.value_view(ctx, s, choice)
    sel = value_vm.selection(ctx, vv, {PICK: [{"place_code": PLACE}]})
    assert sel.pick == (PLACE, escape_markdown(attack("place-name")))
    assert not unescaped(sel.pick[1])
