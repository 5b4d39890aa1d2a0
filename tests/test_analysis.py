"""Checks of the bargaining solution concepts against closed forms, hand-computed tables,
a brute-force reference and the axioms the solutions are defined by."""

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negotiation_sim.analysis import (
    SolutionConcepts,
    bargaining_range,
    kalai_smorodinsky_point,
    nash_point,
    pareto_frontier,
    pie_kalai_smorodinsky,
    pie_nash,
    utilitarian_point,
)


def linear(share):
    return share


# Two parties, d = (0, 0); package 6 would dominate everything but is infeasible.
#   pkg  u1   u2    in ZOPA  Nash product  sum
#   0    12   1     yes      12            13
#   1    8    4     yes      32            12
#   2    6    5.5   yes      33            11.5
#   3    2    7     yes      14            9
#   4    5    5     yes      25            10    (dominated by 2)
#   5    -1   15    no (u1 < 0)            14    (on the frontier: best for party 2)
#   6    20   20    infeasible
# Ideal point over the ZOPA = (12, 7), so the KS normalised gains (u1/12, u2/7) have minima
# 1/7 = 0.143, 0.571, 0.5, 0.167, 0.417: KS = 1. Nash = 2. Welfare: 5 over all feasible packages,
# 0 within the ZOPA. (Taking the ideal over all feasible packages, (12, 15), would move KS to 2.)
TWO = np.array([[12, 1], [8, 4], [6, 5.5], [2, 7], [5, 5], [-1, 15], [20, 20]], dtype=float)
TWO_FEASIBLE = np.array([True] * 6 + [False])

# Three parties, d = (1, 1, 1).
#   pkg  utilities   gains      product  sum
#   0    (5, 2, 2)   (4, 1, 1)  4        9
#   1    (3, 3, 3)   (2, 2, 2)  8        9
#   2    (2, 5, 2)   (1, 4, 1)  4        9
#   3    (2, 2, 4)   (1, 1, 3)  3        8
#   4    (3, 3, 2)   (2, 2, 1)  4        8     (dominated by 1)
#   5    (1, 6, 6)   (0, 5, 5)  -        13    (u1 = d1: not strictly better, outside the ZOPA)
# Ideal gains over the ZOPA (4, 4, 3); smallest normalised gains .25, .5, .25, .25, .33: KS = 1.
# Welfare within the ZOPA ties 0, 1, 2 at 9: the lowest index, 0, wins; over all feasible: 5.
THREE = np.array([[5, 2, 2], [3, 3, 3], [2, 5, 2], [2, 2, 4], [3, 3, 2], [1, 6, 6]], dtype=float)


def test_two_party_table_all_points_differ():
    """Hand-computed table above; Nash (1950) product of gains, Kalai & Smorodinsky (1975)
    normalised gains with the ideal taken over the bargaining set, Pareto dominance."""
    d = [0, 0]
    assert pareto_frontier(TWO, TWO_FEASIBLE).tolist() == [0, 1, 2, 3, 5]
    assert bargaining_range(TWO, d, TWO_FEASIBLE).tolist() == [0, 1, 2, 3, 4]
    assert nash_point(TWO, d, TWO_FEASIBLE) == 2
    assert kalai_smorodinsky_point(TWO, d, TWO_FEASIBLE) == 1
    assert utilitarian_point(TWO, d, TWO_FEASIBLE) == 0
    assert utilitarian_point(TWO, feasible=TWO_FEASIBLE) == 5


def test_three_party_table_strict_zopa_and_welfare_tie():
    """Hand-computed three-party table above: a package worth exactly the reservation value
    is outside the ZOPA (Nash 1950 requires gains), and equal welfare goes to the lowest index."""
    d = [1, 1, 1]
    assert pareto_frontier(THREE).tolist() == [0, 1, 2, 3, 5]
    assert bargaining_range(THREE, d).tolist() == [0, 1, 2, 3, 4]
    assert nash_point(THREE, d) == 1
    assert kalai_smorodinsky_point(THREE, d) == 1
    assert utilitarian_point(THREE, d) == 0
    assert utilitarian_point(THREE) == 5


def test_kalai_smorodinsky_breaks_ties_by_leximin():
    """Discrete Kalai-Smorodinsky (1975): ideal (10, 10, 10), d = 0. Packages 0 and 1 share the
    smallest normalised gain 0.5; the next smallest is 0.55 for 0 and 0.6 for 1, so 1 wins
    although 0 has the lower index."""
    table = np.array([[5, 10, 5.5], [5, 6, 10], [10, 1, 1]], dtype=float)
    assert kalai_smorodinsky_point(table, [0, 0, 0]) == 1


