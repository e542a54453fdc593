"""Who pays, who gains: the council's own position under the headline and the "Who pays, who
gains" tab of the Scenarios page (a row per agency, then a co-funding deal under a rule the
user picks). View models (:func:`partners_view`, :func:`deal_view`) hold the texts and tables;
the two panels lay them out. Figures come from dashboard.scenario.partners and .deal; money is
formatted by dashboard.formatting.format_gbp; labels come from the catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.charts.scenario import deal_chart
from dashboard.formatting import escape_markdown, format_gbp
from dashboard.scenario import Result, Scenario
from dashboard.scenario.deal import DEAL_COLUMNS, RULES, deal, deal_rules, default_rule
from dashboard.scenario.partners import PARTNER_COLUMNS, council_position, partner_table
from dashboard.ui.cached import PLACES
from dashboard.ui.chart_tools import chart_tools
from dashboard.ui.metric import Metric
from dashboard.ui.scenario import HASH, run_cached
from dashboard.ui.state import Context

#: Session-state key of the deal's rule picker (the page's keys all start with ``sc_``).
DEAL_RULE = "sc_deal_rule"
TAB = "Who pays, who gains"


def _share(s: float) -> str:
    return f"{100 * s:.0f}%" if math.isfinite(s) else "n/a"


def _payback_text(year: int | None, pays: float, horizon: int) -> str:
    if pays <= 0:
        return "pays nothing"
    return str(year) if year is not None else f"does not pay back within {horizon} years"


# --- the council's headline -----------------------------------------------------------------
#: Short headers of the table per agency (the full label of partners.PARTNER_COLUMNS is each
#: column's help, and the caption says how the two nets are made).
SHORT_COLUMNS = {
    "pv_pays_gbp": "pays",
    "pv_cashable_gbp": "cashable",
    "pv_noncashable_gbp": "non-cashable",
    "pv_net_cash_gbp": "net cash",
    "pv_net_all_benefit_gbp": "net",
}
#: Short headers of the deal table and their help.
DEAL_SHORT = {
    "contribution_per_year_gbp": ("contribution a year", "£ a year, base-year prices"),
    "share_of_cost": ("share of cost", "its contribution ÷ the interventions' cost"),
    "pv_net_gain_gbp": ("net gain", DEAL_COLUMNS["pv_net_gain_gbp"] + ", present value"),
    "pv_net_cash_gbp": ("net cash", DEAL_COLUMNS["pv_net_cash_gbp"] + ", present value"),
}


@dataclass(frozen=True)
class PartnersView:
    """The council's metrics and the caption under them; the table of the agencies with any
    money in the scenario (texts, money formatted), each column's help, and the caption."""

    council: tuple[Metric, ...]
    council_title: str
    council_caption: str
    table: pd.DataFrame
    column_help: dict[str, str]
    caption: str


