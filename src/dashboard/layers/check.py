"""Checking a layer against the bundle it joins: every problem at once, each with its row and
column (pandera schemas, lazily validated, then written in words).

:func:`check_layer` is what the command line (``check-layer``) and the app's upload both call.
It never raises for bad content: a file refused outright (too large, not a table) is one
problem at row 0; otherwise every cell is checked and every failure reported, up to
limits.yaml ``upload.max_problems``. A layer is returned only when there is no problem.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from dashboard.bundle.limits import input_limit, limits
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import ENGLAND_CODE, KIND_LEVELS, LEVELS, STATUSES, UNITS
from dashboard.catalogue import param
from dashboard.layers.format import (
    DEFINITION_COLUMNS,
    DEFINITIONS_SHEET,
    INDICATOR_ID,
    MARKER_STATUS,
    PERIOD_FORMS,
    VALUES_COLUMNS,
    VALUES_SHEET,
    ColumnSpec,
)
from dashboard.layers.model import LAYER_DEFINITION_COLUMNS, LAYER_VALUE_COLUMNS, Layer
from dashboard.layers.read import LayerFileError, Problem, RawTables, read_tables

__all__ = ["CheckResult", "Problem", "check_layer", "check_tables", "parse_numbers"]

_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_DUPLICATE = "duplicate"
#: The markers a message names as examples (every one of MARKER_STATUS is accepted).
_SHOWN_MARKERS = ("x", "c", "..", ":", "z", "u", "low")
_KEY = ("place_code", "indicator_id", "period")


@dataclass(frozen=True)
class CheckResult:
    """What checking a layer file found: every problem (empty when the layer is clean), the
    layer when clean, and notes that are not problems (e.g. the file's text encoding)."""

    file: str
    problems: tuple[Problem, ...]
    layer: Layer | None = None
    notes: tuple[str, ...] = field(default=())
    rows: int = 0
    more: int = 0  # problems found beyond limits.yaml upload.max_problems (not listed)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """Every problem as ``FILE:ROW:COLUMN: message``, and a last line counting any left
        out."""
        out = [p.line() for p in self.problems]
        if self.more:
            out.append(f"{self.file}:0:: and {self.more:,} more problems not listed")
        return out


# --- helpers ------------------------------------------------------------------------------------
def parse_numbers(s: pd.Series) -> pd.Series:
    """Text cells as floats (NaN where empty or not a number). ``1,234.5`` is read with its
    thousands separator; nothing else is guessed."""
    text = s.astype(str).str.strip()
    text = text.where(~text.str.fullmatch(_THOUSANDS), text.str.replace(",", "", regex=False))
    return pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)


def _markers(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.lower().isin(MARKER_STATUS)


def _period_ok(s: pd.Series) -> pd.Series:
    ok = pd.Series(False, index=s.index)
    for _, pattern in PERIOD_FORMS:
        ok |= s.str.fullmatch(pattern.pattern)
    return ok


def _fy_ok(s: pd.Series) -> pd.Series:
    """A financial year's second part follows its first (2025-26, never 2025-27)."""
    parts = s.str.extract(r"^(\d{4})-(\d{2})(?: Q[1-4])?$")
    bad = parts[0].notna() & (
        (parts[0].str[2:].astype(float) + 1) % 100 != parts[1].astype(float, errors="ignore")
    )
    return ~bad.fillna(False).astype(bool)


#: Every column of both sheets by name.
_SPECS: dict[str, ColumnSpec] = {s.name: s for s in (*VALUES_COLUMNS, *DEFINITION_COLUMNS)}


def _match_ratio() -> float:
    """How alike a typed name must be to a known one for it to be suggested (0 to 1)."""
    return param("limits.yaml", "upload.match_ratio").value


def _choices(spec: ColumnSpec) -> str:
    return ", ".join(spec.choices)


#: Letters typed for digits in codes (O for 0, I or l for 1).
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def _near_codes(value: str, codes: list[str]) -> list[str]:
    """Codes one or two characters away from ``value`` (after lookalike letters are read as
    digits), nearest first, at most three."""
    typed = value.strip().translate(_LOOKALIKE).upper()
    scored = sorted(
        (sum(a != b for a, b in zip(typed, c, strict=True)), c)
        for c in codes
        if len(c) == len(typed)
    )
    return [c for d, c in scored if d <= 2][:3]


def _suggest_place(value: str, bundle: Bundle) -> str:
    """Words after an unknown place code: the place it names, or the nearest codes."""
    places = bundle.places[bundle.places["kind"] != "country"]
    by_name = {str(n).lower(): str(c) for c, n in zip(places["code"], places["name"], strict=True)}
    if value.lower() in by_name:
        code = by_name[value.lower()]
        return f": that is a name; {bundle.place_name(code)}'s code is {code}"
    near = _near_codes(value, places["code"].astype(str).tolist())
    if not near:
        names = difflib.get_close_matches(value.lower(), list(by_name), 3, _match_ratio())
        near = [by_name[n] for n in names]
    if near:
        return ": did you mean " + " or ".join(f"{c} ({bundle.place_name(c)})" for c in near) + "?"
    return ": use the council's 9-character GSS code (e.g. E08000010)"


# --- definitions --------------------------------------------------------------------------------
def _definition_schema(bundle: Bundle, present: set[str]) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for spec in DEFINITION_COLUMNS:
        if spec.name not in present:
            continue
        checks = []
        if spec.required:
            checks.append(pa.Check(lambda s: s != "", error="required"))
        if spec.name == "id":
            checks.append(
                pa.Check(lambda s: (s == "") | s.str.fullmatch(INDICATOR_ID.pattern), error="id")
            )
            known = set(bundle.indicators["id"].astype(str))
            checks.append(pa.Check(lambda s, k=known: ~s.isin(k), error="catalogue_id"))
        elif spec.name == "levels":
            checks.append(
                pa.Check(
                    lambda s: s.map(
                        lambda v: (
                            v == ""
                            or all(p.strip() in LEVELS for p in v.replace(",", ";").split(";"))
                        )
                    ),
                    error="levels",
                )
            )
        elif spec.name == "source_url":
            checks.append(
                pa.Check(lambda s: (s == "") | s.str.match(r"^https?://\S+$"), error="url")
            )
        elif spec.choices:
            checks.append(
                pa.Check(
                    lambda s, c=spec.choices: (s == "") | s.isin(c), error=f"choice:{spec.name}"
                )
            )
        columns[spec.name] = pa.Column(str, checks, nullable=False)
    frame_checks = []
    if {"kind", "agency"} <= present:
        frame_checks.append(
            pa.Check(lambda d: (d["kind"] != "spend") | (d["agency"] != ""), error="agency_needed")
        )
        frame_checks.append(
            pa.Check(lambda d: (d["agency"] == "") | (d["kind"] == "spend"), error="agency_spend")
        )
    elif "kind" in present:
        frame_checks.append(pa.Check(lambda d: d["kind"] != "spend", error="agency_needed"))
    unique = ["id"] if "id" in present else None
    return pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        unique=unique,
        report_duplicates="exclude_first",
    )


