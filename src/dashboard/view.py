"""The view a user is looking at (dataset, level, place, group, period) and its URL form.

Pure code: the Streamlit glue lives in ``dashboard.ui``. A view round-trips through a query
string, so a copied link reopens exactly the same view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

from dashboard.analysis.peers import build_peer_model, has_peer_variables, n_peers
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import LEVELS

#: Comparison groups offered in the sidebar: id -> label.
GROUPS: dict[str, str] = {
    "peers": f"Statistical neighbours ({n_peers()})",
    "region": "Same region",
    "kind": "Same kind of council",
    "england": "All England (this tier)",
    "custom": "Places I pick",
}
LEVEL_LABELS: dict[str, str] = {"upper": "Upper tier", "lower": "Lower tier"}
QUERY_KEYS: tuple[str, ...] = ("dataset", "level", "place", "group", "period", "custom")


@dataclass(frozen=True)
class View:
    dataset: str
    level: str
    place: str
    group: str
    period: str
    custom: tuple[str, ...] = ()

    def to_query(self) -> dict[str, str]:
        """Query-string parameters for this view (``custom`` as comma-separated codes)."""
        out = {k: v for k, v in asdict(self).items() if k != "custom"}
        if self.custom:
            out["custom"] = ",".join(self.custom)
        return out


def default_group(bundle: Bundle, level: str) -> str:
    """Statistical nearest neighbours when the bundle has the variables, else the region."""
    return "peers" if has_peer_variables(bundle, level) else "region"


def default_view(dataset: str, bundle: Bundle) -> View:
    level = "upper"
    return View(
        dataset=dataset,
        level=level,
        place=bundle.default_place(level),
        group=default_group(bundle, level),
        period=bundle.periods[-1],
    )


def resolve_view(
    params: Mapping[str, str], datasets: Mapping[str, Bundle], default_dataset: str
) -> tuple[View, list[str]]:
    """Turn query parameters into a valid view; return it with a note for each value refused."""
    notes: list[str] = []
    dataset = params.get("dataset", default_dataset)
    if dataset not in datasets:
        notes.append(f"Dataset '{dataset}' is not available here; showing '{default_dataset}'.")
        dataset = default_dataset
    bundle = datasets[dataset]
    view = default_view(dataset, bundle)
    level = params.get("level", view.level)
    if level not in LEVELS:
        notes.append(f"Level '{level}' is not 'upper' or 'lower'; showing upper tier.")
        level = view.level
    codes = bundle.place_codes(level)
    place = params.get("place", bundle.default_place(level))
    if place not in codes:
        notes.append(
            f"Place '{place}' is not a {level}-tier place in {bundle.title}; "
            f"showing {bundle.place_name(bundle.default_place(level))}."
        )
        place = bundle.default_place(level)
    group = params.get("group", view.group)
    if group not in GROUPS:
        notes.append(f"Comparison group '{group}' is unknown; showing '{GROUPS[view.group]}'.")
        group = view.group
    if group == "peers" and not has_peer_variables(bundle, level):
        notes.append(
            f"{bundle.title} lacks the variables for statistical nearest neighbours at the "
            f"{level} tier; comparing with the same region."
        )
        group = "region"
    period = params.get("period", view.period)
    if period not in bundle.periods:
        notes.append(f"Period '{period}' is not in this dataset; showing {view.period}.")
        period = view.period
    custom_raw = [c for c in params.get("custom", "").split(",") if c]
    custom = tuple(c for c in custom_raw if c in codes and c != place)
    if len(custom) < len(custom_raw):
        notes.append("Some places picked by hand are not in this tier and were left out.")
    return replace(view, level=level, place=place, group=group, period=period, custom=custom), notes


def group_codes(bundle: Bundle, view: View, peers: Sequence[str] | None = None) -> list[str]:
    """Codes of the comparison group for the view's place (never including the place itself).

    For the "peers" group, pass ``peers`` when already known (e.g. from a cached peer model);
    otherwise they are computed here."""
    if view.group == "peers":
        if peers is None:
            model = build_peer_model(bundle, view.level, view.period)
            peers = model.peers_of(view.place) if model else []
        return [c for c in peers if c != view.place]
    places = bundle.places_at(view.level)
    me = places[places["code"] == view.place]
    if me.empty:
        return []
    me = me.iloc[0]
    if view.group == "region":
        members = places[places["region_code"] == me["region_code"]]
    elif view.group == "kind":
        members = places[places["kind"] == me["kind"]]
    elif view.group == "custom":
        members = places[places["code"].isin(view.custom)]
    else:
        members = places
    return [c for c in members["code"] if c != view.place]


def group_label(bundle: Bundle, view: View, peers: Sequence[str] | None = None) -> str:
    """Plain words for the comparison group, e.g. 'other councils in North Marrow (11)'."""
    codes = group_codes(bundle, view, peers)
    if view.group == "peers":
        what = (
            "its statistical nearest neighbours"
            if codes
            else "statistical nearest neighbours (not available for this dataset and tier)"
        )
    elif view.group == "region":
        what = f"other councils in {bundle.place(view.place)['region_name']}"
    elif view.group == "kind":
        what = f"other {bundle.place(view.place)['kind'].replace('_', ' ')} councils"
    elif view.group == "custom":
        what = "the places you picked"
    else:
        what = f"all other {view.level}-tier councils"
    return f"{what} ({len(codes)})"
