"""Value for money: the "what good looks like" gap as a range across specifications.

One efficiency score turned into money says more than the data do: the gap to the frontier
moves when need is left in or out, when the places compared change, and when more outcomes
enter the frontier. So the gap (spend per head minus the frontier's target, £ per head, and that
times the place's population, £ a year) is computed under each specification of vfm.yaml's
``specifications`` and reported as its lowest and highest value, beside each specification's
fit: the R² (0-1) of a least-squares regression of spend per head on the specification's need
indicators across its places (none when need is left out), and the number of places ``n``. A
verdict on the strength of the evidence follows from vfm.yaml's ``verdict`` thresholds: how much
of the variation in spend the need indicators explain in the main specification, and how many
places it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analysis.vfm_fit import Frame, ols
from dashboard.analysis.vfm_frontier import Frontier, frontier
from dashboard.analysis.vfm_pairs import FILE, VfmSettings, vfm_settings
from dashboard.catalogue import CatalogueError, Param, lookup, param, section, sequence

NEEDS = ("in", "out")
PLACES = ("level", "group")
OUTCOMES = ("one", "several")
WEAK, MODERATE, STRONG = "weak", "moderate", "strong"


@dataclass(frozen=True)
class Spec:
    """One specification: need indicators ``in`` or ``out`` of the frontier, the places
    compared (``level``: every place at the tier; ``group``: the place and its comparison
    group), and ``one`` outcome or ``several``."""

    id: str
    label: str
    needs: str
    places: str
    outcomes: str


def specifications(path: Path | str | None = None) -> tuple[Spec, ...]:
    """vfm.yaml's ``specifications`` (the first is the main one), checked."""
    name = path or FILE
    label = Path(str(name)).name
    raw = sequence(section_list(name), label, "specifications", non_empty=True)
    out = []
    for i, item in enumerate(raw):
        key = f"specifications.{i}"
        spec = Spec(
            str(item["id"]),
            str(item["label"]),
            str(item["needs"]),
            str(item["places"]),
            str(item["outcomes"]),
        )
        for field_, allowed in (
            ("needs", NEEDS),
            ("places", PLACES),
            ("outcomes", OUTCOMES),
        ):
            if getattr(spec, field_) not in allowed:
                raise CatalogueError(label, f"{key}.{field_}", f"must be one of {allowed}")
        out.append(spec)
    return tuple(out)


def section_list(name: Path | str) -> object:
    """The ``specifications`` list of vfm.yaml (a list, not a mapping)."""
    return lookup(name, "specifications")


@dataclass(frozen=True)
class VerdictSettings:
    """vfm.yaml ``verdict``: the R² (0-1) below which the evidence is weak (``r2_moderate``),
    at or above which it can be strong (``r2_strong``), and the fewest places for better than
    weak (``min_places_moderate``)."""

    r2_moderate: Param
    r2_strong: Param
    min_places_moderate: Param


def verdict_settings(path: Path | str | None = None) -> VerdictSettings:
    """The validated ``verdict`` thresholds of vfm.yaml."""
    name = path or FILE
    section(name, "verdict")
    return VerdictSettings(
        **{k: param(name, f"verdict.{k}") for k in VerdictSettings.__dataclass_fields__}
    )


@dataclass(frozen=True)
class SpecResult:
    """One specification's result for one place: places compared ``n``, ``r2`` (0-1, spend per
    head on the specification's need indicators across its places; None when need is left out
    or it cannot be fitted), the place's
    efficiency ``score`` (0-1, 1 = on the frontier), ``gap_per_head`` (£ per head, ≥ 0) and
    ``gap_a_year`` (£; None without a population). ``reason`` says why there is no result."""

    spec: Spec
    outcome_ids: tuple[str, ...]
    need_ids: tuple[str, ...]
    n: int
    r2: float | None
    score: float | None
    gap_per_head: float | None
    gap_a_year: float | None
    reason: str = ""


def fit_r2(table: pd.DataFrame, spend_col: str, columns: list[str]) -> float | None:
    """R² (0-1) of least squares of ``spend_col`` on ``columns`` (with an intercept) over the
    rows of ``table``; None without columns or with too few rows to fit."""
    if not columns or len(table) <= len(columns) + 1:
        return None
    reg = ols(table[spend_col].to_numpy(dtype=float), table[columns].to_numpy(dtype=float))
    return None if not np.isfinite(reg.r2) else float(reg.r2)


