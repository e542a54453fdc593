"""Money in cash or in real terms at a stated price base, from the bundle's price index.

The bundle's deflators.csv holds a price index by period (the GDP deflator by financial year
for England), described by bundle.yaml ``deflator:`` (series, base period, source). A value of
period ``p`` in real terms at the prices of ``base`` is ``value × index[base] / index[p]``;
in cash it is the value as published. Only money is converted: units ``gbp``,
``gbp_per_head`` and ``gbp_thousands`` (``bundle.schema.MONEY_UNITS``). Without a valid price
index real terms are unavailable, and :func:`unavailable_reason` says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import MONEY_UNITS

#: The choices of price basis: as published, or at the prices of the base period.
PRICES: dict[str, str] = {"cash": "Cash", "real": "Real terms"}
CASH, REAL = "cash", "real"


def is_money(unit: str) -> bool:
    """Whether values in ``unit`` are money (and so have a price basis)."""
    return unit in MONEY_UNITS


def deflator_block(bundle: Bundle) -> dict | None:
    """bundle.yaml ``deflator:`` when the bundle has a valid price index, else None."""
    frame = getattr(bundle, "deflators", None)
    block = bundle.meta.get("deflator")
    if frame is None or not isinstance(block, dict):
        return None
    return block


def has_real_terms(bundle: Bundle) -> bool:
    """Whether real terms can be shown for this bundle."""
    return deflator_block(bundle) is not None


def unavailable_reason(bundle: Bundle) -> str | None:
    """Why real terms cannot be shown (plain text), or None when they can."""
    if has_real_terms(bundle):
        return None
    problem = getattr(bundle, "deflator_problem", "")
    if problem:
        return f"Real terms are not available: the price index was refused ({problem})."
    return f"Real terms are not available: {bundle.title} has no price index (deflators.csv)."


def base_period(bundle: Bundle) -> str | None:
    """The price base of real terms (bundle.yaml ``deflator.base_period``), None without one."""
    block = deflator_block(bundle)
    return None if block is None else str(block["base_period"])


def index_of(bundle: Bundle) -> dict[str, float]:
    """The price index by period ({} without one)."""
    if not has_real_terms(bundle):
        return {}
    frame = bundle.deflators
    return dict(zip(frame["period"].astype(str), frame["index"].astype(float), strict=True))


def price_factor(bundle: Bundle, period: str, prices: str, base: str | None = None) -> float:
    """The multiplier taking a money value of ``period`` to the chosen basis: 1.0 in cash;
    ``index[base] / index[period]`` in real terms (``base`` defaults to the bundle's base
    period). NaN in real terms for a period the index does not cover, or without an index."""
    if prices != REAL:
        return 1.0
    index = index_of(bundle)
    base = base or base_period(bundle)
    at, ref = index.get(str(period)), index.get(str(base)) if base else None
    if at is None or ref is None:
        return math.nan
    return ref / at


def source_short(bundle: Bundle) -> str:
    """The price index in a few words, e.g. 'GDP deflator, ONS' (its ``label``, else series)."""
    block = deflator_block(bundle) or {}
    return str(block.get("label") or block.get("series") or "price index")


def prices_label(bundle: Bundle, prices: str, base: str | None = None) -> str:
    """The price basis in words: 'cash', or 'real terms, 2024-25 prices (GDP deflator, ONS)'."""
    if prices != REAL or not has_real_terms(bundle):
        return "cash"
    return f"real terms, {base or base_period(bundle)} prices ({source_short(bundle)})"


def axis_label(bundle: Bundle, prices: str) -> str:
    """The price basis for an axis or legend title: 'cash' or 'real terms, 2024-25 prices'."""
    if prices != REAL or not has_real_terms(bundle):
        return "cash"
    return f"real terms, {base_period(bundle)} prices"


def source_text(bundle: Bundle) -> str:
    """The price index's source as 'publisher: title (licence)' ("" without one)."""
    block = deflator_block(bundle)
    if block is None:
        return ""
    s = block["source"]
    return f"{s['publisher']}: {s['title']} ({s['licence']})"


def factors(bundle: Bundle, periods: Iterable[object], prices: str) -> np.ndarray:
    """:func:`price_factor` for each period (an array of floats)."""
    cache: dict[str, float] = {}
    out = []
    for p in periods:
        key = str(p)
        if key not in cache:
            cache[key] = price_factor(bundle, key, prices)
        out.append(cache[key])
    return np.asarray(out, dtype=float)


