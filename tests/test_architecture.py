"""Rules of the code base that a review would otherwise have to remember (docs/architecture.md).

Each rule is a small checker over parsed source (``ast``), tested twice: on a snippet that breaks
the rule on purpose (so the checker can fail) and on the real tree (so the rule holds).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dashboard"
PAGES = ROOT / "pages"

#: The floors, lowest first. A module may import its own package or a package on a lower floor;
#: never one on its own floor or above (so there can be no cycle). ``dashboard`` is the root
#: package's __init__ (paths only).
FLOORS: tuple[tuple[str, ...], ...] = (
    ("dashboard",),
    ("catalogue",),
    ("geo",),
    ("bundle", "store"),
    ("formatting", "allocator"),
    ("sources", "scenario", "demo", "layers"),
    ("analysis",),
    ("charts", "export", "view"),
    ("present",),
    ("ui", "cli"),
    ("pages", "app", "__main__"),
)
FLOOR_OF: dict[str, int] = {name: i for i, names in enumerate(FLOORS) for name in names}

#: Files that may import streamlit: the entry point, the pages and the ui package.
STREAMLIT_ALLOWED = ("app.py", "pages/", "src/dashboard/ui/")

#: DataFrame and Series methods and accessors a page must not use (pages lay out, ui computes).
FRAME_METHODS: frozenset[str] = frozenset(
    [
        "loc",
        "iloc",
        "at",
        "iat",
        "set_index",
        "reset_index",
        "groupby",
        "query",
        "sort_values",
        "sort_index",
        "merge",
        "join",
        "pivot",
        "pivot_table",
        "melt",
        "agg",
        "aggregate",
        "apply",
        "applymap",
        "assign",
        "drop",
        "dropna",
        "fillna",
        "to_csv",
        "to_numpy",
        "to_records",
        "astype",
        "isin",
        "nunique",
        "value_counts",
        "iterrows",
        "itertuples",
        "nlargest",
        "nsmallest",
        "drop_duplicates",
        "idxmax",
        "idxmin",
        "cumsum",
        "cumprod",
        "diff",
        "pct_change",
        "rolling",
        "resample",
        "explode",
        "transpose",
        "stack",
        "unstack",
        "reindex",
        "where",
        "mask",
        "between",
        "notna",
        "isna",
        "notnull",
        "isnull",
        "dtypes",
        "columns",
        "to_frame",
    ]
)

#: Most lines a page file may have.
PAGE_MAX_LINES = 300

#: Float literals that are structure, not assumptions: identities, halves and doubles, percent and
#: money scales (100, thousand, million, billion), rates per 1,000 to 100,000, and numerical
#: tolerances. Any other float in src/ belongs in a catalogue YAML with unit, range and source,
#: unless its file is allowed below.
STRUCTURAL_FLOATS: frozenset[float] = frozenset(
    {0.0, 1.0, 2.0, 0.5, 100.0, 1e3, 1e4, 1e5, 1e6, 1e9, 1e-6, 1e-9, 1e-12}
)

#: Files (or folders, ending in "/") whose other float literals are presentation, geometry or
#: statistics constants, with the reason. Everything else is checked.
FLOAT_ALLOWED: dict[str, str] = {
    "charts/": "pixel sizes, opacities, stroke widths and label offsets of chart layout",
    "ui/": "column width ratios of Streamlit layouts",
    "geo.py": "hexagon geometry (sqrt 3 ratios) and map padding in degrees",
    "export/": "image scale factors",
    "present/projector.py": "type metrics of chart text on a slide (character width, line height)",
}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _python_files() -> list[Path]:
    return sorted([ROOT / "app.py", *PAGES.glob("*.py"), *SRC.rglob("*.py")])


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def streamlit_violations(rel: str, source: str) -> list[str]:
    """Lines of ``source`` (file ``rel``) that import streamlit where it is not allowed."""
    if rel.startswith(STREAMLIT_ALLOWED):
        return []
    return [
        f"{rel}:{line}: imports {name}"
        for line, name in _imported_modules(ast.parse(source))
        if name == "streamlit" or name.startswith("streamlit.")
    ]


def frame_violations(rel: str, source: str) -> list[str]:
    """DataFrame work in a page: pandas or numpy imported, or a DataFrame method used."""
    tree = ast.parse(source)
    out = [
        f"{rel}:{line}: imports {name}"
        for line, name in _imported_modules(tree)
        if name.split(".")[0] in ("pandas", "numpy")
    ]
    for node in ast.walk(tree):
        on_streamlit = isinstance(node, ast.Attribute) and (
            isinstance(node.value, ast.Name) and node.value.id == "st"
        )
        if isinstance(node, ast.Attribute) and node.attr in FRAME_METHODS and not on_streamlit:
            out.append(f"{rel}:{node.lineno}: uses .{node.attr} (DataFrame work belongs in ui/)")
    return out


def _package_of(rel: str) -> str:
    if rel == "app.py":
        return "app"
    if rel.startswith("pages/"):
        return "pages"
    parts = Path(rel).relative_to("src/dashboard").parts
    return (
        parts[0]
        if len(parts) > 1
        else parts[0].removesuffix(".py").replace("__init__", "dashboard")
    )


def floor_violations(rel: str, source: str) -> list[str]:
    """Imports of the package that point sideways or up the floors."""
    here = _package_of(rel)
    floor = FLOOR_OF[here]
    out = []
    for line, name in _imported_modules(ast.parse(source)):
        parts = name.split(".")
        if parts[0] != "dashboard":
            continue
        target = parts[1] if len(parts) > 1 else "dashboard"
        if target == here:
            continue
        if target not in FLOOR_OF:
            out.append(f"{rel}:{line}: imports {name}, a package with no floor in FLOORS")
        elif FLOOR_OF[target] >= floor:
            out.append(
                f"{rel}:{line}: {here} (floor {floor}) imports {name} (floor {FLOOR_OF[target]})"
            )
    return out


def float_violations(rel: str, source: str) -> list[str]:
    """Float literals in src/ that are neither structural nor in an allowed file."""
    inside = rel.removeprefix("src/dashboard/")
    if any(inside == a or (a.endswith("/") and inside.startswith(a)) for a in FLOAT_ALLOWED):
        return []
    return [
        f"{rel}:{node.lineno}: float literal {node.value!r} (put it in a catalogue YAML)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and type(node.value) is float
        and node.value not in STRUCTURAL_FLOATS
    ]


#: Streamlit's caching decorators: each use must bound its entries (docs/serving.md).
CACHES = ("cache_data", "cache_resource")


def cache_violations(rel: str, source: str) -> list[str]:
    """Uses of ``st.cache_data`` / ``st.cache_resource`` without ``max_entries`` (called with
    other arguments, or bare as a decorator): an unbounded cache grows with every place a
    server sees. ``st.cache_data.clear()`` and the like are not uses."""
    tree = ast.parse(source)
    called = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    owners = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in CACHES) or id(node) in owners:
            continue
        call = called.get(id(node))
        if call is None or "max_entries" not in {k.arg for k in call.keywords}:
            out.append(f"{rel}:{node.lineno}: st.{node.attr} without max_entries")
    return out


def _check_tree(checker, files: list[Path]) -> list[str]:
    out: list[str] = []
    for path in files:
        out += checker(_relative(path), path.read_text(encoding="utf-8"))
    return out


# --- each checker catches a rule broken on purpose -------------------------------------------
def test_streamlit_checker_catches_an_import_in_pure_code() -> None:
    bad = "import pandas as pd\nfrom streamlit import session_state\n"
    assert streamlit_violations("src/dashboard/analysis/x.py", bad) == [
        "src/dashboard/analysis/x.py:2: imports streamlit"
    ]
    assert streamlit_violations("src/dashboard/ui/x.py", bad) == []
    assert streamlit_violations("pages/x.py", "import streamlit as st\n") == []


def test_frame_checker_catches_pandas_work_in_a_page() -> None:
    bad = "import pandas as pd\nrow = ctx.bundle.places.set_index('code').loc[code]\n"
    found = frame_violations("pages/x.py", bad)
    assert "pages/x.py:1: imports pandas" in found
    assert any(".set_index" in f for f in found) and any(".loc" in f for f in found)
    ok = "left, right = st.columns(2)\nst.dataframe(view.table, hide_index=True)\n"
    assert frame_violations("pages/x.py", ok) == []


def test_floor_checker_catches_an_import_up_or_sideways() -> None:
    up = "from dashboard.ui.cached import bundle_key\n"
    assert floor_violations("src/dashboard/analysis/x.py", up) == [
        "src/dashboard/analysis/x.py:1: analysis (floor 6) imports dashboard.ui.cached (floor 9)"
    ]
    sideways = "from dashboard.scenario.model import Scenario\n"
    assert len(floor_violations("src/dashboard/sources/x.py", sideways)) == 1
    down = "from dashboard.bundle.model import Bundle\nfrom dashboard import CATALOGUE_DIR\n"
    assert floor_violations("src/dashboard/analysis/x.py", down) == []
    assert floor_violations("pages/x.py", up) == []


def test_float_checker_catches_an_assumption_typed_in_code() -> None:
    bad = "RATE = 0.035\nshare = x / 100.0\n"
    assert float_violations("src/dashboard/scenario/x.py", bad) == [
        "src/dashboard/scenario/x.py:1: float literal 0.035 (put it in a catalogue YAML)"
    ]
    assert float_violations("src/dashboard/charts/x.py", bad) == []


def test_cache_checker_catches_a_cache_without_a_bound() -> None:
    bad = (
        "@st.cache_data\ndef a(): ...\n"
        "@st.cache_resource(show_spinner=False)\ndef b(): ...\n"
        "c = st.cache_data(ttl=5)(len)\n"
    )
    assert cache_violations("src/dashboard/ui/x.py", bad) == [
        "src/dashboard/ui/x.py:1: st.cache_data without max_entries",
        "src/dashboard/ui/x.py:3: st.cache_resource without max_entries",
        "src/dashboard/ui/x.py:5: st.cache_data without max_entries",
    ]
    ok = "@st.cache_data(max_entries=PLACES)\ndef a(): ...\nd = st.cache_resource(max_entries=4)(f)\n"
    assert cache_violations("src/dashboard/ui/x.py", ok) == []


# --- the rules hold on the real tree ---------------------------------------------------------
def test_every_streamlit_cache_is_bounded() -> None:
    assert _check_tree(cache_violations, _python_files()) == []


def test_only_app_pages_and_ui_import_streamlit() -> None:
    assert _check_tree(streamlit_violations, _python_files()) == []


def test_pages_do_no_dataframe_work() -> None:
    assert _check_tree(frame_violations, sorted(PAGES.glob("*.py"))) == []


@pytest.mark.parametrize("page", sorted(p.name for p in PAGES.glob("*.py")))
def test_pages_are_thin(page: str) -> None:
    lines = len((PAGES / page).read_text(encoding="utf-8").splitlines())
    assert lines < PAGE_MAX_LINES, f"pages/{page} has {lines} lines (limit {PAGE_MAX_LINES})"


def test_every_package_has_a_floor() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    assert packages | modules <= set(FLOOR_OF), sorted((packages | modules) - set(FLOOR_OF))


def test_imports_point_down_the_floors() -> None:
    assert _check_tree(floor_violations, _python_files()) == []


def test_no_float_literal_outside_the_allow_list() -> None:
    assert _check_tree(float_violations, sorted(SRC.rglob("*.py"))) == []


def test_docstrings_cite_documents_that_exist() -> None:
    cited = []
    for path in sorted(SRC.rglob("*.py")):
        if "DESIGN.md" in path.read_text(encoding="utf-8"):
            cited.append(_relative(path))
    assert cited == [], "DESIGN.md is not in the repository: cite docs/architecture.md"
    assert (ROOT / "docs" / "architecture.md").exists()


def _numbers_with_units(node: object, file: str, key: str = "") -> list[tuple[str, str]]:
    """Every mapping in a catalogue document that gives a number (value, central or weight) and
    a unit: what a reader of the YAML would call a parameter. Found without the catalogue loader."""
    from dashboard.catalogue.registry import item_key

    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        number = next((node[k] for k in ("value", "central", "weight") if k in node), None)
        if "unit" in node and isinstance(number, int | float) and not isinstance(number, bool):
            return [(file, key)]
        for k, v in node.items():
            found += _numbers_with_units(v, file, f"{key}.{k}" if key else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _numbers_with_units(v, file, f"{key}.{item_key(v, i)}" if key else str(i))
    return found


def test_every_catalogue_parameter_is_in_the_table_the_app_shows() -> None:
    import yaml

    from dashboard.analysis.dictionary import settings_table

    shown = settings_table()
    keys = set(zip(shown["file"], shown["setting"], strict=True))
    missing = []
    for path in sorted((ROOT / "data" / "catalogue").glob("*.yaml")):
        if path.name == "demo.yaml":  # the fictional generator's settings, not assumptions
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for file, key in _numbers_with_units(doc, path.name):
            listed = (file, key) in keys or any(
                f == file and k.startswith(key + ".") for f, k in keys
            )
            if not listed:
                missing.append(f"{file}: {key}")
    assert missing == [], missing
    assert len(keys) >= 300  # the table is the whole catalogue, not a sample
