"""View-model of the Public spend here page (pages/collective.py): the collective picture of
the place (analysis.collective) as a headline, a chart spec, a table and notes in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.analysis.collective import (
    COUNCIL,
    NO_PARTNERS,
    Collective,
    collective_picture,
    lines_frame,
)
from dashboard.charts.collective import (
    MEASURES,
    collective_agencies,
    collective_fill,
    collective_template,
    stack_data,
)
from dashboard.charts.steady import SteadyChart, steady_chart
from dashboard.formatting import escape_markdown, format_gbp
from dashboard.ui.cached import per_view
from dashboard.ui.metric import Metric
from dashboard.ui.state import Context

#: Height of a table row (px), so the table shows every line without scrolling.
TABLE_ROW_PX = 35
#: The measure toggle's options (id -> words).
MEASURE_LABELS: dict[str, str] = {"per_head": "£ per head", "total": "£ in total"}
#: What England (or any bundle without partners) says instead of partners' figures.
COUNCIL_ONLY = (
    "Only the council's own spend is shown: this dataset has no figures from the NHS, police, "
    "fire and rescue, DWP or the voluntary sector. Add a data layer with partners' spend to "
    "see the whole picture."
)


@dataclass(frozen=True)
class Headline:
    """The page's first figures and the sentence above them."""

    sentence: str
    metrics: tuple[Metric, ...]


@per_view
def picture(ctx: Context) -> Collective:
    """The collective picture of the view (built once per view and shared by every session)."""
    v = ctx.view
    return collective_picture(ctx.bundle, v.place, v.level, v.period, list(ctx.group), v.prices)


def headline(ctx: Context, pic: Collective) -> Headline:
    """Total public spend per head here across agencies, in total, and the council's share."""
    per_head = pic.per_head()
    share = pic.council_share
    agencies = list(dict.fromkeys(ln.agency_label for ln in pic.lines if ln.per_head is not None))
    where = f"{pic.place_name}, {pic.period} ({pic.prices})"
    if pic.has_partners:
        sentence = (
            f"In {where}, the public bodies in this dataset spend "
            f"£{per_head:,.0f} per resident together: {len(agencies)} agencies "
            f"({', '.join(agencies)})."
        )
    else:
        sentence = f"In {where}, the council spends £{per_head:,.0f} per resident."
    metrics = (
        Metric(
            "Public spend per head",
            f"£{per_head:,.0f}",
            "Sum of every spend line with a figure for the place, £ per resident.",
        ),
        Metric(
            "Public spend in total",
            format_gbp(pic.total),
            f"£ per head × residents in mid-{pic.population_year}"
            if pic.population_year
            else "No population for the place.",
        ),
        Metric(
            "The council's share",
            f"{share:.0%}" if share is not None else "n/a",
            "The council's net spend by service as a share of all the spend lines here.",
        ),
        Metric(
            "Partners per head",
            f"£{per_head - pic.per_head(COUNCIL):,.0f}" if pic.has_partners else "none",
            "NHS, police, fire and rescue, DWP, voluntary sector and other lines, £ per resident.",
        ),
    )
    return Headline(sentence, metrics)


@per_view
def chart_view(ctx: Context, measure: str) -> SteadyChart:
    """The stacked bar chart of the view's picture as a Vega-Lite spec (per head or in total;
    built once per view and measure, and shared): the chart itself is built once per agencies
    shown, period, measure and prices (_template), this view's words and rows put in."""
    pic = picture(ctx)
    lines = lines_frame(pic)
    measure = measure if measure in MEASURES else "per_head"
    data = stack_data(lines, pic.place_name, measure)
    template = _template(
        collective_agencies(data),
        pic.period,
        ctx.bundle.attribution,
        measure,
        pic.prices,
        lines,
    )
    spec, words = collective_fill(
        template,
        data,
        pic.place_name,
        ctx.group_text or "the comparison group",
        pic.period,
        measure,
    )
    return steady_chart(spec, words)


@st.cache_resource(show_spinner=False, max_entries=32)
def _template(
    agencies: tuple[str, ...],
    period: str,
    attribution: str,
    measure: str,
    prices: str,
    _lines: pd.DataFrame,
) -> str:
    """The chart built once per agencies shown, period, attribution, measure and prices (the
    lines only give it a shape). Schema validation is skipped here: tests/charts validates
    the builder."""
    return collective_template(_lines, period, attribution, measure, prices)


@per_view
def table(ctx: Context) -> pd.DataFrame:
    """The page's table of the view's picture: agency, line, £ per head, £ total, group
    median, outcomes, source (built once per view and shared)."""
    df = lines_frame(picture(ctx))
    return pd.DataFrame(
        {
            "Agency": df["agency_label"],
            "Spend line": df["line"],
            "Service": df["service_label"],
            "£ per head": df["per_head"].round(0),
            "£ total": df["total"].round(0),
            "Group median, £ per head": df["group_median_per_head"].round(0),
            "Comparison places with a figure": df["group_places"],
            "Outcomes it bears on": df["outcomes"],
            "Source": df["source"],
        }
    )


def notes(ctx: Context, pic: Collective) -> tuple[str, ...]:
    """What the page says before the figures: the council-only sentence when there are no
    partners (the app's banner already says when data are fictional)."""
    out = []
    if not pic.has_partners:
        out.append(COUNCIL_ONLY)
    return tuple(out)


def method_caption(ctx: Context, pic: Collective) -> str:
    """How the figures are made, in a sentence or two."""
    return (
        "The council's lines are its net current expenditure on each service it runs "
        "(not the total, not the sub-service breakdowns); partners' lines are spend indicators "
        "that name their agency. Totals are £ per head × the place's residents in the matching "
        "mid-year. The group bar adds up the median of each line across the comparison places "
        "with a figure, so it is not any one place. Spending more or less is not better or "
        "worse in itself."
    )


def missing_markdown(pic: Collective) -> str:
    """What is missing as a markdown list (text escaped; the no-partners sentence left out:
    the page says it first)."""
    gaps = [m for m in pic.missing if m != NO_PARTNERS]
    if not gaps:
        return "Nothing: every agency has a figure here, and every comparison place too."
    return "\n".join(f"- {escape_markdown(g)}" for g in gaps)


def subtitle(pic: Collective) -> str:
    """The line under the title: who spends here."""
    who = "the council and its partners spend" if pic.has_partners else "the council spends"
    return f"What {who} in {pic.place_name}, {pic.period}"