def partners_view(result: Result) -> PartnersView:
    """The council's own position and a row per agency (present values, £)."""
    t = partner_table(result)
    pos = council_position(result, t)
    n = pos.horizon_years
    base = result.context.base_year
    who = pos.label.lower()
    council = (
        Metric(
            "Pays",
            format_gbp(pos.pays_gbp),
            f"Present value of what the {who} pays over {n} years (discounted to {base}, "
            "base-year prices).",
        ),
        Metric(
            "Cash back",
            format_gbp(pos.cashable_back_gbp),
            f"Present value of the savings the {who} can take out of its budget (cashable); "
            "capacity freed but not cashable is not counted here.",
        ),
        Metric(
            "Net cash",
            format_gbp(pos.net_cash_gbp),
            "Cashable savings back minus what it pays (present values).",
        ),
        Metric(
            "Cash payback",
            str(pos.payback_year) if pos.pays_back else ("none" if pos.pays_gbp > 0 else "n/a"),
            f"First year in which the {who}'s cumulative discounted cashable savings cover what "
            "it has paid" + ("." if pos.pays_back else f": it does not pay back within {n} years."),
        ),
    )
    row = t.set_index("agency").loc["council"]
    elsewhere = float(t["pv_all_benefit_gbp"].sum() - row["pv_all_benefit_gbp"])
    if pos.pays_back:
        lead = f"The {who}'s cash pays back in {pos.payback_year}."
    elif pos.pays_gbp > 0:
        lead = f"The {who}'s cash does not pay back within {n} years."
    else:
        lead = f"The {who} spends nothing net in this scenario, so it has nothing to pay back."
    council_caption = (
        f"{lead} Present values: it pays {format_gbp(pos.pays_gbp)} and gets "
        f"{format_gbp(pos.cashable_back_gbp)} back in cash (net cash "
        f"{format_gbp(pos.net_cash_gbp)}); a further "
        f"{format_gbp(float(row['pv_noncashable_gbp']))} of its benefit is non-cashable "
        f"(capacity freed), and {format_gbp(elsewhere)} of the benefit lands on other "
        f"agencies. Its cumulative net cash after {n} years: "
        f"{format_gbp(pos.cumulative_net_cash_end_gbp)} (real, undiscounted)."
    )
    if result.scenario.prevention_cut_per_year > 0:
        council_caption += (
            " The cut to prevention counts as the money-by-agency tables count it: its saving "
            "lowers what the council pays, and the reactive demand it causes lowers each "
            "agency's cashable benefit."
        )
    money = [*SHORT_COLUMNS, "pv_all_benefit_gbp"]
    if not (t[money].abs() > 0).any(axis=None):
        council_caption = (
            "No agency's money changes: the scenario funds no intervention and cuts nothing."
        )
    active = (t[money].abs() > 0).any(axis=1)
    active.iloc[0] = True  # the council always
    shown = t[active]
    table = pd.DataFrame({"partner": shown["agency_label"].astype(str)})
    for col, short in SHORT_COLUMNS.items():
        table[short] = [format_gbp(float(v)) for v in shown[col]]
    helps = {SHORT_COLUMNS[c]: f"{PARTNER_COLUMNS[c]}, present value" for c in SHORT_COLUMNS}
    caption = (
        f"Present values over {n} years, discounted to {base} (base-year prices). Cashable "
        "benefit is money an agency can take out of its budget; non-cashable benefit is "
        "capacity freed (staff time, beds, places) that it cannot. Net cash = cashable − pays; "
        "net = all benefit (cashable + non-cashable) − pays."
    )
    for a, label, y, paid in zip(
        shown["agency"],
        shown["agency_label"],
        shown["payback_year_cash"],
        shown["pv_pays_gbp"],
        strict=True,
    ):
        if a != "council" and paid > 0:  # an agency that funds an intervention
            year = None if pd.isna(y) else int(y)
            caption += f" {label}'s cash payback: {_payback_text(year, float(paid), n)}."
    idle = [str(a) for a in t.loc[~active, "agency_label"]]
    if idle:
        caption += f" No money in this scenario for: {', '.join(idle)}."
    if result.scenario.prevention_cut_per_year > 0:
        caption += (
            " The scenario's cut to prevention is included: its saving lowers what the council "
            "pays, and the reactive demand it causes is a negative cashable benefit of the "
            "agency that meets it."
        )
    title = f"The {who}'s own cash (cashable only)"
    return PartnersView(
        council, title, council_caption, table.reset_index(drop=True), helps, caption
    )


# --- the deal -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DealView:
    """The deal under one rule: its label and explanation, whether a deal exists, the table
    (texts) and each column's help, the board sentence, the caveats and the chart's data."""

    rule: str
    rule_label: str
    explanation: str
    feasible: bool
    table: pd.DataFrame
    column_help: dict[str, str]
    sentence: str
    caveats: tuple[str, ...]
    chart_data: pd.DataFrame  # Deal.table, for the chart (empty without a deal)


