"""The data-bundle contract: allowed values and column lists (see docs/architecture.md,
"The data bundle").

These are the contract's vocabulary, not assumptions: changing one changes the file format.
"""

from __future__ import annotations

from dashboard.catalogue import service_ids

LEVELS: tuple[str, ...] = ("upper", "lower")

#: Kinds of council and the levels at which each one is compared.
KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "county": ("upper",),
    "district": ("lower",),
    "unitary": ("upper", "lower"),
    "metropolitan": ("upper", "lower"),
    "london_borough": ("upper", "lower"),
    # England itself: carries England's published values, never compared or mapped
    "country": (),
}
#: The place code of England (kind ``country``): its values are England's published figures.
ENGLAND_CODE = "E92000001"
PLACE_KINDS: tuple[str, ...] = tuple(KIND_LEVELS)

INDICATOR_KINDS: tuple[str, ...] = ("spend", "need", "outcome", "context")

#: Who spends: an indicator's optional ``agency`` (id -> label). Spend with no agency is the
#: council's; partners' spend (from a data layer, or the demo's fictional partners) names one.
AGENCIES: dict[str, str] = {
    "council": "Council",
    "nhs": "NHS",
    "police": "Police",
    "fire": "Fire and rescue",
    "dwp": "DWP",
    "voluntary": "Voluntary sector",
    "other": "Other",
}
POLARITIES: tuple[str, ...] = ("higher_is_better", "lower_is_better", "neutral")

#: Service ids, in data/catalogue/services.yaml order (the one list of services).
SERVICES: tuple[str, ...] = service_ids()

#: Allowed units: id -> (short label for axes and legends, number format for d3/Vega).
UNITS: dict[str, tuple[str, str]] = {
    "gbp": ("£", ",.0f"),
    "gbp_per_head": ("£ per head", ",.0f"),
    "gbp_per_child": ("£ per child", ",.0f"),
    "gbp_per_person_65_plus": ("£ per resident aged 65+", ",.0f"),
    "gbp_thousands": ("£ thousand", ",.0f"),
    "percent": ("%", ".1f"),
    "rate_per_1000": ("per 1,000", ".1f"),
    "rate_per_10k": ("per 10,000", ".1f"),
    "rate_per_100k": ("per 100,000", ".1f"),
    "score": ("score", ".2f"),
    "years": ("years", ".1f"),
    "ratio": ("ratio", ".2f"),
    "count": ("count", ",.0f"),
    "persons": ("people", ",.0f"),
    "persons_per_sq_km": ("people per km²", ",.0f"),
    "ordinal": ("grade", ".0f"),
    "rank": ("rank", ".0f"),
}

#: Status of a value. Empty means an ordinary observed value.
STATUSES: tuple[str, ...] = (
    "",
    "suppressed",
    "missing",
    "not_applicable",
    "estimated",
    "provisional",
    "low_reliability",
)

#: Official suppression and missing markers seen in ONS, DfE, OHID and MHCLG files.
SUPPRESSION_MARKERS: frozenset[str] = frozenset(
    {
        "x",
        "c",
        "z",
        "u",
        "k",
        "low",
        "..",
        ":",
        "-",
        "*",
        "~",
        "n/a",
        "na",
        "#",
        "[x]",
        "[c]",
        "[z]",
        "[u]",
        "[low]",
        "[k]",
    }
)

PLACES_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "kind",
    "region_code",
    "region_name",
    "county_code",
)
PLACES_REQUIRED: tuple[str, ...] = ("code", "name", "kind", "region_code", "region_name")
INDICATOR_FIELDS: tuple[str, ...] = (
    "id",
    "label",
    "kind",
    "service",
    "unit",
    "polarity",
    "levels",
    "definition",
    "source",
)
#: Optional text fields of an indicator: ``denominator`` says, in words, whom a rate divides by
#: (e.g. "residents of all ages, ONS mid-year estimate of the matching year ...").
INDICATOR_OPTIONAL_TEXT: tuple[str, ...] = ("period_type", "notes", "denominator")
SOURCE_FIELDS: tuple[str, ...] = ("publisher", "title", "url", "licence")
VALUES_REQUIRED: tuple[str, ...] = ("place_code", "indicator_id", "period", "value")
#: ``note``: text about a value (why it is missing, or when an inspection judged it).
VALUES_OPTIONAL: tuple[str, ...] = ("lower_ci", "upper_ci", "status", "note")
#: Optional text columns of values.parquet (empty when absent).
VALUES_TEXT_OPTIONAL: tuple[str, ...] = ("note",)
POPULATION_COLUMNS: tuple[str, ...] = ("place_code", "year", "age_band", "persons")
#: population_projection.parquet (optional): projected persons by place, age band and year, for
#: the bands the projection covers (England: 65-74, 75-84, 85+ from the ONS subnational
#: projections); ``source`` names the projection (text, the same on every row of a projection).
PROJECTION_COLUMNS: tuple[str, ...] = ("place_code", "age_band", "year", "persons", "source")
PROJECTION_FILE: str = "population_projection.parquet"
#: Age bands used by population.parquet (lower bounds increase; "85+" is open-ended).
AGE_BANDS: tuple[str, ...] = ("0-4", "5-17", "18-24", "25-64", "65-74", "75-84", "85+")
#: The age band of a year for which only the all-ages total is known (e.g. ONS MYE4 totals for
#: mid-2011 to mid-2021); such a place and year has this one row and no other band.
ALL_AGES: str = "all"

BUNDLE_REQUIRED_KEYS: tuple[str, ...] = ("title", "is_demo", "attribution", "licence", "periods")

#: Units that are money (shown in cash or in real terms at a stated price base).
MONEY_UNITS: tuple[str, ...] = (
    "gbp",
    "gbp_per_head",
    "gbp_thousands",
    "gbp_per_child",
    "gbp_per_person_65_plus",
)
#: deflators.csv (optional): a price index by period, for real terms.
DEFLATOR_COLUMNS: tuple[str, ...] = ("period", "index")
#: bundle.yaml ``deflator:`` block, required with deflators.csv (``label`` and ``note`` optional).
DEFLATOR_FIELDS: tuple[str, ...] = ("series", "base_period", "source")
