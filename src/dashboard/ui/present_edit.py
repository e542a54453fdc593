"""Story mode's edit view (``?edit=1``, under the slide, never on the projected slide): the
presenter's note of the slide shown, the slides as a table (order, kind, shown or dropped,
note), a slide of any kind added with its settings, the deck saved with a share link, and the
board pack downloaded.

A change in the table is taken into the deck at once (a fresh table is then drawn for it); a
change the deck's rules refuse (present.model.check_deck) says why and changes nothing.
Notes are the presenter's own text: shown as text, never markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.analysis.map_values import ANY_SERVICE, indicator_choices
from dashboard.bundle.limits import input_limit
from dashboard.formatting import escape_markdown
from dashboard.present.kinds import KINDS
from dashboard.present.model import Deck, DeckError, Slide, SlideRef, check_deck, deck_to_json
from dashboard.present.pack import FORMATS, board_pack, pack_name
from dashboard.store import StoreError
from dashboard.ui import scenario as ui_scenario
from dashboard.ui.present import KEYS, Row, live_deck, rows, set_rows
from dashboard.ui.state import Context

COLUMNS = ("order", "slide", "include", "note")


def _table(current: list[Row]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order": list(range(1, len(current) + 1)),
            "slide": [
                KINDS[r.ref.kind].label if r.ref.kind in KINDS else r.ref.kind for r in current
            ],
            "include": [r.include for r in current],
            "note": [r.ref.note for r in current],
        }
    )


def _rows_from(table: pd.DataFrame, current: list[Row]) -> list[Row]:
    """The deck as the table says: slides sorted by their order number (ties kept in their
    place), each shown or not, with its note."""
    out = []
    for i, row in table.iterrows():
        old = current[int(i)]
        order = pd.to_numeric(row["order"], errors="coerce")
        note = "" if pd.isna(row["note"]) else str(row["note"])
        key = float(order) if pd.notna(order) else float(int(i) + 1)
        out.append(
            (key, int(i), Row(SlideRef(old.ref.kind, old.ref.params, note), bool(row["include"])))
        )
    return [r for _, _, r in sorted(out, key=lambda t: (t[0], t[1]))]


def _check(ctx: Context, new: list[Row]) -> str:
    """Why ``new`` cannot be the deck ("" when it can)."""
    shown = tuple(r.ref for r in new if r.include)
    if not shown:
        return "A deck needs at least one slide: tick 'include' on one."
    try:
        check_deck(Deck(view=ctx.view.to_query(), slides=shown))
    except DeckError as exc:
        return str(exc)
    return ""


def slides_table(ctx: Context) -> None:
    """The slides as a table: edit the order, drop a slide (untick it) or write its note."""
    current = rows(ctx)
    version = st.session_state.get(KEYS.version, 0)
    edited = st.data_editor(
        _table(current),
        key=KEYS.editor(version),
        hide_index=True,
        num_rows="fixed",
        disabled=["slide"],
        width="stretch",
        column_config={
            "order": st.column_config.NumberColumn(
                "Order", min_value=1, step=1, help="Type a number to move a slide"
            ),
            "slide": st.column_config.TextColumn("Slide"),
            "include": st.column_config.CheckboxColumn("Include", help="Untick to drop the slide"),
            "note": st.column_config.TextColumn(
                "Presenter's note",
                max_chars=input_limit("deck", "note_max_chars"),
                help="Your note for this slide: shown here, never on the projected slide",
                width="large",
            ),
        },
    )
    new = _rows_from(edited, current)
    if new == current:
        return
    if why := _check(ctx, new):
        st.error(f"That change was not made: {escape_markdown(why)}", icon=":material/error:")
        return
    set_rows(new)
    st.rerun()


def _param_inputs(ctx: Context, kind_id: str) -> dict[str, str]:
    """The settings a new slide of ``kind_id`` reads: an indicator from the map's picker, any
    other as text (empty: the kind's default)."""
    out: dict[str, str] = {}
    for p in KINDS[kind_id].params:
        if p == "indicator":
            choices = indicator_choices(ctx.bundle, ctx.view.level)
            ids = list(choices.ids[ANY_SERVICE])
            if ids:
                out[p] = st.selectbox(
                    "Indicator", ids, format_func=choices.labels.get, key=f"present_add_{p}"
                )
        else:
            value = st.text_input(p.replace("_", " ").capitalize(), key=f"present_add_{p}")
            if value.strip():
                out[p] = value.strip()
    return out


def add_slide(ctx: Context) -> None:
    """Add a slide of any kind this app draws, at the end, with its settings."""
    ids = list(KINDS)
    kind_id = st.selectbox(
        "Add a slide", ids, format_func=lambda k: KINDS[k].label, key="present_add_kind"
    )
    params = _param_inputs(ctx, kind_id)
    if st.button("Add the slide", key="present_add", icon=":material/add:"):
        new = [*rows(ctx), Row(SlideRef(kind_id, params))]
        if why := _check(ctx, new):
            st.error(f"The slide was not added: {escape_markdown(why)}", icon=":material/error:")
            return
        set_rows(new)
        st.rerun()


def share_link(ctx: Context, deck_id: str) -> str:
    """The link that reopens a saved deck on this view."""
    return "/present?" + urlencode({**ctx.view.to_query(), "deck": deck_id})


def save_deck(ctx: Context) -> None:
    """Save the deck as shown (name and author); show its share link."""
    with st.form("present_save", border=False):
        name = st.text_input("Deck name", key="present_save_name")
        author = st.text_input("Your name", key="present_save_author")
        saved = st.form_submit_button("Save the deck", icon=":material/save:")
    if saved:
        deck = live_deck(ctx)
        try:
            deck_id = ui_scenario.store().save_deck(
                name, ctx.view.place, ctx.view.dataset, author, deck_to_json(deck)
            )
        except (StoreError, DeckError) as exc:
            st.error(
                f"The deck was not saved: {escape_markdown(exc)}. Your slides are kept.",
                icon=":material/error:",
            )
            return
        except Exception:  # noqa: BLE001 - a database that is down must not lose the deck
            st.error(
                "The deck was not saved: the database did not answer. Your slides are kept.",
                icon=":material/error:",
            )
            return
        st.session_state[KEYS.source] = (ctx.view, deck_id)
        st.session_state[KEYS.saved] = deck.scenario_id
        st.query_params["deck"] = deck_id
        st.success("Saved. Anyone with this link sees the same slides and notes:")
        st.code(share_link(ctx, deck_id), language=None)


#: The board pack's formats: label under the button and what it is for.
PACK_LABELS: dict[str, tuple[str, str]] = {
    "pptx": ("PowerPoint", "The deck as a PowerPoint file: notes as speaker notes, to edit"),
    "pdf": ("PDF", "The deck as a PDF, one page per slide: to read, print or send round"),
}


def pack_file(slides: Callable[[], list[Slide]], fmt: str) -> bytes:
    """The board pack of ``slides()`` as ``fmt`` bytes (built when its button is clicked)."""
    return board_pack(slides(), fmt)


def pack_buttons(ctx: Context, all_slides: Callable[[], list[Slide]]) -> None:
    """'Download board pack' as PowerPoint and as PDF: the deck's slides (``all_slides()``)
    with their notes, built only when a button is clicked (present.pack)."""
    name = ctx.bundle.place_name(ctx.view.place)
    row = st.container(horizontal=True)
    for fmt, mime in FORMATS.items():
        label, what = PACK_LABELS[fmt]
        row.download_button(
            f"Download board pack ({label})",
            data=lambda fmt=fmt: pack_file(all_slides, fmt),
            file_name=pack_name(name, fmt),
            mime=mime,
            key=f"present_pack_{fmt}",
            on_click="ignore",
            icon=":material/download:",
            help=what,
        )


def presenter_note(s: Slide, number: int) -> None:
    """The presenter's note of the slide shown (as text), and the slide's method."""
    st.markdown(f"**Presenter's note for slide {number}**")
    st.text(s.note or "(no note)")
    if s.method:
        st.caption(f"Method: {escape_markdown(s.method)}")
