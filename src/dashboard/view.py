"""The view a user is looking at (dataset, level, place, group, period) and its URL form.

Pure code: the Streamlit glue lives in ``dashboard.ui``. A view round-trips through a query
string, so a copied link reopens exactly the same view.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

from dashboard.analysis.peers import build_peer_model, has_peer_variables, n_peers
from dashboard.analysis.prices import CASH, PRICES, REAL, unavailable_reason
from dashboard.bundle.limits import input_limit
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import LEVELS
from dashboard.formatting import escape_markdown

#: Comparison groups offered in the sidebar: id -> label.
GROUPS: dict[str, str] = {
    "peers": f"Statistical neighbours ({n_peers()})",
    "region": "Same region",
    "kind": "Same kind of council",
    "england": "All England (this tier)",
    "custom": "Places I pick",
}
LEVEL_LABELS: dict[str, str] = {"upper": "Upper tier", "lower": "Lower tier"}
QUERY_KEYS: tuple[str, ...] = (
    "dataset",
    "level",
    "place",
    "group",
    "period",
    "custom",
    "prices",
)
#: Query parameters a page reads: the Scenarios page's share link ``?scenario=<id>``, and
#: story mode's saved deck ``?deck=<id>``, slide number ``?slide=N`` and edit view ``?edit=1``.
PAGE_KEYS: tuple[str, ...] = ("scenario", "deck", "slide", "edit")
_SCENARIO_ID = re.compile(r"[A-Za-z0-9_-]+")
_SLIDE = re.compile(r"[1-9][0-9]{0,5}")


def shown(value: object) -> str:
    """A value from the URL or a saved record, quoted for a note: cut to limits.yaml
    url.shown_max_chars (with an ellipsis) and escaped, so markdown shows it as typed."""
    text = str(value)
    limit = input_limit("url", "shown_max_chars")
    if len(text) > limit:
        text = text[:limit] + "…"
    return "'" + escape_markdown(text) + "'"


def scenario_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a saved-scenario id (None when it can be one)."""
    limit = input_limit("url", "scenario_id_max_chars")
    if len(value) > limit:
        return f"is longer than {limit} characters"
    if not _SCENARIO_ID.fullmatch(value):
        return "is not a saved-scenario id (letters, digits, - and _)"
    return None


def deck_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a saved-deck id (None when it can be one): decks and scenarios
    share the store's ids."""
    why = scenario_id_problem(value)
    return why.replace("saved-scenario id", "saved-deck id") if why else None


def slide_problem(value: str) -> str | None:
    """Why ``value`` cannot be a slide number (a whole number from 1; None when it can)."""
    return None if _SLIDE.fullmatch(value) else "is not a slide number (1, 2, 3, …)"


def edit_problem(value: str) -> str | None:
    """Why ``value`` cannot be the edit view's switch (only ``1``)."""
    return None if value == "1" else "is not 1"


#: Page parameters checked before they are kept: key -> the check.
_PAGE_CHECKS = {
    "scenario": scenario_id_problem,
    "deck": deck_id_problem,
    "slide": slide_problem,
    "edit": edit_problem,
}


def read_query(query: Mapping[str, Sequence[str]]) -> tuple[dict[str, str], list[str]]:
    """The parameters this app reads from a query string (key -> every value given), each
    given once and within its length limit (limits.yaml ``url``); a note for everything else.

    A parameter given twice, too long, or (a page's) not of its shape is left out;
    parameters the app does not read are listed in one note."""
    notes: list[str] = []
    out: dict[str, str] = {}
    unknown: list[str] = []
    for key, values in query.items():
        if key not in QUERY_KEYS and key not in PAGE_KEYS:
            unknown.append(key)
            continue
        values = [values] if isinstance(values, str) else list(values)
        if len(values) != 1:
            listed = ", ".join(shown(v) for v in values[:3])
            notes.append(
                f"Link parameter **{key}** is given {len(values)} times ({listed}"
                f"{', …' if len(values) > 3 else ''}); it was left out."
            )
            continue
        value = str(values[0])
        limit = input_limit("url", "custom_max_chars" if key == "custom" else "value_max_chars")
        if len(value) > limit:
            notes.append(
                f"Link parameter **{key}** is {len(value):,} characters long (at most "
                f"{limit:,}); it was left out: {shown(value)}"
            )
            continue
        if (check := _PAGE_CHECKS.get(key)) and (why := check(value)):
            notes.append(f"Link parameter **{key}** {shown(value)} {why}; it was left out.")
            continue
        out[key] = value
    if unknown:
        most = input_limit("url", "max_keys")
        listed = ", ".join(shown(k) for k in unknown[:most])
        more = f" and {len(unknown) - most} more" if len(unknown) > most else ""
        notes.append(f"Link parameters this app does not read were ignored: {listed}{more}.")
    return out, notes


