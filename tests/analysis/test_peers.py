"""Statistical nearest neighbours on small hand-made data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dashboard import CATALOGUE_DIR
from dashboard.analysis.peers import (
    PeerSpec,
    PeerVariable,
    build_peer_model,
    has_peer_variables,
    impute_median,
    nearest,
    peer_spec,
    standardise,
    variables_table,
    weighted_distances,
    why_similar,
)
from dashboard.bundle import Bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.view import View, default_view, group_codes, group_label, resolve_view
from tests.bundle.conftest import make_bundle

SOURCE = {
    "publisher": "Test",
    "title": "Hand-made",
    "url": "https://example.invalid",
    "licence": "MIT",
}


def var(id_: str, weight: float = 1.0, transform: str = "none") -> PeerVariable:
    return PeerVariable(id_, weight, transform, "relative weight", 0.0, 5.0, "test")


def spec(*variables: PeerVariable, n: int = 2, level: str = "upper") -> PeerSpec:
    return PeerSpec(level=level, n_peers=n, min_variables=2, variables=tuple(variables))


def peer_bundle(rows: dict[str, dict[str, float]], kinds: dict[str, str] | None = None) -> Bundle:
    """A bundle whose places (unitary unless ``kinds`` says otherwise) carry the given values."""
    kinds = kinds or {}
    codes = list(rows)
    places = pd.DataFrame(
        {
            "code": codes,
            "name": [f"Place {c}" for c in codes],
            "kind": [kinds.get(c, "unitary") for c in codes],
            "region_code": ["R1"] * len(codes),
            "region_name": ["Region One"] * len(codes),
            "county_code": [""] * len(codes),
        }
    )
    ids = sorted({k for r in rows.values() for k in r})
    indicators = pd.DataFrame(
        [
            {
                "id": i,
                "label": f"Variable {i}",
                "kind": "need",
                "service": "all",
                "unit": "score",
                "polarity": "neutral",
                "levels": ("upper", "lower"),
                "definition": "d",
                **{f"source_{k}": v for k, v in SOURCE.items()},
            }
            for i in ids
        ]
    )
    recs = [
        {"place_code": c, "indicator_id": i, "period": "2024-25", "value": v}
        for c, r in rows.items()
        for i, v in r.items()
    ]
    values = pd.DataFrame(recs).assign(lower_ci=math.nan, upper_ci=math.nan, status="")
    meta = {"title": "Peers test", "is_demo": True, "attribution": "hand", "licence": "MIT"}
    meta["periods"] = ["2024-25"]
    return Bundle(meta=meta, places=places, indicators=indicators, values=values, geo={})


# --- numerics ----------------------------------------------------------------------------------
def test_weighted_distance_is_euclidean_with_weights_on_squares() -> None:
    z = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert weighted_distances(z, np.array([1.0, 1.0]))[0, 1] == pytest.approx(5.0)
    # weight 4 on the first axis doubles that difference; weight 0 ignores the second
    assert weighted_distances(z, np.array([4.0, 0.0]))[0, 1] == pytest.approx(6.0)
    d = weighted_distances(np.random.default_rng(1).normal(size=(9, 3)), np.ones(3))
    assert np.allclose(d, d.T) and np.allclose(np.diag(d), 0.0)


def test_standardise_gives_mean_zero_sd_one_and_zeros_for_a_constant() -> None:
    m = np.array([[1.0, 5.0], [2.0, 5.0], [6.0, 5.0]])
    z = standardise(m)
    assert np.allclose(z[:, 0].mean(), 0.0) and np.allclose(z[:, 0].std(), 1.0)
    assert np.all(z[:, 1] == 0.0)


def test_impute_median_fills_and_reports() -> None:
    m = np.array([[1.0, math.nan], [3.0, 2.0], [math.nan, 4.0], [10.0, 9.0]])
    filled, mask = impute_median(m)
    assert filled[2, 0] == 3.0 and filled[0, 1] == 4.0
    assert mask.tolist() == [[False, True], [False, False], [True, False], [False, False]]


def test_nearest_never_returns_the_row_itself_even_at_distance_zero() -> None:
    z = np.array([[0.0], [0.0], [1.0], [5.0]])  # rows 0 and 1 identical
    idx, d = nearest(weighted_distances(z, np.ones(1)), 2)
    for i in range(4):
        assert i not in idx[i]
    assert idx[0].tolist() == [1, 2] and d[0].tolist() == [0.0, 1.0]
    assert idx[3].tolist() == [2, 0]  # tie between rows 0 and 1: lower index first
    assert np.all(np.diff(d, axis=1) >= 0), "nearest first"


def test_nearest_caps_k_at_the_other_places() -> None:
    idx, _ = nearest(weighted_distances(np.array([[0.0], [1.0], [2.0]]), np.ones(1)), 15)
    assert idx.shape == (3, 2)


# --- the model on a hand-made bundle ---------------------------------------------------------------
LINE = {f"U{i}": {"a": float(i), "b": float(i % 2)} for i in range(1, 8)}


def test_peers_are_the_nearest_places_with_similarity_between_zero_and_one() -> None:
    b = peer_bundle(LINE)
    m = build_peer_model(b, "upper", "2024-25", spec(var("a", 1.0), var("b", 0.0)))
    assert m is not None
    assert m.peers_of("U4") in (["U3", "U5"], ["U5", "U3"])
    assert set(m.peers_of("U1")) == {"U2", "U3"}
    assert np.all((m.similarity >= 0) & (m.similarity <= 1))
    assert np.all(np.diff(m.similarity, axis=1) <= 0), "most similar first"
    for code in b.place_codes("upper"):
        assert code not in m.peers_of(code)


def test_weights_change_who_is_nearest() -> None:
    rows = {"U1": {"a": 0.0, "b": 0.0}, "U2": {"a": 1.0, "b": 3.0}, "U3": {"a": 3.0, "b": 1.0}}
    rows |= {"U4": {"a": 10.0, "b": 10.0}}  # keeps the spread of both variables alike
    b = peer_bundle(rows)
    on_a = build_peer_model(b, "upper", "2024-25", spec(var("a", 5.0), var("b", 0.1), n=1))
    on_b = build_peer_model(b, "upper", "2024-25", spec(var("a", 0.1), var("b", 5.0), n=1))
    assert on_a.peers_of("U1") == ["U2"] and on_b.peers_of("U1") == ["U3"]


def test_groups_respect_the_level() -> None:
    rows = {c: {"a": float(i), "b": 1.0 + i} for i, c in enumerate(["C1", "D1", "D2", "U1", "U2"])}
    kinds = {"C1": "county", "D1": "district", "D2": "district"}
    b = peer_bundle(rows, kinds)
    up = build_peer_model(b, "upper", "2024-25", spec(var("a"), var("b"), n=15))
    low = build_peer_model(b, "lower", "2024-25", spec(var("a"), var("b"), n=15, level="lower"))
    assert set(up.codes) == {"C1", "U1", "U2"} and set(up.peers_of("U1")) == {"C1", "U2"}
    assert set(low.codes) == {"D1", "D2", "U1", "U2"}
    assert "C1" not in low.peers_of("D1") and up.peers_of("D1") == []


def test_missing_values_take_the_level_median_and_are_reported() -> None:
    rows = {k: dict(v) for k, v in LINE.items()}
    del rows["U2"]["a"]
    b = peer_bundle(rows)
    m = build_peer_model(b, "upper", "2024-25", spec(var("a"), var("b")))
    k = [v.id for v in m.variables].index("a")
    assert m.imputed[m.index("U2"), k] and m.imputed.sum() == 1
    assert variables_table(m, b).set_index("id").loc["a", "places_imputed"] == 1
    table = why_similar(m, b, "U2")
    assert math.isnan(table.loc[0, "Variable a (score)"]), "an imputed value is not shown as data"


def test_log_transform_and_left_out_variables() -> None:
    rows = {f"U{i}": {"a": 10.0**i, "b": 1.0} for i in range(1, 6)}
    b = peer_bundle(rows)
    m = build_peer_model(
        b, "upper", "2024-25", spec(var("a", transform="log"), var("b"), var("zz"))
    )
    # on a log scale 10, 100, 1000 ... are evenly spaced: U3's peers are U2 and U4
    assert set(m.peers_of("U3")) == {"U2", "U4"}
    assert m.left_out == ("zz",)


def test_too_few_variables_gives_no_model() -> None:
    b = peer_bundle(LINE)
    one = PeerSpec("upper", 2, 2, (var("a"), var("missing")))
    assert build_peer_model(b, "upper", "2024-25", one) is None
    assert not has_peer_variables(b, "upper", one)


def test_why_similar_lists_the_place_first_then_its_peers() -> None:
    b = peer_bundle(LINE)
    m = build_peer_model(b, "upper", "2024-25", spec(var("a"), var("b")))
    t = why_similar(m, b, "U4")
    assert t["code"].tolist() == ["U4", *m.peers_of("U4")]
    assert t.loc[0, "similarity_0_1"] == 1.0
    assert t.loc[0, "Variable a (score)"] == 4.0


# --- the catalogue and the view ------------------------------------------------------------------
@pytest.mark.parametrize("level", ["upper", "lower"])
def test_peer_catalogue_uses_canonical_ids_with_unit_range_and_source(level: str) -> None:
    s = peer_spec(level)
    canon = {i["id"]: i for i in canonical_indicators()}
    assert s.n_peers >= 5 and len(s.variables) >= s.min_variables
    for v in s.variables:
        assert v.id in canon and level in canon[v.id]["levels"]
        assert v.unit and v.source and v.low <= v.weight <= v.high


def test_out_of_range_weight_is_refused(tmp_path: Path) -> None:
    doc = yaml.safe_load((CATALOGUE_DIR / "peers.yaml").read_text())
    doc["levels"]["upper"][0]["weight"] = 99
    path = tmp_path / "peers.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(ValueError, match="outside"):
        peer_spec("upper", path)


def canonical_bundle() -> Bundle:
    rng = np.random.default_rng(7)
    ids = [v.id for v in peer_spec("upper").variables]
    rows = {f"U{i:02d}": {k: float(rng.uniform(1, 100)) for k in ids} for i in range(30)}
    return peer_bundle(rows)


def test_peers_group_in_the_view() -> None:
    b = canonical_bundle()
    view, notes = resolve_view({}, {"t": b}, "t")
    assert view.group == "peers" and notes == []
    codes = group_codes(b, view)
    assert len(codes) == peer_spec("upper").n_peers and view.place not in codes
    model = build_peer_model(b, "upper", view.period)
    assert codes == model.peers_of(view.place)
    assert group_label(b, view).endswith(f"({len(codes)})")
    # a list passed in (e.g. from a cache) is used as is
    assert group_codes(b, view, ["U05", view.place]) == ["U05"]


def test_bundle_without_peer_variables_falls_back_to_region() -> None:
    tiny = make_bundle()
    assert default_view("tiny", tiny).group == "region"
    view, notes = resolve_view({"group": "peers"}, {"tiny": tiny}, "tiny")
    assert view.group == "region" and "nearest neighbours" in notes[0]
    assert group_codes(tiny, View("tiny", "upper", "U1", "peers", "2024-25")) == []
