"""Indicator metadata for the England bundle: sources of the canonical indicators, corrections
where an official file measures something slightly different, and the extra indicators.

The canonical ids, labels and units live in data/catalogue/indicators.yaml; this module only adds
what the England files bring. ``source`` names an entry of ``registry.SOURCES`` (or an ONS
Explore Local Statistics file, whose own metadata names the original publisher).
"""

from __future__ import annotations

from typing import Any

POP_NOTE = "Per head figures divide by the ONS mid-{year} resident population estimate (all ages) for every financial year shown."

#: Canonical indicator id -> source id (or "els:<file>") and optional corrected label/definition.
CANONICAL_SOURCES: dict[str, dict[str, Any]] = {
    **{
        i: {"source": "rsx"}
        for i in (
            "spend_total_per_head",
            "spend_asc_per_head",
            "spend_csc_per_head",
            "spend_education_per_head",
            "spend_public_health_per_head",
            "spend_highways_per_head",
            "spend_housing_per_head",
            "spend_culture_per_head",
            "spend_environment_per_head",
            "spend_planning_per_head",
            "spend_central_per_head",
            "spend_other_per_head",
        )
    },
    "imd_score": {
        "source": "iod2025",
        "definition": "IoD2025 Index of Multiple Deprivation, average score of the area's neighbourhoods (LSOAs), higher means more deprived. Lower tier as published (File 10); upper tier for counties is the population-weighted mean of their districts' average scores (weights: ONS mid-year population).",
    },
    "idaci_score": {
        "source": "iod2019_lower",
        "definition": "IoD2019 Income Deprivation Affecting Children Index, average score (share of children aged 0-15 in income-deprived families). Published for 2019 council areas (File 10 lower tier, File 11 upper tier); councils created since 2019 have no value. IoD2025 summaries staged here do not include IDACI.",
    },
    "idaopi_score": {
        "source": "iod2019_lower",
        "definition": "IoD2019 Income Deprivation Affecting Older People Index, average score (share of people aged 60+ who are income deprived). Published for 2019 council areas; councils created since 2019 have no value.",
    },
    "pct_aged_0_17": {"source": "mye"},
    "pct_aged_65_plus": {"source": "mye"},
    "pct_aged_85_plus": {"source": "mye"},
    "population": {"source": "mye"},
    "density_per_sq_km": {
        "source": "mye",
        "definition": "Residents per square kilometre of land area (ONS mid-year estimate divided by the ONS Standard Area Measurement of land, excluding inland water).",
    },
    "child_poverty_pct": {
        "source": "els:children-in-relative-poverty.csv",
        "definition": "Children aged under 16 living in relative low-income families before housing costs, percent (DWP/HMRC, financial year).",
    },
    "claimant_count_pct": {"source": "els:claimant-count.csv"},
    "gdhi_per_head": {"source": "els:gross-disposable-household-income-per-head.csv"},
    "median_weekly_pay": {
        "source": "els:gross-median-weekly-pay.csv",
        "definition": "Gross median weekly pay of full-time employees living in the area (ASHE, residence-based), £.",
    },
    "healthy_life_expectancy_years": {
        "source": "els:healthy-life-expectancy.csv",
        "definition": "Healthy life expectancy at birth, mean of the published male and female figures (3-year pooled period), years. ONS does not publish it for the Isles of Scilly or the City of London.",
    },
    "adult_obesity_pct": {
        "source": "els:adult-obesity-prevalence.csv",
        "label": "Adults living with obesity",
        "definition": "Adults aged 18+ classified as living with obesity (BMI 30+), percent (Active Lives Survey). Not overweight and obese combined.",
    },
    "smoking_pct": {"source": "els:cigarette-smokers.csv"},
    "preventable_cvd_mortality_per_100k": {
        "source": "els:preventable-cardiovascular-mortality-england.csv"
    },
    "employment_rate_pct": {"source": "els:employment-rate.csv"},
    "housing_affordability_ratio": {
        "source": "els:housing-affordability-ratio.csv",
        "definition": "Median house price divided by median gross annual residence-based earnings (the ONS file's unit column wrongly says %).",
    },
    "gcse_eng_maths_pct": {
        "source": "els:gcses-in-english-and-maths.csv",
        "label": "English and maths GCSE (level 2) by age 19",
        "definition": "Young people achieving GCSEs (level 2) in both English and maths by age 19, percent (DfE, by academic year). Not the grade 5+ at key stage 4 measure.",
    },
    "ks2_expected_pct": {"source": "els:pupils-at-expected-standards-by-end-of-primary-school.csv"},
    "persistent_absence_pct": {"source": "els:persistent-absences-for-all-pupils.csv"},
    "persistent_absence_cla_pct": {
        "source": "els:persistent-absences-for-pupils-looked-after-by-local-authorities.csv"
    },
    "cla_rate_per_10k": {"source": "dfe_cla"},
    "cin_rate_per_10k": {
        "source": "dfe_cin",
        "definition": "Children in need at 31 March (DfE table B1, episodes open at 31 March) per 10,000 children aged under 18 (the population estimate DfE publishes with its looked-after rates).",
    },
    "cin_rereferral_pct": {"source": "dfe_referrals"},
    "cla_3plus_placements_pct": {"source": "dfe_cla_stability"},
    "care_leavers_eet_pct": {"source": "dfe_care_leavers"},
    "social_worker_turnover_pct": {"source": "dfe_csww"},
    "neet_16_17_pct": {
        "source": "dfe_neet",
        "definition": "Young people aged 16-17 who are NEET or whose activity is not known, percent (December to February average). The Isles of Scilly are counted in Cornwall and the City of London in Hackney.",
    },
    "asc_user_qol": {
        "source": "oflog_asc",
        "label": "Quality of life gain from adult social care (adjusted)",
        "definition": "Oflog ASC2 (ASCOF 1J): adjusted social care-related quality of life, the part of service users' quality of life attributable to services, adjusted for their needs (typically 0.3-0.5). Published zeros are treated as missing.",
    },
    "asc_carer_qol": {"source": "oflog_asc"},
    "asc_short_term_outcome_pct": {"source": "oflog_asc"},
    "asc_easy_info_pct": {"source": "oflog_asc"},
    "asc_workforce_turnover_pct": {"source": "oflog_asc"},
    "child_injury_admissions_per_10k": {"source": "ohid_injuries"},
    "ofsted_ilacs_grade": {
        "source": "ofsted_ilacs",
        "definition": "Ofsted inspection of local authority children's services (ILACS), overall effectiveness at the latest inspection as at 31 March 2025: 1 outstanding, 2 good, 3 requires improvement to be good, 4 inadequate.",
    },
}


