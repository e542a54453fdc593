"""Read each file of a bundle within the limits of data/catalogue/limits.yaml (size, nesting
depth, YAML aliases and expanded nodes): text is UTF-8 (a byte-order mark is dropped), YAML is
scanned before it is built, JSON and CSV failures name the line. Every failure is a
:class:`BundleError`; see docs/architecture.md ("The data bundle").
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dashboard.bundle.errors import BundleError
from dashboard.bundle.limits import limits
from dashboard.bundle.schema import DEFLATOR_COLUMNS
from dashboard.catalogue.yamlscan import (
    YAML_LOADER,
    YamlLimitError,
    YamlLimits,
    scan_yaml,
    syntax_error,
)

COVERAGE_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "level",
    "period",
    "places_with_value",
    "places_total",
)


def _read_bytes(path: Path, name: str, limit_key: str) -> bytes:
    """The bytes of ``path``, refused when missing, unreadable or above its size limit."""
    if not path.exists():
        raise BundleError(
            name,
            "file is missing",
            hint="every bundle has bundle.yaml, places.csv, indicators.yaml, values.parquet and geo/",
        )
    limit = limits().setting(limit_key)
    try:
        if not path.is_file():
            raise BundleError(name, "is not a file", hint="replace it with the file itself")
        size = path.stat().st_size
        if size > limit:
            raise BundleError(
                name,
                f"is {size} bytes, above the limit of {limit} bytes",
                hint=f"limits.yaml reading.{limit_key}",
            )
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise BundleError(
            name, f"cannot be read ({exc.strerror or exc})", hint="check the file's permissions"
        ) from exc


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); the line of a bad byte, or of a NUL
    byte (a binary file), is named."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise BundleError(
            name,
            f"not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})",
            row=line,
            hint="save the file as UTF-8",
        ) from exc
    nul = text.find("\x00")
    if nul >= 0:
        raise BundleError(
            name,
            "contains a NUL byte (a binary file?)",
            row=text.count("\n", 0, nul) + 1,
            hint="save the file as UTF-8 text",
        )
    return text


_HINTS = {
    "aliases": "write the values out; limits.yaml reading.yaml_max_aliases",
    "nodes": "limits.yaml reading.yaml_max_nodes",
    "depth": "limits.yaml reading.max_depth",
    "duplicate": "keep one of them",
    "recursive": "write the values out",
    "syntax": "check the indentation and quotes",
}


def _bundle_error(exc: YamlLimitError) -> BundleError:
    reason = exc.reason
    if exc.limit == "syntax":
        reason = f"not valid YAML ({exc.problem})"
    elif exc.limit == "duplicate":
        reason = "key " + reason.removeprefix("duplicate key: ")
    return BundleError(exc.file, reason, row=exc.line, column=exc.key, hint=_HINTS[exc.limit])


def _scan_yaml(text: str, name: str) -> None:
    """Refuse YAML beyond the limits of limits.yaml before anything is built (the shared scan)."""
    lim = limits()
    bounds = YamlLimits(
        max_depth=lim.setting("max_depth"),
        max_aliases=lim.setting("yaml_max_aliases"),
        max_nodes=lim.setting("yaml_max_nodes"),
    )
    try:
        scan_yaml(text, name, bounds)
    except YamlLimitError as exc:
        raise _bundle_error(exc) from None


def _yaml_error(name: str, exc: yaml.YAMLError) -> BundleError:
    return _bundle_error(syntax_error(name, exc))


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML file whose top is a mapping, scanned for depth, aliases and duplicate keys first."""
    name = path.name
    text = _decode(_read_bytes(path, name, "yaml_max_bytes"), name)
    _scan_yaml(text, name)
    try:
        data = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc) from exc
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:  # constructor limits
        raise BundleError(
            name, f"cannot be read as YAML ({type(exc).__name__}: {exc})", hint="check the YAML"
        ) from exc
    if not isinstance(data, dict):
        raise BundleError(
            name, "must be a YAML mapping (key: value)", hint="start the file with 'key: value'"
        )
    return data


