"""How much of each budget the eligible cohort can absorb (provisional: the cohort work of
issue 14 replaces it with one that knows flow and stock cohorts; same signature and columns).

Money in £ a year at base-year prices; people in persons. Read from the deterministic run:
``by_year`` measures ``investment_gbp`` (what was spent) and ``cohort_people`` (the eligible
cohort), in the first year of investment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.formatting import format_gbp
from dashboard.scenario.results import Result
from dashboard.scenario.spec import parameter_bounds

COLUMNS = [
    "intervention",
    "label",
    "cohort_kind",
    "asked_gbp_per_year",
    "used_gbp_per_year",
    "first_year_cap_gbp",
    "cohort_people",
    "unused_gbp_per_year",
    "message",
]


def budget_use(result: Result) -> pd.DataFrame:
    """Per funded intervention: the budget asked and used in the first year (£ a year), the
    most the cohort can absorb that year (£), the cohort (people), what cannot be used (£ a
    year) and a sentence for the control ("" when the whole budget can be used)."""
    cat = result.catalogue
    s = result.scenario
    central = parameter_bounds(cat, s.overrides)[1]
    by = result.by_year
    first = by[by["year"] == 0]
    rows = []
    for iid in cat.intervention_ids:
        asked = float(s.budgets.get(iid, 0.0))
        if asked <= 0:
            continue
        if s.budget_basis == "gbp_per_head":
            asked *= float(result.context.total_population)
        here = first[first["intervention"].astype(str) == iid]
        used = float(here.loc[here["measure"] == "investment_gbp", "value"].sum())
        cohort = float(here.loc[here["measure"] == "cohort_people", "value"].sum())
        iv = cat.intervention(iid)
        cap = cohort * float(central[iv.cost_per_participant.index])
        unused = max(asked - used, 0.0)
        message = ""
        if unused > max(1.0, 1e-6 * asked) and np.isfinite(cap):
            message = (
                f"Only {format_gbp(used)} of {format_gbp(asked)} a year can be used: the "
                f"eligible cohort is {cohort:,.0f} people a year."
            )
        rows.append(
            {
                "intervention": iid,
                "label": iv.label,
                "cohort_kind": "flow",
                "asked_gbp_per_year": asked,
                "used_gbp_per_year": used,
                "first_year_cap_gbp": cap,
                "cohort_people": cohort,
                "unused_gbp_per_year": unused,
                "message": message,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
