"""The official comparator sets of the bundle contract (bundle.yaml neighbour_sets and
neighbours.csv): written and read back, and every broken list refused naming the file, the row
and the column."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard.bundle import BundleError, read_bundle, write_bundle
from tests.bundle.conftest import make_bundle

SET = {
    "id": "pub_2025",
    "label": "Publisher's neighbours (2, 2025)",
    "name": "Publisher's neighbours",
    "publisher": "A publisher",
    "published": "2025-10-01",
    "published_label": "October 2025",
    "url": "https://example.invalid/neighbours",
    "licence": "OGL",
    "levels": ["upper", "lower"],
    "size": 2,
    "note": "test set",
}
ROWS = [
    ("pub_2025", "upper", "C1", "U1", 1),
    ("pub_2025", "upper", "C1", "M1", 2),
    ("pub_2025", "upper", "U1", "M1", 1),
    ("pub_2025", "lower", "U1", "D1", 1),
    ("pub_2025", "lower", "U1", "D2", 2),
]


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["set_id", "level", "place_code", "neighbour_code", "rank"])


def _with(rows: list[tuple], sets: list[dict] | None = None):
    b = make_bundle()
    return replace(
        b,
        meta={**b.meta, "neighbour_sets": [SET] if sets is None else sets},
        neighbours=_frame(rows),
    )


def _write(tmp_path: Path, rows: list[tuple], sets: list[dict] | None = None) -> Path:
    root = write_bundle(_with(ROWS), tmp_path / "b")
    _frame(rows).to_csv(root / "neighbours.csv", index=False)
    if sets is not None:
        text = (root / "bundle.yaml").read_text(encoding="utf-8")
        meta = yaml.safe_load(text)
        meta["neighbour_sets"] = sets
        (root / "bundle.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return root


def test_sets_round_trip_and_answer_per_level(tmp_path: Path) -> None:
    b = read_bundle(write_bundle(_with(ROWS), tmp_path / "b"))
    assert [s["id"] for s in b.neighbour_sets] == ["pub_2025"]
    assert b.neighbour_set("pub_2025")["size"] == 2 and b.neighbour_set("nope") is None
    # a unitary has one list per tier
    assert b.official_neighbours("pub_2025", "upper", "U1") == ["M1"]
    assert b.official_neighbours("pub_2025", "lower", "U1") == ["D1", "D2"]
    assert b.official_neighbours("pub_2025", "upper", "C1") == ["U1", "M1"]
    assert b.official_neighbours("pub_2025", "upper", "M1") == []
    assert sorted(b.official_places("pub_2025", "upper")) == ["C1", "U1"]
    assert [s["id"] for s in b.neighbour_sets_at("lower")] == ["pub_2025"]


def test_a_bundle_without_sets_has_none(tiny_dir: Path) -> None:
    b = read_bundle(tiny_dir)
    assert b.neighbour_sets == [] and b.neighbours is None
    assert b.official_neighbours("pub_2025", "upper", "C1") == []


def test_writing_without_sets_removes_an_old_list(tmp_path: Path) -> None:
    root = write_bundle(_with(ROWS), tmp_path / "b")
    assert (root / "neighbours.csv").exists()
    write_bundle(make_bundle(), root)
    assert not (root / "neighbours.csv").exists()
    assert read_bundle(root).neighbour_sets == []


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        (
            [*ROWS, ("pub_2025", "upper", "XX", "U1", 1)],
            7,
            "place_code",
            "'XX' is not in places.csv",
        ),
        (
            [*ROWS, ("pub_2025", "upper", "M1", "D1", 1)],
            7,
            "neighbour_code",
            "'D1' is not compared at the upper tier",
        ),
        (
            [*ROWS, ("pub_2025", "upper", "M1", "M1", 1)],
            7,
            "neighbour_code",
            "'M1' is listed as its own neighbour",
        ),
        (
            [*ROWS, ("pub_2025", "upper", "U1", "C1", 1)],
            7,
            "rank",
            "rank '1' appears twice for place 'U1'",
        ),
        (
            [*ROWS, ("pub_2025", "upper", "U1", "M1", 2)],
            7,
            "neighbour_code",
            "neighbour 'M1' appears twice",
        ),
        ([*ROWS, ("pub_2025", "upper", "M1", "C1", 3)], 7, "rank", "not a rank from 1 to 2"),
        ([*ROWS, ("pub_2025", "upper", "M1", "C1", "first")], 7, "rank", "'first' is not a rank"),
        (
            [*ROWS, ("other", "upper", "M1", "C1", 1)],
            7,
            "set_id",
            "set 'other' is not in bundle.yaml",
        ),
    ],
)
def test_a_broken_list_is_refused_naming_row_and_column(
    tmp_path: Path, rows: list[tuple], row: int, column: str, message: str
) -> None:
    root = _write(tmp_path, rows)
    with pytest.raises(BundleError) as err:
        read_bundle(root)
    e = err.value
    assert (e.file, e.row, e.column) == ("neighbours.csv", row, column), str(e)
    assert message in str(e)


def test_a_set_off_its_levels_and_a_bad_description_are_refused(tmp_path: Path) -> None:
    upper_only = {**SET, "levels": ["upper"]}
    with pytest.raises(BundleError, match="level 'lower' is not a level of set 'pub_2025'"):
        read_bundle(_write(tmp_path / "a", ROWS, [upper_only]))
    for bad, where in [
        ({**SET, "size": "two"}, "neighbour_sets.0.size"),
        ({**SET, "id": "peers"}, "neighbour_sets.0.id"),
        ({**SET, "levels": ["middle"]}, "neighbour_sets.0.levels"),
        ({k: v for k, v in SET.items() if k != "publisher"}, "neighbour_sets.0.publisher"),
    ]:
        with pytest.raises(BundleError) as err:
            read_bundle(_write(tmp_path / where, ROWS, [bad]))
        assert err.value.file == "bundle.yaml" and err.value.column == where
    with pytest.raises(BundleError, match="listed twice"):
        read_bundle(_write(tmp_path / "dup", ROWS, [SET, SET]))


def test_sets_and_list_come_together(tmp_path: Path) -> None:
    root = write_bundle(_with(ROWS), tmp_path / "b")
    (root / "neighbours.csv").unlink()
    with pytest.raises(BundleError, match="neighbours.csv.*file is missing, but bundle.yaml"):
        read_bundle(root)
    root = _write(tmp_path / "c", ROWS, [])
    with pytest.raises(BundleError, match="lists no neighbour_sets"):
        read_bundle(root)
