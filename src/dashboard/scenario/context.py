"""The place a scenario runs for: population by age band and year, spend per head, outcomes.

Built from a bundle (:func:`context_from_bundle`) or from plain arrays
(:meth:`PlaceContext.from_arrays`). The population by age band comes from
:mod:`dashboard.scenario.demography` (estimates, projections, the place's own trend); years after
the last one it gives are projected by the model with the growth rates per age band in
scenario.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.catalogue import Catalogue
from dashboard.scenario.demography import NATIONAL, population_from_bundle
from dashboard.scenario.errors import ScenarioError

if TYPE_CHECKING:
    from dashboard.bundle.model import Bundle

#: The bundle indicators that can adjust the fallback age structure: (id, bands they cover).
_AGE_SHARE_INDICATORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pct_aged_0_17", ("0-4", "5-17")),
    ("pct_aged_65_plus", ("65-74", "75-84", "85+")),
    ("pct_aged_85_plus", ("85+",)),
)


@dataclass(frozen=True, eq=False)
class PlaceContext:
    """What the model needs to know about one place.

    ``population`` is people by age band (rows in ``AGE_BANDS`` order) for the years
    ``base_year, base_year + 1, ...`` that the source has (at least one column); later years
    are projected with the fallback growth rates. ``spend_per_head`` is £ per head in the base
    year by service id (a service missing here uses its fallback in scenario.yaml);
    ``outcomes`` the latest value of each outcome indicator, in the indicator's unit.
    """

    place_code: str
    name: str
    base_year: int
    population: np.ndarray
    spend_per_head: Mapping[str, float] = field(default_factory=dict)
    outcomes: Mapping[str, float] = field(default_factory=dict)
    population_source: str = "given"
    #: Ratio taking the NHS unit costs (at the catalogue's price year) to base-year prices,
    #: and the sentence that states the index and the factor (see :func:`unit_cost_uplift`).
    price_uplift: float = 1.0
    price_uplift_note: str = ""

    def __post_init__(self) -> None:
        pop = np.asarray(self.population, dtype=float)
        if pop.ndim == 1:
            pop = pop[:, None]
        if pop.shape[0] != len(AGE_BANDS) or pop.shape[1] < 1:
            raise ScenarioError(
                f"population needs {len(AGE_BANDS)} age-band rows and at least one year",
                parameter="context.population",
            )
        if not np.all(np.isfinite(pop)) or (pop < 0).any():
            raise ScenarioError(
                "population must be finite and not negative", parameter="context.population"
            )
        pop = pop.copy()
        pop.setflags(write=False)
        object.__setattr__(self, "population", pop)

    @classmethod
    def from_arrays(
        cls,
        place_code: str,
        population: Mapping[str, float | Sequence[float]] | np.ndarray,
        *,
        base_year: int = 2024,
        name: str | None = None,
        spend_per_head: Mapping[str, float] | None = None,
        outcomes: Mapping[str, float] | None = None,
        price_uplift: float = 1.0,
        price_uplift_note: str = "",
    ) -> PlaceContext:
        """A context from people by age band (a mapping band -> persons or persons by year);
        ``price_uplift`` the ratio from the NHS unit costs' price year to base-year prices."""
        if isinstance(population, Mapping):
            missing = [b for b in AGE_BANDS if b not in population]
            if missing:
                raise ScenarioError(
                    f"population lacks age band '{missing[0]}'", parameter="context.population"
                )
            rows = [np.atleast_1d(np.asarray(population[b], dtype=float)) for b in AGE_BANDS]
            pop = np.vstack(rows)
        else:
            pop = np.asarray(population, dtype=float)
        return cls(
            place_code=place_code,
            name=name or place_code,
            base_year=base_year,
            population=pop,
            spend_per_head=dict(spend_per_head or {}),
            outcomes=dict(outcomes or {}),
            price_uplift=float(price_uplift),
            price_uplift_note=price_uplift_note,
        )

    @property
    def total_population(self) -> float:
        """People in the base year."""
        return float(self.population[:, 0].sum())


def _period_start(period: str) -> int:
    m = re.match(r"\s*(\d{4})", str(period))
    return int(m.group(1)) if m else -1


def _latest(values: pd.DataFrame, indicator_id: str) -> float | None:
    rows = values[(values["indicator_id"] == indicator_id) & values["value"].notna()]
    if rows.empty:
        return None
    order = rows["period"].map(_period_start)
    return float(rows.loc[order.idxmax(), "value"])