def _spend(sid: str, svc: str, label: str, levels: list[str]) -> dict[str, Any]:
    return {
        "id": f"spend_{sid}_gbp",
        "label": f"{label} spend (£ total)",
        "kind": "spend",
        "service": svc,
        "unit": "gbp",
        "polarity": "neutral",
        "levels": levels,
        "definition": f"Net current expenditure on {label.lower()} (RSX block), £ (revenue outturn £ thousand × 1,000).",
        "source": "rsx",
    }


def _ro3(sid: str, svc: str, label: str, lines: str) -> dict[str, Any]:
    return {
        "id": f"spend_{sid}_per_head",
        "label": f"{label} spend per head",
        "kind": "spend",
        "service": svc,
        "unit": "gbp_per_head",
        "polarity": "neutral",
        "levels": ["upper"],
        "definition": f"Net current expenditure on {lines} (revenue outturn RO3 detail), per resident.",
        "source": "ro3",
    }


def _ind(
    id: str,
    label: str,
    kind: str,
    svc: str,
    unit: str,
    pol: str,
    levels: list[str],
    definition: str,
    source: str,
) -> dict[str, Any]:
    return {
        "id": id,
        "label": label,
        "kind": kind,
        "service": svc,
        "unit": unit,
        "polarity": pol,
        "levels": levels,
        "definition": definition,
        "source": source,
    }


UL = ["upper", "lower"]
U = ["upper"]

