"""View models of the Scenarios page: one function per panel returns what it shows (texts,
tables, chart data), so the page only lays them out. Figures come from the engine via the
caches in ui.scenario; prose numbers (the discount rate, percentiles, draws) are read from the
catalogue or the user's overrides, never typed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.analysis.prices import scenario_money_basis
from dashboard.bundle.catalogue import service_label
from dashboard.export.tables import to_csv_bytes
from dashboard.export.workbook import Sheet, to_xlsx_bytes
from dashboard.formatting import escape_markdown, format_gbp
from dashboard.scenario import (
    Allocation,
    Catalogue,
    PlaceContext,
    Result,
    Scenario,
    ScenarioError,
    Simulation,
    parameter_bounds,
)
from dashboard.scenario.exports import export_tables, rounded
from dashboard.scenario.optimise import allocate
from dashboard.scenario.report import (
    GRADE_TEXT,
    HeadlineFigures,
    agency_summary,
    assumptions_table,
    budget_curve,
    compare_table,
    cumulative_cash_flow,
    headline_figures,
    investment_by_service,
    ordinal,
    outcome_trajectories,
    preset_budgets_gbp,
    scenario_from_saved,
)
from dashboard.ui import scenario as ui
from dashboard.ui.state import Context

GRADE_COLOUR = {"A": "green", "B": "blue", "C": "violet", "D": "orange", "E": "gray"}


def band_dash(band: tuple[float, float]) -> str:
    """ "5th–95th percentile" for the configured band."""
    return f"{ordinal(band[0])}–{ordinal(band[1])} percentile"


def discount_rate(catalogue: Catalogue, overrides: Mapping[str, float]) -> float:
    """The discount rate in force from year 0 (share a year): the catalogue's, or the user's
    override of it."""
    first = catalogue.discount_schedule[0][1]
    return float(parameter_bounds(catalogue, overrides)[1][first.index])


# --- header ---------------------------------------------------------------------------------
def header_caption(ctx: Context, pc: PlaceContext) -> str:
    """The one line under the title: the question, the place, its base year and population."""
    me = ctx.bundle.place(ctx.view.place)
    name = escape_markdown(ctx.bundle.place_name(ctx.view.place))
    kind = escape_markdown(str(me["kind"]).replace("_", " ").capitalize())
    latest = ctx.bundle.periods[-1] if ctx.bundle.periods else ""
    return (
        f"{name}: {kind.lower()} council, "
        f"{escape_markdown(me['region_name'])} · base year {pc.base_year} · "
        f"{pc.total_population:,.0f} people · £ at {escape_markdown(latest)} prices · "
        f"{MODEL_NOTE}"
    )


def header_help(ctx: Context, pc: PlaceContext, overrides: Mapping[str, float]) -> str:
    """The details behind the header line (its help tooltip): tier, population source, the
    money basis and the discount rate in force."""
    rate = 100 * discount_rate(ui.catalogue(), overrides)
    return (
        f"{ctx.view.level.capitalize()} tier; population: {escape_markdown(pc.population_source)}. Money: "
        f"{escape_markdown(scenario_money_basis(ctx.bundle, ctx.view.prices))}. Present values "
        f"are discounted at the Green Book rate of {rate:g}% a year."
    )


#: The note on the model in the header line (the details are in each assumption).
MODEL_NOTE = "**a model, not a forecast:** most assumptions are illustrative"


# --- assumptions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AssumptionsView:
    """One intervention's assumptions panel."""

    label: str
    badge: str
    badge_colour: str
    caption: str
    table: pd.DataFrame
    paths: dict[str, str]  # parameter path -> label
    rows: dict[str, dict[str, Any]]  # parameter path -> unit, allowed, central
    changed: list[str]


