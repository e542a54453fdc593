"""Checks of bundle.yaml and indicators.yaml: every refusal a BundleError naming the file, the
entry (row) and the field (column); see docs/architecture.md ("The data bundle")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.limits import limits
from dashboard.bundle.schema import (
    AGENCIES,
    BUNDLE_REQUIRED_KEYS,
    INDICATOR_FIELDS,
    INDICATOR_KINDS,
    INDICATOR_OPTIONAL_TEXT,
    LEVELS,
    POLARITIES,
    SERVICES,
    SOURCE_FIELDS,
    UNITS,
)

#: Statuses whose rows carry no number, whatever the file holds.


_OPTIONAL_TEXT = INDICATOR_OPTIONAL_TEXT


def indicators_frame(doc: dict[str, Any], file: str = "indicators.yaml") -> pd.DataFrame:
    """Validate an indicator catalogue mapping ``{indicators: [...]}`` and flatten it."""
    entries = doc.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise BundleError(
            file,
            "needs a non-empty list under 'indicators'",
            column="indicators",
            hint="indicators: [{id: ..., label: ...}, ...]",
        )
    rows = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise BundleError(
                file,
                f"each indicator must be a mapping, not {type(entry).__name__}",
                row=i,
                column="indicators",
                hint="write it as 'id: ..., label: ...'",
            )
        for key in INDICATOR_FIELDS:
            if key not in entry or entry[key] in (None, "", []):
                raise BundleError(
                    file,
                    f"indicator '{entry.get('id', '?')}' lacks '{key}'",
                    row=i,
                    column=key,
                    hint="every indicator needs id, label, kind, service, unit, polarity, "
                    "levels, definition and source",
                )
        for key in INDICATOR_FIELDS:
            if key not in ("levels", "source") and not isinstance(entry[key], str):
                raise BundleError(
                    file,
                    f"must be text, not {type(entry[key]).__name__} ({entry[key]!r})",
                    row=i,
                    column=key,
                    hint="quote it",
                )
        ind_id = str(entry["id"])
        if ind_id in seen:
            raise BundleError(
                file, f"duplicate indicator id '{ind_id}'", row=i, column="id", hint="each id once"
            )
        seen.add(ind_id)
        _check_choice(file, i, "kind", entry["kind"], INDICATOR_KINDS)
        _check_choice(file, i, "unit", entry["unit"], tuple(UNITS))
        _check_choice(file, i, "polarity", entry["polarity"], POLARITIES)
        _check_choice(file, i, "service", entry["service"], SERVICES)
        levels = entry["levels"]
        if isinstance(levels, str):
            levels = [levels]
        if not isinstance(levels, list):
            raise BundleError(
                file, "must be a list of levels", row=i, column="levels", hint="e.g. [upper]"
            )
        for lv in levels:
            if not isinstance(lv, str):
                raise BundleError(
                    file, f"level {lv!r} is not text", row=i, column="levels", hint="quote it"
                )
            _check_choice(file, i, "levels", lv, LEVELS)
        source = entry["source"]
        if not isinstance(source, dict):
            raise BundleError(
                file,
                "source must be a mapping",
                row=i,
                column="source",
                hint="source: {publisher, title, url, licence}",
            )
        for key in SOURCE_FIELDS:
            if not source.get(key):
                raise BundleError(
                    file,
                    f"source lacks '{key}'",
                    row=i,
                    column=f"source.{key}",
                    hint="a source has publisher, title, url and licence",
                )
            if not isinstance(source[key], str):
                raise BundleError(
                    file,
                    f"must be text, not {type(source[key]).__name__}",
                    row=i,
                    column=f"source.{key}",
                    hint="quote it",
                )
        for key in _OPTIONAL_TEXT:
            v = entry.get(key)
            if v is not None and not isinstance(v, str):
                raise BundleError(
                    file,
                    f"must be text, not {type(v).__name__} ({v!r})",
                    row=i,
                    column=key,
                    hint="quote it",
                )
        agency = entry.get("agency")
        if agency in (None, ""):
            agency = ""
        elif not isinstance(agency, str):
            raise BundleError(
                file,
                f"must be text, not {type(agency).__name__} ({agency!r})",
                row=i,
                column="agency",
                hint="one of " + ", ".join(AGENCIES),
            )
        else:
            _check_choice(file, i, "agency", agency, tuple(AGENCIES))
        dec = entry.get("decimals")
        if dec is not None and (
            isinstance(dec, bool)
            or not isinstance(dec, int)
            or not 0 <= dec <= limits().setting("max_decimals")
        ):
            raise BundleError(
                file,
                f"must be a whole number from 0 to {limits().setting('max_decimals')}, not {dec!r}",
                row=i,
                column="decimals",
                hint="the number of decimal places shown",
            )
        row = {k: entry[k] for k in INDICATOR_FIELDS if k != "source"}
        row["levels"] = tuple(levels)
        for key in SOURCE_FIELDS:
            row[f"source_{key}"] = str(source[key])
        for extra in (*INDICATOR_OPTIONAL_TEXT, "decimals"):
            row[extra] = entry.get(extra)
        row["agency"] = agency
        rows.append(row)
    return pd.DataFrame(rows)


def with_agency(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator frame with its ``agency`` column ("" where absent or missing)."""
    if "agency" in indicators.columns and not indicators["agency"].isna().any():
        return indicators
    out = indicators.copy()
    if "agency" not in out.columns:
        out["agency"] = ""
    out["agency"] = out["agency"].fillna("").astype(str)
    return out


