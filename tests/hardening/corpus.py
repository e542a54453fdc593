"""A corpus of bad bundles: a minimal valid bundle, and cases that each break ONE thing in it.

Every :class:`Case` names the file it breaks, the class it belongs to, and where the refusal
must point: ``row`` (line, Parquet row, feature or hex number) and ``column`` (column,
property or YAML key path), plus a phrase the message must contain. :func:`write_base` writes
the valid bundle; :data:`CASES` breaks it; :data:`ACCEPTED` are odd-but-valid inputs that load
with a note.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from dashboard.bundle import Bundle, write_bundle
from dashboard.bundle.limits import limits
from tests.shapes import features, hexes

SOURCE = {
    "publisher": "Test",
    "title": "Hand-made",
    "url": "https://example.invalid",
    "licence": "MIT",
}
UPPER = ["C1", "U1", "M1"]
LOWER = ["D1", "D2", "U1", "M1"]


def _indicator(ind_id: str, kind: str, unit: str, levels: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": ind_id,
        "label": ind_id.replace("_", " "),
        "kind": kind,
        "service": "all",
        "unit": unit,
        "polarity": "neutral",
        "levels": levels,
        "definition": "d",
        **{f"source_{k}": v for k, v in SOURCE.items()},
    }


#: Values rows (place, indicator, value); row numbers below are 1-based positions in this list.
VALUE_ROWS: list[tuple[str, str, float]] = [
    ("C1", "out_pct", 50.0),  # 1
    ("U1", "out_pct", 60.0),  # 2
    ("M1", "out_pct", 70.0),  # 3
    ("C1", "need_score", 10.0),  # 4
    ("D1", "need_score", 12.0),  # 5
    ("D2", "need_score", 8.0),  # 6
    ("U1", "spend_gbp", 1_000_000.0),  # 7
    ("D1", "spend_per_head", 250.0),  # 8
    ("U1", "pop_persons", 150_000.0),  # 9
    ("C1", "cla_count", 400.0),  # 10
]


def base_bundle() -> Bundle:
    """The minimal valid bundle: 1 county with 2 districts, 1 unitary, 1 metropolitan; a
    percent, a score, two money, a persons and a count indicator."""
    places = pd.DataFrame(
        {
            "code": ["C1", "D1", "D2", "U1", "M1"],
            "name": ["Countyshire", "Dale", "Fen", "Uniton", "Metborough"],
            "kind": ["county", "district", "district", "unitary", "metropolitan"],
            "region_code": ["R1"] * 5,
            "region_name": ["Region One"] * 5,
            "county_code": ["", "C1", "C1", "", ""],
        }
    )
    both = ("upper", "lower")
    indicators = pd.DataFrame(
        [
            _indicator("out_pct", "outcome", "percent", ("upper",)),
            _indicator("need_score", "need", "score", both),
            _indicator("spend_gbp", "spend", "gbp", both),
            _indicator("spend_per_head", "spend", "gbp_per_head", both),
            _indicator("pop_persons", "context", "persons", both),
            _indicator("cla_count", "context", "count", ("upper",)),
        ]
    )
    n = len(VALUE_ROWS)
    values = pd.DataFrame(
        {
            "place_code": [r[0] for r in VALUE_ROWS],
            "indicator_id": [r[1] for r in VALUE_ROWS],
            "period": ["2024-25"] * n,
            "value": [r[2] for r in VALUE_ROWS],
            "lower_ci": [45.0] + [np.nan] * (n - 1),
            "upper_ci": [55.0] + [np.nan] * (n - 1),
            "status": [""] * n,
        }
    )
    geo = {
        "upper.geojson": features(UPPER),
        "lower.geojson": features(LOWER),
        "upper.hexjson": hexes(UPPER),
        "lower.hexjson": hexes(LOWER),
    }
    population = pd.DataFrame(
        {
            "place_code": ["C1", "C1", "U1"],
            "year": [2024, 2024, 2024],
            "age_band": ["0-4", "85+", "0-4"],
            "persons": [100.0, 20.0, 50.0],
        }
    )
    meta = {
        "title": "Tiny",
        "is_demo": True,
        "attribution": "Made by hand",
        "licence": "MIT",
        "periods": ["2024-25"],
        "default_place": {"upper": "U1", "lower": "D1"},
    }
    return Bundle(
        meta=meta,
        places=places,
        indicators=indicators,
        values=values,
        geo=geo,
        population=population,
    )


def write_base(path: Path) -> Path:
    """Write the valid bundle to ``path`` (with coverage.csv) and return it."""
    return write_bundle(base_bundle(), path)


# --- editing helpers ----------------------------------------------------------------------------
def _text(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def _bytes(root: Path, name: str, data: bytes) -> None:
    (root / name).write_bytes(data)


def _edit_yaml(name: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        doc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        edit(doc)
        _text(root, name, yaml.safe_dump(doc, sort_keys=False))

    return run


def _set_meta(key: str, value: Any) -> Callable[[Path], None]:
    return _edit_yaml("bundle.yaml", lambda d: d.__setitem__(key, value))


def _drop_meta(key: str) -> Callable[[Path], None]:
    return _edit_yaml("bundle.yaml", lambda d: d.pop(key))


def _set_indicator(i: int, key: str, value: Any) -> Callable[[Path], None]:
    """Set field ``key`` of indicator ``i`` (0-based) of indicators.yaml."""
    return _edit_yaml("indicators.yaml", lambda d: d["indicators"][i].__setitem__(key, value))


def _edit_csv(name: str, edit: Callable[[list[str]], None]) -> Callable[[Path], None]:
    """Edit the lines of a CSV file (line 1 is the header: ``lines[0]``)."""

    def run(root: Path) -> None:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
        edit(lines)
        _text(root, name, "\n".join(lines) + "\n")

    return run


def _set_line(k: int, text: str) -> Callable[[list[str]], None]:
    return lambda lines: lines.__setitem__(k - 1, text)


def _edit_frame(name: str, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        df = pd.read_parquet(root / name)
        edit(df).to_parquet(root / name, index=False)

    return run


def _set_cell(name: str, row: int, col: str, value: Any) -> Callable[[Path], None]:
    """Set 1-based ``row`` of column ``col`` of a Parquet file (as object when needed)."""

    def edit(df: pd.DataFrame) -> pd.DataFrame:
        try:
            df.loc[row - 1, col] = value
        except (TypeError, ValueError):
            df[col] = df[col].astype(object)
            df.loc[row - 1, col] = value
        return df

    return _edit_frame(name, edit)


def _set_value(row: int, col: str, value: Any) -> Callable[[Path], None]:
    return _set_cell("values.parquet", row, col, value)


def _set_pop(row: int, col: str, value: Any) -> Callable[[Path], None]:
    return _set_cell("population.parquet", row, col, value)


def _edit_json(name: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        path = root / "geo" / name
        doc = json.loads(path.read_text(encoding="utf-8"))
        edit(doc)
        path.write_text(json.dumps(doc), encoding="utf-8")

    return run


def _geo_text(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / "geo" / name).write_text(text, encoding="utf-8")


def _feature(k: int, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    """Edit feature ``k`` (1-based) of upper.geojson."""
    return _edit_json("upper.geojson", lambda d: edit(d["features"][k - 1]))


def _ring0(k: int, ring: Any) -> Callable[[Path], None]:
    """Replace the exterior ring of feature ``k`` of upper.geojson."""
    return _feature(k, lambda f: f["geometry"].__setitem__("coordinates", [ring]))


def _hex(code: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    return _edit_json("lower.hexjson", lambda d: edit(d["hexes"][code]))


def _mkdir(name: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        (root / name).unlink()
        (root / name).mkdir()

    return run


def _big(name: str, size: int) -> Callable[[Path], None]:
    """Pad ``name`` with a comment (YAML) or spaces to ``size`` bytes."""

    def run(root: Path) -> None:
        path = root / name
        head = path.read_bytes()
        pad = b"#" if name.endswith(".yaml") else b" "
        with path.open("wb") as fh:
            fh.write(head + b"\n" + pad * (size - len(head)))

    return run


_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, x in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "title: Tiny\nis_demo: true\nattribution: x\nlicence: MIT\nperiods: [2024-25]\n"
)
_ALIASES = (
    "title: &t Tiny\nis_demo: true\nattribution: x\nlicence: MIT\nperiods: [2024-25]\n"
    + "extra:\n"
    + "".join("  - *t\n" for _ in range(150))
)


@dataclass(frozen=True)
class Case:
    """One bad bundle: ``breaks`` edits a copy of the base bundle; the refusal must name
    ``file``, ``row`` and ``column`` exactly and contain ``phrase``."""

    id: str
    kind: str
    file: str
    row: int | None
    column: str | None
    phrase: str
    breaks: Callable[[Path], None]


_C = Case
CASES: tuple[Case, ...] = (
    # --- bundle.yaml ------------------------------------------------------------------------
    _C(
        "meta-empty",
        "bundle.yaml",
        "bundle.yaml",
        None,
        None,
        "mapping",
        lambda r: _text(r, "bundle.yaml", ""),
    ),
    _C(
        "meta-not-utf8",
        "bundle.yaml",
        "bundle.yaml",
        2,
        None,
        "UTF-8",
        lambda r: _bytes(r, "bundle.yaml", b"title: Tiny\nattribution: caf\xe9\n"),
    ),
    _C(
        "meta-nul",
        "bundle.yaml",
        "bundle.yaml",
        2,
        None,
        "NUL",
        lambda r: _bytes(r, "bundle.yaml", b"title: Tiny\nx: \x00\n"),
    ),
    _C(
        "meta-bad-yaml",
        "bundle.yaml",
        "bundle.yaml",
        2,
        None,
        "not valid YAML",
        lambda r: _text(r, "bundle.yaml", "title: [unclosed\nis_demo: true\n"),
    ),
    _C(
        "meta-two-documents",
        "bundle.yaml",
        "bundle.yaml",
        2,
        None,
        "not valid YAML",
        lambda r: _text(r, "bundle.yaml", "title: a\n---\ntitle: b\n"),
    ),
    _C(
        "meta-alias-bomb",
        "bundle.yaml",
        "bundle.yaml",
        7,
        "g.0",
        "alias bomb",
        lambda r: _text(r, "bundle.yaml", _BOMB),
    ),
    _C(
        "meta-many-aliases",
        "bundle.yaml",
        "bundle.yaml",
        107,
        "extra.100",
        "aliases",
        lambda r: _text(r, "bundle.yaml", _ALIASES),
    ),
    _C(
        "meta-deep-flow",
        "bundle.yaml",
        "bundle.yaml",
        1,
        "title" + ".0" * 63,
        "levels deep",
        lambda r: _text(r, "bundle.yaml", "title: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ),
    _C(
        "meta-deep-block",
        "bundle.yaml",
        "bundle.yaml",
        65,
        ".".join(f"k{i}" for i in range(64)),
        "levels deep",
        lambda r: _text(
            r, "bundle.yaml", "".join(f"{' ' * i}k{i}:\n" for i in range(80)) + " " * 80 + "x\n"
        ),
    ),
    _C(
        "meta-duplicate-key",
        "bundle.yaml",
        "bundle.yaml",
        2,
        "title",
        "twice",
        lambda r: _text(r, "bundle.yaml", "title: a\ntitle: b\n"),
    ),
    _C(
        "meta-top-list",
        "bundle.yaml",
        "bundle.yaml",
        None,
        None,
        "mapping",
        lambda r: _text(r, "bundle.yaml", "- title\n- is_demo\n"),
    ),
    _C("meta-no-title", "bundle.yaml", "bundle.yaml", None, "title", "lacks", _drop_meta("title")),
    _C(
        "meta-title-number",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "title",
        "must be text",
        _set_meta("title", 42),
    ),
    _C(
        "meta-is-demo-text",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "is_demo",
        "true or false",
        _set_meta("is_demo", "yes please"),
    ),
    _C(
        "meta-periods-empty",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "periods",
        "non-empty",
        _set_meta("periods", []),
    ),
    _C(
        "meta-period-mapping",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "periods.1",
        "period",
        _set_meta("periods", ["2024-25", {"from": 2024}]),
    ),
    _C(
        "meta-period-twice",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "periods",
        "twice",
        _set_meta("periods", ["2024-25", "2024-25"]),
    ),
    _C(
        "meta-default-place-list",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "default_place",
        "mapping",
        _set_meta("default_place", ["U1"]),
    ),
    _C(
        "meta-default-place-level",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "default_place.upper",
        "upper-tier",
        _set_meta("default_place", {"upper": "D1"}),
    ),
    _C(
        "meta-default-place-odd-level",
        "bundle.yaml",
        "bundle.yaml",
        None,
        "default_place.middle",
        "not a level",
        _set_meta("default_place", {"middle": "U1"}),
    ),
    _C(
        "meta-too-big",
        "bundle.yaml",
        "bundle.yaml",
        None,
        None,
        "above the limit",
        _big("bundle.yaml", limits().setting("yaml_max_bytes") + 1),
    ),
    _C(
        "meta-directory",
        "bundle.yaml",
        "bundle.yaml",
        None,
        None,
        "not a file",
        _mkdir("bundle.yaml"),
    ),
    # --- places.csv -------------------------------------------------------------------------
    _C(
        "places-extra-field",
        "places.csv",
        "places.csv",
        4,
        "(field 7, beyond the last column 'county_code')",
        "fields",
        _edit_csv("places.csv", _set_line(4, "D2,Fen,district,R1,Region One,C1,oops")),
    ),
    _C(
        "places-short-row",
        "places.csv",
        "places.csv",
        3,
        "region_code",
        "fields",
        _edit_csv("places.csv", _set_line(3, "D1,Dale,district")),
    ),
    _C(
        "places-unclosed-quote",
        "places.csv",
        "places.csv",
        6,
        "kind",
        "fields",
        _edit_csv("places.csv", _set_line(5, 'U1,"Uniton,unitary,R1,Region One,')),
    ),
    _C(
        "places-not-utf8",
        "places.csv",
        "places.csv",
        3,
        None,
        "UTF-8",
        lambda r: _bytes(
            r, "places.csv", (r / "places.csv").read_bytes().replace(b"Dale", b"D\xe0le")
        ),
    ),
    _C(
        "places-nul",
        "places.csv",
        "places.csv",
        2,
        None,
        "NUL",
        lambda r: _bytes(
            r,
            "places.csv",
            (r / "places.csv").read_bytes().replace(b"C1,Countyshire", b"C1,County\x00shire"),
        ),
    ),
    _C(
        "places-empty",
        "places.csv",
        "places.csv",
        1,
        None,
        "no header",
        lambda r: _text(r, "places.csv", ""),
    ),
    _C(
        "places-header-only",
        "places.csv",
        "places.csv",
        None,
        "kind",
        "no upper-tier place",
        _edit_csv("places.csv", lambda lines: lines.__delitem__(slice(1, None))),
    ),
    _C(
        "places-header-twice",
        "places.csv",
        "places.csv",
        1,
        "name",
        "twice",
        _edit_csv("places.csv", _set_line(1, "code,name,kind,region_code,region_name,name")),
    ),
    _C(
        "places-no-kind-column",
        "places.csv",
        "places.csv",
        None,
        "kind",
        "missing",
        _edit_csv(
            "places.csv",
            lambda lines: lines.__setitem__(
                slice(None),
                [",".join(x for j, x in enumerate(line.split(",")) if j != 2) for line in lines],
            ),
        ),
    ),
    _C(
        "places-empty-name",
        "places.csv",
        "places.csv",
        3,
        "name",
        "empty",
        _edit_csv("places.csv", _set_line(3, "D1,,district,R1,Region One,C1")),
    ),
    _C(
        "places-bad-kind",
        "places.csv",
        "places.csv",
        2,
        "kind",
        "parish",
        _edit_csv("places.csv", _set_line(2, "C1,Countyshire,parish,R1,Region One,")),
    ),
    _C(
        "places-duplicate-code",
        "places.csv",
        "places.csv",
        4,
        "code",
        "duplicate",
        _edit_csv("places.csv", _set_line(4, "D1,Fen,district,R1,Region One,C1")),
    ),
    _C(
        "places-unknown-county",
        "places.csv",
        "places.csv",
        3,
        "county_code",
        "not a county",
        _edit_csv("places.csv", _set_line(3, "D1,Dale,district,R1,Region One,C9")),
    ),
    _C(
        "places-directory",
        "places.csv",
        "places.csv",
        None,
        None,
        "not a file",
        _mkdir("places.csv"),
    ),
    _C(
        "places-too-big",
        "places.csv",
        "places.csv",
        None,
        None,
        "above the limit",
        _big("places.csv", limits().setting("csv_max_bytes") + 1),
    ),
    # --- indicators.yaml --------------------------------------------------------------------
    _C(
        "ind-entry-text",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "indicators",
        "mapping",
        _edit_yaml("indicators.yaml", lambda d: d["indicators"].__setitem__(1, "need_score")),
    ),
    _C(
        "ind-entry-null",
        "indicators.yaml",
        "indicators.yaml",
        3,
        "indicators",
        "mapping",
        _edit_yaml("indicators.yaml", lambda d: d["indicators"].__setitem__(2, None)),
    ),
    _C(
        "ind-decimals-text",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "decimals",
        "'lots'",
        _set_indicator(1, "decimals", "lots"),
    ),
    _C(
        "ind-decimals-negative",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "decimals",
        "whole",
        _set_indicator(1, "decimals", -1),
    ),
    _C(
        "ind-decimals-bool",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "decimals",
        "whole",
        _set_indicator(1, "decimals", True),
    ),
    _C(
        "ind-decimals-float",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "decimals",
        "whole",
        _set_indicator(1, "decimals", 1.5),
    ),
    _C(
        "ind-label-number",
        "indicators.yaml",
        "indicators.yaml",
        1,
        "label",
        "must be text",
        _set_indicator(0, "label", 3),
    ),
    _C(
        "ind-id-number",
        "indicators.yaml",
        "indicators.yaml",
        1,
        "id",
        "must be text",
        _set_indicator(0, "id", 7),
    ),
    _C(
        "ind-kind-list",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "kind",
        "must be text",
        _set_indicator(1, "kind", ["need"]),
    ),
    _C(
        "ind-levels-mapping",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "levels",
        "list",
        _set_indicator(1, "levels", {"upper": True}),
    ),
    _C(
        "ind-levels-unknown",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "levels",
        "middle",
        _set_indicator(1, "levels", ["middle"]),
    ),
    _C(
        "ind-source-text",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "source",
        "mapping",
        _set_indicator(1, "source", "ONS"),
    ),
    _C(
        "ind-source-url-list",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "source.url",
        "text",
        _set_indicator(1, "source", {**SOURCE, "url": ["a", "b"]}),
    ),
    _C(
        "ind-unit-unknown",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "unit",
        "furlongs",
        _set_indicator(1, "unit", "furlongs"),
    ),
    _C(
        "ind-notes-mapping",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "notes",
        "must be text",
        _set_indicator(1, "notes", {"a": 1}),
    ),
    _C(
        "ind-duplicate-id",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "id",
        "duplicate",
        _set_indicator(1, "id", "out_pct"),
    ),
    _C(
        "ind-no-definition",
        "indicators.yaml",
        "indicators.yaml",
        2,
        "definition",
        "lacks",
        _set_indicator(1, "definition", ""),
    ),
    _C(
        "ind-not-a-list",
        "indicators.yaml",
        "indicators.yaml",
        None,
        "indicators",
        "list",
        _edit_yaml("indicators.yaml", lambda d: d.__setitem__("indicators", {"a": 1})),
    ),
    _C(
        "ind-duplicate-key",
        "indicators.yaml",
        "indicators.yaml",
        3,
        "indicators.0.id",
        "twice",
        lambda r: _text(r, "indicators.yaml", "indicators:\n  - id: a\n    id: b\n"),
    ),
    # --- values.parquet ---------------------------------------------------------------------
    _C(
        "values-corrupt",
        "values.parquet",
        "values.parquet",
        None,
        None,
        "Parquet",
        lambda r: _bytes(r, "values.parquet", b"PAR1 not really"),
    ),
    _C(
        "values-directory",
        "values.parquet",
        "values.parquet",
        None,
        None,
        "not a file",
        _mkdir("values.parquet"),
    ),
    _C(
        "values-no-period",
        "values.parquet",
        "values.parquet",
        None,
        "period",
        "missing",
        _edit_frame("values.parquet", lambda d: d.drop(columns=["period"])),
    ),
    _C(
        "values-no-rows",
        "values.parquet",
        "values.parquet",
        None,
        "value",
        "no rows",
        _edit_frame("values.parquet", lambda d: d.iloc[0:0]),
    ),
    _C(
        "values-percent-above-100",
        "values.parquet",
        "values.parquet",
        2,
        "value",
        "above 100",
        _set_value(2, "value", 150.0),
    ),
    _C(
        "values-percent-below-0",
        "values.parquet",
        "values.parquet",
        3,
        "value",
        "below 0",
        _set_value(3, "value", -5.0),
    ),
    _C(
        "values-ci-above-100",
        "values.parquet",
        "values.parquet",
        1,
        "upper_ci",
        "above 100",
        _set_value(1, "upper_ci", 101.0),
    ),
    _C(
        "values-count-negative",
        "values.parquet",
        "values.parquet",
        10,
        "value",
        "below 0",
        _set_value(10, "value", -1.0),
    ),
    _C(
        "values-persons-negative",
        "values.parquet",
        "values.parquet",
        9,
        "value",
        "below 0",
        _set_value(9, "value", -150_000.0),
    ),
    _C(
        "values-persons-huge",
        "values.parquet",
        "values.parquet",
        9,
        "value",
        "above",
        _set_value(9, "value", 2e9),
    ),
    _C(
        "values-gbp-huge",
        "values.parquet",
        "values.parquet",
        7,
        "value",
        "above",
        _set_value(7, "value", 1e14),
    ),
    _C(
        "values-gbp-hugely-negative",
        "values.parquet",
        "values.parquet",
        7,
        "value",
        "below",
        _set_value(7, "value", -1e14),
    ),
    _C(
        "values-infinite",
        "values.parquet",
        "values.parquet",
        4,
        "value",
        "infinite",
        _set_value(4, "value", float("inf")),
    ),
    _C(
        "values-text",
        "values.parquet",
        "values.parquet",
        2,
        "value",
        "'sixty'",
        _edit_frame(
            "values.parquet",
            lambda d: d.assign(value=["50", "sixty", *d["value"].astype(str).iloc[2:]]),
        ),
    ),
    _C(
        "values-marker",
        "values.parquet",
        "values.parquet",
        2,
        "value",
        "suppression",
        _edit_frame(
            "values.parquet",
            lambda d: d.assign(value=["50", "[c]", *d["value"].astype(str).iloc[2:]]),
        ),
    ),
    _C(
        "values-dates",
        "values.parquet",
        "values.parquet",
        1,
        "value",
        "date",
        _edit_frame("values.parquet", lambda d: d.assign(value=pd.Timestamp("2024-01-01"))),
    ),
    _C(
        "values-lists",
        "values.parquet",
        "values.parquet",
        1,
        "value",
        "where a number belongs",
        _edit_frame("values.parquet", lambda d: d.assign(value=[[1.0, 2.0]] * len(d))),
    ),
    _C(
        "values-bools",
        "values.parquet",
        "values.parquet",
        1,
        "value",
        "true/false",
        _edit_frame("values.parquet", lambda d: d.assign(value=True)),
    ),
    _C(
        "values-place-null",
        "values.parquet",
        "values.parquet",
        5,
        "place_code",
        "empty",
        _set_value(5, "place_code", None),
    ),
    _C(
        "values-status-unknown",
        "values.parquet",
        "values.parquet",
        6,
        "status",
        "not a status",
        _set_value(6, "status", "vibes"),
    ),
    _C(
        "values-unknown-place",
        "values.parquet",
        "values.parquet",
        4,
        "place_code",
        "E99",
        _set_value(4, "place_code", "E99"),
    ),
    _C(
        "values-unknown-indicator",
        "values.parquet",
        "values.parquet",
        1,
        "indicator_id",
        "nope",
        _set_value(1, "indicator_id", "nope"),
    ),
    _C(
        "values-duplicate",
        "values.parquet",
        "values.parquet",
        11,
        "place_code, indicator_id, period",
        "duplicate",
        _edit_frame("values.parquet", lambda d: pd.concat([d, d.iloc[[4]]], ignore_index=True)),
    ),
    _C(
        "values-wrong-level",
        "values.parquet",
        "values.parquet",
        1,
        "place_code",
        "level",
        _set_value(1, "place_code", "D2"),
    ),
    _C(
        "values-reversed-interval",
        "values.parquet",
        "values.parquet",
        1,
        "lower_ci",
        "lower_ci is above",
        _edit_frame(
            "values.parquet",
            lambda d: d.assign(
                lower_ci=[56.0, *d["lower_ci"].iloc[1:]], upper_ci=[44.0, *d["upper_ci"].iloc[1:]]
            ),
        ),
    ),
    # --- coverage.csv (optional) ------------------------------------------------------------
    _C(
        "coverage-empty",
        "coverage.csv",
        "coverage.csv",
        1,
        None,
        "empty",
        lambda r: _text(r, "coverage.csv", ""),
    ),
    _C(
        "coverage-not-utf8",
        "coverage.csv",
        "coverage.csv",
        1,
        None,
        "UTF-8",
        lambda r: _bytes(r, "coverage.csv", b"indicator_id,lev\xffel\n"),
    ),
    _C(
        "coverage-no-column",
        "coverage.csv",
        "coverage.csv",
        1,
        "places_total",
        "missing",
        _edit_csv(
            "coverage.csv",
            lambda lines: lines.__setitem__(
                slice(None), [line.rsplit(",", 1)[0] for line in lines]
            ),
        ),
    ),
    _C(
        "coverage-count-text",
        "coverage.csv",
        "coverage.csv",
        2,
        "places_with_value",
        "not a count",
        _edit_csv("coverage.csv", _set_line(2, "out_pct,upper,2024-25,many,3")),
    ),
    _C(
        "coverage-count-negative",
        "coverage.csv",
        "coverage.csv",
        3,
        "places_total",
        "not a count",
        _edit_csv("coverage.csv", _set_line(3, "out_pct,lower,2024-25,0,-4")),
    ),
    _C(
        "coverage-directory",
        "coverage.csv",
        "coverage.csv",
        None,
        None,
        "not a file",
        _mkdir("coverage.csv"),
    ),
    # --- population.parquet (optional) ------------------------------------------------------
    _C(
        "pop-year-missing",
        "population.parquet",
        "population.parquet",
        2,
        "year",
        "whole",
        _edit_frame("population.parquet", lambda d: d.assign(year=[2024, None, 2024])),
    ),
    _C(
        "pop-year-fraction",
        "population.parquet",
        "population.parquet",
        3,
        "year",
        "whole",
        _edit_frame("population.parquet", lambda d: d.assign(year=[2024, 2024, 2024.5])),
    ),
    _C(
        "pop-year-text",
        "population.parquet",
        "population.parquet",
        1,
        "year",
        "not a number",
        _edit_frame("population.parquet", lambda d: d.assign(year=["last year", "2024", "2024"])),
    ),
    _C(
        "pop-persons-nan",
        "population.parquet",
        "population.parquet",
        2,
        "persons",
        "missing",
        _set_pop(2, "persons", float("nan")),
    ),
    _C(
        "pop-persons-huge",
        "population.parquet",
        "population.parquet",
        1,
        "persons",
        "above",
        _set_pop(1, "persons", 2e9),
    ),
    _C(
        "pop-persons-negative",
        "population.parquet",
        "population.parquet",
        3,
        "persons",
        "negative",
        _set_pop(3, "persons", -1.0),
    ),
    _C(
        "pop-persons-text",
        "population.parquet",
        "population.parquet",
        1,
        "persons",
        "not a number",
        _edit_frame("population.parquet", lambda d: d.assign(persons=["lots", "20", "50"])),
    ),
    _C(
        "pop-age-band",
        "population.parquet",
        "population.parquet",
        2,
        "age_band",
        "90+",
        _set_pop(2, "age_band", "90+"),
    ),
    _C(
        "pop-duplicate",
        "population.parquet",
        "population.parquet",
        4,
        "place_code, year, age_band",
        "second row",
        _edit_frame("population.parquet", lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True)),
    ),
    _C(
        "pop-unknown-place",
        "population.parquet",
        "population.parquet",
        1,
        "place_code",
        "X1",
        _set_pop(1, "place_code", "X1"),
    ),
    _C(
        "pop-no-age-band",
        "population.parquet",
        "population.parquet",
        None,
        "age_band",
        "missing",
        _edit_frame("population.parquet", lambda d: d.drop(columns=["age_band"])),
    ),
    _C(
        "pop-corrupt",
        "population.parquet",
        "population.parquet",
        None,
        None,
        "Parquet",
        lambda r: _bytes(r, "population.parquet", b""),
    ),
    # --- geo/*.geojson ----------------------------------------------------------------------
    _C(
        "geojson-deep",
        "geojson",
        "geo/upper.geojson",
        1,
        "geometry.coordinates" + "[0]" * 60,
        "levels deep",
        _geo_text(
            "upper.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature",'
            ' "properties": {"code": "C1"}, "geometry": {"type": "Polygon", "coordinates": '
            + "[" * 200_000
            + "]" * 200_000
            + "}}]}",
        ),
    ),
    _C(
        "geojson-deep-properties",
        "geojson",
        "geo/upper.geojson",
        2,
        "properties.name" + ".a" * 60,
        "levels deep",
        _feature(2, lambda f: f["properties"].__setitem__("name", _nest(62))),
    ),
    _C(
        "geojson-feature-text",
        "geojson",
        "geo/upper.geojson",
        2,
        "features",
        "JSON object",
        _edit_json("upper.geojson", lambda d: d["features"].__setitem__(1, "C2")),
    ),
    _C(
        "geojson-properties-list",
        "geojson",
        "geo/upper.geojson",
        3,
        "properties",
        "JSON object",
        _feature(3, lambda f: f.__setitem__("properties", ["M1"])),
    ),
    _C(
        "geojson-no-code",
        "geojson",
        "geo/upper.geojson",
        2,
        "properties.code",
        "no code",
        _feature(2, lambda f: f["properties"].pop("code")),
    ),
    _C(
        "geojson-code-mapping",
        "geojson",
        "geo/upper.geojson",
        1,
        "properties.code",
        "text",
        _feature(1, lambda f: f["properties"].__setitem__("code", {"id": "C1"})),
    ),
    _C(
        "geojson-string-coordinates",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry.coordinates[0]",
        "numbers",
        _ring0(2, [["0", "0"], ["1", "0"], ["1", "1"], ["0", "0"]]),
    ),
    _C(
        "geojson-nan-coordinates",
        "geojson",
        "geo/upper.geojson",
        1,
        "geometry.coordinates[0]",
        "finite",
        _geo_text("upper.geojson", json.dumps(features(UPPER)).replace("[0, 0]", "[NaN, 0]", 1)),
    ),
    _C(
        "geojson-infinite-coordinates",
        "geojson",
        "geo/upper.geojson",
        1,
        "geometry.coordinates[0]",
        "finite",
        _geo_text(
            "upper.geojson", json.dumps(features(UPPER)).replace("[1, 0]", "[Infinity, 0]", 1)
        ),
    ),
    _C(
        "geojson-null-coordinate",
        "geojson",
        "geo/upper.geojson",
        3,
        "geometry.coordinates[0]",
        "numbers",
        _ring0(3, [[0, 0], [1, None], [1, 1], [0, 0]]),
    ),
    _C(
        "geojson-short-ring",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry.coordinates[0]",
        "at least 4",
        _ring0(2, [[0, 0], [1, 0], [0, 0]]),
    ),
    _C(
        "geojson-open-ring",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry.coordinates[0]",
        "end where it starts",
        _ring0(2, [[0, 0], [1, 0], [1, 1], [0, 1]]),
    ),
    _C(
        "geojson-ragged-positions",
        "geojson",
        "geo/upper.geojson",
        1,
        "geometry.coordinates[0]",
        "[x, y]",
        _ring0(1, [[0, 0], [1], [1, 1], [0, 0]]),
    ),
    _C(
        "geojson-point",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry.type",
        "Point",
        _feature(2, lambda f: f.__setitem__("geometry", {"type": "Point", "coordinates": [0, 0]})),
    ),
    _C(
        "geojson-geometry-list",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry",
        "geometry object",
        _feature(2, lambda f: f.__setitem__("geometry", [[0, 0]])),
    ),
    _C(
        "geojson-geometry-null",
        "geojson",
        "geo/upper.geojson",
        2,
        "geometry",
        "no geometry",
        _feature(2, lambda f: f.__setitem__("geometry", None)),
    ),
    _C(
        "geojson-multipolygon-number-ring",
        "geojson",
        "geo/upper.geojson",
        1,
        "geometry.coordinates[0][0]",
        "list of positions",
        _feature(
            1, lambda f: f.__setitem__("geometry", {"type": "MultiPolygon", "coordinates": [[7]]})
        ),
    ),
    _C(
        "geojson-collinear",
        "geojson",
        "geo/upper.geojson",
        3,
        "geometry",
        "cannot be repaired",
        _ring0(3, [[0, 0], [1, 1], [2, 2], [0, 0]]),
    ),
    _C(
        "geojson-unknown-code",
        "geojson",
        "geo/lower.geojson",
        2,
        "code",
        "not a lower-tier",
        _edit_json(
            "lower.geojson", lambda d: d["features"][1]["properties"].__setitem__("code", "C1")
        ),
    ),
    _C(
        "geojson-not-collection",
        "geojson",
        "geo/upper.geojson",
        None,
        "features",
        "FeatureCollection",
        _edit_json("upper.geojson", lambda d: d.__setitem__("type", "Feature")),
    ),
    _C(
        "geojson-bad-json",
        "geojson",
        "geo/upper.geojson",
        2,
        None,
        "not valid JSON",
        _geo_text("upper.geojson", '{"type": "FeatureCollection",\n "features": [,]}'),
    ),
    _C(
        "geojson-empty",
        "geojson",
        "geo/upper.geojson",
        1,
        None,
        "not valid JSON",
        _geo_text("upper.geojson", ""),
    ),
    _C(
        "geojson-array",
        "geojson",
        "geo/upper.geojson",
        None,
        None,
        "JSON object",
        _geo_text("upper.geojson", "[]"),
    ),
    _C(
        "geojson-duplicate-key",
        "geojson",
        "geo/upper.geojson",
        None,
        "type",
        "twice",
        _geo_text("upper.geojson", '{"type": "FeatureCollection", "type": "x", "features": []}'),
    ),
    _C(
        "geojson-not-utf8",
        "geojson",
        "geo/lower.geojson",
        1,
        None,
        "UTF-8",
        lambda r: _bytes(r, "geo/lower.geojson", b'{"type": "Feature\xc3\x28"}'),
    ),
    _C(
        "geojson-too-many-features",
        "geojson",
        "geo/upper.geojson",
        None,
        "features",
        "above the limit",
        _edit_json(
            "upper.geojson",
            lambda d: d.__setitem__(
                "features", [{}] * (limits().setting("geojson_max_features") + 1)
            ),
        ),
    ),
    # --- geo/*.hexjson ----------------------------------------------------------------------
    _C(
        "hex-layout",
        "hexjson",
        "geo/lower.hexjson",
        None,
        "layout",
        "diagonal",
        _edit_json("lower.hexjson", lambda d: d.__setitem__("layout", "diagonal")),
    ),
    _C(
        "hex-q-text",
        "hexjson",
        "geo/lower.hexjson",
        2,
        "hexes.D2.q",
        "integer",
        _hex("D2", lambda h: h.__setitem__("q", "3")),
    ),
    _C(
        "hex-q-fraction",
        "hexjson",
        "geo/lower.hexjson",
        3,
        "hexes.U1.q",
        "integer",
        _hex("U1", lambda h: h.__setitem__("q", 1.5)),
    ),
    _C(
        "hex-r-bool",
        "hexjson",
        "geo/lower.hexjson",
        1,
        "hexes.D1.r",
        "integer",
        _hex("D1", lambda h: h.__setitem__("r", True)),
    ),
    _C(
        "hex-r-nan",
        "hexjson",
        "geo/lower.hexjson",
        4,
        "hexes.M1.r",
        "integer",
        _geo_text(
            "lower.hexjson",
            json.dumps(hexes(LOWER)).replace('"r": 0, "n": "M1"', '"r": NaN, "n": "M1"'),
        ),
    ),
    _C(
        "hex-cell-list",
        "hexjson",
        "geo/lower.hexjson",
        2,
        "hexes.D2",
        "object",
        _edit_json("lower.hexjson", lambda d: d["hexes"].__setitem__("D2", [1, 0])),
    ),
    _C(
        "hex-empty",
        "hexjson",
        "geo/upper.hexjson",
        None,
        "hexes",
        "hexes",
        _edit_json("upper.hexjson", lambda d: d.__setitem__("hexes", {})),
    ),
    _C(
        "hex-list",
        "hexjson",
        "geo/upper.hexjson",
        None,
        "hexes",
        "hexes",
        _edit_json("upper.hexjson", lambda d: d.__setitem__("hexes", [{"q": 0, "r": 0}])),
    ),
    _C(
        "hex-same-cell",
        "hexjson",
        "geo/lower.hexjson",
        2,
        "q, r",
        "same cell",
        _hex("D2", lambda h: h.update(q=0, r=0)),
    ),
    _C(
        "hex-unknown-code",
        "hexjson",
        "geo/upper.hexjson",
        4,
        "code",
        "not a upper-tier",
        _edit_json("upper.hexjson", lambda d: d["hexes"].__setitem__("D1", {"q": 9, "r": 9})),
    ),
    _C(
        "hex-missing",
        "hexjson",
        "geo/lower.hexjson",
        None,
        None,
        "missing",
        lambda r: (r / "geo" / "lower.hexjson").unlink(),
    ),
)


def _nest(depth: int) -> Any:
    """``{"a": {"a": ... "x" ...}}`` ``depth`` mappings deep."""
    out: Any = "x"
    for _ in range(depth):
        out = {"a": out}
    return out


def _bowtie(root: Path) -> None:
    """Feature 2 of upper.geojson becomes a self-intersecting 'bow tie'."""
    _ring0(2, [[1, 0], [2, 1], [2, 0], [1, 1], [1, 0]])(root)


def _bom(root: Path) -> None:
    path = root / "places.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _negative_spend(root: Path) -> None:
    _set_value(8, "value", -120.5)(root)


def _suppressed_with_number(root: Path) -> None:
    _edit_frame("values.parquet", lambda d: d.assign(status=["suppressed", *d["status"].iloc[1:]]))(
        root
    )


def _no_layout(root: Path) -> None:
    _edit_json("upper.hexjson", lambda d: d.pop("layout"))(root)


def _blank_lines(root: Path) -> None:
    _edit_csv("places.csv", lambda lines: lines.insert(3, ""))(root)


@dataclass(frozen=True)
class Accepted:
    """Odd but valid input: it loads, with ``note`` in ``Bundle.warnings`` (None: no note)."""

    id: str
    note: str | None
    changes: Callable[[Path], None]


ACCEPTED: tuple[Accepted, ...] = (
    Accepted("negative-spend", "below 0 (net income above spending)", _negative_spend),
    Accepted("bow-tie-polygon", "repaired with shapely make_valid", _bowtie),
    Accepted("places-bom", None, _bom),
    Accepted("suppressed-with-number", "read as missing", _suppressed_with_number),
    Accepted("hexjson-without-layout", None, _no_layout),
    Accepted("places-blank-line", None, _blank_lines),
)
