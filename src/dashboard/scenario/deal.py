"""A fair co-funding deal: what each partner would put into the interventions' cost so that
every partner gains, the surplus shared by a rule the user picks.

Plain arithmetic on present values (£ at base-year prices, discounted to the base year). With
C the interventions' cost, B_a each partner's benefit (cashable + non-cashable) and K_a its
cashable benefit, the contributions x_a satisfy sum x_a = C, x_a >= 0 and net_a = B_a - x_a >= 0;
the surplus S = sum B_a - C is shared by the rule:

- ``benefit``: net_a = S * B_a / sum B, so x_a = C * B_a / sum B;
- ``cashable``: net_a = S' * K_a / sum K over the partners still sharing; a partner whose share
  would exceed its whole benefit (x_a < 0) pays nothing and keeps B_a, and the rest of the
  surplus is shared among the others by the same weights, repeated until nobody is capped
  (water-filling). If the partners still sharing get no cashable benefit at all, their part is
  shared by benefit instead (and the deal says so).

S < 0: no deal makes every partner better off (no contributions). A prevention cut is left out
(it is not an intervention a partner co-funds). Rules, labels and the names a sentence uses are
the ``deal`` section of data/catalogue/scenario.yaml (docs/prevention-case.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.catalogue import lookup
from dashboard.formatting import format_gbp
from dashboard.scenario.partners import COUNCIL
from dashboard.scenario.results import Result
from dashboard.scenario.spec import PREVENTION_CHANGE

FILE = "scenario.yaml"
RULES = ("benefit", "cashable")
#: Relative tolerance of the arithmetic (share of the cost or of the benefit).
TOL = 1e-9
#: A contribution below this share of the cost is not named in the sentence.
NAMED = 1e-6

#: Columns of :attr:`Deal.table` and their labels (money in £; ``pv_`` present values).
DEAL_COLUMNS = {
    "contribution_per_year_gbp": "contribution a year",
    "share_of_cost": "share of cost",
    "pv_contribution_gbp": "contribution (PV)",
    "pv_net_gain_gbp": "net gain (all benefit − contribution)",
    "pv_net_cash_gbp": "net cash (cashable − contribution)",
}


# --- the catalogue's deal section -----------------------------------------------------------
@dataclass(frozen=True)
class DealRule:
    """A rule for sharing the surplus: its id, label and explanation."""

    id: str
    label: str
    explanation: str


def deal_rules() -> dict[str, DealRule]:
    """The rules of scenario.yaml ``deal.rules``, in :data:`RULES` order."""
    raw = lookup(FILE, "deal.rules")
    return {
        r: DealRule(r, str(raw[r]["label"]), " ".join(str(raw[r]["explanation"]).split()))
        for r in RULES
    }


def default_rule() -> str:
    """The rule the page starts with (``deal.default_rule``)."""
    rule = str(lookup(FILE, "deal.default_rule"))
    if rule not in RULES:
        raise ValueError(f"{FILE}: deal.default_rule '{rule}' is not one of {', '.join(RULES)}")
    return rule


def sentence_names(labels: Mapping[str, str]) -> dict[str, str]:
    """How a sentence names each agency (``deal.sentence_names``; its label otherwise)."""
    raw = lookup(FILE, "deal.sentence_names")
    return {a: str(raw.get(a, lab)) for a, lab in labels.items()}


# --- the arithmetic -------------------------------------------------------------------------
@dataclass(frozen=True)
class Shares:
    """Contributions ``x`` (£ PV) and nets ``net`` = benefit - x (£ PV) per partner; ``capped``
    the partners that pay nothing because their share would exceed their benefit; ``fallback``
    True when (part of) the surplus had to be shared by benefit because the partners sharing
    it get no cashable benefit."""

    x: np.ndarray
    net: np.ndarray
    capped: np.ndarray
    fallback: bool


def share_surplus(
    cost: float, benefit: Sequence[float], cashable: Sequence[float], rule: str
) -> Shares | None:
    """Contributions to a cost ``cost`` (£ PV) from partners with benefits ``benefit`` and
    cashable benefits ``cashable`` (£ PV, one per partner) under ``rule``; None when the
    surplus sum(benefit) - cost is negative (no deal makes everyone better off)."""
    if rule not in RULES:
        raise ValueError(f"unknown deal rule '{rule}' (known: {', '.join(RULES)})")
    b = np.asarray(benefit, dtype=float)
    k = np.asarray(cashable, dtype=float)
    if b.shape != k.shape or b.ndim != 1:
        raise ValueError("benefit and cashable need one value per partner")
    if cost < 0 or (b < 0).any() or (k < 0).any():
        raise ValueError("cost, benefits and cashable benefits must not be negative")
    scale = max(cost, float(b.sum()), 1.0)
    if float(b.sum()) - cost < -TOL * scale:
        return None
    sharing = b > 0
    capped = np.zeros(len(b), dtype=bool)
    fallback = False
    while True:
        left = float(b[sharing].sum()) - cost  # the surplus still to share
        w = (k if rule == "cashable" else b) * sharing
        if w.sum() <= TOL * scale:  # nobody sharing gets cashable benefit: share by benefit
            w = b * sharing
            fallback = rule == "cashable" and left > TOL * scale
        net = np.where(capped, b, 0.0)
        if w.sum() > 0:
            net = net + max(left, 0.0) * w / w.sum()
        over = sharing & (net > b * (1.0 + TOL))
        if not over.any():
            break
        capped |= over
        sharing &= ~over
    x = np.where(capped | ~sharing, 0.0, np.maximum(b - net, 0.0))  # no rounding below zero
    return Shares(x=x, net=b - x, capped=capped, fallback=fallback)


# --- the deal of a run ----------------------------------------------------------------------
def intervention_values(result: Result) -> pd.DataFrame:
    """Per agency (catalogue order): pv_pays_gbp, pv_cashable_gbp and pv_benefit_gbp (cashable
    + non-cashable) of the interventions alone, present values (£); a prevention cut is left
    out."""
    cat = result.catalogue
    ba = result.by_agency
    ba = ba[ba["intervention"].astype(str) != PREVENTION_CHANGE]
    df = np.asarray(result.core.money.df[0], dtype=float)
    pv = ba.assign(pv=ba["value"].to_numpy() * df[ba["year"].to_numpy()])
    wide = pv.groupby(["agency", "measure"], observed=True)["pv"].sum().unstack("measure")
    wide = wide.reindex(list(cat.agencies)).fillna(0.0)
    cash = wide["benefit_cashable_gbp"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "agency": list(cat.agencies),
            "agency_label": [cat.agency_labels[a] for a in cat.agencies],
            "pv_pays_gbp": wide["cost_gbp"].to_numpy(dtype=float),
            "pv_cashable_gbp": np.maximum(cash, 0.0),
            "pv_benefit_gbp": np.maximum(cash + wide["benefit_noncashable_gbp"].to_numpy(), 0.0),
        }
    )


def spending(result: Result) -> tuple[float, int]:
    """The interventions' mean spend a year (£) over the years anything is spent, and how many
    such years there are."""
    ba = result.by_agency
    cost = ba[(ba["measure"] == "cost_gbp") & (ba["intervention"].astype(str) != PREVENTION_CHANGE)]
    per_year = cost.groupby("year")["value"].sum()
    years = per_year[per_year > 0]
    return (float(years.mean()) if len(years) else 0.0), int(len(years))


@dataclass(frozen=True)
class Deal:
    """The co-funding deal of a run under one rule.

    ``cost_gbp`` C and ``surplus_gbp`` S (£ PV); ``feasible`` False when S < 0 or nothing is
    spent (``table`` is then empty). ``table``: one row per agency (catalogue order) with
    agency, agency_label, pv_benefit_gbp, pv_cashable_gbp, current_share (what it pays now / C)
    and the columns of :data:`DEAL_COLUMNS` (share_of_cost a share of one). ``council_share_now``
    and ``council_share_deal`` shares of one; ``mean_spend_gbp`` £ a year over ``spend_years``;
    ``prevention_npv_gbp`` the NPV of a prevention cut left out (None without one); ``sentence``
    for a board paper; ``notes`` the caveats."""

    rule: DealRule
    cost_gbp: float
    surplus_gbp: float
    feasible: bool
    table: pd.DataFrame
    council_share_now: float
    council_share_deal: float | None
    mean_spend_gbp: float
    spend_years: int
    capped: tuple[str, ...]
    fallback: bool
    prevention_npv_gbp: float | None
    sentence: str
    notes: tuple[str, ...]


def _names(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def board_sentence(table: pd.DataFrame, names: Mapping[str, str], now: float, deal: float) -> str:
    """The board sentence: who puts in how much a year (partners other than the council with a
    contribution), whether every partner gains, and the council's share of the cost ``now``
    and under the ``deal`` (shares of one). ``table`` is a :attr:`Deal.table`."""
    others = table[(table["agency"] != COUNCIL) & (table["share_of_cost"] > NAMED)]
    if others.empty:
        gainers = table[(table["agency"] != COUNCIL) & (table["pv_benefit_gbp"] > 0)]
        if gainers.empty:
            return (
                f"No other partner gains from these interventions, so {names[COUNCIL]} keeps "
                f"{_pct(deal)} of the cost."
            )
        return (
            f"Under this rule no other partner would put anything in (its share of the gain "
            f"is its whole benefit), so {names[COUNCIL]} keeps {_pct(deal)} of the cost."
        )
    who = [names[a] for a in others["agency"]]
    amounts = [format_gbp(v) for v in others["contribution_per_year_gbp"]]
    parts = [f"{who[0]} put in {amounts[0]} a year"]
    parts += [f"{w} {m}" for w, m in zip(who[1:], amounts[1:], strict=True)]
    benefits = table[table["pv_benefit_gbp"] > 0]
    gain = (
        "every partner would gain"
        if (benefits["pv_net_gain_gbp"] > NAMED * benefits["pv_benefit_gbp"]).all()
        else "no partner would be worse off"
    )
    council = f"{names[COUNCIL]}'s share"
    if round(100 * deal) < round(100 * now):
        move = f"falls from {_pct(now)} to {_pct(deal)}"
    elif round(100 * deal) > round(100 * now):
        move = f"rises from {_pct(now)} to {_pct(deal)}"
    else:
        move = f"stays at {_pct(deal)}"
    text = f"If {_names(parts)}, {gain}; {council} of the cost {move}."
    return text[0].upper() + text[1:]


def _notes(
    table: pd.DataFrame,
    basis: Basis,
    mean: float,
    n_years: int,
    capped: Sequence[str],
    fallback: bool,
    prevention: float | None,
) -> list[str]:
    labels = dict(zip(table["agency"], table["agency_label"], strict=True))
    notes = [
        f"Contribution a year is each partner's share of the cost times the interventions' "
        f"mean spend of {format_gbp(mean)} a year over the {_years(n_years)} of spending; paid as "
        f"the same share of each year's spend, it has the present value in the table "
        f"(discounted to {basis.base_year}, base-year prices, over "
        f"{_years(basis.horizon_years)})."
    ]
    neg = table[table["pv_net_cash_gbp"] < -NAMED * table["pv_benefit_gbp"].clip(lower=1.0)]
    if not neg.empty:
        who = _names(
            [
                f"{lab} ({format_gbp(v)})"
                for lab, v in zip(neg["agency_label"], neg["pv_net_cash_gbp"], strict=True)
            ]
        )
        notes.append(
            f"Net cash under the deal is negative for {who} even though the net gain is not: "
            "most of the benefit is non-cashable (capacity freed, not money back), so the "
            "contribution is a real cost to the budget that the freed capacity has to justify."
        )
    if capped:
        notes.append(
            f"{_names([labels[a] for a in capped])} would pay nothing: a share of the gain by "
            "cashable benefit would exceed its whole benefit, so it keeps all of it and the "
            "rest of the gain is shared among the others by the same weights."
        )
    if fallback and capped:
        notes.append(
            "The partners left sharing the gain get no cashable benefit back, so their part of "
            "the gain is shared in proportion to all benefit (cashable + non-cashable) instead."
        )
    elif fallback:
        notes.append(
            "No partner gets cashable benefit back, so the gain is shared in proportion to all "
            "benefit (cashable + non-cashable) instead: the rule by benefit."
        )
    notes.append(
        "The deal shares a modelled gain, at the central value of every assumption (each with "
        "its evidence grade in the assumptions): a partner will test the benefit it is asked "
        "to pay for."
    )
    if prevention is not None:
        notes.append(
            f"The scenario's cut to prevention (NPV {format_gbp(prevention)}) is left out of the "
            "deal: it is not an intervention a partner could co-fund."
        )
    return notes


@dataclass(frozen=True)
class Basis:
    """What a deal's texts need from the run: the base year (calendar year), the horizon
    (years), the interventions' mean spend a year (£) over ``spend_years`` years, and the NPV
    (£) of a prevention cut left out of the deal (None without one)."""

    base_year: int
    horizon_years: int
    mean_spend_gbp: float
    spend_years: int
    prevention_npv_gbp: float | None = None


def deal(result: Result, rule: str) -> Deal:
    """The co-funding deal of a deterministic run under ``rule`` (one of :data:`RULES`)."""
    mean, n_years = spending(result)
    prevention = (
        result.headline.npv_prevention_change_gbp
        if result.scenario.prevention_cut_per_year > 0
        else None
    )
    basis = Basis(
        result.context.base_year, result.scenario.horizon_years, mean, n_years, prevention
    )
    return deal_from_values(intervention_values(result), rule, basis)


def deal_from_values(values: pd.DataFrame, rule: str, basis: Basis) -> Deal:
    """The deal for per-agency present values of the interventions (the frame of
    :func:`intervention_values`: agency, agency_label, pv_pays_gbp, pv_cashable_gbp,
    pv_benefit_gbp; the council among them) under ``rule``."""
    rules = deal_rules()
    if rule not in rules:
        raise ValueError(f"unknown deal rule '{rule}' (known: {', '.join(RULES)})")
    v = values.reset_index(drop=True)
    names = sentence_names(dict(zip(v["agency"], v["agency_label"], strict=True)))
    cost = float(v["pv_pays_gbp"].sum())
    benefit = v["pv_benefit_gbp"].to_numpy(dtype=float)
    surplus = float(benefit.sum()) - cost
    mean, n_years, prevention = basis.mean_spend_gbp, basis.spend_years, basis.prevention_npv_gbp
    council = list(v["agency"]).index(COUNCIL)
    now = float(v["pv_pays_gbp"].iloc[council] / cost) if cost > 0 else 0.0
    shares = (
        share_surplus(cost, benefit, v["pv_cashable_gbp"].to_numpy(), rule) if cost > 0 else None
    )
    empty = v.iloc[0:0].assign(**{c: [] for c in ["current_share", *DEAL_COLUMNS]})
    if shares is None:
        sentence = (
            "The scenario funds no intervention: there is no cost to share."
            if cost <= 0
            else (
                "No deal makes every partner better off: the interventions' benefit to all "
                f"partners ({format_gbp(float(benefit.sum()))}, cashable + non-cashable) falls "
                f"short of their cost ({format_gbp(cost)}) by {format_gbp(-surplus)}."
            )
        )
        return Deal(
            rule=rules[rule],
            cost_gbp=cost,
            surplus_gbp=surplus,
            feasible=False,
            table=empty,
            council_share_now=now,
            council_share_deal=None,
            mean_spend_gbp=mean,
            spend_years=n_years,
            capped=(),
            fallback=False,
            prevention_npv_gbp=prevention,
            sentence=sentence,
            notes=(),
        )
    share = shares.x / cost
    table = v.assign(
        current_share=v["pv_pays_gbp"] / cost,
        contribution_per_year_gbp=share * mean,
        share_of_cost=share,
        pv_contribution_gbp=shares.x,
        pv_net_gain_gbp=shares.net,
        pv_net_cash_gbp=v["pv_cashable_gbp"].to_numpy() - shares.x,
    )
    capped = tuple(a for a, c in zip(v["agency"], shares.capped, strict=True) if c)
    deal_share = float(share[council])
    return Deal(
        rule=rules[rule],
        cost_gbp=cost,
        surplus_gbp=surplus,
        feasible=True,
        table=table,
        council_share_now=now,
        council_share_deal=deal_share,
        mean_spend_gbp=mean,
        spend_years=n_years,
        capped=capped,
        fallback=shares.fallback,
        prevention_npv_gbp=prevention,
        sentence=board_sentence(table, names, now, deal_share),
        notes=tuple(_notes(table, basis, mean, n_years, capped, shares.fallback, prevention)),
    )


def deal_export(result: Result) -> pd.DataFrame:
    """The deal under every rule for a download: rule label, agency label, contribution a year
    (£), share of cost (a share of one), contribution, net gain and net cash (present values,
    £); one row per rule and partner with some benefit, or one row per rule saying why there
    is no deal."""
    rows: list[dict[str, object]] = []
    for rule in RULES:
        d = deal(result, rule)
        if not d.feasible:
            rows.append({"rule": d.rule.label, "agency": "", "note": d.sentence})
            continue
        for r in d.table[d.table["pv_benefit_gbp"] > 0].itertuples():
            rows.append(
                {
                    "rule": d.rule.label,
                    "agency": r.agency_label,
                    "contribution a year (£)": r.contribution_per_year_gbp,
                    "share of cost": r.share_of_cost,
                    "contribution (PV, £)": r.pv_contribution_gbp,
                    f"{DEAL_COLUMNS['pv_net_gain_gbp']} (PV, £)": r.pv_net_gain_gbp,
                    f"{DEAL_COLUMNS['pv_net_cash_gbp']} (PV, £)": r.pv_net_cash_gbp,
                    "note": d.sentence,
                }
            )
    return pd.DataFrame(rows)