EXTRA_INDICATORS: tuple[dict[str, Any], ...] = (
    _spend("total", "all", "All council services", UL),
    _spend("asc", "adult_social_care", "Adult social care", U),
    _spend("csc", "childrens_social_care", "Children's social care", U),
    _spend("education", "education", "Education", U),
    _spend("public_health", "public_health", "Public health", U),
    _spend("highways", "highways_transport", "Highways and transport", U),
    _spend("housing", "housing", "Housing (excluding HRA)", ["lower"]),
    _spend("culture", "culture", "Cultural and related", UL),
    _spend("environment", "environment", "Environmental and regulatory", UL),
    _spend("planning", "planning", "Planning and development", UL),
    _spend("central", "central", "Central services", UL),
    _spend("other", "other", "Other services", UL),
    _ro3(
        "csc_early_years",
        "childrens_social_care",
        "Children's centres and early years",
        "Sure Start children's centres and early years",
    ),
    _ro3(
        "csc_looked_after",
        "childrens_social_care",
        "Children looked after",
        "children looked after (residential care, fostering and other)",
    ),
    _ro3(
        "csc_safeguarding",
        "childrens_social_care",
        "Safeguarding children",
        "safeguarding children and young people's services",
    ),
    _ro3(
        "csc_family_support", "childrens_social_care", "Family support", "family support services"
    ),
    _ro3("csc_youth_justice", "childrens_social_care", "Youth justice", "youth justice"),
    _ro3(
        "csc_young_people",
        "childrens_social_care",
        "Services for young people",
        "services for young people",
    ),
    _ro3(
        "asc_physical_support",
        "adult_social_care",
        "Physical support (adults)",
        "physical support for adults aged 18-64 and older people 65+",
    ),
    _ro3(
        "asc_learning_disability",
        "adult_social_care",
        "Learning disability support",
        "learning disability support for adults aged 18-64 and older people 65+",
    ),
    _ro3(
        "asc_mental_health",
        "adult_social_care",
        "Mental health support (adult social care)",
        "mental health support for adults aged 18-64 and older people 65+",
    ),
    _ro3(
        "asc_early_intervention",
        "adult_social_care",
        "Adult social care information and early intervention",
        "information and early intervention (prevention) in adult social care",
    ),
    _ro3("asc_carers", "adult_social_care", "Support for carers", "social support for carers"),
    _ro3(
        "asc_assessment",
        "adult_social_care",
        "Care assessment and safeguarding (adults)",
        "care assessment and safeguarding of adults",
    ),
    _ro3(
        "ph_sexual_health",
        "public_health",
        "Sexual health services",
        "sexual health services (STI testing and treatment, contraception, advice and prevention)",
    ),
    _ro3(
        "ph_substance_misuse",
        "public_health",
        "Drug and alcohol services",
        "substance misuse services (treatment and prevention for adults; specialist services for young people)",
    ),
    _ro3(
        "ph_smoking",
        "public_health",
        "Stop smoking and tobacco control",
        "stop smoking services and wider tobacco control",
    ),
    _ro3(
        "ph_children_0_19",
        "public_health",
        "Children's public health (0-19)",
        "children's 0-5 services and 5-19 public health programmes",
    ),
    _ro3(
        "ph_obesity_activity",
        "public_health",
        "Obesity and physical activity",
        "obesity and physical activity programmes for adults and children",
    ),
    _ind(
        "iod_income_score",
        "IoD2025 income deprivation: average score",
        "need",
        "all",
        "score",
        "neutral",
        UL,
        "IoD2025 income domain, average score of the area's neighbourhoods (share of people income deprived); counties: population-weighted mean of their districts.",
        "iod2025",
    ),
    _ind(
        "iod_employment_score",
        "IoD2025 employment deprivation: average score",
        "need",
        "all",
        "score",
        "neutral",
        UL,
        "IoD2025 employment domain, average score (share of working-age people involuntarily out of work); counties: population-weighted mean of their districts.",
        "iod2025",
    ),
    _ind(
        "iod_health_score",
        "IoD2025 health deprivation and disability: average score",
        "need",
        "public_health",
        "score",
        "neutral",
        UL,
        "IoD2025 health deprivation and disability domain, average score (higher is more deprived); counties: population-weighted mean of their districts.",
        "iod2025",
    ),
    _ind(
        "iod_education_score",
        "IoD2025 education, skills and training deprivation: average score",
        "need",
        "education",
        "score",
        "neutral",
        UL,
        "IoD2025 education, skills and training domain, average score (higher is more deprived); counties: population-weighted mean of their districts.",
        "iod2025",
    ),
    _ind(
        "child_poverty_ahc_pct",
        "Children in relative poverty after housing costs",
        "need",
        "childrens_social_care",
        "percent",
        "neutral",
        UL,
        "Children living in households below 60% of median income after housing costs, percent (ONS Explore Local Statistics).",
        "els:children-in-relative-poverty.csv",
    ),
    _ind(
        "economic_inactivity_pct",
        "Economically inactive (16-64)",
        "need",
        "all",
        "percent",
        "neutral",
        UL,
        "People aged 16-64 who are economically inactive, percent (Annual Population Survey).",
        "els:employment-rate.csv",
    ),
    _ind(
        "hle_male_years",
        "Healthy life expectancy at birth, males",
        "outcome",
        "public_health",
        "years",
        "higher_is_better",
        UL,
        "Healthy life expectancy at birth for males, 3-year pooled period, years, with 95% confidence interval.",
        "els:healthy-life-expectancy.csv",
    ),
    _ind(
        "hle_female_years",
        "Healthy life expectancy at birth, females",
        "outcome",
        "public_health",
        "years",
        "higher_is_better",
        UL,
        "Healthy life expectancy at birth for females, 3-year pooled period, years, with 95% confidence interval.",
        "els:healthy-life-expectancy.csv",
    ),
    _ind(
        "eyfs_communication_pct",
        "Early years: expected level in communication and language",
        "outcome",
        "education",
        "percent",
        "higher_is_better",
        UL,
        "Children at the end of reception reaching the expected level in the communication and language early learning goals, percent.",
        "els:early-years.csv",
    ),
    _ind(
        "eyfs_literacy_pct",
        "Early years: expected level in literacy",
        "outcome",
        "education",
        "percent",
        "higher_is_better",
        UL,
        "Children at the end of reception reaching the expected level in the literacy early learning goals, percent.",
        "els:early-years.csv",
    ),
    _ind(
        "eyfs_maths_pct",
        "Early years: expected level in mathematics",
        "outcome",
        "education",
        "percent",
        "higher_is_better",
        UL,
        "Children at the end of reception reaching the expected level in the mathematics early learning goals, percent.",
        "els:early-years.csv",
    ),
    _ind(
        "cla_stable_placement_pct",
        "Long-term looked-after children in a stable placement",
        "outcome",
        "childrens_social_care",
        "percent",
        "higher_is_better",
        U,
        "Children under 16 looked after for at least 2.5 years who have lived with the same carer for at least 2 years, percent.",
        "dfe_cla_stability",
    ),
    _ind(
        "social_worker_agency_pct",
        "Children's social workers from agencies",
        "outcome",
        "childrens_social_care",
        "percent",
        "lower_is_better",
        U,
        "Agency children and family social workers as a percentage of all (FTE) at 30 September.",
        "dfe_csww",
    ),
    _ind(
        "social_worker_vacancy_pct",
        "Children's social worker vacancy rate",
        "outcome",
        "childrens_social_care",
        "percent",
        "lower_is_better",
        U,
        "Vacancy rate of children and family social worker posts (FTE) at 30 September, percent.",
        "dfe_csww",
    ),
    _ind(
        "asc_carer_easy_info_pct",
        "Carers who find it easy to find information",
        "outcome",
        "adult_social_care",
        "percent",
        "higher_is_better",
        U,
        "Proportion of carers who find it easy to find information about support (Oflog, from the carers' survey).",
        "oflog_asc",
    ),
    _ind(
        "asc_requests_service_per_100k",
        "Requests for adult social care resulting in a service",
        "context",
        "adult_social_care",
        "rate_per_100k",
        "neutral",
        U,
        "New requests for support from adults that resulted in a service, per 100,000 adults (Oflog ASC6, from the ASC-FR return).",
        "oflog_asc",
    ),
    _ind(
        "ofsted_ilacs_leaders_grade",
        "Ofsted ILACS: impact of leaders",
        "outcome",
        "childrens_social_care",
        "ordinal",
        "lower_is_better",
        U,
        "ILACS sub-judgement, impact of leaders on social work practice with children and families (1 outstanding .. 4 inadequate), latest inspection as at 31 March 2025.",
        "ofsted_ilacs",
    ),
    _ind(
        "ofsted_ilacs_help_protection_grade",
        "Ofsted ILACS: children who need help and protection",
        "outcome",
        "childrens_social_care",
        "ordinal",
        "lower_is_better",
        U,
        "ILACS sub-judgement, experiences and progress of children who need help and protection (1 outstanding .. 4 inadequate).",
        "ofsted_ilacs",
    ),
    _ind(
        "ofsted_ilacs_in_care_grade",
        "Ofsted ILACS: children in care",
        "outcome",
        "childrens_social_care",
        "ordinal",
        "lower_is_better",
        U,
        "ILACS sub-judgement, experiences and progress of children in care (1 outstanding .. 4 inadequate).",
        "ofsted_ilacs",
    ),
    _ind(
        "ofsted_ilacs_care_leavers_grade",
        "Ofsted ILACS: care leavers",
        "outcome",
        "childrens_social_care",
        "ordinal",
        "lower_is_better",
        U,
        "ILACS sub-judgement, experiences and progress of care leavers (1 outstanding .. 4 inadequate); only for inspections from January 2023.",
        "ofsted_ilacs",
    ),
)