def assumptions_view(
    iid: str, overrides: Mapping[str, float], place: PlaceContext | None = None
) -> AssumptionsView:
    """Every parameter of one intervention with its range, grade and source (after overrides;
    a unit cost's source states its uplift to ``place``'s base-year prices)."""
    cat = ui.catalogue()
    iv = cat.intervention(iid)
    table = assumptions_table(cat, iid, overrides, place)
    shown = table.assign(
        grade=table["grade"].map(lambda g: f"{g} illustrative" if g == "E" else g),
        source=[
            f"Illustrative — {s}" if ill and not s.startswith("illustrative") else s
            for s, ill in zip(table["source"], table["illustrative"], strict=True)
        ],
    ).drop(columns=["illustrative", "path"])
    paths = dict(zip(table["path"], table["parameter"], strict=True))
    rows = {
        r["path"]: {"unit": r["unit"], "allowed": r["allowed"], "central": float(r["central"])}
        for r in table.to_dict("records")
    }
    caption = (
        f"{iv.description} Service: {service_label(iv.service)}. Paid by: "
        f"{cat.agency_labels[iv.funder]}."
        + (f" References: {'; '.join(iv.references)}." if iv.references else "")
    )
    return AssumptionsView(
        label=iv.label,
        badge=f"Evidence grade {GRADE_TEXT[iv.evidence_grade]}",
        badge_colour=GRADE_COLOUR.get(iv.evidence_grade, "gray"),
        caption=caption,
        table=shown,
        paths=paths,
        rows=rows,
        changed=[p for p in overrides if p in paths],
    )


# --- headline -------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeadlineView:
    """The four headline cards and the caption under them."""

    npv: str
    bcr: str
    payback: str
    chance: str
    caption: str
    short: str  # one line with the main figures, shown by the controls table
    title: str  # over the whole-system cards
    title_help: str


def _asked(fig: HeadlineFigures) -> str:
    """ " of £x asked" when the money spent differs from the budgets asked for (the table of
    interventions says which cohort cannot absorb more)."""
    asked = fig.investment_asked_gbp_per_year
    if not math.isfinite(asked) or format_gbp(asked) == format_gbp(fig.investment_gbp_per_year):
        return ""
    return f" of {format_gbp(asked)} asked"


def headline_view(fig: HeadlineFigures, horizon_years: int) -> HeadlineView:
    """Texts of the headline cards (money formatted by dashboard.formatting.format_gbp)."""
    lo, hi = format_gbp(fig.npv_low_gbp), format_gbp(fig.npv_high_gbp)
    band = f"{ordinal(fig.band[0])} to {ordinal(fig.band[1])} percentile"
    payback = (
        str(int(fig.calendar_payback_year)) if math.isfinite(fig.calendar_payback_year) else "none"
    )
    bcr = f"{fig.bcr:.2f}" if math.isfinite(fig.bcr) else "n/a"
    return HeadlineView(
        title=f"Whole system, {horizon_years} years",
        title_help="Every agency together ("
        + ", ".join(ui.catalogue().agency_labels.values())
        + "); benefits include cashable savings and non-cashable ones (capacity freed); "
        "present values, discounted to the base year.\n\n"
        f"- **NPV**: present value of benefits minus costs over {horizon_years} years; "
        f"{band}: {lo} to {hi} ({fig.draws:,} draws).\n"
        "- **Benefit–cost**: present value of benefits ÷ present value of costs.\n"
        "- **Payback**: the first year in which the cumulative discounted net benefit is at "
        "least zero.\n"
        f"- **Chance NPV > 0**: the share of {fig.draws:,} Monte Carlo draws of every "
        "assumption (between its low and high values) in which the NPV is positive.",
        npv=format_gbp(fig.npv_gbp),
        bcr=bcr,
        payback=payback,
        chance=f"{100 * fig.p_npv_positive:.0f}%",
        caption=f"NPV {band_dash(fig.band)}: **{lo} to {hi}** · "
        f"{format_gbp(fig.investment_gbp_per_year)} a year spent{_asked(fig)} · PV of costs "
        f"{format_gbp(fig.pv_costs_gbp)}, of benefits {format_gbp(fig.pv_benefits_gbp)}",
        short=f"With these settings: NPV **{format_gbp(fig.npv_gbp)}** · benefit–cost "
        f"**{bcr}** · payback **{payback}** · chance NPV > 0 "
        f"**{100 * fig.p_npv_positive:.0f}%**",
    )


