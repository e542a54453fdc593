"""How much of each budget the eligible cohort can absorb, and what to say when it cannot.

A budget buys people at the cost per participant, capped by the people eligible that year
(:func:`dashboard.scenario.core.eligible`): a flow's new people each year, or a stock's group
not yet reached (each person once). When a budget asks for more than that, the rest is not
spent; :func:`budget_use` reports it per intervention, with a sentence to show at the
intervention's control. Money in £ a year at base-year prices, people in persons.
"""

from __future__ import annotations

import pandas as pd

from dashboard.formatting import format_gbp
from dashboard.scenario.results import Result
from dashboard.scenario.spec import parameter_bounds

#: The columns of :func:`budget_use`, in order.
BUDGET_USE_COLUMNS: tuple[str, ...] = (
    "intervention",
    "label",
    "cohort_kind",
    "asked_gbp_per_year",
    "used_gbp_per_year",
    "first_year_cap_gbp",
    "cohort_people",
    "unused_gbp_per_year",
    "message",
)


def unused_message(kind: str, asked_gbp: float, used_gbp: float, people: float) -> str:
    """The sentence for a budget its cohort cannot absorb ("" when the money shown is the
    same): ``asked_gbp`` and ``used_gbp`` in £ a year (means over the years of spending),
    ``people`` eligible (a flow: people a year, the mean over those years; a stock: the group
    in year 1)."""
    used, asked = format_gbp(used_gbp), format_gbp(asked_gbp)
    if used_gbp >= asked_gbp or used == asked:
        return ""
    n = f"{people:,.0f}"
    who = f"{n} person" if n == "1" else f"{n} people"
    if kind == "stock":
        return (
            f"Only {used} of {asked} a year can be used on average: the eligible group is "
            f"{who}, each reached once."
        )
    return (
        f"Only {used} of {asked} a year can be used: the eligible cohort is {who} a year "
        "on average."
    )


def budget_use(result: Result) -> pd.DataFrame:
    """One row per funded intervention (budget above 0) of a deterministic run:
    ``asked_gbp_per_year`` the budget (£ a year; a budget per head times the base-year
    population), ``used_gbp_per_year`` the mean spend over its years of spending,
    ``first_year_cap_gbp`` what the cohort eligible in year 1 can absorb (£),
    ``cohort_people`` the people eligible in year 1, ``unused_gbp_per_year`` (asked minus
    used, £ a year) and ``message`` ("" when all is used)."""
    cat, sc = result.catalogue, result.scenario
    chain = result.core.chain
    _, central, _ = parameter_bounds(cat, sc.overrides)
    first = 1 if sc.years > 1 else 0
    rows = []
    for i, iv in enumerate(cat.interventions):
        budget = float(sc.budgets.get(iv.id, 0.0))
        if budget <= 0:
            continue
        asked = budget * (
            result.context.total_population if sc.budget_basis == "gbp_per_head" else 1.0
        )
        n = sc.spending_years(iv.id)
        spend = chain.spend[0, 0, i]
        used = float(spend[1 : n + 1].mean()) if n else 0.0
        people = float(chain.cohort[0, 0, i, first])
        # a flow's eligible people change with the population: the message states the mean
        # over the years of spending, as the money used is a mean over the same years
        said = people
        if iv.cohort_kind == "flow" and n:
            said = float(chain.cohort[0, 0, i, 1 : n + 1].mean())
        cost = float(central[iv.cost_per_participant.index])
        rows.append(
            {
                "intervention": iv.id,
                "label": iv.label,
                "cohort_kind": iv.cohort_kind,
                "asked_gbp_per_year": asked,
                "used_gbp_per_year": used,
                "first_year_cap_gbp": people * cost,
                "cohort_people": people,
                "unused_gbp_per_year": max(asked - used, 0.0) if n else 0.0,
                "message": unused_message(iv.cohort_kind, asked, used, said) if n else "",
            }
        )
    return pd.DataFrame(rows, columns=list(BUDGET_USE_COLUMNS))
