"""Load and validate data/catalogue/interventions.yaml and scenario.yaml into frozen objects.

Every number is a :class:`Param` (low, central, high, unit, allowed range, evidence grade,
source) with a position in one flat parameter vector, so a Monte Carlo draw is one row of a
``draws x parameters`` array. :class:`Layout` holds the index arrays the vectorised model uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from dashboard import CATALOGUE_DIR
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.schema import AGE_BANDS
from dashboard.scenario.errors import ScenarioError

#: Units a parameter may carry (vocabulary of the file format, not assumptions).
PARAM_UNITS: tuple[str, ...] = (
    "gbp_per_person",
    "gbp_per_success_per_year",
    "gbp_per_head",
    "gbp_per_gbp",
    "share",
    "share_per_year",
    "years",
    "people_per_success",
    "weight",
)
PARAM_FIELDS: tuple[str, ...] = ("low", "central", "high", "unit", "range", "grade", "source")
#: Indicator units an outcome effect can map onto, and the multiplier from a proportion.
INDICATOR_UNIT_SCALE: dict[str, float] = {
    "percent": 100.0,
    "rate_per_1000": 1_000.0,
    "rate_per_10k": 10_000.0,
    "rate_per_100k": 100_000.0,
}
OUTCOME_BASES: tuple[str, ...] = ("active", "new")
ILLUSTRATIVE = "illustrative — replace with local evidence"


@dataclass(frozen=True)
class Param:
    """One uncertain number: ``low <= central <= high`` inside ``[min, max]``, in ``unit``."""

    path: str
    low: float
    central: float
    high: float
    unit: str
    min: float
    max: float
    grade: str
    source: str
    index: int

    @property
    def is_illustrative(self) -> bool:
        return self.source.startswith("illustrative")


@dataclass(frozen=True)
class AvoidedCost:
    """Cost avoided per active success per year (£), falling on ``agency``."""

    id: str
    agency: str
    label: str
    value: Param
    cashable: Param


@dataclass(frozen=True)
class OutcomeEffect:
    """People (or events) per success, over a denominator population, in the indicator's unit."""

    indicator_id: str
    indicator_unit: str
    polarity: str
    basis: str
    per_success: Param
    denominator_bands: tuple[str, ...]
    denominator_share: Param

    @property
    def unit_scale(self) -> float:
        return INDICATOR_UNIT_SCALE[self.indicator_unit]


@dataclass(frozen=True)
class Intervention:
    """An intervention of the catalogue and the parameters of its benefit chain."""

    id: str
    label: str
    service: str
    evidence_grade: str
    description: str
    references: tuple[str, ...]
    funder: str
    cohort_bands: tuple[str, ...]
    cohort_share: Param
    cost_per_participant: Param
    engagement: Param
    success_rate: Param
    deadweight: Param
    attribution: Param
    lag_years: Param
    dropoff: Param
    avoided_costs: tuple[AvoidedCost, ...]
    outcomes: tuple[OutcomeEffect, ...]


@dataclass(frozen=True)
class ServiceAssumptions:
    """Baseline drivers of one service's spend and the reactive cost of cutting prevention."""

    id: str
    spend_indicator: str
    fallback_spend_per_head: Param
    prevention_share: Param
    real_unit_cost_growth: Param
    demand_weights: tuple[Param, ...]  # one per AGE_BANDS entry
    conversion: Param
    reactive_lag_years: Param
    other_agency: str
    other_share: Param


@dataclass(frozen=True)
class Preset:
    """A named starting scenario: budgets in £ per head per year and a yearly prevention cut."""

    id: str
    label: str
    description: str
    budgets_gbp_per_head: Mapping[str, float]
    prevention_cut_per_year: float


@dataclass(frozen=True)
class Limit:
    """Allowed range of a scenario field."""

    min: float
    max: float
    unit: str
    default: float | None = None


@dataclass(frozen=True)
class MonteCarloSettings:
    distribution: str
    pert_shape: float
    percentiles: tuple[float, ...]
    default_draws: int


