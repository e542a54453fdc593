"""Scenarios: choose interventions and budgets for the selected place, see projected outcomes
and money by agency with their uncertainty, compare, save and share."""

import math

import pandas as pd
import streamlit as st

from dashboard.bundle.catalogue import service_label
from dashboard.charts.scenario import (
    agency_chart,
    budget_curve_chart,
    cash_flow_chart,
    compare_chart,
    investment_chart,
    waterfall_chart,
)
from dashboard.export.tables import to_csv_bytes
from dashboard.export.workbook import to_xlsx_bytes
from dashboard.scenario import Scenario
from dashboard.scenario.optimise import allocate
from dashboard.scenario.report import (
    GRADE_TEXT,
    agency_summary,
    assumptions_table,
    budget_grid,
    calculation_steps,
    compare_table,
    cumulative_cash_flow,
    export_frames,
    format_gbp,
    headline_figures,
    investment_by_service,
    npv_waterfall,
    outcome_trajectories,
    scenario_from_saved,
)
from dashboard.scenario.report import (
    preset_budgets_gbp as preset_budgets,
)
from dashboard.ui import scenario as ui
from dashboard.ui.context import page_context

ctx = page_context()
view, bundle = ctx.view, ctx.bundle
cat = ui.catalogue()
name = bundle.place_name(view.place)
me = bundle.places.set_index("code").loc[view.place]
pc = ui.place_context(ctx)
indicators = ui.outcome_indicators(ctx)
GRADE_COLOUR = {"A": "green", "B": "blue", "C": "violet", "D": "orange", "E": "gray"}
AGENCY_COLUMNS = {
    "pv_cost_gbp": "pays (PV)",
    "pv_benefit_cashable_gbp": "cashable benefit (PV)",
    "pv_benefit_noncashable_gbp": "non-cashable benefit (PV)",
    "pv_benefit_gbp": "all benefit (PV)",
    "pv_net_gbp": "net (PV)",
}
TABS = [
    "Outcomes",
    "Spend by service",
    "Money by agency",
    "NPV waterfall",
    "Best split",
    "Compare",
    "How this is calculated",
    "Save, open and download",
]

st.title("Scenarios")
st.markdown(f"##### What if {name} invested differently? Outcomes and money, year by year")
st.caption(
    f"{me['kind'].replace('_', ' ').capitalize()} council · {me['region_name']} · "
    f"{view.level} tier · base year {pc.base_year} · {pc.total_population:,.0f} residents "
    f"({pc.population_source}) · money in £ at {pc.base_year} prices, discounted at the Green "
    "Book rate of 3.5% a year"
)
st.info(
    "**A model, not a forecast.** Most costs and effect sizes in the catalogue are illustrative "
    "orders of magnitude — each says so, with its evidence grade and source, in the assumptions "
    "panel. Replace them with local evidence before using the figures for a decision.",
    icon=":material/science:",
)


