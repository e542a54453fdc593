"""The official files the England builder reads: publisher, dataset title, address, licence.

Files are found by name anywhere under the raw folder (case-insensitive glob patterns), so a
user can download them from the publishers into one folder, keeping the publishers' names.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OGL = "Open Government Licence v3.0"


@dataclass(frozen=True)
class Source:
    """One official dataset: ``patterns`` match its file names; ``required`` stops the build."""

    id: str
    publisher: str
    title: str
    url: str
    licence: str
    patterns: tuple[str, ...]
    required: bool = False
    many: bool = False  # several files (e.g. one per year)


SOURCES: tuple[Source, ...] = (
    Source(
        "lad_boundaries",
        "Office for National Statistics (Open Geography Portal)",
        "Local Authority Districts (May 2024) Boundaries UK BSC",
        "https://geoportal.statistics.gov.uk/",
        OGL + "; contains OS data",
        (
            "LAD_May2024_UK_BSC*.geojson",
            "Local_Authority_Districts_May_2024_Boundaries_UK_BSC*.geojson",
        ),
        required=True,
    ),
    Source(
        "ctyua_boundaries",
        "Office for National Statistics (Open Geography Portal)",
        "Counties and Unitary Authorities (December 2023) Boundaries UK BSC",
        "https://geoportal.statistics.gov.uk/",
        OGL + "; contains OS data",
        (
            "CTYUA_Dec2023_UK_BSC*.geojson",
            "Counties_and_Unitary_Authorities_December_2023_Boundaries_UK_BSC*.geojson",
        ),
        required=True,
    ),
    Source(
        "ltla_utla_lookup",
        "Office for National Statistics (Open Geography Portal)",
        "Lower Tier Local Authority to Upper Tier Local Authority (April 2023) Lookup in England and Wales",
        "https://geoportal.statistics.gov.uk/",
        OGL,
        (
            "LTLA-UTLA_Apr23_Lookup*.csv",
            "Lower_Tier_Local_Authority_to_Upper_Tier_Local_Authority_(April_2023)*.csv",
        ),
        required=True,
    ),
    Source(
        "geo_metadata",
        "Office for National Statistics (Explore Local Statistics)",
        "Explore Local Statistics area hierarchy (geo-metadata.json)",
        "https://github.com/ONSdigital/explore-local-statistics-data",
        OGL,
        ("geo-metadata.json",),
    ),
    Source(
        "la_structure",
        "Local-Policy-Analysis (compiled from MHCLG and ONS codes)",
        "Local authority structure 2013-2023 (ONS code and E-code crosswalk)",
        "https://github.com/Local-Policy-Analysis",
        "not stated",
        ("la_structure.tsv",),
    ),
    Source(
        "mysociety",
        "mySociety",
        "UK local authority names and codes (past and current)",
        "https://github.com/mysociety/uk_local_authority_names_and_codes",
        "CC BY 4.0",
        ("uk_local_authorities_current.csv",),
    ),
    Source(
        "hex_lad",
        "Open Innovations",
        "HexJSON: UK local authority districts 2023",
        "https://github.com/odileeds/hexmaps",
        "MIT",
        ("uk-local-authority-districts-2023.hexjson",),
    ),
    Source(
        "hex_utla",
        "Open Innovations",
        "HexJSON: English upper-tier local authorities",
        "https://github.com/odileeds/hexmaps",
        "MIT",
        ("uk-upper-tier-local-authorities.hexjson",),
    ),
    Source(
        "mye",
        "Office for National Statistics",
        "Population estimates for the UK, England, Wales, Scotland and Northern Ireland: mid-2022 (2023 local authority boundaries)",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland",
        OGL,
        ("ukpopestimatesmid20*on2023geography*.xlsx", "mye*on2023geography*.xlsx"),
    ),
    Source(
        "rsx",
        "Ministry of Housing, Communities and Local Government",
        "Local authority revenue expenditure and financing: revenue outturn service expenditure summary (RSX), individual local authority data",
        "https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing",
        OGL,
        ("RSX_*data_by_LA.ods", "RSX_*data_by_LA.xlsx"),
        many=True,
    ),
    Source(
        "rs",
        "Ministry of Housing, Communities and Local Government",
        "Local authority revenue expenditure and financing: revenue outturn summary (RS), individual local authority data",
        "https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing",
        OGL,
        ("RS_*data_by_LA.xlsx", "RS_*data_by_LA.ods"),
        many=True,
    ),
    Source(
        "ro3",
        "Ministry of Housing, Communities and Local Government",
        "Local authority revenue expenditure and financing: revenue outturn social care and public health services (RO3), individual local authority data",
        "https://www.gov.uk/government/collections/local-authority-revenue-expenditure-and-financing",
        OGL,
        ("RO3_*data_by_LA.ods", "RO3_*data_by_LA.xlsx"),
        many=True,
    ),
    Source(
        "iod2025",
        "Ministry of Housing, Communities and Local Government",
        "English Indices of Deprivation 2025: File 10, local authority district summaries (lower tier)",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        OGL,
        ("imd2025_england_ltla24.csv",),
    ),
    Source(
        "iod2019_lower",
        "Ministry of Housing, Communities and Local Government",
        "English Indices of Deprivation 2019: File 10, local authority district summaries (lower tier)",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        OGL,
        ("File_10*IoD2019*.xlsx",),
    ),
    Source(
        "iod2019_upper",
        "Ministry of Housing, Communities and Local Government",
        "English Indices of Deprivation 2019: File 11, local authority district summaries (upper tier)",
        "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        OGL,
        ("File_11*IoD2019*.xlsx",),
    ),
    Source(
        "els",
        "Office for National Statistics",
        "Explore Local Statistics indicator files",
        "https://www.ons.gov.uk/explore-local-statistics/",
        OGL,
        ("*.csv",),
    ),  # per file below
    Source(
        "dfe_cla",
        "Department for Education",
        "Children looked after in England including adoptions (number and rate per 10,000 children; placement stability; care leavers' activity)",
        "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        OGL,
        ("cla_number_and_rate_per_10k_children.csv",),
    ),
    Source(
        "dfe_cla_stability",
        "Department for Education",
        "Children looked after in England including adoptions: placement stability by local authority",
        "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        OGL,
        ("la_cla_placement_stability.csv",),
    ),
    Source(
        "dfe_care_leavers",
        "Department for Education",
        "Children looked after in England including adoptions: care leavers' activity by local authority",
        "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        OGL,
        ("la_care_leavers_activity.csv",),
    ),
    Source(
        "dfe_cin",
        "Department for Education",
        "Children in need (table B1: children in need by local authority)",
        "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need",
        OGL,
        ("b1_children_in_need*.csv",),
    ),
    Source(
        "dfe_referrals",
        "Department for Education",
        "Children in need (table C1: referrals and re-referrals by local authority)",
        "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need",
        OGL,
        ("c1_children_in_need_referrals*.csv",),
    ),
    Source(
        "dfe_csww",
        "Department for Education",
        "Children's social work workforce: local authority indicators",
        "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce",
        OGL,
        ("csww_indicators*.csv",),
    ),
    Source(
        "dfe_neet",
        "Department for Education",
        "Participation in education, training and NEET age 16 to 17 by local authority",
        "https://explore-education-statistics.service.gov.uk/find-statistics/participation-in-education-training-and-neet-age-16-to-17-by-local-authority",
        OGL + " (presumed)",
        ("UD_NEETNK_LA_dashboard_*.csv",),
        many=True,
    ),
    Source(
        "oflog_asc",
        "Office for Local Government (MHCLG)",
        "Oflog Local Authority Data Explorer: adult social care metrics",
        "https://oflog.data.gov.uk/",
        OGL + " (presumed)",
        ("ASC_data.csv",),
    ),
    Source(
        "ohid_injuries",
        "Office for Health Improvement and Disparities",
        "Fingertips indicator 90284: hospital admissions caused by unintentional and deliberate injuries in children (aged 0 to 14 years)",
        "https://fingertips.phe.org.uk/search/90284",
        OGL,
        ("la_hospital_admissions_injuries_0to14*.csv", "indicators-CountiesUA*90284*.csv"),
    ),
    Source(
        "ofsted_ilacs",
        "Ofsted",
        "Children's social care data in England: local authority inspection outcomes as at 31 March 2025",
        "https://www.gov.uk/government/statistics/childrens-social-care-data-in-england-2025",
        OGL,
        (
            "LA_Inspection_Outcomes_as_at_31_March_*.ods",
            "LA_Inspection_Outcomes_as_at_31_March_*.xlsx",
        ),
    ),
)
SOURCE_BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}

#: ONS Explore Local Statistics files (one per indicator, with a .json metadata file alongside).
ELS_FILES: tuple[str, ...] = (
    "claimant-count.csv",
    "children-in-relative-poverty.csv",
    "gross-disposable-household-income-per-head.csv",
    "gross-median-weekly-pay.csv",
    "healthy-life-expectancy.csv",
    "adult-obesity-prevalence.csv",
    "cigarette-smokers.csv",
    "preventable-cardiovascular-mortality-england.csv",
    "employment-rate.csv",
    "housing-affordability-ratio.csv",
    "gcses-in-english-and-maths.csv",
    "pupils-at-expected-standards-by-end-of-primary-school.csv",
    "early-years.csv",
    "persistent-absences-for-all-pupils.csv",
    "persistent-absences-for-pupils-looked-after-by-local-authorities.csv",
)


def find_files(raw: Path, source: Source) -> list[Path]:
    """Files under ``raw`` (any depth) matching the source's patterns, sorted by name."""
    if source.id == "els":
        return [p for name in ELS_FILES for p in _glob(raw, name)[:1]]
    hits: dict[Path, None] = {}
    for pat in source.patterns:
        for p in _glob(raw, pat):
            hits[p] = None
    files = sorted(hits, key=lambda p: p.name)
    return files if source.many else files[:1]


def _glob(raw: Path, pattern: str) -> list[Path]:
    low = pattern.lower()
    return sorted(p for p in _listing(raw.resolve()) if fnmatch.fnmatch(p.name.lower(), low))


@lru_cache(maxsize=8)
def _listing(raw: Path) -> tuple[Path, ...]:
    return tuple(p for p in raw.rglob("*") if p.is_file()) if raw.is_dir() else ()