def convert_frame(
    frame: pd.DataFrame,
    bundle: Bundle,
    prices: str,
    columns: Sequence[str],
    *,
    unit: str | None = None,
    unit_column: str = "unit",
    period_column: str = "period",
) -> pd.DataFrame:
    """A copy of ``frame`` with the money ``columns`` at the chosen price basis: each row
    multiplied by the factor of its period (``period_column``), where its unit (``unit`` for
    the whole frame, else ``unit_column``) is money. Cash returns the frame unchanged."""
    if prices != REAL or frame.empty:
        return frame
    if unit is not None:
        money = np.full(len(frame), is_money(unit))
    else:
        money = frame[unit_column].map(is_money).to_numpy(dtype=bool)
    if not money.any():
        return frame
    f = np.where(money, factors(bundle, frame[period_column], prices), 1.0)
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float) * f
    return out


def basis_column(
    bundle: Bundle, units: Iterable[str], prices: str, periods: Iterable[object] | None = None
) -> list[str]:
    """The price basis of each row for a download: the label for money, "" for the rest; with
    ``periods``, a money row in real terms whose period has no index says so."""
    label = prices_label(bundle, prices)
    units = list(units)
    pers = [None] * len(units) if periods is None else [str(p) for p in periods]
    real = prices == REAL and has_real_terms(bundle)
    index = index_of(bundle) if real else {}
    out = []
    for u, p in zip(units, pers, strict=True):
        if not is_money(u):
            out.append("")
        elif real and p is not None and p not in index:
            out.append(missing_index_text(p))
        else:
            out.append(label)
    return out


def missing_index_text(period: str) -> str:
    """Why a money value of ``period`` has no real-terms value."""
    return f"no price index for {period}: not shown in real terms (choose cash)"


#: Catalogue files whose money assumptions the Scenarios page uses.
SCENARIO_FILES: tuple[str, ...] = ("scenario.yaml", "interventions.yaml")


def catalogue_price_years(
    files: Sequence[str] = SCENARIO_FILES, unit: str | None = None
) -> dict[str, int]:
    """How many money assumptions (units starting ``gbp``, or exactly ``unit``) of the
    catalogue ``files`` state each price year (``as_of``); "" counts those that state none.
    (Counted once per choice: the catalogue does not change while the app runs.)"""
    return dict(_price_years(tuple(files), unit))


@lru_cache(maxsize=16)
def _price_years(files: tuple[str, ...], unit: str | None) -> tuple[tuple[str, int], ...]:
    from dashboard.catalogue import params_table

    t = params_table()
    units = t["unit"].astype(str)
    t = t[t["file"].isin(files) & (units.str.startswith("gbp") if unit is None else units == unit)]
    years = t["as_of"].fillna("").astype(str)
    return tuple((str(k), int(v)) for k, v in years.value_counts().sort_index().items())


def scenario_money_basis(bundle: Bundle, prices: str = CASH) -> str:
    """The price basis of the scenario's money in words (plain text): the bundle's latest
    period's prices, and what the catalogue's money assumptions state (their ``as_of``). No
    factor is applied: unit costs without a price year cannot be re-priced soundly."""
    latest = bundle.periods[-1] if bundle.periods else ""
    years = catalogue_price_years()
    unit_costs = catalogue_price_years(unit="gbp_per_event")
    none = years.pop("", 0)
    total = none + sum(years.values())
    dated = sum(years.values())
    stated = f"{dated} state one ({', '.join(f'{n} at {y}' for y, n in years.items())})"
    same = (
        f" — the same basis as real terms at {latest} prices elsewhere"
        if prices == REAL and base_period(bundle) == latest
        else ""
    )
    return (
        f"£ at {latest} prices (the place's {latest} spend, in cash{same}); of the catalogue's "
        f"{total} money assumptions, {none} state no price year (illustrative; taken as at "
        f"these prices) and {stated if dated else 'none states one'}; "
        + (
            f"the {sum(unit_costs.values())} NHS unit costs (at "
            f"{', '.join(y for y in unit_costs if y)} prices) are uplifted to the base year by "
            "the bundle's price index (the factor is in each one's source), no other is "
            "re-priced with the deflator"
            if unit_costs
            else "none is re-priced with the deflator"
        )
    )