def test_identical_packages_kept_together_lowest_index_wins():
    """Pareto frontier membership depends only on the utility vector; Nash (1950) products tie
    at 2 for every package, and the documented tie rule picks the lowest index."""
    table = np.array([[1, 2], [2, 1], [1, 2], [0.5, 0.5]])
    assert pareto_frontier(table).tolist() == [0, 1, 2]
    assert nash_point(table, [0, 0]) == 0


def test_empty_zopa_gives_none_and_nan_distances():
    """No package beats both reservation values (the bargaining problem of Nash 1950 has no
    gains from trade): the points are None and distances to them nan; the frontier stays."""
    d = [10, 10]
    assert bargaining_range(TWO, d, TWO_FEASIBLE).size == 0
    assert nash_point(TWO, d, TWO_FEASIBLE) is None
    assert kalai_smorodinsky_point(TWO, d, TWO_FEASIBLE) is None
    assert utilitarian_point(TWO, d, TWO_FEASIBLE) is None
    concepts = SolutionConcepts.compute(TWO, d, TWO_FEASIBLE)
    distances = concepts.distance_to(4)
    assert distances["pareto"] == pytest.approx(math.sqrt(1.25))
    points = ("zopa", "nash", "kalai_smorodinsky", "utilitarian")
    assert all(math.isnan(distances[name]) for name in points)


def test_distances_by_hand():
    """Euclidean distances in utility space from package 4 = (5, 5) of the two-party table:
    nearest frontier package and Nash point 2 = (6, 5.5) at sqrt(1.25), the ZOPA at 0 (it is
    in it), KS point 1 = (8, 4) at sqrt(10), ZOPA welfare point 0 = (12, 1) at sqrt(65).
    Package 5 = (-1, 15) lies outside the ZOPA; its nearest ZOPA package is 3 = (2, 7), at
    sqrt(3^2 + 8^2) = sqrt(73) (next is 4 = (5, 5) at sqrt(36 + 100))."""
    concepts = SolutionConcepts.compute(TWO, [0, 0], TWO_FEASIBLE)
    expected = {
        "pareto": math.sqrt(1.25),
        "zopa": 0.0,
        "nash": math.sqrt(1.25),
        "kalai_smorodinsky": math.sqrt(10),
        "utilitarian": math.sqrt(65),
    }
    assert concepts.distance_to(4) == pytest.approx(expected)
    assert concepts.distance_to([5.0, 5.0]) == pytest.approx(expected)
    assert concepts.distance_to(np.int64(2))["nash"] == 0.0
    assert concepts.distance_to(5)["zopa"] == pytest.approx(math.sqrt(73))
    assert concepts.distance_to(5)["pareto"] == 0.0
    with pytest.raises(IndexError):
        concepts.distance_to(-1)
    with pytest.raises(ValueError):
        concepts.distance_to([5.0, 5.0, 5.0])
    with pytest.raises(ValueError):
        concepts.frontier[0] = 3


@pytest.mark.parametrize(
    ("utilities", "reservation", "feasible"),
    [
        ([1.0, 2.0], [0.0], None),
        ([[1.0, 2.0]], [0.0], None),
        ([[1.0, 2.0]], [0.0, 0.0], [1]),
        ([[1.0, 2.0]], [0.0, 0.0], [True, False]),
        ([[np.nan, 2.0]], [0.0, 0.0], None),
        ([[1.0, 2.0]], [0.0, np.inf], None),
    ],
)
def test_malformed_input_rejected(utilities, reservation, feasible):
    """Shapes, dtypes and finiteness are checked up front (the array conventions of issue 4)."""
    with pytest.raises(ValueError):
        bargaining_range(utilities, reservation, feasible)


def test_infeasible_rows_may_hold_nan():
    """Red-line packages are never read, so they may carry nan or -inf utilities."""
    table = np.array([[1.0, 2.0], [np.nan, -np.inf], [2.0, 1.0]])
    feasible = np.array([True, False, True])
    assert pareto_frontier(table, feasible).tolist() == [0, 2]
    assert nash_point(table, [0, 0], feasible) == 0


NO_FILL = st.nothing()  # draw every element: the default fills most of an array with one value


# Small integer tables: many exact ties and duplicates, and distinct scores far apart.
@st.composite
def outcome_spaces(draw, max_parties=4):
    n_parties = draw(st.integers(2, max_parties))
    n_packages = draw(st.integers(1, 20))
    table = draw(arrays(float, (n_packages, n_parties), elements=st.integers(0, 6), fill=NO_FILL))
    feasible = draw(arrays(bool, n_packages, fill=NO_FILL))
    reservation = draw(arrays(float, n_parties, elements=st.integers(0, 3), fill=NO_FILL))
    return table, reservation, feasible