def read_places(path: Path) -> pd.DataFrame:
    """places.csv as text columns; a row with more or fewer fields than the header is refused
    naming its line and the first column it lacks (or that it has beyond the header)."""
    file = "places.csv"
    text = _decode(_read_bytes(path, file, "csv_max_bytes"), file)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise BundleError(file, "has no header row", row=1, hint="first line: code,name,...")
        header = [h.strip() for h in header]
        dup = [h for h in header if header.count(h) > 1]
        if dup:
            raise BundleError(
                file,
                "column appears twice in the header",
                row=1,
                column=dup[0],
                hint="rename or drop one of them",
            )
        rows = []
        for rec in reader:
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue  # a blank line
            if len(rec) != len(header):
                column = (
                    header[len(rec)]
                    if len(rec) < len(header)
                    else f"(field {len(rec)}, beyond the last column '{header[-1]}')"
                )
                raise BundleError(
                    file,
                    f"has {len(rec)} fields where the header has {len(header)}",
                    row=reader.line_num,
                    column=column,
                    hint="quote values that contain commas",
                )
            rows.append(rec)
    except csv.Error as exc:
        raise BundleError(
            file, f"cannot be read as CSV ({exc})", row=reader.line_num, hint="check the quoting"
        ) from exc
    return (
        pd.DataFrame(rows, columns=header, dtype=object).astype(str)
        if rows
        else (pd.DataFrame(columns=header, dtype=str))
    )


def read_coverage(path: Path) -> pd.DataFrame:
    """The optional coverage.csv (written by write_bundle): refused like any other file."""
    file = "coverage.csv"
    text = _decode(_read_bytes(path, file, "csv_max_bytes"), file)
    if not text.strip():
        raise BundleError(
            file, "is empty", row=1, hint="delete it (it is optional) or rebuild the bundle"
        )
    try:
        df = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise BundleError(
            file, f"cannot be read as CSV ({exc})".replace("\n", " "), hint="check the quoting"
        ) from exc
    for col in COVERAGE_COLUMNS:
        if col not in df.columns:
            raise BundleError(
                file, "required column is missing", row=1, column=col, hint="rebuild the bundle"
            )
    for col in ("places_with_value", "places_total"):
        num = pd.to_numeric(df[col], errors="coerce")
        bad = num.isna() | (num < 0) | (num != num.round())
        if bad.any():
            r = int(bad.to_numpy().argmax()) + 1
            raise BundleError(
                file,
                f"'{df[col].iloc[r - 1]}' is not a count of places",
                row=r + 1,
                column=col,
                hint="rebuild the bundle",
            )
        df[col] = num.astype(int)
    return df


def read_parquet(path: Path, name: str) -> pd.DataFrame:
    """A Parquet file as a frame (within the size limit); any pyarrow failure is refused."""
    _read_bytes_check(path, name)
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many unrelated types
        raise BundleError(
            name,
            f"cannot be read as Parquet ({type(exc).__name__}: {exc})",
            hint="write it again with pandas.DataFrame.to_parquet",
        ) from exc


def _read_bytes_check(path: Path, name: str) -> None:
    """The existence, type and size checks of :func:`_read_bytes`, without reading."""
    if not path.exists():
        raise BundleError(
            name,
            "file is missing",
            hint="every bundle has bundle.yaml, places.csv, indicators.yaml, values.parquet and geo/",
        )
    if not path.is_file():
        raise BundleError(name, "is not a file", hint="replace it with the file itself")
    limit = limits().setting("parquet_max_bytes")
    size = path.stat().st_size
    if size > limit:
        raise BundleError(
            name,
            f"is {size} bytes, above the limit of {limit} bytes",
            hint="limits.yaml reading.parquet_max_bytes",
        )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _DuplicateKey(key)
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_depth(node: Any, max_depth: int, skip: str | None = None) -> list[str | int] | None:
    """The path (keys and list indices) to the first container nested deeper than
    ``max_depth`` (None if none is); the subtree under key ``skip`` of any object (a
    feature's geometry, checked on its own) is skipped."""
    stack: list[tuple[Any, list[str | int]]] = [(node, [])]
    while stack:
        obj, where = stack.pop()
        if len(where) >= max_depth:
            return where
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k != skip and isinstance(v, dict | list):
                    stack.append((v, [*where, k]))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                if isinstance(v, dict | list):
                    stack.append((v, [*where, i]))
    return None


