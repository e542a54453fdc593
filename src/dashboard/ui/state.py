"""The shared sidebar and the view it keeps in session state and in the URL query string."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.prices import CASH, PRICES, REAL, prices_label, unavailable_reason
from dashboard.analysis.prices import source_text as prices_source
from dashboard.bundle import Bundle, BundleError
from dashboard.formatting import escape_markdown
from dashboard.ui.cached import bundle_key, level_lists
from dashboard.ui.controls import SIDEBAR
from dashboard.ui.data import (
    available_datasets,
    dataset_label,
    is_layer,
    load_bundle,
    open_layer,
)
from dashboard.ui.peers import peers_for
from dashboard.view import (
    LEVEL_LABELS,
    PAGE_KEYS,
    Context,
    View,
    default_group,
    group_codes,
    group_label,
    group_note,
    needs_peers,
    read_query,
    resolve_view,
)

_KEYS = SIDEBAR.view_keys()
#: Query parameters a page owns (kept in the URL when the sidebar rewrites the view).
PAGE_PARAMS: tuple[str, ...] = PAGE_KEYS


def _try_load(name: str, paths: dict) -> Bundle | None:
    try:
        return load_bundle(paths[name])
    except BundleError as exc:
        st.session_state[SIDEBAR.load_error] = (
            f"The dataset '{dataset_label(name)}' was refused, so the app keeps the "
            f"data it had. {escape_markdown(exc)}"
        )
        return None


def _on_dataset_change() -> None:
    paths = available_datasets()
    new = st.session_state[SIDEBAR.dataset]
    bundle = _try_load(new, paths)
    if bundle is None:
        st.session_state[SIDEBAR.dataset] = st.session_state.get(SIDEBAR.last_dataset, "demo")
        return
    st.session_state[SIDEBAR.last_dataset] = new


def _init_from_query(paths: dict) -> None:
    """First run of a session: take the view from the URL (bad values noted, not fatal).

    Every parameter is read once, within its length (view.read_query); a page parameter that
    does not fit (``scenario``) is taken out of the URL."""
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    params, notes = read_query(raw)
    for key in PAGE_PARAMS:
        if key in st.query_params and key not in params:
            del st.query_params[key]
    default = "england" if "england" in paths else "demo"
    wanted = params.get("dataset", default)
    if is_layer(wanted) and wanted not in paths:
        # a data layer's link: opened in this session (private: reached only by its link)
        try:
            open_layer(wanted)
            paths.update(available_datasets())  # the caller draws the sidebar from it
        except BundleError as exc:
            st.session_state[SIDEBAR.load_error] = (
                f"The data layer in this link cannot be opened, so the app shows "
                f"{dataset_label(default)}. {escape_markdown(exc)}"
            )
    bundles: dict[str, Bundle] = {}
    for name in dict.fromkeys([wanted, default, "demo"]):
        if name in paths and (b := _try_load(name, paths)) is not None:
            bundles[name] = b
            break
    fallback = next(iter(bundles))
    view, more = resolve_view(params, bundles, fallback)
    for key, value in view.to_query().items():
        st.session_state[_KEYS[key]] = value
    st.session_state[SIDEBAR.custom] = list(view.custom)
    st.session_state[SIDEBAR.prices] = view.prices
    st.session_state[SIDEBAR.last_dataset] = view.dataset
    st.session_state[SIDEBAR.url_notes] = notes + more


def sidebar() -> Context:
    """Draw the shared sidebar; return the current context. Call once per run, from app.py."""
    paths = available_datasets()
    if SIDEBAR.dataset not in st.session_state or st.session_state[SIDEBAR.dataset] not in paths:
        _init_from_query(paths)
    _apply_pending(paths)
    ss = st.session_state

    with st.sidebar:
        present_slot = st.container()
        st.selectbox(
            "Dataset",
            list(paths),
            key=SIDEBAR.dataset,
            format_func=dataset_label,
            on_change=_on_dataset_change,
        )
        bundle = load_bundle(paths[ss[SIDEBAR.dataset]])
        st.radio(
            "Level",
            ["upper", "lower"],
            key=SIDEBAR.level,
            format_func=LEVEL_LABELS.get,
            horizontal=True,
            help="Upper tier: counties, unitaries, metropolitan districts and London boroughs "
            "(social care, public health, education). Lower tier: districts and the single-tier "
            "councils (housing, planning, waste collection). Comparisons stay within one tier.",
        )
        level = ss[SIDEBAR.level]
        codes, names, groups = level_lists(bundle, level)
        if ss.get(SIDEBAR.place) not in names:
            ss[SIDEBAR.place] = bundle.default_place(level)
        st.selectbox(
            "Place",
            codes,
            key=SIDEBAR.place,
            format_func=lambda c: f"{names.get(c, c)} ({c})",
            help="Type part of a name or a code to search.",
        )
        if ss.get(SIDEBAR.group) not in groups:
            ss[SIDEBAR.group] = default_group(bundle, level)
        st.selectbox("Compare with", list(groups), key=SIDEBAR.group, format_func=groups.get)
        if ss[SIDEBAR.group] == "custom":
            picked = dict.fromkeys(ss.get(SIDEBAR.custom, []))
            ss[SIDEBAR.custom] = [c for c in picked if c in names and c != ss[SIDEBAR.place]]
            st.multiselect(
                "Places to compare with",
                [c for c in codes if c != ss[SIDEBAR.place]],
                key=SIDEBAR.custom,
                format_func=lambda c: names.get(c, c),
                placeholder="Type names to add places",
            )
        if ss.get(SIDEBAR.period) not in bundle.periods:
            ss[SIDEBAR.period] = bundle.periods[-1]
        st.selectbox(
            "Period",
            bundle.periods,
            key=SIDEBAR.period,
            help="Financial year of the spend figures. Other indicators show their latest "
            "period ending no later than this.",
        )
        _prices_control(bundle)
        view = View(
            dataset=ss[SIDEBAR.dataset],
            level=level,
            place=ss[SIDEBAR.place],
            group=ss[SIDEBAR.group],
            period=ss[SIDEBAR.period],
            custom=tuple(ss.get(SIDEBAR.custom, []) if ss[SIDEBAR.group] == "custom" else ()),
            prices=ss[SIDEBAR.prices],
        )
        if note := group_note(bundle, view):
            st.caption(note)
        if bundle.is_demo:
            st.caption(
                ":orange[**Fictional data.**] Every place, name and figure in the demo is invented."
            )
        st.caption(escape_markdown(bundle.attribution))
    with present_slot:
        present_link(view)

    kept = {k: st.query_params[k] for k in PAGE_PARAMS if k in st.query_params}
    wanted = {**view.to_query(), **kept}
    if st.query_params.to_dict() != wanted:  # each write is a message and a browser re-render
        st.query_params.from_dict(wanted)
    peers = peers_for(bundle, level, view.period, view.place) if needs_peers(bundle, view) else None
    return Context(view, bundle, group_codes(bundle, view, peers), group_label(bundle, view, peers))


def present_link(view: View) -> None:
    """The "Present" button: story mode on this view (and the saved scenario open on the
    Scenarios page, if any)."""
    query = view.to_query()
    if sid := st.query_params.get("scenario"):
        query["scenario"] = sid
    st.page_link(
        "pages/present.py",
        label="Present",
        icon=":material/slideshow:",
        query_params=query,
        help="Story mode for a projector: this place's case, one slide at a time.",
    )


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Bundle: bundle_key})
def _prices_help(bundle: Bundle) -> tuple[str | None, str]:
    """Why real terms are unavailable (None when they are) and the Money control's help
    (markdown), once per bundle."""
    why = unavailable_reason(bundle)
    if why:
        return why, escape_markdown(why)
    return None, escape_markdown(
        f"Cash: as published for each year. Real terms: {prices_label(bundle, REAL)}, each "
        "year's money multiplied by the base year's index over its own. Index: "
        f"{prices_source(bundle)}."
    )


def _prices_control(bundle: Bundle) -> None:
    """Cash or real terms for every money figure; disabled, saying why, without a price
    index."""
    ss = st.session_state
    why, help_text = _prices_help(bundle)
    if ss.get(SIDEBAR.prices) not in PRICES or (why and ss[SIDEBAR.prices] == REAL):
        ss[SIDEBAR.prices] = CASH
    st.radio(
        "Money",
        list(PRICES),
        key=SIDEBAR.prices,
        format_func=PRICES.get,
        horizontal=True,
        disabled=why is not None,
        help=help_text,
    )
    if why:
        st.caption(escape_markdown(why))


def set_place(code: str) -> None:
    """Make ``code`` the selected place everywhere (use from a widget callback)."""
    st.session_state[SIDEBAR.place] = code


def open_place(dataset: str, level: str, code: str) -> None:
    """Ask for the view to switch to ``code`` at ``level`` in ``dataset``: the sidebar applies
    it at the start of the next run (call ``st.rerun()`` after this)."""
    st.session_state[SIDEBAR.pending_place] = (dataset, level, code)


def _apply_pending(paths: dict) -> None:
    pending = st.session_state.pop(SIDEBAR.pending_place, None)
    if pending and pending[0] in paths:
        dataset, level, code = pending
        st.session_state[SIDEBAR.dataset] = dataset
        st.session_state[SIDEBAR.last_dataset] = dataset
        st.session_state[SIDEBAR.level] = level
        st.session_state[SIDEBAR.place] = code


def show_messages(ctx: Context, banner: bool = True) -> None:
    """Errors and notes that belong at the top of every page, and (``banner``) the
    fictional-data banner (story mode says "Fictional data" on each slide instead)."""
    if msg := st.session_state.pop(SIDEBAR.load_error, None):
        st.error(msg, icon=":material/error:")
    for note in st.session_state.pop(SIDEBAR.url_notes, []):
        st.warning(note, icon=":material/link_off:")
    if banner and ctx.bundle.is_demo:
        st.warning(
            "**Fictional data.** You are looking at the demo: every place, name and figure is "
            "invented by the app's own generator. Choose *England (official data)* in the "
            "sidebar when it has been built.",
            icon=":material/science:",
        )
