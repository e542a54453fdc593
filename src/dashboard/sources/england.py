"""Build the England data bundle from the official files (``python -m dashboard build-england``).

Steps: places and geometry (ONS boundaries and lookup, Open Innovations hex layouts), population
(ONS mid-year estimates), spend (MHCLG revenue outturn, £ thousand -> £ and £ per head), need
(IoD, ONS), outcomes (ONS, DfE, Oflog, OHID, Ofsted). A missing optional file drops what it
feeds and is listed in the report with the publisher to get it from.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.bundle import Bundle, BundleError, write_bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.io import compute_coverage, indicators_frame
from dashboard.bundle.schema import KIND_LEVELS
from dashboard.sources import catalogue_england as cat
from dashboard.sources import geography as geo_mod
from dashboard.sources import indicators as ind_mod
from dashboard.sources.finance import COUNCIL_SERVICES, norm, read_outturn, service_blocks
from dashboard.sources.parsing import Problem
from dashboard.sources.population import age_bands, read_mye
from dashboard.sources.registry import SOURCE_BY_ID, SOURCES, Source, _listing, find_files

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2024. "
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Hex layouts © Open Innovations (MIT licence)."
)
VALUE_COLUMNS = ["place_code", "indicator_id", "period", "value", "lower_ci", "upper_ci", "status"]


@dataclass
class _State:
    raw: Path
    files: dict[str, list[Path]] = field(default_factory=dict)
    missing: list[Source] = field(default_factory=list)
    parts: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    els_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)

    def file(self, sid: str) -> Path | None:
        hits = self.files.get(sid) or []
        return hits[0] if hits else None


def build_england(raw_dir: Path, out_dir: Path) -> str:
    """Build the England bundle from the official files in ``raw_dir`` into ``out_dir``.

    Returns a printable report: files used and missing (with publishers), data notes, problems
    found in the files, and coverage per indicator. Raises :class:`BundleError` only when a
    required file (boundaries, tier lookup) is missing or malformed.
    """
    t0 = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    _listing.cache_clear()
    st = _State(raw_dir)
    for src in SOURCES:
        hits = find_files(raw_dir, src)
        st.files[src.id] = hits
        if not hits:
            st.missing.append(src)
    req = [s for s in st.missing if s.required]
    if req:
        raise BundleError(
            str(raw_dir),
            "required files are missing: "
            + "; ".join(f"{s.title} ({s.publisher}, {s.url})" for s in req),
        )

    geo, geo_files, lad, cty = _geography(st)
    pop_all, pop_bands, mye_year = _population(st, geo)
    periods = _spend(st, geo, pop_all, mye_year)
    _ro3(st, geo, pop_all)
    _deprivation(st, geo, pop_all)
    _els(st)
    _dfe(st)
    _others(st)
    _density_fallback(st, geo, pop_all, lad, cty, mye_year)

    values = _assemble(st, geo)
    indicators, ind_levels = _indicators(st, values)
    values = values[values["indicator_id"].isin(set(indicators["id"]))]
    # keep only values for places compared at one of the indicator's levels
    kinds = values["place_code"].map(geo.places.set_index("code")["kind"])
    ok = [
        bool(set(KIND_LEVELS[k]) & set(ind_levels[i]))
        for k, i in zip(kinds, values["indicator_id"], strict=True)
    ]
    values = values[np.asarray(ok, dtype=bool)].reset_index(drop=True)

    meta = _meta(st, geo, periods, mye_year)
    bundle = Bundle(
        meta=meta,
        places=geo.places,
        indicators=indicators,
        values=values,
        geo=geo_files,
        population=pop_bands,
    )
    write_bundle(bundle, out_dir)
    return _report(st, bundle, out_dir, time.perf_counter() - t0)


# --- geography ----------------------------------------------------------------------------------
def _geography(st: _State) -> tuple[geo_mod.Geography, dict[str, Any], pd.DataFrame, pd.DataFrame]:
    lad_path, cty_path = st.file("lad_boundaries"), st.file("ctyua_boundaries")
    assert lad_path is not None and cty_path is not None
    lad = geo_mod.boundary_frame(geo_mod.read_geojson(lad_path), lad_path.name)
    cty = geo_mod.boundary_frame(geo_mod.read_geojson(cty_path), cty_path.name)
    hex_lad = geo_mod.read_hexjson(p) if (p := st.file("hex_lad")) else None
    hex_utla = geo_mod.read_hexjson(p) if (p := st.file("hex_utla")) else None
    lookup = st.file("ltla_utla_lookup")
    assert lookup is not None
    geo = geo_mod.build_geography(
        lad,
        cty,
        lookup,
        geo_metadata=st.file("geo_metadata"),
        la_structure=st.file("la_structure"),
        lad_hexjson=hex_lad,
        mysociety=st.file("mysociety"),
    )
    for sid in (
        "lad_boundaries",
        "ctyua_boundaries",
        "ltla_utla_lookup",
        "geo_metadata",
        "la_structure",
        "mysociety",
        "hex_lad",
        "hex_utla",
    ):
        _use(st, sid)
    names = dict(zip(geo.places["code"], geo.places["name"], strict=True))
    files = {
        "lower.geojson": geo_mod.simplified_geojson(lad, geo.lower_codes, tolerance=0.004),
        "upper.geojson": geo_mod.simplified_geojson(cty, geo.upper_codes, tolerance=0.004),
    }
    lower_hex, n1 = geo_mod.hex_layout(
        geo.lower_codes,
        names,
        hex_lad,
        successors=geo.successors,
        recode=geo.recode,
        centroids=geo_mod.centroid_lonlat(lad),
    )
    upper_hex, n2 = geo_mod.hex_layout(
        geo.upper_codes,
        names,
        hex_utla,
        successors=geo.successors,
        recode=geo.recode,
        centroids=geo_mod.centroid_lonlat(cty),
    )
    files["lower.hexjson"], files["upper.hexjson"] = lower_hex, upper_hex
    if n2:
        st.notes.append(
            "Upper-tier hex layout: the published layout has the 2019-20 councils; "
            + "; ".join(n2)
            + ". Every current upper-tier council has its own hex."
        )
    if n1:
        st.notes.append("Lower-tier hex layout patched: " + "; ".join(n1))
    if geo.recode:
        st.notes.append(
            "Codes of unchanged areas issued under another vintage are mapped to the current code: "
            + ", ".join(f"{a}→{b}" for a, b in sorted(geo.recode.items()))
            + " (e.g. Barnsley and Sheffield were recoded in 2025)."
        )
    return geo, files, lad, cty


# --- population ---------------------------------------------------------------------------------
def _population(st: _State, geo: geo_mod.Geography) -> tuple[pd.Series, pd.DataFrame | None, int]:
    path = st.file("mye")
    if path is None:
        st.notes.append(
            "No ONS mid-year population file: per head figures, age structure and population are missing."
        )
        return pd.Series(dtype=float), None, 0
    _use(st, "mye")
    ages, area, year, probs = read_mye(path)
    st.problems += probs
    ages = ages[ages.index.isin(geo.codes)]
    bands = age_bands(ages)
    total = ages.sum(axis=1, min_count=1)
    pop = (
        bands.rename_axis("place_code")
        .reset_index()
        .melt(id_vars="place_code", var_name="age_band", value_name="persons")
        .assign(year=year)[["place_code", "year", "age_band", "persons"]]
    )
    period = str(year)
    kids = ages[[a for a in ages.columns if a <= 17]].sum(axis=1)
    old = ages[[a for a in ages.columns if a >= 65]].sum(axis=1)
    oldest = ages[[a for a in ages.columns if a >= 85]].sum(axis=1)
    for ind, num in (
        ("pct_aged_0_17", kids),
        ("pct_aged_65_plus", old),
        ("pct_aged_85_plus", oldest),
    ):
        _add(st, _frame(num.index, ind, period, num / total * 100))
    _add(st, _frame(total.index, "population", period, total))
    area = area[area.index.isin(geo.codes)]
    if not area.empty:
        dens = total.reindex(area.index) / area["area_sq_km"]
        _add(st, _frame(dens.index, "density_per_sq_km", period, dens))
    st.notes.append(cat.POP_NOTE.format(year=year) + " Counties use the whole county population.")
    return total, pop, year


def _density_fallback(st: _State, geo, pop_all, lad, cty, year) -> None:
    have = any((p["indicator_id"] == "density_per_sq_km").any() for p in st.parts)
    if have or pop_all.empty:
        return
    area = geo_mod.land_area_sq_km(pd.concat([cty[cty["code"].str.startswith("E10")], lad]))
    dens = pop_all / pd.Series(area).reindex(pop_all.index)
    _add(st, _frame(dens.index, "density_per_sq_km", str(year), dens))
    st.notes.append(
        "Density uses the area of the generalised boundary shapes (MYE5 land areas not found)."
    )


# --- spend ----------------------------------------------------------------------------------------
def _spend(st: _State, geo: geo_mod.Geography, pop: pd.Series, mye_year: int) -> list[str]:
    outturns = []
    for sid in ("rsx", "rs"):
        for path in st.files.get(sid, []):
            try:
                out = read_outturn(path)
            except BundleError as exc:
                st.log.append(f"skipped {path.name}: {exc}")
                continue
            outturns.append(out)
            st.problems += out.problems
            st.used.setdefault(sid, []).append(path.name)
    if not outturns:
        st.notes.append("No revenue outturn files: spend indicators are missing.")
        return ["2024-25"]
    by_period = {}
    for out in outturns:  # RSX wins over RS for the same year
        by_period.setdefault(out.period, out)
    new_councils = {s for succ in geo.successors.values() for s in succ}
    upper, lower = set(geo.upper_codes), set(geo.lower_codes)
    counties = sorted(c for c in upper if c.startswith("E10"))
    districts_of: dict[str, list[str]] = {}
    for d, c in geo.county_of.items():
        districts_of.setdefault(c, []).append(d)
    for period, out in sorted(by_period.items()):
        wide = service_blocks(out)
        mapped = geo.map_codes(pd.Series(wide.index, index=wide.index))
        gone = sorted(wide.index[mapped.isna()])
        st.dropped[f"{out.file} (former councils)"] += len(gone)
        if gone:
            st.notes.append(
                f"{period} spend: {len(gone)} councils in the file no longer exist and were merged or "
                f"split (e.g. {', '.join(gone[:6])}); their figures are not carried over to the "
                "successor councils, which have no spend figure for that year."
            )
        wide = wide[mapped.notna()]
        wide.index = mapped[mapped.notna()].to_numpy()
        wide = wide[~wide.index.duplicated()]
        svc_cols = list(COUNCIL_SERVICES)
        total = wide[svc_cols].sum(axis=1, min_count=len(svc_cols))
        total[wide[svc_cols].isna().any(axis=1)] = np.nan
        wide["total"] = total
        wide["total__status"] = np.where(total.isna(), "missing", "")
        for stem, svc in cat.SPEND_IDS.items():
            own = wide[svc]
            own_st = (
                wide[f"{svc}__status"]
                if f"{svc}__status" in wide
                else pd.Series("", index=wide.index)
            )
            if svc in cat.UPPER_ONLY_SERVICES:
                codes = sorted(upper)
            elif svc in cat.LOWER_ONLY_SERVICES:
                codes = sorted(lower)
            else:
                codes = sorted(upper | lower)
            vals = own.reindex(codes)
            status = own_st.reindex(codes).fillna("")
            if svc not in cat.UPPER_ONLY_SERVICES and svc not in cat.LOWER_ONLY_SERVICES:
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
            _add(st, _frame(codes, f"spend_{stem}_gbp", period, vals, status))
            if not pop.empty:
                per = vals / pop.reindex(codes)
                _add(st, _frame(codes, f"spend_{stem}_per_head", period, per, status))
    reorganised = sorted(new_councils & (upper | lower))
    st.notes.append(
        "Spend is net current expenditure (revenue outturn, £ thousand × 1,000 = £) by RSX service "
        "block; police, fire and rescue, the GLA, combined authorities and other bodies are left out, "
        "and the total is the sum of the eleven council service blocks. Upper-tier services (adult "
        "and children's social care, education, public health, highways and transport) are shown "
        "for upper-tier councils; housing (general fund) for lower-tier councils. For services split "
        "between tiers (culture, environment, planning, central, other) and the total, a county "
        "shows the whole-area figure (county council plus its districts) so that it compares like "
        "for like with a unitary; a district shows its own spend. If any of those councils did not "
        "submit a return, the county figure is left missing."
    )
    st.notes.append(
        "Councils created by reorganisation (" + ", ".join(reorganised) + ") have no figures for "
        "years before they existed: the predecessor councils' figures are not apportioned."
    )
    return sorted(by_period)


def _ro3(st: _State, geo: geo_mod.Geography, pop: pd.Series) -> None:
    for path in st.files.get("ro3", []):
        try:
            out = read_outturn(path)
        except BundleError as exc:
            st.log.append(f"skipped {path.name}: {exc}")
            continue
        st.problems += out.problems
        st.used.setdefault("ro3", []).append(path.name)
        data = out.data.assign(line=out.data["line"].map(norm))
        data = data.assign(code=geo.map_codes(data["code"]))
        data = data[data["code"].isin(set(geo.upper_codes))]
        for ind, lines in cat.RO3_LINES.items():
            sub = data[data["line"].isin(lines)]
            found = set(sub["line"])
            if found != set(lines):
                st.log.append(
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
            if pop.empty:
                continue
            _add(st, _frame(val.index, ind, out.period, val / pop.reindex(val.index), status))


# --- need ---------------------------------------------------------------------------------------
def _deprivation(st: _State, geo: geo_mod.Geography, pop: pd.Series) -> None:
    path = st.file("iod2025")
    if path is not None:
        cols = {
            "imd_average_score": "imd_score",
            "income_average_score": "iod_income_score",
            "employment_average_score": "iod_employment_score",
            "health_deprivation_and_disability_average_score": "iod_health_score",
            "education_skills_and_training_average_score": "iod_education_score",
        }
        df, probs = ind_mod.read_iod2025(path, cols)
        st.problems += probs
        _use(st, "iod2025")
        df = df.assign(code=geo.map_codes(df["code"])).dropna(subset=["code"])
        _add(st, _rename(df))
        if not pop.empty:  # counties: population-weighted mean of their districts
            rows = []
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
                            "2025",
                            float((v * w).sum() / w.sum()) if ok else np.nan,
                            "" if ok else "missing",
                        )
                    )
            agg = pd.DataFrame(rows, columns=["code", "indicator_id", "period", "value", "status"])
            _add(st, _rename(agg.assign(lower_ci=np.nan, upper_ci=np.nan)))
            st.notes.append(
                "IoD2025 scores for counties are population-weighted means of their districts' "
                "published average scores (weights: ONS mid-year population); unitary, metropolitan "
                "and London councils use their own published scores."
            )
    for sid in ("iod2019_upper", "iod2019_lower"):
        p = st.file(sid)
        if p is None:
            continue
        _use(st, sid)
        for sheet, ind in (("IDACI", "idaci_score"), ("IDAOPI", "idaopi_score")):
            try:
                df, probs = ind_mod.read_iod2019_sheet(p, sheet, ind)
            except BundleError as exc:
                st.log.append(f"skipped {exc}")
                continue
            st.problems += probs
            _add_raw(st, df, geo, p.name)


def _els(st: _State) -> None:
    specs = {
        "claimant-count.csv": [("claimant_count_pct", ("Claimant Count",))],
        "children-in-relative-poverty.csv": [
            ("child_poverty_pct", ("Children in relative poverty before housing costs",)),
            ("child_poverty_ahc_pct", ("Children in relative poverty after housing costs",)),
        ],
        "gross-disposable-household-income-per-head.csv": [
            ("gdhi_per_head", ("Gross disposable household income",))
        ],
        "gross-median-weekly-pay.csv": [("median_weekly_pay", ("Gross median weekly pay",))],
        "healthy-life-expectancy.csv": [
            (
                "healthy_life_expectancy_years",
                ("Male healthy life expectancy", "Female healthy life expectancy"),
            ),
            ("hle_male_years", ("Male healthy life expectancy",)),
            ("hle_female_years", ("Female healthy life expectancy",)),
        ],
        "adult-obesity-prevalence.csv": [("adult_obesity_pct", ("Adult obesity prevalence",))],
        "cigarette-smokers.csv": [("smoking_pct", ("Cigarette smokers",))],
        "preventable-cardiovascular-mortality-england.csv": [
            (
                "preventable_cvd_mortality_per_100k",
                ("Preventable cardiovascular mortality (England)",),
            )
        ],
        "employment-rate.csv": [
            ("employment_rate_pct", ("Employment rate",)),
            ("economic_inactivity_pct", ("Economically inactive",)),
        ],
        "housing-affordability-ratio.csv": [
            ("housing_affordability_ratio", ("Housing affordability ratio (residence-based)",))
        ],
        "gcses-in-english-and-maths.csv": [("gcse_eng_maths_pct", ("GCSEs in English and Maths",))],
        "pupils-at-expected-standards-by-end-of-primary-school.csv": [
            (
                "ks2_expected_pct",
                ("Pupils meeting the expected standard in reading, writing and maths",),
            )
        ],
        "early-years.csv": [
            ("eyfs_communication_pct", ("Communication and language",)),
            ("eyfs_literacy_pct", ("Literacy",)),
            ("eyfs_maths_pct", ("Mathematics",)),
        ],
        "persistent-absences-for-all-pupils.csv": [
            ("persistent_absence_pct", ("Persistent absences for all pupils",))
        ],
        "persistent-absences-for-pupils-looked-after-by-local-authorities.csv": [
            (
                "persistent_absence_cla_pct",
                ("Persistent absences for pupils looked after by local authorities",),
            )
        ],
    }
    found = {p.name: p for p in st.files.get("els", [])}
    for name, sp in specs.items():
        path = found.get(name)
        if path is None:
            st.missing.append(
                Source(
                    f"els:{name}",
                    "Office for National Statistics",
                    f"Explore Local Statistics indicator file '{name}'",
                    "https://www.ons.gov.uk/explore-local-statistics/",
                    "Open Government Licence v3.0",
                    (name,),
                )
            )
            continue
        try:
            df, probs, meta = ind_mod.read_els(path, [ind_mod.ElsSpec(name, i, n) for i, n in sp])
        except BundleError as exc:
            st.log.append(f"skipped {exc}")
            continue
        st.els_meta[name] = meta
        st.used.setdefault("els", []).append(name)
        st.problems += probs
        st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=name))


def _dfe(st: _State) -> None:
    jobs = [
        (
            "dfe_cla",
            "cla_rate_per_10k",
            "rate_per_10000",
            {"population_type": "Children looked after on 31 March each year"},
        ),
        ("dfe_referrals", "cin_rereferral_pct", "rereferral_percent", None),
        ("dfe_csww", "social_worker_turnover_pct", "turnover_rate_fte", None),
        ("dfe_csww", "social_worker_agency_pct", "agency_rate_fte", None),
        ("dfe_csww", "social_worker_vacancy_pct", "vacancy_rate_fte", None),
        (
            "dfe_care_leavers",
            "care_leavers_eet_pct",
            "care_leaver_percent",
            {
                "care_leaver_age": "19 to 21 years",
                "breakdown": "Total in education, employment or training",
            },
        ),
        (
            "dfe_cla_stability",
            "cla_3plus_placements_pct",
            "children_percent",
            {
                "cla_group": "CLA on 31 March",
                "placement_stability": "With 3 or more placements during the year",
            },
        ),
        (
            "dfe_cla_stability",
            "cla_stable_placement_pct",
            "children_percent",
            {
                "cla_group": "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
                "placement_stability": "Living with the same carer for at least 2 years",
            },
        ),
    ]
    for sid, ind, col, filt in jobs:
        path = st.file(sid)
        if path is None:
            continue
        try:
            df, probs = ind_mod.read_dfe(path, ind, col, filt)
        except BundleError as exc:
            st.log.append(f"skipped {ind}: {exc}")
            continue
        _use(st, sid)
        st.problems += probs
        st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=path.name))
    b1, cla = st.file("dfe_cin"), st.file("dfe_cla")
    if b1 is not None and cla is not None:
        try:
            df, probs = ind_mod.read_cin_rate(b1, cla)
            _use(st, "dfe_cin")
            st.problems += probs
            st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=b1.name))
        except BundleError as exc:
            st.log.append(f"skipped cin_rate_per_10k: {exc}")
    for path in st.files.get("dfe_neet", []):
        try:
            df, probs = ind_mod.read_dfe(path, "neet_16_17_pct", "NEET_not_known_percent")
        except BundleError as exc:
            st.log.append(f"skipped {exc}")
            continue
        st.used.setdefault("dfe_neet", []).append(path.name)
        st.problems += probs
        st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=path.name))
    if st.files.get("dfe_neet"):
        st.notes.append(
            "NEET 16-17: DfE counts the Isles of Scilly in Cornwall and the City of London in "
            "Hackney, so those two have no value and Cornwall's and Hackney's include them."
        )


def _others(st: _State) -> None:
    if (p := st.file("oflog_asc")) is not None:
        codes = {
            "ASC1": "asc_carer_qol",
            "ASC2": "asc_user_qol",
            "ASC3": "asc_easy_info_pct",
            "ASC4": "asc_carer_easy_info_pct",
            "ASC5": "asc_short_term_outcome_pct",
            "ASC6": "asc_requests_service_per_100k",
            "ASC7": "asc_workforce_turnover_pct",
        }
        try:
            df, probs = ind_mod.read_oflog(p, codes)
            # ASC2 (adjusted quality of life gain) is published as 0 where no survey result
            # exists: a true score is never exactly 0, so these are missing, not zero.
            zero = (df["indicator_id"] == "asc_user_qol") & (df["value"] == 0)
            df.loc[zero, ["value", "status"]] = [np.nan, "missing"]
            if zero.any():
                st.notes.append(
                    f"Oflog ASC2: {int(zero.sum())} published zeros are treated as missing "
                    "(no survey result), not as a score of zero."
                )
            _use(st, "oflog_asc")
            st.problems += probs
            st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=p.name))
            st.notes.append(
                "Oflog adult social care metrics end in 2022-23, before the 2023 reorganisation: "
                "Cumberland, Westmorland and Furness, North Yorkshire and Somerset have no values "
                "(their predecessor county figures are not copied)."
            )
        except BundleError as exc:
            st.log.append(f"skipped {exc}")
    if (p := st.file("ohid_injuries")) is not None:
        try:
            df, probs = ind_mod.read_fingertips(p, "child_injury_admissions_per_10k")
            _use(st, "ohid_injuries")
            st.problems += probs
            st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=p.name))
            st.notes.append(
                "Child injury admissions (OHID): where Fingertips itself applied a predecessor "
                "county's value to a new unitary, or combined Cornwall with the Isles of Scilly and "
                "Hackney with the City of London, the value has status 'estimated'."
            )
        except BundleError as exc:
            st.log.append(f"skipped {exc}")
    if (p := st.file("ofsted_ilacs")) is not None:
        cols = {
            "Overall effectiveness": "ofsted_ilacs_grade",
            "The impact of leaders": "ofsted_ilacs_leaders_grade",
            "The experiences and progress of children who need help": "ofsted_ilacs_help_protection_grade",
            "The experiences and progress of children in care": "ofsted_ilacs_in_care_grade",
            "The experiences and progress of care leavers": "ofsted_ilacs_care_leavers_grade",
        }
        try:
            df, probs = ind_mod.read_ofsted(p, cols, "2025")
            _use(st, "ofsted_ilacs")
            st.problems += probs
            st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=p.name))
        except BundleError as exc:
            st.log.append(f"skipped {exc}")


# --- assembly -----------------------------------------------------------------------------------
def _frame(codes: Any, ind: str, period: str, values: Any, status: Any = None) -> pd.DataFrame:
    codes = list(codes)
    if isinstance(values, pd.Series):
        values = values.reindex(codes)
    vals = np.asarray(values, dtype=float)
    if status is None:
        status = np.where(np.isnan(vals), "missing", "")
    elif isinstance(status, pd.Series):
        status = status.reindex(codes).fillna("").to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "place_code": codes,
            "indicator_id": ind,
            "period": period,
            "value": vals,
            "lower_ci": np.nan,
            "upper_ci": np.nan,
            "status": np.asarray(status, dtype=object),
        }
    )


def _rename(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"code": "place_code"})[VALUE_COLUMNS]


def _add(st: _State, df: pd.DataFrame) -> None:
    st.parts.append(df[VALUE_COLUMNS])


def _add_raw(st: _State, df: pd.DataFrame, geo: geo_mod.Geography, file: str) -> None:
    st.parts.append(df.rename(columns={"code": "raw_code"}).assign(_file=file))


def _use(st: _State, sid: str) -> None:
    for p in st.files.get(sid, []):
        names = st.used.setdefault(sid, [])
        if p.name not in names:
            names.append(p.name)


def _assemble(st: _State, geo: geo_mod.Geography) -> pd.DataFrame:
    frames = []
    for part in st.parts:
        if "raw_code" in part.columns:
            mapped = geo.map_codes(part["raw_code"])
            gone = part.loc[mapped.isna(), "raw_code"].nunique()
            if gone:
                st.dropped[f"{part['_file'].iloc[0]}"] += gone
            part = part.assign(place_code=mapped)[mapped.notna()]
        frames.append(part[VALUE_COLUMNS])
    values = pd.concat(frames, ignore_index=True)
    values["status"] = values["status"].fillna("").astype(str)
    values.loc[
        values["value"].notna()
        & values["status"].isin(["missing", "suppressed", "not_applicable"]),
        "status",
    ] = ""
    values.loc[values["value"].isna() & (values["status"] == ""), "status"] = "missing"
    # an observed value beats a missing one when two codes map onto the same place
    values["_has"] = values["value"].notna()
    values = values.sort_values("_has", ascending=False, kind="stable")
    values = values.drop_duplicates(["place_code", "indicator_id", "period"]).drop(columns="_has")
    return values.sort_values(["indicator_id", "place_code", "period"]).reset_index(drop=True)


def _indicators(
    st: _State, values: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    entries: dict[str, dict[str, Any]] = {}
    for e in canonical_indicators():
        if e["id"] in cat.CANONICAL_SOURCES:
            extra = cat.CANONICAL_SOURCES[e["id"]]
            item = {k: v for k, v in e.items() if k != "source"}
            for k in ("label", "definition"):
                if k in extra:
                    item[k] = extra[k]
            item["source"] = extra["source"]
            entries[e["id"]] = item
    for e in cat.EXTRA_INDICATORS:
        entries.setdefault(e["id"], dict(e))
    have = values[values["value"].notna()]
    kinds = have["place_code"].str[:3]
    levels_seen: dict[str, set[str]] = {}
    for ind, pref in zip(have["indicator_id"], kinds, strict=True):
        s = levels_seen.setdefault(ind, set())
        if pref == "E07":
            s.add("lower")
        elif pref == "E10":
            s.add("upper")
    out, ind_levels = [], {}
    for ind, e in entries.items():
        if ind not in levels_seen:
            continue
        lv = [x for x in ("upper", "lower") if x in set(e["levels"]) | levels_seen[ind]]
        e = {**e, "levels": lv, "source": _source_block(st, e["source"])}
        if e["unit"] == "gbp_per_head" or ind.endswith("_gbp"):
            e["definition"] = e["definition"].rstrip(".") + ". " + _per_head_note(st)
        out.append(e)
        ind_levels[ind] = tuple(lv)
    return indicators_frame({"indicators": out}), ind_levels


def _per_head_note(st: _State) -> str:
    note = next((n for n in st.notes if n.startswith("Per head")), "")
    return (
        note
        + " Counties show the whole-area figure (county plus districts) for services split between tiers."
    ).strip()


def _source_block(st: _State, sid: str) -> dict[str, str]:
    if sid.startswith("els:"):
        name = sid[4:]
        meta = st.els_meta.get(name, {})
        url = (
            str(meta.get("sourceURL") or "").split("|")[0]
            or "https://www.ons.gov.uk/explore-local-statistics/"
        )
        org = str(meta.get("sourceOrg") or "Office for National Statistics").split("|")[0]
        title = str(meta.get("label") or name.removesuffix(".csv").replace("-", " ").capitalize())
        return {
            "publisher": f"{org} (via ONS Explore Local Statistics)",
            "title": title,
            "url": url,
            "licence": "Open Government Licence v3.0",
        }
    s = SOURCE_BY_ID[sid]
    return {"publisher": s.publisher, "title": s.title, "url": s.url, "licence": s.licence}


def _meta(st: _State, geo: geo_mod.Geography, periods: list[str], mye_year: int) -> dict[str, Any]:
    sources = []
    for sid, files in st.used.items():
        if sid == "els":
            for name in files:
                b = _source_block(st, f"els:{name}")
                sources.append(
                    {"id": f"els:{name.removesuffix('.csv')}", **b, "period": "", "files": [name]}
                )
            continue
        s = SOURCE_BY_ID[sid]
        sources.append(
            {
                "id": sid,
                "publisher": s.publisher,
                "title": s.title,
                "url": s.url,
                "licence": s.licence,
                "period": ", ".join(sorted({p for f in files if (p := _period_of(f))})),
                "files": files,
            }
        )
    upper_default = "E06000014" if "E06000014" in set(geo.upper_codes) else geo.upper_codes[0]
    lower_default = (
        "E07000178"
        if "E07000178" in set(geo.lower_codes)
        else next((c for c in geo.lower_codes if c.startswith("E07")), geo.lower_codes[0])
    )
    notes = [
        *st.notes,
        "The Isles of Scilly (about 2,000 residents) and the City of London (about 9,000 residents, "
        "with a large daytime population and its own police force, left out here) are real councils "
        "with extreme per head figures; several outcome files fold them into Cornwall and Hackney.",
    ]
    return {
        "title": "England",
        "description": (
            "English local councils on spend, need and outcomes, built from official statistics "
            "(MHCLG revenue outturn, ONS, DfE, OHID, Oflog, Ofsted). 153 upper-tier and 296 "
            "lower-tier councils on the April 2023 structure."
        ),
        "is_demo": False,
        "attribution": ATTRIBUTION,
        "licence": "Open Government Licence v3.0 (data); hex layouts MIT (Open Innovations); "
        "mySociety lookups CC BY 4.0",
        "periods": periods,
        "default_place": {"upper": upper_default, "lower": lower_default},
        "population_year": mye_year,
        "sources": sources,
        "notes": notes,
    }


def _period_of(name: str) -> str | None:
    from dashboard.sources.finance import period_from

    return period_from(name)


def _report(st: _State, bundle: Bundle, out: Path, seconds: float) -> str:
    cov = compute_coverage(bundle)
    lines = [f"England bundle written to {out} in {seconds:.1f} s", ""]
    lines.append(
        f"Places: {len(bundle.places_at('upper'))} upper tier, {len(bundle.places_at('lower'))} lower tier; "
        f"{len(bundle.indicators)} indicators; {int(bundle.values['value'].notna().sum()):,} values "
        f"({int(bundle.values['value'].isna().sum()):,} missing or suppressed, kept with a status)."
    )
    lines.append("")
    lines.append("Files used:")
    for sid, files in st.used.items():
        lines.append(f"  {sid}: {', '.join(files)}")
    if st.missing:
        lines.append("")
        lines.append("Missing files (the bundle was built without them; download and rerun):")
        for s in st.missing:
            lines.append(f"  - {s.title} — {s.publisher}, {s.url} (file like {s.patterns[0]})")
    canon = [e["id"] for e in canonical_indicators()]
    absent = [i for i in canon if not bundle.has_indicator(i)]
    if absent:
        lines.append("")
        lines.append("Canonical indicators with no value from these files: " + ", ".join(absent))
    if st.dropped:
        lines.append("")
        lines.append(
            "Codes of former councils not carried over (no current council with the same area):"
        )
        for f, n in sorted(st.dropped.items()):
            lines.append(f"  {f}: {n} codes")
    if st.problems:
        lines.append("")
        lines.append(f"Unexpected values kept as missing ({len(st.problems)}):")
        for p in st.problems[:15]:
            lines.append(f"  {p}")
        if len(st.problems) > 15:
            lines.append(f"  ... and {len(st.problems) - 15} more")
    if st.log:
        lines.append("")
        lines.append("Skipped:")
        lines += [f"  {x}" for x in st.log]
    if bundle.warnings:
        lines += ["", "Warnings:", *[f"  {w}" for w in bundle.warnings]]
    lines.append("")
    lines.append("Coverage (places with a value at the latest period / places at the level):")
    cov = cov[cov["places_with_value"] > 0]
    for (ind, level), g in cov.groupby(["indicator_id", "level"], sort=True):
        g = g.sort_values("period")
        last = g.iloc[-1]
        lines.append(
            f"  {ind:<42} {level:<5} {int(last.places_with_value):>3}/{int(last.places_total):<3} "
            f"latest {last.period}; periods {g['period'].iloc[0]}..{last.period} ({len(g)})"
        )
    return "\n".join(lines)