def assumptions_panel(iid: str) -> None:
    """Every parameter of one intervention: range, grade badge, source; change a value."""
    iv = cat.intervention(iid)
    st.markdown(f"**{iv.label}**")
    st.badge(
        f"Evidence grade {GRADE_TEXT[iv.evidence_grade]}",
        color=GRADE_COLOUR.get(iv.evidence_grade, "gray"),
        icon=":material/verified:",
    )
    st.caption(
        f"{iv.description} Service: {service_label(iv.service)}. Paid by: "
        f"{cat.agency_labels[iv.funder]}."
        + (f" References: {'; '.join(iv.references)}." if iv.references else "")
    )
    table = assumptions_table(cat, iid, st.session_state.get(f"{ui.K}overrides", {}))
    shown = table.assign(
        grade=table["grade"].map(lambda g: f"{g} illustrative" if g == "E" else g),
        source=[
            f"Illustrative — {s}" if ill and not s.startswith("illustrative") else s
            for s, ill in zip(table["source"], table["illustrative"], strict=True)
        ],
    )
    st.dataframe(
        shown.drop(columns=["illustrative", "path"]),
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
    paths = dict(zip(table["path"], table["parameter"], strict=True))
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    path = c1.selectbox(
        "Assumption to change", list(paths), format_func=paths.get, key=f"{ui.K}op_{iid}"
    )
    row = table.set_index("path").loc[path]
    value = c2.number_input(
        f"New central value ({row['unit']}; allowed {row['allowed']})",
        value=float(row["central"]),
        format="%.4g",
        key=f"{ui.K}ov_{iid}",
    )
    if c3.button("Apply", key=f"{ui.K}oa_{iid}"):
        msg = ui.set_override(path, value)
        if msg:
            st.session_state[f"{ui.K}refused"] = msg
        else:
            st.session_state.pop(f"{ui.K}refused", None)
    changed = [p for p in st.session_state.get(f"{ui.K}overrides", {}) if p in paths]
    if changed and st.button("Reset this intervention's assumptions", key=f"{ui.K}or_{iid}"):
        for p in changed:
            ui.set_override(p, None)


@st.fragment
def workspace() -> None:
    ss = st.session_state
    ui.ensure_state(ctx)
    ui.open_from_link(ctx)
    if msg := ss.pop(f"{ui.K}error", None):
        st.error(msg, icon=":material/error:")
    loaded = ss.get(f"{ui.K}loaded")
    if loaded is not None and loaded.place_code == view.place:
        st.success(
            f"Opened **{loaded.name}** by {loaded.author}, saved "
            f"{loaded.created_at:%d %b %Y %H:%M} UTC."
            + (f" {loaded.description}" if loaded.description else ""),
            icon=":material/folder_open:",
        )
    for note in ss.get(f"{ui.K}load_notes", []):
        st.warning(note, icon=":material/warning:")

    ranges = ui.budget_ranges(ctx)
    head = st.container()
    left, right = st.columns([4, 7], gap="large")
    with left, st.container(border=True):
        st.markdown("**Investment assumptions**")
        st.selectbox(
            "Start from a preset",
            list(cat.presets),
            format_func=lambda p: cat.presets[p].label,
            key=f"{ui.K}preset",
            on_change=lambda: ui.apply_preset(ctx, st.session_state[f"{ui.K}preset"]),
            help=" ".join(f"{p.label}: {p.description}" for p in cat.presets.values()),
        )
        lim = cat.limits
        st.slider(
            "Horizon (years)",
            int(lim["horizon_years"].min),
            int(lim["horizon_years"].max),
            key=f"{ui.K}horizon",
        )
        st.slider(
            "Cut to prevention spend in every service (% a year, compounding)",
            0,
            int(100 * lim["prevention_cut_per_year"].max),
            step=1,
            key=f"{ui.K}cut",
            help="Salami slicing: money saved now comes back later as reactive demand, partly "
            "on other agencies (scenario.yaml, services).",
        )
        st.multiselect(
            "Interventions",
            list(cat.intervention_ids),
            format_func=lambda i: cat.intervention(i).label,
            key=f"{ui.K}ivs",
            placeholder="Choose interventions to fund",
        )
        for iid in ss.get(f"{ui.K}ivs", []):
            iv = cat.intervention(iid)
            rng = ranges[iid]
            top = max(rng.max_k, float(ss.get(f"{ui.K}bx_{iid}", rng.max_k)))
            a, b = st.columns([6, 1], vertical_alignment="center")
            a.slider(
                f"{iv.label} (£ thousand a year)",
                0.0,
                top,
                step=rng.step_k,
                key=f"{ui.K}b_{iid}",
                format="£%.0fk",
                help=f"{service_label(iv.service)} · evidence grade {iv.evidence_grade}. "
                f"About £{rng.cap_k:,.0f}k a year reaches everyone eligible in year 0.",
            )
            pop = b.popover(
                "",
                icon=":material/tune:",
                help=f"Assumptions of {iv.label}: every value with its range, evidence grade "
                "and source; change one here.",
                key=f"{ui.K}pop_{iid}",
                on_change="rerun",
            )
            if pop.open:  # drawn only when opened
                with pop:
                    assumptions_panel(iid)
        if msg := ss.get(f"{ui.K}refused"):
            st.error(msg, icon=":material/block:")
        n_ov = len(ss.get(f"{ui.K}overrides", {}))
        if n_ov:
            st.caption(f"{n_ov} assumption{'s' if n_ov > 1 else ''} changed from the catalogue.")

    scenario = ui.current_scenario(ctx)
    result, sim = ui.results(ctx, scenario)
    fig = ui.figures(ctx, scenario, result, sim)
    with head:
        c1, c2, c3, c4 = st.columns(4, border=True)
        c1.metric(
            "Net present value",
            format_gbp(fig.npv_gbp),
            help=f"Present value of benefits minus costs over {scenario.horizon_years} years. "
            f"5th to 95th percentile: {format_gbp(fig.npv_p5_gbp)} to "
            f"{format_gbp(fig.npv_p95_gbp)} ({ui.DRAWS:,} draws).",
        )
        c2.metric(
            "Benefit–cost ratio",
            f"{fig.bcr:.2f}" if math.isfinite(fig.bcr) else "n/a",
            help="Present value of benefits ÷ present value of costs.",
        )
        c3.metric(
            "Payback year",
            f"{fig.calendar_payback_year:.0f}"
            if math.isfinite(fig.calendar_payback_year)
            else "none",
            help="First year in which the cumulative discounted net benefit is at least zero.",
        )
        c4.metric(
            "Chance NPV > 0",
            f"{100 * fig.p_npv_positive:.0f}%",
            help=f"Share of {ui.DRAWS:,} Monte Carlo draws of every assumption (between its low "
            "and high values) in which the NPV is positive.",
        )
        st.caption(
            f"NPV 5th–95th percentile: **{format_gbp(fig.npv_p5_gbp)} to "
            f"{format_gbp(fig.npv_p95_gbp)}** · investment {format_gbp(fig.investment_gbp_per_year)} "
            f"a year · PV of costs {format_gbp(fig.pv_costs_gbp)}, of benefits "
            f"{format_gbp(fig.pv_benefits_gbp)}"
        )
    with right:
        tabs = dict(zip(TABS, st.tabs(TABS, key=f"{ui.K}tab", on_change="rerun"), strict=True))
        results_tabs(tabs, scenario, result, sim, fig)


def results_tabs(tabs, scenario, result, sim, fig) -> None:  # noqa: ANN001
    attribution = bundle.attribution
    t = tabs["Outcomes"]
    if t.open is not False:
        with t:
            traj = ui.trajectories(ctx, scenario, result, sim)
            if traj.empty:
                st.info(
                    "No outcome indicator moves under this scenario: fund an intervention with "
                    "outcome effects (reablement, early help, stop smoking, weight management, "
                    "employment support, home safety, care leavers, young people NEET)."
                )
            else:
                ids = list(dict.fromkeys(traj["indicator_id"]))
                labels = dict(zip(traj["indicator_id"], traj["label"], strict=False))
                pick = st.selectbox("Outcome", ids, format_func=labels.get, key=f"{ui.K}outcome")
                if pick not in ids:
                    pick = ids[0]
                st.vega_lite_chart(ui.fan_spec(traj, pick, name, attribution), width="content")
                last = traj[traj["indicator_id"] == pick].iloc[-1]
                st.caption(
                    f"By {int(last['calendar_year'])}: {last['scenario']:,.2f} against "
                    f"{last['baseline']:,.2f} with no change ({last['change']:+,.2f}); "
                    f"5th–95th percentile {last['low']:,.2f} to {last['high']:,.2f}. The baseline "
                    "holds today's value flat, so the gap is the scenario's effect alone."
                )
    t = tabs["Spend by service"]
    if t.open:
        with t:
            spend = investment_by_service(result)
            if spend.empty:
                st.info("This scenario invests nothing and cuts nothing.")
            else:
                st.altair_chart(investment_chart(spend, attribution), width="content")
    t = tabs["Money by agency"]
    if t.open:
        with t:
            summary = agency_summary(result)
            st.altair_chart(agency_chart(summary, attribution), width="content")
            st.altair_chart(
                cash_flow_chart(cumulative_cash_flow(result), attribution), width="content"
            )
            st.dataframe(
                summary.drop(columns=["agency"]),
                hide_index=True,
                width="stretch",
                column_config={
                    "agency_label": st.column_config.TextColumn("agency"),
                    **{
                        c: st.column_config.NumberColumn(label, format="£%,.0f")
                        for c, label in AGENCY_COLUMNS.items()
                    },
                },
            )
    t = tabs["NPV waterfall"]
    if t.open:
        with t:
            st.altair_chart(waterfall_chart(npv_waterfall(result), attribution), width="content")
    t = tabs["Best split"]
    if t.open:
        with t:
            best_split_tab(scenario, result, fig)
    t = tabs["Compare"]
    if t.open:
        with t:
            compare_tab(scenario)
    t = tabs["How this is calculated"]
    if t.open:
        with t:
            how_tab(scenario, result)
    t = tabs["Save, open and download"]
    if t.open:
        with t:
            save_tab(scenario, result, sim)


def best_split_tab(scenario, result, fig) -> None:  # noqa: ANN001
    ss = st.session_state
    ids = tuple(ss.get(f"{ui.K}ivs", [])) or tuple(cat.intervention_ids)
    every = st.toggle("Consider every intervention in the catalogue", key=f"{ui.K}opt_all")
    if every:
        ids = tuple(cat.intervention_ids)
    total_k = sum(scenario.budgets.values()) / 1000.0
    budget_k = st.number_input(
        "Budget to split (£ thousand a year)",
        min_value=0.0,
        value=float(round(total_k)),
        step=10.0,
        key=f"{ui.K}opt_budget_{round(total_k)}",
    )
    resp = ui.curves(ctx, scenario, ids)
    best = allocate(resp, budget_k * 1000.0)
    rows = pd.DataFrame(
        {
            "intervention": [cat.intervention(i).label for i in ids],
            "yours (£k a year)": [scenario.budgets.get(i, 0.0) / 1000.0 for i in ids],
            "best split (£k a year)": [best.allocation.get(i, 0.0) / 1000.0 for i in ids],
        }
    )
    npv_here = sum(r(scenario.budgets.get(r.intervention, 0.0)) for r in resp)
    a, b = st.columns(2, border=True)
    a.metric("NPV of your split", format_gbp(npv_here))
    b.metric(
        "NPV of the best split",
        format_gbp(best.objective_value),
        delta=format_gbp(best.objective_value - npv_here, signed=True),
        delta_color="normal",
    )
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.NumberColumn(format="£%,.0fk") for c in rows.columns[1:]
        },
    )
    if best.unallocated_gbp > 1:
        st.caption(
            f"{format_gbp(best.unallocated_gbp)} a year is left unallocated: no intervention can "
            "use it to advantage (everyone eligible reached, or further spend loses value)."
        )
    if st.button("Use the best split", icon=":material/auto_fix_high:", key=f"{ui.K}use_best"):
        ui.apply_budgets(
            ctx,
            {**best.allocation},
            scenario.prevention_cut_per_year,
            scenario.horizon_years,
            dict(scenario.overrides),
        )
        st.rerun(scope="fragment")
    grid = budget_grid(sum(scenario.budgets.values()), [r.cap_gbp for r in resp])
    curve = pd.DataFrame(
        [{"budget_gbp": g, "objective_value": allocate(resp, g).objective_value} for g in grid]
    )
    st.altair_chart(
        budget_curve_chart(curve, sum(scenario.budgets.values()), npv_here, bundle.attribution),
        width="content",
    )
    st.caption(
        f"Optimiser: {best.solver}, central values, NPV over {scenario.horizon_years} years; "
        "interventions are assumed not to interact. The NPV here leaves out any prevention cut."
    )


