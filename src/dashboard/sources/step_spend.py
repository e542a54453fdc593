"""Builder steps for spend: MHCLG revenue outturn RSX/RS service blocks (£ and £ per head) and
RO3 detail lines (£ per head). The workbooks report £ thousand; the readers return £."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.bundle import BundleError
from dashboard.bundle.denominators import GROUP_WORDS, mid_year
from dashboard.sources import geography as geo_mod
from dashboard.sources.finance import (
    COUNCIL_SERVICES,
    Outturn,
    norm,
    read_outturn,
    service_blocks,
)
from dashboard.sources.step import Files, StepOutput, StepResult, frame
from dashboard.sources.step_places import Population
from dashboard.sources.tables import step_sources, yields

#: The period the bundle shows when no outturn file was found.
NO_SPEND_PERIODS = ["2024-25"]


def _read_outturns(files: Files, out: StepOutput) -> list[Outturn]:
    """Every RSX and RS workbook that reads (in step order); the others are logged."""
    outturns = []
    for sid in step_sources("spend"):
        for path in files.get(sid, []):
            try:
                o = read_outturn(path)
            except BundleError as exc:
                out.log.append(f"skipped {path.name}: {exc}")
                continue
            outturns.append(o)
            out.problems += o.problems
            out.used_file(sid, path.name)
    return outturns


def _denominator(
    pop: Population, period: str, group: str, out: StepOutput, noted: set[tuple[str, str]]
) -> pd.Series:
    """Persons of ``group`` for ``period`` (its matching mid-year, else the nearest, noted)."""
    den, year = pop.denominator(period, group)
    want = mid_year(period)
    if group == "children_0_17" and year in pop.children and (period, "dfe") not in noted:
        noted.add((period, "dfe"))
        out.note("children_dfe", period=period, year=year)
    if year is not None and want is not None and year != want and (period, group) not in noted:
        noted.add((period, group))
        out.note(
            "denominator_nearest", period=period, want=want, group=GROUP_WORDS[group], year=year
        )
    return den


def spend_step(
    files: Files, geo: geo_mod.Geography, pop: Population
) -> tuple[list[str], StepResult]:
    """Spend in £ and £ per head by RSX service block per financial year, and the periods found.

    Per head divides by the ONS mid-year population of the matching year (2023-24: mid-2023;
    the nearest year when that one is missing, noted); blocks with ``per_child`` also give £ per
    child aged 0-17 of that year.

    Upper-tier services are shown for upper-tier councils, lower-tier ones for lower-tier
    councils; for services split between tiers (and the total) a county shows the whole-area
    figure (county council plus its districts), missing if any of them has no figure.
    """
    out = StepOutput()
    outturns = _read_outturns(files, out)
    if not outturns:
        out.note("no_outturn")
        return list(NO_SPEND_PERIODS), out.result()
    by_period = {}
    for o in outturns:  # the first source of the step (RSX) wins over RS for the same year
        by_period.setdefault(o.period, o)
    new_councils = {s for succ in geo.successors.values() for s in succ}
    upper, lower = set(geo.upper_codes), set(geo.lower_codes)
    counties = sorted(c for c in upper if c.startswith("E10"))
    districts_of: dict[str, list[str]] = {}
    for d, c in geo.county_of.items():
        districts_of.setdefault(c, []).append(d)
    blocks = yields("rsx", "stem", "service", "tier")
    noted: set[tuple[str, str]] = set()
    used_years: list[str] = []
    for period, o in sorted(by_period.items()):
        residents = _denominator(pop, period, "residents", out, noted)
        if (y := pop.year_for(period)) is not None:
            used_years.append(f"mid-{y} for {period}")
        wide = service_blocks(o)
        mapped = geo.map_codes(pd.Series(wide.index, index=wide.index))
        gone = sorted(wide.index[mapped.isna()])
        out.dropped[f"{o.file} (former councils)"] += len(gone)
        if gone:
            out.note(
                "spend_former_councils",
                period=period,
                count=len(gone),
                examples=", ".join(gone[:6]),
            )
        wide = wide[mapped.notna()]
        wide.index = mapped[mapped.notna()].to_numpy()
        wide = wide[~wide.index.duplicated()]
        svc_cols = list(COUNCIL_SERVICES)
        total = wide[svc_cols].sum(axis=1, min_count=len(svc_cols))
        total[wide[svc_cols].isna().any(axis=1)] = np.nan
        wide["total"] = total
        wide["total__status"] = np.where(total.isna(), "missing", "")
        for block in blocks:
            stem, svc, tier = block["stem"], block["service"], block["tier"]
            own = wide[svc]
            own_st = (
                wide[f"{svc}__status"]
                if f"{svc}__status" in wide
                else pd.Series("", index=wide.index)
            )
            if tier == "upper":
                codes = sorted(upper)
            elif tier == "lower":
                codes = sorted(lower)
            else:
                codes = sorted(upper | lower)
            vals = own.reindex(codes)
            status = own_st.reindex(codes).fillna("")
            if tier == "both":
                for c in counties:  # whole-area figure: county council plus its districts
                    parts = [c, *districts_of.get(c, [])]
                    v = own.reindex(parts)
                    vals[c] = v.sum() if v.notna().all() else np.nan
                    if v.isna().any():
                        status[c] = "missing"
            absent = [c for c in codes if c not in wide.index]
            for c in absent:
                status[c] = "not_applicable" if c in new_councils else "missing"
            status[vals.isna() & (status == "")] = "missing"
            out.add(frame(codes, f"spend_{stem}_gbp", period, vals, status))
            if not residents.empty:
                per = vals / residents.reindex(codes)
                out.add(frame(codes, f"spend_{stem}_per_head", period, per, status))
            if block.get("per_child"):
                kids = _denominator(pop, period, "children_0_17", out, noted)
                if not kids.empty:
                    per = vals / kids.reindex(codes)
                    out.add(frame(codes, f"spend_{stem}_per_child", period, per, status))
    if used_years:
        out.note("per_head", pairs=", ".join(used_years))
    out.note("spend_method")
    out.note("reorganised", codes=", ".join(sorted(new_councils & (upper | lower))))
    return sorted(by_period), out.result()


def spend_detail_step(files: Files, geo: geo_mod.Geography, pop: Population) -> StepResult:
    """RO3 detail per head for upper-tier councils: each indicator sums its RO3 lines (£) and
    divides by the matching year's population (or the age group its ``denominator`` names); an
    indicator whose lines are not all in a file is skipped."""
    out = StepOutput()
    noted: set[tuple[str, str]] = set()
    details = yields("ro3", "indicator", "lines")
    for sid in step_sources("spend_detail"):
        for path in files.get(sid, []):
            try:
                o = read_outturn(path)
            except BundleError as exc:
                out.log.append(f"skipped {path.name}: {exc}")
                continue
            out.problems += o.problems
            out.used_file(sid, path.name)
            data = o.data.assign(line=o.data["line"].map(norm))
            data = data.assign(code=geo.map_codes(data["code"]))
            data = data[data["code"].isin(set(geo.upper_codes))]
            for item in details:
                ind, lines = item["indicator"], tuple(item["lines"])
                sub = data[data["line"].isin(lines)]
                found = set(sub["line"])
                if found != set(lines):
                    out.log.append(
                        f"{path.name}: RO3 lines not found for {ind}: {sorted(set(lines) - found)}"
                    )
                    continue
                g = sub.groupby("code")
                val = (
                    g["value_gbp"]
                    .sum(min_count=1)
                    .where(~g["value_gbp"].apply(lambda v: v.isna().any()))
                )
                status = np.where(val.isna(), "missing", "")
                den = _denominator(
                    pop, o.period, str(item.get("denominator", "residents")), out, noted
                )
                if den.empty:
                    continue
                out.add(frame(val.index, ind, o.period, val / den.reindex(val.index), status))
    return out.result()
