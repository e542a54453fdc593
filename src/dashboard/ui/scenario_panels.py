"""Streamlit panels of the Scenarios page that are mostly widgets: an intervention's
assumptions (change a value), the worked calculation, and save / open / download. Their
content comes from ui.scenario_views; pages/scenario.py places them."""

from __future__ import annotations

import streamlit as st

from dashboard.bundle.catalogue import service_label
from dashboard.formatting import escape_markdown
from dashboard.scenario import PlaceContext, Result, Scenario, Simulation
from dashboard.scenario.report import calculation_steps
from dashboard.store import SavedScenario
from dashboard.store.scenarios import MAX_LENGTH
from dashboard.ui import scenario as ui
from dashboard.ui import scenario_controls as controls
from dashboard.ui import scenario_views as views
from dashboard.ui.scenario_controls import CONTROLS, SC
from dashboard.ui.state import Context


def assumptions_panel(iid: str, place: PlaceContext | None = None) -> None:
    """Every parameter of one intervention: range, grade badge, source; change a value."""
    a = views.assumptions_view(iid, CONTROLS.overrides, place)
    st.markdown(f"**{a.label}**")
    st.badge(a.badge, color=a.badge_colour, icon=":material/verified:")
    st.caption(a.caption)
    st.dataframe(
        a.table,
        hide_index=True,
        width="stretch",
        column_config={
            "changed": st.column_config.CheckboxColumn("changed"),
            "low": st.column_config.NumberColumn(format="%.4g"),
            "central": st.column_config.NumberColumn(format="%.4g"),
            "high": st.column_config.NumberColumn(format="%.4g"),
            "source": st.column_config.TextColumn(width="large"),
        },
    )
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    path = c1.selectbox(
        "Assumption to change", list(a.paths), format_func=a.paths.get, key=SC.override_pick(iid)
    )
    row = a.rows[path]
    value = c2.number_input(
        f"New central value ({row['unit']}; allowed {row['allowed']})",
        value=row["central"],
        format="%.4g",
        key=SC.override_value(iid),
    )
    if c3.button("Apply", key=SC.override_apply(iid)):
        msg = controls.set_override(path, value)
        if msg:
            CONTROLS.set(SC.refused, msg)
        else:
            CONTROLS.pop(SC.refused, None)
    if a.changed and st.button("Reset this intervention's assumptions", key=SC.override_reset(iid)):
        for p in a.changed:
            controls.set_override(p, None)


def how_panel(scenario: Scenario, result: Result) -> None:
    """The benefit chain of one funded intervention worked through with the current numbers."""
    cat = ui.catalogue()
    ids = views.funded(scenario)
    if not ids:
        st.info("Fund an intervention to see its benefit chain worked through.")
        return
    iid = st.selectbox(
        "Intervention", ids, format_func=lambda i: cat.intervention(i).label, key=SC.how
    )
    iid = iid if iid in ids else ids[0]
    st.markdown(
        "The benefit chain of the Greater Manchester cost–benefit model (HM Treasury Green Book "
        "guidance for local partnerships), per intervention and year, with the central value of "
        "every assumption:"
    )
    st.latex(
        r"\text{successes}_t = \min\!\left(\frac{\text{budget}_t}{\text{cost}},\ \text{cohort}_t\right)"
        r"\times e \times s \times (1-d) \times a \times (1-\text{optimism bias})"
    )
    st.latex(
        r"\text{NPV} = \sum_{t=0}^{T-1} \frac{B_t - C_t}{(1+r)^t}, \qquad "
        r"\text{BCR} = \frac{\sum_t B_t/(1+r)^t}{\sum_t C_t/(1+r)^t}"
    )
    wide = st.column_config.TextColumn(width="large")
    st.dataframe(
        calculation_steps(result, iid),
        hide_index=True,
        width="stretch",
        column_config={"formula": wide, "with the current numbers": wide},
    )
    st.caption(views.how_caption())


def opened_text(record: SavedScenario) -> str:
    """The note over an opened saved scenario; its name, author and description are shown as
    text (escaped, so markdown in them stays as typed)."""
    text = (
        f"Opened **{escape_markdown(record.name)}** by {escape_markdown(record.author)}, saved "
        f"{record.created_at:%d %b %Y %H:%M} UTC."
    )
    return text + (f" {escape_markdown(record.description)}" if record.description else "")


def _open_picked() -> None:
    """The Open button's callback: ask for the picked scenario to be opened at the top of the
    next run, before its controls are drawn (setting them now would be refused)."""
    if pick := CONTROLS.get(SC.open_pick):
        controls.request_open(pick)


