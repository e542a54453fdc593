"""Streamlit glue for story mode (the Present page): the deck being shown, its scenario, one
slide built at a time (cached), the slide as drawn for a projector, the buttons and keys that
step through it.

The deck comes from ``?deck=<id>`` (a saved deck) or is the place's default deck
(present.kinds.default_deck); the slide number is ``?slide=N`` (1-based) and follows every
step. The deck as edited (ui.present_edit) lives in session state until the view or the deck
asked for changes. All text on a slide is plain text: markdown is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.formatting import escape_markdown
from dashboard.present.case import ScenarioCase, scenario_case
from dashboard.present.kinds import KINDS, build_slide, default_deck, kind_ids
from dashboard.present.model import Deck, DeckError, Slide, SlideRef, deck_from_json
from dashboard.present.settings import present_settings
from dashboard.scenario import Scenario
from dashboard.scenario.report import scenario_from_saved
from dashboard.ui import scenario as ui_scenario
from dashboard.ui.cached import PLACES
from dashboard.ui.state import Context
from dashboard.ui.style import present_page
from dashboard.view import View, deck_id_problem, scenario_id_problem, shown, slide_problem

HASH = ui_scenario.HASH


@dataclass(frozen=True)
class PresentKeys:
    """Session-state and widget keys of the Present page (the buttons' keys are also the
    ``st-key-`` classes the keyboard script clicks)."""

    first: str = "present_first"
    prev: str = "present_prev"
    next: str = "present_next"
    last: str = "present_last"
    edit: str = "present_edit"
    done: str = "present_done"
    rows: str = "_present_rows"
    source: str = "_present_source"
    version: str = "_present_version"
    notes: str = "_present_notes"
    saved: str = "_present_saved"

    def editor(self, version: int) -> str:
        return f"present_editor_{version}"


KEYS = PresentKeys()


# --- the deck being shown --------------------------------------------------------------------
@dataclass
class Row:
    """One slide of the deck being edited: its reference and whether it is shown."""

    ref: SlideRef
    include: bool = True


def _load_saved(deck_id: str) -> tuple[Deck | None, str]:
    """The saved deck ``deck_id`` and "" (or None and why not, markdown)."""
    if why := deck_id_problem(deck_id):
        return None, f"Link parameter **deck** {shown(deck_id)} {why}."
    try:
        record = ui_scenario.store().get_deck(deck_id)
    except Exception:  # noqa: BLE001 - a database that is down must not break the page
        return None, "The saved decks cannot be read just now (the database did not answer)."
    if record is None:
        return None, f"There is no saved deck {shown(deck_id)}."
    try:
        return deck_from_json(record.deck_json, kind_ids()), ""
    except DeckError as exc:
        return None, f"The saved deck {shown(deck_id)} cannot be shown: {escape_markdown(exc)}."


def _reset(ctx: Context, deck_id: str) -> None:
    ss = st.session_state
    notes: list[str] = []
    deck = None
    if deck_id:
        deck, why = _load_saved(deck_id)
        if deck is None:
            notes.append(f"{why} Showing the default deck for this place.")
        elif deck.view.get("place", ctx.view.place) != ctx.view.place:
            notes.append(
                f"The saved deck was made for {shown(deck.view.get('place'))}; it is shown here "
                f"for {escape_markdown(ctx.bundle.place_name(ctx.view.place))}."
            )
    deck = deck or default_deck(ctx)
    ss[KEYS.rows] = [Row(r) for r in deck.slides]
    ss[KEYS.source] = (ctx.view, deck_id)
    ss[KEYS.version] = ss.get(KEYS.version, 0) + 1
    ss[KEYS.notes] = notes
    ss[KEYS.saved] = deck.scenario_id


def rows(ctx: Context) -> list[Row]:
    """The deck being edited, every slide (dropped ones too): loaded afresh when the view or
    ``?deck=`` changes."""
    deck_id = str(st.query_params.get("deck", ""))
    if st.session_state.get(KEYS.source) != (ctx.view, deck_id):
        _reset(ctx, deck_id)
    return st.session_state[KEYS.rows]


def set_rows(new: list[Row]) -> None:
    """Replace the deck being edited (a fresh editor table is drawn for it)."""
    st.session_state[KEYS.rows] = new
    st.session_state[KEYS.version] = st.session_state.get(KEYS.version, 0) + 1


def live_deck(ctx: Context) -> Deck:
    """The deck as shown: the slides included, in order, on this view and its scenario."""
    refs = tuple(r.ref for r in rows(ctx) if r.include)
    return Deck(view=ctx.view.to_query(), slides=refs, scenario_id=scenario_id())


def load_notes() -> list[str]:
    """Why the deck asked for is not the one shown (markdown, escaped), once."""
    return st.session_state.pop(KEYS.notes, [])


# --- the deck's scenario ---------------------------------------------------------------------
def scenario_id() -> str:
    """The saved scenario the deck shows: ``?scenario=<id>``, else the saved deck's (or "")."""
    given = str(st.query_params.get("scenario", ""))
    return given or str(st.session_state.get(KEYS.saved, ""))