def brute_force_frontier(table, feasible):
    """O(n^2) definition of Pareto optimality, every pair compared: j dominates i when it is
    at least as good for all parties and better for one."""
    rows = table[feasible]
    at_least = np.all(rows[:, None, :] >= rows[None, :, :], axis=2)  # [j, i]: j >= i everywhere
    better = np.any(rows[:, None, :] > rows[None, :, :], axis=2)
    dominated = np.any(at_least & better, axis=0)
    return np.flatnonzero(feasible)[~dominated].tolist()


@settings(deadline=None)
@given(outcome_spaces())
def test_frontier_matches_brute_force(space):
    """Pareto frontier (weak dominance removes a package) equals the pairwise definition,
    ties and duplicate utility vectors included."""
    table, _, feasible = space
    assert pareto_frontier(table, feasible).tolist() == brute_force_frontier(table, feasible)


@settings(deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda k: arrays(float, (300, k), elements=st.integers(0, 40), fill=NO_FILL)
    )
)
def test_frontier_matches_brute_force_on_larger_spaces(table):
    """The same reference on a few hundred packages and up to five parties."""
    feasible = np.ones(len(table), dtype=bool)
    assert pareto_frontier(table).tolist() == brute_force_frontier(table, feasible)


@settings(deadline=None)
@given(outcome_spaces())
def test_nash_and_ks_are_optimal_efficient_and_acceptable(space):
    """Nash (1950): the point maximises the product of gains over the ZOPA; Kalai-Smorodinsky
    (1975): it maximises the smallest normalised gain. Both lie in the ZOPA (individual
    rationality) and on the Pareto frontier (efficiency)."""
    table, d, feasible = space
    zopa = bargaining_range(table, d, feasible)
    nash = nash_point(table, d, feasible)
    ks = kalai_smorodinsky_point(table, d, feasible)
    if not len(zopa):
        assert nash is None and ks is None
        return
    frontier = pareto_frontier(table, feasible)
    assert {nash, ks} <= set(zopa) & set(frontier)
    gains = table[zopa] - d
    assert np.prod(table[nash] - d) == pytest.approx(np.prod(gains, axis=1).max())
    ideal = gains.max(axis=0)
    assert np.min((table[ks] - d) / ideal) == pytest.approx(np.min(gains / ideal, axis=1).max())


@settings(deadline=None)
@given(outcome_spaces(), st.integers(0, 3), st.floats(0.01, 100), st.floats(-100, 100))
# Nash products 2 * 6 and 3 * 4 tie; after this rescaling float rounding favours the second.
@example((np.array([[2.0, 6.0], [3.0, 4.0]]), np.zeros(2), np.ones(2, dtype=bool)), 0, 0.1, 0.3)
def test_nash_and_ks_invariant_to_rescaling_one_party(space, party, scale, shift):
    """Invariance to positive affine transformations of utility, an axiom of both Nash (1950)
    and Kalai & Smorodinsky (1975): rescale one party's utilities and reservation value alike."""
    table, d, feasible = space
    party %= table.shape[1]
    table2, d2 = table.copy(), d.copy()
    table2[:, party] = scale * table[:, party] + shift
    d2[party] = scale * d[party] + shift
    assert nash_point(table2, d2, feasible) == nash_point(table, d, feasible)
    assert kalai_smorodinsky_point(table2, d2, feasible) == kalai_smorodinsky_point(
        table, d, feasible
    )


@settings(deadline=None)
@given(outcome_spaces())
def test_utilitarian_point_maximises_welfare(space):
    """Utilitarian solution (maximum sum of utilities) over the feasible packages, and over
    the ZOPA when reservation values are given; it is Pareto optimal either way."""
    table, d, feasible = space
    welfare = table.sum(axis=1)
    best = utilitarian_point(table, feasible=feasible)
    if feasible.any():
        assert welfare[best] == welfare[feasible].max()
        assert best in pareto_frontier(table, feasible)
    else:
        assert best is None
    zopa = bargaining_range(table, d, feasible)
    in_zopa = utilitarian_point(table, d, feasible)
    assert (in_zopa is None) == (not len(zopa))
    if len(zopa):
        assert welfare[in_zopa] == welfare[zopa].max()


