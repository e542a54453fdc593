"""The Profile page's official comparator panel: our statistical neighbours beside each official
list the bundle carries (ONS, DfE, or the demo's fictional one), how much they overlap, which
places only one list has, why ours differs, and the overlap across every place of the tier.

Text from the bundle is escaped where it goes into markdown; table cells are plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.analysis.comparators import (
    ours_method,
    overlap,
    overlap_summary,
    side_by_side,
)
from dashboard.bundle import Bundle
from dashboard.formatting import escape_markdown
from dashboard.ui.cached import bundle_file_key
from dashboard.ui.peers import peer_model
from dashboard.ui.state import Context
from dashboard.view import set_name


@dataclass(frozen=True)
class OfficialList:
    """One official set beside ours, for the selected place."""

    set_id: str
    heading: str  # markdown (escaped)
    overlap: str  # markdown: "**9 of our 15** statistical neighbours ... are also in ..."
    table: pd.DataFrame | None
    theirs_column: str
    only_ours: str  # markdown (escaped)
    only_theirs: str  # markdown (escaped)
    method: str  # markdown (escaped): the publisher's stated method, with its link
    source: str  # markdown (escaped): publisher, date, licence, note
    missing: str | None  # markdown: the set does not list the place


@dataclass(frozen=True)
class Comparators:
    """The panel: the official lists, why ours differs and the tier-wide overlap."""

    intro: str
    lists: tuple[OfficialList, ...]
    none_note: str | None
    ours_method: str
    summary: pd.DataFrame
    summary_caption: str
    sources: pd.DataFrame  # set, publisher, published, licence, source and method (addresses)


_URL = re.compile(r"https?://[^\s<>]+")


def _url(value: object) -> str | None:
    """An http(s) address from the bundle for a link column (None otherwise)."""
    text = str(value or "")
    return text if _URL.fullmatch(text) else None


def _names(bundle: Bundle, codes: tuple[str, ...]) -> str:
    return escape_markdown(", ".join(bundle.place_name(c) for c in codes)) if codes else "none"


def _one(ctx: Context, s: dict, ours: list[str]) -> OfficialList:
    view, bundle = ctx.view, ctx.bundle
    sid = str(s["id"])
    name = set_name(bundle, sid)
    place = bundle.place_name(view.place)
    theirs = bundle.official_neighbours(sid, view.level, view.place)
    source = (
        f"{escape_markdown(s['publisher'])}, published {escape_markdown(s['published'])} · "
        f"{escape_markdown(s['licence'])} · {escape_markdown(s['note'])} "
        "(addresses in the table of sources below)"
    )
    method = "**Their method.** " + escape_markdown(
        s.get("method") or "The publisher states no method here."
    )
    heading = f"**{escape_markdown(s['label'])}**"
    if not theirs:
        return OfficialList(
            sid,
            heading,
            "",
            None,
            "",
            "",
            "",
            method,
            source,
            f"The {escape_markdown(name)} do not list {escape_markdown(place)} at the "
            f"{view.level} tier; choosing this group compares it with our statistical "
            "neighbours instead.",
        )
    ov = overlap(ours, theirs)
    k, n, m = len(ov.common), len(ov.ours), len(ov.theirs)
    sentence = (
        f"**{k} of our {n}** statistical neighbours of {escape_markdown(place)} are also in the "
        f"{escape_markdown(name)} ({m} places): {round(100 * ov.share_of_ours)}% of ours."
    )
    column = str(s.get("name") or s["label"])
    return OfficialList(
        sid,
        heading,
        sentence,
        side_by_side(bundle, ov, column),
        column,
        f"Only in ours ({len(ov.only_ours)}): {_names(bundle, ov.only_ours)}",
        f"Only in theirs ({len(ov.only_theirs)}): {_names(bundle, ov.only_theirs)}",
        method,
        source,
        None,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _summary(key: tuple[str, int, float], period: str, _bundle: Bundle) -> pd.DataFrame:
    models = {lv: peer_model(_bundle, lv, period) for lv in ("upper", "lower")}
    return overlap_summary(_bundle, models)


def summary_table(bundle: Bundle, period: str) -> pd.DataFrame:
    """Median overlap of our neighbours with each official list, per set and level."""
    if bundle.path is None:
        models = {lv: peer_model(bundle, lv, period) for lv in ("upper", "lower")}
        return overlap_summary(bundle, models)
    return _summary(bundle_file_key(bundle), period, bundle)


def comparators(ctx: Context) -> Comparators | None:
    """The panel for the view's place (None when our model is not available at this tier)."""
    view, bundle = ctx.view, ctx.bundle
    model = peer_model(bundle, view.level, view.period)
    if model is None:
        return None
    ours = model.peers_of(view.place)
    sets = bundle.neighbour_sets_at(view.level)
    none_note = (
        None
        if sets
        else f"{escape_markdown(bundle.title)} carries no official comparator set at the "
        f"{view.level} tier, so only our statistical neighbours are shown."
    )
    summary = summary_table(bundle, view.period)
    table = summary.assign(
        median_share_of_ours=(100 * summary["median_share_of_ours"]).round()
    ).rename(
        columns={
            "median_common": "median places in both",
            "ours_size": "our list",
            "theirs_size": "their list",
            "median_share_of_ours": "median share of ours (%)",
            "fewest_common": "fewest in both",
            "most_common": "most in both",
        }
    )
    return Comparators(
        intro="**Official comparator sets beside ours.** Each list is the publisher's own, as "
        "published; the overlap counts the places both lists name, in any order.",
        lists=tuple(_one(ctx, s, ours) for s in sets),
        none_note=none_note,
        ours_method=f"**Why ours differs.** {escape_markdown(ours_method())} Our variables "
        "and weights are in the table above.",
        summary=table,
        sources=pd.DataFrame(
            {
                "set": [str(s["label"]) for s in sets],
                "publisher": [str(s["publisher"]) for s in sets],
                "published": [str(s["published"]) for s in sets],
                "licence": [str(s["licence"]) for s in sets],
                "source": [_url(s.get("url")) for s in sets],
                "method": [_url(s.get("method_url")) for s in sets],
            }
        ),
        summary_caption="Overlap across every place of each tier: how many of our "
        "statistical neighbours each official list shares (median over the places both "
        "lists cover), for the period chosen.",
    )
