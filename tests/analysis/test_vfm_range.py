"""Value for money: the curated pairs of spend and outcome, the gap as a range across the
specifications of vfm.yaml, and the verdict on the strength of the evidence read from its
thresholds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import CATALOGUE_DIR, DATA_DIR
from dashboard.analysis import vfm
from dashboard.analysis.vfm_range import level_fronts, place_range
from dashboard.bundle import read_bundle
from dashboard.catalogue import CatalogueError


@pytest.fixture(scope="module")
def demo():
    return read_bundle(DATA_DIR / "demo")


# --- pairs ---------------------------------------------------------------------------------------
def test_every_pair_has_a_reason_and_names_known_indicators() -> None:
    from dashboard.bundle.catalogue import canonical_indicators
    from dashboard.sources.tables import extra_indicators

    known = {i["id"]: i for i in [*canonical_indicators(), *extra_indicators()]}
    pairs = vfm.pairs()
    assert pairs
    for p in pairs:
        assert len(p.reason) > 20, p
        assert known[p.spend_id]["kind"] == "spend", p
        assert known[p.outcome_id]["kind"] == "outcome", p
        assert known[p.outcome_id]["service"] == p.service == known[p.spend_id]["service"], p


def test_affordability_is_not_a_housing_services_outcome_and_districts_get_hclic() -> None:
    pairs = {(p.spend_id, p.outcome_id) for p in vfm.pairs()}
    assert not any(o == "housing_affordability_ratio" for _, o in pairs)
    assert ("spend_housing_per_head", "homeless_prevention_secured_pct") in pairs
    assert ("spend_housing_per_head", "homeless_relief_secured_pct") in pairs


@pytest.mark.parametrize("level", ["upper", "lower"])
def test_the_page_offers_only_curated_pairs(demo, level: str) -> None:
    allowed = {(p.spend_id, p.outcome_id) for p in vfm.pairs()}
    opts = vfm.options(demo, level)
    assert opts.services
    for svc in opts.services:
        for spend in opts.spend[svc]:
            assert opts.pair_outcomes[spend], spend
            for outcome in opts.pair_outcomes[spend]:
                assert (spend, outcome) in allowed
                assert opts.reasons[(spend, outcome)]
    if level == "lower":
        assert opts.services == ("housing",), "districts are judged on district outcomes"
        assert "housing_affordability_ratio" not in opts.pair_outcomes["spend_housing_per_head"]


def test_a_pair_without_a_reason_is_refused(tmp_path: Path) -> None:
    text = (CATALOGUE_DIR / "vfm.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        '      reason: "The quality of life of people the council supports',
        '      note: "The quality of life of people the council supports',
    )
    assert broken != text
    path = tmp_path / "vfm.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogueError, match="reason"):
        vfm.pairs(path)


# --- the range -------------------------------------------------------------------------------------
def _level_results(demo, code: str, level: str, spend: str, outcome: str, needs: list[str]):
    codes = demo.place_codes(level)
    opts = vfm.options(demo, level)
    curated = opts.pair_outcomes[spend]
    several = vfm.several_outcomes(outcome, curated, curated)
    fr = vfm.frame(
        demo,
        demo.meta["periods"][-1] if "periods" in demo.meta else "2024-25",
        codes,
        [spend, outcome, *needs, *several],
    )
    pop = fr.data["population_persons"].get(code)
    group = codes[:20] if code in codes[:20] else [code, *codes[:19]]
    out = []
    for sp in vfm.specifications():
        outs = [outcome] if sp.outcomes == "one" else several
        lower = [opts.polarity[i] == "lower_is_better" for i in outs]
        places = codes if sp.places == "level" else group
        front = vfm.spec_frontier(fr, sp, places, spend, outs, lower, needs, vfm.vfm_settings())
        out.append(vfm.spec_result(sp, front, code, pop))
    return fr, out


def test_the_range_covers_every_specifications_gap(demo) -> None:
    code = demo.place_codes("upper")[3]
    fr, results = _level_results(
        demo, code, "upper", "spend_asc_per_head", "asc_user_qol", ["pct_aged_85_plus", "imd_score"]
    )
    assert len(results) == len(vfm.specifications()) >= 4
    r2, n = vfm.need_fit_of_spend(
        fr, demo.place_codes("upper"), "spend_asc_per_head", ["pct_aged_85_plus", "imd_score"]
    )
    gr = vfm.gap_range(results, r2, n)
    gaps = [r.gap_per_head for r in results if r.gap_per_head is not None]
    assert gaps and gr.low_per_head == min(gaps) and gr.high_per_head == max(gaps)
    for r in results:
        if r.gap_per_head is not None:
            assert gr.low_per_head <= r.gap_per_head <= gr.high_per_head
            assert r.gap_a_year == pytest.approx(
                r.gap_per_head * fr.data.loc[code, "population_persons"]
            )
            assert gr.low_a_year <= r.gap_a_year <= gr.high_a_year
            assert 0 < r.score <= 1 and r.n >= 10 and (r.r2 is None or 0 <= r.r2 <= 1)
    need_out = [r for r in results if r.spec.needs == "out"]
    assert need_out and all(not r.need_ids for r in need_out)
    several = [r for r in results if r.spec.outcomes == "several"]
    assert all(len(r.outcome_ids) > 1 for r in several)


def test_specifications_cover_need_places_and_outcomes() -> None:
    specs = vfm.specifications()
    assert {s.needs for s in specs} == {"in", "out"}
    assert {s.places for s in specs} == {"level", "group"}
    assert {s.outcomes for s in specs} == {"one", "several"}


# --- the verdict -------------------------------------------------------------------------------------
def test_verdict_thresholds_are_read_from_vfm_yaml(tmp_path: Path) -> None:
    vs = vfm.verdict_settings()
    lo, hi = vs.r2_moderate.value, vs.r2_strong.value
    n = int(vs.min_places_moderate.value)
    assert lo > 0.2, "the edit below lowers the threshold under 0.2"
    weak = vfm.verdict(lo - 0.01, n + 100, [10.0, 20.0])
    assert weak.level == "weak" and "not a saving that could be made" in weak.not_text
    assert f"{100 * (lo - 0.01):.0f}%" in weak.text and f"{n + 100} places" in weak.text
    assert vfm.verdict(lo, n + 100, [10.0, 20.0]).level == "moderate"
    assert vfm.verdict(hi, n + 100, [10.0, 20.0]).level == "strong"
    assert vfm.verdict(hi, n - 1, [10.0, 20.0]).level == "weak", "too few places"
    assert vfm.verdict(hi, n + 100, [0.0, 20.0]).level == "weak", "the gap vanishes somewhere"
    assert "not a saving" not in vfm.verdict(hi, n + 100, [10.0, 20.0]).not_text
    # a different threshold in the file changes the verdict: the numbers come from the YAML
    text = (CATALOGUE_DIR / "vfm.yaml").read_text(encoding="utf-8")
    edited = text.replace("  r2_moderate:\n    value: 0.3", "  r2_moderate:\n    value: 0.1")
    assert edited != text, "vfm.yaml's r2_moderate is written as this test expects"
    path = tmp_path / "vfm.yaml"
    path.write_text(edited, encoding="utf-8")
    moved = vfm.verdict_settings(path)
    assert moved.r2_moderate.value == pytest.approx(0.1)
    assert vfm.verdict(0.2, n + 100, [10.0, 20.0], moved).level == "moderate"
    assert vfm.verdict(0.2, n + 100, [10.0, 20.0]).level == "weak"


def test_range_sentence_gives_both_ends_and_no_single_money_figure() -> None:
    from dashboard.analysis.vfm_text import range_sentences

    spec = vfm.specifications()[0]
    results = [
        vfm.SpecResult(spec, ("o",), ("n",), 100, 0.1, 0.7, g, g * 1e6) for g in (12.0, 119.0, 40.0)
    ]
    gr = vfm.gap_range(results, 0.07, 150)
    (line,) = range_sentences(gr, "Kent", "2024-25")
    assert "£12 to £119 per head" in line and "£12.0m to £119.0m a year" in line
    assert "cash, 2024-25" in line and "about" not in line
    assert gr.verdict.level == "weak" and "7%" in gr.verdict.text
    assert line.startswith("Gap to the frontier, on weak evidence") and "**" not in line, (
        "a weak figure is not set in bold as a headline"
    )


def test_fit_r2_is_least_squares_of_spend() -> None:
    rng = np.random.default_rng(3)
    need = rng.normal(size=60)
    t = pd.DataFrame({"spend": 100 + 10 * need + rng.normal(scale=10, size=60), "need": need})
    from dashboard.analysis.vfm_range import fit_r2

    r2 = fit_r2(t, "spend", ["need"])
    expected = np.corrcoef(t["spend"], t["need"])[0, 1] ** 2
    assert r2 == pytest.approx(expected)
    assert fit_r2(t, "spend", []) is None


@pytest.mark.parametrize("rts", ["vrs", "crs"])
def test_a_frontier_without_scale_efficiency_gives_the_same_specification_results(
    demo, rts: str
) -> None:
    """The page solves each specification for its chosen returns to scale only; every result
    the range reads (score, target, gap, peers, places) is that of the full frontier."""
    level, spend, outcome, needs = "upper", "spend_asc_per_head", "asc_user_qol", ["imd_score"]
    codes = demo.place_codes(level)
    opts = vfm.options(demo, level)
    fr = vfm.frame(demo, "2024-25", codes, [spend, outcome, *needs])
    lower = [opts.polarity[outcome] == "lower_is_better"]
    sp = vfm.specifications()[0]
    args = (fr, sp, codes, spend, [outcome], lower, needs, vfm.vfm_settings(), rts)
    full, half = vfm.spec_frontier(*args), vfm.spec_frontier(*args, scale=False)
    assert not full.reason and len(full.table) >= 10
    other = "dea_crs_score_0_1" if rts == "vrs" else "dea_vrs_score_0_1"
    assert half.table[[other, "scale_efficiency_0_1"]].isna().all().all()
    assert full.table[[other, "scale_efficiency_0_1"]].notna().all().all()
    kept = [c for c in full.table.columns if c not in (other, "scale_efficiency_0_1")]
    pd.testing.assert_frame_equal(full.table[kept], half.table[kept])
    for code in full.table.index:
        assert vfm.spec_result(sp, full, code, 1000.0) == vfm.spec_result(sp, half, code, 1000.0)


def test_the_place_range_scores_only_the_place_and_matches_the_full_frontiers(demo) -> None:
    """The comparison-group specifications solve one programme (the place's), not one per
    place of the group: every result equals that of the group's full frontier."""
    level, spend, outcome = "upper", "spend_asc_per_head", "asc_user_qol"
    needs = ["pct_aged_85_plus", "imd_score"]
    codes = demo.place_codes(level)
    code = codes[3]
    opts = vfm.options(demo, level)
    curated = list(opts.pair_outcomes[spend])
    several = vfm.several_outcomes(outcome, curated, curated)
    fr, expected = _level_results(demo, code, level, spend, outcome, needs)
    group = [code, *[c for c in codes[:20] if c != code]][:20]
    fronts = level_fronts(fr, codes, spend, outcome, needs, several, opts.polarity)
    got = place_range(fr, fronts, group, spend, outcome, needs, several, opts.polarity)
    assert [r.spec.places for r in got.results].count("group") >= 1
    for g, e in zip(got.results, expected, strict=True):
        assert g.spec == e.spec and g.n == e.n and g.outcome_ids == e.outcome_ids
        assert g.score == pytest.approx(e.score, abs=1e-9)
        assert g.gap_per_head == pytest.approx(e.gap_per_head, abs=1e-6)
        assert g.r2 == pytest.approx(e.r2)