@dataclass(frozen=True)
class View:
    dataset: str
    level: str
    place: str
    group: str
    period: str
    custom: tuple[str, ...] = ()
    #: Money in "cash" (as published) or in "real" terms at the bundle's price base.
    prices: str = CASH

    def to_query(self) -> dict[str, str]:
        """Query-string parameters for this view (``custom`` as comma-separated codes;
        ``prices`` only when real terms, so cash links stay as they were)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("custom", "prices")}
        if self.custom:
            out["custom"] = ",".join(self.custom)
        if self.prices != CASH:
            out["prices"] = self.prices
        return out


def official_groups(bundle: Bundle, level: str) -> dict[str, str]:
    """The bundle's official comparator sets at ``level`` as comparison groups: id -> label
    (e.g. ``ons_2025`` -> "ONS nearest neighbours (15, Oct 2025)"), in bundle.yaml order."""
    return {str(s["id"]): str(s["label"]) for s in bundle.neighbour_sets_at(level)}


def group_options(bundle: Bundle, level: str) -> dict[str, str]:
    """Every comparison group offered at ``level``: id -> label. Statistical neighbours only
    when the bundle has the variables; the official sets right after them."""
    out: dict[str, str] = {}
    for gid, label in GROUPS.items():
        if gid == "peers" and not has_peer_variables(bundle, level):
            continue
        out[gid] = label
        if gid == "peers" or (gid == "region" and "peers" not in out):
            out.update(official_groups(bundle, level))
    return out


def set_name(bundle: Bundle, set_id: str) -> str:
    """A set in words for a sentence, e.g. 'ONS nearest neighbours of October 2025' (the set's
    ``name`` and ``published_label``, else its label)."""
    s = bundle.neighbour_set(set_id) or {}
    name = s.get("name") or s.get("label") or set_id
    when = s.get("published_label")
    return f"{name} of {when}" if when and s.get("name") else str(name)


def group_note(bundle: Bundle, view: View) -> str | None:
    """Why the comparison differs from the chosen group (markdown, escaped): an official set
    that does not list the place falls back to our statistical neighbours."""
    if is_official(bundle, view.group) and needs_peers(bundle, view):
        return (
            f"The {escape_markdown(set_name(bundle, view.group))} do not list "
            f"{escape_markdown(bundle.place_name(view.place))}, so it is compared with our "
            "statistical nearest neighbours instead."
        )
    return None


def is_official(bundle: Bundle, group: str) -> bool:
    """Whether ``group`` is one of the bundle's official comparator sets."""
    return bundle.neighbour_set(group) is not None


def needs_peers(bundle: Bundle, view: View) -> bool:
    """Whether the view's group needs our statistical neighbours: the peers group, or an
    official set that does not list the place (it falls back to ours)."""
    if view.group == "peers":
        return True
    return is_official(bundle, view.group) and not bundle.official_neighbours(
        view.group, view.level, view.place
    )


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