def _json_deep_path(text: str, max_depth: int) -> list[str | int]:
    """The path to where ``text`` (JSON too deep for the parser) first opens more than
    ``max_depth`` containers: a character scan that stops there, so it is quick on a bomb."""
    stack: list[list[Any]] = []  # [is_object, key or index]
    last = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    return [f[1] for f in stack]
                k = j - 1
                while text[k] == "\\":
                    k -= 1
                if (j - 1 - k) % 2 == 0:
                    break
                j += 1
            last = text[i + 1 : j]
            i = j + 1
            continue
        if c in "[{":
            stack.append([c == "{", None if c == "{" else 0])
            if len(stack) > max_depth:
                return [f[1] for f in stack[:-1]]
        elif c in "]}" and stack:
            stack.pop()
        elif c == "," and stack and not stack[-1][0]:
            stack[-1][1] += 1
        elif c == ":" and stack and stack[-1][0]:
            stack[-1][1] = last
        i += 1
    return [f[1] for f in stack]


def _where(path: list[str | int]) -> tuple[int | None, str]:
    """A JSON path as (feature or hex number, property path): ``features[2].geometry`` is
    feature 3, property ``geometry``; ``hexes.E06000001.q`` is named as it is."""
    row = None
    if len(path) >= 2 and path[0] == "features" and isinstance(path[1], int):
        row, path = path[1] + 1, path[2:]
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return row, text or "(top)"


def _deep_error(name: str, path: list[str | int], max_depth: int) -> BundleError:
    row, column = _where(path)
    return BundleError(
        name,
        f"is nested more than {max_depth} levels deep",
        row=row,
        column=column,
        hint="limits.yaml reading.max_depth",
    )


def read_json(path: Path, name: str) -> dict[str, Any]:
    """A JSON object within the size and depth limits; NaN and Infinity are read as numbers
    (and refused where a coordinate or a cell belongs), a key twice in one object is refused."""
    text = _decode(_read_bytes(path, name, "json_max_bytes"), name)
    max_depth = limits().setting("max_depth")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise BundleError(
            name, f"not valid JSON ({exc.msg})", row=exc.lineno, hint=f"column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise _deep_error(name, _json_deep_path(text, max_depth), max_depth) from exc
    except _DuplicateKey as exc:
        raise BundleError(
            name, "a key appears twice in one JSON object", column=exc.key, hint="keep one"
        ) from exc
    if not isinstance(data, dict):
        raise BundleError(name, "must be a JSON object", hint="start the file with '{'")
    deep = _json_depth(data, max_depth, skip="geometry")
    if deep is not None:
        raise _deep_error(name, deep, max_depth)
    return data


def read_deflators(path: Path) -> pd.DataFrame:
    """The optional deflators.csv: ``period`` (text) and ``index`` (a price index, any reference
    year), one row per period. A missing column, a row of the wrong length, a blank period, a
    period twice, or an index that is not a positive finite number is refused naming the line
    (the header is line 1) and the column."""
    file = "deflators.csv"
    text = _decode(_read_bytes(path, file, "csv_max_bytes"), file)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, None) or []]
        for col in DEFLATOR_COLUMNS:
            if col not in header:
                raise BundleError(
                    file,
                    "required column is missing",
                    row=1,
                    column=col,
                    hint="the header is: period,index",
                )
        at = {c: header.index(c) for c in DEFLATOR_COLUMNS}
        periods: list[str] = []
        index: list[float] = []
        seen: dict[str, int] = {}
        for rec in reader:
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue
            line = reader.line_num
            if len(rec) != len(header):
                raise BundleError(
                    file,
                    f"has {len(rec)} fields where the header has {len(header)}",
                    row=line,
                    column=header[min(len(rec), len(header) - 1)],
                    hint="one period and one index a line",
                )
            period = rec[at["period"]].strip()
            if not period:
                raise BundleError(
                    file, "empty period", row=line, column="period", hint="e.g. 2024-25"
                )
            if period in seen:
                raise BundleError(
                    file,
                    f"period '{period}' is listed twice (first on line {seen[period]})",
                    row=line,
                    column="period",
                    hint="keep one",
                )
            seen[period] = line
            raw = rec[at["index"]].strip()
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value <= 0:
                raise BundleError(
                    file,
                    f"'{raw}' is not a price index (a positive number)",
                    row=line,
                    column="index",
                    hint="write the deflator's value for the period, e.g. 112.38",
                )
            periods.append(period)
            index.append(value)
    except csv.Error as exc:
        raise BundleError(
            file, f"cannot be read as CSV ({exc})", row=reader.line_num, hint="check the quoting"
        ) from exc
    if not periods:
        raise BundleError(file, "has no rows", row=2, hint="one row per period: period,index")
    return pd.DataFrame({"period": periods, "index": index})
