"""Every refusal of the catalogue loader names the file, the key path and the reason."""

from __future__ import annotations

import copy
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml

from dashboard.analysis.peers import peer_spec
from dashboard.analysis.vfm import vfm_settings
from dashboard.catalogue import (
    CatalogueError,
    Param,
    lookup,
    param,
    param_list,
    read_catalogue_yaml,
    section,
)
from dashboard.catalogue.reader import MAX_NODES
from dashboard.scenario import ScenarioError
from dashboard.scenario.catalogue import CatalogueScenarioError, build_catalogue

SETTINGS = """\
settings:
  top_quartile:
    value: 0.75
    unit: quantile (0-1)
    range: [0.5, 0.95]
    source: "Project choice"
  draws:
    value: [5, 50, 95]
    unit: percentile
    range: [0, 100]
    source: "Project choice"
"""


def write(tmp_path: Path, text: str, name: str = "vfm.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(exc: CatalogueError, file: str, key: str | None, reason: str) -> None:
    """The error names ``file``, ``key`` and a reason containing ``reason``, in its message."""
    assert exc.file == file and exc.key == key, (exc.file, exc.key)
    assert reason in exc.reason, exc.reason
    assert str(exc).startswith(f"{file}: {key}: " if key else f"{file}: "), str(exc)
    assert exc.reason in str(exc)


def test_a_good_file_loads_frozen_and_cached(tmp_path: Path) -> None:
    path = write(tmp_path, SETTINGS)
    doc = read_catalogue_yaml(path)
    assert read_catalogue_yaml(path) is doc
    assert isinstance(doc, MappingProxyType)
    with pytest.raises(TypeError):
        doc["settings"]["top_quartile"]["value"] = 0.9  # type: ignore[index]
    assert isinstance(doc["settings"]["draws"]["value"], tuple)
    p = param(path, "settings.top_quartile")
    assert (p.file, p.key, p.value, p.min, p.max, p.unit) == (
        "vfm.yaml",
        "settings.top_quartile",
        0.75,
        0.5,
        0.95,
        "quantile (0-1)",
    )
    assert p.low == p.high == p.central
    with pytest.raises(AttributeError):
        p.central = 1.0  # type: ignore[misc]
    assert [q.value for q in param_list(path, "settings.draws")] == [5.0, 50.0, 95.0]


def test_missing_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, SETTINGS.replace("    unit: quantile (0-1)\n", ""))
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "vfm.yaml", "settings.top_quartile.unit", "missing key 'unit'")
    with pytest.raises(CatalogueError) as err:
        param(write(tmp_path, SETTINGS, "b.yaml"), "settings.min_places")
    refused(err.value, "b.yaml", "settings.min_places", "missing key 'min_places'")


def test_missing_setting_is_refused_by_its_loader(tmp_path: Path) -> None:
    doc = yaml.safe_load(Path(vfm_file()).read_text(encoding="utf-8"))
    del doc["settings"]["dea_max_outcomes"]
    path = write(tmp_path, yaml.safe_dump(doc))
    with pytest.raises(CatalogueError) as err:
        vfm_settings(path)
    refused(err.value, "vfm.yaml", "settings.dea_max_outcomes", "missing key")


def test_value_outside_its_range_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, SETTINGS.replace("value: 0.75", "value: 0.99"))
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "vfm.yaml", "settings.top_quartile.value", "outside its range [0.5, 0.95]")
    assert "0.99" in str(err.value)


def test_uncertain_bounds_out_of_order_are_refused(tmp_path: Path) -> None:
    text = (
        "x:\n  p: {low: 3, central: 2, high: 4, unit: share, range: [0, 5], grade: A, source: s}\n"
    )
    with pytest.raises(CatalogueError) as err:
        param(write(tmp_path, text, "s.yaml"), "x.p")
    refused(err.value, "s.yaml", "x.p", "needs min <= low <= central <= high <= max")


