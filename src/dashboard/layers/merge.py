"""Join a checked data layer to a bundle: a new Bundle in which the layer's figures sit beside the
official ones, marked as local data, never mixed into an official series.

- Each definition of the layer becomes an indicator row (``origin`` "local", ``layer_title`` the
  layer's title), its values appended as they are (missing stays NaN with its ``status``).
- Values for an indicator the bundle already has go to a companion ``<id>_local`` ("<label>
  (local data)"), with the official definition's fields, the layer as its source and
  ``official_id`` naming the official indicator, so a page can show both side by side.
- Official rows get ``origin`` "official", ``layer_title`` "" and ``official_id`` "".
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dashboard.bundle import Bundle
from dashboard.bundle.checks_meta import indicators_frame
from dashboard.bundle.io import compute_coverage, indicators_records, validate_bundle
from dashboard.layers.model import Layer

#: Suffix of the companion indicator that carries a layer's values for an official indicator.
LOCAL_SUFFIX = "_local"
#: Words that mark an indicator or figure as coming from a layer (text, not colour alone).
LOCAL_WORDS = "local data"
ORIGIN_OFFICIAL = "official"
ORIGIN_LOCAL = "local"
#: The licence stated for a figure from an uploaded layer.
UPLOADED_LICENCE = "as stated by the uploader"
#: The address shown for an uploaded figure with none (a source needs one, as text).
NO_URL = "none given (uploaded file)"


class LayerJoinError(ValueError):
    """A layer that cannot be joined to this bundle (an id it neither defines nor the bundle
    has, or an id that would shadow one the bundle has)."""


def local_id(indicator_id: str) -> str:
    """The id of the companion that holds a layer's values for ``indicator_id``."""
    return f"{indicator_id}{LOCAL_SUFFIX}"


def _official_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    ind = indicators.copy()
    if "agency" not in ind.columns:
        ind["agency"] = ""
    ind["agency"] = ind["agency"].fillna("").astype(str)
    for col, default in (("origin", ORIGIN_OFFICIAL), ("layer_title", ""), ("official_id", "")):
        if col not in ind.columns:
            ind[col] = default
        ind[col] = ind[col].fillna(default).astype(str)
    return ind


def _definition_rows(layer: Layer, columns: list[str]) -> list[dict]:
    rows = []
    for rec in layer.definitions.to_dict("records"):
        row = dict.fromkeys(columns)
        row.update({k: v for k, v in rec.items() if k in columns})
        row["levels"] = tuple(rec["levels"])
        row["agency"] = str(rec.get("agency") or "")
        row["source_url"] = str(rec.get("source_url") or "") or NO_URL
        row.update(origin=ORIGIN_LOCAL, layer_title=layer.title, official_id="")
        rows.append(row)
    return rows


def _companion_row(official: dict, layer: Layer) -> dict:
    row = dict(official)
    row.update(
        id=local_id(str(official["id"])),
        label=f"{official['label']} ({LOCAL_WORDS})",
        source_publisher=f"{layer.title} (uploaded)",
        source_title=layer.filename,
        source_url=NO_URL,
        source_licence=UPLOADED_LICENCE,
        origin=ORIGIN_LOCAL,
        layer_title=layer.title,
        official_id=str(official["id"]),
        denominator=None,  # the uploader's figure: how it was divided is not ours to state
    )
    return row


def _attribution(bundle: Bundle, layer: Layer) -> str:
    """The base bundle's attribution and the layer's: its title, publishers and licences as the
    uploader stated them (so every chart and export on the joined dataset credits both)."""
    defs = layer.definitions
    publishers = sorted({str(p) for p in defs.get("source_publisher", []) if str(p).strip()})
    licences = sorted({str(x) for x in defs.get("source_licence", []) if str(x).strip()})
    who = f" ({'; '.join(publishers)})" if publishers else ""
    terms = f", licence as stated by the uploader: {'; '.join(licences)}" if licences else ""
    local = f"Local data: {layer.title}{who}, uploaded as {layer.filename}{terms}."
    return f"{bundle.attribution} {local}".strip()