def compare_tab(scenario) -> None:  # noqa: ANN001
    options = {"current": "This scenario (as set now)"}
    for pid, p in cat.presets.items():
        options[f"preset:{pid}"] = f"Preset: {p.label}"
    for rec in ui.saved_for(ctx):
        options[f"saved:{rec.id}"] = f"Saved: {rec.name} ({rec.author}, {rec.created_at:%d %b %Y})"
    chosen = st.multiselect(
        "Scenarios to compare (up to four)",
        list(options),
        default=["current", "preset:status_quo", "preset:salami_slicing"],
        format_func=options.get,
        max_selections=4,
        key=f"{ui.K}compare",
    )
    runs = {}
    notes = []
    for key in chosen:
        if key == "current":
            s = scenario
        elif key.startswith("preset:"):
            budgets, cut = preset_budgets(cat, key[7:], pc.total_population)
            s = Scenario(
                place_code=scenario.place_code,
                horizon_years=scenario.horizon_years,
                budgets=budgets,
                prevention_cut_per_year=cut,
                overrides=dict(scenario.overrides),
            )
        else:
            rec = ui.store().get(key[6:])
            if rec is None:
                continue
            s, extra = scenario_from_saved(rec.scenario_json, cat)
            notes += extra
        runs[options[key]] = ui.results(ctx, s)
    for n in notes:
        st.warning(n, icon=":material/warning:")
    if not runs:
        st.info("Choose scenarios to compare.")
        return
    table = compare_table({k: headline_figures(r, s) for k, (r, s) in runs.items()})
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "scenario": st.column_config.TextColumn(width="large"),
            "investment_gbp_per_year": st.column_config.NumberColumn(
                "investment a year", format="£%,.0f"
            ),
            "npv_gbp": st.column_config.NumberColumn("NPV", format="£%,.0f"),
            "npv_p5_gbp": st.column_config.NumberColumn("NPV p5", format="£%,.0f"),
            "npv_p95_gbp": st.column_config.NumberColumn("NPV p95", format="£%,.0f"),
            "bcr": st.column_config.NumberColumn("BCR", format="%.2f"),
            "payback_year": st.column_config.NumberColumn("payback", format="%d"),
            "p_npv_positive_pct": st.column_config.NumberColumn("chance NPV > 0", format="%.0f%%"),
            "pv_costs_gbp": st.column_config.NumberColumn("PV costs", format="£%,.0f"),
            "pv_benefits_gbp": st.column_config.NumberColumn("PV benefits", format="£%,.0f"),
        },
    )
    frames = []
    for label, (r, s) in runs.items():
        tr = outcome_trajectories(r, s, indicators)
        frames.append(tr.assign(name=label))
    traj = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if traj.empty:
        st.info("None of these scenarios moves an outcome indicator.")
        return
    ids = list(dict.fromkeys(traj["indicator_id"]))
    labels = dict(zip(traj["indicator_id"], traj["label"], strict=False))
    pick = st.selectbox("Outcome", ids, format_func=labels.get, key=f"{ui.K}compare_outcome")
    one = traj[traj["indicator_id"] == pick]
    base = one.drop_duplicates("year").assign(
        name="Baseline (no change)", value=lambda d: d["baseline"]
    )
    lines = one.assign(value=one["scenario"])
    data = pd.concat([base, lines], ignore_index=True)[["name", "calendar_year", "value"]]
    meta = one.iloc[0]
    st.altair_chart(
        compare_chart(data, meta["label"], meta["unit"], bundle.attribution), width="content"
    )
    flat = [k for k in runs if k not in set(one["name"])]
    if flat:
        st.caption(f"Not drawn, as they leave this outcome at its baseline: {'; '.join(flat)}.")


