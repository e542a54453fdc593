"""The Data page's view models: sources, the indicator dictionary, coverage, the download and
the method settings, cached per bundle (``ui.cached.per_bundle``). Text from the bundle (title,
description, attribution, licence, notes, place names) is escaped where it goes into markdown;
the tables take it as plain text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.analysis import dictionary
from dashboard.analysis.dictionary import count_values, indicator_services, tidy_values
from dashboard.analysis.prices import REAL, deflator_block, prices_label
from dashboard.bundle import Bundle
from dashboard.export.tables import to_csv_bytes
from dashboard.formatting import escape_markdown
from dashboard.layers.merge import layer_sentence
from dashboard.ui.cached import per_bundle, per_view
from dashboard.ui.state import Context

sources_table = per_bundle(dictionary.sources_table)
_indicator_dictionary = per_bundle(dictionary.indicator_dictionary)
coverage_table = per_bundle(dictionary.coverage_table)
_gaps_table = per_bundle(dictionary.gaps_table)
services = per_bundle(indicator_services)


@dataclass(frozen=True)
class About:
    """The bundle's title line, attribution and licence, the notes its builder wrote in
    bundle.yaml, and the notes the loader made on what it accepted but found unusual
    (``Bundle.warnings``): all markdown, with the bundle's text escaped."""

    heading: str
    attribution: str
    notes: tuple[str, ...]
    loader_notes: str  # a markdown list ("" when there are none)
    loader_caption: str

    @property
    def notes_list(self) -> str:
        """The notes as one markdown list (one element on the page, not one per note)."""
        return "\n".join(f"- {note}" for note in self.notes)


@per_view
def about(ctx: Context) -> About:
    """What the dataset is, how to credit it, and the notes on its data."""
    b = ctx.bundle
    e = escape_markdown
    warnings = tuple(e(w) for w in b.warnings)
    return About(
        heading=f"**{e(b.title)}** — {e(b.meta.get('description', ''))}"
        + (f"  \n**Local data.** {e(layer_sentence(b))}" if layer_sentence(b) else ""),
        attribution=f"**Attribution.** {e(b.attribution)}  \n"
        f"**Licence.** {e(b.meta.get('licence', ''))}",
        notes=tuple(e(n) for n in _notes(b)),
        loader_notes="\n".join(f"- {w}" for w in warnings),
        loader_caption=f"{len(warnings)} note(s) on what was accepted but is unusual in the "
        "bundle's files (found when the dataset was loaded)."
        if warnings
        else "Nothing unusual was found in the bundle's files when the dataset was loaded.",
    )


def _notes(b: Bundle) -> list[str]:
    """bundle.yaml ``notes`` and the price index's own note (real terms), once each."""
    notes = [str(n) for n in b.meta.get("notes") or []]
    block = deflator_block(b)
    if block is not None and block.get("note") and block["note"] not in notes:
        notes.append(str(block["note"]))
    return notes


@dataclass(frozen=True)
class Dictionary:
    table: pd.DataFrame
    caption: str


def indicator_dictionary(
    ctx: Context, search: str, kinds: list[str], services_chosen: list[str]
) -> Dictionary:
    """The indicator dictionary filtered by text, kind and service, with its count line."""
    table = _indicator_dictionary(ctx.bundle, search, kinds, services_chosen)
    return Dictionary(
        table,
        f"{len(table)} of {len(ctx.bundle.indicators)} indicators. 'group' is what each one "
        "measures (the sections of the Profile page). 'denominator' says whom each "
        "rate computed here divides by, and which year's population estimate each period uses.",
    )


@dataclass(frozen=True)
class Coverage:
    caption: str
    table: pd.DataFrame


@per_view
def coverage(ctx: Context) -> Coverage:
    """Places with a value in each indicator's latest period, at the view's level."""
    level = ctx.view.level
    return Coverage(
        f"{level.capitalize()}-tier places with a value in each indicator's latest period "
        "(switch the level in the sidebar for the other tier).",
        coverage_table(ctx.bundle, level),
    )


@dataclass(frozen=True)
class Gaps:
    """Missing values with a stated reason (which council's return, which year)."""

    caption: str
    table: pd.DataFrame


@per_view
def gaps(ctx: Context) -> Gaps:
    """The gaps table at the view's level: every missing value the bundle explains."""
    level = ctx.view.level
    table = _gaps_table(ctx.bundle, level)
    places = table["code"].nunique() if len(table) else 0
    return Gaps(
        f"{int(table['indicators'].sum()):,} missing {level}-tier values ({places} places, "
        f"{len(table)} council-years) with the reason the source gives: usually a council whose revenue outturn return MHCLG had not received "
        "in time for publication, which also leaves its county's whole-area total missing. "
        "For a county, the council's own total (county council only) is offered as a separate "
        "indicator."
        if len(table)
        else f"No {level}-tier value in this dataset is missing with a stated reason.",
        table,
    )


@dataclass(frozen=True)
class Download:
    """The tidy-data download: its sentence, the CSV built only when clicked, the file name."""

    text: str
    data: Callable[[], bytes]
    file_name: str


@per_view
def download(ctx: Context) -> Download:
    """Every value for the place and its comparison group."""
    view, bundle = ctx.view, ctx.bundle
    codes = [view.place, *ctx.group]
    n_rows = count_values(bundle, codes)
    basis = escape_markdown(prices_label(bundle, view.prices))
    return Download(
        f"Every value for **{escape_markdown(bundle.place_name(view.place))}** and "
        f"{escape_markdown(ctx.group_text)}: "
        f"{n_rows:,} rows, each with its period, unit, source and licence; money in {basis} "
        "(column price_basis; switch *Money* in the sidebar for the other basis); a grade "
        "(Ofsted) also in words (column value_in_words).",
        lambda: to_csv_bytes(tidy_values(bundle, codes, view.prices)),
        f"place-value-{bundle.meta.get('id', view.dataset)}-{view.place}-{view.group}"
        f"{'-real-terms' if view.prices == REAL else ''}.csv",
    )


@dataclass(frozen=True)
class Settings:
    """The catalogue's method settings and assumptions, and the line above the table."""

    caption: str
    table: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=1)  # read-only: shared, not copied per rerun
def _settings_table() -> pd.DataFrame:
    return dictionary.settings_table()


def method_settings() -> Settings:
    """Every catalogue parameter with its unit, range, evidence grade and source."""
    table = _settings_table()
    files = len(set(table["file"]))
    return Settings(
        f"{len(table)} settings and assumptions in {files} files of data/catalogue/: the "
        "value used, the low and high of its uncertainty range where it has one, the range a "
        "value must lie in, the evidence grade and the source.",
        table,
    )