def join_layer(bundle: Bundle, layer: Layer, *, dataset_label: str) -> Bundle:
    """A new Bundle: ``bundle`` with ``layer`` joined (the input is never changed).

    ``dataset_label`` names the base dataset on screen ("England (official data)"); the joined
    bundle's ``meta["layer"]`` keeps it beside the layer's title and file name. Values keep the
    indicator's unit; a missing value stays NaN with its status. Raises LayerJoinError when the
    layer names an indicator neither it nor the bundle defines, or redefines one the bundle has,
    and BundleError when the joined bundle fails the bundle's own validation."""
    official = _official_rows(bundle.indicators)
    known = set(official["id"].astype(str))
    defined = set(layer.new_indicators)
    clash = sorted(defined & known)
    if clash:
        raise LayerJoinError(
            f"the layer defines {', '.join(clash)}, which this bundle already has: give new "
            "indicators new ids (values for an existing indicator need no definition)"
        )
    values = layer.values.copy()
    values["indicator_id"] = values["indicator_id"].astype(str)
    used = set(values["indicator_id"])
    unknown = sorted(used - known - defined)
    if unknown:
        raise LayerJoinError(
            f"the layer has values for {', '.join(unknown)}, which neither it nor this bundle "
            "defines"
        )
    columns = list(official.columns)
    records = official.set_index("id", drop=False).to_dict("index")
    companions = sorted(used & known)
    taken = sorted({local_id(i) for i in companions} & (known | defined))
    if taken:
        raise LayerJoinError(f"the companion id {', '.join(taken)} is already in use")
    new_rows = _definition_rows(layer, columns)
    new_rows += [_companion_row(records[i], layer) for i in companions]
    added = pd.DataFrame(new_rows, columns=columns)
    # the catalogue's own checks (kind, service, unit, polarity, levels, source) on the new rows
    indicators_frame({"indicators": indicators_records(added)}, "the layer's definitions")
    indicators = pd.concat([official, added], ignore_index=True)
    indicators["levels"] = indicators["levels"].map(tuple)

    values["indicator_id"] = values["indicator_id"].map(lambda i: local_id(i) if i in known else i)
    for col in bundle.values.columns:
        if col not in values.columns:
            values[col] = "" if col in ("status", "note") else np.nan
    values["status"] = values["status"].fillna("").astype(str)
    joined_values = pd.concat(
        [bundle.values, values[list(bundle.values.columns)]], ignore_index=True
    )
    meta = {
        **bundle.meta,
        "title": f"{bundle.title} + {layer.title}",
        "attribution": _attribution(bundle, layer),
        "layer": {"title": layer.title, "filename": layer.filename, "base": dataset_label},
    }
    joined = dataclasses.replace(bundle, meta=meta, indicators=indicators, values=joined_values)
    joined = validate_bundle(joined)
    if bundle.coverage is not None:
        ids = set(added["id"])
        extra = compute_coverage(joined)
        extra = extra[extra["indicator_id"].isin(ids)]
        coverage = pd.concat([bundle.coverage, extra], ignore_index=True)
        joined = dataclasses.replace(joined, coverage=coverage)
    return joined


def is_local(indicator: dict) -> bool:
    """Whether an indicator row (``Bundle.indicator``) comes from a data layer."""
    return indicator.get("origin") == ORIGIN_LOCAL


def local_companions(bundle: Bundle) -> dict[str, str]:
    """Official indicator id -> the id of its local companion (empty when no layer is joined)."""
    ind = bundle.indicators
    if "official_id" not in ind.columns:
        return {}
    has = ind[ind["official_id"].fillna("").astype(str) != ""]
    return dict(zip(has["official_id"].astype(str), has["id"].astype(str), strict=True))


def local_source(indicator: dict) -> str:
    """ "local data: <layer title>, <file>" for an indicator from a layer ("" otherwise)."""
    if not is_local(indicator):
        return ""
    return f"{LOCAL_WORDS}: {indicator.get('layer_title', '')}, {indicator.get('source_title', '')}"


def marked_label(indicator: dict) -> str:
    """The indicator's label, with "(local data)" added for one from a layer."""
    label = str(indicator.get("label", indicator.get("id", "")))
    if is_local(indicator) and not label.endswith(f"({LOCAL_WORDS})"):
        return f"{label} ({LOCAL_WORDS})"
    return label


def local_figures(bundle: Bundle, place: str) -> dict[str, tuple[float, str, str]]:
    """Official indicator id -> (value, period, layer title) of the place's latest non-missing
    value in that indicator's local companion (the indicator's unit); empty without a layer."""
    pairs = local_companions(bundle)
    if not pairs:
        return {}
    by_local = {v: k for k, v in pairs.items()}
    v = bundle.values
    rows = v[(v["place_code"] == place) & v["indicator_id"].isin(by_local) & v["value"].notna()]
    out: dict[str, tuple[float, str, str]] = {}
    for rec in rows.sort_values("period").itertuples(index=False):
        title = str(bundle.indicator(str(rec.indicator_id)).get("layer_title", ""))
        out[by_local[str(rec.indicator_id)]] = (float(rec.value), str(rec.period), title)
    return out


def layer_sentence(bundle: Bundle) -> str:
    """Plain text saying which layer a joined bundle carries ("" for a bundle without one)."""
    layer = bundle.meta.get("layer")
    if not layer:
        return ""
    fictional = " The base dataset is fictional." if bundle.is_demo else ""
    return (
        f"Includes local data: {layer.get('title', '')} (file {layer.get('filename', '')}), "
        f'joined to {layer.get("base", "")}. Indicators marked "({LOCAL_WORDS})" come from it, '
        f"not from official statistics; official figures are kept as published.{fictional}"
    )
