"""The data-layer format: the columns of a layer's two tables, what each means, and the values
each allows (docs/own-data.md).

A layer is a values table (``place_code, indicator_id, period, value`` and optional
``lower_ci, upper_ci, status``) and, for indicators the catalogue does not have, a definitions
table with the catalogue's fields (and ``agency`` for partners' spend). The template, the
checks and the read-me sheet are all written from these lists, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.bundle.schema import (
    AGENCIES,
    INDICATOR_KINDS,
    LEVELS,
    POLARITIES,
    SERVICES,
    STATUSES,
    UNITS,
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a layer table: its name, whether it must be there and filled, what it
    means, and the values it allows in words (for the read-me) and as a list ("" if free)."""

    name: str
    required: bool
    meaning: str
    allowed: str
    choices: tuple[str, ...] = ()


#: Sheet names of the XLSX template (a CSV layer is the values table alone).
VALUES_SHEET = "values"
DEFINITIONS_SHEET = "definitions"
README_SHEET = "read me"

#: Official suppression and missing markers a value cell may hold, and the status each becomes.
#: The value is then missing (never zero) and the status says why.
MARKER_STATUS: dict[str, str] = {
    "x": "suppressed",
    "[x]": "suppressed",
    "c": "suppressed",
    "[c]": "suppressed",
    "k": "suppressed",
    "[k]": "suppressed",
    "*": "suppressed",
    "~": "suppressed",
    "#": "suppressed",
    "z": "not_applicable",
    "[z]": "not_applicable",
    "n/a": "not_applicable",
    "..": "missing",
    ":": "missing",
    "-": "missing",
    "na": "missing",
    "u": "low_reliability",
    "[u]": "low_reliability",
    "low": "low_reliability",
    "[low]": "low_reliability",
}

#: Periods a layer may use: a year (2025), a financial year (2025-26), a span of years
#: (2021-2023) or a quarter of a financial year (2025-26 Q2).
PERIOD_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a year, e.g. 2025", re.compile(r"^(19|20)\d{2}$")),
    ("a financial year, e.g. 2025-26", re.compile(r"^(19|20)\d{2}-\d{2}$")),
    ("a span of years, e.g. 2021-2023", re.compile(r"^(19|20)\d{2}-(19|20)\d{2}$")),
    ("a quarter of a financial year, e.g. 2025-26 Q2", re.compile(r"^(19|20)\d{2}-\d{2} Q[1-4]$")),
)

_STATUS_WORDS = ", ".join(s for s in STATUSES if s)
_MARKERS = ", ".join(sorted(MARKER_STATUS))

VALUES_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "place_code",
        True,
        "The council's GSS code (9 characters, e.g. E08000010 for Wigan).",
        "a code of a council in the bundle the layer joins, at the indicator's level",
    ),
    ColumnSpec(
        "indicator_id",
        True,
        "Which indicator the value is for: an id of the catalogue (a newer local figure) or an "
        "id defined on the definitions sheet (a new indicator).",
        "lower-case letters, digits and underscores",
    ),
    ColumnSpec(
        "period",
        True,
        "The period the value refers to.",
        "; ".join(words for words, _ in PERIOD_FORMS),
    ),
    ColumnSpec(
        "value",
        True,
        "The figure, in the indicator's unit. Leave it empty, or write an official marker, "
        "when there is no figure.",
        f"a number within the unit's range, empty, or one of the markers {_MARKERS} "
        "(kept as missing, with the status the marker means, never as zero)",
    ),
    ColumnSpec(
        "lower_ci",
        False,
        "Lower bound of the 95% confidence interval, in the indicator's unit.",
        "a number no greater than value, or empty",
    ),
    ColumnSpec(
        "upper_ci",
        False,
        "Upper bound of the 95% confidence interval, in the indicator's unit.",
        "a number no less than value, or empty",
    ),
    ColumnSpec(
        "status",
        False,
        "Why a value is missing or less certain; empty for an ordinary figure.",
        f"empty or one of {_STATUS_WORDS}",
        tuple(s for s in STATUSES if s),
    ),
)

DEFINITION_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "id",
        True,
        "The new indicator's id, used in the values sheet's indicator_id.",
        "lower-case letters, digits and underscores, starting with a letter; not an id of "
        "the catalogue",
    ),
    ColumnSpec("label", True, "Its name as the pages show it.", "text"),
    ColumnSpec(
        "kind",
        True,
        "What it is: spend, need, outcome or context.",
        ", ".join(INDICATOR_KINDS),
        INDICATOR_KINDS,
    ),
    ColumnSpec(
        "service",
        True,
        "The service it belongs to (all for the whole council).",
        ", ".join(SERVICES),
        SERVICES,
    ),
    ColumnSpec("unit", True, "The unit of its values.", ", ".join(UNITS), tuple(UNITS)),
    ColumnSpec(
        "polarity",
        True,
        "Whether a higher value is better, worse, or neither (spend and need are neutral).",
        ", ".join(POLARITIES),
        POLARITIES,
    ),
    ColumnSpec(
        "levels",
        True,
        "The tiers it is compared at, separated by a semicolon.",
        "upper, lower, or upper;lower",
        LEVELS,
    ),
    ColumnSpec("definition", True, "What exactly is counted, in a sentence or two.", "text"),
    ColumnSpec("source_publisher", True, "Who published or holds the figures.", "text"),
    ColumnSpec("source_title", True, "The dataset or report the figures come from.", "text"),
    ColumnSpec(
        "source_url", False, "Where the figures can be found, if public.", "an http(s) address"
    ),
    ColumnSpec(
        "source_licence",
        True,
        "The licence the figures may be shared under.",
        "text, e.g. Open Government Licence v3.0",
    ),
    ColumnSpec(
        "agency",
        False,
        "For spend: the agency that spends it. Required for a spend indicator.",
        ", ".join(AGENCIES),
        tuple(AGENCIES),
    ),
)

#: Indicator ids: as the catalogue's (lower-case letters, digits and underscores).
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