def _check_choice(file: str, row: int, column: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise BundleError(
            file,
            f"'{value}' is not allowed (allowed: {', '.join(allowed)})",
            row=row,
            column=column,
            hint="use one of the allowed values",
        )


def _meta_text(meta: dict[str, Any], key: str, *, required: bool) -> None:
    v = meta.get(key)
    if v is None and not required:
        return
    if not isinstance(v, str) or (required and not v.strip()):
        raise BundleError(
            "bundle.yaml",
            f"must be text, not {type(v).__name__} ({v!r})",
            column=key,
            hint="quote it",
        )


def validate_meta(meta: dict[str, Any]) -> dict[str, Any]:
    file = "bundle.yaml"
    for key in BUNDLE_REQUIRED_KEYS:
        if key not in meta:
            raise BundleError(file, f"lacks '{key}'", column=key, hint="add the key")
    for key in ("title", "attribution", "licence"):
        _meta_text(meta, key, required=True)
    _meta_text(meta, "description", required=False)
    if not isinstance(meta["is_demo"], bool):
        raise BundleError(
            file, "must be true or false", column="is_demo", hint="write true or false, unquoted"
        )
    periods = meta["periods"]
    if not isinstance(periods, list) or not periods:
        raise BundleError(
            file,
            "must be a non-empty list",
            column="periods",
            hint="e.g. periods: [2023-24, 2024-25]",
        )
    for i, p in enumerate(periods):
        if isinstance(p, bool) or not isinstance(p, str | int | date):
            raise BundleError(
                file,
                f"a period must be text such as '2024-25', not {type(p).__name__}",
                column=f"periods.{i}",
                hint="quote it",
            )
    out = [str(p) for p in periods]
    dup = [p for p in out if out.count(p) > 1]
    if dup:
        raise BundleError(
            file, f"period '{dup[0]}' is listed twice", column="periods", hint="keep one"
        )
    default = meta.get("default_place")
    if default is not None:
        if not isinstance(default, dict):
            raise BundleError(
                file,
                f"must be a mapping of level to place code, not {type(default).__name__}",
                column="default_place",
                hint="e.g. {upper: E10000014, lower: E07000085}",
            )
        for level, code in default.items():
            if level not in LEVELS:
                raise BundleError(
                    file,
                    f"'{level}' is not a level (allowed: {', '.join(LEVELS)})",
                    column=f"default_place.{level}",
                    hint="use upper or lower",
                )
            if code is not None and not isinstance(code, str):
                raise BundleError(
                    file,
                    f"must be a place code, not {code!r}",
                    column=f"default_place.{level}",
                    hint="quote the code",
                )
    return {**meta, "periods": out}
