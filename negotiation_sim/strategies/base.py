"""What a strategy is: a concession curve, an acceptance rule and an offer choice.

A strategy sees the negotiator that plays it through ``NegotiatorState``, so the
strategies import nothing from the actors or the model above them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Protocol

import numpy as np

from negotiation_sim.preferences import Preferences


class NegotiatorState(Protocol):
    """What a strategy may read of the negotiator it plays for."""

    best: float  # where its concessions start: its best allowed utility, or its opening's
    floor: float  # the least it settles for: reservation or outside option, if above
    reservation: float
    target: float  # its current target utility (set from ``Strategy.target`` each round)
    received: Mapping[str, Sequence[float]]  # per other actor, utility to it of each offer received
    offers_received: Mapping[str, Sequence[int]]  # per other actor, the packages it offered
    utilities: np.ndarray  # its utility of every package of the outcome space
    beliefs: Mapping[str, Preferences]  # its estimate of each other actor's preferences
    believed_utilities: Mapping[str, np.ndarray]  # per other actor, its estimate of every package
    in_hand: float  # worth to it of the best offer the others made in their latest turn
    best_deal: int | None  # the package it values most among those it believes all accept
    best_deal_worth: float  # its worth to it (-inf if there is none)
    believed_floors: Mapping[str, float]  # per other actor, the least it believes they accept

    def offer_at(self, target: float) -> int:
        """Best package for the others among those worth at least ``target`` to it."""
        ...


class Strategy:
    """Base class. ``target`` is called once per round; ``accepts`` for each offer received.

    The acceptance rule by default accepts an offer worth at least the current
    target and at least the floor (AC_const at the target in Baarslag et al.,
    "Acceptance conditions in automated negotiation", 2011).
    """

    name: ClassVar[str] = "strategy"
    offers_best_deal: ClassVar[bool] = True
    """False for a strategy whose responders accept their own equilibrium share rather than
    anything above their floor, so that it proposes at its target (Rubinstein, Zeuthen)."""
    parties: ClassVar[int | None] = None
    """How many parties it is made for (None: any number); the loader holds scenarios to it."""

    def target(self, me: NegotiatorState, t: float) -> float:
        """Target utility at relative time ``t`` in [0, 1] (0 first round, 1 deadline)."""
        raise NotImplementedError

    def accepts(self, me: NegotiatorState, utility: float) -> bool:
        return utility >= me.target and utility >= me.floor

    def offer(self, me: NegotiatorState) -> int:
        """Its best deal, once that reaches its target: the package it values most among
        those it believes every other party accepts. Fearon (1995, p. 392): a state able
        to make a take-it-or-leave-it offer proposes the division that leaves the other
        just preferring it to war, no more. Until then, its concession offer."""
        if (
            self.offers_best_deal
            and me.best_deal is not None
            and me.best_deal_worth >= max(me.target, me.in_hand)
        ):
            return me.best_deal
        return self.concession_offer(me)

    def concession_offer(self, me: NegotiatorState) -> int:
        """Among the packages at or above the target that respect the red lines, the one
        whose worst-off other party gains most over its floor (by its model of them). It
        never proposes less than the best offer it already holds from the others: that
        would give away what is on the table for nothing."""
        return me.offer_at(max(me.target, me.in_hand))

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"
