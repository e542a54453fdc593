"""Official comparator sets of a bundle: bundle.yaml ``neighbour_sets`` and ``neighbours.csv``.

Both are optional, and come together. ``neighbour_sets`` is a list of sets, each with ``id``,
``label``, ``publisher``, ``published``, ``url``, ``licence``, ``levels``, ``size`` (neighbours
per place) and ``note``, plus optional ``name`` and ``published_label`` (the set in a sentence:
"ONS nearest neighbours" of "October 2025"), ``method`` and ``method_url`` (the publisher's
stated method in a sentence or two, and where it is described). ``neighbours.csv`` has one row per place and
neighbour: ``set_id``, ``level``, ``place_code``, ``neighbour_code``, ``rank`` (1 = nearest).

Every refusal is a :class:`BundleError` naming the file, the row and the column: a set that is
not declared, a code that is not a place of the level, a place listed as its own neighbour, a
rank twice or outside 1..size, a neighbour twice.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.bundle.files import _decode, _read_bytes
from dashboard.bundle.schema import KIND_LEVELS, LEVELS

FILE = "neighbours.csv"
META = "bundle.yaml"
#: Columns of neighbours.csv.
NEIGHBOURS_COLUMNS: tuple[str, ...] = ("set_id", "level", "place_code", "neighbour_code", "rank")
#: Required fields of a bundle.yaml ``neighbour_sets`` entry (``size`` a whole number, ``levels``
#: a list); ``method`` and ``method_url`` are optional text.
SET_FIELDS: tuple[str, ...] = (
    "id",
    "label",
    "publisher",
    "published",
    "url",
    "licence",
    "levels",
    "size",
    "note",
)
SET_OPTIONAL: tuple[str, ...] = ("name", "published_label", "method", "method_url")
#: Ids the comparison group already uses (a set may not take one).
RESERVED_IDS: tuple[str, ...] = ("peers", "region", "kind", "england", "custom")
_SET_ID = re.compile(r"[a-z][a-z0-9_]*")


def read_neighbours(path: Path) -> pd.DataFrame:
    """neighbours.csv as a frame of text columns (rank still text), within the size limit."""
    text = _decode(_read_bytes(path, FILE, "csv_max_bytes"), FILE)
    if not text.strip():
        raise BundleError(FILE, "is empty", row=1, hint="delete it (it is optional) or rebuild")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise BundleError(
            FILE, f"cannot be read as CSV ({exc})".replace("\n", " "), hint="check the quoting"
        ) from exc


def validate_sets(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """bundle.yaml ``neighbour_sets`` checked and normalised ([] when absent)."""
    raw = meta.get("neighbour_sets")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BundleError(
            META, "must be a list of sets", column="neighbour_sets", hint="neighbour_sets: [...]"
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        where = f"neighbour_sets.{i}"
        if not isinstance(entry, dict):
            raise BundleError(META, "each set must be a mapping", column=where, hint="id: ...")
        for key in SET_FIELDS:
            if entry.get(key) in (None, "", []):
                raise BundleError(
                    META,
                    f"set lacks '{key}'",
                    column=f"{where}.{key}",
                    hint="a set has " + ", ".join(SET_FIELDS),
                )
        for key in (*SET_FIELDS, *SET_OPTIONAL):
            if key in ("levels", "size") or entry.get(key) is None:
                continue
            if not isinstance(entry[key], str):
                raise BundleError(
                    META,
                    f"must be text, not {type(entry[key]).__name__}",
                    column=f"{where}.{key}",
                    hint="quote it",
                )
        sid = entry["id"]
        if not _SET_ID.fullmatch(sid) or sid in RESERVED_IDS:
            raise BundleError(
                META,
                f"'{sid}' cannot be a set id (lower-case letters, digits and _, not one of "
                f"{', '.join(RESERVED_IDS)})",
                column=f"{where}.id",
                hint="e.g. ons_2025",
            )
        if sid in seen:
            raise BundleError(META, f"set '{sid}' is listed twice", column=f"{where}.id")
        seen.add(sid)
        levels = entry["levels"]
        if not isinstance(levels, list) or any(lv not in LEVELS for lv in levels):
            raise BundleError(
                META,
                f"must be a list of levels ({', '.join(LEVELS)}), not {levels!r}",
                column=f"{where}.levels",
                hint="e.g. [upper, lower]",
            )
        size = entry["size"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise BundleError(
                META,
                f"must be a whole number of places, not {size!r}",
                column=f"{where}.size",
                hint="e.g. 15",
            )
        out.append({**entry, "levels": list(dict.fromkeys(levels))})
    return out


def _bad(mask: pd.Series | np.ndarray) -> int:
    """The line in neighbours.csv (the header is line 1) of the first True in ``mask``."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + 2