def _custom(
    raw: str, codes: Sequence[str], place: str, bundle: Bundle, level: str
) -> tuple[tuple[str, ...], list[str]]:
    """The hand-picked codes of ``?custom=``: known codes of this tier, each once, without the
    place itself and at most limits.yaml url.custom_max_codes; notes for what was left out."""
    notes: list[str] = []
    given = [c.strip() for c in raw.split(",") if c.strip()]
    unique = list(dict.fromkeys(given))
    if len(unique) < len(given):
        repeated = [c for c, n in Counter(given).items() if n > 1]
        listed = ", ".join(shown(c) for c in repeated[:5])
        notes.append(
            f"Link parameter **custom** repeats {listed}{', …' if len(repeated) > 5 else ''}: "
            f"{len(given) - len(unique):,} duplicates were removed."
        )
    known = set(codes)
    bad = [c for c in unique if c not in known]
    if bad:
        listed = ", ".join(shown(c) for c in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        notes.append(
            f"Link parameter **custom**: {listed}{more} "
            f"{'is not a place' if len(bad) == 1 else 'are not places'} of the {level} tier "
            f"in {escape_markdown(bundle.title)}, so {'it was' if len(bad) == 1 else 'they were'}"
            " left out."
        )
    if place in unique:
        notes.append(
            "Link parameter **custom** includes the selected place itself; it was left out."
        )
    custom = [c for c in unique if c in known and c != place]
    most = input_limit("url", "custom_max_codes")
    if len(custom) > most:
        notes.append(
            f"Link parameter **custom** picks {len(custom):,} places (at most {most:,}); "
            "the group was left empty."
        )
        custom = []
    return tuple(custom), notes


def resolve_view(
    params: Mapping[str, str], datasets: Mapping[str, Bundle], default_dataset: str
) -> tuple[View, list[str]]:
    """Turn query parameters (from :func:`read_query`) into a valid view; return it with a
    note for each value refused. Every note quotes the value escaped (:func:`shown`)."""
    notes: list[str] = []
    dataset = params.get("dataset", default_dataset)
    if dataset not in datasets:
        notes.append(
            f"Link parameter **dataset**: {shown(dataset)} is not available here; "
            f"showing {shown(default_dataset)}."
        )
        dataset = default_dataset
    bundle = datasets[dataset]
    title = escape_markdown(bundle.title)
    view = default_view(dataset, bundle)
    level = params.get("level", view.level)
    if level not in LEVELS:
        notes.append(
            f"Link parameter **level**: {shown(level)} is not 'upper' or 'lower'; "
            "showing upper tier."
        )
        level = view.level
    codes = bundle.place_codes(level)
    fallback = bundle.default_place(level)
    place = params.get("place", fallback)
    if place not in codes:
        notes.append(
            f"Link parameter **place**: {shown(place)} is not "
            f"{'an' if level == 'upper' else 'a'} {level}-tier place in {title}; "
            f"showing {escape_markdown(bundle.place_name(fallback))}."
        )
        place = fallback
    group = params.get("group", view.group)
    if group not in GROUPS and group not in official_groups(bundle, level):
        fallback = default_group(bundle, level)
        known = bundle.neighbour_set(group)
        why = (
            f"covers only the {' and '.join(known['levels'])} tier, not the {level} tier"
            if known
            else "is unknown"
            if not bundle.neighbour_sets
            else f"is not a comparison group of {title}"
        )
        notes.append(
            f"Link parameter **group**: comparison group {shown(group)} {why}; showing "
            f"'{escape_markdown(group_options(bundle, level).get(fallback, fallback))}'."
        )
        group = fallback
    if group == "peers" and not has_peer_variables(bundle, level):
        notes.append(
            f"{title} lacks the variables for statistical nearest neighbours at the "
            f"{level} tier; comparing with the same region."
        )
        group = "region"
    period = params.get("period", view.period)
    if period not in bundle.periods:
        notes.append(
            f"Link parameter **period**: {shown(period)} is not a period of this dataset; "
            f"showing {view.period}."
        )
        period = view.period
    prices = params.get("prices", CASH)
    if prices not in PRICES:
        notes.append(
            f"Link parameter **prices**: {shown(prices)} is not 'cash' or 'real'; showing cash."
        )
        prices = CASH
    if prices == REAL and (why := unavailable_reason(bundle)):
        notes.append(f"Link parameter **prices**: {escape_markdown(why)} Showing cash.")
        prices = CASH
    custom: tuple[str, ...] = ()
    if "custom" in params:
        if group == "custom":
            custom, more = _custom(params["custom"], codes, place, bundle, level)
            notes += more
        else:
            notes.append(
                "Link parameter **custom** is used only with group=custom; it was left out."
            )
    return replace(
        view, level=level, place=place, group=group, period=period, custom=custom, prices=prices
    ), notes


def group_codes(bundle: Bundle, view: View, peers: Sequence[str] | None = None) -> list[str]:
    """Codes of the comparison group for the view's place (never including the place itself).

    For the "peers" group, pass ``peers`` when already known (e.g. from a cached peer model);
    otherwise they are computed here. An official set gives the place's published neighbours,
    nearest first; a place the set does not list falls back to our statistical neighbours."""
    if is_official(bundle, view.group):
        listed = bundle.official_neighbours(view.group, view.level, view.place)
        if listed:
            return [c for c in listed if c != view.place]
    if view.group == "peers" or is_official(bundle, view.group):
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
    if is_official(bundle, view.group):
        name = set_name(bundle, view.group)
        if bundle.official_neighbours(view.group, view.level, view.place):
            what = f"its {name}"
        else:
            what = (
                f"its statistical nearest neighbours, as the {name} do not list "
                f"{bundle.place_name(view.place)}"
            )
    elif view.group == "peers":
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


@dataclass(frozen=True)
class Context:
    """What a page (or a slide) needs: the view, its bundle and the comparison group's codes
    and words."""

    view: View
    bundle: Bundle
    group: list[str]
    group_text: str


def context_for(bundle: Bundle, view: View, peers: Sequence[str] | None = None) -> Context:
    """The context of ``view`` without the app (the board-pack command): the comparison
    group's codes and words, our statistical neighbours computed here unless ``peers``."""
    if peers is None and needs_peers(bundle, view):
        model = build_peer_model(bundle, view.level, view.period)
        peers = model.peers_of(view.place) if model else []
    return Context(view, bundle, group_codes(bundle, view, peers), group_label(bundle, view, peers))
