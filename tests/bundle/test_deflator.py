"""deflators.csv and bundle.yaml ``deflator:`` (optional): a valid price index round-trips; a bad
one never refuses the bundle, it takes real terms away with a note naming the file, the row and
the column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dashboard import DATA_DIR
from dashboard.analysis.prices import has_real_terms, unavailable_reason
from dashboard.bundle import read_bundle

GOOD = "period,index\n2020-21,100\n2021-22,102\n2022-23,107.1\n2023-24,113.5\n2024-25,116.9\n"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA_DIR / "demo", tmp_path / "demo"))


def _edit_meta(root: Path, edit) -> None:
    meta = yaml.safe_load((root / "bundle.yaml").read_text(encoding="utf-8"))
    edit(meta)
    (root / "bundle.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")


def test_the_demo_price_index_is_read(demo_copy: Path) -> None:
    (demo_copy / "deflators.csv").write_text(GOOD, encoding="utf-8")
    b = read_bundle(demo_copy)
    assert has_real_terms(b) and b.deflator_problem == ""
    assert b.deflators["index"].tolist() == [100.0, 102.0, 107.1, 113.5, 116.9]
    assert b.meta["deflator"]["base_period"] == "2024-25"


BAD_FILES = [
    ("text-index", GOOD.replace("107.1", "n/a"), "row 4, column 'index'", "'n/a' is not"),
    ("negative", GOOD.replace("102", "-102"), "row 3, column 'index'", "positive number"),
    ("zero", GOOD.replace("113.5", "0"), "row 5, column 'index'", "positive number"),
    ("twice", GOOD + "2024-25,117\n", "row 7, column 'period'", "listed twice"),
    ("no-column", GOOD.replace("index", "value", 1), "row 1, column 'index'", "missing"),
    ("blank-period", GOOD.replace("2021-22", " "), "row 3, column 'period'", "empty period"),
    ("short-row", GOOD.replace("2022-23,107.1", "2022-23"), "row 4", "fields"),
    ("lacks-period", GOOD.replace("2023-24,113.5\n", ""), "column 'period'", "2023-24"),
    ("empty", "period,index\n", "row 2", "no rows"),
]


@pytest.mark.parametrize(
    "text, where, phrase", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_a_bad_deflators_file_leaves_the_bundle_in_cash_with_a_clear_note(
    demo_copy: Path, text: str, where: str, phrase: str
) -> None:
    (demo_copy / "deflators.csv").write_text(text, encoding="utf-8")
    b = read_bundle(demo_copy)  # never refused
    assert not has_real_terms(b) and b.deflators is None and "deflator" not in b.meta
    note = next(w for w in b.warnings if w.startswith("deflators.csv"))
    assert where in note and phrase in note, note
    assert "money is shown in cash" in note
    assert "deflators.csv" in unavailable_reason(b)


BAD_BLOCKS = [
    ("no-block", lambda m: m.pop("deflator"), "column 'deflator'"),
    ("no-series", lambda m: m["deflator"].pop("series"), "deflator.series"),
    ("base-unknown", lambda m: m["deflator"].update(base_period="1999-00"), "1999-00"),
    ("no-licence", lambda m: m["deflator"]["source"].pop("licence"), "deflator.source.licence"),
    ("source-text", lambda m: m["deflator"].update(source="ONS"), "deflator.source"),
]


@pytest.mark.parametrize(
    "edit, phrase", [c[1:] for c in BAD_BLOCKS], ids=[c[0] for c in BAD_BLOCKS]
)
def test_a_bad_deflator_block_leaves_the_bundle_in_cash(demo_copy: Path, edit, phrase) -> None:
    _edit_meta(demo_copy, edit)
    b = read_bundle(demo_copy)
    assert not has_real_terms(b)
    assert any(w.startswith("bundle.yaml") and phrase in w for w in b.warnings), b.warnings


def test_a_block_without_its_file_is_noted(demo_copy: Path) -> None:
    (demo_copy / "deflators.csv").unlink()
    b = read_bundle(demo_copy)
    assert not has_real_terms(b)
    assert any("deflators.csv: file is missing" in w for w in b.warnings)


def test_a_bundle_without_either_has_no_note(demo_copy: Path) -> None:
    (demo_copy / "deflators.csv").unlink()
    _edit_meta(demo_copy, lambda m: m.pop("deflator"))
    b = read_bundle(demo_copy)
    assert not has_real_terms(b) and not any("deflat" in w for w in b.warnings)
    assert "has no price index" in unavailable_reason(b)
