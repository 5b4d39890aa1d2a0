"""Rubinstein's alternating offers: play the subgame-perfect equilibrium.

Rubinstein (1982), "Perfect equilibrium in a bargaining model", *Econometrica*
50(1): two players split a pie, offering in turn, and a round of delay
discounts player i's payoff by ``d_i``. The unique subgame-perfect equilibrium
gives the proposer the share ``(1 - d_other) / (1 - d_self * d_other)`` at once;
the responder accepts any offer worth at least ``d_self`` times its own proposer
share, which is what waiting a round to propose would be worth to it now.

Shares are read as shares of the surplus between an actor's floor and its best
package (of a unit pie whose reservation values are zero, the pie itself). On a
discrete grid the proposer keeps the most it can while leaving the responder
at least its equilibrium share (by its beliefs of the responder), so the offer
is accepted and lies within one grid step of the formula.
"""

from __future__ import annotations

from negotiation_sim.strategies.base import NegotiatorState, Strategy


def proposer_share(discount: float, other_discount: float) -> float:
    """Rubinstein's (1982) equilibrium share of the proposer: ``(1 - d_o) / (1 - d_s d_o)``."""
    return (1.0 - other_discount) / (1.0 - discount * other_discount)


def surplus_level(floor: float, best: float, share: float) -> float:
    """The utility that gives ``share`` of the surplus between ``floor`` and ``best``."""
    return floor + share * (best - floor)


def sole_other(me: NegotiatorState) -> str:
    """The name of the one other party of a bilateral strategy (an error with more or fewer)."""
    others = list(me.beliefs)
    if len(others) != 1:
        raise ValueError(f"a two-party strategy needs exactly one other party, got {others}")
    return others[0]


class Rubinstein(Strategy):
    """Rubinstein (1982) subgame-perfect play with discount factors ``discount`` (its own) and
    ``other_discount`` (the other party's); both in [0, 1)."""

    name = "rubinstein"
    offers_best_deal = False  # it proposes its equilibrium split, which the other accepts
    parties = 2

    def __init__(self, discount: float = 0.9, other_discount: float = 0.9) -> None:
        for label, value in (("discount", discount), ("other_discount", other_discount)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{label} must lie in [0, 1), got {value}")
        self.discount = discount
        self.other_discount = other_discount

    def responder_share(self) -> float:
        """Its equilibrium share when answering: ``d_self`` times its proposer share."""
        return self.discount * proposer_share(self.discount, self.other_discount)

    def target(self, me: NegotiatorState, t: float) -> float:
        """The most it keeps while leaving the other its equilibrium responder share."""
        other = sole_other(me)
        theirs = me.believed_utilities[other]
        their_share = self.other_discount * proposer_share(self.other_discount, self.discount)
        enough = surplus_level(me.believed_floors[other], float(theirs.max()), their_share)
        return max(me.floor, float(me.utilities[theirs >= enough].max()))

    def accepts(self, me: NegotiatorState, utility: float) -> bool:
        return utility >= surplus_level(me.floor, me.best, self.responder_share())