def save_panel(ctx: Context, scenario: Scenario, result: Result, sim: Simulation) -> None:
    """Save the scenario, open a saved one, download the results."""
    name = escape_markdown(ctx.bundle.place_name(ctx.view.place))
    st.markdown("**Save this scenario** (anyone using this server can open it)")
    with st.form(SC.save_form, clear_on_submit=False, border=True):
        title = st.text_input("Name", max_chars=MAX_LENGTH["name"], key=SC.save_name)
        desc = st.text_area(
            "Description", max_chars=MAX_LENGTH["description"], key=SC.save_desc, height=80
        )
        author = st.text_input("Your name", max_chars=MAX_LENGTH["author"], key=SC.save_author)
        submitted = st.form_submit_button("Save scenario", icon=":material/save:")
    if submitted:
        try:
            sid = ui.save_current(ctx, scenario, title, desc, author)
        except ui.StoreError as exc:
            st.error(f"Not saved: {exc}", icon=":material/error:")
        except Exception as exc:  # noqa: BLE001 - the database may be unreachable
            st.error(f"Not saved: the scenario store failed ({type(exc).__name__}).")
        else:
            CONTROLS.set(SC.opened, sid)
            CONTROLS.set(SC.saved_id, sid)
            st.query_params["scenario"] = sid
    if sid := CONTROLS.get(SC.saved_id):
        base = (st.context.url or "").split("?")[0]
        link = f"{base}?scenario={sid}".replace("`", "")  # a code span shows the rest as typed
        st.success(f"Saved. Share link: `{link}`", icon=":material/link:")

    saved = ui.saved_for(ctx)
    st.markdown(f"**Open a saved scenario for {name}** ({len(saved)} saved)")
    if saved:
        labels = {r.id: f"{r.name} — {r.author}, {r.created_at:%d %b %Y %H:%M} UTC" for r in saved}
        a, b = st.columns([4, 1], vertical_alignment="bottom")
        pick = a.selectbox("Saved scenario", list(labels), format_func=labels.get, key=SC.open_pick)
        b.button(
            "Open",
            icon=":material/folder_open:",
            key=SC.open,
            on_click=_open_picked,
            disabled=pick is None,
        )

    st.markdown("**Download the results**")
    d = views.downloads(ctx, result, sim, CONTROLS.get(SC.save_name) or "current scenario")
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Results workbook (XLSX)",
        data=d.workbook,
        file_name=f"{d.stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )
    c2.download_button(
        "Headline (CSV)",
        data=d.headline_csv,
        file_name=f"{d.stem}-headline.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    c3.download_button(
        "By intervention and year (CSV)",
        data=d.by_year_csv,
        file_name=f"{d.stem}-by-year.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def controls_panel(ctx: Context, ranges: dict[str, controls.BudgetRange]) -> None:
    """Preset, horizon, prevention cut, interventions and their budget sliders."""
    cat = ui.catalogue()
    st.markdown("**Investment assumptions**")
    st.selectbox(
        "Start from a preset",
        list(cat.presets),
        format_func=lambda p: cat.presets[p].label,
        key=SC.preset,
        on_change=lambda: controls.apply_preset(ctx, CONTROLS.get(SC.preset)),
        help=" ".join(f"{p.label}: {p.description}" for p in cat.presets.values()),
    )
    lim = cat.limits
    st.slider(
        "Horizon (years)",
        int(lim["horizon_years"].min),
        int(lim["horizon_years"].max),
        key=SC.horizon,
    )
    st.slider(
        "Cut to prevention spend in every service (% a year, compounding)",
        0,
        int(100 * lim["prevention_cut_per_year"].max),
        step=1,
        key=SC.cut,
        help="Salami slicing: money saved now comes back later as reactive demand, partly "
        "on other agencies (scenario.yaml, services).",
    )
    st.multiselect(
        "Interventions",
        list(cat.intervention_ids),
        format_func=lambda i: cat.intervention(i).label,
        key=SC.interventions,
        placeholder="Choose interventions to fund",
    )
    for iid in CONTROLS.interventions:
        iv = cat.intervention(iid)
        rng = ranges[iid]
        top = max(rng.max_k, float(CONTROLS.get(SC.budget_top(iid), rng.max_k)))
        a, b = st.columns([6, 1], vertical_alignment="center")
        a.slider(
            f"{iv.label} (£ thousand a year)",
            0.0,
            top,
            step=rng.step_k,
            key=SC.budget(iid),
            format="£%.0fk",
            help=f"{service_label(iv.service)} · evidence grade {iv.evidence_grade}. "
            f"About £{rng.cap_k:,.0f}k a year reaches everyone eligible in year 1.",
        )
        pop = b.popover(
            "",
            icon=":material/tune:",
            help=f"Assumptions of {iv.label}: every value with its range, evidence grade "
            "and source; change one here.",
            key=SC.popover(iid),
            on_change="rerun",
        )
        if pop.open:  # drawn only when opened
            with pop:
                assumptions_panel(iid, ui.place_context(ctx))
    if msg := CONTROLS.get(SC.refused):
        st.error(msg, icon=":material/block:")
    if n_ov := len(CONTROLS.overrides):
        st.caption(f"{n_ov} assumption{'s' if n_ov > 1 else ''} changed from the catalogue.")
