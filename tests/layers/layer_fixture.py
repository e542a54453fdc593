"""A small checked Layer built in code: a new outcome indicator for several places (one value
suppressed) and a newer local value for a catalogue indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.bundle import Bundle
from dashboard.layers.model import LAYER_DEFINITION_COLUMNS, LAYER_VALUE_COLUMNS, Layer

NEW_ID = "resident_satisfaction_pct"
NEW_LABEL = "Residents satisfied with the local area"
TITLE = "Partners' *survey* data"  # markdown characters: shown as text
FILENAME = "partners_layer.xlsx"
#: The catalogue indicator the layer gives a newer local figure for.
OFFICIAL_ID = "adult_obesity_pct"
LOCAL_VALUE = 61.5


def small_layer(bundle: Bundle, n_places: int = 5) -> Layer:
    """The layer for the first ``n_places`` upper-tier places of ``bundle`` (the default place
    first): values 40, 41, ... of the new indicator, the second place's suppressed, and a
    local figure of OFFICIAL_ID for the default place in a period after the bundle's last."""
    first = bundle.default_place("upper")
    codes = [first, *[c for c in bundle.place_codes("upper") if c != first][: n_places - 1]]
    period = bundle.periods[-1]
    rows = [
        (c, NEW_ID, period, 40.0 + i, np.nan, np.nan, "") for i, c in enumerate(codes) if i != 1
    ]
    rows.append((codes[1], NEW_ID, period, np.nan, np.nan, np.nan, "suppressed"))
    start = int(period[:4]) + 1
    newer = f"{start}-{str(start + 1)[-2:]}"
    rows.append((first, OFFICIAL_ID, newer, LOCAL_VALUE, np.nan, np.nan, ""))
    values = pd.DataFrame(rows, columns=list(LAYER_VALUE_COLUMNS))
    definitions = pd.DataFrame(
        [
            {
                "id": NEW_ID,
                "label": NEW_LABEL,
                "kind": "outcome",
                "service": "public_health",
                "unit": "percent",
                "polarity": "higher_is_better",
                "levels": ("upper",),
                "definition": "Share of survey respondents satisfied with their area.",
                "source_publisher": "Partners' survey team",
                "source_title": "Residents' survey",
                "source_url": "",
                "source_licence": "OGL v3.0",
                "agency": "",
            }
        ],
        columns=list(LAYER_DEFINITION_COLUMNS),
    )
    return Layer(TITLE, FILENAME, values, definitions)
