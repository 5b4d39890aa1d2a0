"""Hand-computed checks of the EUM equations (Scholz, Calbert & Smith 2011, appendix).

Two fixtures recur:

THREE: A at 0, B at 0.5, C at 1; capabilities 1, 1, 1; saliences 1, 0.5, 1; so the vote
weights w = c*s are 1, 0.5, 1 and the range R = 1.

TWO: i at 0 (c = 1, s = 0.6) and j at 1 (c = 1, s = 0.4); R = 1; weights 0.6 and 0.4.
"""

import numpy as np
import pytest

from negotiation_sim.eum.equations import (
    challenge_utilities,
    expected_utility,
    improves_without_challenge,
    pairwise_votes,
    probability_of_success,
    risk_exponents,
    security_levels,
    u_better,
    u_failure,
    u_status_quo,
    u_success,
    u_worse,
    weighted_mean,
    weighted_median,
)

THREE_X = np.array([0.0, 0.5, 1.0])
THREE_C = np.array([1.0, 1.0, 1.0])
THREE_S = np.array([1.0, 0.5, 1.0])
TWO_X = np.array([0.0, 1.0])
TWO_C = np.array([1.0, 1.0])
TWO_S = np.array([0.6, 0.4])


# --- weighted median and mean -------------------------------------------------------------


def test_weighted_median_three_actors():
    """w = 1, 0.5, 1: total 2.5, half 1.25; cumulative 1, 1.5, 2.5 first reaches 1.25 at B.

    Pairwise check: B (0.5) against A (0): B and C prefer 0.5 (1.5) vs A (1), so B wins.
    """
    assert weighted_median(THREE_X, THREE_C * THREE_S) == 0.5


def test_weighted_median_follows_a_heavy_actor():
    """w = 1, 0.5, 1.6: total 3.1, half 1.55; cumulative 1, 1.5, 3.1 reaches it only at C (1.0).

    Pairwise: 1.0 against 0.5 gets C's 1.6 against A + B's 1.5, so 1.0 is the Condorcet winner.
    """
    assert weighted_median(THREE_X, [1.0, 0.5, 1.6]) == 1.0


def test_weighted_median_ignores_input_order():
    # The same table as above, rows shuffled: C, A, B.
    assert weighted_median([1.0, 0.0, 0.5], [1.6, 1.0, 0.5]) == 1.0


def test_weighted_median_tie_takes_lower_position():
    """Two equal weights split exactly in half: both positions tie, the lower one is returned."""
    assert weighted_median([3.0, 7.0], [2.0, 2.0]) == 3.0


def test_weighted_mean():
    """(1*0 + 0.5*0.5 + 1.6*1) / (1 + 0.5 + 1.6) = 1.85 / 3.1."""
    assert weighted_mean(THREE_X, [1.0, 0.5, 1.6]) == pytest.approx(1.85 / 3.1)


# --- votes and probability of success ----------------------------------------------------


def test_votes_three_actors():
    """votes[k, i, j] = w_k (|x_k - x_j| - |x_k - x_i|) / R.

    A over C: voter A 1*(1 - 0) = 1, B 0.5*(0.5 - 0.5) = 0, C 1*(0 - 1) = -1.
    A over B: A 1*(0.5 - 0) = 0.5, B 0.5*(0 - 0.5) = -0.25, C 1*(0.5 - 1) = -0.5.
    B over C: A 1*(1 - 0.5) = 0.5, B 0.5*(0.5 - 0) = 0.25, C 1*(0 - 0.5) = -0.5.
    """
    v = pairwise_votes(THREE_X, THREE_C, THREE_S, 1.0)
    np.testing.assert_allclose(v[:, 0, 2], [1.0, 0.0, -1.0])
    np.testing.assert_allclose(v[:, 0, 1], [0.5, -0.25, -0.5])
    np.testing.assert_allclose(v[:, 1, 2], [0.5, 0.25, -0.5])
    np.testing.assert_allclose(v[:, 2, 1], [-0.5, -0.25, 0.5])  # C over B is the mirror image


def test_votes_use_each_voters_risk_exponent():
    """With r_A = 2, A's vote for B over C is 1 * (1^2 - 0.5^2) = 0.75 instead of 0.5."""
    v = pairwise_votes(THREE_X, THREE_C, THREE_S, 1.0, r=[2.0, 1.0, 1.0])
    assert v[0, 1, 2] == pytest.approx(0.75)
    assert v[2, 1, 2] == pytest.approx(-0.5)  # C keeps r = 1


