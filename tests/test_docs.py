"""The docs a newcomer reads say what the code does: the bundle table in docs/architecture.md
names the files and columns the bundle code reads and writes, the catalogue table names every
YAML of data/catalogue, links resolve, and the method pages quote the settings that exist."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dashboard import CATALOGUE_DIR, DATA_DIR, PROJECT_ROOT
from dashboard.analysis.peers import peer_spec
from dashboard.analysis.vfm_range import specifications
from dashboard.bundle.geometry import GEO_FILES
from dashboard.bundle.schema import LEVELS
from dashboard.catalogue import read_catalogue_yaml

DOCS = PROJECT_ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"
DEMO = DATA_DIR / "demo"
#: A file name in backticks: a path ending in an extension (``geo/upper.geojson``).
_FILE = re.compile(r"`([\w/.-]+\.[a-z]+)`")
_TICKED = re.compile(r"`([^`]+)`")


def section(path: Path, heading: str) -> str:
    """The text of the ``## heading`` section of a markdown file (up to the next ``## ``)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first markdown table in ``text`` (cells stripped)."""
    rows, seen_rule = [], False
    for line in text.splitlines():
        if not line.startswith("|"):
            if seen_rule:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(set(c) <= {"-", ":"} for c in cells):
            seen_rule = True
            continue
        if seen_rule:
            rows.append(cells)
    return rows


def bundle_rows() -> dict[str, str]:
    """The bundle table of architecture.md: each file named in a row's first cell -> the row."""
    out: dict[str, str] = {}
    for cells in table_rows(section(ARCHITECTURE, "The data bundle")):
        for name in _FILE.findall(cells[0]):
            assert name not in out, f"architecture.md's bundle table has a second row for {name}"
            out[name] = " | ".join(cells)
    return out


def bundle_literals() -> set[str]:
    """Every string constant in the bundle package's code (file names it reads or writes)."""
    found: set[str] = set()
    for path in (PROJECT_ROOT / "src" / "dashboard" / "bundle").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    return found | {f"geo/{g}" for g in GEO_FILES}


def test_the_bundle_table_names_only_files_the_bundle_code_knows() -> None:
    rows = bundle_rows()
    assert {"bundle.yaml", "values.parquet"} <= set(rows), "the table is found and parsed"
    unknown = sorted(set(rows) - bundle_literals())
    assert unknown == [], (
        f"architecture.md names bundle files the bundle code never reads: {unknown}"
    )


def demo_files() -> list[str]:
    return sorted(p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*") if p.is_file())


def test_every_file_of_the_demo_bundle_is_in_the_bundle_table() -> None:
    files = demo_files()
    assert "neighbours.csv" in files and "deflators.csv" in files, "the demo has every file"
    missing = sorted(set(files) - set(bundle_rows()))
    assert missing == [], f"bundle files not described in architecture.md's table: {missing}"


def columns(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return list(pq.read_schema(path).names)
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


@pytest.mark.parametrize(
    "name",
    [
        "places.csv",
        "values.parquet",
        "population.parquet",
        "coverage.csv",
        "deflators.csv",
        "neighbours.csv",
    ],
)
def test_the_bundle_table_names_every_column_of_a_table_file(name: str) -> None:
    row = bundle_rows()[name]
    named = set(_TICKED.findall(row))
    missing = [c for c in columns(DEMO / name) if c not in named]
    assert missing == [], f"architecture.md's row for {name} does not name its columns {missing}"


def test_every_catalogue_file_is_in_the_catalogue_table() -> None:
    rows = table_rows(section(ARCHITECTURE, "The catalogue"))
    documented = {n for cells in rows for n in _TICKED.findall(cells[0])}
    on_disk = {p.name for p in CATALOGUE_DIR.glob("*.yaml")}
    assert sorted(on_disk - documented) == [], "catalogue files missing from architecture.md"
    assert sorted(documented - on_disk) == [], "architecture.md names catalogue files that are gone"


# --- links --------------------------------------------------------------------------------------
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {slug(line.lstrip("#")) for line in lines if line.startswith("#")}


MARKDOWN = sorted([PROJECT_ROOT / "README.md", *DOCS.glob("*.md")])


@pytest.mark.parametrize("doc", MARKDOWN, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_relative_links_resolve(doc: Path) -> None:
    broken = []
    for target in _LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file).resolve() if file else doc
        if not dest.exists() or (dest.suffix == ".md" and anchor and anchor not in anchors(dest)):
            broken.append(target)
    assert broken == [], f"{doc.name}: links to nothing: {broken}"


def test_the_method_pages_are_linked_from_readme_and_architecture() -> None:
    for doc in (PROJECT_ROOT / "README.md", ARCHITECTURE):
        text = doc.read_text(encoding="utf-8")
        for page in ("value-for-money.md", "comparators.md", "england-data.md"):
            assert page in text, f"{doc.name} does not link docs/{page}"


# --- the method pages quote settings that exist --------------------------------------------------
VFM_DOC = DOCS / "value-for-money.md"


def test_value_for_money_doc_quotes_only_vfm_keys_that_exist() -> None:
    doc = read_catalogue_yaml("vfm.yaml")
    quoted = {k for k in _TICKED.findall(VFM_DOC.read_text(encoding="utf-8")) if "." in k}
    quoted = {k for k in quoted if k.split(".")[0] in ("settings", "verdict")}
    assert quoted, "the page names its settings by key"
    gone = sorted(k for k in quoted if k.split(".")[1] not in doc[k.split(".")[0]])
    assert gone == [], f"value-for-money.md quotes vfm.yaml keys that do not exist: {gone}"


def test_value_for_money_doc_names_every_threshold_and_specification() -> None:
    text = VFM_DOC.read_text(encoding="utf-8")
    keys = [f"verdict.{k}" for k in read_catalogue_yaml("vfm.yaml")["verdict"]]
    assert [k for k in keys if f"`{k}`" not in text] == [], "a verdict threshold is not explained"
    ids = [s.id for s in specifications()]
    assert [i for i in ids if f"| `{i}` |" not in text] == [], "a specification is not listed"


def test_comparators_doc_gives_the_variables_and_weights_of_peers_yaml() -> None:
    rows = table_rows(section(DOCS / "comparators.md", "Our statistical neighbours"))
    documented = [(r[0], r[1].strip("`"), float(r[2]), r[3]) for r in rows]
    model = [
        (level, v.id, v.weight, v.transform) for level in LEVELS for v in peer_spec(level).variables
    ]
    assert documented == model, "docs/comparators.md's table differs from peers.yaml"