def test_text_where_a_number_belongs_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, SETTINGS.replace("value: 0.75", "value: high"))
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "vfm.yaml", "settings.top_quartile.value", "must be a number, got 'high'")
    path = write(tmp_path, SETTINGS.replace("range: [0.5, 0.95]", "range: [low, 0.95]"), "r.yaml")
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "r.yaml", "settings.top_quartile.range.0", "must be a number")
    path = write(tmp_path, SETTINGS.replace("value: 0.75", "value: true"), "t.yaml")
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "t.yaml", "settings.top_quartile.value", "must be a number, got True")


def test_a_list_where_a_mapping_belongs_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "settings:\n  top_quartile: [0.75, 0.5]\n")
    with pytest.raises(CatalogueError) as err:
        param(path, "settings.top_quartile")
    refused(err.value, "vfm.yaml", "settings.top_quartile", "must be a mapping")
    assert "got a list" in str(err.value)
    path = write(tmp_path, "settings: [1, 2]\n", "l.yaml")
    with pytest.raises(CatalogueError) as err:
        section(path, "settings")
    refused(err.value, "l.yaml", "settings", "must be a mapping, got a list")
    with pytest.raises(CatalogueError) as err:
        lookup(path, "settings.top_quartile")
    refused(err.value, "l.yaml", "settings", "must be a mapping, got a list")
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, "- 1\n- 2\n", "top.yaml"))
    refused(err.value, "top.yaml", None, "must be a mapping at the top, not a list")


@pytest.mark.timeout(60)  # expanded, the bomb would run far longer and exhaust memory
def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n", "bomb.yaml")  # 9**9 strings if expanded
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(path)
    refused(err.value, "bomb.yaml", err.value.key, f"more than {MAX_NODES} nodes")
    assert err.value.key.split(".")[0] in "abcdefghi" and "alias bomb" in str(err.value)


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, "a:\n  b: &x [1, *x]\n", "loop.yaml"))
    refused(err.value, "loop.yaml", "a.b.1", "refers to itself")


def test_small_aliases_still_work(tmp_path: Path) -> None:
    text = 'src: &s "Project choice"\nx: {value: 1, unit: u, range: [0, 2], source: *s}\n'
    assert param(write(tmp_path, text, "ok.yaml"), "x").source == "Project choice"


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    text = SETTINGS.replace('    source: "Project choice"\n', "    source: a\n    source: b\n", 1)
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, text, "dup.yaml"))
    refused(err.value, "dup.yaml", "settings.top_quartile.source", "duplicate key")


def test_broken_yaml_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, "settings: {a: [1, 2}\n", "bad.yaml"))
    refused(err.value, "bad.yaml", None, "is not valid YAML")
    assert "line 1" in str(err.value)
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(tmp_path / "none.yaml")
    refused(err.value, "none.yaml", None, "cannot be read")
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, "", "empty.yaml"))
    refused(err.value, "empty.yaml", None, "must be a mapping at the top, not empty")


def test_python_tags_are_refused(tmp_path: Path) -> None:
    text = "x: !!python/object/apply:os.system ['true']\n"
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, text, "tag.yaml"))
    refused(err.value, "tag.yaml", None, "is not valid YAML")


def test_source_may_carry_a_link_and_a_date(tmp_path: Path) -> None:
    text = (
        "x: {value: 1, unit: u, range: [0, 2], as_of: 2023-24, note: why,\n"
        "    source: {title: The Green Book, link: 'https://www.gov.uk/green-book'}}\n"
    )
    p = param(write(tmp_path, text, "src.yaml"), "x")
    assert (p.source, p.link, p.as_of, p.note) == (
        "The Green Book",
        "https://www.gov.uk/green-book",
        "2023-24",
        "why",
    )
    with pytest.raises(CatalogueError) as err:
        param(write(tmp_path, text.replace("title: The Green Book, ", ""), "s2.yaml"), "x")
    refused(err.value, "s2.yaml", "x.source.title", "missing key 'title'")
    dated = text.replace("as_of: 2023-24", "as_of: 2024-03-31")
    assert param(write(tmp_path, dated, "d.yaml"), "x").as_of == "2024-03-31"


