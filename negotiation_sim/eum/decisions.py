"""Octants of Fig. 6 (Scholz et al. 2011, p. 25), the offers they produce, and offer choice (p. 26).

A dyad (i, j) is placed by a = E^i(U_ij) on one axis and b = E(U_ji) on the other. "+" octants
favour i (j is asked to move), "-" octants favour j (i is asked to move).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from negotiation_sim.eum.conventions import OfferOrder


class Octant(StrEnum):
    """Fig. 6 regions; both stalemate octants (a, b <= 0) share one label."""

    CONFRONTATION_PLUS = "confrontation+"  # a > b > 0: j moves to x_i
    CONFRONTATION_MINUS = "confrontation-"  # b > a > 0: i moves to x_j
    COMPROMISE_PLUS = "compromise+"  # a > 0 >= b, |a| >= |b|: j moves part way (eq. 35)
    COMPROMISE_MINUS = "compromise-"  # b > 0 >= a, |b| >= |a|: i moves part way (eq. 36)
    COMPEL_PLUS = "compel+"  # a > 0 > b, |b| > |a|: j moves to x_i
    COMPEL_MINUS = "compel-"  # b > 0 > a, |a| > |b|: i moves to x_j
    STALEMATE = "stalemate"  # both <= 0, or an exact tie a == b > 0


def classify_octants(a: ArrayLike, b: ArrayLike) -> NDArray[np.object_]:
    """Fig. 6 octant of each (a, b) pair, elementwise.

    Compromise "-" sits at b > 0 as in the figure; the text's "E^j(U_ji) < 0" is a typo.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    conditions = [
        (a > 0) & (b > 0) & (a > b),
        (a > 0) & (b > 0) & (b > a),
        (a > 0) & (b <= 0) & (a >= -b),
        (b > 0) & (a <= 0) & (b >= -a),
        (a > 0) & (-b > a),
        (b > 0) & (-a > b),
    ]
    labels = [
        Octant.CONFRONTATION_PLUS,
        Octant.CONFRONTATION_MINUS,
        Octant.COMPROMISE_PLUS,
        Octant.COMPROMISE_MINUS,
        Octant.COMPEL_PLUS,
        Octant.COMPEL_MINUS,
    ]
    return np.select(conditions, labels, default=Octant.STALEMATE).astype(object)


def compromise_shift(x_winner: float, x_loser: float, eu_winner: float, eu_loser: float) -> float:
    """How far the weaker side moves in a compromise: (x_w - x_l) |E_l / E_w| (eqs. 35, 36)."""
    return (x_winner - x_loser) * abs(eu_loser / eu_winner)


@dataclass(frozen=True)
class Offer:
    """A proposal that `receiver` move to `target`, made by `proposer`.

    eu_receiver is a = E^i(U_ij) and eu_proposer is b = E(U_ji), both as the receiver sees them.
    """

    receiver: int
    proposer: int
    kind: str
    target: float
    eu_receiver: float
    eu_proposer: float


_KIND = {
    Octant.CONFRONTATION_MINUS: "confrontation",
    Octant.COMPROMISE_MINUS: "compromise",
    Octant.COMPEL_MINUS: "compel",
}
_RANK = {"confrontation": 0, "compromise": 1, "compel": 2}


def offers_to(
    i: int, x: ArrayLike, a: ArrayLike, b: ArrayLike, octants: NDArray[np.object_]
) -> list[Offer]:
    """Offers actor i receives: the dyads (i, j) that i itself judges to be in a "-" octant.

    As in the reproducing code, the actor asked to move judges the dyad from its own row.
    """
    x, a, b = (np.asarray(v, dtype=float) for v in (x, a, b))
    offers = []
    for j in range(len(x)):
        kind = _KIND.get(octants[i, j])
        if kind is None:
            continue
        target = x[j]
        if kind == "compromise":
            target = x[i] + compromise_shift(x[j], x[i], b[i, j], a[i, j])
        offers.append(Offer(i, j, kind, float(target), float(a[i, j]), float(b[i, j])))
    return offers


def _weighted_average(offer: Offer, x: NDArray[np.float64]) -> float:
    """The reproducing code's compromise key: (|a| x_i + |b| x_j) / (|a| + |b|)."""
    a, b = abs(offer.eu_receiver), abs(offer.eu_proposer)
    return (a * x[offer.receiver] + b * x[offer.proposer]) / (a + b)


def select_offer(offers: list[Offer], x: ArrayLike, order: OfferOrder) -> Offer | None:
    """The offer the receiver accepts, or None to stay put (see `conventions` for the orders)."""
    x = np.asarray(x, dtype=float)
    if order == "code":
        confrontations = [o for o in offers if o.kind == "confrontation"]
        if confrontations:
            return min(confrontations, key=lambda o: abs(x[o.receiver] - o.target))
        compromises = [o for o in offers if o.kind == "compromise"]
        if compromises:
            return min(compromises, key=lambda o: _weighted_average(o, x))
        return None
    if order == "paper":
        if not offers:
            return None
        strongest = max(o.eu_proposer for o in offers)
        enforceable = [o for o in offers if strongest - o.eu_proposer <= 1e-12]  # float noise
        return min(enforceable, key=lambda o: (_RANK[o.kind], abs(x[o.receiver] - o.target)))
    raise ValueError(f"unknown offer order {order!r}")
