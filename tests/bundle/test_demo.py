"""The fictional demo bundle: deterministic, committed as generated, England-shaped, and with
relationships that are true to life (need drives spend; need and spend drive outcomes)."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from dashboard import CATALOGUE_DIR, DATA_DIR, PROJECT_ROOT
from dashboard.bundle import Bundle, read_bundle
from dashboard.bundle.catalogue import canonical_indicators
from dashboard.bundle.schema import AGE_BANDS, ENGLAND_CODE, KIND_LEVELS
from dashboard.demo import DEFAULT_SEED, generate_demo, load_config, make_demo

DEMO_DIR = DATA_DIR / "demo"
MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def demo() -> Bundle:
    return generate_demo(DEFAULT_SEED)


@pytest.fixture(scope="module")
def committed() -> Bundle:
    return read_bundle(DEMO_DIR)


def _latest(b: Bundle) -> str:
    return b.periods[-1]


def _wide(b: Bundle, level: str, ids: list[str], period: str | None = None) -> pd.DataFrame:
    """Values at ``level`` as one column per indicator (one row per place and period)."""
    v = b.values[b.values["place_code"].isin(b.place_codes(level))]
    v = v[v["indicator_id"].isin(ids)]
    if period is not None:
        v = v[v["period"] == period]
    return v.pivot_table(
        index=["place_code", "period"], columns="indicator_id", values="value"
    ).dropna()


# --- determinism and the committed copy --------------------------------------------------------
def test_same_seed_same_bundle_and_other_seed_differs(demo: Bundle) -> None:
    again = generate_demo(DEFAULT_SEED)
    pd.testing.assert_frame_equal(demo.values, again.values)
    pd.testing.assert_frame_equal(demo.places, again.places)
    assert demo.population is not None and again.population is not None
    pd.testing.assert_frame_equal(demo.population, again.population)
    assert demo.geo == again.geo
    other = generate_demo(DEFAULT_SEED + 1)
    assert not other.places["name"].equals(demo.places["name"])
    assert other.geo["lower.geojson"] != demo.geo["lower.geojson"]
    shared = demo.values.merge(other.values, on=["place_code", "indicator_id", "period"])
    assert not np.allclose(shared["value_x"], shared["value_y"], equal_nan=True)


def test_committed_demo_is_what_the_generator_makes(demo: Bundle, committed: Bundle) -> None:
    pd.testing.assert_frame_equal(
        committed.places.reset_index(drop=True), demo.places.reset_index(drop=True)
    )
    a = committed.values.reset_index(drop=True)
    b = demo.values.reset_index(drop=True)
    pd.testing.assert_frame_equal(
        a[["place_code", "indicator_id", "period", "status"]],
        b[["place_code", "indicator_id", "period", "status"]],
    )
    for col in ("value", "lower_ci", "upper_ci"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-9, equal_nan=True)
    assert committed.population is not None and demo.population is not None
    np.testing.assert_allclose(committed.population["persons"], demo.population["persons"])
    assert committed.meta == demo.meta
    assert committed.indicators["id"].tolist() == demo.indicators["id"].tolist()
    for name in ("upper.hexjson", "lower.hexjson"):
        assert committed.geo[name] == demo.geo[name]
    for name in ("upper.geojson", "lower.geojson"):
        codes = [f["properties"]["code"] for f in committed.geo[name]["features"]]
        assert codes == [f["properties"]["code"] for f in demo.geo[name]["features"]]


def test_make_demo_writes_a_bundle_that_reads_back_cleanly(tmp_path: Path) -> None:
    out = make_demo(tmp_path / "demo")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = read_bundle(out)
    assert back.warnings == ()
    assert back.is_demo and back.meta["generator"]["seed"] == DEFAULT_SEED


def test_committed_demo_reads_without_warnings_and_is_small() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = read_bundle(DEMO_DIR)
    assert b.warnings == ()
    size = sum(p.stat().st_size for p in DEMO_DIR.rglob("*") if p.is_file())
    assert 0 < size < MAX_BYTES


# --- structure ---------------------------------------------------------------------------------
def test_counts_mirror_england(demo: Bundle) -> None:
    assert len(demo.place_codes("upper")) >= 150
    assert len(demo.place_codes("lower")) >= 250
    assert set(demo.places["kind"]) == set(KIND_LEVELS)
    councils = demo.places[demo.places["kind"] != "country"]
    assert 8 <= councils["region_code"].nunique() <= 10
    assert len(demo.periods) >= 5
    assert demo.periods == sorted(demo.periods)
    kinds = demo.indicators.set_index("id")["kind"]
    assert (kinds == "need").sum() >= 6
    assert (kinds == "outcome").sum() >= 15
    assert {"population", "density_per_sq_km"} <= set(kinds[kinds == "context"].index)


def test_two_tier_structure(demo: Bundle) -> None:
    p = demo.places[demo.places["kind"] != "country"]
    districts = p[p["kind"] == "district"]
    assert districts["county_code"].notna().all()
    assert set(districts["county_code"]) == set(p.loc[p["kind"] == "county", "code"])
    assert p.loc[p["kind"] != "district", "county_code"].isna().all()
    # a county's districts are in its region
    region = p.set_index("code")["region_code"]
    assert (
        districts["region_code"].to_numpy() == region[districts["county_code"]].to_numpy()
    ).all()


def test_codes_and_names_are_fictional(demo: Bundle) -> None:
    p = demo.places
    england = p[p["kind"] == "country"]
    # the one country row is England's code (the bundle contract), named as fictional
    assert england["code"].tolist() == [ENGLAND_CODE]
    assert "fictional" in england["name"].iloc[0]
    p = p[p["kind"] != "country"]
    prefix = {"county": "X10", "district": "X07", "unitary": "X06", "metropolitan": "X08"}
    prefix["london_borough"] = "X09"
    assert all(
        c.startswith(prefix[k]) and len(c) == 9 and c[3:].isdigit()
        for c, k in zip(p["code"], p["kind"], strict=True)
    )
    assert p["region_code"].str.match(r"^X12\d{6}$").all()
    assert p["name"].is_unique
    avoid = {a.lower() for a in load_config()["names"]["avoid"]}
    assert not avoid & set(p["name"].str.lower())


@pytest.mark.england
def test_no_name_is_a_real_council() -> None:
    """Names of real councils (current and former, from the official lookups) are never used."""
    env = os.environ.get("PVE_RAW_DIR")
    raw = Path(env) if env else Path(PROJECT_ROOT).parent / "shared" / "data" / "raw"
    lookups = sorted((raw / "mysociety_la_lookup").glob("*.csv"))
    if not lookups:
        pytest.skip("official raw data folder not found; set PVE_RAW_DIR to run this")
    real: set[str] = set()
    for path in lookups:
        df = pd.read_csv(path, dtype=str)
        for col in (c for c in df.columns if "name" in c.lower()):
            real |= set(df[col].dropna().str.lower().str.strip())
    meta = raw / "ons_els_geography" / "geo-metadata.json"
    if meta.exists():
        areas = json.loads(meta.read_text(encoding="utf-8-sig"))
        real |= {str(a["areanm"]).lower() for a in areas.values()}
    b = generate_demo(DEFAULT_SEED)
    ours = set(b.places["name"].str.lower()) | set(b.places["region_name"].str.lower())
    assert not ours & real


def test_every_indicator_is_canonical_and_fictionally_sourced(demo: Bundle) -> None:
    canonical = {e["id"]: e for e in canonical_indicators()}
    partners = {
        spec["indicator"]: spec
        for key, spec in load_config()["partner_spend"]["lines"].items()
        if key not in ("unit", "note")
    }
    for rec in demo.indicators.to_dict("records"):
        if rec["agency"]:  # the fictional partners' spend of demo.yaml, not the catalogue's
            spec = partners[rec["id"]]
            assert rec["id"] not in canonical and rec["agency"] == spec["agency"]
            assert (rec["kind"], rec["unit"], rec["polarity"]) == (
                "spend",
                "gbp_per_head",
                "neutral",
            )
            assert rec["levels"] == ("upper", "lower") and rec["service"] == spec["service"]
        else:
            assert rec["id"] in canonical
            assert tuple(canonical[rec["id"]]["levels"]) == rec["levels"]
        assert rec["source_publisher"] == "Place Value Explorer demo generator"
        assert "fictional" in rec["source_licence"].lower()
    spend_ids = {i for i in canonical if i.startswith("spend_")}
    assert spend_ids <= set(demo.values["indicator_id"])


def test_spend_sits_at_the_tier_that_runs_the_service(demo: Bundle) -> None:
    v = demo.values.merge(demo.places[["code", "kind"]], left_on="place_code", right_on="code")
    v = v[v["kind"] != "country"]  # England's own row carries every indicator
    kinds = v.groupby("indicator_id")["kind"].agg(set)
    single = {"unitary", "metropolitan", "london_borough"}
    assert kinds["spend_asc_per_head"] == {"county"} | single
    assert kinds["spend_housing_per_head"] == {"district"} | single
    assert kinds["spend_environment_per_head"] == set(KIND_LEVELS) - {"country"}


def test_total_spend_is_the_sum_of_services(demo: Bundle) -> None:
    council = demo.indicators.loc[demo.indicators["agency"] == "", "id"]  # partners apart
    v = demo.values[demo.values["indicator_id"].str.startswith("spend_")]
    v = v[
        v["indicator_id"].isin(council) & (v["place_code"] != ENGLAND_CODE)
    ]  # England's means come from different tiers
    wide = v.pivot_table(index=["place_code", "period"], columns="indicator_id", values="value")
    parts = wide.drop(columns="spend_total_per_head").sum(axis=1)
    np.testing.assert_allclose(wide["spend_total_per_head"], parts, atol=0.02)


# --- geometry ----------------------------------------------------------------------------------
def _coords(geom: dict[str, Any]) -> np.ndarray:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return np.array([pt for poly in polys for ring in poly for pt in ring])


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_every_place_has_a_shape_and_a_hex(demo: Bundle, level: str) -> None:
    codes = set(demo.place_codes(level))
    features = demo.geo[f"{level}.geojson"]["features"]
    assert {f["properties"]["code"] for f in features} == codes
    assert all(f["properties"]["name"] for f in features)
    hexes = demo.geo[f"{level}.hexjson"]
    assert hexes["layout"] == "odd-r"
    assert set(hexes["hexes"]) == codes
    cells = [(h["q"], h["r"]) for h in hexes["hexes"].values()]
    assert len(set(cells)) == len(cells)
    regions = set(demo.places["region_code"])
    assert all(h["region"] in regions and h["n"] for h in hexes["hexes"].values())


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_shapes_are_in_a_plausible_lon_lat_box(demo: Bundle, level: str) -> None:
    xy = np.concatenate([_coords(f["geometry"]) for f in demo.geo[f"{level}.geojson"]["features"]])
    assert xy[:, 0].min() >= -6 and xy[:, 0].max() <= 2
    assert xy[:, 1].min() >= 50 and xy[:, 1].max() <= 56


def test_hex_layout_roughly_preserves_geography(demo: Bundle) -> None:
    """Hex rows run north (as in Open Innovations' layouts) and columns east."""
    centroid = {
        f["properties"]["code"]: _coords(f["geometry"]).mean(axis=0)
        for f in demo.geo["lower.geojson"]["features"]
    }
    hexes = demo.geo["lower.hexjson"]["hexes"]
    codes = list(hexes)
    lon = [centroid[c][0] for c in codes]
    lat = [centroid[c][1] for c in codes]
    q = [hexes[c]["q"] for c in codes]
    r = [hexes[c]["r"] for c in codes]
    assert np.corrcoef(lat, r)[0, 1] > 0.8
    assert np.corrcoef(lon, q)[0, 1] > 0.8


def test_geometry_files_are_small() -> None:
    geo = DEMO_DIR / "geo"
    for path in geo.iterdir():
        json.loads(path.read_text(encoding="utf-8"))
        assert path.stat().st_size < 1024 * 1024


# --- values ------------------------------------------------------------------------------------
def test_magnitudes_are_plausible_for_england(demo: Bundle) -> None:
    v = demo.values.dropna(subset=["value"])
    units = demo.indicators.set_index("id")["unit"]
    unit = v["indicator_id"].map(units)
    pct = v[unit == "percent"]["value"]
    assert pct.between(0, 100).all()
    ordinal = v[unit == "ordinal"]["value"]
    assert ordinal.isin([1.0, 2.0, 3.0, 4.0]).all() and ordinal.nunique() == 4
    med = v[v["period"] == _latest(demo)].groupby("indicator_id")["value"]
    upper = set(demo.place_codes("upper"))
    up = v[(v["period"] == _latest(demo)) & v["place_code"].isin(upper)]
    up_med = up.groupby("indicator_id")["value"].median()
    assert 300 <= up_med["spend_asc_per_head"] <= 600
    assert 150 <= up_med["spend_csc_per_head"] <= 350
    assert 900 <= up_med["spend_total_per_head"] <= 1800
    imd = v[v["indicator_id"] == "imd_score"]["value"]
    assert imd.min() >= 4 and imd.max() <= 50
    hle = v[v["indicator_id"] == "healthy_life_expectancy_years"]["value"]
    assert hle.between(50, 75).all() and 58 <= hle.median() <= 66
    assert med.min()["population"] > 20_000


def test_confidence_intervals_and_withheld_values(demo: Bundle) -> None:
    v = demo.values
    with_ci = v[v["lower_ci"].notna()]
    assert with_ci["indicator_id"].nunique() >= 3
    assert "healthy_life_expectancy_years" in set(with_ci["indicator_id"])
    assert (
        (with_ci["lower_ci"] <= with_ci["value"]) & (with_ci["value"] <= with_ci["upper_ci"])
    ).all()
    suppressed = v[v["status"] == "suppressed"]
    assert len(suppressed) > 0 and suppressed["value"].isna().all()
    assert suppressed["lower_ci"].isna().all()
    assert (v["status"] == "missing").any()
    assert v.loc[v["status"] == "", "value"].notna().all()


def test_population_covers_periods_and_projection_and_matches_age_shares(demo: Bundle) -> None:
    pop = demo.population
    assert pop is not None
    assert set(pop["age_band"]) == set(AGE_BANDS)
    years = sorted(pop["year"].unique())
    first = int(demo.periods[0][:4])
    last = int(demo.periods[-1][:4])
    assert years[0] <= first and years[-1] >= last + 10
    assert set(pop["place_code"]) == set(demo.places["code"]) - {ENGLAND_CODE}
    wide = pop.pivot_table(index=["place_code", "year"], columns="age_band", values="persons")
    year = int(_latest(demo)[:4])
    at = wide.xs(year, level="year")
    total = at.sum(axis=1)
    v = demo.values[demo.values["period"] == _latest(demo)].pivot_table(
        index="place_code", columns="indicator_id", values="value"
    )
    np.testing.assert_allclose(v.loc[total.index, "population"], total)
    pct65 = 100 * at[["65-74", "75-84", "85+"]].sum(axis=1) / total
    np.testing.assert_allclose(v.loc[total.index, "pct_aged_65_plus"], pct65, atol=0.051)
    pct017 = 100 * at[["0-4", "5-17"]].sum(axis=1) / total
    np.testing.assert_allclose(v.loc[total.index, "pct_aged_0_17"], pct017, atol=0.051)
    # counties are the sum of their districts
    p = demo.places
    county = p.loc[p["kind"] == "county", "code"].iloc[0]
    members = p.loc[p["county_code"] == county, "code"]
    assert total[county] == pytest.approx(total[members].sum())
    # the population ages over the projection
    older = wide[["65-74", "75-84", "85+"]].sum(axis=1) / wide.sum(axis=1)
    by_year = older.groupby(level="year").mean()
    assert by_year.iloc[-1] > by_year.iloc[0]


# --- relationships -----------------------------------------------------------------------------
def test_need_drives_spend(demo: Bundle) -> None:
    w = _wide(
        demo,
        "upper",
        [
            "spend_asc_per_head",
            "spend_csc_per_head",
            "idaopi_score",
            "pct_aged_65_plus",
            "idaci_score",
            "spend_public_health_per_head",
            "imd_score",
        ],
        _latest(demo),
    )
    assert w["idaopi_score"].corr(w["spend_asc_per_head"]) > 0
    assert w["pct_aged_65_plus"].corr(w["spend_asc_per_head"]) > 0
    assert w["idaci_score"].corr(w["spend_csc_per_head"]) > 0.3
    assert w["imd_score"].corr(w["spend_public_health_per_head"]) > 0.3
    # older places spend more on adult social care, once income deprivation is held constant
    beta = _ols(w, "spend_asc_per_head", ["pct_aged_65_plus", "idaopi_score"])
    assert beta["pct_aged_65_plus"] > 0 and beta["idaopi_score"] > 0


def _ols(df: pd.DataFrame, y: str, xs: list[str], log_x: tuple[str, ...] = ()) -> pd.Series:
    """Least-squares coefficients of ``y`` on ``xs`` (and a constant), with t statistics."""
    x = np.column_stack([np.ones(len(df))] + [np.log(df[c]) if c in log_x else df[c] for c in xs])
    yy = df[y].to_numpy()
    coef, *_ = np.linalg.lstsq(x, yy, rcond=None)
    resid = yy - x @ coef
    sigma2 = resid @ resid / (len(yy) - x.shape[1])
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(x.T @ x)))
    out = pd.Series(coef[1:], index=xs)
    return pd.concat([out, pd.Series(coef[1:] / se[1:], index=[f"t_{c}" for c in xs])])


