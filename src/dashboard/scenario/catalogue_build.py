"""Validate parsed scenario.yaml and interventions.yaml documents into a frozen
:class:`~dashboard.scenario.catalogue_types.Catalogue`.

The generic checks of a number (unit, range, source, grade) are :mod:`dashboard.catalogue`'s;
this module adds the scenario's own schema (agencies, age bands, services, interventions and
their benefit chains). Every refusal is a
:class:`~dashboard.scenario.catalogue_types.CatalogueScenarioError`: it names the file, the key
path and the reason, and its ``parameter`` is the model's parameter path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.schema import AGE_BANDS
from dashboard.catalogue import thaw
from dashboard.scenario.catalogue_checks import (
    ParamCollector,
    age_bands,
    check_one_of,
    limit,
    number_at,
    refusal,
    require_key,
    setting,
)
from dashboard.scenario.catalogue_layout import build_layout
from dashboard.scenario.catalogue_types import (
    COHORT_KINDS,
    COHORT_SHARE_UNITS,
    INDICATOR_UNIT_SCALE,
    OUTCOME_BASES,
    UNIT_COST_SPREADS,
    UNIT_COST_STATISTICS,
    AvoidedCost,
    AvoidedEvent,
    Catalogue,
    Intervention,
    MonteCarloSettings,
    OutcomeEffect,
    Preset,
    ServiceAssumptions,
    UnitCost,
)


def build_catalogue(scen: Mapping[str, Any], ints: Mapping[str, Any]) -> Catalogue:
    """Validate parsed scenario.yaml and interventions.yaml documents into a :class:`Catalogue`."""
    sf, inf = "scenario.yaml", "interventions.yaml"
    grades = tuple(str(g) for g in require_key(scen, "grades", "grades", sf))
    b = ParamCollector(grades)
    agencies_raw = require_key(scen, "agencies", "agencies", sf)
    agencies = tuple(str(a["id"]) for a in agencies_raw)
    agency_labels = {str(a["id"]): str(a.get("label", a["id"])) for a in agencies_raw}

    # discounting
    schedule = []
    disc = require_key(scen, "discounting", "discounting", sf)
    for k, item in enumerate(require_key(disc, "schedule", "discounting", sf)):
        if not isinstance(item, Mapping):
            raise refusal("must be a mapping", parameter=f"discounting.schedule.{k}", file=sf)
        fy = int(number_at(item.get("from_year"), f"discounting.schedule.{k}", sf, "from_year"))
        rate = b.param(
            item.get("rate"),
            f"discounting.from_year_{fy}.rate",
            sf,
            f"discounting.schedule.{k}.rate",
        )
        schedule.append((fy, rate))
    if not schedule or schedule[0][0] != 0:
        raise refusal("must start at from_year 0", parameter="discounting.schedule", file=sf)
    if any(schedule[k][0] >= schedule[k + 1][0] for k in range(len(schedule) - 1)):
        raise refusal("from_year must increase", parameter="discounting.schedule", file=sf)
    inflation = b.param(scen.get("general_inflation"), "general_inflation", sf)
    growth_raw = require_key(scen, "agency_real_cost_growth", "agency_real_cost_growth", sf)
    agency_growth = {
        a: b.param(growth_raw.get(a), f"agency_real_cost_growth.{a}", sf) for a in agencies
    }
    ob_raw = require_key(scen, "optimism_bias", "optimism_bias", sf)
    optimism = {g: b.param(ob_raw.get(g), f"optimism_bias.{g}", sf) for g in grades}
    pop = require_key(scen, "population", "population", sf)
    pop_growth = {
        band: b.param((pop.get("growth") or {}).get(band), f"population.growth.{band}", sf)
        for band in AGE_BANDS
    }
    age_shares = {
        band: b.param((pop.get("age_shares") or {}).get(band), f"population.age_shares.{band}", sf)
        for band in AGE_BANDS
    }

    unit_costs = _unit_costs(scen.get("unit_costs") or {}, b, sf)
    indicators = {str(e["id"]): e for e in canonical_indicators()}

    # services
    services = []
    for sid, raw in require_key(scen, "services", "services", sf).items():
        base = f"services.{sid}"
        spend_ind = str(require_key(raw, "spend_indicator", base, sf))
        if spend_ind not in indicators:
            raise refusal(
                f"'{spend_ind}' is not in indicators.yaml",
                parameter=f"{base}.spend_indicator",
                file=sf,
            )
        weights_raw = require_key(raw, "demand_weights", base, sf)
        weights = tuple(
            b.param(weights_raw.get(band), f"{base}.demand_weights.{band}", sf)
            for band in AGE_BANDS
        )
        if sum(w.low for w in weights) <= 0:
            raise refusal(
                "demand weights must not all be zero", parameter=f"{base}.demand_weights", file=sf
            )
        reactive = require_key(raw, "reactive", base, sf)
        other = str(require_key(reactive, "other_agency", f"{base}.reactive", sf))
        check_one_of(other, agencies, "agency", f"{base}.reactive.other_agency", sf)
        services.append(
            ServiceAssumptions(
                id=str(sid),
                spend_indicator=spend_ind,
                fallback_spend_per_head=b.param(
                    raw.get("fallback_spend_per_head"), f"{base}.fallback_spend_per_head", sf
                ),
                prevention_share=b.param(
                    raw.get("prevention_share"), f"{base}.prevention_share", sf
                ),
                real_unit_cost_growth=b.param(
                    raw.get("real_unit_cost_growth"), f"{base}.real_unit_cost_growth", sf
                ),
                demand_weights=weights,
                conversion=b.param(reactive.get("conversion"), f"{base}.reactive.conversion", sf),
                reactive_lag_years=b.param(
                    reactive.get("lag_years"), f"{base}.reactive.lag_years", sf
                ),
                other_agency=other,
                other_share=b.param(
                    reactive.get("other_share"), f"{base}.reactive.other_share", sf
                ),
            )
        )

    # interventions
    interventions = []
    outcome_ids: list[str] = []
    seen_ids: set[str] = set()
    for raw in require_key(ints, "interventions", "interventions", inf):
        iid = str(require_key(raw, "id", "interventions.?", inf))
        base = f"interventions.{iid}"
        if iid in seen_ids:
            raise refusal("duplicate intervention id", parameter=base, file=inf)
        seen_ids.add(iid)
        grade = str(require_key(raw, "evidence_grade", base, inf))
        check_one_of(grade, grades, "evidence grade", f"{base}.evidence_grade", inf)
        service = str(require_key(raw, "service", base, inf))
        funder = str(raw.get("funder", "council"))
        check_one_of(funder, agencies, "agency", f"{base}.funder", inf)
        cohort = require_key(raw, "cohort", base, inf)
        kind = str(require_key(cohort, "kind", f"{base}.cohort", inf))
        check_one_of(kind, COHORT_KINDS, "cohort kind", f"{base}.cohort.kind", inf)
        reason = str(require_key(cohort, "reason", f"{base}.cohort", inf))
        share = b.param(cohort.get("share"), f"{base}.cohort.share", inf)
        if share.unit != COHORT_SHARE_UNITS[kind]:
            raise refusal(
                f"a {kind} cohort's share is in {COHORT_SHARE_UNITS[kind]}, got {share.unit}",
                parameter=f"{base}.cohort.share",
                file=inf,
            )
        avoided = []
        for item in raw.get("avoided_costs") or []:
            aid = str(require_key(item, "id", f"{base}.avoided_costs", inf))
            apath = f"{base}.avoided_costs.{aid}"
            agency = str(require_key(item, "agency", apath, inf))
            check_one_of(agency, agencies, "agency", f"{apath}.agency", inf)
            if ("value" in item) == ("events" in item):
                raise refusal(
                    "needs either a value or events (not both)", parameter=apath, file=inf
                )
            avoided.append(
                AvoidedCost(
                    id=aid,
                    agency=agency,
                    label=str(item.get("label", aid)),
                    value=(
                        b.param(item.get("value"), f"{apath}.value", inf)
                        if "value" in item
                        else None
                    ),
                    cashable=b.param(item.get("cashable"), f"{apath}.cashable", inf),
                    events=_events(item.get("events"), unit_costs, b, apath, inf),
                )
            )
        if not avoided:
            raise refusal("needs at least one avoided cost", parameter=base, file=inf)
        effects = []
        for item in raw.get("outcomes") or []:
            ind = str(require_key(item, "indicator", f"{base}.outcomes", inf))
            opath = f"{base}.outcomes.{ind}"
            meta = indicators.get(ind)
            if meta is None:
                raise refusal(
                    f"indicator '{ind}' is not in indicators.yaml", parameter=opath, file=inf
                )
            if meta["kind"] != "outcome" or meta["unit"] not in INDICATOR_UNIT_SCALE:
                raise refusal(
                    f"indicator '{ind}' must be an outcome in one of the units "
                    f"{', '.join(INDICATOR_UNIT_SCALE)}",
                    parameter=opath,
                    file=inf,
                )
            basis = str(item.get("basis", "active"))
            check_one_of(basis, OUTCOME_BASES, "basis", f"{opath}.basis", inf)
            denom = require_key(item, "denominator", opath, inf)
            effects.append(
                OutcomeEffect(
                    indicator_id=ind,
                    indicator_unit=str(meta["unit"]),
                    polarity=str(meta["polarity"]),
                    basis=basis,
                    per_success=b.param(item.get("per_success"), f"{opath}.per_success", inf),
                    denominator_bands=age_bands(
                        denom.get("age_bands"), f"{opath}.denominator.age_bands", inf
                    ),
                    denominator_share=b.param(
                        denom.get("share"),
                        f"{opath}.denominator_share",
                        inf,
                        f"{opath}.denominator.share",
                    ),
                )
            )
            if ind not in outcome_ids:
                outcome_ids.append(ind)
        interventions.append(
            Intervention(
                id=iid,
                label=str(require_key(raw, "label", base, inf)),
                service=service,
                evidence_grade=grade,
                description=str(raw.get("description", "")),
                references=tuple(str(r) for r in raw.get("references") or ()),
                funder=funder,
                cohort_bands=age_bands(cohort.get("age_bands"), f"{base}.cohort.age_bands", inf),
                cohort_share=share,
                cost_per_participant=b.param(
                    raw.get("cost_per_participant"), f"{base}.cost_per_participant", inf
                ),
                engagement=b.param(raw.get("engagement"), f"{base}.engagement", inf),
                success_rate=b.param(raw.get("success_rate"), f"{base}.success_rate", inf),
                deadweight=b.param(raw.get("deadweight"), f"{base}.deadweight", inf),
                attribution=b.param(raw.get("attribution"), f"{base}.attribution", inf),
                lag_years=b.param(raw.get("lag_years"), f"{base}.lag_years", inf),
                dropoff=b.param(raw.get("dropoff"), f"{base}.dropoff", inf),
                avoided_costs=tuple(avoided),
                outcomes=tuple(effects),
                cohort_kind=kind,
                cohort_reason=reason,
            )
        )
        if interventions[-1].cost_per_participant.min <= 0:
            raise refusal(
                "cost per participant must be positive (its range must start above 0)",
                parameter=f"{base}.cost_per_participant",
                file=inf,
            )
    service_ids = {s.id for s in services}
    for iv in interventions:
        if iv.service not in service_ids:
            raise refusal(
                f"service '{iv.service}' has no entry under services in scenario.yaml",
                parameter=f"interventions.{iv.id}.service",
                file=inf,
            )

    limits = {
        str(k): limit(v, f"limits.{k}", sf)
        for k, v in require_key(scen, "limits", "limits", sf).items()
    }
    mc = require_key(scen, "monte_carlo", "monte_carlo", sf)
    monte_carlo = MonteCarloSettings(
        distribution=str(require_key(mc, "distribution", "monte_carlo", sf)),
        pert_shape=setting(mc, "pert_shape", sf)[0].value,
        percentiles=tuple(p.value for p in setting(mc, "percentiles", sf)),
        default_draws=int(setting(mc, "default_draws", sf)[0].value),
    )
    if monte_carlo.distribution not in ("pert", "triangular"):
        raise refusal(
            "distribution must be pert or triangular", parameter="monte_carlo.distribution", file=sf
        )
    iv_ids = {iv.id for iv in interventions}
    presets = {}
    for pid, raw in require_key(scen, "presets", "presets", sf).items():
        budgets = {str(k): float(v) for k, v in (raw.get("budgets_gbp_per_head") or {}).items()}
        for k, v in budgets.items():
            if k not in iv_ids:
                raise refusal(
                    f"unknown intervention '{k}'", parameter=f"presets.{pid}.budgets", file=sf
                )
            lim = limits["budget_gbp_per_head"]
            if not lim.min <= v <= lim.max:
                raise refusal(
                    f"{v} is outside [{lim.min}, {lim.max}]",
                    parameter=f"presets.{pid}.budgets.{k}",
                    file=sf,
                )
        presets[str(pid)] = Preset(
            id=str(pid),
            label=str(raw.get("label", pid)),
            description=str(raw.get("description", "")),
            budgets_gbp_per_head=budgets,
            prevention_cut_per_year=float(raw.get("prevention_cut_per_year", 0.0)),
        )

    catalogue_args = dict(
        interventions=tuple(interventions),
        agencies=agencies,
        agency_labels=agency_labels,
        grades=grades,
        discount_schedule=tuple(schedule),
        general_inflation=inflation,
        agency_growth=agency_growth,
        optimism_bias=optimism,
        population_growth=pop_growth,
        age_shares=age_shares,
        services=tuple(services),
        limits=limits,
        monte_carlo=monte_carlo,
        presets=presets,
        sanity=thaw(scen.get("sanity") or {}),
        unit_costs=unit_costs,
        params=tuple(b.params),
        outcome_indicators=tuple(outcome_ids),
    )
    layout = build_layout(catalogue_args)
    return Catalogue(**catalogue_args, layout=layout)  # type: ignore[arg-type]


def _unit_costs(raw: Any, b: ParamCollector, sf: str) -> dict[str, UnitCost]:
    """scenario.yaml ``unit_costs``: each a parameter (£ per event) with its ``ncc`` citation
    (department, currency codes, statistic, spread, price year); one price year for all."""
    if not isinstance(raw, Mapping):
        raise refusal("must be a mapping", parameter="unit_costs", file=sf)
    out: dict[str, UnitCost] = {}
    for uid, item in raw.items():
        path = f"unit_costs.{uid}"
        ncc = require_key(item, "ncc", path, sf)
        npath = f"{path}.ncc"
        codes = require_key(ncc, "currency_codes", npath, sf)
        if codes == "all":
            code_list: tuple[str, ...] = ("all",)
        elif (
            isinstance(codes, Sequence)
            and not isinstance(codes, str)
            and codes
            and all(isinstance(c, str) for c in codes)
        ):
            code_list = tuple(codes)
        else:
            raise refusal(
                'must be "all" or a non-empty list of codes',
                parameter=f"{npath}.currency_codes",
                file=sf,
            )
        statistic = str(require_key(ncc, "statistic", npath, sf))
        check_one_of(statistic, UNIT_COST_STATISTICS, "statistic", f"{npath}.statistic", sf)
        spread = require_key(ncc, "spread", npath, sf)
        kind = str(require_key(spread, "statistic", f"{npath}.spread", sf))
        check_one_of(kind, UNIT_COST_SPREADS, "statistic", f"{npath}.spread.statistic", sf)
        pct = require_key(spread, "percentiles", f"{npath}.spread", sf)
        lo_q, hi_q = (
            (
                number_at(pct[0], f"{npath}.spread", sf, "percentiles.0"),
                number_at(pct[1], f"{npath}.spread", sf, "percentiles.1"),
            )
            if isinstance(pct, Sequence) and not isinstance(pct, str) and len(pct) == 2
            else (-1.0, -1.0)
        )
        if not 0 <= lo_q < hi_q <= 100:
            raise refusal(
                "must be two percentiles, low < high, between 0 and 100",
                parameter=f"{npath}.spread.percentiles",
                file=sf,
            )
        param = b.param(item, path, sf)
        if param.unit != "gbp_per_event":
            raise refusal("unit must be gbp_per_event", parameter=f"{path}.unit", file=sf)
        out[str(uid)] = UnitCost(
            id=str(uid),
            label=str(require_key(item, "label", path, sf)),
            param=param,
            department_code=str(require_key(ncc, "department_code", npath, sf)),
            currency_codes=code_list,
            statistic=statistic,
            spread_percentiles=(lo_q, hi_q),
            price_year=str(require_key(ncc, "price_year", npath, sf)),
        )
    years = {u.price_year for u in out.values()}
    if len(years) > 1:
        raise refusal(
            f"every unit cost needs the same price year (found {', '.join(sorted(years))})",
            parameter="unit_costs",
            file=sf,
        )
    return out


def _events(
    raw: Any, unit_costs: Mapping[str, UnitCost], b: ParamCollector, apath: str, inf: str
) -> tuple[AvoidedEvent, ...]:
    """An avoided cost's ``events``: per unit cost of scenario.yaml, a count per success."""
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise refusal("events must be a non-empty list", parameter=f"{apath}.events", file=inf)
    out = []
    for k, item in enumerate(raw):
        uid = str(require_key(item, "unit_cost", f"{apath}.events.{k}", inf))
        check_one_of(uid, tuple(unit_costs), "unit cost", f"{apath}.events.{k}.unit_cost", inf)
        if any(e.unit_cost == uid for e in out):
            raise refusal(
                f"unit cost '{uid}' is listed twice", parameter=f"{apath}.events", file=inf
            )
        per = b.param(
            item.get("per_success"),
            f"{apath}.events.{uid}.per_success",
            inf,
            f"{apath}.events.{k}.per_success",
        )
        if per.unit != "events_per_success_per_year":
            raise refusal(
                "unit must be events_per_success_per_year",
                parameter=f"{apath}.events.{uid}.per_success",
                file=inf,
            )
        out.append(AvoidedEvent(unit_cost=uid, per_success=per))
    return tuple(out)
