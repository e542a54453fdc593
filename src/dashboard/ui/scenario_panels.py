"""Streamlit panels of the Scenarios page that are mostly widgets: an intervention's
assumptions (change a value), the worked calculation, and save / open / download. Their
content comes from ui.scenario_views; pages/scenario.py places them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.formatting import escape_markdown
from dashboard.scenario import PlaceContext, Result, Scenario, Simulation
from dashboard.scenario.report import calculation_steps
from dashboard.store import SavedScenario
from dashboard.store.scenarios import MAX_LENGTH
from dashboard.ui import scenario as ui
from dashboard.ui import scenario_controls as controls
from dashboard.ui import scenario_table as table
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
    c2.number_input(
        f"New central value ({row['unit']}; allowed {row['allowed']})",
        value=row["central"],
        format="%.4g",
        key=SC.override_value(iid),
    )
    c3.button("Apply", key=SC.override_apply(iid), on_click=_apply_override, args=(iid, path))
    if a.changed:
        st.button(
            "Reset this intervention's assumptions",
            key=SC.override_reset(iid),
            on_click=_reset_overrides,
            args=(a.changed,),
        )


def _apply_override(iid: str, path: str) -> None:
    """The Apply button's callback (before the run, so the results and the table show it)."""
    path = CONTROLS.get(SC.override_pick(iid)) or path
    msg = controls.set_override(path, float(CONTROLS.get(SC.override_value(iid))))
    if msg:
        CONTROLS.set(SC.refused, msg)
    else:
        CONTROLS.pop(SC.refused, None)
    CONTROLS.renew_table()


def _reset_overrides(paths: list[str]) -> None:
    for p in paths:
        controls.set_override(p, None)
    CONTROLS.pop(SC.refused, None)
    CONTROLS.renew_table()


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
    st.latex(  # two lines, so the formula fits the page at 1280 px
        r"\begin{aligned}\text{successes}_t &= \min\!\left(\frac{\text{budget}_t}"
        r"{\text{cost}},\ \text{cohort}_t\right) \\ &\quad \times e \times s \times (1-d)"
        r" \times a \times (1-\text{optimism bias})\end{aligned}"
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
    files = [
        ("Workbook (XLSX)", d.workbook, f"{d.stem}.xlsx", views.XLSX_MIME),
        ("Headline (CSV)", d.headline_csv, f"{d.stem}-headline.csv", "text/csv"),
        ("By partner (CSV)", d.by_partner_csv, f"{d.stem}-by-partner.csv", "text/csv"),
        ("By year (CSV)", d.by_year_csv, f"{d.stem}-by-year.csv", "text/csv"),
    ]
    for col, (text, data, file_name, mime) in zip(st.columns(len(files)), files, strict=True):
        col.download_button(
            text, data=data, file_name=file_name, mime=mime, icon=":material/download:"
        )
    st.caption(
        "Each file carries the attribution and the licence; the workbook has a sheet per view "
        "(headline, by partner, by year, cash flow, outcomes, assumptions with their sources)."
    )


def presets_row(ctx: Context) -> None:
    """The preset, the horizon and the prevention cut, side by side above the headline."""
    cat = ui.catalogue()
    lim = cat.limits
    a, b, c = st.columns([3, 2, 2], vertical_alignment="bottom")
    a.selectbox(
        "Start from a preset",
        list(cat.presets),
        format_func=lambda p: cat.presets[p].label,
        key=SC.preset,
        on_change=lambda: controls.apply_preset(ctx, CONTROLS.get(SC.preset)),
        help=" ".join(f"{p.label}: {p.description}" for p in cat.presets.values()),
    )
    b.slider(
        "Horizon (years)",
        int(lim["horizon_years"].min),
        int(lim["horizon_years"].max),
        key=SC.horizon,
    )
    c.slider(
        "Prevention cut (% a year)",
        0,
        int(100 * lim["prevention_cut_per_year"].max),
        step=1,
        key=SC.cut,
        help="A cut to prevention spend in every service, compounding each year (salami "
        "slicing): money saved now comes back later as reactive demand, partly on other "
        "agencies (scenario.yaml, services).",
    )


def controls_panel(use: pd.DataFrame, place: PlaceContext | None = None) -> None:
    """The controls table (fund, budget, years and the main assumptions of every
    intervention), the totals under it, what the cohort cannot absorb, and the full list of
    one intervention's assumptions."""
    cat = ui.catalogue()
    rows = table.table_rows()
    st.data_editor(
        rows.frame,
        key=CONTROLS.table_key,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        height=table.table_height(len(rows.frame)),
        column_config=table.column_config(),
        disabled=["intervention"],
    )
    tot = table.totals(use)
    st.caption(tot.text)
    for msg in tot.unused:
        st.warning(msg, icon=":material/info:")
    if msg := CONTROLS.get(SC.refused):
        st.error(msg, icon=":material/block:")
    a, b = st.columns([3, 2], vertical_alignment="bottom")
    ids = list(cat.intervention_ids)
    funded = controls.funded_ids()
    CONTROLS.setdefault(SC.detail, funded[0] if funded else ids[0])
    iid = a.selectbox(
        "Every assumption of",
        ids,
        format_func=lambda i: cat.intervention(i).label,
        key=SC.detail,
    )
    pop = b.popover(
        "Assumptions",
        icon=":material/tune:",
        help="Every value of the intervention picked, with its range, evidence grade and "
        "source; change one here.",
        key=SC.popover,
        on_change="rerun",
    )
    if pop.open:  # drawn only when opened
        with pop:
            assumptions_panel(iid, place)
    if n_ov := len(CONTROLS.overrides):
        st.caption(f"{n_ov} assumption{'s' if n_ov > 1 else ''} changed from the catalogue.")