@dataclass(frozen=True, eq=False)
class Layout:
    """Index arrays from the flat parameter vector into the model's arrays (read-only)."""

    i_cost: np.ndarray  # (I,)
    i_engagement: np.ndarray
    i_success: np.ndarray
    i_deadweight: np.ndarray
    i_attribution: np.ndarray
    i_lag: np.ndarray
    i_dropoff: np.ndarray
    i_cohort_share: np.ndarray
    i_optimism: np.ndarray  # (I,) optimism-bias parameter for each intervention's grade
    cohort_mask: np.ndarray  # (I, B) 1 where a band is in the cohort
    funder: np.ndarray  # (I,) agency index
    j_value: np.ndarray  # (J,) avoided-cost items
    j_cashable: np.ndarray
    j_intervention: np.ndarray
    j_agency: np.ndarray
    k_per_success: np.ndarray  # (K,) outcome effects
    k_share: np.ndarray
    k_intervention: np.ndarray
    k_indicator: np.ndarray  # index into Catalogue.outcome_indicators
    k_scale: np.ndarray
    k_new: np.ndarray  # True where basis == "new"
    k_mask: np.ndarray  # (K, B)
    d_from_year: np.ndarray  # (R,) discount schedule
    d_rate: np.ndarray
    a_growth: np.ndarray  # (A,)
    s_fallback: np.ndarray  # (S,)
    s_prevention: np.ndarray
    s_growth: np.ndarray
    s_weights: np.ndarray  # (S, B)
    s_conversion: np.ndarray
    s_lag: np.ndarray
    s_other_share: np.ndarray
    s_other_agency: np.ndarray  # (S,) agency index
    b_growth: np.ndarray  # (B,) fallback population growth
    b_share: np.ndarray  # (B,) fallback age structure
    inflation: int


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Interventions and global assumptions, with every number as a :class:`Param`."""

    interventions: tuple[Intervention, ...]
    agencies: tuple[str, ...]
    agency_labels: Mapping[str, str]
    grades: tuple[str, ...]
    discount_schedule: tuple[tuple[int, Param], ...]
    general_inflation: Param
    agency_growth: Mapping[str, Param]
    optimism_bias: Mapping[str, Param]
    population_growth: Mapping[str, Param]
    age_shares: Mapping[str, Param]
    services: tuple[ServiceAssumptions, ...]
    limits: Mapping[str, Limit]
    monte_carlo: MonteCarloSettings
    presets: Mapping[str, Preset]
    sanity: Mapping[str, Any]
    params: tuple[Param, ...]
    outcome_indicators: tuple[str, ...]
    layout: Layout = field(repr=False)

    # --- look-ups ---------------------------------------------------------------------------
    @property
    def intervention_ids(self) -> tuple[str, ...]:
        return tuple(iv.id for iv in self.interventions)

    @property
    def service_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def intervention(self, intervention_id: str) -> Intervention:
        for iv in self.interventions:
            if iv.id == intervention_id:
                return iv
        raise ScenarioError(
            f"unknown intervention '{intervention_id}'", parameter=f"budgets.{intervention_id}"
        )

    def param(self, path: str) -> Param:
        p = self._by_path().get(path)
        if p is None:
            raise ScenarioError("unknown parameter", parameter=path)
        return p

    def _by_path(self) -> dict[str, Param]:
        cached = self.__dict__.get("_by_path_cache")
        if cached is None:
            cached = {p.path: p for p in self.params}
            object.__setattr__(self, "_by_path_cache", cached)
        return cached

    def vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``low, central, high, min, max`` of every parameter, in vector order."""
        cached = self.__dict__.get("_vectors_cache")
        if cached is None:
            arr = np.array([(p.low, p.central, p.high, p.min, p.max) for p in self.params])
            cached = tuple(np.ascontiguousarray(arr[:, c]) for c in range(5))
            for a in cached:
                a.setflags(write=False)
            object.__setattr__(self, "_vectors_cache", cached)
        return cached  # type: ignore[return-value]