@settings(deadline=None)
@given(outcome_spaces())
def test_report_agrees_with_the_functions(space):
    """SolutionConcepts computes the ZOPA frontier as frontier ∩ ZOPA; it must find the same
    points as the stand-alone functions, each at distance zero from itself."""
    table, d, feasible = space
    concepts = SolutionConcepts.compute(table, d, feasible)
    assert concepts.frontier.tolist() == pareto_frontier(table, feasible).tolist()
    assert concepts.zopa.tolist() == bargaining_range(table, d, feasible).tolist()
    assert concepts.nash == nash_point(table, d, feasible)
    assert concepts.kalai_smorodinsky == kalai_smorodinsky_point(table, d, feasible)
    assert concepts.utilitarian == utilitarian_point(table, d, feasible)
    if concepts.nash is not None:
        distances = concepts.distance_to(concepts.nash)
        assert distances["nash"] == 0.0 and distances["pareto"] == 0.0


@pytest.mark.parametrize(
    ("u2", "d", "expected"),
    [(linear, (0.0, 0.0), 0.5), (linear, (0.2, 0.0), 0.6), (np.sqrt, (0.0, 0.0), 2 / 3)],
)
def test_pie_nash_closed_forms(u2, d, expected):
    """Nash (1950) on a unit pie with u1 = x: maximise (x - d1)(u2(1 - x) - d2).
    Linear u2: x = (1 + d1 - d2) / 2, so 0.5 and 0.6. Risk-averse u2 = sqrt: the derivative
    of x sqrt(1 - x), sqrt(1 - x) - x / (2 sqrt(1 - x)), vanishes at x = 2/3."""
    assert pie_nash(linear, u2, d) == pytest.approx(expected, abs=1e-6)


def test_pie_kalai_smorodinsky_differs_from_nash():
    """Kalai & Smorodinsky (1975) with u1 = x, u2 = sqrt(1 - x), d = 0: the ideals are 1 and 1,
    so x = sqrt(1 - x), x^2 + x - 1 = 0, x = (sqrt(5) - 1) / 2 ≈ 0.618, not Nash's 2/3; with
    linear utilities and d = (0.2, 0) both give 0.6."""
    ks = pie_kalai_smorodinsky(linear, np.sqrt)
    assert ks == pytest.approx((math.sqrt(5) - 1) / 2, abs=1e-6)
    assert pie_nash(linear, np.sqrt) - ks > 0.04
    assert pie_kalai_smorodinsky(linear, linear, (0.2, 0.0)) == pytest.approx(0.6, abs=1e-6)


def test_pie_solutions_invariant_to_rescaling_one_player():
    """Scale invariance (Nash 1950; Kalai & Smorodinsky 1975) on the pie: u1 = x, d = (0.2, 0)
    and u2 = 2(1 - x) instead of 1 - x. Nash maximises 2(x - 0.2)(1 - x): x = 0.6. KS: the
    ideals are 0.8 and 1.6, and (x - 0.2) / 0.8 = 2(1 - x) / 1.6 gives x = 0.6 again."""
    d = (0.2, 0.0)
    assert pie_nash(linear, lambda y: 2 * y, d) == pytest.approx(0.6, abs=1e-6)
    assert pie_kalai_smorodinsky(linear, lambda y: 2 * y, d) == pytest.approx(0.6, abs=1e-6)


def test_pie_matches_discrete_solvers_on_a_grid():
    """The discrete Nash (1950) and Kalai-Smorodinsky (1975) points of the pie sampled on 2001
    shares land within two grid steps of the continuous solutions."""
    shares = np.linspace(0.0, 1.0, 2001)
    table = np.column_stack([shares, np.sqrt(1.0 - shares)])
    step = shares[1]
    nash, ks = nash_point(table, [0, 0]), kalai_smorodinsky_point(table, [0, 0])
    assert shares[nash] == pytest.approx(pie_nash(linear, np.sqrt), abs=2 * step)
    assert shares[ks] == pytest.approx(pie_kalai_smorodinsky(linear, np.sqrt), abs=2 * step)


def test_pie_without_agreeable_split():
    """Reservation values summing past the whole pie leave no split both accept (the empty
    ZOPA convention, as for discrete spaces)."""
    assert pie_nash(linear, linear, (0.6, 0.6)) is None
    assert pie_kalai_smorodinsky(linear, linear, (0.6, 0.6)) is None


@pytest.mark.parametrize("u1", [lambda x: np.sin(4 * x), lambda x: 0.5])
def test_pie_rejects_unusable_utilities(u1):
    """A utility falling with one's own share, or one that does not work elementwise on an
    array of shares, is refused instead of giving a wrong answer."""
    with pytest.raises(ValueError):
        pie_nash(u1, linear)
