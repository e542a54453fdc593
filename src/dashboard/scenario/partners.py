"""Who pays and who gains: each agency's position in a deterministic run, the council first.

Read from the run's own arrays and frames (``Result.agency_cube`` through
``report.agency_summary`` for the present values, ``Result.cash_flow`` for the yearly cash): nothing of the model is computed
again. Money is in £ at base-year prices; every ``pv_*`` is a present value discounted to the
base year. Cashable benefit is money an agency can take out of its budget; non-cashable benefit
is capacity freed (staff time, beds, places) that it cannot. The two are added only in the
columns named ``all benefit (cashable + non-cashable)``. A prevention cut in the scenario is
included as the frames include it: its saving is a negative cost of the council, the reactive
demand it causes a negative cashable benefit of the agency that meets it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.scenario.finance import payback_year
from dashboard.scenario.report import agency_summary
from dashboard.scenario.results import Result

COUNCIL = "council"

#: Columns of :func:`partner_table` (money columns in £, present values) and their labels.
PARTNER_COLUMNS = {
    "pv_pays_gbp": "pays",
    "pv_cashable_gbp": "cashable benefit",
    "pv_noncashable_gbp": "non-cashable benefit",
    "pv_net_cash_gbp": "net cash (cashable − pays)",
    "pv_all_benefit_gbp": "all benefit (cashable + non-cashable)",
    "pv_net_all_benefit_gbp": "net (all benefit − pays)",
}


@dataclass(frozen=True)
class CouncilPosition:
    """The council's own position: what it pays, the cashable savings it gets back and its net
    cash (present values, £), its payback year on cash (calendar year, None when it does not
    pay back within the horizon), the horizon (years) and its cumulative net cash at the end
    of the horizon (£ real, undiscounted)."""

    label: str
    pays_gbp: float
    cashable_back_gbp: float
    net_cash_gbp: float
    payback_year: int | None
    horizon_years: int
    cumulative_net_cash_end_gbp: float

    @property
    def pays_back(self) -> bool:
        """True when its cumulative discounted cash reaches zero within the horizon."""
        return self.payback_year is not None


def _yearly(result: Result, measure: str) -> np.ndarray:
    """One measure of ``Result.cash_flow`` as an (agency, year) array in catalogue order (0
    where a value is missing)."""
    return np.nan_to_num(result.cash_measure(measure), nan=0.0)


def cash_payback_years(result: Result) -> dict[str, int | None]:
    """Each agency's payback year on cash: the first calendar year in which its cumulative
    discounted cashable net (cashable benefit minus what it pays) reaches zero or more, once it
    has paid something (the headline's convention, finance.payback_year); None when it never
    does within the horizon or pays nothing."""
    cost = _yearly(result, "cost_gbp")
    net_cash = _yearly(result, "net_cashable_gbp")
    df = np.asarray(result.core.money.df[0], dtype=float)
    first = payback_year(net_cash + cost, cost, df[None, :])
    base = result.context.base_year
    return {
        a: None if np.isnan(y) else base + int(y)
        for a, y in zip(result.catalogue.agencies, first, strict=True)
    }


def partner_table(result: Result) -> pd.DataFrame:
    """One row per agency (catalogue order, the council first): agency, agency_label, the
    present values (£) of :data:`PARTNER_COLUMNS`, and payback_year_cash (calendar year, <NA>
    when it does not pay back within the horizon or pays nothing)."""
    s = agency_summary(result)
    pays = s["pv_cost_gbp"].to_numpy(dtype=float)
    cash = s["pv_benefit_cashable_gbp"].to_numpy(dtype=float)
    noncash = s["pv_benefit_noncashable_gbp"].to_numpy(dtype=float)
    payback = cash_payback_years(result)
    out = pd.DataFrame(
        {
            "agency": s["agency"].astype(str).to_numpy(),
            "agency_label": s["agency_label"].astype(str).to_numpy(),
            "pv_pays_gbp": pays,
            "pv_cashable_gbp": cash,
            "pv_noncashable_gbp": noncash,
            "pv_net_cash_gbp": cash - pays,
            "pv_all_benefit_gbp": cash + noncash,
            "pv_net_all_benefit_gbp": cash + noncash - pays,
        }
    )
    out["payback_year_cash"] = pd.array([payback[a] for a in out["agency"]], dtype="Int64")
    return out


def council_position(result: Result, table: pd.DataFrame | None = None) -> CouncilPosition:
    """The council's row of :func:`partner_table` (``table``, when the caller has it) as a
    :class:`CouncilPosition`."""
    table = partner_table(result) if table is None else table
    row = table.set_index("agency").loc[COUNCIL]
    cum = _yearly(result, "cumulative_net_cashable_gbp")
    year = row["payback_year_cash"]
    return CouncilPosition(
        label=str(row["agency_label"]),
        pays_gbp=float(row["pv_pays_gbp"]),
        cashable_back_gbp=float(row["pv_cashable_gbp"]),
        net_cash_gbp=float(row["pv_net_cash_gbp"]),
        payback_year=None if pd.isna(year) else int(year),
        horizon_years=int(result.scenario.horizon_years),
        cumulative_net_cash_end_gbp=float(cum[list(result.catalogue.agencies).index(COUNCIL), -1]),
    )


def partner_export(result: Result) -> pd.DataFrame:
    """The table per agency for a download: agency label, the present values (£) of
    :data:`PARTNER_COLUMNS` under their labels, and the cash payback year (an integer year, or
    empty when it does not pay back within the horizon or pays nothing)."""
    t = partner_table(result)
    out = pd.DataFrame({"agency": t["agency_label"]})
    for col, label in PARTNER_COLUMNS.items():
        out[f"{label} (PV, £)"] = t[col].to_numpy()
    out["cash payback year"] = t["payback_year_cash"]
    return out