@pytest.mark.parametrize(
    ("outcome", "spend", "need"),
    [
        ("asc_short_term_outcome_pct", "spend_asc_per_head", ["idaopi_score", "pct_aged_85_plus"]),
        ("cin_rereferral_pct", "spend_csc_per_head", ["idaci_score"]),
        ("care_leavers_eet_pct", "spend_csc_per_head", ["imd_score"]),
        ("gcse_eng_maths_pct", "spend_education_per_head", ["imd_score"]),
        ("healthy_life_expectancy_years", "spend_public_health_per_head", ["imd_score"]),
        ("smoking_pct", "spend_public_health_per_head", ["imd_score"]),
    ],
)
def test_need_adjusted_spend_improves_outcomes(
    demo: Bundle, outcome: str, spend: str, need: list[str]
) -> None:
    """Regress outcome on need and log spend (one period): spend helps, need hurts."""
    w = _wide(demo, "upper", [outcome, spend, *need], _latest(demo))
    beta = _ols(w, outcome, [spend, *need], log_x=(spend,))
    better = 1 if demo.indicator(outcome)["polarity"] == "higher_is_better" else -1
    assert better * beta[spend] > 0 and abs(beta[f"t_{spend}"]) > 2
    assert better * beta[need[0]] < 0 and abs(beta[f"t_{need[0]}"]) > 2


