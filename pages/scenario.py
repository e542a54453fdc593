"""Scenarios: choose interventions and budgets for the selected place, see projected outcomes
and money by agency with their uncertainty, compare, save and share. Thin: every figure,
table and sentence comes from ui.scenario (cached engine calls) and ui.scenario_views."""

import streamlit as st

from dashboard.charts.scenario import (
    agency_chart,
    budget_curve_chart,
    cash_flow_chart,
    compare_chart,
    investment_chart,
    waterfall_chart,
)
from dashboard.formatting import escape_markdown, format_gbp
from dashboard.scenario.report import npv_waterfall
from dashboard.ui import scenario as ui
from dashboard.ui import scenario_controls as controls
from dashboard.ui import scenario_panels as panels
from dashboard.ui import scenario_partners as partners
from dashboard.ui import scenario_table as table
from dashboard.ui import scenario_views as views
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.context import page_context
from dashboard.ui.scenario_controls import CONTROLS, SC
from dashboard.ui.style import compact_page

ctx = page_context()
view, bundle = ctx.view, ctx.bundle
cat = ui.catalogue()
name = bundle.place_name(view.place)
pc = ui.place_context(ctx)
TABS = [
    "Outcomes",
    partners.TAB,
    "Spend",
    "Agencies",
    "Waterfall",
    "Best split",
    "Compare",
    "Method",
    "Save and download",
]

compact_page()  # the headline and the first chart on one screen at 1280x720
st.title("Scenarios")
st.caption(views.header_caption(ctx, pc), help=views.header_help(ctx, pc, CONTROLS.overrides))


@st.fragment
def workspace() -> None:
    controls.ensure_state(ctx)
    controls.open_from_link(ctx)
    if msg := CONTROLS.pop(SC.error, None):
        st.error(msg, icon=":material/error:")
    loaded = CONTROLS.get(SC.loaded)
    if loaded is not None and loaded.place_code == view.place:
        st.success(panels.opened_text(loaded), icon=":material/folder_open:")
    for note in CONTROLS.get(SC.load_notes, []):
        st.warning(note, icon=":material/warning:")

    table.apply_edits()
    scenario = controls.current_scenario(ctx)
    result, sim = ui.results(ctx, scenario)
    fig = ui.figures(ctx, scenario)
    h = views.headline_view(fig, scenario.horizon_years)
    whole, council = st.columns(2, border=True)
    with whole:  # every agency together, then the council's own cash beside it
        st.markdown(f"**{h.title}**", help=h.title_help)  # each figure's definition
        row = st.container(horizontal=True)  # one element for the row, not one per column
        row.metric("NPV", h.npv)
        row.metric("Benefit–cost", h.bcr)
        row.metric("Payback", h.payback)
        row.metric("Chance NPV > 0", h.chance)
    with council:
        partners.council_headline(ctx, scenario)
    st.caption(h.caption)
    tabs = dict(zip(TABS, st.tabs(TABS, key=SC.tab, on_change="rerun"), strict=True))
    results_tabs(tabs, scenario, result, sim, fig)
    with st.container(border=True):
        st.markdown("**Interventions, budgets and main assumptions**")
        panels.presets_row(ctx)
        st.caption(h.short)
        panels.controls_panel(ui.budget_use(ctx, scenario), pc)


def results_tabs(tabs, scenario, result, sim, fig) -> None:  # noqa: ANN001
    attribution = bundle.attribution
    when = years(scenario)
    t = tabs["Outcomes"]
    if t.open is not False:
        with t:
            traj = ui.trajectories(ctx, scenario)
            ids, labels = views.outcome_choices(traj)
            if not ids:
                st.info(views.no_outcome_text())
            else:
                chart = st.container()  # the chart first, so it shows without scrolling
                pick = st.selectbox("Outcome", ids, format_func=labels.get, key=SC.outcome)
                pick = pick if pick in ids else ids[0]
                fan = ui.outcome_fan(ctx, scenario, pick)
                chart.vega_lite_chart(fan.spec, width="content")
                with chart:
                    st.caption(fan.words)
                    chart_tools(ctx, fan.spec, "Outcome", **when)
                st.caption(views.outcome_caption(traj, pick, fig.band))
    if (t := tabs[partners.TAB]).open:
        with t:
            partners.partners_tab(ctx, scenario, result)
    if (t := tabs["Spend"]).open:
        with t:
            spend = views.spend_by_service(result)
            if spend is None:
                st.info("This scenario invests nothing and cuts nothing.")
            else:
                st.altair_chart(investment_chart(spend, attribution), width="content")
                chart_tools(ctx, lambda: investment_chart(spend, attribution), "Spend", **when)
    if (t := tabs["Agencies"]).open:
        with t:
            ag = views.agency_view(result)
            st.altair_chart(agency_chart(ag.summary, attribution), width="content")
            chart_tools(ctx, lambda: agency_chart(ag.summary, attribution), "Agencies", **when)
            st.altair_chart(cash_flow_chart(ag.cash_flow, attribution), width="content")
            chart_tools(
                ctx, lambda: cash_flow_chart(ag.cash_flow, attribution), "Cash flow", **when
            )
            st.caption(f"The figures of each agency are in a table under “{partners.TAB}”.")
    if (t := tabs["Waterfall"]).open:
        with t:
            st.altair_chart(
                waterfall_chart(npv_waterfall(result), attribution, agencies=views.agency_ids()),
                width="content",
            )
            chart_tools(
                ctx,
                lambda: waterfall_chart(
                    npv_waterfall(result), attribution, agencies=views.agency_ids()
                ),
                "Waterfall",
                **when,
            )
    if (t := tabs["Best split"]).open:
        with t:
            best_split_tab(scenario)
    if (t := tabs["Compare"]).open:
        with t:
            compare_tab(scenario)
    if (t := tabs["Method"]).open:
        with t:
            panels.how_panel(scenario, result)
    if (t := tabs["Save and download"]).open:
        with t:
            panels.save_panel(ctx, scenario, result, sim)