def spec_frontier(
    fr: Frame,
    spec: Spec,
    codes: list[str],
    spend_id: str,
    outcome_ids: list[str],
    lower_is_better: list[bool],
    need_ids: list[str],
    settings: VfmSettings,
    rts: str = "vrs",
    scale: bool = True,
    only: Sequence[str] | None = None,
) -> Frontier:
    """The frontier of one specification over ``codes`` (need dropped when ``spec.needs`` is
    'out'; ``outcome_ids`` and ``lower_is_better`` already chosen for one or several).
    ``scale`` False: only the chosen returns to scale, and ``only``: only these places scored
    (see :func:`frontier`); either is enough for :func:`spec_result` of those places."""
    sub = Frame(fr.data.loc[[c for c in codes if c in fr.data.index]], fr.periods)
    needs = need_ids if spec.needs == "in" else []
    return frontier(sub, spend_id, outcome_ids, lower_is_better, needs, settings, rts, scale, only)


def spec_result(spec: Spec, front: Frontier, code: str, population: float | None) -> SpecResult:
    """The result of ``spec`` for place ``code`` from its frontier."""
    outs, needs = front.output_ids, front.need_ids
    if front.reason:
        return SpecResult(spec, outs, needs, 0, None, None, None, None, front.reason)
    n = len(front.table)
    r2 = fit_r2(front.table, "spend_gbp_per_head", list(needs))
    if code not in front.table.index:
        why = "the place lacks a value this specification needs"
        return SpecResult(spec, outs, needs, n, r2, None, None, None, why)
    row = front.table.loc[code]
    gap = max(0.0, float(row["spend_gap_gbp_per_head"]))
    year = gap * population if population else None
    return SpecResult(spec, outs, needs, n, r2, float(row["dea_score_0_1"]), gap, year)


@dataclass(frozen=True)
class Verdict:
    """The strength of the evidence: ``level`` (weak, moderate, strong), ``text`` (plain
    words with the figures it rests on) and ``not_text`` (what the range is not)."""

    level: str
    text: str
    not_text: str


@dataclass(frozen=True)
class GapRange:
    """The gap across the specifications for one place: each one's result, the lowest and
    highest gap (£ per head; £ a year; None when no specification gives one), the need fit of
    the main specification (``need_r2``, 0-1, over ``need_n`` places) and the verdict."""

    results: tuple[SpecResult, ...]
    low_per_head: float | None
    high_per_head: float | None
    low_a_year: float | None
    high_a_year: float | None
    need_r2: float | None
    need_n: int
    verdict: Verdict


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def verdict(
    need_r2: float | None,
    n: int,
    gaps: list[float],
    settings: VerdictSettings | None = None,
) -> Verdict:
    """The verdict from the main specification's need fit (``need_r2`` over ``n`` places) and
    the gaps (£ per head) of every specification with a result."""
    vs = settings or verdict_settings()
    lo_r2, hi_r2 = vs.r2_moderate.value, vs.r2_strong.value
    min_n = int(vs.min_places_moderate.value)
    fit = (
        f"need explains {_pct(need_r2)} of the variation in spend per head across {n} places"
        if need_r2 is not None
        else "no need indicator was fitted to spend"
    )
    vanishes = bool(gaps) and min(gaps) <= 0 < max(gaps)
    if need_r2 is None or need_r2 < lo_r2 or n < min_n:
        level = WEAK
        why = (
            f"{fit} (below R² {lo_r2:g}, the threshold for moderate)"
            if need_r2 is not None and need_r2 < lo_r2
            else f"{fit}; fewer than {min_n} places"
            if n < min_n
            else fit
        )
    elif vanishes:
        level, why = WEAK, f"{fit}, but the gap vanishes under at least one specification"
    elif need_r2 >= hi_r2:
        level, why = STRONG, f"{fit} (R² at least {hi_r2:g}) and every specification agrees"
    else:
        level, why = MODERATE, f"{fit} (R² between {lo_r2:g} and {hi_r2:g})"
    if level == WEAK:
        not_text = (
            "What this figure is not: not a saving that could be made, and not a budget target. "
            "It is how far spend per head sits above a combination of other places with outcomes "
            "at least as good, and the data explain too little of the difference in spend for "
            "that comparison to be like with like."
        )
    else:
        not_text = (
            "What this figure is not: not a budget target. The frontier places may differ in "
            "ways the indicators do not measure (costs, quality, what the spend line includes)."
        )
    return Verdict(level, f"{level.capitalize()} evidence: {why}.", not_text)