def deal_view(result: Result, rule: str) -> DealView:
    """The co-funding deal of ``result`` under ``rule`` (an id of scenario.yaml deal.rules)."""
    d = deal(result, rule)
    rows = d.table[d.table["pv_benefit_gbp"] > 0] if d.feasible else d.table
    table = pd.DataFrame({"partner": rows["agency_label"].astype(str)})
    if d.feasible:
        for col, (short, _) in DEAL_SHORT.items():
            shares = col in ("share_of_cost", "current_share")
            table[short] = [_share(float(v)) if shares else format_gbp(float(v)) for v in rows[col]]
    return DealView(
        rule=rule,
        rule_label=d.rule.label,
        explanation=d.rule.explanation,
        feasible=d.feasible,
        table=table.reset_index(drop=True),
        column_help={short: text for short, text in DEAL_SHORT.values()},
        sentence=d.sentence,
        caveats=d.notes,
        chart_data=d.table,
    )


# --- the panels -----------------------------------------------------------------------------
def _help(helps: dict[str, str]) -> dict[str, Any]:
    return {c: st.column_config.TextColumn(c, help=h) for c, h in helps.items()}


@st.cache_resource(show_spinner=False, max_entries=PLACES, hash_funcs=HASH)
def _partners(bundle: Bundle, place: str, scenario: Scenario) -> PartnersView:
    return partners_view(run_cached(bundle, place, scenario))


def partners_for(ctx: Context, scenario: Scenario) -> PartnersView:
    """The partners' view of ``scenario`` at the view's place (built once per scenario and
    place, shared by every session)."""
    return _partners(ctx.bundle, ctx.view.place, scenario)


def council_headline(ctx: Context, scenario: Scenario) -> None:
    """The council's own position as compact metrics (drawn where the caller puts them,
    beside the whole-system headline); the full sentence is the help of its title."""
    v = partners_for(ctx, scenario)
    defs = "\n".join(f"- **{m.label}**: {escape_markdown(m.help)}" for m in v.council)
    st.markdown(
        f"**{escape_markdown(v.council_title)}**",
        help=f"{escape_markdown(v.council_caption)}\n\n{defs}",
    )
    row = st.container(horizontal=True)  # one element for the row, not one per column
    for m in v.council:
        row.metric(m.label, m.value)


def partners_tab(ctx: Context, scenario: Scenario, result: Result) -> None:
    """The tab "Who pays, who gains": a row per agency, then the co-funding deal."""
    v = partners_for(ctx, scenario)
    place = escape_markdown(ctx.bundle.place_name(scenario.place_code))
    st.markdown(f"**Who pays, who gains in {place}**")
    st.caption(escape_markdown(v.council_caption))
    st.dataframe(v.table, hide_index=True, width="stretch", column_config=_help(v.column_help))
    st.caption(v.caption)

    st.markdown("**A co-funding deal in which every partner gains**")
    rules = deal_rules()
    if st.session_state.get(DEAL_RULE) not in RULES:
        st.session_state[DEAL_RULE] = default_rule()
    rule = st.radio(
        "Share the gain",
        list(RULES),
        format_func=lambda r: rules[r].label,
        key=DEAL_RULE,
        horizontal=True,
    )
    d = deal_view(result, rule)
    st.caption(escape_markdown(d.explanation))
    if not d.feasible:
        st.warning(escape_markdown(d.sentence), icon=":material/block:")
        return
    st.dataframe(d.table, hide_index=True, width="stretch", column_config=_help(d.column_help))
    st.success(escape_markdown(d.sentence), icon=":material/handshake:")
    st.altair_chart(deal_chart(d.chart_data, ctx.bundle.attribution, width=300), width="content")
    chart_tools(
        ctx,
        lambda: deal_chart(d.chart_data, ctx.bundle.attribution, width=300),
        "Deal",
        group=False,
        period=f"{result.context.base_year} to {result.context.base_year + scenario.horizon_years}",
    )
    for note in d.caveats:
        st.caption(escape_markdown(note))
