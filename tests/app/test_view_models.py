"""The pages' view models (dashboard.ui) and the helpers they stand on, without a browser."""

from __future__ import annotations

from dataclasses import asdict, replace
from types import SimpleNamespace

import pytest

from dashboard import DATA_DIR
from dashboard.analysis.peers import peer_spec
from dashboard.analysis.vfm import top_share_text, vfm_settings
from dashboard.bundle import read_bundle
from dashboard.bundle.model import UnknownPlaceError
from dashboard.ui import controls
from dashboard.ui.home import CARDS_PER_ROW, home_view
from dashboard.ui.profile import neighbours
from dashboard.ui.state import Context
from dashboard.view import QUERY_KEYS, default_view, group_codes, group_label


@pytest.fixture(scope="module")
def demo():
    return read_bundle(DATA_DIR / "demo")


def _context(bundle, **changes) -> Context:
    view = replace(default_view("demo", bundle), **changes)
    return Context(view, bundle, group_codes(bundle, view), group_label(bundle, view))


def test_place_returns_one_row_and_names_an_unknown_code(demo) -> None:
    code = demo.default_place("upper")
    row = demo.place(code)
    assert row["code"] == code and row["name"] == demo.place_name(code)
    assert {"kind", "region_name"} <= set(row)
    row["name"] = "changed"  # a copy: the bundle is untouched
    assert demo.place(code)["name"] == demo.place_name(code)
    with pytest.raises(KeyError) as err:
        demo.place("NOPE123")
    assert isinstance(err.value, UnknownPlaceError) and "NOPE123" in str(err.value)


def test_every_widget_key_is_declared_once() -> None:
    assert tuple(controls.SIDEBAR.view_keys()) == QUERY_KEYS
    fixed = [
        v
        for obj in (
            controls.SIDEBAR,
            controls.HOME,
            controls.PROFILE,
            controls.VALUE,
            controls.MAPS,
            controls.DATA,
        )
        for v in asdict(obj).values()
    ]
    assert len(fixed) == len(set(fixed))
    assert controls.VALUE.needs("upper", "asc") == "vfm_needs_upper_asc"
    assert controls.MAPS.chart("A", 3) == "map_chart_A_3"


def test_home_view_is_ready_text(demo) -> None:
    ctx = _context(demo)
    home = home_view(ctx)
    assert home.codes[home.index] == ctx.view.place
    assert home.labels[ctx.view.place] == f"{home.name} ({ctx.view.place})"
    assert home.rows and all(0 < len(r) <= CARDS_PER_ROW for r in home.rows)
    for card in (c for r in home.rows for c in r):
        assert isinstance(card.value, str) and "Source:" in card.help


def test_neighbours_prose_states_the_catalogue_number_of_peers(demo) -> None:
    nb = neighbours(_context(demo))
    assert nb is not None
    n = peer_spec("upper").n_peers
    assert f"the {n} nearest are the peers" in nb.variables_intro
    assert len(nb.why) == n + 1  # the place and its peers


def test_best_share_is_formatted_from_the_setting() -> None:
    s = vfm_settings()
    assert top_share_text(s) == f"{round(100 * (1 - s.top_quartile.value), 1):g}%"
    for q, text in ((0.9, "10%"), (0.5, "50%"), (0.875, "12.5%")):
        assert top_share_text(SimpleNamespace(top_quartile=SimpleNamespace(value=q))) == text
