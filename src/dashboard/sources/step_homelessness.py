"""Builder step for MHCLG H-CLIC homelessness: the quarterly detailed local authority tables
summed into financial years, as shares and rates for districts, single-tier councils and (from
their districts' summed counts) counties. Reader: :mod:`dashboard.sources.homelessness`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.bundle import BundleError
from dashboard.bundle.schema import ENGLAND_CODE
from dashboard.sources import geography as geo_mod
from dashboard.sources import homelessness as hclic
from dashboard.sources.step import Files, StepOutput, StepResult, frame
from dashboard.sources.tables import field_of, step_sources, yields

#: Places named in the data note on missing quarters before it says "and N more".
NAMED = 8


def _reasons(year: hclic.Year, geo: geo_mod.Geography, names: pd.Series) -> dict[str, str]:
    """Place code -> why its value for ``year`` is missing: the council (or, for a county, the
    district) that sent no data, and the quarters."""
    out: dict[str, str] = {}
    mapped = geo.map_codes(pd.Series(list(year.gaps))).tolist()
    for raw, code in zip(year.gaps, mapped, strict=True):
        if not isinstance(code, str):
            continue
        qs = ", ".join(f"Q{q}" for q in year.gaps[raw])
        text = f"no H-CLIC data for {year.period} {qs} from {names.get(code, code)} ({code})"
        out[code] = text
        county = geo.county_of.get(code)
        if county:
            out[county] = out.get(county, "") + ("; " if county in out else "") + text
    return out


def homelessness_step(files: Files, geo: geo_mod.Geography) -> StepResult:
    """Households owed a prevention or relief duty per 1,000 households and the shares of
    prevention and relief duties ended with accommodation secured, per financial year."""
    out = StepOutput()
    (sid,) = step_sources("homelessness")
    paths = files.get(sid, [])
    if not paths:
        return out.result()
    counts = [dict(c) for c in field_of(sid, "counts")]
    quarters = []
    for path in paths:
        try:
            q, probs = hclic.read_hclic_quarter(path, counts)
        except BundleError as exc:
            out.log.append(f"skipped {exc}")
            continue
        out.used_file(sid, path.name)
        out.problems += probs
        quarters.append(q)
    names = geo.places.set_index("code")["name"]
    for year in hclic.sum_years(quarters):
        if len(set(year.quarters)) < 4:
            out.log.append(
                f"H-CLIC {year.period}: only quarters {year.quarters} found; year left out"
            )
            continue
        lower = year.counts.copy()
        lower.index = geo.map_codes(pd.Series(lower.index)).to_numpy()
        lower = lower[lower.index.notna()]
        lower = lower[~lower.index.duplicated() & (lower.index != ENGLAND_CODE)]
        upper = hclic.to_counties(lower, geo.county_of)
        # England's published row (MHCLG's own total), not a sum of the councils shown
        england = year.counts[year.counts.index == ENGLAND_CODE]
        both = pd.concat([lower, upper, england])
        why = _reasons(year, geo, names)
        for item in yields(sid, "indicator", "numerator", "denominator", "scale"):
            v = hclic.ratio(both, item["numerator"], item["denominator"], float(item["scale"]))
            df = frame(both.index, item["indicator"], year.period, v)
            # why a value is missing (kept where the bundle has a ``note`` column)
            df["note"] = [
                why.get(c, "") if np.isnan(x) else ""
                for c, x in zip(df["place_code"], df["value"], strict=True)
            ]
            out.add(df)
        if year.gaps:
            gone = [names.get(c, c) for c in geo.map_codes(pd.Series(list(year.gaps))).dropna()]
            more = f" and {len(gone) - NAMED} more" if len(gone) > NAMED else ""
            out.note(
                "hclic_missing",
                period=year.period,
                count=len(gone),
                examples=", ".join(gone[:NAMED]) + more,
            )
    if quarters:
        out.note("hclic_counties")
    return out.result()
