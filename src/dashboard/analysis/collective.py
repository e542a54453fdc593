"""The collective picture: what the public sector spends in a place together (the Public spend
here page; docs/collective-picture.md).

For a place, level and period: the council's net spend by service (the canonical
``spend_*_per_head`` lines of the bundle at either level, without the total, so a unitary's
housing and its adult social care both count; agency "" or ``council``) and each
partner's spend lines (indicators of kind spend in £ per head whose ``agency`` is another of
``bundle.schema.AGENCIES``), per head and in total (£ per head × the place's residents of the
matching mid-year), beside the comparison group's median per line; the outcomes each line bears
on (outcomes of the same service); and what is missing, in words. Money is in cash or real
terms (``analysis.prices``). Pure: no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.prices import CASH, price_factor, prices_label
from dashboard.bundle.catalogue import canonical_indicators, service_label
from dashboard.bundle.denominators import mid_year, nearest_year
from dashboard.bundle.model import Bundle
from dashboard.bundle.schema import AGENCIES

COUNCIL = "council"
#: What a spend line with no outcome of its service says it bears on.
NO_OUTCOMES = "none in this bundle"
#: The note of a bundle with no partners' spend at all.
NO_PARTNERS = (
    "This dataset has no partners' spend: only the council's own spend is shown, until a data "
    "layer adds partners (NHS, police, fire and rescue, DWP, voluntary sector)."
)


def agency_of(value: object) -> str:
    """An indicator's agency id: ``council`` when empty or missing."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return text or COUNCIL


def partner_mask(indicators: pd.DataFrame) -> pd.Series:
    """Rows of an indicator frame that are partners' figures (an agency other than the
    council's); all False when the frame has no ``agency`` column."""
    if "agency" not in indicators.columns:
        return pd.Series(False, index=indicators.index)
    return indicators["agency"].map(agency_of) != COUNCIL


@dataclass(frozen=True)
class SpendLine:
    """One spend line in the place: £ per head and £ in total (at the chosen prices)."""

    indicator_id: str
    label: str
    agency: str  # an id of AGENCIES
    agency_label: str
    service: str
    service_label: str
    per_head: float | None
    total: float | None
    group_median_per_head: float | None
    group_median_total: float | None
    group_places: int  # comparison places with a figure for the line
    outcomes: tuple[str, ...]  # labels of the outcomes of the same service (empty: none)
    source: str

    @property
    def outcomes_text(self) -> str:
        """The outcomes it bears on in words ('none in this bundle' when there are none)."""
        return "; ".join(self.outcomes) if self.outcomes else NO_OUTCOMES


@dataclass(frozen=True)
class Collective:
    """The collective picture of one place, level and period."""

    place: str
    place_name: str
    level: str
    period: str
    prices: str  # the price basis in words ('cash', 'real terms, 2024-25 prices (...)')
    population: float | None  # residents in the matching mid-year
    population_year: int | None
    lines: tuple[SpendLine, ...]
    missing: tuple[str, ...]
    group_size: int

    @property
    def has_partners(self) -> bool:
        """Whether any partner line has a figure for the place."""
        return any(ln.agency != COUNCIL and ln.per_head is not None for ln in self.lines)

    def per_head(self, agency: str | None = None) -> float:
        """£ per head across the lines with a figure (of one agency, or all)."""
        return float(
            sum(
                ln.per_head
                for ln in self.lines
                if ln.per_head is not None and (agency is None or ln.agency == agency)
            )
        )

    @property
    def council_share(self) -> float | None:
        """The council's share (0 to 1) of the £ per head across agencies; None when 0."""
        total = self.per_head()
        return self.per_head(COUNCIL) / total if total > 0 else None

    @property
    def total(self) -> float | None:
        """£ in total across the lines (None without the place's population)."""
        if self.population is None:
            return None
        return self.per_head() * self.population