def test_peer_weight_out_of_range_names_the_variable(tmp_path: Path) -> None:
    doc = yaml.safe_load(Path(vfm_file("peers.yaml")).read_text(encoding="utf-8"))
    doc["levels"]["upper"][0]["weight"] = 99
    with pytest.raises(CatalogueError) as err:
        peer_spec("upper", write(tmp_path, yaml.safe_dump(doc), "peers.yaml"))
    refused(err.value, "peers.yaml", "levels.upper.population.weight", "outside its range")
    doc["levels"]["upper"][0]["transform"] = "sqrt"
    doc["levels"]["upper"][0]["weight"] = 1
    with pytest.raises(CatalogueError) as err:
        peer_spec("upper", write(tmp_path, yaml.safe_dump(doc), "p2.yaml"))
    refused(err.value, "peers.yaml", "levels.upper.population.transform", "is not one of")


def test_scenario_refusals_are_catalogue_and_scenario_errors() -> None:
    scen = yaml.safe_load(Path(vfm_file("scenario.yaml")).read_text(encoding="utf-8"))
    ints = yaml.safe_load(Path(vfm_file("interventions.yaml")).read_text(encoding="utf-8"))
    bad = copy.deepcopy(ints)
    bad["interventions"][0]["engagement"]["central"] = "most"
    with pytest.raises(CatalogueScenarioError) as err:
        build_catalogue(scen, bad)
    assert isinstance(err.value, ScenarioError) and isinstance(err.value, CatalogueError)
    assert err.value.parameter == "interventions.reablement.engagement"
    refused(
        err.value, "interventions.yaml", "interventions.reablement.engagement.central", "number"
    )
    bad = copy.deepcopy(ints)
    bad["interventions"][0]["outcomes"][0]["denominator"]["share"]["high"] = 2.0
    with pytest.raises(CatalogueScenarioError) as err:
        build_catalogue(scen, bad)
    path = "interventions.reablement.outcomes.asc_short_term_outcome_pct"
    assert err.value.parameter == f"{path}.denominator_share"
    refused(err.value, "interventions.yaml", f"{path}.denominator.share", "needs min <= low")
    bad = copy.deepcopy(scen)
    bad["monte_carlo"]["default_draws"]["value"] = 0
    with pytest.raises(CatalogueScenarioError) as err:
        build_catalogue(bad, ints)
    refused(err.value, "scenario.yaml", "monte_carlo.default_draws.value", "outside its range")
    bad = copy.deepcopy(scen)
    bad["services"]["adult_social_care"] = ["not", "a", "mapping"]
    with pytest.raises(CatalogueScenarioError) as err:
        build_catalogue(bad, ints)
    refused(err.value, "scenario.yaml", "services.adult_social_care", "must be a mapping")
    bad = copy.deepcopy(scen)
    del bad["limits"]["draws"]["max"]
    with pytest.raises(CatalogueScenarioError) as err:
        build_catalogue(bad, ints)
    refused(err.value, "scenario.yaml", "limits.draws.max", "missing key 'max'")


def test_a_broken_scenario_file_is_refused_naming_it(tmp_path: Path) -> None:
    from dashboard.scenario.catalogue import load_catalogue

    write(tmp_path, "grades: [A\n", "scenario.yaml")
    write(tmp_path, "interventions: []\n", "interventions.yaml")
    with pytest.raises(ScenarioError) as err:
        load_catalogue(tmp_path)
    assert isinstance(err.value, CatalogueError)
    refused(err.value, "scenario.yaml", None, "is not valid YAML")


def test_param_is_the_one_parameter_type() -> None:
    from dashboard.analysis.methods import benchmark_settings
    from dashboard.scenario.catalogue import Param as ScenarioParam

    assert issubclass(ScenarioParam, Param)
    assert isinstance(benchmark_settings().mad_threshold, Param)
    assert isinstance(vfm_settings().top_quartile, Param)


def vfm_file(name: str = "vfm.yaml") -> Path:
    from dashboard.catalogue import catalogue_path

    return catalogue_path(name)


def test_a_document_nested_very_deep_is_refused_without_building_it(tmp_path: Path) -> None:
    # libyaml's composer recurses in C: built, this would crash the process, not raise
    text = "settings: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(CatalogueError) as err:
        read_catalogue_yaml(write(tmp_path, text, "deep.yaml"))
    assert err.value.file == "deep.yaml" and "levels deep" in err.value.reason
    assert err.value.key.startswith("settings.0")
