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


def _counted(monkeypatch, module, name: str) -> list[int]:
    """Replace ``module.name`` by itself, counting its calls (one entry per call)."""
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _charts(at) -> list[tuple[str, str]]:
    return [(c.proto.spec, c.proto.id) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_scenarios_builds_no_new_fan(dataset: str, monkeypatch) -> None:
    at = start({"dataset": dataset}, page="pages/scenario.py")
    no_exception(at)
    place = widget(at, "Place").value
    calls = _counted(monkeypatch, scenario_ui, "fan_view")
    before = _charts(at)
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the fan of this scenario and place comes from the cache"
    assert _charts(at) == before
    assert widget(at, "Place").value == place
    assert at.get("vega_lite_chart")[0].proto.datasets, "the rows still reach the chart"


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_value_for_money_builds_no_new_view(dataset: str, monkeypatch) -> None:
    from dashboard.ui import value as value_ui

    at = start({"dataset": dataset}, page="pages/value.py")
    no_exception(at)
    calls = _counted(monkeypatch, value_ui, "value_view")
    before = _charts(at)
    words = [c.value for c in at.caption]
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the view of this place and choice comes from the cache"
    assert _charts(at) == before
    assert [c.value for c in at.caption] == words, "with the same words"


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_rerun_of_maps_builds_no_new_rows_or_words(dataset: str, monkeypatch) -> None:
    from dashboard.ui import maps as maps_ui

    at = start({"dataset": dataset}, page="pages/maps.py")
    no_exception(at)
    calls = _counted(monkeypatch, maps_ui, "describe_map")
    before = _charts(at)
    at.run()  # nothing changed
    no_exception(at)
    assert calls == [], "the map's rows and words come from the cache"
    assert _charts(at) == before


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
