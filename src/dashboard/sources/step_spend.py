"""Builder steps for spend: MHCLG revenue outturn RSX/RS service blocks (£ and £ per head) and
RO3 detail lines (£ per head). The workbooks report £ thousand; the readers return £."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.bundle import BundleError
from dashboard.bundle.catalogue import service_label
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
from dashboard.sources.tables import sentence, step_sources, yields

#: The period the bundle shows when no outturn file was found.
NO_SPEND_PERIODS = ["2024-25"]
#: England's code, and the length of the RSX class-total codes ("E06" ... "E10").
ENGLAND = "E92000001"
CLASS_CODE_LENGTH = 3
#: Class totals of the councils England's figure adds (MHCLG's estimates for missing returns).
COUNCIL_CLASSES: tuple[str, ...] = ("E06", "E07", "E08", "E09", "E10")
#: The RSX Notes marker of a council whose return was not received in time for publication.
MISSING_MARKER = "M"


def england_population(pop: pd.Series, geo: geo_mod.Geography) -> float:
    """England's residents: the sum over its lower-tier councils (which tile England), persons;
    0 when the population is unknown."""
    if pop.empty:
        return 0.0
    v = pop.reindex(geo.lower_codes)
    return float(v.sum()) if v.notna().all() else 0.0


def england_spend(classes: pd.DataFrame) -> dict[str, float] | None:
    """England's spend (£) per service block and the total: the sum of MHCLG's class totals of
    councils (unitary, shire district, metropolitan, London, shire county), or None when the
    workbook has no class totals (or not all of them)."""
    if not set(COUNCIL_CLASSES) <= set(classes.index):
        return None
    svc = list(COUNCIL_SERVICES)
    sub = classes.loc[list(COUNCIL_CLASSES), svc]
    if sub.isna().any().any():
        return None
    out = {s: float(sub[s].sum()) for s in svc}
    out["total"] = float(sum(out[s] for s in svc))
    return out


class _Reasons:
    """Why a council has no spend figure in one year, in words (england_bundle.yaml texts)."""

    def __init__(
        self,
        period: str,
        wide: pd.DataFrame,
        flags: dict[str, str],
        marker: str,
        names: dict[str, str],
        new: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self.period, self.wide, self.flags, self.names = period, wide, flags, names
        self.new = new
        self.marker = marker.split(". ")[0].rstrip(".") if marker else ""

    def _one(self, code: str, svc: str) -> tuple[str, bool]:
        name = self.names.get(code, code)
        if code not in self.wide.index:
            key = "missing_new_council" if code in self.new else "missing_from_file"
            return sentence("texts", key).format(name=name, code=code, period=self.period), False
        if self.flags.get(code) == MISSING_MARKER:
            return sentence("texts", "missing_return").format(
                name=name, code=code, period=self.period
            ), True
        cols = list(COUNCIL_SERVICES) if svc == "total" else [svc]
        row = self.wide.loc[code, cols]
        lines = [service_label(c) for c in cols if pd.isna(row[c])] or [service_label(svc)]
        return sentence("texts", "missing_lines").format(
            services=", ".join(lines), name=name, code=code, period=self.period
        ), False

    def _marker(self, flagged: bool) -> str:
        if not (flagged and self.marker):
            return ""
        return " " + sentence("texts", "missing_marker").format(text=self.marker) + "."

    def own(self, code: str, svc: str) -> str:
        """ "Missing: no 2024-25 revenue outturn return from Birmingham (E08000025). MHCLG: ..." """
        text, flagged = self._one(code, svc)
        return sentence("texts", "missing_own").format(reasons=text) + self._marker(flagged)

    def whole_area(self, county: str, parts: list[str], svc: str) -> str:
        """A county's whole-area figure lacking the return of ``parts`` (codes)."""
        found = [self._one(p, svc) for p in parts]
        reasons = "; ".join(t for t, _ in found)
        text = sentence("texts", "missing_whole_area").format(
            reasons=reasons, county=self.names.get(county, county)
        )
        return text + self._marker(any(f for _, f in found))


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
    figure (county council plus its districts), missing if any of them has no figure, with a
    ``note`` naming the council and year. England (E92000001) gets the sum of MHCLG's class
    totals (and per head over England's population) where the workbook has them; upper-tier
    councils also get their own total (``spend_total_council_*``: a county council alone).
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
    names = dict(zip(geo.places["code"], geo.places["name"].astype(str), strict=True))
    no_england = []
    noted: set[tuple[str, str]] = set()
    used_years: list[str] = []
    for period, o in sorted(by_period.items()):
        residents = _denominator(pop, period, "residents", out, noted)
        if (y := pop.year_for(period)) is not None:
            used_years.append(f"mid-{y} for {period}")
        eng_pop = england_population(residents, geo)
        wide = service_blocks(o)
        classes = wide[wide.index.str.len() == CLASS_CODE_LENGTH]
        wide = wide[(wide.index.str.len() != CLASS_CODE_LENGTH) & (wide.index != ENGLAND)]
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
        flags = {geo.current(c) or c: f for c, f in o.flags.items()}
        wide = wide[mapped.notna()]
        wide.index = mapped[mapped.notna()].to_numpy()
        wide = wide[~wide.index.duplicated()]
        svc_cols = list(COUNCIL_SERVICES)
        total = wide[svc_cols].sum(axis=1, min_count=len(svc_cols))
        total[wide[svc_cols].isna().any(axis=1)] = np.nan
        wide["total"] = total
        wide["total__status"] = np.where(total.isna(), "missing", "")
        england = england_spend(classes)
        if england is None:
            no_england.append(period)
        marker = o.marker_texts.get(MISSING_MARKER, "")
        why = _Reasons(period, wide, flags, marker, names, new_councils)
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
            notes = pd.Series("", index=codes, dtype=object)
            for c in codes:
                if pd.isna(vals[c]) and (c in wide.index or c not in new_councils):
                    notes[c] = why.own(c, svc)
            if tier == "both":
                for c in counties:  # whole-area figure: county council plus its districts
                    parts = [c, *districts_of.get(c, [])]
                    v = own.reindex(parts)
                    vals[c] = v.sum() if v.notna().all() else np.nan
                    if v.isna().any():
                        status[c] = "missing"
                        notes[c] = why.whole_area(c, [p for p in parts if pd.isna(v[p])], svc)
            absent = [c for c in codes if c not in wide.index]
            for c in absent:
                status[c] = "not_applicable" if c in new_councils else "missing"
            status[vals.isna() & (status == "")] = "missing"
            out.add(frame(codes, f"spend_{stem}_gbp", period, vals, status, notes))
            if england is not None:
                out.add(frame([ENGLAND], f"spend_{stem}_gbp", period, [england[svc]]))
            if not residents.empty:
                per = vals / residents.reindex(codes)
                out.add(frame(codes, f"spend_{stem}_per_head", period, per, status, notes))
                if england is not None and eng_pop:
                    eng = [england[svc] / eng_pop]
                    out.add(frame([ENGLAND], f"spend_{stem}_per_head", period, eng))
            if block.get("per_child"):
                kids = _denominator(pop, period, "children_0_17", out, noted)
                if not kids.empty:
                    per = vals / kids.reindex(codes)
                    out.add(frame(codes, f"spend_{stem}_per_child", period, per, status, notes))
                    eng_kids = england_population(kids, geo) if england is not None else 0.0
                    if england is not None and eng_kids:
                        eng = [england[svc] / eng_kids]
                        out.add(frame([ENGLAND], f"spend_{stem}_per_child", period, eng))
            if stem == "total":  # the council's own total (a county council without districts)
                ucodes = sorted(upper)
                own_v = own.reindex(ucodes)
                own_s = own_st.reindex(ucodes).fillna("")
                own_s[own_v.isna() & (own_s == "")] = "missing"
                own_n = notes.reindex(ucodes).where(~pd.Index(ucodes).isin(counties), "")
                for c in counties:
                    if pd.isna(own_v[c]):
                        own_n[c] = why.own(c, svc)
                out.add(frame(ucodes, "spend_total_council_gbp", period, own_v, own_s, own_n))
                if not residents.empty:
                    per = own_v / residents.reindex(ucodes)
                    out.add(
                        frame(ucodes, "spend_total_council_per_head", period, per, own_s, own_n)
                    )
        gaps = sorted(c for c in set(upper) | set(lower) if pd.isna(wide["total"].get(c, np.nan)))
        gaps = [c for c in gaps if c in wide.index or c not in new_councils]
        if gaps:
            out.note(
                "spend_gaps",
                period=period,
                count=len(gaps),
                names=", ".join(f"{names.get(c, c)} ({c})" for c in gaps),
            )
    if used_years:
        out.note("per_head", pairs=", ".join(used_years))
    out.note("spend_england", missing=", ".join(no_england) or "none")
    out.note("spend_method")
    out.note("reorganised", codes=", ".join(sorted(new_councils & (upper | lower))))
    return sorted(by_period), out.result()


def spend_detail_step(files: Files, geo: geo_mod.Geography, pop: Population) -> StepResult:
    """RO3 detail per head for upper-tier councils: each indicator sums its RO3 lines (£) and
    divides by the matching year's population (or the age group its ``denominator`` names); an
    indicator whose lines are not all in a file is skipped.
    England gets the same sum over MHCLG's class totals of councils, per head of England."""
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
            classes = data[data["code"].isin(COUNCIL_CLASSES)]
            data = data[data["code"].str.len() != CLASS_CODE_LENGTH]
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
                # England: MHCLG's class totals of councils over England's population (group)
                eng = classes[classes["line"].isin(lines)]
                eng_pop = england_population(den, geo)
                whole = set(eng["code"]) == set(COUNCIL_CLASSES) and eng["value_gbp"].notna().all()
                if whole and eng_pop:
                    per = float(eng["value_gbp"].sum()) / eng_pop
                    out.add(frame([ENGLAND], ind, o.period, [per]))
    return out.result()