def context_from_bundle(bundle: Bundle, place_code: str, catalogue: Catalogue) -> PlaceContext:
    """Build the context for ``place_code`` from a validated bundle.

    Population comes from population.parquet and population_projection.parquet in the order of
    :mod:`dashboard.scenario.demography` (``population_source`` says which was used); without
    population by age, from the ``population`` indicator split by the fallback age structure in
    scenario.yaml, adjusted to the place's pct_aged_* indicators where present. The base year
    is the start of the bundle's latest period.
    """
    if place_code not in set(bundle.places["code"]):
        raise ScenarioError(f"place '{place_code}' is not in the bundle", parameter="place_code")

    def values() -> pd.DataFrame:  # the place's rows, only where a fallback needs them
        return bundle.values_of([place_code])

    periods = [_period_start(p) for p in bundle.periods] or [
        _period_start(p) for p in values()["period"].unique()
    ]
    base_year = max(periods) if periods else 0
    latest = bundle.latest_values(place_code)
    spend = {
        s.id: latest[s.spend_indicator] for s in catalogue.services if s.spend_indicator in latest
    }
    outcomes = {ind: latest[ind] for ind in catalogue.outcome_indicators if ind in latest}

    got = population_from_bundle(bundle, place_code, base_year, catalogue)
    if got is not None:
        pop, base, source = got
    else:
        total = latest.get("population")
        if total is None:
            raise ScenarioError(
                f"the bundle has neither population.parquet nor a 'population' value for "
                f"'{place_code}'",
                parameter="context.population",
            )
        pop = (fallback_age_shares(catalogue, values()) * total)[:, None]
        source = f"bundle total with the fallback age structure, grown at {NATIONAL}"
        base = base_year
    uplift, note = bundle_unit_cost_uplift(bundle, catalogue, base)
    return PlaceContext(
        place_code=place_code,
        name=bundle.place_name(place_code),
        base_year=base,
        population=pop,
        spend_per_head=spend,
        outcomes=outcomes,
        population_source=source,
        price_uplift=uplift,
        price_uplift_note=note,
    )


def financial_year(start: int) -> str:
    """The financial year starting in ``start`` as a period: 2024 -> "2024-25"."""
    return f"{start}-{(start + 1) % 100:02d}"


def unit_cost_uplift(
    price_year: str | None,
    base_year: int,
    index: Mapping[str, float] | None,
    index_label: str = "GDP deflator",
) -> tuple[float, str]:
    """The ratio taking money at ``price_year`` prices ("2024/25") to the prices of the
    financial year starting in ``base_year``, and a sentence stating the index and factor.

    1 when the years are the same; ``index[base] / index[price year]`` when the price
    ``index`` (period -> value, e.g. a bundle's deflators.csv) has both years; otherwise 1,
    with a sentence saying that no uplift was applied and why."""
    base = financial_year(base_year)
    if price_year is None:
        return 1.0, "no unit costs to re-price"
    at = str(price_year).replace("/", "-")
    if at == base:
        return 1.0, f"{index_label}, {base} = base year"
    known = dict(index or {})
    if at in known and base in known and known[at] > 0:
        factor = known[base] / known[at]
        return factor, (
            f"{index_label}, {base} index {known[base]:g} ÷ {at} index {known[at]:g} = {factor:.3f}"
        )
    missing = at if at not in known else base
    return 1.0, (
        f"no uplift: the bundle has no {index_label} for {missing}, so the unit costs stay "
        f"at {at} prices"
    )


def bundle_unit_cost_uplift(
    bundle: Bundle, catalogue: Catalogue, base_year: int
) -> tuple[float, str]:
    """:func:`unit_cost_uplift` with the bundle's price index (deflators.csv, when valid)."""
    frame = getattr(bundle, "deflators", None)
    block = bundle.meta.get("deflator") if isinstance(bundle.meta, Mapping) else None
    index: dict[str, float] = {}
    label = "GDP deflator"
    if frame is not None and isinstance(block, Mapping):
        index = dict(zip(frame["period"].astype(str), frame["index"].astype(float), strict=True))
        label = str(block.get("label") or block.get("series") or label)
    return unit_cost_uplift(catalogue.unit_cost_price_year, base_year, index, label)


def fallback_age_shares(catalogue: Catalogue, values: pd.DataFrame | None = None) -> np.ndarray:
    """Share of people in each age band: scenario.yaml's, matched to pct_aged_* values if any."""
    shares = np.array([catalogue.age_shares[b].central for b in AGE_BANDS], dtype=float)
    shares = shares / shares.sum()
    if values is None:
        return shares
    ix = {b: k for k, b in enumerate(AGE_BANDS)}
    for ind, bands in _AGE_SHARE_INDICATORS:
        v = _latest(values, ind)
        if v is None or not 0 < v < 100:
            continue
        cols = [ix[b] for b in bands]
        inside = shares[cols].sum()
        rest = [k for k in range(len(AGE_BANDS)) if k not in cols]
        if ind == "pct_aged_85_plus":
            # move people between 85+ and the other 65+ bands only
            old = [ix["65-74"], ix["75-84"]]
            total_65 = shares[old].sum() + inside
            target = min(v / 100.0, total_65)
            shares[old] *= (total_65 - target) / max(shares[old].sum(), 1e-12)
            shares[cols] = target
            continue
        target = v / 100.0
        shares[cols] *= target / max(inside, 1e-12)
        shares[rest] *= (1.0 - target) / max(shares[rest].sum(), 1e-12)
    return shares / shares.sum()


def describe(context: PlaceContext) -> dict[str, Any]:
    """Plain summary of a context (for display and debugging)."""
    return {
        "place_code": context.place_code,
        "name": context.name,
        "base_year": context.base_year,
        "population": context.total_population,
        "population_years": int(context.population.shape[1]),
        "population_source": context.population_source,
        "spend_per_head": dict(context.spend_per_head),
        "outcomes": dict(context.outcomes),
        "price_uplift": context.price_uplift,
        "price_uplift_note": context.price_uplift_note,
    }
