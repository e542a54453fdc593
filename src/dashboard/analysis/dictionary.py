"""What the Data page shows: sources, the indicator dictionary, coverage and tidy exports."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.groups import indicator_groups
from dashboard.analysis.prices import CASH, basis_column, convert_frame, deflator_block
from dashboard.bundle.catalogue import service_label
from dashboard.bundle.model import Bundle
from dashboard.bundle.ordinals import ordinal_scale
from dashboard.catalogue import params_table
from dashboard.formatting import unit_label
from dashboard.layers.merge import LOCAL_WORDS, is_local, local_source, marked_label


def sources_table(bundle: Bundle) -> pd.DataFrame:
    """One row per source: publisher, title, licence, periods, number of indicators, link."""
    ind = bundle.indicators
    periods = bundle.indicator_periods
    rows = []
    for (publisher, title, url, licence), grp in ind.groupby(
        ["source_publisher", "source_title", "source_url", "source_licence"], sort=True
    ):
        pers = sorted({p for i in grp["id"] for p in periods.get(i, [])})
        span = f"{pers[0]} to {pers[-1]}" if len(pers) > 1 else (pers[0] if pers else "none")
        local = any(is_local(r) for r in grp.to_dict("records"))
        rows.append(
            {
                "publisher": f"{publisher} ({LOCAL_WORDS})" if local else publisher,
                "dataset": title,
                "periods": span,
                "indicators": len(grp),
                "licence": licence,
                "link": url if str(url).startswith(("http://", "https://")) else None,
            }
        )
    block = deflator_block(bundle)
    if block is not None:  # the price index behind real terms (no indicator of its own)
        pers = bundle.deflators["period"].astype(str).tolist()
        src = block["source"]
        rows.append(
            {
                "publisher": src["publisher"],
                "dataset": f"{src['title']} — price index for real terms "
                f"({block['base_period']} prices)",
                "periods": f"{pers[0]} to {pers[-1]}" if len(pers) > 1 else pers[0],
                "indicators": 0,
                "licence": src["licence"],
                "link": src["url"],
            }
        )
    return pd.DataFrame(rows)


def indicator_dictionary(
    bundle: Bundle,
    search: str = "",
    kinds: list[str] | None = None,
    services: list[str] | None = None,
) -> pd.DataFrame:
    """The indicator catalogue as a table, filtered by text, kind and service; ``group`` is
    what the indicator measures (the Profile page's section, groups.yaml); ``denominator``
    says whom a rate we compute divides by (people and year), empty for the others."""
    ind = bundle.indicators
    periods = {ind: ", ".join(p) for ind, p in bundle.indicator_periods.items()}
    groups = indicator_groups()
    records = ind.to_dict("records")
    table = pd.DataFrame(
        {
            "indicator": [marked_label(r) for r in records],
            "id": ind["id"],
            "origin": [local_source(r) if is_local(r) else "official statistics" for r in records],
            "kind": ind["kind"],
            "group": [
                groups.label(groups.of_row(str(r["id"]), str(r["service"]), r.get("origin")))
                for r in records
            ],
            "service": ind["service"].map(service_label),
            "unit": ind["unit"].map(unit_label),
            "polarity": ind["polarity"].str.replace("_", " "),
            "levels": ind["levels"].map(lambda lv: ", ".join(lv)),
            "periods": ind["id"].map(periods).fillna("none"),
            "definition": ind["definition"],
            "denominator": _denominators(ind),
            "source": ind["source_publisher"] + ": " + ind["source_title"],
            "licence": ind["source_licence"],
        }
    )
    if kinds:
        table = table[ind["kind"].isin(kinds).to_numpy()]
    if services:
        table = table[ind.loc[table.index, "service"].isin(services).to_numpy()]
    if search.strip():
        needle = search.strip().lower()
        hay = (
            table["indicator"]
            + " "
            + table["id"]
            + " "
            + table["definition"]
            + " "
            + table["group"]
            + " "
            + table["origin"]
            + " "
            + table["denominator"]
            + " "
            + table["source"]
        )
        table = table[hay.str.lower().str.contains(needle, regex=False)]
    return table.reset_index(drop=True)


def _denominators(ind: pd.DataFrame) -> pd.Series:
    """Whom each indicator divides by, in words ("" for a published figure or a count)."""
    if "denominator" not in ind.columns:
        return pd.Series("", index=ind.index)
    return ind["denominator"].map(lambda v: v if isinstance(v, str) else "")


def indicator_services(bundle: Bundle) -> list[str]:
    """Service ids that the bundle's indicators belong to, sorted (for the dictionary filter)."""
    return sorted(bundle.indicators["service"].unique())


def coverage_table(bundle: Bundle, level: str | None = None) -> pd.DataFrame:
    """Places with values per indicator (at ``level``, or both), latest period."""
    cov = bundle.coverage
    if cov is None or cov.empty:
        from dashboard.bundle.io import compute_coverage

        cov = compute_coverage(bundle)
    cov = cov.copy()
    if level is not None:
        cov = cov[cov["level"] == level]
    cov["period"] = cov["period"].fillna("").astype(str)
    latest = cov.sort_values("period").groupby(["indicator_id", "level"]).tail(1)
    n_periods = (
        cov[cov["places_with_value"] > 0].groupby(["indicator_id", "level"])["period"].nunique()
    )
    labels = pd.Series(
        [marked_label(r) for r in bundle.indicators.to_dict("records")],
        index=bundle.indicators["id"],
    )
    out = pd.DataFrame(
        {
            "indicator": latest["indicator_id"].map(labels),
            "level": latest["level"],
            "latest period": latest["period"],
            "places with a value": latest["places_with_value"].astype(int),
            "places at this level": latest["places_total"].astype(int),
            "periods": [
                int(n_periods.get((i, lv), 0))
                for i, lv in zip(latest["indicator_id"], latest["level"], strict=True)
            ],
        }
    )
    out["coverage %"] = (100 * out["places with a value"] / out["places at this level"]).round(0)
    return out.sort_values(["level", "indicator"]).reset_index(drop=True)


def gaps_table(bundle: Bundle, level: str) -> pd.DataFrame:
    """Missing values that carry a reason (the bundle's ``note``) at ``level``: one row per
    period, place and reason (latest period first), with how many indicators it empties and
    their labels, as plain text."""
    cols = ["period", "place", "code", "reason", "indicators", "which"]
    v = bundle.values
    if "note" not in v:
        return pd.DataFrame(columns=cols)
    codes = set(bundle.place_codes(level))
    ids = set(bundle.indicators_at(level)["id"])
    g = v[(v["note"] != "") & v["value"].isna() & v["place_code"].isin(codes)]
    g = g[g["indicator_id"].isin(ids)]
    if g.empty:
        return pd.DataFrame(columns=cols)
    labels = bundle.indicators.set_index("id")["label"]
    g = g.assign(label=g["indicator_id"].map(labels))
    rows = [
        (
            str(period),
            bundle.place_name(code),
            code,
            note,
            len(grp),
            "; ".join(sorted(grp["label"])),
        )
        for (period, code, note), grp in g.groupby(["period", "place_code", "note"])
    ]
    out = pd.DataFrame(rows, columns=cols).sort_values(["place", "reason"])
    out = out.sort_values("period", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def count_values(bundle: Bundle, codes: list[str]) -> int:
    """Number of value rows for ``codes`` (what tidy_values would return)."""
    return int(bundle.values["place_code"].isin(codes).sum())


def tidy_values(bundle: Bundle, codes: list[str], prices: str = CASH) -> pd.DataFrame:
    """Every value for ``codes`` in tidy form, each row traceable: source, period, unit, licence.
    ``value_in_words`` gives a grade of an ordinal indicator in words ('Good'; "" for other
    units), beside its number on the scale. Money is in cash or, with ``prices`` "real", in real terms at the bundle's price base;
    ``price_basis`` says which on every money row ("" for other units)."""
    vals = bundle.values[bundle.values["place_code"].isin(codes)]
    ind = bundle.indicators.set_index("id")
    names = bundle.places.set_index("code")["name"]
    out = pd.DataFrame(
        {
            "place_code": vals["place_code"],
            "place_name": vals["place_code"].map(names),
            "indicator_id": vals["indicator_id"],
            "indicator": vals["indicator_id"].map(ind["label"]),
            "period": vals["period"],
            "value": vals["value"],
            "value_in_words": _grade_words(vals, ind["unit"]),
            "unit": vals["indicator_id"].map(ind["unit"]),
            "lower_ci": vals["lower_ci"],
            "upper_ci": vals["upper_ci"],
            "status": vals["status"],
            "note": vals.get("note", ""),
            "source": vals["indicator_id"].map(
                ind["source_publisher"] + ": " + ind["source_title"]
            ),
            "licence": vals["indicator_id"].map(ind["source_licence"]),
        }
    )
    out = convert_frame(out, bundle, prices, ("value", "lower_ci", "upper_ci"))
    out["price_basis"] = basis_column(bundle, out["unit"].fillna(""), prices, out["period"])
    return out.sort_values(["place_name", "indicator_id", "period"]).reset_index(drop=True)


def _grade_words(vals: pd.DataFrame, units: pd.Series) -> list[str]:
    """The words of each ordinal grade in ``vals`` (ordinals.yaml), "" for other rows."""
    out = []
    for ind, value in zip(vals["indicator_id"], vals["value"], strict=True):
        scale = ordinal_scale(ind) if units.get(ind) == "ordinal" else None
        out.append((scale.words(value) or "") if scale is not None and pd.notna(value) else "")
    return out


def _number_text(x: float) -> str:
    return "" if pd.isna(x) else f"{x:g}"


def settings_table() -> pd.DataFrame:
    """Every method setting and assumption of the catalogue (``dashboard.catalogue``), one row
    each: file, setting (its key), value, low, high, unit, allowed range, evidence grade,
    source (its link when it has one) and price year (or date)."""
    t = params_table()
    return pd.DataFrame(
        {
            "file": t["file"],
            "setting": t["key"],
            "value": t["value"],
            "low": t["low"],
            "high": t["high"],
            "unit": t["unit"],
            "allowed range": [
                f"{_number_text(lo)} to {_number_text(hi)}"
                for lo, hi in zip(t["min"], t["max"], strict=True)
            ],
            "evidence grade": t["grade"],
            "source": [
                f"{src} ({link})" if link else src
                for src, link in zip(t["source"], t["link"], strict=True)
            ],
            "price year": t["as_of"],
        }
    )