# --- values -------------------------------------------------------------------------------------
@dataclass
class _Known:
    """What the values are checked against: the bundle's places and indicators plus the
    layer's own definitions (id -> unit, levels)."""

    bundle: Bundle
    units: dict[str, str]
    levels: dict[str, tuple[str, ...]]
    labels: dict[str, str]
    csv: bool


def _known(bundle: Bundle, definitions: pd.DataFrame | None, csv: bool) -> _Known:
    ind = bundle.indicators
    units = dict(zip(ind["id"].astype(str), ind["unit"].astype(str), strict=True))
    levels = {str(i): tuple(lv) for i, lv in zip(ind["id"], ind["levels"], strict=True)}
    labels = dict(zip(ind["id"].astype(str), ind["label"].astype(str), strict=True))
    if definitions is not None and "id" in definitions:
        for rec in definitions.to_dict("records"):
            i = str(rec.get("id", ""))
            if not i or i in units:
                continue
            units[i] = str(rec.get("unit", ""))
            levels[i] = tuple(
                p.strip() for p in str(rec.get("levels", "")).replace(",", ";").split(";")
            )
            labels[i] = str(rec.get("label", i))
    return _Known(bundle, units, levels, labels, csv)


def _place_levels(bundle: Bundle) -> dict[str, tuple[str, ...]]:
    return {
        str(c): KIND_LEVELS.get(str(k), ())
        for c, k in zip(bundle.places["code"], bundle.places["kind"], strict=True)
    }