def deck_scenario(ctx: Context) -> tuple[Scenario | None, str, str, list[str]]:
    """(scenario or None for the default preset, its name, its saved id, notes)."""
    sid = scenario_id()
    if not sid:
        return None, "", "", []
    default = "The default preset is shown instead."
    if why := scenario_id_problem(sid):
        return None, "", "", [f"Link parameter **scenario** {shown(sid)} {why}. {default}"]
    try:
        record = ui_scenario.store().get(sid)
    except Exception:  # noqa: BLE001 - a database that is down must not break the page
        return None, "", "", [f"The saved scenarios cannot be read just now. {default}"]
    if record is None:
        return None, "", "", [f"There is no saved scenario {shown(sid)}. {default}"]
    try:
        scenario, notes = scenario_from_saved(record.scenario_json, ui_scenario.catalogue())
    except ValueError as exc:
        return (
            None,
            "",
            "",
            [f"The saved scenario cannot be run: {escape_markdown(exc)}. {default}"],
        )
    if scenario.place_code != ctx.view.place:
        return None, "", "", [f"The saved scenario {shown(sid)} is for another place. {default}"]
    return scenario, f"Saved scenario: {record.name}", sid, [escape_markdown(n) for n in notes]


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=HASH)
def _case(
    bundle: Bundle, place: str, scenario: Scenario | None, name: str, saved_id: str
) -> ScenarioCase | None:
    try:
        return scenario_case(
            bundle, place, scenario, name=name, saved_id=saved_id, catalogue=ui_scenario.catalogue()
        )
    except Exception:  # noqa: BLE001 - a scenario that cannot run leaves its slides saying so
        return None


# --- slides, one at a time -------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4 * PLACES, hash_funcs=HASH)
def _slide(
    bundle: Bundle,
    view: View,
    group: tuple[str, ...],
    group_text: str,
    kind: str,
    params: tuple[tuple[str, str], ...],
    scenario: Scenario | None,
    name: str,
    saved_id: str,
) -> Slide:
    ctx = Context(view, bundle, list(group), group_text)
    needs = kind in KINDS and KINDS[kind].needs_scenario
    case = _case(bundle, view.place, scenario, name, saved_id) if needs else None
    return build_slide(ctx, SlideRef(kind, dict(params)), case)


def slide(ctx: Context, ref: SlideRef, scenario: tuple[Scenario | None, str, str]) -> Slide:
    """One slide of the deck with its note (built once per view, kind, settings and scenario;
    the note is added after, so writing one does not rebuild the slide)."""
    built = _slide(
        ctx.bundle,
        ctx.view,
        tuple(ctx.group),
        ctx.group_text,
        ref.kind,
        tuple(sorted(ref.params.items())),
        *scenario,
    )
    return replace(built, note=ref.note)


def slide_number(total: int) -> tuple[int, str]:
    """The slide asked for by ``?slide=N`` (1-based; 1 when absent) and a note when it is not
    one of the deck's ``total`` slides (then slide 1 is shown and the URL says so)."""
    raw = str(st.query_params.get("slide", "1"))
    note = ""
    if why := slide_problem(raw):
        note = f"Link parameter **slide** {shown(raw)} {why}; showing slide 1."
        n = 1
    else:
        n = int(raw)
        if n > total:
            note = f"This deck has {total} slides, so there is no slide {n}; showing slide 1."
            n = 1
    if st.query_params.get("slide") != str(n):
        st.query_params["slide"] = str(n)
    return n, note


def go(n: int) -> None:
    """Show slide ``n`` (a button's callback: the URL follows)."""
    st.query_params["slide"] = str(n)


# --- the slide as drawn ----------------------------------------------------------------------
def style() -> None:
    """The projector page's CSS, at present.yaml's type sizes."""
    s = present_settings()
    present_page(s.body_font_px, s.attribution_font_px)