# --- outcomes -------------------------------------------------------------------------------
def outcome_choices(traj: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Indicator ids in the trajectories (in order) and their labels (none when empty)."""
    if traj.empty:
        return [], {}
    ids = list(dict.fromkeys(traj["indicator_id"]))
    return ids, dict(zip(traj["indicator_id"], traj["label"], strict=False))


def no_outcome_text() -> str:
    """Why the Outcomes tab has no chart, naming the catalogue's interventions that move an
    outcome (markdown, labels escaped)."""
    moving = [iv.label for iv in ui.catalogue().interventions if iv.outcomes]
    return (
        "No outcome indicator moves under this scenario: fund an intervention with outcome "
        f"effects ({escape_markdown('; '.join(moving))})."
    )


def outcome_caption(traj: pd.DataFrame, pick: str, band: tuple[float, float]) -> str:
    """The sentence under the outcome fan: the last year's scenario, baseline and band."""
    last = traj[traj["indicator_id"] == pick].iloc[-1]
    return (
        f"By {int(last['calendar_year'])}: {last['scenario']:,.2f} against "
        f"{last['baseline']:,.2f} with no change ({last['scenario'] - last['baseline']:+,.2f}); "
        f"{band_dash(band)} {last['low']:,.2f} to {last['high']:,.2f}. The baseline "
        "holds today's value flat, so the gap is the scenario's effect alone."
    )


# --- spend by service ----------------------------------------------------------------------
def spend_by_service(result: Result) -> pd.DataFrame | None:
    """New investment and any prevention cut by service and year (£ a year), None when the
    scenario invests nothing and cuts nothing."""
    spend = investment_by_service(result)
    return None if spend.empty else spend


# --- money by agency ------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencyView:
    summary: pd.DataFrame  # for the chart
    cash_flow: pd.DataFrame  # for the chart


def agency_ids() -> dict[str, str]:
    """Agency label -> agency id (scenario.yaml agencies), for colouring charts by agency."""
    cat = ui.catalogue()
    return {cat.agency_labels[a]: a for a in cat.agencies}


def agency_view(result: Result) -> AgencyView:
    """Who pays and who benefits (present values, £) and each agency's cumulative cash flow."""
    summary = agency_summary(result)
    return AgencyView(summary, cumulative_cash_flow(result))


# --- best split -----------------------------------------------------------------------------
@dataclass(frozen=True)
class BestSplitView:
    rows: pd.DataFrame
    npv_here: float
    best: Allocation
    curve: pd.DataFrame
    total_gbp: float
    caption: str


def best_split_view(
    ctx: Context, scenario: Scenario, ids: tuple[str, ...], budget_gbp: float
) -> BestSplitView:
    """The best split of ``budget_gbp`` (£ a year) against the user's, and the budget curve."""
    cat = ui.catalogue()
    resp = ui.curves(ctx, scenario, ids)
    best = allocate(resp, budget_gbp)
    rows = pd.DataFrame(
        {
            "intervention": [cat.intervention(i).label for i in ids],
            "yours (£k a year)": [scenario.budgets.get(i, 0.0) / 1000.0 for i in ids],
            "best split (£k a year)": [best.allocation.get(i, 0.0) / 1000.0 for i in ids],
        }
    )
    npv_here = sum(r(scenario.budgets.get(r.intervention, 0.0)) for r in resp)
    total = sum(scenario.budgets.values())
    headroom = float(cat.limits["budget_curve_headroom"].default or 1.0)
    curve = budget_curve(resp, total, headroom)
    caption = (
        f"Optimiser: {best.solver}, central values, NPV over {scenario.horizon_years} years; "
        "interventions are assumed not to interact. The NPV here leaves out any prevention cut."
    )
    return BestSplitView(rows, float(npv_here), best, curve, float(total), caption)


# --- compare --------------------------------------------------------------------------------
def compare_options(ctx: Context) -> dict[str, str]:
    """What can be compared: the current scenario, every preset and this place's saved ones."""
    options = {"current": "This scenario (as set now)"}
    for pid, p in ui.catalogue().presets.items():
        options[f"preset:{pid}"] = f"Preset: {p.label}"
    for rec in ui.saved_for(ctx):
        options[f"saved:{rec.id}"] = f"Saved: {rec.name} ({rec.author}, {rec.created_at:%d %b %Y})"
    return options


@dataclass(frozen=True)
class CompareView:
    names: list[str]
    notes: list[str]
    table: pd.DataFrame
    band: tuple[float, float]
    traj: pd.DataFrame  # every scenario's trajectories, with a ``name`` column


def compare_view(
    ctx: Context, scenario: Scenario, chosen: list[str], options: Mapping[str, str]
) -> CompareView:
    """Headline figures side by side and outcome trajectories of the chosen scenarios."""
    cat = ui.catalogue()
    pc = ui.place_context(ctx)
    runs: dict[str, tuple[Result, Simulation]] = {}
    notes: list[str] = []
    for key in chosen:
        if key == "current":
            s = scenario
        elif key.startswith("preset:"):
            budgets, cut = preset_budgets_gbp(cat, key[7:], pc.total_population)
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
            try:
                s, extra = scenario_from_saved(rec.scenario_json, cat)
            except ScenarioError as exc:  # a broken record is left out with a note
                notes.append(f"The saved scenario '{rec.name}' cannot be compared: {exc}")
                continue
            notes += extra
        runs[options[key]] = ui.results(ctx, s)
    figs = {k: headline_figures(r, s) for k, (r, s) in runs.items()}
    band = next(iter(figs.values())).band if figs else (0.0, 0.0)
    indicators = ui.outcome_indicators(ctx)
    frames = [outcome_trajectories(r, s, indicators).assign(name=k) for k, (r, s) in runs.items()]
    traj = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = compare_table(figs)
    for col in COMPARE_MONEY:  # £ as the rest of the page writes it ("−£1.2m", not "£-1,2…")
        table[col] = [format_gbp(float(v)) for v in table[col]]
    return CompareView(list(runs), notes, table, band, traj)


#: The comparison table's money columns (£), shown formatted.
COMPARE_MONEY = (
    "investment_gbp_per_year",
    "npv_gbp",
    "npv_low_gbp",
    "npv_high_gbp",
    "pv_costs_gbp",
    "pv_benefits_gbp",
)


def compare_columns(band: tuple[float, float]) -> dict[str, str]:
    """Column labels of the comparison table's NPV band."""
    return {"npv_low_gbp": f"NPV p{band[0]:g}", "npv_high_gbp": f"NPV p{band[1]:g}"}


@dataclass(frozen=True)
class CompareLines:
    data: pd.DataFrame  # name, calendar_year, value
    label: str
    unit: str
    flat_caption: str  # empty when every scenario moves the outcome


def compare_lines(view: CompareView, pick: str) -> CompareLines:
    """The baseline and each scenario's line for one outcome indicator."""
    one = view.traj[view.traj["indicator_id"] == pick]
    base = one.drop_duplicates("year").assign(
        name="Baseline (no change)", value=lambda d: d["baseline"]
    )
    lines = one.assign(value=one["scenario"])
    data = pd.concat([base, lines], ignore_index=True)[["name", "calendar_year", "value"]]
    meta = one.iloc[0]
    flat = [k for k in view.names if k not in set(one["name"])]
    caption = (
        f"Not drawn, as they leave this outcome at its baseline: {'; '.join(flat)}." if flat else ""
    )
    return CompareLines(data, str(meta["label"]), str(meta["unit"]), caption)


# --- how it is calculated -------------------------------------------------------------------
def funded(scenario: Scenario) -> list[str]:
    """The scenario's funded interventions, in catalogue order."""
    return [i for i in ui.catalogue().intervention_ids if scenario.budgets.get(i, 0) > 0]


def how_caption() -> str:
    """The note under the worked formulas (draws and distribution from scenario.yaml)."""
    mc = ui.catalogue().monte_carlo
    return (
        "Year 0 is the base year, where the scenario equals the baseline; spending starts the "
        "next year. A flow cohort brings new people each year; a stock is a group reached "
        "once. Effects start after the lag and fade by the drop-off each year; avoided costs grow with "
        "each agency's real unit-cost growth; a cut to prevention returns as reactive demand "
        "after its lag, multiplied by the conversion rate (scenario.yaml). Uncertainty: each "
        f"assumption is drawn {ui.draws():,} times between its low and high values "
        f"({mc.distribution.upper() if mc.distribution == 'pert' else mc.distribution})."
    )


# --- downloads ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Downloads:
    stem: str
    workbook: Callable[[], bytes]
    headline_csv: Callable[[], bytes]
    by_partner_csv: Callable[[], bytes]
    by_year_csv: Callable[[], bytes]


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The deal's rules as the per-partner view names them (scenario.yaml deal), in sheet order.
SHEET_NOTES = {
    "Headline": "the whole-system figures: NPV and its band, benefit-cost ratio, payback year",
    "By partner": "present values by agency: what it pays, its cashable and non-cashable "
    "benefit (shown apart, and added only in the column that says so), its net",
    "The deal": "the co-funding deal under each sharing rule",
    "By year": "each funded intervention by year: money (£) and people",
    "Cash flow": "each agency's cash flow by year (cashable benefit minus what it pays)",
    "Outcomes": "each outcome indicator by year: baseline, scenario and the change's band",
    "Assumptions": "every assumption of the funded interventions: low, central, high, unit, "
    "allowed range, evidence grade and source",
    "Settings": "the scenario: horizon, years of investment, prevention cut, budgets and any "
    "assumption changed",
}


def downloads(ctx: Context, result: Result, sim: Simulation, label: str) -> Downloads:
    """The downloads (workbook and CSVs), each built only when clicked. Every file carries the
    attribution and the licence: the workbook on its first sheet and atop every sheet, a CSV
    after its table."""
    bundle, view = ctx.bundle, ctx.view
    name = bundle.place_name(view.place)
    labels = {i: str(m.get("label", i)) for i, m in ui.outcome_indicators(ctx).items()}
    licence = str(bundle.meta.get("licence", ""))

    def tables() -> dict[str, Sheet]:
        t = export_tables(result, sim, label, name, labels)
        return {k: Sheet(v.frame, v.kinds, v.row_kinds) for k, v in t.items()}

    rate = 100 * discount_rate(ui.catalogue(), result.scenario.overrides)
    about = [
        f"Place Value Explorer: investment scenario '{label}' for {name} ({view.place}), "
        f"{bundle.title}.",
        "A model, not a forecast: most assumptions are illustrative orders of magnitude (see "
        "each one's evidence grade and source in the Assumptions sheet).",
        f"Money: {scenario_money_basis(bundle, view.prices)}. Present values discounted at the "
        f"Green Book rate of {rate:g}% a year. Percentiles from {sim.draws:,} Monte Carlo draws "
        f"(seed {sim.seed}). Payback: the first calendar year in which the cumulative "
        "discounted net benefit is at least zero; blank when it does not pay back within the "
        "horizon.",
        f"Attribution: {bundle.attribution}",
        f"Licence: {licence}",
    ]
    banner = f"Place Value Explorer · {name} · {bundle.attribution} · Licence: {licence}"

    def workbook() -> bytes:
        t = tables()
        sheets = [f"{k}: {SHEET_NOTES.get(k, '')}." for k in t]
        return to_xlsx_bytes(t, [*about, "Sheets:", *sheets], title="Read me", banner=banner)

    def csv(sheet: str) -> bytes:
        t = export_tables(result, sim, label, name, labels)[sheet]
        return to_csv_bytes(rounded(t), about)

    return Downloads(
        stem=f"scenario-{bundle.meta.get('id', view.dataset)}-{view.place}",
        workbook=workbook,
        headline_csv=lambda: csv("Headline"),
        by_partner_csv=lambda: csv("By partner"),
        by_year_csv=lambda: csv("By year"),
    )