def _values_schema(k: _Known, present: set[str]) -> pa.DataFrameSchema:
    place_levels = _place_levels(k.bundle)
    rng = limits().units
    columns: dict[str, pa.Column] = {}
    for spec in VALUES_COLUMNS:
        if spec.name not in present:
            continue
        checks = []
        if spec.name in ("place_code", "indicator_id", "period"):
            checks.append(pa.Check(lambda s: s != "", error="required"))
        if spec.name == "place_code":
            checks.append(pa.Check(lambda s: s != ENGLAND_CODE, error="england"))
            codes = set(place_levels) - {ENGLAND_CODE}
            checks.append(
                pa.Check(
                    lambda s, c=codes: (s == "") | (s == ENGLAND_CODE) | s.isin(c), error="place"
                )
            )
        elif spec.name == "indicator_id":
            checks.append(pa.Check(lambda s: (s == "") | s.isin(set(k.units)), error="indicator"))
        elif spec.name == "period":
            checks.append(pa.Check(lambda s: (s == "") | _period_ok(s), error="period"))
            checks.append(pa.Check(lambda s: (s == "") | ~_period_ok(s) | _fy_ok(s), error="fy"))
        elif spec.name == "value":
            checks.append(
                pa.Check(
                    lambda s: (s == "") | _markers(s) | parse_numbers(s).notna(), error="number"
                )
            )
        elif spec.name in ("lower_ci", "upper_ci"):
            checks.append(pa.Check(lambda s: (s == "") | parse_numbers(s).notna(), error="number"))
        elif spec.name == "status":
            allowed = set(STATUSES)
            checks.append(pa.Check(lambda s, a=allowed: s.isin(a), error="status"))
        columns[spec.name] = pa.Column(str, checks, nullable=False)

    def level_ok(d: pd.DataFrame) -> pd.Series:
        here = d["place_code"].map(place_levels)
        want = d["indicator_id"].map(k.levels)
        both = here.notna() & want.notna()
        fits = pd.Series(
            [not b or bool(set(h) & set(w)) for b, h, w in zip(both, here, want, strict=True)],
            index=d.index,
        )
        return fits | (d["place_code"] == ENGLAND_CODE)

    def range_ok(d: pd.DataFrame) -> pd.Series:
        v = parse_numbers(d["value"])
        units = d["indicator_id"].map(k.units)
        lo = units.map(lambda u: rng.get(u).min if u in rng and rng[u].min is not None else -np.inf)
        hi = units.map(lambda u: rng.get(u).max if u in rng and rng[u].max is not None else np.inf)
        return v.isna() | ((v >= lo.astype(float)) & (v <= hi.astype(float)))

    def ci_ok(d: pd.DataFrame) -> pd.Series:
        v = parse_numbers(d["value"])
        lo = parse_numbers(d["lower_ci"]) if "lower_ci" in d else pd.Series(np.nan, index=d.index)
        hi = parse_numbers(d["upper_ci"]) if "upper_ci" in d else pd.Series(np.nan, index=d.index)
        bad = (lo > v) | (hi < v) | (lo > hi)
        return ~bad.fillna(False)

    frame_checks = []
    if {"place_code", "indicator_id"} <= present:
        frame_checks.append(pa.Check(level_ok, error="level"))
    if {"indicator_id", "value"} <= present:
        frame_checks.append(pa.Check(range_ok, error="range"))
    if "value" in present and present & {"lower_ci", "upper_ci"}:
        frame_checks.append(pa.Check(ci_ok, error="ci"))
    unique = list(_KEY) if set(_KEY) <= present else None
    return pa.DataFrameSchema(
        columns, checks=frame_checks, unique=unique, report_duplicates="exclude_first"
    )


