"""What a script run does not redo: work that is the same on every run is done once per
process (the layer template, the allocator's settings) or once per scenario and place (the
outcome fan), so a rerun costs only what changed (issue 17, docs/serving.md)."""

from __future__ import annotations

import pytest

from dashboard import allocator
from dashboard.bundle.limits import input_limit
from dashboard.ui import layers as layers_ui
from dashboard.ui import scenario as scenario_ui

from .conftest import DATASETS, no_exception, start, widget


class _Libc:
    """Stands in for glibc: records each mallopt call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


def test_the_app_sets_the_allocator_once_per_process_from_limits_yaml(monkeypatch) -> None:
    libc = _Libc()
    monkeypatch.setattr(allocator, "_libc", lambda: libc)
    monkeypatch.setattr(allocator, "_done", {})
    at = start({"dataset": "demo"})
    no_exception(at)
    at.run()  # a second run of the same process
    assert libc.calls == [
        (allocator.M_ARENA_MAX, input_limit("serving", "malloc_arenas")),
        (allocator.M_MMAP_THRESHOLD, input_limit("serving", "malloc_mmap_threshold")),
    ]
    assert allocator.tune() is True


def test_without_glibc_the_allocator_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(allocator, "_libc", lambda: None)
    monkeypatch.setattr(allocator, "_done", {})
    assert allocator.tune() is False


def test_the_template_is_not_built_by_a_run_of_your_data(monkeypatch) -> None:
    built: list[str] = []
    layers_ui.template.cache_clear()
    monkeypatch.setattr(layers_ui, "template_bytes", lambda fmt: built.append(fmt) or b"x")
    at = start({"dataset": "demo"}, page="pages/layers.py")
    no_exception(at)
    at.run()
    labels = [str(b.proto.label) for b in at.get("download_button")]
    assert len(labels) == len(layers_ui.TEMPLATES), "one download per template format"
    assert built == [], "the template is built when its download is clicked, not on a run"
    assert layers_ui.template("csv") == b"x" and layers_ui.template("csv") == b"x"
    assert built == ["csv"], "and then once per process"
    layers_ui.template.cache_clear()


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_scenarios_builds_no_new_fan(dataset: str, monkeypatch) -> None:
    at = start({"dataset": dataset}, page="pages/scenario.py")
    no_exception(at)
    place = widget(at, "Place").value
    calls: list[str] = []
    real = scenario_ui.fan_view
    monkeypatch.setattr(
        scenario_ui, "fan_view", lambda traj, i, *a: calls.append(i) or real(traj, i, *a)
    )
    before = [c.proto.spec for c in at.get("vega_lite_chart")]
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the fan of this scenario and place comes from the cache"
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == before
    assert widget(at, "Place").value == place
    assert at.get("vega_lite_chart")[0].proto.datasets, "the rows still reach the chart"


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_value_for_money_builds_no_new_view(dataset: str, monkeypatch) -> None:
    from dashboard.ui import value as value_ui

    at = start({"dataset": dataset}, page="pages/value.py")
    no_exception(at)
    calls: list[str] = []
    real = value_ui.value_view
    monkeypatch.setattr(
        value_ui, "value_view", lambda ctx, s, c: calls.append(c.outcome_id) or real(ctx, s, c)
    )
    before = [c.proto.spec for c in at.get("vega_lite_chart")]
    words = [c.value for c in at.caption]
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the view of this place and choice comes from the cache"
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == before
    assert [c.value for c in at.caption] == words, "with the same words"


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_maps_builds_no_new_rows_or_words(dataset: str, monkeypatch) -> None:
    from dashboard.ui import maps as maps_ui

    at = start({"dataset": dataset}, page="pages/maps.py")
    no_exception(at)
    calls: list[str] = []
    real = maps_ui.describe_map
    monkeypatch.setattr(
        maps_ui, "describe_map", lambda mv, name: calls.append(name) or real(mv, name)
    )
    before = [(c.proto.spec, c.proto.id) for c in at.get("vega_lite_chart")]
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the map's rows and words come from the cache"
    assert [(c.proto.spec, c.proto.id) for c in at.get("vega_lite_chart")] == before


def test_the_no_outcome_note_names_the_catalogue_interventions_that_move_an_outcome() -> None:
    from dashboard.formatting import escape_markdown
    from dashboard.ui import scenario_views

    cat = scenario_ui.catalogue()
    text = scenario_views.no_outcome_text()
    moving = [iv for iv in cat.interventions if iv.outcomes]
    assert moving, "the catalogue has interventions with outcome effects"
    for iv in cat.interventions:
        named = escape_markdown(iv.label) in text
        assert named == bool(iv.outcomes), iv.id
