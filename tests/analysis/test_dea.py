"""DEA (input-oriented, variable returns to scale, Banker-Morey non-discretionary inputs).

Two published textbook examples come first, with the published scores written in; the
worked examples after them are constructed for these tests and derived by hand. A further,
independent check solves the dual (multiplier) programme for random data: by LP duality its
optimum must equal every envelopment score.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from dashboard.analysis.dea import dea_crs_input, dea_vrs_input, orient, unorient

# Published example 1: Coelli, T. (1996), "A Guide to DEAP Version 2.1: A Data Envelopment
# Analysis (Computer) Program", CEPA Working Paper 96/08, University of New England: example 1
# (eg1), five firms, one output q and one input x. Published input-oriented technical
# efficiency: CRS 0.500 0.500 1.000 0.800 0.833; VRS 1.000 0.625 1.000 0.900 1.000; scale
# 0.500 0.800 1.000 0.889 0.833.
DEAP_Q = np.array([1.0, 2, 3, 4, 5])
DEAP_X = np.array([2.0, 4, 3, 5, 6])
DEAP_VRS = np.array([1.000, 0.625, 1.000, 0.900, 1.000])
DEAP_CRS = np.array([0.500, 0.500, 1.000, 0.800, 0.833])


def test_published_deap_example_vrs_scores() -> None:
    res = dea_vrs_input(DEAP_X, DEAP_Q[:, None])
    np.testing.assert_allclose(res.score, DEAP_VRS, atol=5e-4)
    # scale efficiency = CRS / VRS, against the published CRS scores (3 decimals)
    crs = (DEAP_Q / DEAP_X) / (DEAP_Q / DEAP_X).max()
    np.testing.assert_allclose(crs, DEAP_CRS, atol=5e-4)
    np.testing.assert_allclose(crs / res.score, [0.500, 0.800, 1.000, 0.889, 0.833], atol=5e-4)


# Published example 2: Cooper, W.W., Seiford, L.M. and Tone, K. (2007), "Data Envelopment
# Analysis: A Comprehensive Text with Models, Applications, References and DEA-Solver
# Software", 2nd ed., Springer, Example 3.2: six stores A-F, two inputs (employees, floor
# area), one output (sales, 1 for each). Published CCR scores: A 0.8571, B 0.6316, C-F 1 (F
# only weakly efficient: it has slack in employees). With every output equal, the BCC (VRS)
# envelopment gives the same radial scores.
CST_X = np.array([[4.0, 3], [7, 3], [8, 1], [4, 2], [2, 4], [10, 1]])
CST_SCORES = np.array([0.8571, 0.6316, 1.0, 1.0, 1.0, 1.0])


def test_published_cooper_seiford_tone_two_input_example() -> None:
    res = dea_vrs_input(CST_X, np.ones((6, 1)))
    np.testing.assert_allclose(res.score, CST_SCORES, atol=5e-5)
    # A is compared with D and E, B with C and D (the frontier segments their rays cross)
    assert {j for j, _ in res.peers(0)} == {3, 4}
    assert {j for j, _ in res.peers(1)} == {2, 3}


# Example 1: one input (spend), one output. Places A-F as (x, y):
#   A (20, 20), B (40, 30), C (40, 50), D (60, 40), E (70, 60), F (50, 20).
# The VRS frontier is the convex hull piece A-C-E (B, D, F lie inside it).
#   A: least input of all, so no combination uses less: 1.
#   B: output 30 on segment A-C (y = 20 + 1.5 (x - 20)) needs x = 26.67; 26.67 / 40 = 2/3,
#      with weights A 2/3, C 1/3.
#   C, E: on the hull: 1.
#   D: output 40 on A-C needs x = 33.33; 33.33 / 60 = 5/9, weights A 1/3, C 2/3.
#   F: output 20 is reached by A alone with x = 20; 20 / 50 = 0.4.
X1 = np.array([20.0, 40, 40, 60, 70, 50])
Y1 = np.array([20.0, 30, 50, 40, 60, 20])
SCORES1 = np.array([1.0, 2 / 3, 1.0, 5 / 9, 1.0, 0.4])


def test_hand_derived_vrs_scores_and_peers() -> None:
    res = dea_vrs_input(X1, Y1[:, None])
    np.testing.assert_allclose(res.score, SCORES1, atol=1e-8)
    assert [j for j, _ in res.peers(1)] == [0, 2]
    np.testing.assert_allclose([w for _, w in res.peers(1)], [2 / 3, 1 / 3], atol=1e-8)
    np.testing.assert_allclose(dict(res.peers(3))[2], 2 / 3, atol=1e-8)
    assert res.peers(5) == [(0, pytest.approx(1.0))]
    # targets: theta x for the input, the combination's output (no slack here)
    np.testing.assert_allclose(res.input_target[:, 0], SCORES1 * X1, atol=1e-6)
    np.testing.assert_allclose(res.output_target[[1, 3], 0], [30, 40], atol=1e-6)
    np.testing.assert_allclose(res.lambdas.sum(axis=1), 1.0)


def test_places_on_the_frontier_score_one_and_are_their_own_peer() -> None:
    res = dea_vrs_input(X1, Y1[:, None])
    for i in (0, 2, 4):
        assert res.score[i] == pytest.approx(1.0)
        assert res.peers(i) == [(i, pytest.approx(1.0))]


# Example 2: spend x, need (higher = harder), output y.
#   P1 (100, need 10, 50), P2 (60, need 2, 50), P3 (120, need 10, 60), P4 (80, need 10, 50),
#   P5 (90, need 6, 50).
# Without need, P2 beats everyone with output 50: P1 60/100 = 0.6, P4 60/80 = 0.75,
#   P5 60/90 = 2/3.
# With need as a non-discretionary input (a place is compared only with combinations facing at
# least as much need): P1 can only use need-10 places, the cheapest with output >= 50 is P4:
#   80/100 = 0.8; P4 is then the cheapest need-10 place: 1; P5 (need 6) may mix P2 and P4 with
#   average need >= 6, i.e. weight on P2 <= 1/2: 0.5*60 + 0.5*80 = 70, 70/90 = 7/9.
X2 = np.array([100.0, 60, 120, 80, 90])
NEED2 = np.array([10.0, 2, 10, 10, 6])
Y2 = np.array([50.0, 50, 60, 50, 50])


def test_non_discretionary_need_protects_places_with_harder_circumstances() -> None:
    plain = dea_vrs_input(X2, Y2[:, None])
    np.testing.assert_allclose(plain.score, [0.6, 1.0, 1.0, 0.75, 2 / 3], atol=1e-8)
    advantage = orient(NEED2[:, None], [True])  # higher need -> less advantage
    res = dea_vrs_input(X2, Y2[:, None], advantage)
    np.testing.assert_allclose(res.score, [0.8, 1.0, 1.0, 1.0, 7 / 9], atol=1e-8)
    assert res.peers(0) == [(3, pytest.approx(1.0))]
    np.testing.assert_allclose(sorted(w for _, w in res.peers(4)), [0.5, 0.5], atol=1e-8)
    assert {j for j, _ in res.peers(4)} == {1, 3}


def test_lower_is_better_outcome_is_oriented_correctly() -> None:
    # the same places with an outcome where lower is better (100 - y): oriented, the scores
    # are example 1's; taken the wrong way round they are not
    y_low = 100 - Y1
    oriented = orient(y_low[:, None], [True])
    np.testing.assert_allclose(oriented[:, 0], Y1 + 20)  # max + min - v = 120 - (100 - y)
    res = dea_vrs_input(X1, oriented)
    np.testing.assert_allclose(res.score, SCORES1, atol=1e-8)
    wrong = dea_vrs_input(X1, y_low[:, None])
    # taken the wrong way, C (the best outcome) looks dominated by A (least spend, and the worst
    # outcome with F): 20 / 40 = 0.5
    assert wrong.score[2] == pytest.approx(0.5)
    # targets go back to the original units (lower is better): B and D keep their outcome
    back = unorient(res.output_target, y_low[:, None], [True])
    np.testing.assert_allclose(back[[1, 3], 0], y_low[[1, 3]], atol=1e-6)


def test_scores_do_not_depend_on_the_reversal_constant() -> None:
    # input-oriented VRS is translation invariant in outputs and non-discretionary inputs
    rng = np.random.default_rng(7)
    x = rng.uniform(50, 150, 40)
    y = rng.uniform(0, 10, (40, 2))
    z = rng.uniform(0, 5, (40, 1))
    a = dea_vrs_input(x, orient(y, [True, False]), orient(z, [True]))
    b = dea_vrs_input(x, np.column_stack([1000 - y[:, 0], y[:, 1]]), 77 - z)
    np.testing.assert_allclose(a.score, b.score, atol=1e-7)


def _dual_score(x: np.ndarray, y: np.ndarray, z: np.ndarray, o: int) -> float:
    """Multiplier form: max u.y_o - w.z_o + u0, s.t. v.x_o = 1, u.y_j - v.x_j - w.z_j + u0 <= 0."""
    n, m = x.shape
    s, k = y.shape[1], z.shape[1]
    # variables [v (m), u (s), w (k), u0]
    c = -np.concatenate([np.zeros(m), y[o], -z[o], [1.0]])
    a_ub = np.hstack([-x, y, -z, np.ones((n, 1))])
    a_eq = np.concatenate([x[o], np.zeros(s + k + 1)])[None, :]
    bounds = [(0, None)] * (m + s + k) + [(None, None)]
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0], bounds=bounds)
    assert res.status == 0
    return -res.fun


def test_envelopment_scores_equal_the_dual_multiplier_optimum() -> None:
    rng = np.random.default_rng(3)
    n = 45  # more than one block of LPs solved together
    x = rng.uniform(100, 500, (n, 1))
    y = rng.uniform(1, 10, (n, 3))
    z = rng.uniform(0, 1, (n, 1))
    res = dea_vrs_input(x, y, z)
    dual = np.array([_dual_score(x, y, z, o) for o in range(n)])
    np.testing.assert_allclose(res.score, dual, atol=1e-6)


def test_frontier_properties_on_random_data() -> None:
    rng = np.random.default_rng(11)
    n = 70
    x = rng.uniform(100, 500, n)
    y = rng.uniform(0, 1, (n, 3))
    z = rng.uniform(0, 1, (n, 1))
    res = dea_vrs_input(x, y, z)
    assert ((res.score > 0) & (res.score <= 1)).all()
    assert res.score[np.argmin(x)] == pytest.approx(1.0)  # least spend: on the frontier
    for r in range(3):  # the best on any outcome: on the frontier
        assert res.score[np.argmax(y[:, r])] == pytest.approx(1.0)
    # each place's combination really does at least as well with no more spend
    assert (res.lambdas @ y >= y - 1e-7).all()
    assert (res.lambdas @ x <= res.score * x + 1e-6).all()
    assert (res.lambdas @ z[:, 0] <= z[:, 0] + 1e-7).all()


def test_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="positive"):
        dea_vrs_input(np.array([1.0, 0.0]), np.array([[1.0], [2.0]]))
    with pytest.raises(ValueError, match="missing"):
        dea_vrs_input(np.array([1.0, 2.0]), np.array([[1.0], [np.nan]]))


# --- constant returns to scale and scale efficiency ----------------------------------------------
def test_published_deap_example_crs_scores_and_scale_efficiency() -> None:
    from dashboard.analysis.dea import dea_crs_input, scale_efficiency

    vrs = dea_vrs_input(DEAP_X, DEAP_Q[:, None])
    crs = dea_crs_input(DEAP_X, DEAP_Q[:, None])
    np.testing.assert_allclose(crs.score, DEAP_CRS, atol=5e-4)
    np.testing.assert_allclose(
        scale_efficiency(crs.score, vrs.score), [0.500, 0.800, 1.000, 0.889, 0.833], atol=5e-4
    )


def test_published_cooper_seiford_tone_ccr_scores() -> None:
    from dashboard.analysis.dea import dea_crs_input

    res = dea_crs_input(CST_X, np.ones((6, 1)))
    np.testing.assert_allclose(res.score, CST_SCORES, atol=5e-5)


def test_crs_never_above_vrs_and_scale_efficiency_in_zero_one() -> None:
    from dashboard.analysis.dea import dea_crs_input, scale_efficiency

    rng = np.random.default_rng(7)
    x = rng.uniform(50, 400, (80, 1))
    y = rng.uniform(10, 90, (80, 2))
    z = rng.uniform(1, 40, (80, 2))
    vrs, crs = dea_vrs_input(x, y, z), dea_crs_input(x, y, z)
    assert (crs.score <= vrs.score + 1e-9).all()
    se = scale_efficiency(crs.score, vrs.score)
    assert ((se > 0) & (se <= 1)).all()
    assert (se < 1 - 1e-6).any(), "random places are not all at the most productive scale"
    # CRS weights need not sum to 1 (that is the difference from VRS)
    assert not np.allclose(crs.lambdas.sum(axis=1), 1.0)


def test_scoring_only_some_places_gives_their_full_run_scores_and_leaves_the_rest_unscored() -> (
    None
):
    rng = np.random.default_rng(5)
    n = 40  # more than one chunk of stacked programmes would hold if CHUNK were small
    x = rng.uniform(100, 500, n)
    y = rng.uniform(0, 1, (n, 2))
    z = rng.uniform(0, 1, (n, 1))
    picked = [3, 17, 39]
    for solve in (dea_vrs_input, dea_crs_input):
        full = solve(x, y, z)
        part = solve(x, y, z, only=picked)
        np.testing.assert_allclose(part.score[picked], full.score[picked], atol=1e-9)
        np.testing.assert_allclose(part.input_target[picked], full.input_target[picked], atol=1e-6)
        np.testing.assert_allclose(
            part.output_target[picked], full.output_target[picked], atol=1e-6
        )
        rest = np.setdiff1d(np.arange(n), picked)
        assert np.isnan(part.score[rest]).all() and np.isnan(part.lambdas[rest]).all()
        assert part.peers(int(rest[0])) == []
        assert [j for j, _ in part.peers(17)] == [j for j, _ in full.peers(17)]