#: Which column a frame-wide check's failure is reported in.
_FRAME_COLUMN = {
    "level": "place_code",
    "range": "value",
    "ci": "lower_ci",
    "agency_needed": "agency",
    "agency_spend": "agency",
}


def _message(key: str, column: str, value: str, rec: dict[str, Any], k: _Known | None) -> str:
    """The words for one failed check on one cell."""
    specs = _SPECS
    if key == "required":
        return "empty: this column must be filled on every row"
    if key == "england":
        return f"{ENGLAND_CODE} is England, not a council: a layer holds councils' figures"
    if key == "place" and k is not None:
        return f"unknown place code '{value}'{_suggest_place(value, k.bundle)}"
    if key == "indicator" and k is not None:
        near = difflib.get_close_matches(value, list(k.units), 2, _match_ratio())
        hint = f": did you mean {' or '.join(near)}?" if near else ""
        where = (
            "a CSV layer holds catalogue indicators only; define new ones on the definitions "
            "sheet of the XLSX template"
            if k.csv
            else "define it on the definitions sheet"
        )
        return f"unknown indicator '{value}'{hint} (not in the catalogue: {where})"
    if key == "period":
        forms = "; ".join(words for words, _ in PERIOD_FORMS)
        return f"'{value}' is not a period: write {forms}"
    if key == "fy":
        start = int(value[:4])
        return (
            f"'{value}' is not a financial year: the second year follows the first "
            f"({start}-{(start + 1) % 100:02d})"
        )
    if key == "number":
        hint = ""
        unit = k.units.get(str(rec.get("indicator_id")), "") if k is not None else ""
        label = UNITS.get(unit, ("its unit",))[0]
        if value.endswith("%"):
            hint = f": write {value[:-1].strip()} alone (the indicator's unit is {label})"
        elif any(ch in value for ch in "£$€"):
            hint = ": write the number alone, without a currency sign"
        elif value.lower() in ("0", "zero"):
            hint = ""
        else:
            hint = f" (nor an official marker such as {', '.join(_SHOWN_MARKERS)})"
        return f"'{value}' is not a number{hint}"
    if key == "status":
        return f"'{value}' is not a status: allowed are empty, {_choices(specs['status'])}"
    if key == "level" and k is not None:
        code, ind = str(rec.get("place_code")), str(rec.get("indicator_id"))
        place = k.bundle.place(code)
        here = " and ".join(KIND_LEVELS.get(str(place["kind"]), ()))
        want = " and ".join(k.levels.get(ind, ()))
        return (
            f"{code} ({place['name']}) is a {str(place['kind']).replace('_', ' ')} council, "
            f"compared at the {here} tier; '{ind}' is for the {want} tier"
        )
    if key == "range" and k is not None:
        unit = k.units.get(str(rec.get("indicator_id")), "")
        r = limits().units.get(unit)
        label = UNITS.get(unit, (unit,))[0]
        lo = "no minimum" if r is None or r.min is None else f"{r.min:,.10g}"
        hi = "no maximum" if r is None or r.max is None else f"{r.max:,.10g}"
        return f"{rec.get('value')} is outside the range of {label} ({lo} to {hi})"
    if key == "ci":
        return (
            f"the interval {rec.get('lower_ci', '') or '…'} to {rec.get('upper_ci', '') or '…'} "
            f"does not hold the value {rec.get('value')}"
        )
    if key == "id":
        return f"'{value}' is not an indicator id: {specs['id'].allowed}"
    if key == "catalogue_id" and k is not None:
        label = k.labels.get(value, value)
        return (
            f"'{value}' is already an indicator of the catalogue ({label}): put its values on "
            "the values sheet without a definition, or choose a new id"
        )
    if key == "levels":
        return f"'{value}' is not a list of levels: write upper, lower or upper;lower"
    if key == "url":
        return f"'{value}' is not a web address: it must start with http:// or https://"
    if key.startswith("choice:"):
        return f"'{value}' is not allowed in {column}: allowed are {_choices(specs[column])}"
    if key == "agency_needed":
        return (
            f"a spend indicator needs the agency that spends it: one of {_choices(specs['agency'])}"
        )
    if key == "agency_spend":
        return "an agency is given only for a spend indicator (kind spend)"
    return f"'{value}' fails the check {key}"


