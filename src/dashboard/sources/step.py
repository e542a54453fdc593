"""What one step of the England builder returns, and the helpers the steps share.

A step takes its inputs (the files found, the geography, the population) and returns a
:class:`StepResult`: its values as one long frame on current place codes, its data notes (with
ids), the problems found in the files, the files it used, what it skipped, the codes of former
councils it could not carry over and any per-file files it missed. The builder
(:mod:`dashboard.sources.england`) concatenates the results in step order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.sources.geography import Geography
from dashboard.sources.parsing import Problem
from dashboard.sources.registry import Source
from dashboard.sources.tables import Note, note

#: Columns of a step's values; ``note`` is text about a value (why it is missing, or when an
#: inspection judged it), "" when there is none.
VALUE_COLUMNS = [
    "place_code",
    "indicator_id",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "status",
    "note",
]


def value_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with exactly :data:`VALUE_COLUMNS` (``note`` "" where a reader set none)."""
    out = df.reindex(columns=VALUE_COLUMNS)
    note = out["note"].astype(object)
    out["note"] = note.where(note.notna(), "")
    return out


#: Files found per source id (several for ``many`` sources, none when missing).
Files = dict[str, list[Path]]


def empty_values() -> pd.DataFrame:
    """A values frame with no rows (the bundle's columns and dtypes)."""
    numeric = ("value", "lower_ci", "upper_ci")
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c in numeric else object) for c in VALUE_COLUMNS}
    )


@dataclass
class StepResult:
    """The output of one builder step (see the module docstring)."""

    values: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    missing: list[Source] = field(default_factory=list)
    els_meta: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class StepOutput:
    """A step's working record while it runs; :meth:`result` freezes it into a StepResult."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    missing: list[Source] = field(default_factory=list)
    els_meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, df: pd.DataFrame) -> None:
        """Values already on current place codes."""
        self.frames.append(value_columns(df))

    def add_raw(self, df: pd.DataFrame, geo: Geography, file: str) -> None:
        """Values keyed by the code found in ``file`` (column ``code``), mapped onto current
        places; codes of former councils with no current equivalent are dropped and counted."""
        mapped = geo.map_codes(df["code"])
        gone = df.loc[mapped.isna(), "code"].nunique()
        if gone:
            self.dropped[file] += gone
        self.frames.append(value_columns(df.assign(place_code=mapped)[mapped.notna()]))

    def note(self, note_id: str, **fields: Any) -> None:
        """Add data note ``note_id`` of england_bundle.yaml with its placeholders filled."""
        self.notes.append(note(note_id, **fields))

    def use(self, files: Files, sid: str) -> None:
        """Record every file found for ``sid`` as used (once each)."""
        for p in files.get(sid, []):
            names = self.used.setdefault(sid, [])
            if p.name not in names:
                names.append(p.name)

    def used_file(self, sid: str, name: str) -> None:
        """Record one file of ``sid`` as used."""
        self.used.setdefault(sid, []).append(name)

    def result(self) -> StepResult:
        """The step's values concatenated in the order added, with everything it recorded."""
        frames = [f for f in self.frames if len(f)]
        values = pd.concat(frames, ignore_index=True) if frames else empty_values()
        return StepResult(
            values=values,
            notes=self.notes,
            problems=self.problems,
            used=self.used,
            log=self.log,
            dropped=self.dropped,
            missing=self.missing,
            els_meta=self.els_meta,
        )


def first(files: Files, sid: str) -> Path | None:
    """The (first) file found for source ``sid``, or None."""
    hits = files.get(sid) or []
    return hits[0] if hits else None


def frame(
    codes: Any, ind: str, period: str, values: Any, status: Any = None, note: Any = None
) -> pd.DataFrame:
    """A values frame for one indicator and period (no intervals); status ``missing`` where the
    value is NaN unless ``status`` is given; ``note`` (why a value is missing) by code or ""."""
    codes = list(codes)
    if isinstance(values, pd.Series):
        values = values.reindex(codes)
    vals = np.asarray(values, dtype=float)
    if status is None:
        status = np.where(np.isnan(vals), "missing", "")
    elif isinstance(status, pd.Series):
        status = status.reindex(codes).fillna("").to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "place_code": codes,
            "indicator_id": ind,
            "period": period,
            "value": vals,
            "lower_ci": np.nan,
            "upper_ci": np.nan,
            "status": np.asarray(status, dtype=object),
            "note": (
                note.reindex(codes).fillna("").to_numpy(dtype=object)
                if isinstance(note, pd.Series)
                else ""
            ),
        }
    )


def on_places(df: pd.DataFrame) -> pd.DataFrame:
    """A reader's long frame (column ``code``) already on current codes, as values."""
    return df.rename(columns={"code": "place_code"}).reindex(columns=VALUE_COLUMNS)