def years(scenario) -> dict:  # noqa: ANN001
    """What a scenario chart's files say in place of a period and a comparison group."""
    return {"group": False, "period": f"{pc.base_year} to {pc.base_year + scenario.horizon_years}"}


def best_split_tab(scenario) -> None:  # noqa: ANN001
    ids = tuple(CONTROLS.interventions) or tuple(cat.intervention_ids)
    if st.toggle("Consider every intervention in the catalogue", key=SC.opt_all):
        ids = tuple(cat.intervention_ids)
    total_k = sum(scenario.budgets.values()) / 1000.0
    budget_k = st.number_input(
        "Budget to split (£ thousand a year)",
        min_value=0.0,
        value=float(round(total_k)),
        step=10.0,
        key=SC.opt_budget(round(total_k)),
    )
    v = views.best_split_view(ctx, scenario, ids, budget_k * 1000.0)
    a, b = st.columns(2, border=True)
    a.metric("NPV of your split", format_gbp(v.npv_here))
    b.metric(
        "NPV of the best split",
        format_gbp(v.best.objective_value),
        delta=format_gbp(v.best.objective_value - v.npv_here, signed=True),
        delta_color="normal",
    )
    money_k = st.column_config.NumberColumn(format="£%,.0fk")
    st.dataframe(
        v.rows,
        hide_index=True,
        width="stretch",
        column_config={"yours (£k a year)": money_k, "best split (£k a year)": money_k},
    )
    if v.best.unallocated_gbp > 1:
        st.caption(
            f"{format_gbp(v.best.unallocated_gbp)} a year is left unallocated: no intervention can "
            "use it to advantage (everyone eligible reached, or further spend loses value)."
        )
    st.button(  # a callback: it sets the controls table before it is drawn again
        "Use the best split",
        icon=":material/auto_fix_high:",
        key=SC.use_best,
        on_click=controls.apply_budgets,
        args=(
            ctx,
            {**v.best.allocation},
            scenario.prevention_cut_per_year,
            scenario.horizon_years,
            dict(scenario.overrides),
            controls.scenario_years(scenario),
        ),
    )
    st.altair_chart(
        budget_curve_chart(v.curve, v.total_gbp, v.npv_here, bundle.attribution), width="content"
    )
    chart_tools(
        ctx,
        lambda: budget_curve_chart(v.curve, v.total_gbp, v.npv_here, bundle.attribution),
        "Best split",
        **years(scenario),
    )
    st.caption(v.caption)


def compare_tab(scenario) -> None:  # noqa: ANN001
    options = views.compare_options(ctx)
    chosen = st.multiselect(
        "Scenarios to compare (up to four)",
        list(options),
        default=["current", "preset:status_quo", "preset:salami_slicing"],
        format_func=options.get,
        max_selections=4,
        key=SC.compare,
    )
    cv = views.compare_view(ctx, scenario, chosen, options)
    for n in cv.notes:  # they quote saved records: shown as text
        st.warning(escape_markdown(n), icon=":material/warning:")
    if not cv.names:
        st.info("Choose scenarios to compare.")
        return
    band = views.compare_columns(cv.band)
    st.dataframe(
        cv.table,
        hide_index=True,
        width="stretch",
        column_config={
            "scenario": st.column_config.TextColumn(width="large"),
            "investment_gbp_per_year": st.column_config.TextColumn("investment a year"),
            "npv_gbp": st.column_config.TextColumn("NPV"),
            **{c: st.column_config.TextColumn(lab) for c, lab in band.items()},
            "bcr": st.column_config.NumberColumn("BCR", format="%.2f"),
            "payback_year": st.column_config.NumberColumn("payback", format="%d"),
            "p_npv_positive_pct": st.column_config.NumberColumn("chance NPV > 0", format="%.0f%%"),
            "pv_costs_gbp": st.column_config.TextColumn("PV costs"),
            "pv_benefits_gbp": st.column_config.TextColumn("PV benefits"),
        },
    )
    ids, labels = views.outcome_choices(cv.traj)
    if not ids:
        st.info("None of these scenarios moves an outcome indicator.")
        return
    pick = st.selectbox("Outcome", ids, format_func=labels.get, key=SC.compare_outcome)
    lines = views.compare_lines(cv, pick)
    st.altair_chart(
        compare_chart(lines.data, lines.label, lines.unit, bundle.attribution), width="content"
    )
    chart_tools(
        ctx,
        lambda: compare_chart(lines.data, lines.label, lines.unit, bundle.attribution),
        "Compare",
        **years(scenario),
    )
    if lines.flat_caption:
        st.caption(lines.flat_caption)


workspace()