def _run(
    schema: pa.DataFrameSchema, df: pd.DataFrame, file: str, sheet: str, k: _Known | None
) -> list[Problem]:
    try:
        schema.validate(df, lazy=True)
        return []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    cache: dict[int, dict[str, Any]] = {}

    def record(i: int) -> dict[str, Any]:
        if i not in cache:
            cache[i] = df.iloc[i].to_dict()
        return cache[i]

    out: list[Problem] = []
    seen: set[tuple[int, str, str]] = set()
    firsts: dict[tuple, int] = {}
    for rec in cases.to_dict("records"):
        idx = rec.get("index")
        if idx is None or (isinstance(idx, float) and np.isnan(idx)):
            continue
        i = int(idx)
        key = str(rec["check"])
        row = record(i)
        if key == "multiple_fields_uniqueness" or key.startswith("field_uniqueness"):
            cols = list(_KEY) if sheet != DEFINITIONS_SHEET else ["id"]
            ident = (i, _DUPLICATE, "")
            if ident in seen:
                continue
            seen.add(ident)
            if not firsts:
                firsts = _first_rows(df, cols)
            first = firsts[tuple(row[c] for c in cols)]
            what = ", ".join(f"{c} {row[c]}" for c in cols)
            out.append(
                Problem(
                    file,
                    i + 2,
                    ", ".join(cols),
                    f"duplicate: {what} again (first at row {first + 2}); keep one row",
                    sheet,
                )
            )
            continue
        column = rec.get("column")
        if rec.get("schema_context") == "DataFrameSchema" or not isinstance(column, str):
            column = _FRAME_COLUMN.get(key, "")
        ident = (i, key, column)
        if ident in seen:
            continue
        seen.add(ident)
        value = str(row.get(column, "")) if column else ""
        out.append(Problem(file, i + 2, column, _message(key, column, value, row, k), sheet))
    return out


def _first_rows(df: pd.DataFrame, cols: list[str]) -> dict[tuple, int]:
    first: dict[tuple, int] = {}
    for i, key in enumerate(zip(*(df[c] for c in cols), strict=True)):
        first.setdefault(key, i)
    return first


def _columns(
    df: pd.DataFrame, specs: tuple[ColumnSpec, ...], file: str, sheet: str
) -> list[Problem]:
    out = []
    names = [s.name for s in specs]
    for spec in specs:
        if spec.required and spec.name not in df.columns:
            out.append(
                Problem(file, 1, spec.name, f"missing column '{spec.name}': {spec.meaning}", sheet)
            )
    for col in df.columns:
        if col not in names:
            near = difflib.get_close_matches(col, names, 1, _match_ratio())
            hint = f"did you mean '{near[0]}'? " if near else ""
            out.append(
                Problem(
                    file,
                    1,
                    col,
                    f"unknown column '{col}': {hint}the columns are {', '.join(names)}",
                    sheet,
                )
            )
    return out


