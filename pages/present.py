"""Present: story mode for the projector. One slide at a time of the place's deck (or a saved
deck, ``?deck=<id>``); the slide number in the URL; arrows, PageUp/PageDown, space, Home and
End step through it. The edit view (``?edit=1``) drops, reorders and adds slides, takes a
note per slide and saves the deck with a share link."""

import streamlit as st

from dashboard.ui import present as show
from dashboard.ui import present_edit as edit
from dashboard.ui.context import page_context

ctx = page_context()
show.style()
show.keyboard()

deck = show.live_deck(ctx)
for note in show.load_notes():
    st.warning(note, icon=":material/link_off:")
scenario, name, saved_id, scenario_notes = show.deck_scenario(ctx)
for note in scenario_notes:
    st.warning(note, icon=":material/info:")

total = len(deck.slides)
number, note = show.slide_number(total)
if note:
    st.warning(note, icon=":material/link_off:")

editing = show.editing()
current = show.slide(ctx, deck.slides[number - 1], (scenario, name, saved_id))
show.draw_slide(current, number, total, editing, ctx.view)

if editing:
    st.divider()
    edit.presenter_note(current, number)
    st.markdown("#### The slides")
    edit.slides_table(ctx)
    left, right = st.columns(2)
    with left:
        edit.add_slide(ctx)
    with right:
        edit.save_deck(ctx)
    edit.pack_buttons(
        ctx, lambda: [show.slide(ctx, ref, (scenario, name, saved_id)) for ref in deck.slides]
    )
