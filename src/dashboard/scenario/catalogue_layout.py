"""Index arrays from the scenario catalogue's flat parameter vector into the model's arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.catalogue_types import Intervention, Layout, ServiceAssumptions


def build_layout(c: dict[str, Any]) -> Layout:
    """The :class:`Layout` of the catalogue fields ``c`` (read-only arrays)."""
    ivs: tuple[Intervention, ...] = c["interventions"]
    agencies: tuple[str, ...] = c["agencies"]
    services: tuple[ServiceAssumptions, ...] = c["services"]
    outcome_ids: tuple[str, ...] = c["outcome_indicators"]
    a_ix = {a: k for k, a in enumerate(agencies)}
    band_ix = {band: k for k, band in enumerate(AGE_BANDS)}

    def idx(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.intp)

    def mask(groups: list[tuple[str, ...]]) -> np.ndarray:
        m = np.zeros((len(groups), len(AGE_BANDS)))
        for r, bands in enumerate(groups):
            for band in bands:
                m[r, band_ix[band]] = 1.0
        return m

    items = [(i, ac) for i, iv in enumerate(ivs) for ac in iv.avoided_costs]
    effects = [(i, oe) for i, iv in enumerate(ivs) for oe in iv.outcomes]
    unit_costs = c["unit_costs"]
    events = [(j, ev) for j, (_, ac) in enumerate(items) for ev in ac.events]
    arrays = dict(
        i_cost=idx([iv.cost_per_participant.index for iv in ivs]),
        i_engagement=idx([iv.engagement.index for iv in ivs]),
        i_success=idx([iv.success_rate.index for iv in ivs]),
        i_deadweight=idx([iv.deadweight.index for iv in ivs]),
        i_attribution=idx([iv.attribution.index for iv in ivs]),
        i_lag=idx([iv.lag_years.index for iv in ivs]),
        i_dropoff=idx([iv.dropoff.index for iv in ivs]),
        i_cohort_share=idx([iv.cohort_share.index for iv in ivs]),
        i_optimism=idx([c["optimism_bias"][iv.evidence_grade].index for iv in ivs]),
        cohort_mask=mask([iv.cohort_bands for iv in ivs]),
        i_stock=np.asarray([iv.cohort_kind == "stock" for iv in ivs], dtype=bool),
        funder=idx([a_ix[iv.funder] for iv in ivs]),
        j_value=idx([0 if ac.value is None else ac.value.index for _, ac in items]),
        j_fixed=np.asarray([ac.value is not None for _, ac in items], dtype=float),
        j_cashable=idx([ac.cashable.index for _, ac in items]),
        j_intervention=idx([i for i, _ in items]),
        j_agency=idx([a_ix[ac.agency] for _, ac in items]),
        e_count=idx([ev.per_success.index for _, ev in events]),
        e_unit_cost=idx([unit_costs[ev.unit_cost].param.index for _, ev in events]),
        e_item=idx([j for j, _ in events]),
        k_per_success=idx([oe.per_success.index for _, oe in effects]),
        k_share=idx([oe.denominator_share.index for _, oe in effects]),
        k_intervention=idx([i for i, _ in effects]),
        k_indicator=idx([outcome_ids.index(oe.indicator_id) for _, oe in effects]),
        k_scale=np.asarray([oe.unit_scale for _, oe in effects], dtype=float),
        k_new=np.asarray([oe.basis == "new" for _, oe in effects], dtype=bool),
        k_mask=mask([oe.denominator_bands for _, oe in effects]),
        d_from_year=idx([fy for fy, _ in c["discount_schedule"]]),
        d_rate=idx([p.index for _, p in c["discount_schedule"]]),
        a_growth=idx([c["agency_growth"][a].index for a in agencies]),
        s_fallback=idx([s.fallback_spend_per_head.index for s in services]),
        s_prevention=idx([s.prevention_share.index for s in services]),
        s_growth=idx([s.real_unit_cost_growth.index for s in services]),
        s_weights=np.asarray(
            [[w.index for w in s.demand_weights] for s in services], dtype=np.intp
        ),
        s_conversion=idx([s.conversion.index for s in services]),
        s_lag=idx([s.reactive_lag_years.index for s in services]),
        s_other_share=idx([s.other_share.index for s in services]),
        s_other_agency=idx([a_ix[s.other_agency] for s in services]),
        b_growth=idx([c["population_growth"][band].index for band in AGE_BANDS]),
        b_share=idx([c["age_shares"][band].index for band in AGE_BANDS]),
    )
    for a in arrays.values():
        a.setflags(write=False)
    return Layout(**arrays, inflation=c["general_inflation"].index)