def test_outcomes_trend_over_periods(demo: Bundle) -> None:
    v = demo.values
    smoking = v[v["indicator_id"] == "smoking_pct"].groupby("period")["value"].mean()
    assert smoking.iloc[-1] < smoking.iloc[0]
    asc = v[v["indicator_id"] == "spend_asc_per_head"].groupby("period")["value"].median()
    assert asc.is_monotonic_increasing


def test_some_places_are_outliers(demo: Bundle) -> None:
    """A few councils spend unusually for their need: residuals of log spend on log need
    beyond 3 robust standard deviations (median absolute deviation)."""
    ids = ["spend_asc_per_head", "pct_aged_65_plus", "idaopi_score"]
    w = _wide(demo, "upper", ids, _latest(demo))
    x = np.column_stack([np.ones(len(w)), np.log(w["pct_aged_65_plus"]), np.log(w["idaopi_score"])])
    y = np.log(w["spend_asc_per_head"].to_numpy())
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    robust_sd = 1.4826 * np.median(np.abs(resid - np.median(resid)))
    n_out = int((np.abs(resid - np.median(resid)) > 3 * robust_sd).sum())
    assert 0 < n_out < 0.1 * len(w)


# --- the assumptions file ----------------------------------------------------------------------
def _numbers_without_unit(node: Any, path: str, documented: bool) -> list[str]:
    if isinstance(node, dict):
        here = documented or ({"unit", "note"} <= set(node))
        return [
            bad for k, v in node.items() for bad in _numbers_without_unit(v, f"{path}.{k}", here)
        ]
    if isinstance(node, list):
        return [
            b
            for i, v in enumerate(node)
            for b in _numbers_without_unit(v, f"{path}[{i}]", documented)
        ]
    if isinstance(node, int | float) and not isinstance(node, bool) and not documented:
        return [path]
    return []