def collective_picture(
    bundle: Bundle,
    place: str,
    level: str,
    period: str,
    group: list[str],
    prices: str = CASH,
) -> Collective:
    """The council's and partners' spend lines in ``place`` at ``level`` for ``period``, beside
    the median of the comparison places ``group`` (the place itself left out), in cash or real
    terms (``prices``); every £ figure at the prices of the chosen basis."""
    others = [c for c in dict.fromkeys(group) if c != place]
    # every line of the council (a unitary's housing is a lower-tier line, its adult social
    # care an upper-tier one) and of its partners: the place's values decide what it has
    ind = bundle.indicators
    lines_ind = bundle.derived("collective.spend_lines", lambda: _spend_lines(ind))
    vals = bundle.values_of([place, *others], lines_ind["id"])  # the rows this picture uses
    vals = vals[(vals["period"].astype(str) == str(period)) & vals["value"].notna()]
    table = _place_table(vals, [place, *others], [str(i) for i in lines_ind["id"]])
    mat = table.to_numpy(dtype=float)  # row 0: the place; then ``others``, in order
    factor = price_factor(bundle, period, prices)
    year = _population_year(bundle, period)
    pop = bundle.population_total(year) if year is not None else pd.Series(dtype=float)
    own_pop = _number(pop.get(place))
    outcomes = bundle.derived(
        ("collective.outcomes", level),
        lambda: _outcomes_by_service(bundle, bundle.indicators_at(level)),
    )
    others_pop = pop.reindex(others).to_numpy(dtype=float)
    out: list[SpendLine] = []
    for j, rec in enumerate(lines_ind.to_dict("records")):
        ind_id = str(rec["id"])
        per_head = _number(mat[0, j])
        per_head = _number(per_head * factor) if per_head is not None else None
        held = ~np.isnan(mat[1:, j])  # the comparison places with a figure
        grp = mat[1:, j][held] * factor
        grp_total = grp * others_pop[held]
        grp_total = grp_total[~np.isnan(grp_total)]
        agency = agency_of(rec.get("agency"))
        out.append(
            SpendLine(
                indicator_id=ind_id,
                label=str(rec["label"]),
                agency=agency,
                agency_label=AGENCIES.get(agency, agency),
                service=str(rec["service"]),
                service_label=service_label(str(rec["service"])),
                per_head=per_head,
                total=per_head * own_pop if per_head is not None and own_pop else None,
                group_median_per_head=_median(grp) if len(grp) else None,
                group_median_total=_median(grp_total) if len(grp_total) else None,
                group_places=len(grp),
                outcomes=outcomes.get(str(rec["service"]), ()),
                source=f"{rec['source_publisher']}: {rec['source_title']}",
            )
        )
    # a council line without a figure is a service it does not run (a county's housing);
    # a partner's line without one is missing, and said so
    lines = tuple(
        ln for ln in out if ln.per_head is not None or (ln.agency != COUNCIL and ln.group_places)
    )
    picture = Collective(
        place=place,
        place_name=bundle.place_name(place),
        level=level,
        period=str(period),
        prices=prices_label(bundle, prices),
        population=own_pop,
        population_year=year,
        lines=lines,
        missing=(),
        group_size=len(others),
    )
    missing = _missing(picture, out, table, others, own_pop, math.isnan(factor))
    return Collective(**{**picture.__dict__, "missing": tuple(missing)})