def _plain_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its text escaped (st.table draws markdown in cells)."""
    out = table.copy()
    out.columns = [escape_markdown(c) for c in out.columns]
    for c in out.columns:
        out[c] = out[c].map(lambda v: escape_markdown(v) if isinstance(v, str) else v)
    return out


def draw_slide(s: Slide, number: int, total: int, editing: bool, view: View) -> None:
    """The slide: title, message, its chart, table, figures or lines and the caveat in words;
    under it one bar with the footer line (attribution, "Fictional data" on demo slides,
    "Slide 3 / 10") and the buttons."""
    with st.container(key="present_slide"):
        st.title(escape_markdown(s.title), anchor=False)
        if s.message:
            st.markdown(escape_markdown(s.message))
        if s.chart is not None:
            with st.container(key="present_chart"):
                st.vega_lite_chart(spec=s.chart, theme=None, width="content")
        if s.table is not None:
            st.table(_plain_table(s.table))
        if s.figures:
            _figures(s)
        if s.bullets:
            st.markdown("\n".join(f"- {escape_markdown(b)}" for b in s.bullets))
        if s.caveat:
            with st.container(key="present_caveat"):
                st.markdown(f"**Caveat:** {escape_markdown(s.caveat)}")
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center"):
        with st.container(key="present_footer"):
            parts = [escape_markdown(s.attribution)]
            if s.fictional:
                parts.append("**Fictional data**")
            parts.append(f"Slide {number} / {total}")
            st.markdown(" · ".join(p for p in parts if p))
        controls(number, total, editing, view)


#: Most headline figures in one row on a slide (more go in two rows).
FIGURES_PER_ROW = 5


def _figures(s: Slide) -> None:
    with st.container(key="present_figures"):
        figs = list(s.figures)
        per_row = len(figs) if len(figs) <= FIGURES_PER_ROW else -(-len(figs) // 2)
        for start in range(0, len(figs), per_row):
            row = figs[start : start + per_row]
            for col, f in zip(st.columns(per_row, gap="medium"), row, strict=False):
                with col:
                    note = f"  \n*{escape_markdown(f.note)}*" if f.note else ""
                    st.markdown(
                        f"**{escape_markdown(f.value)}**  \n{escape_markdown(f.label)}{note}"
                    )


#: The keyboard: a presenter's keys (and a clicker's PageUp / PageDown) click the page's own
#: First / Previous / Next / Last buttons, found by their st-key- class (the one drawn, not
#: its hidden copy). Keys typed into a text box, a select, the slides table or on a focused
#: button are left alone. Registered once per browser tab and acting only on /present. While
#: Streamlit redraws the buttons (just after a run) the press waits for them, a second at most.
KEYBOARD_JS = """
<script>
(() => {
  if (window.__pvePresentKeys) return;
  window.__pvePresentKeys = true;
  document.documentElement.setAttribute('data-pve-keys', 'on');  // the keys are listened to
  const keys = {ArrowRight: 'next', PageDown: 'next', ' ': 'next', ArrowLeft: 'prev',
                PageUp: 'prev', Home: 'first', End: 'last'};
  const typing = 'input, textarea, select, [contenteditable="true"], [role="combobox"], '
    + '[role="listbox"], [role="grid"], [data-testid="stDataFrame"], [data-testid="stDataFrameResizable"]';
  const button = (which) => [...document.querySelectorAll('.st-key-present_' + which + ' button')]
    .find(b => b.offsetParent !== null);
  const press = (which, tries) => {
    const b = button(which);
    if (b) { if (!b.disabled) b.click(); return; }
    if (tries > 0) setTimeout(() => press(which, tries - 1), 50);
  };
  document.addEventListener('keydown', (e) => {
    const which = keys[e.key];
    if (!which || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (!/\\/present\\/?$/.test(location.pathname)) return;
    const t = e.target instanceof Element ? e.target : null;
    if (t && t.closest(typing)) return;
    if (e.key === ' ' && t && t.closest('button, a, [role="button"], [role="checkbox"]')) return;
    e.preventDefault();
    press(which, 20);
  });
})();
</script>
"""


def keyboard() -> None:
    """Register the keyboard script (no network: inline)."""
    st.html(KEYBOARD_JS, unsafe_allow_javascript=True)


def controls(number: int, total: int, editing: bool, view: View) -> None:
    """First / Previous / Next / Last (keyboard-focusable), the edit view's switch and the
    way out (Home on the same view)."""
    with st.container(key="present_controls", horizontal=True, gap="small", width="content"):
        st.button(
            "First",
            key=KEYS.first,
            icon=":material/first_page:",
            on_click=go,
            args=(1,),
            disabled=number <= 1,
            help="First slide (Home)",
        )
        st.button(
            "Previous",
            key=KEYS.prev,
            icon=":material/chevron_left:",
            on_click=go,
            args=(max(1, number - 1),),
            disabled=number <= 1,
            help="Previous slide (←, PageUp)",
        )
        st.button(
            "Next",
            key=KEYS.next,
            icon=":material/chevron_right:",
            on_click=go,
            args=(min(total, number + 1),),
            disabled=number >= total,
            type="primary",
            help="Next slide (→, PageDown, space)",
        )
        st.button(
            "Last",
            key=KEYS.last,
            icon=":material/last_page:",
            on_click=go,
            args=(total,),
            disabled=number >= total,
            help="Last slide (End)",
        )
        if editing:
            st.button("Close the editor", key=KEYS.done, on_click=_set_edit, args=(False,))
        else:
            st.button(
                "Edit slides",
                key=KEYS.edit,
                icon=":material/edit:",
                on_click=_set_edit,
                args=(True,),
                help="Drop, reorder or add slides, write notes, save the deck",
            )
        st.page_link(
            "pages/home.py",
            label="Exit",
            icon=":material/close:",
            query_params=view.to_query(),
            help="Leave story mode (the app's pages, on this view)",
        )


def _set_edit(on: bool) -> None:
    if on:
        st.query_params["edit"] = "1"
    elif "edit" in st.query_params:
        del st.query_params["edit"]


def editing() -> bool:
    """Whether the edit view is open (``?edit=1``)."""
    return st.query_params.get("edit") == "1"
