"""Builder steps for need and outcome indicators: deprivation (MHCLG IoD2025 and IoD2019), ONS
Explore Local Statistics, DfE Explore Education Statistics, and Oflog, OHID and Ofsted.

What each file yields (columns, filters, periods) is the ``yields`` table of its source in
data/catalogue/england_sources.yaml; the readers are in :mod:`dashboard.sources.indicators`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.bundle import BundleError
from dashboard.sources import geography as geo_mod
from dashboard.sources import indicators as ind_mod
from dashboard.sources.registry import SOURCE_BY_ID, Source
from dashboard.sources.step import Files, StepOutput, StepResult, first, on_places
from dashboard.sources.tables import field_of, step_sources, yields


def deprivation_step(files: Files, geo: geo_mod.Geography, pop: pd.Series) -> StepResult:
    """IoD2025 average scores (counties: population-weighted means of their districts) and
    IoD2019 IDACI and IDAOPI average scores."""
    out = StepOutput()
    iod2025, *iod2019 = step_sources("deprivation")
    path = first(files, iod2025)
    if path is not None:
        items = yields(iod2025, "indicator", "column", "period")
        cols = {y["column"]: y["indicator"] for y in items}
        df, probs = ind_mod.read_iod2025(path, cols)
        out.problems += probs
        out.use(files, iod2025)
        df = df.assign(code=geo.map_codes(df["code"])).dropna(subset=["code"])
        out.add(on_places(df))
        if not pop.empty:  # counties: population-weighted mean of their districts
            rows = []
            period = str(items[0]["period"])
            for county in (c for c in geo.upper_codes if c.startswith("E10")):
                ds = [d for d, c in geo.county_of.items() if c == county]
                w = pop.reindex(ds)
                for ind, g in df[df["code"].isin(ds)].groupby("indicator_id"):
                    v = g.set_index("code")["value"].reindex(ds)
                    ok = v.notna().all() and w.notna().all()
                    rows.append(
                        (
                            county,
                            ind,
                            period,
                            float((v * w).sum() / w.sum()) if ok else np.nan,
                            "" if ok else "missing",
                        )
                    )
            agg = pd.DataFrame(rows, columns=["code", "indicator_id", "period", "value", "status"])
            out.add(on_places(agg.assign(lower_ci=np.nan, upper_ci=np.nan)))
            out.note("iod_counties")
    for sid in iod2019:
        p = first(files, sid)
        if p is None:
            continue
        out.use(files, sid)
        for item in yields(sid, "indicator", "sheet"):
            try:
                df, probs = ind_mod.read_iod2019_sheet(p, item["sheet"], item["indicator"])
            except BundleError as exc:
                out.log.append(f"skipped {exc}")
                continue
            out.problems += probs
            out.add_raw(df, geo, p.name)
    return out.result()


def local_statistics_step(files: Files, geo: geo_mod.Geography) -> StepResult:
    """ONS Explore Local Statistics files, one per indicator group; a file not found is listed
    as missing (with the ONS as publisher)."""
    out = StepOutput()
    for sid in step_sources("local_statistics"):
        src = SOURCE_BY_ID[sid]
        specs: dict[str, list[ind_mod.ElsSpec]] = {}
        for item in yields(sid, "file", "indicator", "names"):
            name = item["file"]
            specs.setdefault(name, []).append(
                ind_mod.ElsSpec(name, item["indicator"], tuple(item["names"]))
            )
        found = {p.name: p for p in files.get(sid, [])}
        for name, sp in specs.items():
            path = found.get(name)
            if path is None:
                title = str(field_of(sid, "missing_title")).format(file=name)
                out.missing.append(
                    Source(f"{sid}:{name}", src.publisher, title, src.url, src.licence, (name,))
                )
                continue
            try:
                df, probs, meta = ind_mod.read_els(path, sp)
            except BundleError as exc:
                out.log.append(f"skipped {exc}")
                continue
            out.els_meta[name] = meta
            out.used_file(sid, name)
            out.problems += probs
            out.add_raw(df, geo, name)
    return out.result()


def education_statistics_step(files: Files, geo: geo_mod.Geography) -> StepResult:
    """DfE measures: one column per indicator (with filters on other columns), the children in
    need rate (table B1 over the population DfE publishes with the looked-after rates) and NEET
    16-17 from every yearly file."""
    out = StepOutput()
    *tables, cin, neet = step_sources("education_statistics")
    for sid in tables:
        path = first(files, sid)
        if path is None:
            continue
        for item in yields(sid, "indicator", "column"):
            ind = item["indicator"]
            try:
                df, probs = ind_mod.read_dfe(path, ind, item["column"], item.get("filters"))
            except BundleError as exc:
                out.log.append(f"skipped {ind}: {exc}")
                continue
            out.use(files, sid)
            out.problems += probs
            out.add_raw(df, geo, path.name)
    rate = yields(cin, "indicator", "denominator")[0]
    ind = rate["indicator"]
    b1, cla = first(files, cin), first(files, rate["denominator"]["source"])
    if b1 is not None and cla is not None:
        try:
            df, probs = ind_mod.read_cin_rate(b1, cla)
            out.use(files, cin)
            out.problems += probs
            out.add_raw(df, geo, b1.name)
        except BundleError as exc:
            out.log.append(f"skipped {ind}: {exc}")
    item = yields(neet, "indicator", "column")[0]
    for path in files.get(neet, []):
        try:
            df, probs = ind_mod.read_dfe(path, item["indicator"], item["column"])
        except BundleError as exc:
            out.log.append(f"skipped {exc}")
            continue
        out.used_file(neet, path.name)
        out.problems += probs
        out.add_raw(df, geo, path.name)
    if files.get(neet):
        out.note("neet_merged")
    return out.result()


def other_publishers_step(files: Files, geo: geo_mod.Geography) -> StepResult:
    """Oflog adult social care metrics, OHID Fingertips child injury admissions and Ofsted
    ILACS grades."""
    out = StepOutput()
    oflog, ohid, ofsted = step_sources("other_publishers")
    if (p := first(files, oflog)) is not None:
        items = yields(oflog, "indicator", "code")
        codes = {y["code"]: y["indicator"] for y in items}
        zero_missing = {y["indicator"] for y in items if y.get("zero_is_missing")}
        try:
            df, probs = ind_mod.read_oflog(p, codes)
            # a score published as 0 where no survey result exists: a true score is never
            # exactly 0, so these are missing, not zero (ASC2, adjusted quality of life gain)
            zero = df["indicator_id"].isin(zero_missing) & (df["value"] == 0)
            df.loc[zero, ["value", "status"]] = [np.nan, "missing"]
            if zero.any():
                out.note("oflog_zeros", count=int(zero.sum()))
            out.use(files, oflog)
            out.problems += probs
            out.add_raw(df, geo, p.name)
            out.note("oflog_reorganisation")
        except BundleError as exc:
            out.log.append(f"skipped {exc}")
    if (p := first(files, ohid)) is not None:
        try:
            df, probs = ind_mod.read_fingertips(p, yields(ohid, "indicator")[0]["indicator"])
            out.use(files, ohid)
            out.problems += probs
            out.add_raw(df, geo, p.name)
            out.note("ohid_estimated")
        except BundleError as exc:
            out.log.append(f"skipped {exc}")
    if (p := first(files, ofsted)) is not None:
        items = yields(ofsted, "indicator", "column", "period")
        cols = {y["column"]: y["indicator"] for y in items}
        try:
            df, probs = ind_mod.read_ofsted(
                p, cols, str(items[0]["period"]), str(field_of(ofsted, "date_column"))
            )
            out.use(files, ofsted)
            out.problems += probs
            out.add_raw(df, geo, p.name)
        except BundleError as exc:
            out.log.append(f"skipped {exc}")
    return out.result()
