"""Builder step: the official comparator sets of data/catalogue/neighbour_sets.yaml (ONS nearest
neighbours, DfE statistical neighbours), read from their files into the rows of the bundle's
neighbours.csv and the descriptions of bundle.yaml ``neighbour_sets``.

A set whose file is missing is left out (the report names the file and its publisher); a set
marked ``fallback_for`` is built only when the set it stands in for could not be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.bundle.errors import BundleError
from dashboard.catalogue import param, read_catalogue_yaml, thaw
from dashboard.sources.geography import Geography
from dashboard.sources.neighbours import (
    ROW_COLUMNS,
    dfe_joiner,
    read_dfe_crosswalk,
    read_dfe_names,
    read_dfe_neighbours,
    read_ons_neighbours,
)
from dashboard.sources.registry import SOURCE_BY_ID
from dashboard.sources.step import Files, StepOutput, StepResult, first

FILE = "neighbour_sets.yaml"
#: neighbours.csv columns, as the bundle contract has them.
COLUMNS: list[str] = ["set_id", *ROW_COLUMNS]


@dataclass
class NeighbourSets:
    """The step's output besides its record: the rows and the sets' descriptions."""

    rows: pd.DataFrame
    sets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame | None:
        """neighbours.csv, or None when no set was built."""
        return self.rows[COLUMNS] if self.sets else None


def set_entries() -> list[dict[str, Any]]:
    """The sets of neighbour_sets.yaml as plain dicts, ``size`` read as a checked setting."""
    doc = read_catalogue_yaml(FILE)
    out = []
    for entry in doc["sets"]:
        e = dict(thaw(entry))
        e["size"] = int(param(FILE, f"sets.{e['id']}.size").value)
        out.append(e)
    return out


def ours_method() -> str:
    """How our own statistical neighbours are made, in words (neighbour_sets.yaml ``ours``)."""
    return str(read_catalogue_yaml(FILE)["ours"]["method"])


def describe(entry: Mapping[str, Any]) -> dict[str, Any]:
    """bundle.yaml's description of a set built from ``entry`` (its source's url and licence)."""
    src = SOURCE_BY_ID[str(entry["source"])]
    size = int(entry["size"])
    return {
        "id": str(entry["id"]),
        "label": str(entry["label"]).format(size=size),
        "name": str(entry.get("name", entry["label"])),
        "publisher": str(entry["publisher"]),
        "published": str(entry["published"]),
        "published_label": str(entry.get("published_label", entry["published"])),
        "url": src.url,
        "licence": src.licence,
        "levels": list(entry["levels"]),
        "size": size,
        "note": " ".join(str(entry["note"]).format(size=size).split()),
        "method": " ".join(str(entry["method"]).split()),
        "method_url": str(entry["method_url"]),
    }


def neighbours_step(files: Files, geo: Geography) -> tuple[NeighbourSets, StepResult]:
    """Every set of neighbour_sets.yaml whose file was found, on the geography's codes."""
    out = StepOutput()
    frames: list[pd.DataFrame] = []
    sets: list[dict[str, Any]] = []
    built: set[str] = set()
    for entry in set_entries():
        if entry.get("fallback_for") in built:
            continue
        sid, source = str(entry["id"]), str(entry["source"])
        path = first(files, source)
        if path is None:
            out.log.append(f"comparator set {sid}: no file of {source} found")
            continue
        try:
            if "tables" in entry:
                parts = []
                for level in entry["levels"]:
                    rows, notes = read_ons_neighbours(
                        path, str(entry["tables"][level]), level, entry["size"], geo
                    )
                    parts.append(rows)
                    out.log += notes
                rows = pd.concat(parts, ignore_index=True)
            else:
                cross = [p for s in entry.get("crosswalk", ()) for p in files.get(str(s), [])]
                names_path = first(files, "dfe_la_codes")
                to_code = dfe_joiner(read_dfe_crosswalk(cross), read_dfe_names(names_path), geo)
                rows, notes = read_dfe_neighbours(path, entry["size"], to_code, geo)
                out.log += notes
                if names_path is not None:
                    out.used_file("dfe_la_codes", names_path.name)
        except BundleError as exc:
            out.log.append(f"comparator set {sid} left out: {exc}")
            continue
        if rows.empty:
            out.log.append(f"comparator set {sid}: {path.name} gave no lists")
            continue
        out.used_file(source, path.name)
        frames.append(rows.assign(set_id=sid))
        sets.append(describe(entry))
        built.add(sid)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return NeighbourSets(table, sets), out.result()