def gap_range(
    results: list[SpecResult],
    need_r2: float | None,
    need_n: int,
    settings: VerdictSettings | None = None,
) -> GapRange:
    """The range of the gap over the ``results`` that have one, with the verdict."""
    per_head = [r.gap_per_head for r in results if r.gap_per_head is not None]
    a_year = [r.gap_a_year for r in results if r.gap_a_year is not None]
    return GapRange(
        results=tuple(results),
        low_per_head=min(per_head) if per_head else None,
        high_per_head=max(per_head) if per_head else None,
        low_a_year=min(a_year) if a_year else None,
        high_a_year=max(a_year) if a_year else None,
        need_r2=need_r2,
        need_n=need_n,
        verdict=verdict(need_r2, need_n, per_head, settings),
    )


def need_fit_of_spend(
    fr: Frame, codes: list[str], spend_id: str, need_ids: list[str]
) -> tuple[float | None, int]:
    """R² (0-1) of spend per head on ``need_ids`` over the ``codes`` with every value, and the
    number of those places."""
    cols = [spend_id, *need_ids]
    data = fr.data.loc[[c for c in codes if c in fr.data.index], cols].dropna()
    data = data[data[spend_id] > 0]
    return fit_r2(data, spend_id, list(need_ids)), len(data)


def several_outcomes(
    outcome_id: str, curated: list[str], have: list[str], settings: VfmSettings | None = None
) -> list[str]:
    """The chosen outcome then the other curated outcomes the bundle has, up to vfm.yaml's
    ``dea_max_outcomes``."""
    settings = settings or vfm_settings()
    picked = [outcome_id, *(o for o in curated if o != outcome_id and o in have)]
    return picked[: int(settings.dea_max_outcomes.value)]


def spec_outcomes(spec: Spec, outcome_id: str, several: list[str] | tuple[str, ...]) -> list[str]:
    """The outcomes a specification puts on the frontier: the chosen one, or ``several``."""
    return [outcome_id] if spec.outcomes == "one" else list(several)


def level_fronts(
    fr: Frame,
    codes: list[str],
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
    several: list[str] | tuple[str, ...],
    polarity: dict[str, str],
    rts: str = "vrs",
    settings: VfmSettings | None = None,
) -> dict[str, Frontier]:
    """The frontier of every specification that compares all places at the level (over
    ``codes``), by specification id: they do not depend on the place, so a caller may keep
    them (the chosen returns to scale only: the range reads no scale efficiency)."""
    settings = settings or vfm_settings()
    fronts = {}
    for sp in specifications():
        if sp.places != "level":
            continue
        outs = spec_outcomes(sp, outcome_id, several)
        lower = [polarity[i] == "lower_is_better" for i in outs]
        fronts[sp.id] = spec_frontier(
            fr, sp, codes, spend_id, outs, lower, need_ids, settings, rts, scale=False
        )
    return fronts


def place_range(
    fr: Frame,
    fronts: dict[str, Frontier],
    group: list[str] | tuple[str, ...],
    spend_id: str,
    outcome_id: str,
    need_ids: list[str],
    several: list[str] | tuple[str, ...],
    polarity: dict[str, str],
    rts: str = "vrs",
    settings: VfmSettings | None = None,
) -> GapRange:
    """The gap for ``group[0]`` (the place) under every specification, against ``group`` (it
    and its comparison group) where a specification compares the group, else from ``fronts``
    (:func:`level_fronts`); the verdict reads the main (first) specification's fit."""
    settings = settings or vfm_settings()
    place = group[0]
    pop = fr.data["population_persons"].get(place)
    pop = None if pop is None or pd.isna(pop) else float(pop)
    results: list[SpecResult] = []
    for sp in specifications():
        if sp.places == "level":
            front = fronts[sp.id]
        else:
            outs = spec_outcomes(sp, outcome_id, several)
            lower = [polarity[i] == "lower_is_better" for i in outs]
            front = spec_frontier(  # one LP: only the place's own row is read
                fr, sp, list(group), spend_id, outs, lower, need_ids, settings, rts, False, [place]
            )
        results.append(spec_result(sp, front, place, pop))
    main = results[0]
    return gap_range(results, main.r2, main.n)