def test_probability_dyad_normalisation():
    """Printed eq. 31: supporters' votes over the dyad's total |votes|.

    A vs B: support 0.5, total 0.5 + 0.25 + 0.5 = 1.25, P = 0.4; B vs A: 0.75 / 1.25 = 0.6.
    B vs C: 0.75 / 1.25 = 0.6.  A vs C: 1 / 2 = 0.5.
    """
    p = probability_of_success(pairwise_votes(THREE_X, THREE_C, THREE_S, 1.0), "dyad")
    assert p[0, 1] == pytest.approx(0.4)
    assert p[1, 0] == pytest.approx(0.6)
    assert p[1, 2] == pytest.approx(0.6)
    assert p[0, 2] == pytest.approx(0.5)
    assert p[1, 1] == 0.0


def test_probability_global_normalisation():
    """Reproducing code: divide by |votes| over all voters and all ordered pairs.

    Per unordered pair the |votes| sum to 2 (A,C), 1.25 (A,B), 1.25 (B,C); each ordered pair
    counts once, so the denominator is 2 * 4.5 = 9. P(A, C) = 1/9, P(A, B) = 0.5/9,
    P(B, A) = 0.75/9.
    """
    p = probability_of_success(pairwise_votes(THREE_X, THREE_C, THREE_S, 1.0), "global")
    assert p[0, 2] == pytest.approx(1 / 9)
    assert p[0, 1] == pytest.approx(0.5 / 9)
    assert p[1, 0] == pytest.approx(0.75 / 9)


def test_probability_rejects_unknown_normalisation():
    with pytest.raises(ValueError, match="normalisation"):
        probability_of_success(np.zeros((2, 2, 2)), "per-voter")


# --- basic utilities ----------------------------------------------------------------------


def test_basic_utilities_risk_neutral_full_distance():
    """r = 1, d = R = 1: U_s = 2 - 4*0 = 2, U_f = 2 - 4*1 = -2, U_sq = 2 - 4*0.5 = 0."""
    assert u_success(1.0, 1.0, 1.0) == pytest.approx(2.0)
    assert u_failure(1.0, 1.0, 1.0) == pytest.approx(-2.0)
    assert u_status_quo(1.0) == pytest.approx(0.0)


def test_basic_utilities_risk_averse():
    """r = 2, d = 0.5, R = 1, |x_i - mu| = 0.25.

    U_s  = 2 - 4 (0.5 - 0.25)^2 = 2 - 0.25 = 1.75            (eq. 15)
    U_f  = 2 - 4 (0.5 + 0.25)^2 = 2 - 2.25 = -0.25           (eq. 16)
    U_b  = 2 - 4 (0.5 - 0.25 * 0.75)^2 = 2 - 4 * 0.09765625 = 1.609375   (eq. 22)
    U_w  = 2 - 4 (0.5 + 0.25 * 0.75)^2 = 2 - 4 * 0.47265625 = 0.109375   (eq. 23)
    U_sq = 2 - 4 * 0.25 = 1                                    (eq. 24)
    """
    assert u_success(0.5, 1.0, 2.0) == pytest.approx(1.75)
    assert u_failure(0.5, 1.0, 2.0) == pytest.approx(-0.25)
    assert u_better(0.25, 0.5, 1.0, 2.0) == pytest.approx(1.609375)
    assert u_worse(0.25, 0.5, 1.0, 2.0) == pytest.approx(0.109375)
    assert u_status_quo(2.0) == pytest.approx(1.0)


def test_status_quo_risk_acceptant():
    """r = 0.5: U_sq = 2 - 4 sqrt(0.5) = 2 - 2 sqrt(2) = -0.828427..."""
    assert u_status_quo(0.5) == pytest.approx(2 - 2 * np.sqrt(2))


def test_utilities_scale_with_range():
    """d = 5 on a range of 10 is the same as d = 0.5 on a range of 1: U_s(r=2) = 1.75."""
    assert u_success(5.0, 10.0, 2.0) == pytest.approx(1.75)


def test_improves_without_challenge_t():
    """T[i, j] = 1 when |x_i - mu| < |x_i - x_j| (THREE positions, mu = 0.5).

    A vs C: 0.5 < 1 -> 1 (median between them).  A vs B: 0.5 < 0.5 fails -> 0 (tie).
    B vs A: 0 < 0.5 -> 1 (B sits at the median).
    Second table, positions 0.2, 0, 1 and mu = 1: i = 0.2 against j = 0 gives 0.8 < 0.2,
    false (i lies between j and mu but j would end up farther away); i = 0 against j = 0.2
    gives 1 < 0.2, false (j lies between i and mu); i = 1 against j = 0 gives 0 < 1, true (i sits
    at the median).
    """
    t = improves_without_challenge(THREE_X, 0.5)
    assert (t[0, 2], t[0, 1], t[1, 0]) == (1.0, 0.0, 1.0)
    t2 = improves_without_challenge([0.2, 0.0, 1.0], 1.0)
    assert (t2[0, 1], t2[1, 0], t2[2, 1]) == (0.0, 0.0, 1.0)


# --- expected utility ---------------------------------------------------------------------