# --- loading --------------------------------------------------------------------------------
@cache
def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read and validate interventions.yaml and scenario.yaml (cached; the objects are frozen)."""
    root = Path(directory) if directory is not None else CATALOGUE_DIR
    scen = _read_yaml(root / "scenario.yaml")
    ints = _read_yaml(root / "interventions.yaml")
    return build_catalogue(scen, ints)


def load_interventions(directory: Path | None = None) -> Catalogue:
    """Alias of :func:`load_catalogue` (the catalogue carries the interventions)."""
    return load_catalogue(directory)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"cannot be read ({exc})", file=path.name) from exc
    if not isinstance(doc, dict):
        raise ScenarioError("must be a YAML mapping", file=path.name)
    return doc


class _Builder:
    """Collects parameters into one vector while parsing."""

    def __init__(self, grades: tuple[str, ...]) -> None:
        self.grades = grades
        self.params: list[Param] = []
        self.seen: set[str] = set()

    def param(self, raw: Any, path: str, file: str) -> Param:
        if not isinstance(raw, dict):
            raise ScenarioError(
                "must be a mapping {low, central, high, unit, range, grade, source}",
                parameter=path,
                file=file,
            )
        for key in PARAM_FIELDS:
            if key not in raw or raw[key] is None or raw[key] == "":
                raise ScenarioError(f"lacks '{key}'", parameter=path, file=file)
        nums = {}
        for key in ("low", "central", "high"):
            nums[key] = _number(raw[key], path, file, key)
        rng = raw["range"]
        if not isinstance(rng, list | tuple) or len(rng) != 2:
            raise ScenarioError("range must be [min, max]", parameter=path, file=file)
        lo, hi = (_number(v, path, file, "range") for v in rng)
        if lo > hi:
            raise ScenarioError(f"range [{lo}, {hi}] is empty", parameter=path, file=file)
        if not lo <= nums["low"] <= nums["central"] <= nums["high"] <= hi:
            raise ScenarioError(
                f"needs min <= low <= central <= high <= max, got {lo} <= {nums['low']} <= "
                f"{nums['central']} <= {nums['high']} <= {hi}",
                parameter=path,
                file=file,
            )
        if raw["unit"] not in PARAM_UNITS:
            raise ScenarioError(
                f"unit '{raw['unit']}' is not allowed (allowed: {', '.join(PARAM_UNITS)})",
                parameter=path,
                file=file,
            )
        _check_one_of(raw["grade"], self.grades, "evidence grade", path, file)
        if not isinstance(raw["source"], str) or not raw["source"].strip():
            raise ScenarioError("source must be text", parameter=path, file=file)
        if path in self.seen:
            raise ScenarioError("duplicate parameter", parameter=path, file=file)
        self.seen.add(path)
        p = Param(
            path=path,
            low=nums["low"],
            central=nums["central"],
            high=nums["high"],
            unit=str(raw["unit"]),
            min=lo,
            max=hi,
            grade=str(raw["grade"]),
            source=str(raw["source"]).strip(),
            index=len(self.params),
        )
        self.params.append(p)
        return p


def _number(value: Any, path: str, file: str, key: str) -> float:
    if isinstance(value, bool):
        raise ScenarioError(f"'{key}' must be a number", parameter=path, file=file)
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"'{key}' must be a number, got {value!r}", parameter=path, file=file
        ) from None
    if not math.isfinite(out):
        raise ScenarioError(f"'{key}' must be finite", parameter=path, file=file)
    return out


def _bands(raw: Any, path: str, file: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("age_bands must be a non-empty list", parameter=path, file=file)
    out = tuple(str(b) for b in raw)
    for b in out:
        _check_one_of(b, AGE_BANDS, "age band", path, file)
    return out


def _check_one_of(value: Any, allowed: Sequence[str], what: str, parameter: str, file: str) -> None:
    """Refuse ``value`` unless it is one of ``allowed``, naming the parameter and the file."""
    if value not in allowed:
        raise ScenarioError(
            f"{what} '{value}' is not one of {', '.join(allowed)}", parameter=parameter, file=file
        )


def _require(raw: dict[str, Any], key: str, path: str, file: str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise ScenarioError(f"lacks '{key}'", parameter=path, file=file)
    return raw[key]


def build_catalogue(scen: dict[str, Any], ints: dict[str, Any]) -> Catalogue:
    """Validate parsed scenario.yaml and interventions.yaml documents into a :class:`Catalogue`."""
    sf, inf = "scenario.yaml", "interventions.yaml"
    grades = tuple(str(g) for g in _require(scen, "grades", "grades", sf))
    b = _Builder(grades)
    agencies_raw = _require(scen, "agencies", "agencies", sf)
    agencies = tuple(str(a["id"]) for a in agencies_raw)
    agency_labels = {str(a["id"]): str(a.get("label", a["id"])) for a in agencies_raw}

    # discounting
    schedule = []
    for k, item in enumerate(_require(scen["discounting"], "schedule", "discounting", sf)):
        fy = int(_number(item.get("from_year"), f"discounting.schedule.{k}", sf, "from_year"))
        schedule.append((fy, b.param(item.get("rate"), f"discounting.from_year_{fy}.rate", sf)))
    if not schedule or schedule[0][0] != 0:
        raise ScenarioError("must start at from_year 0", parameter="discounting.schedule", file=sf)
    if any(schedule[k][0] >= schedule[k + 1][0] for k in range(len(schedule) - 1)):
        raise ScenarioError("from_year must increase", parameter="discounting.schedule", file=sf)
    inflation = b.param(scen.get("general_inflation"), "general_inflation", sf)
    growth_raw = _require(scen, "agency_real_cost_growth", "agency_real_cost_growth", sf)
    agency_growth = {
        a: b.param(growth_raw.get(a), f"agency_real_cost_growth.{a}", sf) for a in agencies
    }
    ob_raw = _require(scen, "optimism_bias", "optimism_bias", sf)
    optimism = {g: b.param(ob_raw.get(g), f"optimism_bias.{g}", sf) for g in grades}
    pop = _require(scen, "population", "population", sf)
    pop_growth = {
        band: b.param((pop.get("growth") or {}).get(band), f"population.growth.{band}", sf)
        for band in AGE_BANDS
    }
    age_shares = {
        band: b.param((pop.get("age_shares") or {}).get(band), f"population.age_shares.{band}", sf)
        for band in AGE_BANDS
    }

    indicators = {str(e["id"]): e for e in canonical_indicators()}

    # services
    services = []
    for sid, raw in _require(scen, "services", "services", sf).items():
        base = f"services.{sid}"
        spend_ind = str(_require(raw, "spend_indicator", base, sf))
        if spend_ind not in indicators:
            raise ScenarioError(
                f"'{spend_ind}' is not in indicators.yaml",
                parameter=f"{base}.spend_indicator",
                file=sf,
            )
        weights_raw = _require(raw, "demand_weights", base, sf)
        weights = tuple(
            b.param(weights_raw.get(band), f"{base}.demand_weights.{band}", sf)
            for band in AGE_BANDS
        )
        if sum(w.low for w in weights) <= 0:
            raise ScenarioError(
                "demand weights must not all be zero", parameter=f"{base}.demand_weights", file=sf
            )
        reactive = _require(raw, "reactive", base, sf)
        other = str(_require(reactive, "other_agency", f"{base}.reactive", sf))
        _check_one_of(other, agencies, "agency", f"{base}.reactive.other_agency", sf)
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
    for raw in _require(ints, "interventions", "interventions", inf):
        iid = str(_require(raw, "id", "interventions.?", inf))
        base = f"interventions.{iid}"
        if iid in seen_ids:
            raise ScenarioError("duplicate intervention id", parameter=base, file=inf)
        seen_ids.add(iid)
        grade = str(_require(raw, "evidence_grade", base, inf))
        _check_one_of(grade, grades, "evidence grade", f"{base}.evidence_grade", inf)
        service = str(_require(raw, "service", base, inf))
        funder = str(raw.get("funder", "council"))
        _check_one_of(funder, agencies, "agency", f"{base}.funder", inf)
        cohort = _require(raw, "cohort", base, inf)
        avoided = []
        for item in raw.get("avoided_costs") or []:
            aid = str(_require(item, "id", f"{base}.avoided_costs", inf))
            apath = f"{base}.avoided_costs.{aid}"
            agency = str(_require(item, "agency", apath, inf))
            _check_one_of(agency, agencies, "agency", f"{apath}.agency", inf)
            avoided.append(
                AvoidedCost(
                    id=aid,
                    agency=agency,
                    label=str(item.get("label", aid)),
                    value=b.param(item.get("value"), f"{apath}.value", inf),
                    cashable=b.param(item.get("cashable"), f"{apath}.cashable", inf),
                )
            )
        if not avoided:
            raise ScenarioError("needs at least one avoided cost", parameter=base, file=inf)
        effects = []
        for item in raw.get("outcomes") or []:
            ind = str(_require(item, "indicator", f"{base}.outcomes", inf))
            opath = f"{base}.outcomes.{ind}"
            meta = indicators.get(ind)
            if meta is None:
                raise ScenarioError(
                    f"indicator '{ind}' is not in indicators.yaml", parameter=opath, file=inf
                )
            if meta["kind"] != "outcome" or meta["unit"] not in INDICATOR_UNIT_SCALE:
                raise ScenarioError(
                    f"indicator '{ind}' must be an outcome in one of the units "
                    f"{', '.join(INDICATOR_UNIT_SCALE)}",
                    parameter=opath,
                    file=inf,
                )
            basis = str(item.get("basis", "active"))
            _check_one_of(basis, OUTCOME_BASES, "basis", f"{opath}.basis", inf)
            denom = _require(item, "denominator", opath, inf)
            effects.append(
                OutcomeEffect(
                    indicator_id=ind,
                    indicator_unit=str(meta["unit"]),
                    polarity=str(meta["polarity"]),
                    basis=basis,
                    per_success=b.param(item.get("per_success"), f"{opath}.per_success", inf),
                    denominator_bands=_bands(
                        denom.get("age_bands"), f"{opath}.denominator.age_bands", inf
                    ),
                    denominator_share=b.param(
                        denom.get("share"), f"{opath}.denominator_share", inf
                    ),
                )
            )
            if ind not in outcome_ids:
                outcome_ids.append(ind)
        interventions.append(
            Intervention(
                id=iid,
                label=str(_require(raw, "label", base, inf)),
                service=service,
                evidence_grade=grade,
                description=str(raw.get("description", "")),
                references=tuple(str(r) for r in raw.get("references") or ()),
                funder=funder,
                cohort_bands=_bands(cohort.get("age_bands"), f"{base}.cohort.age_bands", inf),
                cohort_share=b.param(cohort.get("share"), f"{base}.cohort.share", inf),
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
            )
        )
        if interventions[-1].cost_per_participant.min <= 0:
            raise ScenarioError(
                "cost per participant must be positive (its range must start above 0)",
                parameter=f"{base}.cost_per_participant",
                file=inf,
            )
    service_ids = {s.id for s in services}
    for iv in interventions:
        if iv.service not in service_ids:
            raise ScenarioError(
                f"service '{iv.service}' has no entry under services in scenario.yaml",
                parameter=f"interventions.{iv.id}.service",
                file=inf,
            )

    limits = {
        str(k): Limit(
            min=float(v["min"]),
            max=float(v["max"]),
            unit=str(v.get("unit", "")),
            default=float(v["default"]) if "default" in v else None,
        )
        for k, v in _require(scen, "limits", "limits", sf).items()
    }
    mc = _require(scen, "monte_carlo", "monte_carlo", sf)
    monte_carlo = MonteCarloSettings(
        distribution=str(mc["distribution"]),
        pert_shape=float(mc["pert_shape"]),
        percentiles=tuple(float(q) for q in mc["percentiles"]),
        default_draws=int(mc["default_draws"]),
    )
    if monte_carlo.distribution not in ("pert", "triangular"):
        raise ScenarioError(
            "distribution must be pert or triangular", parameter="monte_carlo.distribution", file=sf
        )
    iv_ids = {iv.id for iv in interventions}
    presets = {}
    for pid, raw in _require(scen, "presets", "presets", sf).items():
        budgets = {str(k): float(v) for k, v in (raw.get("budgets_gbp_per_head") or {}).items()}
        for k, v in budgets.items():
            if k not in iv_ids:
                raise ScenarioError(
                    f"unknown intervention '{k}'", parameter=f"presets.{pid}.budgets", file=sf
                )
            lim = limits["budget_gbp_per_head"]
            if not lim.min <= v <= lim.max:
                raise ScenarioError(
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
        sanity=dict(scen.get("sanity") or {}),
        params=tuple(b.params),
        outcome_indicators=tuple(outcome_ids),
    )
    layout = _layout(catalogue_args)
    return Catalogue(**catalogue_args, layout=layout)  # type: ignore[arg-type]


def _layout(c: dict[str, Any]) -> Layout:
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
        funder=idx([a_ix[iv.funder] for iv in ivs]),
        j_value=idx([ac.value.index for _, ac in items]),
        j_cashable=idx([ac.cashable.index for _, ac in items]),
        j_intervention=idx([i for i, _ in items]),
        j_agency=idx([a_ix[ac.agency] for _, ac in items]),
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