# --- the checked layer ----------------------------------------------------------------------------
def _layer(raw: RawTables, title: str) -> Layer:
    v = raw.values
    out = pd.DataFrame({c: v.get(c, "") for c in ("place_code", "indicator_id", "period")})
    out["value"] = parse_numbers(v["value"])
    for c in ("lower_ci", "upper_ci"):
        out[c] = parse_numbers(v[c]) if c in v else np.nan
    given = v["status"] if "status" in v else pd.Series("", index=v.index)
    marker = v["value"].str.strip().str.lower().map(MARKER_STATUS).fillna("")
    out["status"] = given.where(given != "", marker).astype(str)
    out = out[list(LAYER_VALUE_COLUMNS)].reset_index(drop=True)
    d = raw.definitions
    if d is None or d.empty:
        defs = pd.DataFrame({c: pd.Series(dtype=object) for c in LAYER_DEFINITION_COLUMNS})
    else:
        defs = pd.DataFrame({c: d.get(c, "") for c in LAYER_DEFINITION_COLUMNS})
        defs["levels"] = [
            tuple(p.strip() for p in str(x).replace(",", ";").split(";") if p.strip())
            for x in defs["levels"]
        ]
    return Layer(
        title=title or raw.file.rsplit(".", 1)[0],
        filename=raw.file,
        values=out,
        definitions=defs.reset_index(drop=True),
    )


def check_tables(raw: RawTables, bundle: Bundle, *, title: str = "") -> CheckResult:
    """Check tables already read (see :func:`check_layer`)."""
    problems: list[Problem] = list(raw.problems)
    xlsx = raw.kind == "xlsx"
    vs = VALUES_SHEET if xlsx else ""
    defs = raw.definitions
    if defs is not None and len(defs):
        problems += _columns(defs, DEFINITION_COLUMNS, raw.file, DEFINITIONS_SHEET)
        present = set(defs.columns)
        problems += _run(
            _definition_schema(bundle, present),
            defs,
            raw.file,
            DEFINITIONS_SHEET,
            _known(bundle, None, False),
        )
    k = _known(bundle, defs, not xlsx)
    problems += _columns(raw.values, VALUES_COLUMNS, raw.file, vs)
    if raw.values.empty:
        problems.append(Problem(raw.file, 2, "", "no rows of values under the header", vs))
    else:
        present = set(raw.values.columns)
        problems += _run(_values_schema(k, present), raw.values, raw.file, vs, k)
    if defs is not None and len(defs) and "id" in defs and "indicator_id" in raw.values:
        used = set(raw.values["indicator_id"])
        for i, ident in enumerate(defs["id"]):
            if ident and ident not in used:
                problems.append(
                    Problem(
                        raw.file,
                        i + 2,
                        "id",
                        f"'{ident}' is defined but has no values on the values sheet",
                        DEFINITIONS_SHEET,
                    )
                )
    order = {DEFINITIONS_SHEET: 1}
    problems.sort(key=lambda p: (order.get(p.sheet, 0), p.row, p.column))
    top = input_limit("upload", "max_problems")
    listed, more = problems[:top], max(len(problems) - top, 0)
    layer = None if problems else _layer(raw, title)
    return CheckResult(
        file=raw.file,
        problems=tuple(listed),
        layer=layer,
        notes=raw.notes,
        rows=len(raw.values),
        more=more,
    )


def check_layer(content: bytes, filename: str, bundle: Bundle, *, title: str = "") -> CheckResult:
    """Read and check an uploaded layer file (bytes, as uploaded) against ``bundle``.

    Returns every problem found (row as a spreadsheet shows it, header = row 1) and, when there
    is none, the :class:`Layer` (``title`` names it; by default the file's name)."""
    try:
        raw = read_tables(content, filename)
    except LayerFileError as exc:
        return CheckResult(file=exc.problem.file, problems=(exc.problem,))
    return check_tables(raw, bundle, title=title)