def test_every_generator_number_has_a_unit_and_a_note() -> None:
    doc = yaml.safe_load((CATALOGUE_DIR / "demo.yaml").read_text(encoding="utf-8"))
    assert _numbers_without_unit(doc, "demo.yaml", False) == []


def test_config_counts_are_consistent() -> None:
    cfg = load_config()
    g = cfg["geography"]
    assert sum(g["metro_cluster_sizes"]) == g["counts"]["metropolitan"]
    assert cfg["population_years"]["last"] - int(cfg["periods"][-1][:4]) >= 10
    modelled = cfg["modelled"]
    for spec in modelled.values():
        for p in spec.get("periods_published", []):
            assert p in cfg["periods"]
        assert len(spec.get("period_offsets", cfg["periods"])) == len(cfg["periods"])


def test_partners_spend_every_place_at_both_levels_and_follows_need(demo: Bundle) -> None:
    """The fictional partners' lines: a figure for every place and period at both levels,
    plausible beside the council's spend, and higher where need is higher."""
    partners = demo.indicators.loc[demo.indicators["agency"] != "", "id"].tolist()
    assert {"nhs", "police", "fire", "dwp", "voluntary"} <= set(demo.indicators["agency"])
    v = demo.values[demo.values["place_code"] != ENGLAND_CODE]
    for level in ("upper", "lower"):
        codes = set(demo.place_codes(level))
        for ind in partners:
            rows = v[(v["indicator_id"] == ind) & v["place_code"].isin(codes)]
            assert rows["value"].notna().all() and (rows["value"] > 0).all()
            assert len(rows) == len(codes) * len(demo.periods), (ind, level)
    upper = v[v["place_code"].isin(demo.place_codes("upper"))]  # whole councils' spend
    last = upper[upper["period"] == demo.periods[-1]].pivot_table(
        index="place_code", columns="indicator_id", values="value"
    )
    nhs = last["spend_nhs_mental_health_per_head"]
    assert 0.1 < (nhs / last["spend_total_per_head"]).median() < 1
    assert (last[partners].sum(axis=1) < last["spend_total_per_head"]).all()
    assert np.corrcoef(nhs, last["imd_score"])[0, 1] > 0.5
    dwp = last["spend_dwp_employment_support_per_head"]
    assert np.corrcoef(dwp, last["claimant_count_pct"])[0, 1] > 0.5
