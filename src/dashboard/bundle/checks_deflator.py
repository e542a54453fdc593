"""Checks of the optional price index: deflators.csv and the ``deflator:`` block of bundle.yaml
(docs/architecture.md, "The data bundle"). Every refusal is a BundleError naming the file, the
row and the column; the reader turns one into a note and drops real terms, never the bundle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.schema import DEFLATOR_COLUMNS, DEFLATOR_FIELDS, SOURCE_FIELDS

#: Optional text fields of the ``deflator:`` block.
_OPTIONAL = ("label", "note")


def validate_deflator(
    frame: pd.DataFrame | None, block: Any, periods: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """The price index and its description, checked together (None when the bundle has
    neither). The block needs ``series``, ``base_period`` (a period of deflators.csv) and a
    ``source`` {publisher, title, url, licence}; deflators.csv needs every period of
    bundle.yaml ``periods``. Raises BundleError otherwise."""
    if frame is None and block is None:
        return None
    if frame is None:
        raise BundleError(
            "deflators.csv",
            "file is missing, but bundle.yaml has a 'deflator' block",
            hint="add deflators.csv (period,index) or remove the block",
        )
    if not isinstance(block, dict):
        raise BundleError(
            "bundle.yaml",
            "deflators.csv needs a 'deflator' mapping here"
            if block is None
            else f"must be a mapping, not {type(block).__name__}",
            column="deflator",
            hint="deflator: {series, base_period, source: {publisher, title, url, licence}}",
        )
    for key in DEFLATOR_FIELDS:
        if block.get(key) in (None, "", {}):
            raise BundleError(
                "bundle.yaml", "is missing", column=f"deflator.{key}", hint="add the field"
            )
    for key in ("series", "base_period", *_OPTIONAL):
        v = block.get(key)
        if v is not None and not isinstance(v, str):
            raise BundleError(
                "bundle.yaml",
                f"must be text, not {type(v).__name__} ({v!r})",
                column=f"deflator.{key}",
                hint="quote it",
            )
    source = block["source"]
    if not isinstance(source, dict):
        raise BundleError(
            "bundle.yaml",
            "must be a mapping",
            column="deflator.source",
            hint="source: {publisher, title, url, licence}",
        )
    for key in SOURCE_FIELDS:
        if not isinstance(source.get(key), str) or not source[key].strip():
            raise BundleError(
                "bundle.yaml",
                "must be non-empty text",
                column=f"deflator.source.{key}",
                hint="a source has publisher, title, url and licence",
            )
    frame = _checked_frame(frame)
    have = set(frame["period"].astype(str))
    base = str(block["base_period"])
    if base not in have:
        raise BundleError(
            "bundle.yaml",
            f"base period '{base}' has no row in deflators.csv",
            column="deflator.base_period",
            hint="use a period of deflators.csv (usually the latest)",
        )
    lacking = [p for p in periods if p not in have]
    if lacking:
        raise BundleError(
            "deflators.csv",
            f"has no index for period '{lacking[0]}' of bundle.yaml"
            + (f" (and {len(lacking) - 1} more)" if len(lacking) > 1 else ""),
            column="period",
            hint="give an index for every period of bundle.yaml",
        )
    return frame, {**block, "base_period": base}


def _checked_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A price index built in memory held to the rules read_deflators applies to the file."""
    file = "deflators.csv"
    for col in DEFLATOR_COLUMNS:
        if col not in frame.columns:
            raise BundleError(file, "required column is missing", row=1, column=col)
    out = frame[list(DEFLATOR_COLUMNS)].reset_index(drop=True)
    out = out.assign(
        period=out["period"].astype(str), index=pd.to_numeric(out["index"], errors="coerce")
    )
    for i, (period, value) in enumerate(zip(out["period"], out["index"], strict=True), start=2):
        if not period.strip():
            raise BundleError(file, "empty period", row=i, column="period")
        if not (value > 0 and math.isfinite(value)):
            raise BundleError(
                file, f"'{value}' is not a price index (a positive number)", row=i, column="index"
            )
    dup = out["period"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise BundleError(
            file, f"period '{out['period'].iloc[i]}' is listed twice", row=i + 2, column="period"
        )
    return out