def test_expected_utility_q1_dyad():
    """TWO, r = 1, dyad P(i, j) = 0.6 (votes +0.6 and -0.4), s_j = 0.4, Q = 1.

    E^i(U_ij) = 0.4 (0.6*2 + 0.4*(-2)) + 0.6*2 - 1*0 = 0.16 + 1.2 = 1.36.
    """
    eu = expected_utility(0.6, 0.4, 2.0, -2.0, 0.0, 1.0, -2.0, 1.0, q=1.0)
    assert eu == pytest.approx(1.36)


def test_expected_utility_q_half_uses_t():
    """As above with Q = 0.5 and T = 1, U_b = 1: 1.36 - 0.5*0 - 0.5*1 = 0.86.

    With T = 0 the worse branch U_w = -2 enters instead: 1.36 - 0.5*(-2) = 2.36.
    """
    assert expected_utility(0.6, 0.4, 2.0, -2.0, 0.0, 1.0, -2.0, 1.0, q=0.5) == pytest.approx(0.86)
    assert expected_utility(0.6, 0.4, 2.0, -2.0, 0.0, 1.0, -2.0, 0.0, q=0.5) == pytest.approx(2.36)


def test_challenge_utilities_two_actors():
    """TWO, r = 1, mu = 0 (i holds 0.6 of the 1.0 weight). Entry [a, b] uses s_b (eq. 25a).

    dyad P:   E(U_ij) = 1.36 (above); E(U_ji) = 0.6 (0.4*2 + 0.6*(-2)) + 0.4*2 = 0.56.
    global P: P(i, j) = 0.6/2 = 0.3, P(j, i) = 0.4/2 = 0.2;
              E(U_ij) = 0.4 (0.3*2 - 0.7*2) + 1.2 = 0.88; E(U_ji) = 0.6 (0.4 - 1.6) + 0.8 = 0.08.
    Q = 0.5 (dyad P): T(i, j) = 1 with U_b = 2 - 4(0.5 - 0.25) = 1 -> 1.36 - 0.5 = 0.86;
              T(j, i) = 0 (|1 - 0| < 1 fails) with U_w = 2 - 4(0.5 + 0.5) = -2 -> 0.56 + 1 = 1.56.
    """
    votes = pairwise_votes(TWO_X, TWO_C, TWO_S, 1.0)
    ones, s_target = np.ones((2, 2)), TWO_S[None, :]
    for normalisation, q, expected in [
        ("dyad", 1.0, [[0.0, 1.36], [0.56, 0.0]]),
        ("global", 1.0, [[0.0, 0.88], [0.08, 0.0]]),
        ("dyad", 0.5, [[0.0, 0.86], [1.56, 0.0]]),
    ]:
        p = probability_of_success(votes, normalisation)
        eu = challenge_utilities(TWO_X, p, 0.0, 1.0, ones, s_target, q)
        np.testing.assert_allclose(eu, expected, atol=1e-12, err_msg=f"{normalisation} q={q}")


# --- security levels and risk exponents ---------------------------------------------------


def test_security_levels_sum_rows_without_diagonal():
    """eu_against[i, j] = E(U_ji): S = (1 + 2, 3 + 4, 5 + 6) = (3, 7, 11); the 9s are ignored."""
    against = np.array([[9.0, 1.0, 2.0], [3.0, 9.0, 4.0], [5.0, 6.0, 9.0]])
    np.testing.assert_allclose(security_levels(against), [3.0, 7.0, 11.0])


def test_risk_exponents_three_actors():
    """S = (3, 7, 11): R_i = (2 S_i - 14) / 8 = (-1, 0, 1); r = (1 - R/3)/(1 + R/3).

    R = -1: (4/3)/(2/3) = 2.  R = 0: 1.  R = 1: (2/3)/(4/3) = 0.5.
    """
    np.testing.assert_allclose(risk_exponents([3.0, 7.0, 11.0]), [2.0, 1.0, 0.5])


def test_risk_exponents_intermediate():
    """S = (-1, 0, 3): max 3, min -1; R = (2S - 2)/4 = (-1, -0.5, 1).

    R = -0.5: (1 + 1/6)/(1 - 1/6) = 7/5 = 1.4.
    """
    np.testing.assert_allclose(risk_exponents([-1.0, 0.0, 3.0]), [2.0, 1.4, 0.5])


def test_risk_exponents_from_two_actor_security():
    """TWO with dyad P, r = 1: S_i = E(U_ji) = 0.56 < S_j = E(U_ij) = 1.36.

    i is the safer (R = -1, r = 2), j the more exposed (R = 1, r = 0.5).
    """
    against = np.array([[0.0, 0.56], [1.36, 0.0]])
    np.testing.assert_allclose(risk_exponents(security_levels(against)), [2.0, 0.5])


def test_risk_exponents_equal_security_is_neutral():
    np.testing.assert_allclose(risk_exponents([0.4, 0.4, 0.4]), [1.0, 1.0, 1.0])