def validate_neighbours(
    df: pd.DataFrame | None, sets: list[dict[str, Any]], places: pd.DataFrame
) -> pd.DataFrame | None:
    """neighbours.csv checked against the declared sets and places.csv; ``rank`` as int."""
    if df is None:
        if sets:
            raise BundleError(
                FILE,
                "file is missing, but bundle.yaml lists neighbour_sets",
                hint="write neighbours.csv or drop neighbour_sets",
            )
        return None
    if not sets:
        raise BundleError(
            META,
            "neighbours.csv is present but bundle.yaml lists no neighbour_sets",
            column="neighbour_sets",
            hint="describe each set (id, label, publisher, ...) or delete neighbours.csv",
        )
    for col in NEIGHBOURS_COLUMNS:
        if col not in df.columns:
            raise BundleError(FILE, "required column is missing", row=1, column=col)
    df = df[list(NEIGHBOURS_COLUMNS)].reset_index(drop=True).copy()
    for col in NEIGHBOURS_COLUMNS:
        df[col] = df[col].astype(str).str.strip()
        empty = df[col] == ""
        if empty.any():
            raise BundleError(FILE, "empty value", row=_bad(empty), column=col)
    by_id = {s["id"]: s for s in sets}
    unknown = ~df["set_id"].isin(set(by_id))
    if unknown.any():
        r = _bad(unknown)
        raise BundleError(
            FILE,
            f"set '{df['set_id'].iloc[r - 2]}' is not in bundle.yaml neighbour_sets",
            row=r,
            column="set_id",
            hint="declare the set or remove its rows",
        )
    off_level = [
        lv not in by_id[s]["levels"] for s, lv in zip(df["set_id"], df["level"], strict=True)
    ]
    if any(off_level):
        r = _bad(np.array(off_level))
        raise BundleError(
            FILE,
            f"level '{df['level'].iloc[r - 2]}' is not a level of set '{df['set_id'].iloc[r - 2]}'",
            row=r,
            column="level",
            hint="use one of the set's levels in bundle.yaml",
        )
    kinds = places.set_index("code")["kind"]
    for col in ("place_code", "neighbour_code"):
        kind = df[col].map(kinds)
        ok = [
            isinstance(k, str) and lv in KIND_LEVELS.get(k, ())
            for k, lv in zip(kind, df["level"], strict=True)
        ]
        if not all(ok):
            r = _bad(~np.array(ok))
            rec = df.iloc[r - 2]
            where = "not in places.csv" if pd.isna(kind.iloc[r - 2]) else "not compared"
            raise BundleError(
                FILE,
                f"'{rec[col]}' is {where} at the {rec['level']} tier",
                row=r,
                column=col,
                hint="use a code of places.csv compared at that level",
            )
    selfish = df["place_code"] == df["neighbour_code"]
    if selfish.any():
        raise BundleError(
            FILE,
            f"place '{df['place_code'][selfish].iloc[0]}' is listed as its own neighbour",
            row=_bad(selfish),
            column="neighbour_code",
            hint="a place is never its own neighbour",
        )
    rank = pd.to_numeric(df["rank"], errors="coerce")
    size = df["set_id"].map({k: s["size"] for k, s in by_id.items()})
    bad = rank.isna() | (rank != rank.round()) | (rank < 1) | (rank > size)
    if bad.any():
        r = _bad(bad)
        raise BundleError(
            FILE,
            f"'{df['rank'].iloc[r - 2]}' is not a rank from 1 to {int(size.iloc[r - 2])} "
            "(the set's size)",
            row=r,
            column="rank",
            hint="1 is the nearest neighbour",
        )
    df["rank"] = rank.astype(int)
    key = ["set_id", "level", "place_code"]
    for col, what in (("rank", "rank"), ("neighbour_code", "neighbour")):
        dup = df.duplicated([*key, col])
        if dup.any():
            r = _bad(dup)
            rec = df.iloc[r - 2]
            raise BundleError(
                FILE,
                f"{what} '{rec[col]}' appears twice for place '{rec['place_code']}' in set "
                f"'{rec['set_id']}' ({rec['level']} tier)",
                row=r,
                column=col,
                hint="one row per place, neighbour and rank",
            )
    return df.sort_values([*key, "rank"], kind="stable").reset_index(drop=True)


def write_neighbours(df: pd.DataFrame, path: Path) -> None:
    """Write neighbours.csv (the contract's columns, in order)."""
    df[list(NEIGHBOURS_COLUMNS)].to_csv(path, index=False)
