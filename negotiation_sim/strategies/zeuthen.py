"""Zeuthen's strategy: the party less willing to risk conflict concedes.

Zeuthen (1930), *Problems of Monopoly and Economic Warfare* (Routledge), as
formalised by Harsanyi (1956), "Approaches to the bargaining problem before and
after the theory of games", *Econometrica* 24(2). With offers ``x_i`` (its own)
and ``x_j`` (the other's) on the table and conflict payoff ``d_i``, party i's
willingness to risk conflict is

    r_i = (u_i(x_i) - u_i(x_j)) / (u_i(x_i) - d_i),

the largest probability of conflict it would accept rather than take ``x_j``
(1 when its own offer is no better than conflict; capped to [0, 1]). The party
with the lower ``r`` concedes, both on a tie. Harsanyi's version makes the
smallest concession that reverses the comparison, so that the other must
concede next; since ``r_i <= r_j`` exactly when ``x_i`` has the smaller Nash
product, the offers climb the Nash product and the talks end at the Nash (1950)
bargaining solution. A party accepts an offer worth at least its own.

Here the concession is the package it values most among those that reverse
the comparison (by its beliefs of the other's utilities: exact when the
scenario's belief noise is 0), offered through ``offer_at``, which keeps to the
red lines; if none reverses it, it concedes to the other's offer (never below
its floor). Its own standing offer is read back as ``offer_at(target)``, so a
scripted opening is not taken into account. ``d_i`` is its floor; the other's,
the floor it believes the other holds (its no-deal value, or its war value if better).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from negotiation_sim.strategies.base import NegotiatorState, Strategy
from negotiation_sim.strategies.rubinstein import sole_other


def willingness_to_risk(own: ArrayLike, others: ArrayLike, conflict: float) -> np.ndarray:
    """Zeuthen's ``r = (u(own) - u(other's)) / (u(own) - d)`` in [0, 1], elementwise;
    1 where its own offer is worth no more than conflict."""
    own, others = np.broadcast_arrays(np.asarray(own, float), np.asarray(others, float))
    at_stake = own - conflict
    risk = np.ones_like(own)
    np.divide(own - others, at_stake, out=risk, where=at_stake > 0)
    return np.clip(risk, 0.0, 1.0)


class Zeuthen(Strategy):
    """Zeuthen (1930) / Harsanyi (1956) concession by willingness to risk conflict."""

    name = "zeuthen"
    offers_best_deal = False  # it moves by concessions; its standing offer is at its target
    parties = 2

    def target(self, me: NegotiatorState, t: float) -> float:
        """Its best package first; then hold, or make Harsanyi's smallest reversing concession."""
        other = sole_other(me)
        received = me.offers_received[other]
        if not received:
            return me.best
        mine, theirs = me.utilities, me.believed_utilities[other]
        their_conflict = me.believed_floors[other]  # their no-deal value, or war if better
        own, offered = me.offer_at(me.target), received[-1]
        if mine[offered] >= mine[own]:
            return me.target
        my_risk = willingness_to_risk(mine[own], mine[offered], me.floor)
        their_risk = willingness_to_risk(theirs[offered], theirs[own], their_conflict)
        if my_risk > their_risk:
            return me.target
        reverses = (
            (mine > me.floor)
            & (mine < mine[own])
            & (
                willingness_to_risk(mine, mine[offered], me.floor)
                > willingness_to_risk(theirs[offered], theirs, their_conflict)
            )
        )
        if reverses.any():
            return float(mine[reverses].max())
        return max(me.floor, float(mine[offered]))