#: RO3 detail indicator id -> the RO3 line labels (normalised) summed into it.
RO3_LINES: dict[str, tuple[str, ...]] = {
    "spend_csc_early_years_per_head": (
        "children's social care: sure start children's centres and early years",
    ),
    "spend_csc_looked_after_per_head": ("children's social care - children looked after",),
    "spend_csc_safeguarding_per_head": (
        "children's social care: safeguarding children and young people's services",
    ),
    "spend_csc_family_support_per_head": ("children's social care - family support services",),
    "spend_csc_youth_justice_per_head": ("children's social care - youth justice",),
    "spend_csc_young_people_per_head": ("children's social care: services for young people",),
    "spend_asc_physical_support_per_head": (
        "physical support - adults (18-64)",
        "physical support - older people (65+)",
    ),
    "spend_asc_learning_disability_per_head": (
        "learning disability support - adults (18-64)",
        "learning disability support - older people (65+)",
    ),
    "spend_asc_mental_health_per_head": (
        "mental health support - adults (18-64)",
        "mental health support - older people (65+)",
    ),
    "spend_asc_early_intervention_per_head": ("information and early intervention",),
    "spend_asc_carers_per_head": ("social support: support for carer",),
    "spend_asc_assessment_per_head": ("care assessment and safeguarding",),
    "spend_ph_sexual_health_per_head": (
        "sexual health services - sti testing and treatment (prescribed functions)",
        "sexual health services - contraception (prescribed functions)",
        "sexual health services - advice, prevention and promotion (non-prescribed functions)",
    ),
    "spend_ph_substance_misuse_per_head": (
        "substance misuse - treatment for drug misuse in adults",
        "substance misuse - treatment for alcohol misuse in adults",
        "substance misuse - preventing and reducing harm from drug misuse in adults",
        "substance misuse - preventing and reducing harm from alcohol misuse in adults",
        "substance misuse - specialist drug and alcohol misuse services for children and young people",
    ),
    "spend_ph_smoking_per_head": (
        "smoking and tobacco - stop smoking services and interventions",
        "smoking and tobacco - wider tobacco control",
    ),
    "spend_ph_children_0_19_per_head": (
        "children 5-19 public health programmes",
        "miscellaneous public health services - children's 0-5 services (prescribed functions)",
        "miscellaneous public health services - children's 0-5 services - other (non-prescribed functions)",
    ),
    "spend_ph_obesity_activity_per_head": (
        "obesity - adults",
        "obesity - children",
        "physical activity - adults",
        "physical activity - children",
    ),
}

#: Spend indicator stem -> RSX service block.
SPEND_IDS: dict[str, str] = {
    "total": "total",
    "asc": "adult_social_care",
    "csc": "childrens_social_care",
    "education": "education",
    "public_health": "public_health",
    "highways": "highways_transport",
    "housing": "housing",
    "culture": "culture",
    "environment": "environment",
    "planning": "planning",
    "central": "central",
    "other": "other",
}
UPPER_ONLY_SERVICES = frozenset(
    {
        "adult_social_care",
        "childrens_social_care",
        "education",
        "public_health",
        "highways_transport",
    }
)
LOWER_ONLY_SERVICES = frozenset({"housing"})
