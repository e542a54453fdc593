"""The results of a scenario as labelled tables for the downloads (workbook and CSVs): the
headline, each partner, the co-funding deal, by year, cash flow, outcomes, assumptions with
their sources and the scenario's settings. Each column says what kind of value it holds
(:data:`EXPORT_KINDS`), so dashboard.export.workbook can format it.

Money is in £ at base-year prices (real terms); present values are discounted to year 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.scenario.assumptions import PARAM_UNIT_TEXT, assumptions_table
from dashboard.scenario.deal import deal_export
from dashboard.scenario.partners import partner_export
from dashboard.scenario.report import headline_figures, ordinal
from dashboard.scenario.results import Result
from dashboard.scenario.uncertainty import Simulation, pct_name


@dataclass(frozen=True)
class ExportTable:
    """A table of the downloads: ``frame`` with labels (never internal ids) as column names and
    cells; ``kinds`` says what each column holds (see :data:`EXPORT_KINDS`), so a workbook can
    format it; ``row_kinds``, when given, is the kind of the ``value`` column row by row (a
    measure / value / unit table)."""

    frame: pd.DataFrame
    kinds: Mapping[str, str]
    row_kinds: tuple[str, ...] = ()


#: The kinds of value a download's column may hold: £ (money), people (whole persons), year (a
#: calendar or scenario year, whole), count, ratio, share (0-1), decimal (two places), number
#: (any other, as it is) and text.
EXPORT_KINDS = (
    "gbp",
    "people",
    "year",
    "count",
    "ratio",
    "share",
    "decimal",
    "number",
    "text",
)

#: By-year measures of the engine (Result.by_year): column label and kind.
BY_YEAR_MEASURES: dict[str, tuple[str, str]] = {
    "investment_gbp": ("investment (£)", "gbp"),
    "cohort_people": ("eligible cohort (people)", "people"),
    "reached_people": ("people reached", "people"),
    "new_successes_people": ("new successes (people)", "people"),
    "active_successes_people": ("successes in effect (people)", "people"),
    "benefit_gbp": ("benefit, all agencies (£)", "gbp"),
    "discounted_net_gbp": ("net benefit, discounted (£)", "gbp"),
}
#: Cash-flow measures of the engine (Result.cash_flow): column label and kind.
CASH_FLOW_MEASURES: dict[str, tuple[str, str]] = {
    "cost_gbp": ("pays (£)", "gbp"),
    "benefit_gbp": ("benefit, cashable + non-cashable (£)", "gbp"),
    "net_gbp": ("net, all benefit (£)", "gbp"),
    "net_cashable_gbp": ("net cash, cashable only (£)", "gbp"),
    "cumulative_net_cashable_gbp": ("cumulative net cash (£)", "gbp"),
    "cumulative_net_cashable_nominal_gbp": ("cumulative net cash, cash prices (£)", "gbp"),
    "discounted_net_gbp": ("net, discounted (£)", "gbp"),
    "cumulative_discounted_net_gbp": ("cumulative net, discounted (£)", "gbp"),
}
PAYBACK_NOTE = "calendar year; blank: does not pay back within the horizon"


def _wide(
    tidy: pd.DataFrame, keys: list[str], measures: Mapping[str, tuple[str, str]]
) -> pd.DataFrame:
    """A tidy (keys, measure, value) frame as one column per measure, in ``measures`` order."""
    d = tidy.assign(measure=tidy["measure"].astype(str))
    d = d[d["measure"].isin(list(measures))]
    w = d.pivot_table(index=keys, columns="measure", values="value", aggfunc="sum", observed=True)
    w = w.reindex(columns=[m for m in measures if m in w.columns]).reset_index()
    w.columns.name = None
    return w.rename(columns={m: measures[m][0] for m in measures})


def export_tables(
    result: Result,
    sim: Simulation,
    scenario_name: str,
    place_name: str,
    indicator_labels: Mapping[str, str] | None = None,
) -> dict[str, ExportTable]:
    """The results as labelled tables (for the workbook and the CSVs): the headline, money by
    partner, by intervention and year, each agency's cash flow by year, outcomes, the
    assumptions of the funded interventions with their sources, and the scenario's settings.
    Money in £ at base-year prices; years are whole calendar years."""
    cat = result.catalogue
    s = result.scenario
    f = headline_figures(result, sim)
    labels = {iv.id: iv.label for iv in cat.interventions}
    payback = int(f.calendar_payback_year) if math.isfinite(f.calendar_payback_year) else None
    head_rows: list[tuple[str, Any, str, str]] = [
        ("Scenario", scenario_name, "", "text"),
        ("Place", f"{place_name} ({s.place_code})", "", "text"),
        ("Base year", int(result.context.base_year), "calendar year", "year"),
        ("Horizon", int(s.horizon_years), "years", "count"),
        ("Net present value", f.npv_gbp, "£ (present value)", "gbp"),
        (f"NPV, {ordinal(f.band[0])} percentile", f.npv_low_gbp, "£ (present value)", "gbp"),
        (f"NPV, {ordinal(f.band[1])} percentile", f.npv_high_gbp, "£ (present value)", "gbp"),
        ("Chance NPV > 0", f.p_npv_positive, f"share of {sim.draws:,} draws", "share"),
        ("Benefit-cost ratio", f.bcr if math.isfinite(f.bcr) else None, "ratio", "ratio"),
        ("Payback year", payback, PAYBACK_NOTE, "year"),
        ("PV of costs", f.pv_costs_gbp, "£ (present value)", "gbp"),
        ("PV of benefits", f.pv_benefits_gbp, "£ (present value)", "gbp"),
        ("Investment a year", f.investment_gbp_per_year, "£ a year (first year)", "gbp"),
    ]
    headline = pd.DataFrame(
        [(m, v, u) for m, v, u, _ in head_rows], columns=["measure", "value", "unit"], dtype=object
    )
    head_kinds = tuple(k for *_, k in head_rows)

    partner = partner_export(result)
    the_deal = deal_export(result)

    funded = [i for i in cat.intervention_ids if s.budgets.get(i, 0) > 0]
    by = result.by_year[result.by_year["intervention"].astype(str).isin(funded)]
    by = by.assign(intervention=by["intervention"].astype(str))
    by_year = _wide(by, ["intervention", "year", "calendar_year"], BY_YEAR_MEASURES)
    by_year["intervention"] = by_year["intervention"].map(labels)
    by_year = by_year.rename(columns={"year": "year of scenario", "calendar_year": "year"})
    by_year = by_year[["intervention", "year", "year of scenario", *by_year.columns[3:]]]

    cf = result.cash_flow.assign(agency=result.cash_flow["agency"].astype(str))
    cash = _wide(cf, ["agency", "year", "calendar_year"], CASH_FLOW_MEASURES)
    cash["agency"] = cash["agency"].map(cat.agency_labels)
    cash = cash.rename(columns={"year": "year of scenario", "calendar_year": "year"})
    cash = cash[["agency", "year", "year of scenario", *cash.columns[3:]]]

    out = result.outcome_totals.copy()
    out["indicator_id"] = out["indicator_id"].astype(str)
    band = sim.outcomes.copy()
    band["indicator_id"] = band["indicator_id"].astype(str)
    out = out.merge(band.drop(columns=["calendar_year"]), on=["indicator_id", "year"], how="left")
    names = indicator_labels or {}
    outcomes = pd.DataFrame(
        {
            "indicator": out["indicator_id"].map(lambda i: names.get(i, i)),
            "year": out["calendar_year"].astype(int),
            "year of scenario": out["year"].astype(int),
            "baseline": out["baseline"],
            "scenario (central)": out["projected"],
            "change": out["change"],
            **{
                f"change, {ordinal(q)} percentile": out[pct_name(q)]
                for q in sim.percentiles
                if pct_name(q) in out.columns
            },
        }
    )

    parts = []
    for iid in funded:
        t = assumptions_table(cat, iid, s.overrides, result.context)
        t.insert(0, "intervention", labels[iid])
        parts.append(t.drop(columns=["path", "illustrative"]))
    cols = ["intervention", "parameter", "low", "central", "high", "unit", "allowed", "grade"]
    assumptions = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*cols, "source", "changed"])
    )

    params = {p.path: p for p in cat.params}
    setting_rows: list[tuple[str, Any, str, str]] = [
        ("Horizon", int(s.horizon_years), "years", "count"),
        ("Prevention cut", float(s.prevention_cut_per_year), "share a year, compounding", "share"),
    ]
    for k, v in sorted(s.budgets.items(), key=lambda kv: labels.get(kv[0], kv[0])):
        setting_rows += [
            (f"Budget: {labels.get(k, k)}", float(v), "£ a year", "gbp"),
            (
                f"Years of investment: {labels.get(k, k)}",
                int(s.spending_years(k)),
                "years, from the year after the base year",
                "count",
            ),
        ]
    for k, v in sorted(s.overrides.items()):
        p = params.get(k.removesuffix(".low").removesuffix(".high"))
        unit = PARAM_UNIT_TEXT.get(p.unit, p.unit) if p else ""
        setting_rows.append((f"Changed assumption: {k}", float(v), unit, "number"))
    settings = pd.DataFrame(
        [(a, b, c) for a, b, c, _ in setting_rows],
        columns=["setting", "value", "unit"],
        dtype=object,
    )

    def gbp_cols(df: pd.DataFrame) -> dict[str, str]:
        return {c: "gbp" for c in df.columns if "£" in c}

    return {
        "Headline": ExportTable(headline, {"measure": "text", "unit": "text"}, head_kinds),
        "By partner": ExportTable(
            partner, {"agency": "text", "cash payback year": "year", **gbp_cols(partner)}
        ),
        "The deal": ExportTable(
            the_deal,
            {
                "rule": "text",
                "agency": "text",
                "note": "text",
                "share of cost": "share",
                **gbp_cols(the_deal),
            },
        ),
        "By year": ExportTable(
            by_year,
            {
                "intervention": "text",
                "year": "year",
                "year of scenario": "year",
                **{lab: k for lab, k in BY_YEAR_MEASURES.values()},
            },
        ),
        "Cash flow": ExportTable(
            cash,
            {
                "agency": "text",
                "year": "year",
                "year of scenario": "year",
                **{lab: k for lab, k in CASH_FLOW_MEASURES.values()},
            },
        ),
        "Outcomes": ExportTable(
            outcomes,
            {
                "indicator": "text",
                "year": "year",
                "year of scenario": "year",
                **{c: "decimal" for c in outcomes.columns[3:]},
            },
        ),
        "Assumptions": ExportTable(assumptions, {c: "number" for c in ("low", "central", "high")}),
        "Settings": ExportTable(
            settings, {"setting": "text", "unit": "text"}, tuple(k for *_, k in setting_rows)
        ),
    }


#: Decimal places a CSV keeps, by kind of value (money to the pound, people whole).
CSV_DECIMALS = {"gbp": 0, "people": 0, "count": 0, "year": 0, "ratio": 3, "share": 4, "decimal": 4}


def rounded(table: ExportTable) -> pd.DataFrame:
    """The table's frame with each column rounded as its kind says (for a CSV: no 15-digit
    floats); a measure / value table rounds its values row by row."""
    df = table.frame.copy()
    for col, kind in table.kinds.items():
        if col in df.columns and kind in CSV_DECIMALS and pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].round(CSV_DECIMALS[kind])
            if CSV_DECIMALS[kind] == 0:
                df[col] = df[col].astype("Int64")
    if table.row_kinds and "value" in df.columns:
        df["value"] = [
            _round_one(v, CSV_DECIMALS.get(k))
            for v, k in zip(df["value"], table.row_kinds, strict=True)
        ]
    return df


def _round_one(value: Any, places: int | None) -> Any:
    if places is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not math.isfinite(value):
        return value
    return int(round(value)) if places == 0 else round(float(value), places)


def export_frames(
    result: Result, sim: Simulation, scenario_name: str, place_name: str
) -> dict[str, pd.DataFrame]:
    """The frames of :func:`export_tables` (labels, whole years), without their kinds."""
    return {k: t.frame for k, t in export_tables(result, sim, scenario_name, place_name).items()}
