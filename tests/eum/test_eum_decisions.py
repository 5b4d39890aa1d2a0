"""Fig. 6 octants, compromise moves (eqs. 35, 36) and the two offer-selection orders."""

import numpy as np
import pytest

from negotiation_sim.eum.decisions import (
    Offer,
    classify_octants,
    compromise_shift,
    offers_to,
    select_offer,
)

# (a, b) = (E^i(U_ij), E(U_ji)) -> octant
POINTS = [
    ((0.5, 0.2), "confrontation+"),  # both positive, i stronger: j gives in
    ((0.2, 0.5), "confrontation-"),  # both positive, j stronger: i gives in
    ((0.5, -0.2), "compromise+"),  # i gains more than j loses
    ((0.2, -0.5), "compel+"),  # j would lose more than i gains
    ((-0.2, 0.5), "compromise-"),  # b > 0 as in Fig. 6 (the text's "b < 0" is the typo)
    ((-0.5, 0.2), "compel-"),
    ((-0.1, -0.3), "stalemate"),
    ((-0.3, -0.1), "stalemate"),
    ((0.3, 0.3), "stalemate"),  # exact tie in conflict: neither expects to prevail
]


@pytest.mark.parametrize(("point", "octant"), POINTS)
def test_classify_octants_single(point, octant):
    assert classify_octants(point[0], point[1]) == octant


def test_classify_octants_vectorised():
    a = np.array([p[0] for p, _ in POINTS])
    b = np.array([p[1] for p, _ in POINTS])
    assert list(classify_octants(a, b)) == [o for _, o in POINTS]


def test_compromise_shift_plus():
    """Eq. 35: x_i = 0.2, x_j = 0.8, E^i = 0.3, E^j = -0.1.

    x_hat = (0.2 - 0.8) * |-0.1 / 0.3| = -0.6 / 3 = -0.2, so j moves from 0.8 to 0.6.
    """
    assert compromise_shift(0.2, 0.8, 0.3, -0.1) == pytest.approx(-0.2)


def test_compromise_shift_minus():
    """Eq. 36 (mirror): winner j at 10, loser i at 0, E^j = 0.8, E^i = -0.2: i moves 10 * 0.25."""
    assert compromise_shift(10.0, 0.0, 0.8, -0.2) == pytest.approx(2.5)


# Receiver 0 at x = 0. Row (0, 1): a = -0.1, b = 0.8 -> compromise-, target 0 + 1*(0.1/0.8).
# Row (0, 2): a = 0.2, b = 0.6 -> confrontation-, target x_2 = 0.5.
X = np.array([0.0, 1.0, 0.5])
A = np.array([[0.0, -0.1, 0.2], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
B = np.array([[0.0, 0.8, 0.6], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


def test_offers_to_builds_targets_from_octants():
    offers = offers_to(0, X, A, B, classify_octants(A, B))
    assert [(o.proposer, o.kind) for o in offers] == [(1, "compromise"), (2, "confrontation")]
    assert offers[0].target == pytest.approx(0.125)
    assert offers[1].target == 0.5
    assert offers_to(1, X, A, B, classify_octants(A, B)) == []  # row 1 is all zeros


def test_code_order_takes_confrontation_first():
    """Reproducing code: a confrontation offer wins even when a stronger proposer offers less."""
    offers = offers_to(0, X, A, B, classify_octants(A, B))
    assert select_offer(offers, X, "code").target == 0.5


def test_paper_order_concedes_to_highest_expected_utility():
    """Paper p. 26: proposer 1 has b = 0.8 > 0.6, so the compromise to 0.125 is accepted."""
    offers = offers_to(0, X, A, B, classify_octants(A, B))
    assert select_offer(offers, X, "paper").target == pytest.approx(0.125)


def test_code_order_compromise_key_is_weighted_average():
    """Receiver at 0; compromise offers from x = 1 (a = -0.1, b = 0.4) and x = 0.5 (a = -0.2,
    b = 0.3). Keys (|a| x_i + |b| x_j)/(|a| + |b|): 0.4/0.5 = 0.8 and 0.15/0.5 = 0.3, so the
    code takes the second (target 0.5 * 0.2/0.3 = 1/3) though the first moves less (0.25).
    The paper rule takes the highest b = 0.4 instead.
    """
    x = np.array([0.0, 1.0, 0.5])
    offers = [
        Offer(0, 1, "compromise", 0.25, -0.1, 0.4),
        Offer(0, 2, "compromise", 1 / 3, -0.2, 0.3),
    ]
    assert select_offer(offers, x, "code").proposer == 2
    assert select_offer(offers, x, "paper").proposer == 1


def test_compel_offers_only_count_in_paper_order():
    """The reproducing code's capitulation branch never fires, so "code" ignores compel."""
    offers = [Offer(0, 1, "compel", 1.0, -0.5, 0.2)]
    assert select_offer(offers, X, "code") is None
    assert select_offer(offers, X, "paper").target == 1.0


def test_paper_order_ties_prefer_confrontation_then_least_move():
    """Equal enforceability (b = 0.5): confrontation before compromise before compel; among two
    confrontations the nearer target wins."""
    x = np.array([0.0, 1.0, 0.3, 0.6])
    offers = [
        Offer(0, 1, "compel", 1.0, -0.9, 0.5),
        Offer(0, 3, "compromise", 0.1, -0.1, 0.5),
        Offer(0, 3, "confrontation", 0.6, 0.1, 0.5),
        Offer(0, 2, "confrontation", 0.3, 0.1, 0.5),
    ]
    assert select_offer(offers, x, "paper").target == 0.3


def test_paper_order_takes_a_slightly_stronger_proposer_over_a_nearer_offer():
    """Only float noise (1e-12) counts as equal enforceability: b = 0.500001 beats b = 0.5
    even though the weaker proposer's confrontation offer would move the receiver less."""
    x = np.array([0.0, 1.0, 0.3])
    offers = [
        Offer(0, 2, "confrontation", 0.3, 0.1, 0.5),
        Offer(0, 1, "compel", 1.0, -0.9, 0.500001),
    ]
    assert select_offer(offers, x, "paper").proposer == 1


def test_no_offers_means_no_move():
    assert select_offer([], X, "code") is None
    assert select_offer([], X, "paper") is None
