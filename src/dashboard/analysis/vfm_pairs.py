"""Value for money: the settings of data/catalogue/vfm.yaml and what the page can offer at a
level: services, their spend per head lines and the outcomes curated as bearing on that spend
(``pairs`` of vfm.yaml, each with its reason), and the need indicators."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from dashboard.bundle.catalogue import services
from dashboard.bundle.model import Bundle
from dashboard.catalogue import CatalogueError, Param, param, section, sequence
from dashboard.layers.merge import ORIGIN_LOCAL, is_local, local_source, marked_label

# --- settings -------------------------------------------------------------------------------
FILE = "vfm.yaml"


@dataclass(frozen=True)
class VfmSettings:
    """The settings of data/catalogue/vfm.yaml (each a :class:`~dashboard.catalogue.Param`)."""

    min_places_regression: Param
    min_places_per_need: Param
    top_quartile: Param
    min_places_dea: Param
    dea_weight_tolerance: Param
    dea_frontier_tolerance: Param
    dea_max_outcomes: Param
    default_need_count: Param


def vfm_settings(path: Path | None = None) -> VfmSettings:
    """The validated settings of data/catalogue/vfm.yaml (or of the file at ``path``)."""
    name = path or FILE
    keys = {f.name: f"settings.{f.name}" for f in fields(VfmSettings)}
    keys["default_need_count"] = "default_need_count"
    return VfmSettings(**{k: param(name, key) for k, key in keys.items()})


def need_defaults(service: str) -> list[str]:
    """vfm.yaml's need indicators offered first for ``service`` (canonical ids; [] if none)."""
    table = section(FILE, "need_defaults")
    if service not in table:
        return []
    return [str(i) for i in sequence(table[service], FILE, f"need_defaults.{service}")]


# --- what a page can offer --------------------------------------------------------------------
def _with_values(bundle: Bundle, level: str) -> pd.DataFrame:
    """Indicators at ``level`` that have at least one value for a place at the level."""
    ind = bundle.indicators_at(level)
    vals = bundle.values
    present = vals.loc[vals["place_code"].isin(bundle.place_codes(level)), "indicator_id"].unique()
    return ind[ind["id"].isin(present)].reset_index(drop=True)


@dataclass(frozen=True)
class Pair:
    """One curated pairing of vfm.yaml: a spend per head line, an outcome that bears on it, and
    the reason it does (one line, plain text)."""

    service: str
    spend_id: str
    outcome_id: str
    reason: str


def pairs(path: Path | str | None = None) -> tuple[Pair, ...]:
    """Every pairing vfm.yaml's ``pairs`` allows, in its order (services, then outcomes, then
    spend lines). A pairing needs a ``reason``; an outcome's own ``spend`` list narrows the lines
    it may be set against."""
    name = path or FILE
    label = Path(str(name)).name
    table = section(name, "pairs")
    out: list[Pair] = []
    for svc, entry in table.items():
        key = f"pairs.{svc}"
        lines = [str(i) for i in sequence(entry["spend"], label, f"{key}.spend", non_empty=True)]
        for j, item in enumerate(sequence(entry["outcomes"], label, f"{key}.outcomes")):
            okey = f"{key}.outcomes.{j}"
            reason = str(item.get("reason", "")).strip()
            if not reason:
                raise CatalogueError(label, f"{okey}.reason", "every pairing needs a reason")
            own = item.get("spend")
            spend = [str(i) for i in sequence(own, label, f"{okey}.spend")] if own else lines
            out += [Pair(str(svc), s, str(item["id"]), reason) for s in spend]
    return tuple(out)


@dataclass(frozen=True)
class Options:
    """What the page offers at one level, computed once per bundle: services (services.yaml
    order), their spend per head lines and, for each line, the outcomes curated as bearing on it
    (``pair_outcomes``; ``outcomes`` is every curated outcome of the service), each pairing's
    reason (``reasons``, keyed by (spend id, outcome id)), the need indicators, and each
    indicator's label, unit and polarity."""

    services: tuple[str, ...]
    spend: dict[str, list[str]]
    outcomes: dict[str, list[str]]
    needs: tuple[str, ...]
    label: dict[str, str]
    unit: dict[str, str]
    polarity: dict[str, str]
    source: dict[str, str]
    licence: dict[str, str]
    pair_outcomes: dict[str, list[str]] = field(default_factory=dict)
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)


def offered_pairs(bundle: Bundle, level: str, ind: pd.DataFrame | None = None) -> list[Pair]:
    """The curated pairings whose spend (the council's, £ per head; never a partner's) and
    outcome (with a better direction) both have values at ``level``."""
    ind = _with_values(bundle, level) if ind is None else ind
    have = ind.set_index("id")
    council = have["agency"].fillna("").isin(["", "council"]) if "agency" in have else True
    ok_spend = set(
        have.index[(have["kind"] == "spend") & (have["unit"] == "gbp_per_head") & council]
    )
    ok_out = set(have.index[(have["kind"] == "outcome") & (have["polarity"] != "neutral")])
    curated = [p for p in pairs() if p.spend_id in ok_spend and p.outcome_id in ok_out]
    if "origin" not in have.columns:
        return curated
    return curated + _local_pairs(have, curated, ok_spend, ok_out)