def lines_frame(picture: Collective) -> pd.DataFrame:
    """One row per spend line: agency, line, service, £ per head, £ total, the group's medians,
    the outcomes it bears on and the source (the page's table and the chart's data)."""
    rows = [
        {
            "agency": ln.agency,
            "agency_label": ln.agency_label,
            "indicator_id": ln.indicator_id,
            "line": ln.label,
            "service_label": ln.service_label,
            "per_head": ln.per_head,
            "total": ln.total,
            "group_median_per_head": ln.group_median_per_head,
            "group_median_total": ln.group_median_total,
            "group_places": ln.group_places,
            "outcomes": ln.outcomes_text,
            "source": ln.source,
        }
        for ln in picture.lines
    ]
    cols = [
        "agency",
        "agency_label",
        "indicator_id",
        "line",
        "service_label",
        "per_head",
        "total",
        "group_median_per_head",
        "group_median_total",
        "group_places",
        "outcomes",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def _spend_lines(ind: pd.DataFrame) -> pd.DataFrame:
    """The spend lines of an indicator frame: the council's canonical service lines in £ per
    head (no total, no sub-service breakdown) and any line whose agency is set (council lines a
    layer names as such, and every partner's), council first, then by agency in AGENCIES order."""
    canonical = {str(e["id"]) for e in canonical_indicators()}
    agency = (
        ind["agency"].map(agency_of) if "agency" in ind.columns else pd.Series(COUNCIL, ind.index)
    )
    named = ind["agency"].fillna("").astype(str) != "" if "agency" in ind.columns else False
    keep = (
        (ind["kind"] == "spend")
        & (ind["unit"] == "gbp_per_head")
        & (ind["service"] != "all")
        & (ind["id"].isin(canonical) | named)
    )
    out = ind[keep].assign(_agency=agency[keep])
    order = {a: i for i, a in enumerate(AGENCIES)}
    out = out.assign(_order=out["_agency"].map(lambda a: order.get(a, len(order))))
    return out.sort_values("_order", kind="stable").drop(columns=["_agency", "_order"])


def _outcomes_by_service(bundle: Bundle, ind: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Labels of the outcome indicators with values in the bundle, by service."""
    have = bundle.indicator_ids_with_values
    out: dict[str, list[str]] = {}
    for rec in ind[(ind["kind"] == "outcome") & ind["id"].isin(have)].to_dict("records"):
        out.setdefault(str(rec["service"]), []).append(str(rec["label"]))
    return {k: tuple(v) for k, v in out.items()}


def _population_year(bundle: Bundle, period: str) -> int | None:
    """The mid-year whose residents divide ``period``'s £ per head (the nearest year held)."""
    want = mid_year(period)
    return nearest_year(want, bundle.population_years) if want is not None else None


def _missing(
    picture: Collective,
    lines: list[SpendLine],
    table: pd.DataFrame,
    others: list[str],
    population: float | None,
    no_prices: bool,
) -> list[str]:
    """What the picture lacks, in words."""
    notes: list[str] = []
    name, period = picture.place_name, picture.period
    if no_prices:
        notes.append(
            f"The price index does not cover {period}: no figure can be shown in real terms."
        )
    partners = [ln for ln in lines if ln.agency != COUNCIL]
    with_data = {ln.agency for ln in partners if ln.per_head is not None}
    absent = [AGENCIES[a] for a in AGENCIES if a not in (COUNCIL, "other", *with_data)]
    if not partners:
        notes.append(NO_PARTNERS)
        notes.append(f"No spend for {name} in {period} from: {', '.join(absent)}.")
    elif absent:
        notes.append(f"No spend for {name} in {period} from: {', '.join(absent)}.")
    for ln in partners:
        if ln.per_head is None:
            notes.append(f"{ln.agency_label}: '{ln.label}' has no figure for {name} in {period}.")
    if partners and others:
        ids = [ln.indicator_id for ln in partners if ln.indicator_id in table.columns]
        held = table.reindex(others)[ids].notna().any(axis=1) if ids else pd.Series(False, others)
        lacking = int((~held).sum())
        if lacking == len(others):
            notes.append(
                "No comparison place has partners' spend: partners' lines have no group median."
            )
        elif lacking:
            notes.append(
                f"{lacking} of {len(others)} comparison places have no partners' spend for "
                f"{period}: the medians of partners' lines use the {len(others) - lacking} "
                "that do."
            )
    if population is None:
        notes.append(f"No population for {name}: totals in £ cannot be shown, only £ per head.")
    return notes


def _place_table(vals: pd.DataFrame, codes: list[str], ids: list[str]) -> pd.DataFrame:
    """The mean value of each place (rows, ``codes``) and indicator (columns, ``ids``) in
    ``vals``; NaN where there is none."""
    row = {c: i for i, c in enumerate(codes)}
    col = {c: j for j, c in enumerate(ids)}
    r = np.array([row.get(c, -1) for c in vals["place_code"].to_numpy(dtype=object)], dtype=int)
    k = np.array([col.get(c, -1) for c in vals["indicator_id"].to_numpy(dtype=object)], dtype=int)
    v = pd.to_numeric(vals["value"], errors="coerce").to_numpy(dtype=float)
    ok = (r >= 0) & (k >= 0) & ~np.isnan(v)
    sums = np.zeros((len(codes), len(ids)))
    counts = np.zeros((len(codes), len(ids)))
    np.add.at(sums, (r[ok], k[ok]), v[ok])
    np.add.at(counts, (r[ok], k[ok]), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / counts, np.nan)
    return pd.DataFrame(mean, index=codes, columns=ids)


def _median(x: np.ndarray) -> float:
    """The median of the values that are not NaN (NaN when none is)."""
    finite = x[~np.isnan(x)]
    return float(np.median(finite)) if finite.size else math.nan


def _number(v: object) -> float | None:
    """A finite float, else None."""
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None
