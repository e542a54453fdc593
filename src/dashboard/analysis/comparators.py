"""Our statistical neighbours beside the official comparator sets a bundle carries (ONS nearest
neighbours, DfE statistical neighbours): how many places the lists share, which are only in one,
and the overlap across every place of a level.

Overlap is a count of places (in both lists) and a share of our list (0 to 1); lists are compared
as sets, whatever their order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.peers import PeerModel
from dashboard.bundle.model import Bundle
from dashboard.catalogue import read_catalogue_yaml

FILE = "neighbour_sets.yaml"


@dataclass(frozen=True)
class Overlap:
    """Two lists of place codes compared: shared (in our order), only ours, only theirs (in
    their order)."""

    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    common: tuple[str, ...]
    only_ours: tuple[str, ...]
    only_theirs: tuple[str, ...]

    @property
    def share_of_ours(self) -> float:
        """Shared places as a share of our list (0 to 1; 0 when ours is empty)."""
        return len(self.common) / len(self.ours) if self.ours else 0.0


def overlap(ours: Sequence[str], theirs: Sequence[str]) -> Overlap:
    """Compare two neighbour lists (order kept in each part)."""
    a, b = list(dict.fromkeys(ours)), list(dict.fromkeys(theirs))
    sa, sb = set(a), set(b)
    return Overlap(
        ours=tuple(a),
        theirs=tuple(b),
        common=tuple(c for c in a if c in sb),
        only_ours=tuple(c for c in a if c not in sb),
        only_theirs=tuple(c for c in b if c not in sa),
    )


def ours_method() -> str:
    """How our statistical neighbours are made, in words (neighbour_sets.yaml ``ours.method``)."""
    doc = read_catalogue_yaml(FILE)
    return " ".join(str(doc["ours"]["method"]).split())


def side_by_side(bundle: Bundle, ov: Overlap, theirs_label: str) -> pd.DataFrame:
    """Our list and theirs row by row (rank 1 = nearest), each name marked when the other list
    has it too (None below the end of the shorter list). Columns: rank, ``our statistical
    neighbours``, ``also theirs``, ``theirs_label``, ``also ours``."""
    n = max(len(ov.ours), len(ov.theirs))
    sa, sb = set(ov.ours), set(ov.theirs)

    def cell(codes: tuple[str, ...], i: int) -> str:
        return bundle.place_name(codes[i]) if i < len(codes) else ""

    return pd.DataFrame(
        {
            "rank": list(range(1, n + 1)),
            "our statistical neighbours": [cell(ov.ours, i) for i in range(n)],
            "also theirs": [ov.ours[i] in sb if i < len(ov.ours) else None for i in range(n)],
            theirs_label: [cell(ov.theirs, i) for i in range(n)],
            "also ours": [ov.theirs[i] in sa if i < len(ov.theirs) else None for i in range(n)],
        }
    )


def overlap_by_place(bundle: Bundle, set_id: str, level: str, model: PeerModel) -> pd.DataFrame:
    """For every place the set lists at ``level`` and our model has: the number of places in
    both lists, the sizes of the two lists and the shared share of ours (0 to 1)."""
    rows = []
    for code in bundle.official_places(set_id, level):
        ours = model.peers_of(code)
        if not ours:
            continue
        ov = overlap(ours, bundle.official_neighbours(set_id, level, code))
        rows.append((code, len(ov.common), len(ov.ours), len(ov.theirs), ov.share_of_ours))
    return pd.DataFrame(rows, columns=["place_code", "common", "ours", "theirs", "share_of_ours"])


def overlap_summary(bundle: Bundle, models: Mapping[str, PeerModel | None]) -> pd.DataFrame:
    """One row per official set and level (where our model exists at that level): places
    compared, the median number of shared places, the sizes of the lists, the median share of
    ours (0 to 1) and the range of the shared counts."""
    rows = []
    for s in bundle.neighbour_sets:
        for level in s["levels"]:
            model = models.get(level)
            if model is None:
                continue
            t = overlap_by_place(bundle, str(s["id"]), level, model)
            if t.empty:
                continue
            rows.append(
                {
                    "set": str(s["label"]),
                    "level": level,
                    "places": len(t),
                    "median_common": float(t["common"].median()),
                    "ours_size": int(t["ours"].max()),
                    "theirs_size": int(t["theirs"].max()),
                    "median_share_of_ours": float(t["share_of_ours"].median()),
                    "fewest_common": int(t["common"].min()),
                    "most_common": int(t["common"].max()),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "set",
            "level",
            "places",
            "median_common",
            "ours_size",
            "theirs_size",
            "median_share_of_ours",
            "fewest_common",
            "most_common",
        ],
    )