def how_tab(scenario, result) -> None:  # noqa: ANN001
    ids = [i for i in cat.intervention_ids if scenario.budgets.get(i, 0) > 0]
    if not ids:
        st.info("Fund an intervention to see its benefit chain worked through.")
        return
    iid = st.selectbox(
        "Intervention", ids, format_func=lambda i: cat.intervention(i).label, key=f"{ui.K}how"
    )
    if iid not in ids:
        iid = ids[0]
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
    st.dataframe(
        calculation_steps(result, iid),
        hide_index=True,
        width="stretch",
        column_config={
            "formula": st.column_config.TextColumn(width="large"),
            "with the current numbers": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(
        "Effects start after the lag and fade by the drop-off each year; avoided costs grow with "
        "each agency's real unit-cost growth; a cut to prevention returns as reactive demand "
        "after its lag, multiplied by the conversion rate (scenario.yaml). Uncertainty: each "
        f"assumption is drawn {ui.DRAWS:,} times between its low and high values (PERT)."
    )


def save_tab(scenario, result, sim) -> None:  # noqa: ANN001
    ss = st.session_state
    st.markdown("**Save this scenario** (anyone using this server can open it)")
    with st.form(f"{ui.K}save_form", clear_on_submit=False, border=True):
        title = st.text_input("Name", max_chars=120, key=f"{ui.K}save_name")
        desc = st.text_area("Description", max_chars=2000, key=f"{ui.K}save_desc", height=80)
        author = st.text_input("Your name", max_chars=120, key=f"{ui.K}save_author")
        submitted = st.form_submit_button("Save scenario", icon=":material/save:")
    if submitted:
        try:
            sid = ui.save_current(ctx, scenario, title, desc, author)
        except ui.StoreError as exc:
            st.error(f"Not saved: {exc}", icon=":material/error:")
        except Exception as exc:  # noqa: BLE001 - the database may be unreachable
            st.error(f"Not saved: the scenario store failed ({type(exc).__name__}).")
        else:
            ss[f"{ui.K}opened"] = sid
            ss[f"{ui.K}saved_id"] = sid
            st.query_params["scenario"] = sid
    if sid := ss.get(f"{ui.K}saved_id"):
        base = (st.context.url or "").split("?")[0]
        st.success(f"Saved. Share link: `{base}?scenario={sid}`", icon=":material/link:")

    saved = ui.saved_for(ctx)
    st.markdown(f"**Open a saved scenario for {name}** ({len(saved)} saved)")
    if saved:
        labels = {r.id: f"{r.name} — {r.author}, {r.created_at:%d %b %Y %H:%M} UTC" for r in saved}
        a, b = st.columns([4, 1], vertical_alignment="bottom")
        pick = a.selectbox(
            "Saved scenario", list(labels), format_func=labels.get, key=f"{ui.K}open_pick"
        )
        if b.button("Open", icon=":material/folder_open:", key=f"{ui.K}open"):
            rec = next(r for r in saved if r.id == pick)
            ss[f"{ui.K}opened"] = rec.id
            st.query_params["scenario"] = rec.id
            ui.load_saved(ctx, rec)
            st.rerun(scope="fragment")

    st.markdown("**Download the results**")
    label = ss.get(f"{ui.K}save_name") or "current scenario"

    def frames() -> dict:  # built only when a download is clicked
        return export_frames(result, sim, label, name)

    stem = f"scenario-{bundle.meta.get('id', view.dataset)}-{view.place}"
    notes = [
        f"Place Value Explorer: investment scenario for {name} ({view.place}), {bundle.title}.",
        "A model, not a forecast: most assumptions are illustrative (see each one's source and "
        "evidence grade in data/catalogue/interventions.yaml and scenario.yaml).",
        f"Money in £ at {pc.base_year} prices; present values discounted at the Green Book rate. "
        f"Percentiles from {sim.draws:,} Monte Carlo draws (seed {sim.seed}).",
        f"Attribution: {bundle.attribution}",
        f"Licence: {bundle.meta.get('licence', '')}",
    ]
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Results workbook (XLSX)",
        data=lambda: to_xlsx_bytes(frames(), notes),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )
    c2.download_button(
        "Headline (CSV)",
        data=lambda: to_csv_bytes(frames()["Headline"]),
        file_name=f"{stem}-headline.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    c3.download_button(
        "By intervention and year (CSV)",
        data=lambda: to_csv_bytes(frames()["By intervention"]),
        file_name=f"{stem}-by-year.csv",
        mime="text/csv",
        icon=":material/download:",
    )


workspace()