#: Why a layer's indicator is offered beside the curated pairings (plain text, on the page).
LOCAL_OUTCOME_REASON = (
    "Local data ({title}): offered with every spend line of its service, since vfm.yaml's "
    "curated pairings name only catalogue indicators; judge for yourself whether it bears on "
    "this spend."
)
LOCAL_SPEND_REASON = (
    "Local data ({title}): an uploaded spend line, offered with the outcomes of its service."
)


def _local_pairs(
    have: pd.DataFrame, curated: list[Pair], ok_spend: set[str], ok_out: set[str]
) -> list[Pair]:
    """Pairings for a joined layer's indicators: a local figure of a curated outcome takes its
    official pairings (and reasons); a new local outcome is offered with every spend line of its
    service, a new local spend line with every outcome of its service, each saying so."""
    local = have[have["origin"] == ORIGIN_LOCAL]
    out: list[Pair] = []
    for oid, rec in local.iterrows():
        title = str(rec.get("layer_title", ""))
        official = str(rec.get("official_id") or "")
        if oid in ok_out and official:
            out += [
                Pair(p.service, p.spend_id, str(oid), f"{p.reason} (local figures: {title})")
                for p in curated
                if p.outcome_id == official
            ]
        elif oid in ok_out:
            lines = dict.fromkeys(p.spend_id for p in curated if p.service == rec["service"])
            reason = LOCAL_OUTCOME_REASON.format(title=title)
            out += [Pair(str(rec["service"]), sp, str(oid), reason) for sp in lines]
    for sid, rec in local[local.index.isin(ok_spend)].iterrows():
        reason = LOCAL_SPEND_REASON.format(title=str(rec.get("layer_title", "")))
        outs = [p.outcome_id for p in curated + out if p.service == rec["service"]]
        out += [Pair(str(rec["service"]), str(sid), o, reason) for o in dict.fromkeys(outs)]
    return out


def options(bundle: Bundle, level: str) -> Options:
    """Every choice the value-for-money page offers at ``level``: only curated pairings."""
    ind = _with_values(bundle, level)
    records = ind.to_dict("records")
    offered = offered_pairs(bundle, level, ind)
    svcs = [s["id"] for s in services() if any(p.service == s["id"] for p in offered)]
    spend = {s: list(dict.fromkeys(p.spend_id for p in offered if p.service == s)) for s in svcs}
    pair_outcomes: dict[str, list[str]] = {}
    for p in offered:
        pair_outcomes.setdefault(p.spend_id, []).append(p.outcome_id)
    return Options(
        services=tuple(svcs),
        spend=spend,
        outcomes={
            s: list(dict.fromkeys(p.outcome_id for p in offered if p.service == s)) for s in svcs
        },
        needs=tuple(need_options(bundle, level, ind)),
        label={str(r["id"]): marked_label(r) for r in records},
        unit=dict(zip(ind["id"], ind["unit"].astype(str), strict=True)),
        polarity=dict(zip(ind["id"], ind["polarity"].astype(str), strict=True)),
        source={
            str(r["id"]): f"{r['source_publisher']}: {r['source_title']}"
            + (f" ({local_source(r)})" if is_local(r) else "")
            for r in records
        },
        licence=dict(zip(ind["id"], ind["source_licence"].astype(str), strict=True)),
        pair_outcomes={k: list(dict.fromkeys(v)) for k, v in pair_outcomes.items()},
        reasons={(p.spend_id, p.outcome_id): p.reason for p in offered},
    )


def spend_options(
    bundle: Bundle, level: str, service: str, ind: pd.DataFrame | None = None
) -> list[str]:
    """Spend per head lines of ``service`` with at least one curated outcome at ``level``."""
    offered = offered_pairs(bundle, level, ind)
    return list(dict.fromkeys(p.spend_id for p in offered if p.service == service))


def outcome_options(
    bundle: Bundle, level: str, service: str, ind: pd.DataFrame | None = None
) -> list[str]:
    """Outcomes curated for ``service`` (vfm.yaml order) with values at ``level``."""
    offered = offered_pairs(bundle, level, ind)
    return list(dict.fromkeys(p.outcome_id for p in offered if p.service == service))


def service_options(bundle: Bundle, level: str, ind: pd.DataFrame | None = None) -> list[str]:
    """Services (services.yaml order) with at least one curated pairing at ``level``."""
    offered = offered_pairs(bundle, level, ind)
    return [s["id"] for s in services() if any(p.service == s["id"] for p in offered)]


def need_options(bundle: Bundle, level: str, ind: pd.DataFrame | None = None) -> list[str]:
    """Need indicators at ``level`` with values."""
    ind = _with_values(bundle, level) if ind is None else ind
    return ind[ind["kind"] == "need"]["id"].tolist()


def default_needs(
    bundle: Bundle, level: str, service: str, settings: VfmSettings | None = None
) -> list[str]:
    """The first few of vfm.yaml's need defaults for ``service`` that the bundle has."""
    settings = settings or vfm_settings()
    offered = need_options(bundle, level)
    return pick_needs(offered, service, settings)


def pick_needs(
    offered: list[str] | tuple[str, ...], service: str, settings: VfmSettings
) -> list[str]:
    """The first few of vfm.yaml's need defaults for ``service`` among ``offered``."""
    wanted = need_defaults(service) + need_defaults("all")
    picked = [i for i in dict.fromkeys(wanted) if i in offered]
    if not picked and offered:
        picked = [offered[0]]
    return picked[: int(settings.default_need_count.value)]
